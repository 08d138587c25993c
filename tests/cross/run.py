#!/usr/bin/env python3
"""The cross-language proof: drives every package through the same cases.

Starts one driver per package (tests/cross/driver-<lang>, see PROTOCOL.md),
then checks that
  * fixed-nonce tokens are byte-identical across all packages, for every
    conformance vector and for 1,000 generated random identities;
  * a random-nonce token made by each package opens in every package and in
    every plain peer (Python `cryptography`, Node `crypto`, JCA, Rust
    aes-gcm), and each peer's tokens open in every package;
  * every must-refuse case is refused with the same code by all packages;
  * the script tags are identical;
  * behaviour at the edges is the same everywhere (`behaviour`): the script
    tag on ill-formed text, an empty keyring, "" versus absent fields
    (equality and round trip), integer ids and assistant ids at and past
    their bounds, and the same error code AND message for every refusal.
Prints a matrix a person can read and exits non-zero on any difference.

`--demo` shows the same thing briefly, for `make demo`.
Only the Python standard library is used.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import random
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LANGS = ["rust", "python", "node", "node-wasm", "kotlin", "ruby", "go", "php"]
PEERS = {"rust": "Rust aes-gcm", "python": "Python cryptography", "node": "Node crypto", "node-wasm": "Node crypto", "kotlin": "JCA", "ruby": "Ruby OpenSSL", "go": "Go crypto/cipher", "php": "PHP openssl"}


class Driver:
    """One package's driver process, spoken to in JSON lines."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.proc = subprocess.Popen(
            [str(HERE / f"driver-{lang}")],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )

    def batch(self, requests: list[dict]) -> list[dict]:
        """Sends all requests (from a thread, so pipes never deadlock) and
        reads one answer per request."""
        assert self.proc.stdin and self.proc.stdout
        lines = "".join(json.dumps(r, ensure_ascii=True) + "\n" for r in requests)

        def write() -> None:
            assert self.proc.stdin
            self.proc.stdin.write(lines)
            self.proc.stdin.flush()

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        answers = []
        for _ in requests:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit(f"driver-{self.lang} stopped answering (exit {self.proc.poll()})")
            answers.append(json.loads(line))
        writer.join()
        return answers

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def result(answer: dict) -> str:
    """`ok:<value>` or `error:<code>`, for comparing answers."""
    if "ok" in answer:
        return "ok:" + json.dumps(answer["ok"], sort_keys=True, ensure_ascii=False)
    return "error:" + str(answer.get("error"))


def full_result(answer: dict) -> str:
    """`result` with the error's message: `error:<code>: <message>`."""
    if "ok" in answer or answer.get("error") in ("type_error", "unsupported", "peer_failed"):
        return result(answer)
    return f"error:{answer.get('error')}: {answer.get('message')}"


# Packages whose language has integers of any size (a native big integer, or
# the core's integer words in Rust); the others answer `unsupported` for an
# integer beyond their own integer type (JVM Long, PHP int, Go and C, whose
# ids are text).
BIGINT_LANGS = {"rust", "python", "node", "node-wasm", "ruby"}
INT64 = (-(2**63), 2**63 - 1)


class Report:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0
        self.failures: list[str] = []

    def check(self, ok: bool, what: str) -> bool:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            if len(self.failures) < 40:
                self.failures.append(what)
        return ok


def nonce_for(label: str) -> str:
    return hashlib.sha256(("cross:" + label).encode()).hexdigest()[:24]


ALPHABETS = [
    "abcdefghijklmnopqrstuvwxyz0123456789_-. ",
    "àéîõüçñßøåÆŒ",
    "漢字仮名交じり文한국어",
    "😀🎉👩‍💻🇫🇷𝄞",
    "\"\\'<>&/",
    "\u2028\u2029\u00a0\u200b",
]


def random_text(rng: random.Random, max_chars: int, min_chars: int = 0) -> str:
    n = rng.randint(min_chars, max_chars)
    return "".join(rng.choice(rng.choice(ALPHABETS)) for _ in range(n))


def random_identity(rng: random.Random, i: int) -> dict:
    """A random identity; most are valid, some sit exactly at the limits."""
    kind = i % 10
    if kind == 0:
        ident: int | str = rng.randint(-(2**53) + 1, 2**53 - 1)
    elif kind == 1:
        ident = "x" * 256
    elif kind == 2:
        ident = "😀" * 64
    else:
        ident = "u" + random_text(rng, 30)
    name = None if rng.random() < 0.3 else random_text(rng, 40)
    if kind == 3:
        name = "é" * 128
    email = None
    if rng.random() < 0.6:
        local = "".join(rng.choice("abcxyz.+_0123456789éü") for _ in range(rng.randint(1, 20)))
        domain = "".join(rng.choice("abc.-xyz例え") for _ in range(rng.randint(1, 20)))
        email = f"{local}@{domain}"
    if kind == 4:
        email = "a" * 64 + "@" + "b" * 189
    return {"id": ident, "name": name, "email": email}


def check_same(report: Report, drivers: dict[str, Driver], requests: list[dict], labels: list[str],
               expected: list[str] | None = None) -> dict[str, list[str]]:
    """Every driver answers every request the same (and as expected)."""
    answers = {lang: [result(a) for a in d.batch(requests)] for lang, d in drivers.items()}
    for i, label in enumerate(labels):
        got = {lang: answers[lang][i] for lang in drivers}
        want = expected[i] if expected else next(iter(got.values()))
        report.check(all(v == want for v in got.values()),
                     f"{label}: " + ", ".join(f"{lang}={v[:90]}" for lang, v in got.items()) + f" (want {want[:90]})")
    return answers


def vectors() -> dict:
    return json.loads((ROOT / "tests/vectors/vectors.json").read_text(encoding="utf-8"))


def decrypted(d: dict) -> str:
    return "ok:" + json.dumps({"id": d["id"], "name": d.get("name"), "email": d.get("email")}, sort_keys=True,
                              ensure_ascii=False)


def run_checks(drivers: dict[str, Driver], count: int) -> Report:
    report = Report()
    doc = vectors()
    sections: list[tuple[str, int, int]] = []

    def section(name: str, fn) -> None:
        before_p, before_f = report.passed, report.failed
        fn()
        sections.append((name, report.passed - before_p, report.failed - before_f))

    def valid_vectors() -> None:
        cases = doc["valid"]
        check_same(report, drivers,
                   [{"op": "encrypt_fixed", "secret": c["secret"], "nonce": c["nonce"], "identity": c["identity"]}
                    for c in cases],
                   [f"valid/{c['name']}" for c in cases], ["ok:" + json.dumps(c["token"]) for c in cases])

    def random_fixed() -> None:
        rng = random.Random(20261123)
        secret = base64.b64encode(hashlib.sha256(b"cross secret").digest()).decode()
        idents = [random_identity(rng, i) for i in range(count)]
        answers = check_same(report, drivers,
                             [{"op": "encrypt_fixed", "secret": secret, "nonce": nonce_for(str(i)), "identity": ident}
                              for i, ident in enumerate(idents)],
                             [f"random/{i} {json.dumps(ident, ensure_ascii=False)[:60]}" for i, ident in enumerate(idents)])
        ok = sum(a.startswith("ok:") for a in next(iter(answers.values())))
        report.check(ok >= count * 0.95, f"only {ok} of {count} random identities were valid")

    def refusals() -> None:
        for name, cases, make in [
            ("invalid_identities", doc["invalid_identities"],
             lambda c: {"op": "encrypt", "secret": doc["valid"][0]["secret"], "identity": c["identity"]}),
            ("invalid_secrets", doc["invalid_secrets"], lambda c: {"op": "secret", "secret": c["secret"]}),
            ("invalid_tokens", doc["invalid_tokens"],
             lambda c: {"op": "decrypt", "secret": c["secret"], "token": c["token"]}),
        ]:
            check_same(report, drivers, [make(c) for c in cases], [f"{name}/{c['name']}" for c in cases],
                       ["error:" + c["code"] for c in cases])
        spellings = doc["secret_spellings"]
        check_same(report, drivers, [{"op": "secret", "secret": c["secret"]} for c in spellings],
                   [f"secret_spellings/{c['name']}" for c in spellings],
                   ["ok:" + json.dumps(c["secret_base64"]) for c in spellings])
        foreign = doc["foreign_tokens"]
        check_same(report, drivers, [{"op": "decrypt", "secret": c["secret"], "token": c["token"]} for c in foreign],
                   [f"foreign_tokens/{c['name']}" for c in foreign], [decrypted(c["decrypted"]) for c in foreign])

    matrix: dict[tuple[str, str], tuple[int, int]] = {}

    def four_by_four() -> None:
        rng = random.Random(7)
        secret = base64.b64encode(hashlib.sha256(b"cross 4x4").digest()).decode()
        idents = [random_identity(rng, i) for i in range(25)]
        makers = {f"{lang} package": ("encrypt", d) for lang, d in drivers.items()}
        makers.update({f"{PEERS[lang]} (plain)": ("peer_encrypt", d) for lang, d in drivers.items()})
        openers = {f"{lang} package": ("decrypt", d) for lang, d in drivers.items()}
        openers.update({f"{PEERS[lang]} (plain)": ("peer_decrypt", d) for lang, d in drivers.items()})
        want = [decrypted({"id": str(i["id"]), "name": i["name"] or None, "email": i["email"] or None}) for i in idents]
        for maker, (op, d) in makers.items():
            tokens = d.batch([{"op": op, "secret": secret, "identity": i} for i in idents])
            if not report.check(all("ok" in t for t in tokens), f"{maker} could not make tokens: {tokens[:2]}"):
                continue
            for opener, (op2, d2) in openers.items():
                if maker.endswith("(plain)") and opener.endswith("(plain)"):
                    continue
                got = [result(a) for a in d2.batch([{"op": op2, "secret": secret, "token": t["ok"]} for t in tokens])]
                good = sum(g == w for g, w in zip(got, want))
                matrix[(maker, opener)] = (good, len(want))
                for g, w, i in zip(got, want, idents):
                    report.check(g == w, f"{maker} -> {opener}: {json.dumps(i, ensure_ascii=False)[:60]}: {g[:80]}")

    def script_tags() -> None:
        token = doc["valid"][0]["token"]
        cases = [("https://teamweb.example/static/js/chat-widget.js", "123", token),
                 ("https://x.test/w.js?a=1&b=<2>", "a\"b'c&", None), ("/w.js", 42, token)]
        check_same(report, drivers, [{"op": "script_tag", "src": s, "assistant_id": a, "token": t} for s, a, t in cases],
                   [f"script_tag/{i}" for i in range(len(cases))])

    section(f"conformance vectors, fixed nonce ({len(doc['valid'])})", valid_vectors)
    section(f"random identities, fixed nonce ({count})", random_fixed)
    section("must-refuse cases, spellings, foreign tokens", refusals)
    section("random-nonce tokens, every maker x every opener", four_by_four)
    section("script tags", script_tags)
    section("behaviour at the edges (tests/cross/PROTOCOL.md)", lambda: behaviour(report, drivers, doc))

    print(f"\nPackages: {', '.join(drivers)}")
    print(f"\n{'check':<56} {'passed':>7} {'failed':>7}")
    for name, p, f in sections:
        print(f"{name:<56} {p:>7} {f:>7}")
    if matrix:
        openers = sorted({o for _, o in matrix}, key=lambda o: (o.endswith("(plain)"), o))
        makers = sorted({m for m, _ in matrix}, key=lambda m: (m.endswith("(plain)"), m))
        width = max(len(m) for m in makers) + 2
        print("\nRandom-nonce tokens opened (rows made them, columns opened them):")
        short = {o: o.replace(" package", "").replace(" (plain)", "*") for o in openers}
        print(" " * width + "".join(f"{short[o]:>22}" for o in openers))
        for m in makers:
            cells = []
            for o in openers:
                good, total = matrix.get((m, o), (None, None))
                cells.append(f"{'-' if good is None else f'{good}/{total}':>22}")
            print(f"{m:<{width}}" + "".join(cells))
        print("(* = plain peer without the package)")
    return report


def utf16(text: str, *lone: int) -> dict:
    """Protocol text from `text` with lone surrogates appended."""
    units = list(text.encode("utf-16-le"))
    return {"utf16": [units[i] | units[i + 1] << 8 for i in range(0, len(units), 2)] + list(lone)}


def attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&#x27;"))


def behaviour(report: Report, drivers: dict[str, Driver], doc: dict) -> None:
    """docs/FORMAT.md, section 7, package by package: every answer is the
    same, message included. Cases with integers beyond 64 bits are compared
    among BIGINT_LANGS; the others must answer `unsupported` there."""
    secret = doc["valid"][0]["secret"]
    token = doc["valid"][0]["token"]
    cases: list[tuple[str, dict, str | None]] = []  # label, request, expected full result (None: all agree)

    # The script tag on ill-formed text: each lone surrogate becomes U+FFFD.
    tag = lambda s, a, t=None: "ok:" + json.dumps(  # noqa: E731
        f'<script src="{attr(s)}" data-assistant-id="{attr(a)}"'
        + (f' data-user-token="{attr(t)}"' if t is not None else "") + "></script>", ensure_ascii=False)
    cases += [
        ("script tag, lone high surrogate in src",
         {"op": "script_tag", "src": utf16("/w.js?a=<1>", 0xD800), "assistant_id": "7", "token": None},
         tag("/w.js?a=<1>\ufffd", "7")),
        ("script tag, lone low surrogate in assistant id and token",
         {"op": "script_tag", "src": "/w.js", "assistant_id": utf16("a\"b", 0xDC00), "token": utf16(token, 0xDBFF)},
         tag("/w.js", 'a"b\ufffd', token + "\ufffd")),
        ("script tag, surrogates reversed",
         {"op": "script_tag", "src": {"utf16": [0x2F, 0xDC00, 0xD800, 0x78]}, "assistant_id": 1, "token": None},
         tag("/\ufffd\ufffdx", "1")),
    ]
    # An empty keyring.
    cases.append(("empty keyring", {"op": "keyring_empty"}, None))
    # "" and absent are the same, in equality and through a round trip.
    for a, b, equal in [({"id": "u", "name": ""}, {"id": "u", "name": None}, True),
                        ({"id": "u", "email": ""}, {"id": "u"}, True),
                        ({"id": "u", "name": "", "email": ""}, {"id": "u", "name": None, "email": None}, True),
                        ({"id": "u", "name": "n"}, {"id": "u", "name": ""}, False),
                        ({"id": "u"}, {"id": "v"}, False)]:
        cases.append((f"identity_equal {json.dumps(a)} {json.dumps(b)}", {"op": "identity_equal", "a": a, "b": b},
                      "ok:" + json.dumps(equal)))
    for ident in [{"id": "u", "name": ""}, {"id": "u", "name": "", "email": ""}, {"id": "u", "email": "", "name": "N"}]:
        want = {"identity": {"id": "u", "name": ident.get("name") or None, "email": ident.get("email") or None},
                "equal": True}
        cases.append((f"round_trip {json.dumps(ident)}", {"op": "round_trip", "secret": secret, "identity": ident},
                       "ok:" + json.dumps(want, sort_keys=True, ensure_ascii=False)))
    # Integer ids and assistant ids at and past their bounds.
    nonce = "000102030405060708090a0b"
    ints = [("2^63-1", 2**63 - 1), ("-2^63", -(2**63)), ("2^63", 2**63), ("10^256-1 (851 bits, 256 digits)", 10**256 - 1),
            ("-(10^256-1) (257 bytes)", -(10**256 - 1)), ("2^851 (852 bits)", 2**851), ("-2^4096", -(2**4096)),
            ("10^4000", 10**4000)]
    for label, n in ints:
        cases.append((f"integer id {label}", {"op": "encrypt_fixed", "secret": secret, "nonce": nonce,
                                              "identity": {"id": {"bigint": str(n)}}}, None))
        cases.append((f"integer assistant id {label}",
                      {"op": "script_tag", "src": "/w.js", "assistant_id": {"bigint": str(n)}, "token": None}, None))
    # The same code and message for every refusal of the conformance vectors.
    for c in doc["invalid_identities"]:
        cases.append((f"message invalid_identities/{c['name']}",
                      {"op": "encrypt", "secret": secret, "identity": c["identity"]}, None))
    for c in doc["invalid_secrets"]:
        cases.append((f"message invalid_secrets/{c['name']}", {"op": "secret", "secret": c["secret"]}, None))
    for c in doc["invalid_tokens"]:
        cases.append((f"message invalid_tokens/{c['name']}",
                      {"op": "decrypt", "secret": c["secret"], "token": c["token"]}, None))
    cases.append(("message huge token (100,000 characters)",
                  {"op": "decrypt", "secret": secret, "token": "A" * 100_000}, None))

    requests = [r for _, r, _ in cases]
    answers = {lang: [full_result(a) for a in d.batch(requests)] for lang, d in drivers.items()}
    for i, (label, request, want) in enumerate(cases):
        got = {lang: answers[lang][i] for lang in drivers}
        big = [v for k, v in request.items() if isinstance(v, dict) and "bigint" in v]
        big += [v for v in request.get("identity", {}).values() if isinstance(v, dict) and "bigint" in v]
        beyond = any(not INT64[0] <= int(v["bigint"]) <= INT64[1] for v in big)
        compared = {lang: v for lang, v in got.items() if not beyond or lang in BIGINT_LANGS}
        others_ok = all(v == "error:unsupported" for lang, v in got.items() if lang not in compared)
        if not compared:
            continue
        expected = want or next(iter(compared.values()))
        same = all(v == expected for v in compared.values())
        detail = ", ".join(f"{lang}={v[:110]}" for lang, v in got.items())
        report.check(same and others_ok and "error:type_error" not in compared.values()
                     and "error:unsupported" not in compared.values(), f"behaviour/{label}: {detail}")


def demo(drivers: dict[str, Driver]) -> None:
    secret = drivers["rust"].batch([{"op": "secret", "secret": base64.b64encode(os.urandom(32)).decode()}])[0]["ok"]
    ident = {"id": "user_123", "name": "Zoë \"ZZ\" Ünal 🎉", "email": "zoe@example.com"}
    nonce = "000102030405060708090a0b"
    print(f"Throwaway secret: {secret[:6]}… (made just now; real ones come from the channel's settings page)")
    print(f"Identity: {json.dumps(ident, ensure_ascii=False)}\n")
    print(f"1. One identity, one fixed nonce ({nonce}), every package:")
    tokens = {}
    for lang, d in drivers.items():
        tokens[lang] = d.batch([{"op": "encrypt_fixed", "secret": secret, "nonce": nonce, "identity": ident}])[0]["ok"]
        print(f"   {lang:<7} {tokens[lang]}")
    same = len(set(tokens.values())) == 1
    print(f"   -> {'identical, byte for byte' if same else 'DIFFERENT: this is a bug'}\n")
    print("2. Random-nonce tokens from each package, opened by each of the others:")
    made = {lang: d.batch([{"op": "encrypt", "secret": secret, "identity": ident}])[0]["ok"] for lang, d in drivers.items()}
    print("   made by \\ opened by " + "".join(f"{lang:>9}" for lang in drivers))
    all_ok = same
    for maker, token in made.items():
        row = []
        for lang, d in drivers.items():
            got = d.batch([{"op": "decrypt", "secret": secret, "token": token}])[0]
            ok = got.get("ok", {}).get("id") == ident["id"] and got["ok"].get("name") == ident["name"]
            all_ok &= ok
            row.append(f"{'ok' if ok else 'FAIL':>9}")
        print(f"   {maker:<20}" + "".join(row))
    tag = drivers["rust"].batch([{"op": "script_tag", "src": "https://teamweb.example/static/js/chat-widget.js",
                                  "assistant_id": 123, "token": made["python"]}])[0]["ok"]
    print(f"\n3. The script tag a page would carry:\n   {tag}\n")
    print("Next: README.md (quickstart per language), `make test` (every suite and the full cross-language proof),")
    print("      `make bench` (each package against its peer), tests/cross/ (this runner and the drivers).")
    if not all_ok:
        raise SystemExit(1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--langs", default=",".join(LANGS), help="comma-separated packages to drive")
    parser.add_argument("--count", type=int, default=1000, help="random identities for the fixed-nonce check")
    parser.add_argument("--demo", action="store_true", help="the short show for `make demo`")
    args = parser.parse_args()
    langs = [lang for lang in args.langs.split(",") if lang]
    drivers = {lang: Driver(lang) for lang in langs}
    try:
        if args.demo:
            demo(drivers)
            return 0
        report = run_checks(drivers, args.count)
    finally:
        for d in drivers.values():
            d.close()
    for f in report.failures:
        print("FAIL", f)
    print(f"\ncross-language: {report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
