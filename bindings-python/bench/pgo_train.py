"""The workload the wheel's profile-guided optimization is trained on
(``pgo.py``): what a customer's server does with the package, not the
benchmark's loop.

Every public call, on identities of the shapes servers send (text and
integer ids, names and emails absent, ASCII and not, one with characters
JSON escapes), mostly succeeding, with the refusals a server meets now and
then (a token from another key, a mangled token, an empty id) at about one
call in twenty-five. Runs in a few seconds on the instrumented build.
"""

from __future__ import annotations

import sys

import teamweb_identity as ti

ROUNDS = 3_000
SRC = "https://teamweb.example/static/js/chat-widget.js"

IDENTITIES: list[tuple[str | int, str | None, str | None]] = [
    ("user_123", "Alice", "alice@example.com"),
    ("8f14e45f-ceea-467a-9575-62a9a1f7c8b2", "Bob Example", None),
    (1234567, None, "carol@example.org"),
    ("u-42", None, None),
    ("zoë", "Zoë Ångström", "zoe@example.de"),
    ("42", 'Dana "D" O\'Neil <dana>', "dana+widget@example.com"),
    (2**70, "Big Id", "big@example.com"),
    ("customer:98765", "山田 太郎", "taro@example.jp"),
]


def main() -> int:
    key = ti.IdentityKey.generate()
    old = ti.IdentityKey.generate()
    secret = key.secret_base64()
    ring = ti.IdentityKeyring([key, old])
    other = ti.IdentityKey.generate()
    opened = refused = 0
    for n in range(ROUNDS):
        for uid, name, email in IDENTITIES:
            token = key.encrypt(uid, name=name, email=email)
            who = key.decrypt(token)
            opened += who.id == str(uid)
            ring.decrypt(old.encrypt(uid, name=name, email=email))
            ti.widget_script_tag(SRC, 123, token)
        if n % 4 == 0:
            token = ti.encrypt_user_token(secret, "user_123", name="Alice", email="alice@example.com")
            ti.decrypt_user_token(secret, token).to_dict()
            ring.encrypt(n, name="Rotating")
            ti.UserIdentity("user_123", "Alice", "alice@example.com").validate()
        if n % 3 == 0:
            for bad in (other.encrypt("user_123"), "not a token", token[:-4] + "AAAA"):
                try:
                    key.decrypt(bad)
                except ti.IdentityTokenError:
                    refused += 1
            try:
                key.encrypt("")
            except ti.InvalidIdentityError:
                refused += 1
    print(f"pgo training: {opened} tokens opened, {refused} refused")
    return 0 if opened == ROUNDS * len(IDENTITIES) and refused == (ROUNDS + 2) // 3 * 4 else 1


if __name__ == "__main__":
    sys.exit(main())
