#!/usr/bin/env python3
"""Prints every package's benchmark rows (target/bench/*.json) as one table.

Each package's `make bench` writes its rows: package, metric, value (a ratio
against its peer measured in the same run, or a memory figure), target, ok.
"""

import json
import sys
from pathlib import Path

ORDER = ["rust", "python", "node", "kotlin", "ruby", "go", "php"]


def main() -> int:
    bench = Path(__file__).resolve().parents[1] / "target" / "bench"
    files = sorted(bench.glob("*.json"), key=lambda p: (ORDER.index(p.stem) if p.stem in ORDER else 99, p.stem))
    rows = [row for f in files for row in json.loads(f.read_text())]
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
