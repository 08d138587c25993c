#!/usr/bin/env python3
"""Write tests/vectors/vectors.json: the conformance vectors of teamweb-identity.

Uses only the Python standard library and `cryptography` (AESGCM), never the
project's own code, so a bug in the core cannot leak into the expected values.
Everything is deterministic: secrets and nonces are derived with SHA-256 from
fixed labels, so running this twice writes a byte-identical file.

    python3 tests/vectors/generate.py          # (re)write vectors.json
    python3 tests/vectors/generate.py --check  # exit 1 if vectors.json differs

Before writing, every vector is checked against an independent reference
implementation of the contract (docs/FORMAT.md sections 1-4) that lives in this file:
an identity validator, a strict base64 decoder and a strict JSON parser.
"""

import base64
import hashlib
import json
import os
import re
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "vectors.json")

MAX_ID_BYTES = 256
MAX_NAME_BYTES = 256
MAX_EMAIL_BYTES = 254
MAX_TOKEN_CHARS = 8192
MAX_DEPTH = 64

# ---------------------------------------------------------------------------
# Deterministic material
# ---------------------------------------------------------------------------


def secret(n):
    """Canonical (padded, standard) base64 secret number n."""
    digest = hashlib.sha256(b"teamweb-identity vector key %d" % n).digest()
    return base64.b64encode(digest).decode("ascii")


def nonce_for(name):
    return hashlib.sha256(("nonce:" + name).encode("utf-8")).digest()[:12]


def det_bytes(label, n):
    """n deterministic pseudo-random bytes."""
    out = b""
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(("bytes:%s:%d" % (label, counter)).encode()).digest()
        counter += 1
    return out[:n]


K1, K2, K3, K4, K5 = (secret(i) for i in range(1, 6))
# K1 contains both '+' and '/', which the spelling and mixed-alphabet cases need.
assert "+" in K1 and "/" in K1


def key_bytes(secret_b64):
    return base64.b64decode(secret_b64, validate=True)


def seal(secret_b64, nonce, plaintext, aad=None):
    """Raw token bytes: nonce || ciphertext || tag."""
    assert len(nonce) == 12
    return nonce + AESGCM(key_bytes(secret_b64)).encrypt(nonce, plaintext, aad)


def b64(raw):
    return base64.b64encode(raw).decode("ascii")


def to_urlsafe(tok):
    return tok.replace("+", "-").replace("/", "_")


# ---------------------------------------------------------------------------
# Reference implementation of the contract (used only to check the vectors)
# ---------------------------------------------------------------------------

# Unicode White_Space (Rust char::is_whitespace). Not Python's str.isspace.
WHITE_SPACE = frozenset(
    list(range(0x09, 0x0E))
    + [0x20, 0x85, 0xA0, 0x1680]
    + list(range(0x2000, 0x200B))
    + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
)


def is_ws(ch):
    return ord(ch) in WHITE_SPACE


def is_control(ch):
    o = ord(ch)
    return o <= 0x1F or 0x7F <= o <= 0x9F


def is_surrogate(ch):
    return 0xD800 <= ord(ch) <= 0xDFFF


def from_field(value):
    """A vectors.json identity field value -> native Python value."""
    if isinstance(value, dict):
        return "".join(map(chr, value["utf16"]))
    return value


def validate_identity(ident):
    """Return the (id, name, email) that would be encrypted, or None if refused."""
    raw_id = from_field(ident["id"])
    name = from_field(ident.get("name"))
    email = from_field(ident.get("email"))
    if isinstance(raw_id, bool):
        return None
    if isinstance(raw_id, int):
        raw_id = str(raw_id)
    if not isinstance(raw_id, str):
        return None
    name = None if name in (None, "") else name
    email = None if email in (None, "") else email
    for v in (raw_id, name, email):
        if v is None:
            continue
        if not isinstance(v, str):
            return None
        if any(is_surrogate(c) or is_control(c) for c in v):
            return None
    if not any(not is_ws(c) for c in raw_id):
        return None
    if len(raw_id.encode("utf-8")) > MAX_ID_BYTES:
        return None
    if name is not None and len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return None
    if email is not None:
        if len(email.encode("utf-8")) > MAX_EMAIL_BYTES:
            return None
        if any(is_ws(c) for c in email):
            return None
        local, at, domain = email.rpartition("@")
        if not at or not local or not domain:
            return None
    return raw_id, name, email


def plaintext_for(ident):
    """The exact plaintext bytes a package writes."""
    r = validate_identity(ident)
    assert r is not None, ident
    i, n, e = r
    d = {"id": i}
    if n is not None:
        d["name"] = n
    if e is not None:
        d["email"] = e
    return json.dumps(d, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def manual_plaintext(i, n, e):
    """Independent hand-written encoder (valid identities contain no controls)."""

    def q(s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    parts = ['"id":' + q(i)]
    if n is not None:
        parts.append('"name":' + q(n))
    if e is not None:
        parts.append('"email":' + q(e))
    return ("{" + ",".join(parts) + "}").encode("utf-8")


STD_ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
URL_ALPHA = STD_ALPHA[:62] + "-_"


def b64_strict(s):
    """Standard or URL-safe (not mixed), padding optional but correct if present,
    canonical trailing bits. Returns bytes or None."""
    if not s.isascii():
        return None
    has_std = any(c in "+/" for c in s)
    has_url = any(c in "-_" for c in s)
    if has_std and has_url:
        return None
    body = s.rstrip("=")
    pad = len(s) - len(body)
    if "=" in body:
        return None
    alpha = URL_ALPHA if has_url else STD_ALPHA
    if any(c not in alpha for c in body):
        return None
    rem = len(body) % 4
    if rem == 1:
        return None
    if pad:
        if len(s) % 4 != 0 or pad != {0: 0, 2: 2, 3: 1}[rem]:
            return None
    std = body.replace("-", "+").replace("_", "/")
    raw = base64.b64decode(std + "=" * ((4 - rem) % 4), validate=True)
    if base64.b64encode(raw).decode().rstrip("=") != std:
        return None  # non-canonical trailing bits
    return raw


def parse_secret(s):
    """Reference secret parser: key bytes or None (invalid_secret)."""
    s = s.strip("".join(chr(c) for c in sorted(WHITE_SPACE)))
    if not s:
        return None
    if re.fullmatch(r"[0-9A-Fa-f]{64}", s):
        return None
    raw = b64_strict(s)
    if raw is None or len(raw) != 32:
        return None
    return raw


class JSONError(Exception):
    pass


class Num:
    def __init__(self, text, is_int):
        self.text = text
        self.is_int = is_int


NUM_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


class StrictJSON:
    """RFC 8259 parser: no extensions, duplicate keys and lone surrogates
    refused, nesting depth (top-level value = 1) limited to MAX_DEPTH."""

    def __init__(self, text):
        self.t = text
        self.i = 0
        self.depth = 0

    def ws(self):
        while self.i < len(self.t) and self.t[self.i] in " \t\n\r":
            self.i += 1

    def document(self):
        self.ws()
        v = self.value()
        self.ws()
        if self.i != len(self.t):
            raise JSONError("trailing characters")
        return v

    def value(self):
        if self.i >= len(self.t):
            raise JSONError("eof")
        c = self.t[self.i]
        if c == "{":
            return self.obj()
        if c == "[":
            return self.arr()
        if c == '"':
            return self.string()
        for lit, val in (("true", True), ("false", False), ("null", None)):
            if self.t.startswith(lit, self.i):
                self.i += len(lit)
                return val
        m = NUM_RE.match(self.t, self.i)
        if not m or m.end() == self.i:
            raise JSONError("unexpected character")
        self.i = m.end()
        return Num(m.group(0), m.group(1) is None and m.group(2) is None)

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise JSONError("too deep")
        self.i += 1

    def obj(self):
        self.enter()
        pairs = {}
        self.ws()
        if self.t.startswith("}", self.i):
            self.i += 1
            self.depth -= 1
            return pairs
        while True:
            self.ws()
            if not self.t.startswith('"', self.i):
                raise JSONError("key expected")
            k = self.string()
            self.ws()
            if not self.t.startswith(":", self.i):
                raise JSONError("colon expected")
            self.i += 1
            self.ws()
            v = self.value()
            if k in pairs:
                raise JSONError("duplicate key")
            pairs[k] = v
            self.ws()
            if self.t.startswith(",", self.i):
                self.i += 1
                continue
            if self.t.startswith("}", self.i):
                self.i += 1
                self.depth -= 1
                return pairs
            raise JSONError("comma or } expected")

    def arr(self):
        self.enter()
        items = []
        self.ws()
        if self.t.startswith("]", self.i):
            self.i += 1
            self.depth -= 1
            return items
        while True:
            self.ws()
            items.append(self.value())
            self.ws()
            if self.t.startswith(",", self.i):
                self.i += 1
                continue
            if self.t.startswith("]", self.i):
                self.i += 1
                self.depth -= 1
                return items
            raise JSONError("comma or ] expected")

    def hex4(self):
        h = self.t[self.i : self.i + 4]
        if len(h) != 4 or not re.fullmatch(r"[0-9A-Fa-f]{4}", h):
            raise JSONError("bad \\u escape")
        self.i += 4
        return int(h, 16)

    def string(self):
        self.i += 1
        out = []
        while True:
            if self.i >= len(self.t):
                raise JSONError("unterminated string")
            c = self.t[self.i]
            self.i += 1
            if c == '"':
                return "".join(out)
            if ord(c) < 0x20:
                raise JSONError("raw control character")
            if c != "\\":
                out.append(c)
                continue
            if self.i >= len(self.t):
                raise JSONError("eof in escape")
            e = self.t[self.i]
            self.i += 1
            simple = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f",
                      "n": "\n", "r": "\r", "t": "\t"}
            if e in simple:
                out.append(simple[e])
            elif e == "u":
                u = self.hex4()
                if 0xDC00 <= u <= 0xDFFF:
                    raise JSONError("lone low surrogate")
                if 0xD800 <= u <= 0xDBFF:
                    if not self.t.startswith("\\u", self.i):
                        raise JSONError("lone high surrogate")
                    self.i += 2
                    lo = self.hex4()
                    if not 0xDC00 <= lo <= 0xDFFF:
                        raise JSONError("lone high surrogate")
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
                out.append(chr(u))
            else:
                raise JSONError("bad escape")


def parse_payload(pt):
    """Plaintext bytes -> decrypted dict, or None (invalid_payload)."""
    try:
        text = pt.decode("utf-8")  # strict: refuses overlongs, encoded surrogates
        doc = StrictJSON(text).document()
    except (UnicodeDecodeError, JSONError):
        return None
    if not isinstance(doc, dict) or "id" not in doc:
        return None
    i = doc["id"]
    if isinstance(i, Num):
        if not i.is_int:
            return None
        i = i.text
    elif not isinstance(i, str) or i == "":
        return None
    out = {"id": i}
    for k in ("name", "email"):
        v = doc.get(k)
        if v is not None and not isinstance(v, str):
            return None
        out[k] = None if v in (None, "") else v
    return out


def open_token(secret_b64, token):
    """Reference decrypt: ("ok", decrypted) or ("error", code)."""
    key = parse_secret(secret_b64)
    assert key is not None
    t = token.strip(" \t\n\r")
    if len(t) > MAX_TOKEN_CHARS:
        return "error", "malformed_token"
    raw = b64_strict(t)
    if raw is None or len(raw) < 28:
        return "error", "malformed_token"
    try:
        pt = AESGCM(key).decrypt(raw[:12], raw[12:], None)
    except InvalidTag:
        return "error", "authentication_failed"
    d = parse_payload(pt)
    if d is None:
        return "error", "invalid_payload"
    return "ok", d


# ---------------------------------------------------------------------------
# Valid identities
# ---------------------------------------------------------------------------

EMOJI = "\U0001F600"  # 4 UTF-8 bytes, 2 UTF-16 units
CJK = "\u6f22"  # 3 UTF-8 bytes

# (name, secret, id, name, email)
VALID = [
    ("ascii-basic", K1, "user_123", "Alice", "alice@example.com"),
    ("ascii-id-only", K1, "user_123", None, None),
    ("ascii-id-name", K2, "user_456", "Bob Smith", None),
    ("ascii-id-email", K3, "user_789", None, "carol@example.org"),
    ("latin-accents-nfc", K1, "u-\u00e9\u00e8", "Ren\u00e9e Fran\u00e7oise M\u00fcller",
     "ren\u00e9e@exampl\u00e9.fr"),
    ("latin-accents-nfd", K1, "u-e\u0301e\u0300", "Rene\u0301e Franc\u0327oise Mu\u0308ller", None),
    ("cjk", K2, "\u7528\u6237-42", "\u5c71\u7530\u592a\u90ce \u7530\u4e2d", "\u592a\u90ce@\u4f8b\u3048.jp"),
    ("cjk-hangul-kana", K4, "\ud55c\uad6d\uc5b4", "\u30ab\u30bf\u30ab\u30ca \u3072\u3089\u304c\u306a", None),
    ("emoji-astral", K1, "user-" + EMOJI, "Smile " + EMOJI + "\U0001F680", None),
    ("emoji-zwj-sequence", K3, "family", "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466", None),
    ("emoji-flag", K4, "flag", "\U0001F1EB\U0001F1F7 \U0001F1EF\U0001F1F5", None),
    ("emoji-skin-tone-and-vs16", K2, "u-tone", "\U0001F44D\U0001F3FD \u2764\ufe0f", None),
    ("double-quotes", K1, 'user"q"', 'Dwayne "The Rock" Johnson', '"quoted"@example.com'),
    ("backslashes", K2, "DOMAIN\\user", "back\\slash \\\\ \\u0041 \\n", None),
    ("quote-backslash-mix", K3, '\\"', '\\"\\\\"', None),
    ("script-close-tag", K1, "</script><script>alert(1)</script>", "</script>", None),
    ("html-specials", K4, "<>&'", "Tom & Jerry <tj@x> 'single'", "o'brien@example.com"),
    ("line-separator-u2028-in-name", K1, "ls", "line\u2028sep", None),
    ("paragraph-separator-u2029-in-name", K2, "ps", "para\u2029sep", None),
    ("u2028-inside-id", K3, "a\u2028b", None, None),
    ("slash-not-escaped", K2, "a/b/c", "http://example.com/", None),
    ("int-id-0", K1, 0, None, None),
    ("int-id-42", K1, 42, "Int Forty-Two", None),
    ("int-id-negative-7", K2, -7, None, "neg@example.com"),
    ("int-id-max-safe", K3, 2**53 - 1, "Max Safe", None),
    ("int-id-min-safe", K4, -(2**53 - 1), None, None),
    ("string-id-digits", K1, "42", None, None),
    ("name-empty-string-absent", K1, "user_123", "", "a@b.co"),
    ("name-null-absent", K1, "user_123", None, "a@b.co"),
    ("email-empty-string-absent", K2, "user_123", "Alice", ""),
    ("email-null-absent", K2, "user_123", "Alice", None),
    ("name-and-email-empty-strings", K3, "user_123", "", ""),
    ("id-256-bytes-ascii", K1, "i" * 256, None, None),
    ("id-256-bytes-emoji", K2, EMOJI * 64, None, None),
    ("id-256-bytes-mixed-width", K5, "a" + "\u00e9" * 2 + CJK * 83 + "b" * 2, None, None),
    ("name-256-bytes-ascii", K1, "user_123", "n" * 256, None),
    ("name-256-bytes-cjk", K3, "user_123", CJK * 85 + "x", None),
    ("email-254-bytes-ascii", K1, "user_123", None, "l" * 64 + "@" + "d" * 185 + ".com"),
    ("email-254-bytes-multibyte", K4, "user_123", None, "\u00fc" * 60 + "@" + "d" * 130 + ".de"),
    ("email-minimal-a-at-b", K2, "user_123", None, "a@b"),
    ("email-many-at-signs", K3, "user_123", None, "a@b@c"),
    ("email-split-at-last-at", K4, "user_123", None, "@a@b"),
    ("email-plus-tag-uppercase", K5, "user_123", None, "First.Last+Tag@Example.COM"),
    ("email-zero-width-space-not-whitespace", K5, "user_123", None, "a\u200b@b"),
    ("whitespace-inside-id-and-name", K1, " a b ", " a b ", None),
    ("name-whitespace-only-kept", K2, "user_123", "   ", None),
    ("nbsp-inside-name", K3, "user_123", "Jean\u00a0Dupont", None),
    ("nbsp-inside-id", K4, "a\u00a0b", None, None),
    ("del-adjacent-allowed", K1, "~\u00a0\u00ff", "\u007e\u00a0\u00a1\u00ff", None),
    ("id-zero-width-space-not-whitespace", K2, "\u200b", None, None),
    ("id-mongolian-vowel-separator-not-whitespace", K3, "\u180e", None, None),
    ("noncharacters-and-max-code-point", K4, "u-max", "\ufdd0\ufffe\uffff\U0010FFFF", None),
    ("bom-char-inside-name", K5, "u-bom", "\ufeffbom", None),
    ("all-three-other-key", K5, "acct-9f86d081", "Zo\u00eb \u5c71\u7530 " + EMOJI, "zoe@example.co.uk"),
]

# ---------------------------------------------------------------------------
# Identities that must be refused
# ---------------------------------------------------------------------------


def u16(s):
    """UTF-16 code units of a Python string that may hold lone surrogates."""
    units = []
    for ch in s:
        o = ord(ch)
        if o >= 0x10000:
            o -= 0x10000
            units += [0xD800 + (o >> 10), 0xDC00 + (o & 0x3FF)]
        else:
            units.append(o)
    return {"utf16": units}


INVALID_IDENTITIES = [
    ("id-empty", "", None, None),
    ("id-empty-with-name", "", "Alice", "a@b.co"),
    ("id-space-only", " ", None, None),
    ("id-spaces-only", "   ", "Alice", None),
    ("id-tab-only", "\t", None, None),
    ("id-newline-only", "\n", None, None),
    ("id-nbsp-only", "\u00a0", None, None),
    ("id-ideographic-space-only", "\u3000", None, None),
    ("id-line-separator-only", "\u2028", None, None),
    ("id-paragraph-separator-only", "\u2029", None, None),
    ("id-ogham-space-only", "\u1680", None, None),
    ("id-figure-space-only", "\u2007", None, None),
    ("id-narrow-nbsp-and-mmsp-only", "\u202f\u205f", None, None),
    ("id-mixed-whitespace-only", " \u2000\u200a\u3000 ", None, None),
    ("id-257-bytes-ascii", "i" * 257, None, None),
    ("id-257-bytes-multibyte-mid-char", "a" + EMOJI * 64, None, None),
    ("id-258-bytes-cjk-mid-char", CJK * 86, None, None),
    ("name-257-bytes-ascii", "user_123", "n" * 257, None),
    ("name-258-bytes-cjk-mid-char", "user_123", CJK * 86, None),
    ("email-255-bytes-ascii", "user_123", None, "l" * 64 + "@" + "d" * 186 + ".com"),
    ("email-255-bytes-multibyte-mid-char", "user_123", None, "ab@" + "d" * 250 + "\u00fc"),
    ("email-no-at", "user_123", None, "alice.example.com"),
    ("email-at-only", "user_123", None, "@"),
    ("email-empty-local", "user_123", None, "@b"),
    ("email-empty-domain", "user_123", None, "a@"),
    ("email-empty-after-last-at", "user_123", None, "a@b@"),
    ("email-space-inside", "user_123", None, "a b@example.com"),
    ("email-leading-space", "user_123", None, " a@example.com"),
    ("email-trailing-space", "user_123", None, "a@example.com "),
    ("email-tab-inside", "user_123", None, "a\t@example.com"),
    ("email-nbsp-inside", "user_123", None, "a\u00a0b@example.com"),
    ("email-line-separator-inside", "user_123", None, "a@exa\u2028mple.com"),
    ("email-ideographic-space-inside", "user_123", None, "a@b\u3000c"),
]
for _field in ("id", "name", "email"):
    for _cp in (0x00, 0x1F, 0x7F, 0x85, 0x9F):
        _ch = chr(_cp)
        _vals = {"id": "user_123", "name": None, "email": None}
        if _field == "email":
            _vals["email"] = "a" + _ch + "b@example.com"
        else:
            _vals[_field] = "a" + _ch + "b"
        INVALID_IDENTITIES.append(
            ("%s-control-u%04x" % (_field, _cp), _vals["id"], _vals["name"], _vals["email"]))
INVALID_IDENTITIES += [
    ("name-newline", "user_123", "line1\nline2", None),
    ("name-carriage-return", "user_123", "a\rb", None),
    ("id-lone-high-surrogate", u16("a\ud800"), None, None),
    ("id-lone-high-surrogate-before-char", u16("\ud800a"), None, None),
    ("name-lone-low-surrogate", "user_123", u16("x\udc00y"), None),
    ("email-reversed-surrogate-pair", "user_123", None, u16("a\ude00\ud83d@b")),
    ("name-valid-pair-then-lone-high", "user_123", u16(EMOJI + "\udbff"), None),
]

# ---------------------------------------------------------------------------
# Secrets
# ---------------------------------------------------------------------------


def noncanonical_last(s_unpadded):
    """Flip the lowest bit of the last character (an unused bit for 32 bytes)."""
    last = s_unpadded[-1]
    idx = STD_ALPHA.index(last)
    assert idx % 4 == 0
    return s_unpadded[:-1] + STD_ALPHA[idx + 1]


K1_UNPADDED = K1.rstrip("=")
_k1_first_plus = K1.index("+")
INVALID_SECRETS = [
    ("empty", ""),
    ("whitespace-only", "  \t\n "),
    ("not-base64-chars", "this is not a secret!"),
    ("star-inside", K1[:10] + "*" + K1[11:]),
    ("non-ascii-inside", K1[:10] + "\u00e9" + K1[11:]),
    ("internal-space", K1[:20] + " " + K1[20:]),
    ("internal-newline", K1[:22] + "\n" + K1[22:]),
    ("decodes-to-31-bytes", b64(det_bytes("secret31", 31))),
    ("decodes-to-33-bytes", b64(det_bytes("secret33", 33))),
    ("decodes-to-16-bytes", b64(det_bytes("secret16", 16))),
    ("decodes-to-48-bytes", b64(det_bytes("secret48", 48))),
    ("hex-64-lowercase", key_bytes(K2).hex()),
    ("hex-64-uppercase", key_bytes(K3).hex().upper()),
    ("mixed-alphabets", K1[:_k1_first_plus] + "-" + K1[_k1_first_plus + 1:]),
    ("padding-three", K1_UNPADDED + "==="),
    ("padding-two-where-one-needed", K1_UNPADDED + "=="),
    ("padding-in-middle", K1[:20] + "=" + K1[21:]),
    ("noncanonical-trailing-bits-unpadded", noncanonical_last(K1_UNPADDED)),
    ("noncanonical-trailing-bits-padded", noncanonical_last(K1_UNPADDED) + "="),
    ("padding-only", "===="),
]
INVALID_SECRETS.append(("data-truncated-with-padding", K1_UNPADDED[:-1] + "=="))

SECRET_SPELLINGS = [
    ("standard-unpadded", K1_UNPADDED, K1),
    ("urlsafe-padded", to_urlsafe(K1), K1),
    ("urlsafe-unpadded", to_urlsafe(K1_UNPADDED), K1),
    ("surrounding-spaces", "  " + K1 + "  ", K1),
    ("trailing-newline", K1 + "\n", K1),
    ("surrounding-tabs-crlf", "\t" + K1 + "\r\n", K1),
    ("urlsafe-unpadded-surrounding-whitespace", " \n" + to_urlsafe(K1_UNPADDED) + "\n ", K1),
    ("other-key-unpadded", K4.rstrip("="), K4),
]

# ---------------------------------------------------------------------------
# Tokens that must be refused
# ---------------------------------------------------------------------------


def tok(secret_b64, name, pt, aad=None):
    return b64(seal(secret_b64, nonce_for(name), pt, aad))


def flip(raw, index):
    b = bytearray(raw)
    b[index] ^= 0x01
    return bytes(b)


def nested(depth_total, inner="1"):
    """Payload whose nesting depth (top-level object = 1) is depth_total,
    reached through arrays under the ignored key "x"."""
    arrays = depth_total - 1
    return ('{"id":"u","x":' + "[" * arrays + inner + "]" * arrays + "}").encode()


def invalid_tokens():
    out = []

    def add(name, secret_b64, token, code):
        out.append({"name": name, "secret": secret_b64, "token": token, "code": code})

    base_pt = b'{"id":"user_123","name":"Alicia"}'
    base_raw = seal(K1, nonce_for("invalid-base"), base_pt)
    base = b64(base_raw)
    assert len(base_raw) % 3 != 0 and "=" in base

    # malformed_token
    add("empty", K1, "", "malformed_token")
    add("whitespace-only", K1, " \t\r\n ", "malformed_token")
    add("over-limit-8193-chars", K1, "A" * 8193, "malformed_token")
    over_pt = b'{"id":"u","pad":"' + b"p" * (6147 - 28 - 20) + b'"}'
    over = tok(K1, "over-limit-8196-char-real-token", over_pt)
    assert len(over) == 8196
    add("over-limit-8196-char-real-token", K1, over, "malformed_token")
    add("bad-char-star", K1, base[:10] + "*" + base[11:], "malformed_token")
    add("bad-char-bang", K1, base[:10] + "!" + base[11:], "malformed_token")
    add("bad-char-non-ascii", K1, base[:10] + "\u00e9" + base[11:], "malformed_token")
    add("internal-space", K1, base[:16] + " " + base[16:], "malformed_token")
    add("internal-newline", K1, base[:16] + "\n" + base[16:], "malformed_token")
    # mixed alphabets: a token holding both '+' and '/' with one changed
    mix_raw = None
    for n in range(100):
        cand = seal(K1, nonce_for("mixed-alphabet-%d" % n), base_pt)
        s = b64(cand)
        if sum(c in "+/" for c in s) >= 2:
            mix_raw = cand
            break
    s = b64(mix_raw)
    j = min(i for i, c in enumerate(s) if c in "+/")
    add("mixed-alphabet", K1, s[:j] + to_urlsafe(s[j]) + s[j + 1:], "malformed_token")
    add("padding-one-too-many", K1, base + "=", "malformed_token")
    body = base.rstrip("=")
    need = len(base) - len(body)
    if need == 1:
        add("padding-two-where-one-needed", K1, body + "==", "malformed_token")
    else:
        add("padding-one-where-two-needed", K1, body + "=", "malformed_token")
    add("padding-four", K1, body + "====", "malformed_token")
    add("padding-in-middle", K1, base[:20] + "=" + base[21:], "malformed_token")
    add("padded-groups-concatenated", K1, base + base, "malformed_token")
    add("length-mod-4-is-1", K1, body[: len(body) - len(body) % 4] + "A", "malformed_token")
    # non-canonical trailing bits
    rem = len(body) % 4
    assert rem in (2, 3)
    last_idx = STD_ALPHA.index(body[-1])
    unused = 0x0F if rem == 2 else 0x03
    assert last_idx & unused == 0
    nc = body[:-1] + STD_ALPHA[last_idx | 1]
    add("noncanonical-trailing-bits-unpadded", K1, nc, "malformed_token")
    add("noncanonical-trailing-bits-padded", K1, nc + "=" * need, "malformed_token")
    add("decodes-to-27-bytes", K1, b64(det_bytes("27", 27)), "malformed_token")
    add("decodes-to-0-bytes-padding-only", K1, "====", "malformed_token")

    # authentication_failed
    add("exactly-28-bytes-bad-tag", K1, b64(det_bytes("28", 28)), "authentication_failed")
    add("flipped-bit-in-nonce", K1, b64(flip(base_raw, 3)), "authentication_failed")
    add("flipped-bit-in-ciphertext", K1, b64(flip(base_raw, 12 + 5)), "authentication_failed")
    add("flipped-bit-in-tag", K1, b64(flip(base_raw, len(base_raw) - 1)), "authentication_failed")
    add("wrong-key", K2, base, "authentication_failed")
    add("truncated-one-byte", K1, b64(base_raw[:-1]), "authentication_failed")
    add("truncated-tag-to-12-bytes", K1, b64(base_raw[:-4]), "authentication_failed")
    add("extra-byte-appended", K1, b64(base_raw + b"\x00"), "authentication_failed")
    add("sealed-with-nonempty-aad", K1, tok(K1, "sealed-with-nonempty-aad", base_pt, b"aad"),
        "authentication_failed")
    add("nonce-swapped-from-other-token", K1,
        b64(nonce_for("other") + base_raw[12:]), "authentication_failed")

    # invalid_payload: authentic tokens whose plaintext breaks rule 4
    payloads = [
        ("payload-empty-plaintext", b""),
        ("payload-not-utf8", b'{"id":"\xff"}'),
        ("payload-overlong-utf8", b'{"id":"\xc0\xaf"}'),
        ("payload-utf8-encoded-surrogate", b'{"id":"\xed\xa0\x80"}'),
        ("payload-not-json", b"hello"),
        ("payload-json-array", b'[{"id":"u"}]'),
        ("payload-json-string", b'"user_123"'),
        ("payload-json-number", b"42"),
        ("payload-json-null", b"null"),
        ("payload-trailing-comma", b'{"id":"u",}'),
        ("payload-trailing-garbage", b'{"id":"u"}x'),
        ("payload-two-objects", b'{"id":"u"}{"id":"v"}'),
        ("payload-truncated-json", b'{"id":"u"'),
        ("payload-single-quotes", b"{'id':'u'}"),
        ("payload-unquoted-key", b'{id:"u"}'),
        ("payload-block-comment", b'{"id":"u"/* c */}'),
        ("payload-line-comment", b'// c\n{"id":"u"}'),
        ("payload-nan", b'{"id":"u","x":NaN}'),
        ("payload-infinity", b'{"id":"u","x":Infinity}'),
        ("payload-leading-zero-number", b'{"id":"u","x":01}'),
        ("payload-raw-newline-in-string", b'{"id":"a\nb"}'),
        ("payload-invalid-escape", b'{"id":"\\x41"}'),
        ("payload-bom-before-object", b'\xef\xbb\xbf{"id":"u"}'),
        ("payload-id-missing", b'{"name":"Alice"}'),
        ("payload-empty-object", b"{}"),
        ("payload-id-empty-string", b'{"id":""}'),
        ("payload-id-null", b'{"id":null}'),
        ("payload-id-float", b'{"id":1.5}'),
        ("payload-id-float-integral", b'{"id":1.0}'),
        ("payload-id-exponent", b'{"id":1e3}'),
        ("payload-id-exponent-upper", b'{"id":1E3}'),
        ("payload-id-true", b'{"id":true}'),
        ("payload-id-object", b'{"id":{"v":"u"}}'),
        ("payload-id-array", b'{"id":["u"]}'),
        ("payload-name-number", b'{"id":"u","name":5}'),
        ("payload-name-bool", b'{"id":"u","name":false}'),
        ("payload-email-array", b'{"id":"u","email":[]}'),
        ("payload-email-object", b'{"id":"u","email":{}}'),
        ("payload-duplicate-id", b'{"id":"a","id":"b"}'),
        ("payload-duplicate-id-via-escape", b'{"id":"a","\\u0069d":"b"}'),
        ("payload-duplicate-name", b'{"id":"a","name":null,"name":"b"}'),
        ("payload-duplicate-ignored-key", b'{"id":"a","x":1,"x":1}'),
        ("payload-lone-high-surrogate-escape-in-name", b'{"id":"u","name":"\\ud800"}'),
        ("payload-lone-low-surrogate-escape-in-id", b'{"id":"a\\udc00"}'),
        ("payload-reversed-surrogate-escapes-in-email", b'{"id":"u","email":"\\ude00\\ud83d@b"}'),
        ("payload-nesting-depth-65-in-ignored-key", nested(65)),
        ("payload-nesting-depth-65-objects", (
            b'{"id":"u","x":' + b'{"a":' * 64 + b"1" + b"}" * 64 + b"}")),
        ("payload-nesting-depth-3000", nested(3000)),
    ]
    for name, pt in payloads:
        add(name, K2, tok(K2, name, pt), "invalid_payload")
    return out


# ---------------------------------------------------------------------------
# Tokens other encoders write
# ---------------------------------------------------------------------------


def foreign_tokens():
    out = []

    def add(name, secret_b64, pt, decrypted, transform=None):
        t = tok(secret_b64, name, pt)
        if transform is not None:
            t = transform(t)
        out.append({"name": name, "secret": secret_b64, "token": t,
                    "decrypted": {"id": decrypted[0], "name": decrypted[1],
                                  "email": decrypted[2]}})
        return t

    # The public page's Python example, exactly (json.dumps defaults).
    add("python-docs-example", K1,
        json.dumps({"id": "user_123", "name": "Alice"}).encode(),
        ("user_123", "Alice", None))
    d = {"id": "user-\u00fc", "name": "Zo\u00eb " + EMOJI, "email": "zoe@example.com"}
    pt = json.dumps(d).encode()
    assert b"\\ud83d\\ude00" in pt and b"\\u00eb" in pt and b", " in pt and b": " in pt
    add("python-json-dumps-defaults-ascii-escapes", K1, pt, (d["id"], d["name"], d["email"]))
    # Node: JSON.stringify({ id, name, email }) - compact, raw UTF-8.
    d = {"id": "user_123", "name": "J\u00fcrgen \u5c71\u7530 " + EMOJI, "email": "j@example.de"}
    add("node-json-stringify", K2,
        json.dumps(d, separators=(",", ":"), ensure_ascii=False).encode(),
        (d["id"], d["name"], d["email"]))
    add("node-json-stringify-pretty", K2,
        json.dumps(d, indent=2, ensure_ascii=False).encode(), (d["id"], d["name"], d["email"]))
    # Gson's default HTML-safe escaping.
    add("gson-html-safe-escapes", K3,
        b'{"id":"user\\u003cscript\\u003e","name":"Tom \\u0026 Jerry \\u003d",'
        b'"email":"o\\u0027brien@example.com"}',
        ("user<script>", "Tom & Jerry =", "o'brien@example.com"))
    # PHP json_encode defaults: escaped slashes, \u escapes.
    add("php-json-encode-defaults", K3, b'{"id":"a\\/b","name":"Zo\\u00eb"}', ("a/b", "Zo\u00eb", None))
    add("escapes-solidus-and-u0041", K4,
        b'{"id":"\\u0041\\/B","name":"\\"q\\" \\\\ \\u00E9\\u00e9 \\ud83D\\uDE00"}',
        ("A/B", '"q" \\ \u00e9\u00e9 ' + EMOJI, None))
    add("escaped-tab-in-name-lenient", K4, b'{"id":"u","name":"a\\tb"}', ("u", "a\tb", None))
    add("keys-other-order", K1, b'{"email":"x@y.z","name":"N","id":"u"}', ("u", "N", "x@y.z"))
    add("extra-keys-ignored", K1,
        b'{"id":"u","meta":{"a":[1,2,{"b":null}],"c":true},"tags":["x","y"],'
        b'"n":3.5e10,"ok":false,"z":null,"name":"N"}', ("u", "N", None))
    add("case-sensitive-keys-ignored", K2, b'{"ID":"X","id":"u","Name":"ignored","":1}', ("u", None, None))
    add("name-email-null", K1, b'{"id":"u","name":null,"email":null}', ("u", None, None))
    add("name-email-empty-strings", K2, b'{"id":"u","name":"","email":""}', ("u", None, None))
    add("payload-int-id-42", K1, b'{"id":42,"name":"Int"}', ("42", "Int", None))
    add("payload-int-id-negative-5", K2, b'{"id":-5}', ("-5", None, None))
    add("payload-int-id-0", K3, b'{"id":0}', ("0", None, None))
    add("payload-int-id-above-2-pow-53", K3, b'{"id":9007199254740993}', ("9007199254740993", None, None))
    add("payload-int-id-i64-min", K4, b'{"id":-9223372036854775808}', ("-9223372036854775808", None, None))
    add("json-whitespace-everywhere", K4, b' \r\n\t{ "id" : "u" ,\n "name" : "N" }\n ', ("u", "N", None))

    # Base64 spellings of the token.
    def pick(prefix, cond, pt_fn, dec, sec=K5, transform=None):
        for n in range(200):
            name = "%s" % prefix if n == 0 else "%s-%d" % (prefix, n)
            pt = pt_fn(n)
            t = tok(sec, name, pt)
            if cond(t):
                return add(name, sec, pt, dec(n), transform)
        raise AssertionError(prefix)

    pick("urlsafe-padded-token", lambda t: any(c in "+/" for c in t) and t.endswith("="),
         lambda n: b'{"id":"url-safe","name":"URL"}', lambda n: ("url-safe", "URL", None),
         transform=to_urlsafe)
    pick("unpadded-token", lambda t: t.endswith("="),
         lambda n: b'{"id":"no-pad","email":"p@q.r"}', lambda n: ("no-pad", None, "p@q.r"),
         transform=lambda t: t.rstrip("="))
    pick("urlsafe-unpadded-token", lambda t: any(c in "+/" for c in t) and t.endswith("="),
         lambda n: b'{"id":"url-no-pad"}', lambda n: ("url-no-pad", None, None),
         transform=lambda t: to_urlsafe(t).rstrip("="))
    add("surrounding-spaces", K1, b'{"id":"spaced"}', ("spaced", None, None),
        transform=lambda t: "   " + t + "  ")
    add("surrounding-newlines", K1, b'{"id":"newlined"}', ("newlined", None, None),
        transform=lambda t: "\n" + t + "\n")
    add("surrounding-tab-crlf", K2, b'{"id":"crlf"}', ("crlf", None, None),
        transform=lambda t: "\t " + t + "\r\n")

    add("nesting-depth-64-in-ignored-key", K3, nested(64), ("u", None, None))
    add("nesting-depth-64-objects", K3,
        b'{"id":"u","x":' + b'{"a":' * 63 + b"1" + b"}" * 63 + b"}", ("u", None, None))
    add("id-single-space-lenient", K1, b'{"id":" "}', (" ", None, None))
    add("id-300-bytes-lenient", K2, ('{"id":"' + "i" * 300 + '"}').encode(), ("i" * 300, None, None))
    add("email-without-at-lenient", K2, b'{"id":"u","email":"not-an-email"}', ("u", None, "not-an-email"))

    # Exactly at the 8192-character limit: 6144 bytes = 12 + 16 + 6116.
    head = b'{"id":"user_limit","name":"Limit","pad":"'
    pt = head + b"p" * (6116 - len(head) - 2) + b'"}'
    assert len(pt) == 6116
    t = add("token-exactly-8192-chars", K4, pt, ("user_limit", "Limit", None))
    assert len(t) == MAX_TOKEN_CHARS and not t.endswith("=")
    add("token-8192-chars-plus-surrounding-whitespace", K4, pt, ("user_limit", "Limit", None),
        transform=lambda t: "  \n" + t + "\r\n  ")
    return out


# ---------------------------------------------------------------------------
# Build and check
# ---------------------------------------------------------------------------


def build():
    valid = []
    for name, sec, i, n, e in VALID:
        ident = {"id": i, "name": n, "email": e}
        r = validate_identity(ident)
        assert r is not None, name
        pt = plaintext_for(ident)
        assert pt == manual_plaintext(*r), name
        nonce = nonce_for(name)
        token = b64(seal(sec, nonce, pt))
        valid.append({
            "name": name,
            "secret": sec,
            "nonce": nonce.hex(),
            "identity": ident,
            "plaintext": pt.decode("utf-8"),
            "token": token,
            "decrypted": {"id": r[0], "name": r[1], "email": r[2]},
        })

    invalid_ids = []
    for name, i, n, e in INVALID_IDENTITIES:
        ident = {"id": i, "name": n, "email": e}
        assert validate_identity(ident) is None, name
        invalid_ids.append({"name": name, "identity": ident, "code": "invalid_identity"})

    invalid_secrets = []
    for name, s in INVALID_SECRETS:
        assert parse_secret(s) is None, name
        invalid_secrets.append({"name": "secret-" + name, "secret": s, "code": "invalid_secret"})

    spellings = []
    for name, s, canonical in SECRET_SPELLINGS:
        assert s != canonical
        assert parse_secret(s) == key_bytes(canonical), name
        assert len(canonical) == 44 and b64(key_bytes(canonical)) == canonical
        spellings.append({"name": "spelling-" + name, "secret": s, "secret_base64": canonical})

    doc = {
        "version": 1,
        "description": (
            "Conformance vectors for teamweb-identity (see docs/FORMAT.md, sections 1-4). "
            "Token = standard padded base64(nonce[12] || AES-256-GCM ciphertext || tag[16]), "
            "empty AAD. valid: encrypt identity with secret and nonce, expect exactly plaintext "
            "and token; decrypting token gives decrypted. invalid_identities: encrypt must fail "
            "with code. invalid_secrets: parsing secret must fail with code. secret_spellings: "
            "secret parses to the key whose canonical spelling is secret_base64. invalid_tokens: "
            "decrypting token with secret must fail with code. foreign_tokens: tokens written by "
            "other encoders; decrypting gives decrypted. An identity value {\"utf16\": [...]} "
            "lists UTF-16 code units (used for lone surrogates). Nesting depth counts the "
            "top-level object as 1. Generated by tests/vectors/generate.py; do not edit by hand."
        ),
        "valid": valid,
        "invalid_identities": invalid_ids,
        "invalid_secrets": invalid_secrets,
        "secret_spellings": spellings,
        "invalid_tokens": invalid_tokens(),
        "foreign_tokens": foreign_tokens(),
    }
    check(doc)
    return doc


def walk_strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from walk_strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from walk_strings(x)


def check(doc):
    """Independent checks of every vector against the reference implementation."""
    counts = {"valid": 45, "invalid_identities": 25, "invalid_secrets": 12,
              "secret_spellings": 6, "invalid_tokens": 20, "foreign_tokens": 15}
    for section, minimum in counts.items():
        assert len(doc[section]) >= minimum, section
    for section, field in (("invalid_secrets", "secret"), ("secret_spellings", "secret"),
                           ("invalid_tokens", "token"), ("foreign_tokens", "token")):
        values = [(c["secret"], c[field]) for c in doc[section]]
        assert len(values) == len(set(values)), "duplicate case in " + section
    names = [c["name"] for s in counts for c in doc[s]]
    assert len(names) == len(set(names)), "vector names must be unique"
    for s in walk_strings(doc):
        assert not any(is_surrogate(c) for c in s), "lone surrogate in file"

    for c in doc["valid"]:
        raw = base64.b64decode(c["token"], validate=True)
        assert raw[:12].hex() == c["nonce"]
        pt = AESGCM(key_bytes(c["secret"])).decrypt(raw[:12], raw[12:], None)
        assert pt == c["plaintext"].encode("utf-8"), c["name"]
        assert b64(raw) == c["token"]
        assert json.loads(pt) == {k: v for k, v in c["decrypted"].items() if v is not None}
        assert open_token(c["secret"], c["token"]) == ("ok", c["decrypted"]), c["name"]
        for k in ("id", "name", "email"):
            v = c["identity"][k]
            if isinstance(v, int):
                assert k == "id" and abs(v) <= 2**53 - 1

    by_name = {c["name"]: c for c in doc["valid"]}
    utf8len = lambda s: len(s.encode("utf-8"))  # noqa: E731
    assert utf8len(by_name["id-256-bytes-ascii"]["identity"]["id"]) == 256
    assert utf8len(by_name["id-256-bytes-emoji"]["identity"]["id"]) == 256
    assert utf8len(by_name["id-256-bytes-mixed-width"]["identity"]["id"]) == 256
    assert utf8len(by_name["name-256-bytes-ascii"]["identity"]["name"]) == 256
    assert utf8len(by_name["name-256-bytes-cjk"]["identity"]["name"]) == 256
    assert utf8len(by_name["email-254-bytes-ascii"]["identity"]["email"]) == 254
    assert utf8len(by_name["email-254-bytes-multibyte"]["identity"]["email"]) == 254
    inv = {c["name"]: c["identity"] for c in doc["invalid_identities"]}
    assert utf8len(inv["id-257-bytes-ascii"]["id"]) == 257
    assert utf8len(inv["id-257-bytes-multibyte-mid-char"]["id"]) == 257
    assert utf8len(inv["name-257-bytes-ascii"]["name"]) == 257
    assert utf8len(inv["email-255-bytes-ascii"]["email"]) == 255
    assert utf8len(inv["email-255-bytes-multibyte-mid-char"]["email"]) == 255
    assert sum(isinstance(v, dict) for i in inv.values() for v in i.values()) >= 3

    def authentic_plaintext(c):
        raw = b64_strict(c["token"].strip(" \t\n\r"))
        return AESGCM(parse_secret(c["secret"])).decrypt(raw[:12], raw[12:], None)

    def max_depth(text):
        depth = deepest = 0
        in_str = esc = False
        for ch in text:
            if in_str:
                if esc:
                    esc = False
                elif ch == "\\":
                    esc = True
                elif ch == '"':
                    in_str = False
            elif ch == '"':
                in_str = True
            elif ch in "[{":
                depth += 1
                deepest = max(deepest, depth)
            elif ch in "]}":
                depth -= 1
        return deepest

    for c in doc["invalid_tokens"]:
        assert open_token(c["secret"], c["token"]) == ("error", c["code"]), c["name"]
        if c["code"] == "invalid_payload":
            authentic_plaintext(c)  # raises unless the token itself is authentic
        if c["code"] == "authentication_failed":
            raw = b64_strict(c["token"])
            assert raw is not None and len(raw) >= 28 and len(c["token"]) <= MAX_TOKEN_CHARS
    for c in doc["foreign_tokens"]:
        assert open_token(c["secret"], c["token"]) == ("ok", c["decrypted"]), c["name"]
        # Cross-check the strict parser with Python's json module.
        loaded = json.loads(authentic_plaintext(c))
        ref = {k: (None if loaded.get(k) in (None, "") else loaded.get(k))
               for k in ("id", "name", "email")}
        if isinstance(ref["id"], int):
            ref["id"] = str(ref["id"])
        assert ref == c["decrypted"], c["name"]

    toks = {c["name"]: c for c in doc["invalid_tokens"] + doc["foreign_tokens"]}
    for name, want in (("payload-nesting-depth-65-in-ignored-key", 65),
                       ("payload-nesting-depth-65-objects", 65),
                       ("payload-nesting-depth-3000", 3000),
                       ("nesting-depth-64-in-ignored-key", 64),
                       ("nesting-depth-64-objects", 64)):
        assert max_depth(authentic_plaintext(toks[name]).decode()) == want, name
    assert len(toks["token-exactly-8192-chars"]["token"]) == 8192
    assert len(toks["token-8192-chars-plus-surrounding-whitespace"]["token"].strip()) == 8192
    assert len(toks["token-8192-chars-plus-surrounding-whitespace"]["token"]) > 8192
    assert len(toks["over-limit-8193-chars"]["token"]) == 8193
    assert len(toks["over-limit-8196-char-real-token"]["token"]) == 8196
    assert len(base64.b64decode(toks["decodes-to-27-bytes"]["token"])) == 27
    assert len(base64.b64decode(toks["exactly-28-bytes-bad-tag"]["token"])) == 28
    assert authentic_plaintext(toks["python-docs-example"]) == (
        b'{"id": "user_123", "name": "Alice"}')


def render():
    return json.dumps(build(), indent=1, ensure_ascii=True) + "\n"


def main(argv):
    text = render()
    assert text.isascii()
    if "--check" in argv[1:]:
        try:
            with open(OUT, "r", encoding="ascii", newline="") as f:
                current = f.read()
        except OSError as e:
            print("cannot read %s: %s" % (OUT, e), file=sys.stderr)
            return 1
        if current != text:
            print("%s is out of date; run python3 tests/vectors/generate.py" % OUT, file=sys.stderr)
            return 1
        print("%s is up to date" % OUT)
        return 0
    with open(OUT, "w", encoding="ascii", newline="\n") as f:
        f.write(text)
    print("wrote %s" % OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
