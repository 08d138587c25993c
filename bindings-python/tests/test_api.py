"""The Python API of docs/FORMAT.md sections 2-4 and 6: types, errors, idioms."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

import teamweb_identity as ti
from teamweb_identity.testing import encrypt_with_nonce

SECRET = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="
KEY = ti.IdentityKey.from_base64(SECRET)


def test_exception_tree() -> None:
    codes = {
        ti.InvalidSecretError: "invalid_secret",
        ti.InvalidIdentityError: "invalid_identity",
        ti.MalformedTokenError: "malformed_token",
        ti.AuthenticationFailedError: "authentication_failed",
        ti.InvalidPayloadError: "invalid_payload",
    }
    assert issubclass(ti.IdentityTokenError, ValueError)
    for cls, code in codes.items():
        assert issubclass(cls, ti.IdentityTokenError)
        assert cls.code == code
        assert cls.__module__ == "teamweb_identity._errors"
        assert cls.__doc__


def test_round_trip_and_identity_object() -> None:
    token = KEY.encrypt("user_123", name="Alice", email="alice@example.com")
    who = KEY.decrypt(token)
    assert (who.id, who.name, who.email) == ("user_123", "Alice", "alice@example.com")
    assert who == ti.UserIdentity("user_123", "Alice", "alice@example.com")
    assert who != ti.UserIdentity("user_123", "Alice")
    assert who != ("user_123", "Alice", "alice@example.com")
    assert hash(who) == hash(ti.UserIdentity("user_123", name="Alice", email="alice@example.com"))
    assert len({who, KEY.decrypt(KEY.encrypt("user_123", name="Alice", email="alice@example.com"))}) == 1
    assert repr(who) == "UserIdentity(id='user_123', name='Alice', email='alice@example.com')"
    assert who.to_dict() == {"id": "user_123", "name": "Alice", "email": "alice@example.com"}
    assert pickle.loads(pickle.dumps(who)) == who
    with pytest.raises(AttributeError):
        who.id = "other"  # type: ignore[misc]
    match who:
        case ti.UserIdentity(id_, name, email):
            assert (id_, name, email) == ("user_123", "Alice", "alice@example.com")


def test_absent_fields() -> None:
    who = KEY.decrypt(KEY.encrypt("u1", name="", email=None))
    assert who == ti.UserIdentity("u1")
    assert who.name is None and who.email is None
    assert who.to_dict() == {"id": "u1", "name": None, "email": None}
    assert repr(who) == "UserIdentity(id='u1', name=None, email=None)"


@pytest.mark.parametrize(
    ("id_", "text"),
    [(0, "0"), (42, "42"), (-7, "-7"), (2**63, str(2**63)), (-(2**127), str(-(2**127))), (2**200, str(2**200))],
)
def test_int_ids_become_decimal_text(id_: int, text: str) -> None:
    assert KEY.decrypt(KEY.encrypt(id_)).id == text
    assert ti.UserIdentity(id_).id == text


def test_huge_int_id_is_refused_as_too_long_not_crashing() -> None:
    # Beyond sys.get_int_max_str_digits(): refused by the rules, from its
    # bit length, without being turned into text.
    with pytest.raises(ti.InvalidIdentityError, match="16610 bits"):
        KEY.encrypt(10**5000)


def test_enormous_int_id_is_refused_at_once() -> None:
    # Turning 10**1000000 into text holds the GIL for about a minute; the
    # core's bound on the bit length refuses it first. The time limit is
    # generous (a hang guard, not a benchmark).
    import time

    huge = 10**1000000
    for call in (lambda: KEY.encrypt(huge), lambda: ti.UserIdentity(huge), lambda: ti.encrypt_user_token(SECRET, -huge)):
        start = time.monotonic()
        with pytest.raises(ti.InvalidIdentityError, match="3321929 bits, more than 256 digits"):
            call()
        assert time.monotonic() - start < 2.0


@pytest.mark.parametrize(
    ("id_", "accepted"),
    [
        (10**256 - 1, True),  # 256 digits, 851 bits
        (-(10**255 - 1), True),  # sign and 255 digits
        (-(10**256 - 1), False),  # 257 bytes of text
        (2**851 - 1, False),  # 851 bits but 257 digits: converted, refused by length
        (2**851, False),  # 852 bits: refused before conversion
    ],
)
def test_int_ids_at_the_bound(id_: int, accepted: bool) -> None:
    if accepted:
        assert KEY.decrypt(KEY.encrypt(id_)).id == str(id_)
    else:
        with pytest.raises(ti.InvalidIdentityError):
            KEY.encrypt(id_)


def test_int_subclass_id() -> None:
    import enum

    class Ids(enum.IntEnum):
        ALICE = 17

    assert KEY.decrypt(KEY.encrypt(Ids.ALICE)).id == "17"


@pytest.mark.parametrize("bad", [True, False, 1.0, None, b"u1", ["u1"], object()])
def test_wrong_id_type_is_type_error(bad: Any) -> None:
    with pytest.raises(TypeError):
        KEY.encrypt(bad)
    with pytest.raises(TypeError):
        ti.encrypt_user_token(SECRET, bad)
    with pytest.raises(TypeError):
        ti.UserIdentity(bad)


@pytest.mark.parametrize("field", ["name", "email"])
@pytest.mark.parametrize("bad", [1, True, b"x", ["x"]])
def test_wrong_field_type_is_type_error(field: str, bad: Any) -> None:
    with pytest.raises(TypeError):
        KEY.encrypt("u1", **{field: bad})


def test_wrong_types_elsewhere() -> None:
    with pytest.raises(TypeError):
        ti.IdentityKey.from_base64(b"q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        KEY.decrypt(b"abc")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        KEY.encrypt("u1", "Alice")  # type: ignore[misc]  # name is keyword-only
    with pytest.raises(TypeError):
        ti.IdentityKeyring([SECRET])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        ti.IdentityKeyring(SECRET)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ti.widget_script_tag("/w.js", True)
    with pytest.raises(TypeError):
        ti.widget_script_tag("/w.js", 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        encrypt_with_nonce(SECRET, bytes(12), "u1")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        encrypt_with_nonce(KEY, bytes(11), "u1")
    with pytest.raises(TypeError):
        ti.IdentityKey()  # type: ignore[call-arg]


# docs/FORMAT.md section 2: every kind of bad identity, including lone surrogates.
BAD_IDENTITIES: list[tuple[Any, dict[str, Any]]] = [
    ("", {}),
    ("   ", {}),
    ("\u3000", {}),
    ("x" * 257, {}),
    ("é" * 129, {}),
    ("a\x00b", {}),
    ("a\x1fb", {}),
    ("a\x7fb", {}),
    ("a\x85b", {}),
    ("\ud800", {}),
    ("a\udfffb", {}),
    ("u1", {"name": "n" * 257}),
    ("u1", {"name": "tab\there"}),
    ("u1", {"name": "\udc00"}),
    ("u1", {"email": "no-at-sign"}),
    ("u1", {"email": "a@"}),
    ("u1", {"email": "@b"}),
    ("u1", {"email": "a b@c"}),
    ("u1", {"email": "a@b\u00a0c"}),
    ("u1", {"email": "a@" + "b" * 253}),
    ("u1", {"email": "a\ud800@b"}),
]


@pytest.mark.parametrize(("id_", "fields"), BAD_IDENTITIES)
def test_bad_identity(id_: Any, fields: dict[str, Any]) -> None:
    for make in (KEY.encrypt, ti.IdentityKeyring([KEY]).encrypt):
        with pytest.raises(ti.InvalidIdentityError) as info:
            make(id_, **fields)
        assert info.value.code == "invalid_identity"
        assert SECRET not in str(info.value)
    with pytest.raises(ti.InvalidIdentityError):
        ti.UserIdentity(id_, **fields).validate()


def test_limits_exactly_allowed() -> None:
    assert KEY.decrypt(KEY.encrypt("x" * 256)).id == "x" * 256
    assert KEY.decrypt(KEY.encrypt("u", name="é" * 128)).name == "é" * 128
    email = "a@" + "b" * 252
    assert KEY.decrypt(KEY.encrypt("u", email=email)).email == email


BAD_SECRETS = [
    "",
    "   ",
    "not base64 at all!",
    "c2hvcnQ=",
    "AAAA" * 12,
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
    "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8\ud800=",
    "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80==",
    "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8-_",
]


@pytest.mark.parametrize("secret", BAD_SECRETS)
def test_bad_secret(secret: str) -> None:
    with pytest.raises(ti.InvalidSecretError) as info:
        ti.IdentityKey.from_base64(secret)
    assert info.value.code == "invalid_secret"
    text = str(info.value) + repr(info.value)
    if secret.strip():
        assert secret.strip() not in text
    assert "q83vEjRW" not in text


def test_hex_secret_says_so() -> None:
    with pytest.raises(ti.InvalidSecretError, match="hex"):
        ti.IdentityKey.from_base64("ab" * 32)


def test_secret_spellings_and_whitespace() -> None:
    for spelling in [SECRET, SECRET.rstrip("="), f"  {SECRET}\n", SECRET.replace("+", "-").replace("/", "_")]:
        assert ti.IdentityKey.from_base64(spelling).secret_base64() == SECRET


def test_generate() -> None:
    a, b = ti.IdentityKey.generate(), ti.IdentityKey.generate()
    assert len(a.secret_base64()) == 44
    assert a.secret_base64() != b.secret_base64()
    assert b.decrypt(b.encrypt("u")).id == "u"


BAD_TOKENS: list[tuple[str, type[ti.IdentityTokenError]]] = [
    ("", ti.MalformedTokenError),
    ("   ", ti.MalformedTokenError),
    ("not a token!", ti.MalformedTokenError),
    ("AAAA", ti.MalformedTokenError),
    ("A" * 8193, ti.MalformedTokenError),
    ("\ud800" * 40, ti.MalformedTokenError),
    ("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", ti.AuthenticationFailedError),
]


@pytest.mark.parametrize(("token", "cls"), BAD_TOKENS)
def test_bad_token(token: str, cls: type[ti.IdentityTokenError]) -> None:
    with pytest.raises(cls):
        KEY.decrypt(token)
    with pytest.raises(cls):
        ti.decrypt_user_token(SECRET, token)
    with pytest.raises(cls):
        ti.IdentityKeyring([KEY]).decrypt(token)


def test_tampered_and_foreign_tokens() -> None:
    token = KEY.encrypt("u1", name="Alice")
    raw = bytearray(__import__("base64").b64decode(token))
    for i in range(len(raw)):
        changed = bytearray(raw)
        changed[i] ^= 1
        with pytest.raises(ti.AuthenticationFailedError) as info:
            KEY.decrypt(__import__("base64").b64encode(bytes(changed)).decode())
        assert "Alice" not in str(info.value)
    with pytest.raises(ti.AuthenticationFailedError):
        ti.IdentityKey.generate().decrypt(token)
    assert KEY.decrypt(f"\n {token}\t").id == "u1"
    assert KEY.decrypt(token.rstrip("=").replace("+", "-").replace("/", "_")).id == "u1"


def test_invalid_payload() -> None:
    with pytest.raises(ti.InvalidPayloadError):
        KEY.decrypt(encrypt_with_nonce_raw(b'{"name":"no id"}'))
    with pytest.raises(ti.InvalidPayloadError):
        KEY.decrypt(encrypt_with_nonce_raw(b"[1,2]"))
    with pytest.raises(ti.InvalidPayloadError):
        KEY.decrypt(encrypt_with_nonce_raw(b'{"id":"a","id":"b"}'))
    assert KEY.decrypt(encrypt_with_nonce_raw(b'{"id": 7, "name": null, "x": [1]}')) == ti.UserIdentity("7")


def encrypt_with_nonce_raw(plaintext: bytes) -> str:
    import base64

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = bytes(range(12))
    return base64.b64encode(nonce + AESGCM(base64.b64decode(SECRET)).encrypt(nonce, plaintext, None)).decode()


def test_keys_never_show_their_bytes() -> None:
    raw_hex = __import__("base64").b64decode(SECRET).hex()
    for shown in (repr(KEY), str(KEY), f"{KEY}", repr([KEY]), repr(ti.IdentityKeyring([KEY])), str(ti.IdentityKeyring([KEY]))):
        assert SECRET not in shown and SECRET[:10] not in shown and raw_hex[:16] not in shown
    assert repr(KEY) == "IdentityKey(<redacted>)"
    assert repr(ti.IdentityKeyring([KEY, KEY])) == "IdentityKeyring(2 keys, <redacted>)"
    assert not hasattr(KEY, "__dict__")


def test_keys_cannot_be_pickled_but_copy_is_fine() -> None:
    for obj in (KEY, ti.IdentityKeyring([KEY])):
        with pytest.raises(TypeError) as info:
            pickle.dumps(obj)
        assert SECRET not in str(info.value)
        assert copy.copy(obj) is obj and copy.deepcopy(obj) is obj


def test_keyring_rotation() -> None:
    old, new = ti.IdentityKey.generate(), ti.IdentityKey.generate()
    old_token = old.encrypt("u1")
    ring = ti.IdentityKeyring([new, old])
    assert ring.keys == (new, old)
    assert ring.decrypt(old_token).id == "u1"
    assert new.decrypt(ring.encrypt("u2", name="B")) == ti.UserIdentity("u2", "B")
    with pytest.raises(ti.AuthenticationFailedError):
        ti.IdentityKeyring([new]).decrypt(old_token)
    assert ti.IdentityKeyring(k for k in (old,)).decrypt(old_token).id == "u1"
    with pytest.raises(ti.InvalidSecretError):
        ti.IdentityKeyring([])


def test_one_shot() -> None:
    token = ti.encrypt_user_token(SECRET, 42, name="N", email="n@x")
    assert ti.decrypt_user_token(SECRET, token) == ti.UserIdentity("42", "N", "n@x")
    assert KEY.decrypt(token).id == "42"


def test_widget_script_tag() -> None:
    assert (
        ti.widget_script_tag("https://x.test/w.js?a=1&b=2", 123, "tok+/=")
        == '<script src="https://x.test/w.js?a=1&amp;b=2" data-assistant-id="123" data-user-token="tok+/="></script>'
    )
    assert ti.widget_script_tag("/w.js", "a\"b'<>") == (
        '<script src="/w.js" data-assistant-id="a&quot;b&#x27;&lt;&gt;"></script>'
    )
    assert ti.widget_script_tag("/w.js", 7, None) == '<script src="/w.js" data-assistant-id="7"></script>'
    # An int assistant id is its decimal text, up to 851 bits (test_bounds.py).
    assert f'data-assistant-id="{10**250}"' in ti.widget_script_tag("/w.js", 10**250)
    assert ti.widget_script_tag(src="/w.js", assistant_id="a", user_token="t").endswith('data-user-token="t"></script>')


def test_fixed_nonce_is_deterministic() -> None:
    a = encrypt_with_nonce(KEY, bytes(range(12)), "u", name="n")
    assert a == encrypt_with_nonce(KEY, bytes(range(12)), "u", name="n")
    assert a != KEY.encrypt("u", name="n")
    assert __import__("base64").b64decode(a)[:12] == bytes(range(12))


def test_public_surface_is_documented() -> None:
    for name in ti.__all__:
        obj = getattr(ti, name)
        if name != "__version__":
            assert obj.__doc__, name
    for cls in (ti.IdentityKey, ti.IdentityKeyring, ti.UserIdentity):
        for attr in vars(cls):
            if not attr.startswith("_"):
                assert getattr(cls, attr).__doc__, f"{cls.__name__}.{attr}"
    assert ti.testing.__doc__ and ti.testing.encrypt_with_nonce.__doc__
