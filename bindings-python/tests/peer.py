"""The public page's own Python example (cryptography's AESGCM over
``json.dumps`` with its defaults), the "peer" every test compares against.
It never uses this package."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def peer_encrypt(secret: str, identity: dict[str, Any]) -> str:
    """Exactly the page's example: b64decode the secret, json.dumps, AESGCM."""
    key = base64.b64decode(secret)
    payload = json.dumps(identity).encode()
    nonce = os.urandom(12)
    ct = AESGCM(key).encrypt(nonce, payload, None)
    return base64.b64encode(nonce + ct).decode()


def peer_decrypt(secret: str, token: str) -> dict[str, Any]:
    """The receiving side as the page implies it: b64decode, AESGCM, json.loads."""
    raw = base64.b64decode(token)
    payload: dict[str, Any] = json.loads(AESGCM(base64.b64decode(secret)).decrypt(raw[:12], raw[12:], None))
    return payload
