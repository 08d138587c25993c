#!/usr/bin/env python3
"""Prints every package's benchmark rows (target/bench/*.json) as one table.

Each package's `make bench` writes its rows: package, metric, value (a ratio
against its peer measured in the same run, or a memory figure), target, ok.
"""

import json
import sys
from pathlib import Path

ORDER = ["rust", "python", "node", "node-wasm-deno", "node-wasm-workerd", "kotlin", "ruby", "go", "php"]


def rows_of(path: Path) -> list[dict]:
    """A package's rows; the WebAssembly runs (node-wasm-<runtime>.json)
    write `{"encrypt_us": {"sdk", "webcrypto", "ratio"}, "decrypt_us": ...}`
    against the WebCrypto snippet, turned into rows here."""
    doc = json.loads(path.read_text())
    if isinstance(doc, list):
        return doc
    runtime = path.stem.removeprefix("node-wasm-")
    return [{"package": f"node (wasm, {runtime})", "metric": f"{op} vs the WebCrypto snippet",
             "value": f"{doc[op + '_us']['ratio']:.2f}x ({doc[op + '_us']['sdk']:.1f} vs {doc[op + '_us']['webcrypto']:.1f} us)",
             "target": ">= 1x", "ok": doc[op + "_us"]["ratio"] >= 1}
            for op in ("encrypt", "decrypt")]


def main() -> int:
    bench = Path(__file__).resolve().parents[1] / "target" / "bench"
    files = sorted(bench.glob("*.json"), key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else 99, p.stem))
    rows = [row for f in files for row in rows_of(f)]
    if not rows:
        print("no benchmark results in target/bench/: run `make bench`", file=sys.stderr)
        return 1
    headers = ["package", "metric", "measured", "target", "met"]
    table = [[r["package"], r["metric"], r["value"], r["target"], "yes" if r["ok"] else "NO"] for r in rows]
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    print()
    print(line(headers))
    print(line(["-" * w for w in widths]))
    for t in table:
        print(line(t))
    missing = [lang for lang in ORDER if lang not in {f.stem for f in files}]
    if missing:
        print(f"\n(no results from: {', '.join(missing)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
