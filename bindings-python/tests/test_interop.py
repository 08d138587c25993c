"""Interop with the public page's own Python example (docs/FORMAT.md sections 1 and 3):
tokens made by the package open there, and its tokens open in the package,
for a few hundred seeded-random identities including non-ASCII text."""

from __future__ import annotations

import json
import random
from typing import Any

import teamweb_identity as ti
from teamweb_identity.testing import encrypt_with_nonce

from peer import peer_decrypt, peer_encrypt

ALPHABET = (
    "abcXYZ019 _-.+'\"\\/<>&"
    "éüßñçÅØ"
    "Привет"
    "你好世界"
    "مرحبا"
    "😀🎉👩‍💻"
    "\u2028\u2029\u00a0\u200b\ufeff"
)


def random_text(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(low, high)))


def random_identity(rng: random.Random) -> dict[str, Any]:
    identity: dict[str, Any] = {}
    roll = rng.random()
    if roll < 0.2:
        identity["id"] = rng.randint(-(2**53), 2**53)
    else:
        identity["id"] = "x" + random_text(rng, 0, 40)
    if rng.random() < 0.7:
        identity["name"] = random_text(rng, 1, 50)
    if rng.random() < 0.6:
        local = "".join(rng.choice("abcdefgé😀+._") for _ in range(rng.randint(1, 20)))
        identity["email"] = f"{local}@{rng.choice(['example.com', 'bücher.de', 'x'])}"
    return identity


def as_expected(identity: dict[str, Any]) -> ti.UserIdentity:
    return ti.UserIdentity(identity["id"], identity.get("name"), identity.get("email"))


def test_random_identities_both_ways() -> None:
    rng = random.Random(20240611)
    key = ti.IdentityKey.generate()
    secret = key.secret_base64()
    for _ in range(300):
        identity = random_identity(rng)
        token = key.encrypt(identity["id"], name=identity.get("name"), email=identity.get("email"))
        opened = peer_decrypt(secret, token)
        assert opened == {k: (str(v) if k == "id" else v) for k, v in identity.items()}
        assert key.decrypt(peer_encrypt(secret, identity)) == as_expected(identity)


def test_plaintext_is_json_dumps_compact() -> None:
    """The package's plaintext is byte-for-byte json.dumps(separators=(",", ":"), ensure_ascii=False)."""
    import base64

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    rng = random.Random(7)
    key = ti.IdentityKey.generate()
    aes = AESGCM(base64.b64decode(key.secret_base64()))
    for _ in range(200):
        identity = random_identity(rng)
        identity["id"] = str(identity["id"])
        nonce = rng.randbytes(12)
        token = encrypt_with_nonce(key, nonce, identity["id"], name=identity.get("name"), email=identity.get("email"))
        plaintext = json.dumps(identity, separators=(",", ":"), ensure_ascii=False).encode()
        assert token == base64.b64encode(nonce + aes.encrypt(nonce, plaintext, None)).decode()
