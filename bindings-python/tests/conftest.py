"""Shared fixtures. The tests import ``teamweb_identity`` as a user does: the
wheel installed into a fresh venv by ``make test`` (see test_install.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
VECTORS: dict[str, Any] = json.loads((REPO / "tests" / "vectors" / "vectors.json").read_text(encoding="utf-8"))


def vector_cases(section: str) -> list[Any]:
    """The cases of one section of tests/vectors/vectors.json, as pytest params."""
    cases = VECTORS[section]
    assert cases, f"section {section} is empty"
    return [pytest.param(case, id=case["name"]) for case in cases]


def native(value: Any) -> Any:
    """A vector field value as a Python value: {"utf16": [...]} becomes a str
    built from UTF-16 code units (possibly lone surrogates)."""
    if isinstance(value, dict) and "utf16" in value:
        units = value["utf16"]
        # Pair up surrogates the way a UTF-16 string would hold them.
        return bytes(b for u in units for b in u.to_bytes(2, "little")).decode("utf-16-le", "surrogatepass")
    return value
