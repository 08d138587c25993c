"""Cross-language driver for the Python package (tests/cross/PROTOCOL.md).

Reads one JSON request per line on stdin, answers each with one JSON line on
stdout. Run through ``tests/cross/driver-python``, which uses the wheel
installed in the test venv, never the source tree.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import teamweb_identity as ti
from teamweb_identity.testing import encrypt_with_nonce


class PeerFailed(Exception):
    """The plain-crypto peer could not make or open the token."""


# {"bigint": ...} values are decimal text of any length.
sys.set_int_max_str_digits(0)


def text(value: Any) -> Any:
    """A protocol value as Python: {"utf16": [...]} becomes a str built from
    UTF-16 code units (lone surrogates kept), {"bigint": "<decimal>"} an int;
    anything else is passed as is."""
    if isinstance(value, dict) and "utf16" in value:
        units = value["utf16"]
        return b"".join(int(u).to_bytes(2, "little") for u in units).decode("utf-16-le", "surrogatepass")
    if isinstance(value, dict) and "bigint" in value:
        return int(value["bigint"])
    return value


def fields(identity: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    return text(identity.get("id")), {"name": text(identity.get("name")), "email": text(identity.get("email"))}


def user(identity: dict[str, Any]) -> ti.UserIdentity:
    id_, kw = fields(identity)
    return ti.UserIdentity(id_, **kw)


def as_json(who: ti.UserIdentity) -> dict[str, Any]:
    return who.to_dict()


def peer_encrypt(secret: str, identity: dict[str, Any]) -> str:
    """The public page's Python example: json.dumps with its defaults, AESGCM."""
    try:
        doc = {k: text(identity.get(k)) for k in ("id", "name", "email") if identity.get(k) not in (None, "")}
        payload = json.dumps(doc).encode()
        nonce = os.urandom(12)
        ct = AESGCM(base64.b64decode(secret)).encrypt(nonce, payload, None)
    except Exception as exc:  # any failure of the plain peer
        raise PeerFailed from exc
    return base64.b64encode(nonce + ct).decode()


def peer_decrypt(secret: str, token: str) -> dict[str, Any]:
    """Plain AES-GCM then json.loads; an integer id becomes decimal text, "" becomes None."""
    try:
        raw = base64.b64decode(token.strip())
        doc = json.loads(AESGCM(base64.b64decode(secret)).decrypt(raw[:12], raw[12:], None))
        id_ = doc["id"]
        if isinstance(id_, bool) or not isinstance(id_, (str, int)):
            raise ValueError("bad id")
    except Exception as exc:
        raise PeerFailed from exc
    return {"id": str(id_), "name": doc.get("name") or None, "email": doc.get("email") or None}


def handle(req: dict[str, Any]) -> Any:
    op = req.get("op")
    if op == "encrypt_fixed":
        id_, kw = fields(req["identity"])
        key = ti.IdentityKey.from_base64(req["secret"])
        return encrypt_with_nonce(key, bytes.fromhex(req["nonce"]), id_, **kw)
    if op == "encrypt":
        id_, kw = fields(req["identity"])
        return ti.IdentityKey.from_base64(req["secret"]).encrypt(id_, **kw)
    if op == "decrypt":
        return as_json(ti.IdentityKey.from_base64(req["secret"]).decrypt(req["token"]))
    if op == "secret":
        return ti.IdentityKey.from_base64(req["secret"]).secret_base64()
    if op == "script_tag":
        return ti.widget_script_tag(text(req["src"]), text(req["assistant_id"]), text(req.get("token")))
    if op == "keyring_empty":
        ti.IdentityKeyring([])
        return None
    if op == "round_trip":
        key = ti.IdentityKey.from_base64(req["secret"])
        id_, kw = fields(req["identity"])
        opened = key.decrypt(key.encrypt(id_, **kw))
        return {"identity": as_json(opened), "equal": user(req["identity"]) == opened}
    if op == "identity_equal":
        return user(req["a"]) == user(req["b"])
    if op == "peer_encrypt":
        return peer_encrypt(req["secret"], req["identity"])
    if op == "peer_decrypt":
        return peer_decrypt(req["secret"], req["token"])
    raise TypeError(f"unknown op {op!r}")


def answer(line: str) -> dict[str, Any]:
    try:
        return {"ok": handle(json.loads(line))}
    except ti.IdentityTokenError as exc:
        return {"error": exc.code, "message": str(exc)}
    except PeerFailed:
        return {"error": "peer_failed"}
    except (TypeError, KeyError, ValueError, AttributeError):
        return {"error": "type_error"}


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        sys.stdout.write(json.dumps(answer(line)) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
