"""Speed and memory of teamweb_identity against the public page's Python
example, in one process, interleaved (make bench).

The peer is the page's example as written: ``json.dumps`` with its defaults,
``os.urandom(12)``, ``AESGCM(secret).encrypt`` and ``base64.b64encode`` per
token (the secret decoded once); its decrypt is ``b64decode`` +
``AESGCM(secret).decrypt`` + ``json.loads``. The package uses one
``IdentityKey`` parsed once. Same identity, same secret.

Writes the rows for the lead's table to ``--json`` (target/bench/python.json).
"""

from __future__ import annotations

import argparse
import base64
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

import teamweb_identity as ti

IDENTITY = {"id": "user_123", "name": "Alice", "email": "alice@example.com"}
TARGET_ENCRYPT = 5.0  # issue 21, after the OS nonce (each encrypt reads getrandom, as the peer reads os.urandom)
TARGET_DECRYPT = 10.0
RSS_CALLS = 1_000_000
RSS_LIMIT_MIB = 5.0


def rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def per_call_ns(fn: Callable[[], Any], calls: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(calls):
        fn()
    return (time.perf_counter_ns() - start) / calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, help="where to write the result rows")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=20_000)
    args = parser.parse_args()

    key = ti.IdentityKey.generate()
    secret_text = key.secret_base64()
    secret = base64.b64decode(secret_text)
    uid, name, email = IDENTITY["id"], IDENTITY["name"], IDENTITY["email"]

    def peer_encrypt() -> str:
        payload = json.dumps({"id": uid, "name": name, "email": email}).encode()
        nonce = os.urandom(12)
        ct = AESGCM(secret).encrypt(nonce, payload, None)
        return base64.b64encode(nonce + ct).decode()

    token = peer_encrypt()

    def peer_decrypt() -> Any:
        raw = base64.b64decode(token)
        return json.loads(AESGCM(secret).decrypt(raw[:12], raw[12:], None))

    encrypt = key.encrypt
    decrypt = key.decrypt

    def ours_encrypt() -> str:
        return encrypt(uid, name=name, email=email)

    def ours_decrypt() -> ti.UserIdentity:
        return decrypt(token)

    # The two agree before anything is timed.
    assert decrypt(peer_encrypt()) == ti.UserIdentity(uid, name, email)
    raw = base64.b64decode(ours_encrypt())
    assert json.loads(AESGCM(secret).decrypt(raw[:12], raw[12:], None)) == IDENTITY

    fns = {"peer_encrypt": peer_encrypt, "ours_encrypt": ours_encrypt, "peer_decrypt": peer_decrypt, "ours_decrypt": ours_decrypt}
    for fn in fns.values():  # warm-up
        per_call_ns(fn, args.calls // 4)
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(args.rounds):  # interleaved rounds
        for label, fn in fns.items():
            times[label].append(per_call_ns(fn, args.calls))
    med = {k: statistics.median(v) for k, v in times.items()}
    enc_ratio = med["peer_encrypt"] / med["ours_encrypt"]
    dec_ratio = med["peer_decrypt"] / med["ours_decrypt"]

    # Memory: RSS after a warm-up, then after 1,000,000 encrypt+decrypt.
    gc.collect()
    for _ in range(100_000):
        decrypt(encrypt(uid, name=name, email=email))
    gc.collect()
    before = rss_kib()
    for _ in range(RSS_CALLS):
        decrypt(encrypt(uid, name=name, email=email))
    gc.collect()
    growth_mib = (rss_kib() - before) / 1024

    print(f"Python {sys.version.split()[0]}, teamweb_identity {ti.__version__}; median of {args.rounds} interleaved rounds of {args.calls} calls")
    for label, value in med.items():
        print(f"  {label:<13} {value:8.0f} ns/call")
    print(f"  encrypt: {enc_ratio:.1f}x faster than the page's example (target >= {TARGET_ENCRYPT:g}x)")
    print(f"  decrypt: {dec_ratio:.1f}x faster than the page's example (target >= {TARGET_DECRYPT:g}x)")
    print(f"  RSS growth over {RSS_CALLS:,} encrypt+decrypt: {growth_mib:.2f} MiB (target < {RSS_LIMIT_MIB:g} MiB)")

    rows = [
        {
            "package": "python",
            "metric": "encrypt vs Python example (cryptography AESGCM)",
            "value": f"{enc_ratio:.1f}x faster",
            "target": f">= {TARGET_ENCRYPT:g}x faster",
            "ok": enc_ratio >= TARGET_ENCRYPT,
        },
        {
            "package": "python",
            "metric": "decrypt vs Python example (cryptography AESGCM)",
            "value": f"{dec_ratio:.1f}x faster",
            "target": f">= {TARGET_DECRYPT:g}x faster",
            "ok": dec_ratio >= TARGET_DECRYPT,
        },
        {
            "package": "python",
            "metric": "RSS growth, 1,000,000 encrypt+decrypt",
            "value": f"{growth_mib:.1f} MiB",
            "target": f"< {RSS_LIMIT_MIB:g} MiB",
            "ok": growth_mib < RSS_LIMIT_MIB,
        },
    ]
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
