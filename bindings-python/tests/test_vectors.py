"""Every conformance vector of tests/vectors/vectors.json (see tests/vectors/README.md)."""

from __future__ import annotations

from typing import Any

import pytest

import teamweb_identity as ti
from teamweb_identity.testing import encrypt_with_nonce

from conftest import VECTORS, native, vector_cases

ERRORS: dict[str, type[ti.IdentityTokenError]] = {
    "invalid_secret": ti.InvalidSecretError,
    "invalid_identity": ti.InvalidIdentityError,
    "malformed_token": ti.MalformedTokenError,
    "authentication_failed": ti.AuthenticationFailedError,
    "invalid_payload": ti.InvalidPayloadError,
}


def expected(d: dict[str, Any]) -> ti.UserIdentity:
    return ti.UserIdentity(d["id"], d["name"], d["email"])


def encrypt_args(identity: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    return native(identity["id"]), {"name": native(identity["name"]), "email": native(identity["email"])}


@pytest.mark.parametrize("case", vector_cases("valid"))
def test_valid(case: dict[str, Any]) -> None:
    key = ti.IdentityKey.from_base64(case["secret"])
    id_, fields = encrypt_args(case["identity"])
    token = encrypt_with_nonce(key, bytes.fromhex(case["nonce"]), id_, **fields)
    assert token == case["token"]
    want = expected(case["decrypted"])
    assert key.decrypt(token) == want
    assert ti.decrypt_user_token(case["secret"], token) == want
    # A random nonce opens to the same identity.
    assert key.decrypt(key.encrypt(id_, **fields)) == want
    assert ti.decrypt_user_token(case["secret"], ti.encrypt_user_token(case["secret"], id_, **fields)) == want


@pytest.mark.parametrize("case", vector_cases("invalid_identities"))
def test_invalid_identity(case: dict[str, Any]) -> None:
    key = ti.IdentityKey.generate()
    id_, fields = encrypt_args(case["identity"])
    cls = ERRORS[case["code"]]
    with pytest.raises(cls) as info:
        key.encrypt(id_, **fields)
    assert info.value.code == case["code"]
    with pytest.raises(cls):
        encrypt_with_nonce(key, bytes(12), id_, **fields)
    with pytest.raises(cls):
        ti.IdentityKeyring([key]).encrypt(id_, **fields)


@pytest.mark.parametrize("case", vector_cases("invalid_secrets"))
def test_invalid_secret(case: dict[str, Any]) -> None:
    cls = ERRORS[case["code"]]
    with pytest.raises(cls) as info:
        ti.IdentityKey.from_base64(case["secret"])
    assert info.value.code == case["code"]
    secret = case["secret"].strip()
    if len(secret) >= 8:
        assert secret not in str(info.value) and secret not in repr(info.value)
    with pytest.raises(cls):
        ti.encrypt_user_token(case["secret"], "u1")
    with pytest.raises(cls):
        ti.decrypt_user_token(case["secret"], "AAAA")


@pytest.mark.parametrize("case", vector_cases("secret_spellings"))
def test_secret_spelling(case: dict[str, Any]) -> None:
    assert ti.IdentityKey.from_base64(case["secret"]).secret_base64() == case["secret_base64"]


@pytest.mark.parametrize("case", vector_cases("invalid_tokens"))
def test_invalid_token(case: dict[str, Any]) -> None:
    cls = ERRORS[case["code"]]
    with pytest.raises(cls) as info:
        ti.IdentityKey.from_base64(case["secret"]).decrypt(case["token"])
    assert info.value.code == case["code"]
    assert case["secret"] not in str(info.value)
    with pytest.raises(cls):
        ti.decrypt_user_token(case["secret"], case["token"])


@pytest.mark.parametrize("case", vector_cases("foreign_tokens"))
def test_foreign_token(case: dict[str, Any]) -> None:
    key = ti.IdentityKey.from_base64(case["secret"])
    assert key.decrypt(case["token"]) == expected(case["decrypted"])
    assert ti.IdentityKeyring([ti.IdentityKey.generate(), key]).decrypt(case["token"]) == expected(case["decrypted"])


def test_every_section_is_present() -> None:
    sections = ["valid", "invalid_identities", "invalid_secrets", "secret_spellings", "invalid_tokens", "foreign_tokens"]
    assert all(len(VECTORS[s]) > 0 for s in sections)
