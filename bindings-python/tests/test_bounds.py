"""Bounds and ill-formed text, as the core's host module (``teamweb_identity::host``)
rules them: the binding converts Python values and keeps no rule of its own.

- an ``int`` id or ``assistant_id`` wider than 851 bits is refused from its
  bit length, before it is turned into text (which takes quadratic time);
- a token over the 8,192-character cap is refused before it is copied or
  transcoded in full;
- ``widget_script_tag`` on text with lone surrogates writes U+FFFD for each,
  as every package does (docs/FORMAT.md), never an error.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

import teamweb_identity as ti

SECRET = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="
KEY = ti.IdentityKey.from_base64(SECRET)


@pytest.mark.parametrize(
    ("assistant_id", "accepted"),
    [
        (0, True),
        (-7, True),
        (2**851 - 1, True),  # 851 bits: written out (no length rule for assistant ids)
        (-(2**851 - 1), True),
        (2**851, False),  # 852 bits
        (-(2**851), False),
        (10**300, False),
    ],
    ids=["0", "-7", "2**851-1", "-(2**851-1)", "2**851", "-(2**851)", "10**300"],
)
def test_int_assistant_id_at_the_bound(assistant_id: int, accepted: bool) -> None:
    if accepted:
        assert f'data-assistant-id="{assistant_id}"' in ti.widget_script_tag("/w.js", assistant_id)
    else:
        with pytest.raises(ti.InvalidIdentityError, match=r"assistant_id is an integer of \d+ bits") as info:
            ti.widget_script_tag("/w.js", assistant_id)
        assert info.value.code == "invalid_identity"


def test_enormous_int_assistant_id_is_refused_at_once() -> None:
    # str(10**1000000) holds the GIL for many seconds; the bound on the bit
    # length refuses it first. A hang guard, not a benchmark.
    huge = 10**1000000
    for value in (huge, -huge):
        start = time.monotonic()
        with pytest.raises(ti.InvalidIdentityError, match="assistant_id is an integer of 3321929 bits"):
            ti.widget_script_tag("/w.js", value)
        assert time.monotonic() - start < 2.0


def test_lone_surrogates_in_the_script_tag_become_replacement_characters() -> None:
    tag = ti.widget_script_tag("/w\ud800.js", "a\udc00b", "t\udfff\ud800")
    assert tag == '<script src="/w\ufffd.js" data-assistant-id="a\ufffdb" data-user-token="t\ufffd\ufffd"></script>'
    # A well-formed pair stays the character it encodes.
    assert 'data-assistant-id="\U0001f600"' in ti.widget_script_tag("/w.js", "\ud83d\ude00".encode("utf-16", "surrogatepass").decode("utf-16"))
    assert ti.widget_script_tag("/w.js", "\ud83d") == '<script src="/w.js" data-assistant-id="\ufffd"></script>'


@pytest.mark.parametrize("token", ["A" * 8193, " " * 10 + "A" * 8193 + "\n", "é" * 8193, "\ud800" * 8193])
def test_token_over_the_cap(token: str) -> None:
    with pytest.raises(ti.MalformedTokenError, match="8192"):
        KEY.decrypt(token)


def test_token_at_the_cap_is_read() -> None:
    # 8,192 characters once trimmed: not refused for its length (it does not
    # open: the refusal is authentication's, not the cap's).
    body = "A" * 8192
    for token in (body, f"  {body}\n"):
        with pytest.raises(ti.AuthenticationFailedError):
            KEY.decrypt(token)


# Run in a fresh interpreter, so that its peak RSS says what the call
# allocated: the token is built first, then the peak is read before and
# after decrypt.
HUGE_TOKEN = textwrap.dedent(
    """
    import resource, sys, time
    import teamweb_identity as ti

    def peak_kib():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    key = ti.IdentityKey.generate()
    token = chr(int(sys.argv[1])) * int(sys.argv[2])
    before = peak_kib()
    start = time.monotonic()
    for fn in (key.decrypt, ti.IdentityKeyring([key]).decrypt, lambda t: ti.decrypt_user_token(key.secret_base64(), t)):
        try:
            fn(token)
        except ti.MalformedTokenError:
            pass
        else:
            raise SystemExit("a huge token was not refused")
    print(time.monotonic() - start, (peak_kib() - before) / 1024)
    """
)


@pytest.mark.parametrize(
    ("unit", "count"),
    [("A", 100_000_000), ("é", 100_000_000), ("\ud800", 30_000_000), ("€", 30_000_000)],
    ids=["ascii", "latin1", "lone-surrogate", "bmp"],
)
def test_huge_token_is_refused_without_copying_it(unit: str, count: int) -> None:
    # 100M ASCII or Latin-1 characters (a 100 MB str) or 30M BMP characters
    # (60 MB): transcoding any of them to UTF-8 would take 100 MB or more.
    done = subprocess.run(
        [sys.executable, "-c", HUGE_TOKEN, str(ord(unit)), str(count)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    seconds, grown_mib = (float(x) for x in done.stdout.split())
    assert grown_mib < 8, f"the refusal allocated {grown_mib:.0f} MiB"
    assert seconds < 1.0, f"the refusal took {seconds:.2f} s"


def test_messages_for_ill_formed_text_come_from_the_core() -> None:
    # The core's words (teamweb_identity::host), not the binding's.
    with pytest.raises(ti.InvalidIdentityError, match=r"^name is not valid Unicode \(it contains a lone surrogate\)$"):
        KEY.encrypt("u", name="a\ud800")
    with pytest.raises(ti.InvalidIdentityError, match=r"^id is not valid Unicode \(it contains a lone surrogate\)$"):
        ti.UserIdentity("\udc00")
    # Over-long text with a lone surrogate: refused from its length first.
    with pytest.raises(ti.InvalidIdentityError, match=r"^email is 303 UTF-8 bytes long; at most 254 are allowed$"):
        KEY.encrypt("u", email="a" * 300 + "\ud800")
    with pytest.raises(ti.InvalidSecretError):
        ti.IdentityKey.from_base64("\ud800" * 44)


def test_identity_objects_hold_what_decrypt_can_return() -> None:
    # Decrypt reads leniently (an over-long id opens); UserIdentity holds
    # such an identity too, checks it in validate(), and pickles it.
    who = ti.UserIdentity("i" * 300)
    with pytest.raises(ti.InvalidIdentityError, match="300 UTF-8 bytes"):
        who.validate()
    with pytest.raises(ti.InvalidIdentityError, match="300 UTF-8 bytes"):
        KEY.encrypt("i" * 300)
    import pickle

    assert pickle.loads(pickle.dumps(who)) == who


def test_script_tag_argument_types() -> None:
    for bad in ({"src": b"/w.js", "assistant_id": 1}, {"src": "/w.js", "assistant_id": 1, "user_token": b"t"}):
        with pytest.raises(TypeError):
            ti.widget_script_tag(**bad)
    for bad_id in (True, 1.5, None, b"1"):
        with pytest.raises(TypeError, match="assistant_id must be a str or an int"):
            ti.widget_script_tag("/w.js", bad_id)
