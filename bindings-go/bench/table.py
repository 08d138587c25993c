#!/usr/bin/env python3
"""Turns `go test -bench` output (bindings-go's BenchmarkEncrypt and
BenchmarkDecrypt, run with -count N) into ratio rows for tests/bench_table.py.

Each ratio compares medians measured in the same process: the package's
time against the plain crypto/cipher snippet's. Usage: table.py IN.txt OUT.json
"""

import json
import re
import statistics
import sys

# A ratio must be at least this for the row's target to be met: the package
# is to be no slower than the snippet it replaces.
TARGET = 1.0


def main() -> int:
    times: dict[str, list[float]] = {}
    for line in open(sys.argv[1], encoding="utf-8"):
        m = re.match(r"Benchmark(\w+)/(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op", line)
        if m:
            times.setdefault(f"{m[1]}/{m[2]}", []).append(float(m[3]))
    if not times:
        print("no benchmark lines", file=sys.stderr)
        return 1
    med = {k: statistics.median(v) for k, v in times.items()}
    rows = []

    def row(metric: str, ours: str, peer: str, target: float | None) -> None:
        ratio = med[f"{peer}"] / med[f"{ours}"]
        value = f"{ratio:.1f}x faster" if ratio >= 1 else f"{1 / ratio:.1f}x slower"
        value += f" ({med[ours]:.0f} vs {med[peer]:.0f} ns)"
        ok = True if target is None else ratio >= target
        rows.append({"package": "go", "metric": metric, "value": value,
                     "target": "info" if target is None else f">= {target:.0f}x faster", "ok": ok})

    for op in ("Encrypt", "Decrypt"):
        o = op.lower()
        row(f"{o}: Key vs crypto/cipher snippet (secret parsed per call)", f"{op}/package=key", f"{op}/snippet=per-call", TARGET)
        # Making a key in the core (constant-time secret decode, AES key
        # schedule, a zeroized allocation) costs more than Go's
        # aes.NewCipher + cipher.NewGCM, so a one-shot is about even with
        # the snippet. Reported, not a target: servers keep a Key.
        row(f"{o}: one-shot vs the same snippet (both parse the secret)", f"{op}/package=one-shot", f"{op}/snippet=per-call", None)
        row(f"{o}: Key vs snippet with its AEAD kept (cgo's cost shows)", f"{op}/package=key", f"{op}/snippet=kept", None)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(rows, f, indent=1)
    for r in rows:
        print(f"{r['metric']:<66} {r['value']:<34} target {r['target']:<14} {'ok' if r['ok'] else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
