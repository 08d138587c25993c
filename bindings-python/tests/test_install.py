"""The package under test is the installed wheel, not the source tree."""

from __future__ import annotations

import sys
from pathlib import Path

import teamweb_identity
import teamweb_identity._native


def test_imported_from_the_venv_not_the_source_tree() -> None:
    here = Path(teamweb_identity.__file__).resolve()
    assert Path(sys.prefix).resolve() in here.parents, here
    assert "site-packages" in here.parts
    assert Path(sys.prefix) != Path(sys.base_prefix), "tests must run inside the test venv"


def test_wheel_contents() -> None:
    pkg = Path(teamweb_identity.__file__).parent
    assert (pkg / "py.typed").is_file()
    assert (pkg / "_native.pyi").is_file()
    native = Path(teamweb_identity._native.__file__)
    assert native.parent == pkg and native.name.endswith(".abi3.so")
    assert teamweb_identity.__version__.count(".") == 2
