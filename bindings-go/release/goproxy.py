#!/usr/bin/env python3
"""Serves bindings-go as the Go module proxy would at a release tag.

Writes a file-based GOPROXY (the proxy protocol's @v/list, .info, .mod and
.zip files) holding one version of the module, zipped from bindings-go/ as
it is now: its Go files, go.mod, the header copy, and the static libraries
in identity/lib/, which a release commit carries (README.md, "How the
native library gets to you"). A consumer module then fetches it with
GOPROXY=file://... and `go get`, as a user does from proxy.golang.org, which
proves the module zip alone builds and links. Usage:

    goproxy.py MODULE_DIR PROXY_DIR VERSION
"""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path


def module_path(gomod: Path) -> str:
    for line in gomod.read_text().splitlines():
        if line.startswith("module "):
            return line.split()[1]
    raise SystemExit(f"{gomod}: no module line")


def main() -> int:
    src, proxy, version = Path(sys.argv[1]).resolve(), Path(sys.argv[2]), sys.argv[3]
    path = module_path(src / "go.mod")
    if any(c.isupper() for c in path):
        raise SystemExit("upper-case module paths need the proxy's !escaping")
    # Every regular file, as the tagged tree holds them (this module has no
    # nested modules or vendor directory, which the proxy would leave out).
    files = sorted(p for p in src.rglob("*") if p.is_file() and not p.is_symlink())
    if not any(p.name == "libteamweb_identity.a" for p in files):
        raise SystemExit("no identity/lib/*/libteamweb_identity.a: run `make -C bindings-go build` first")
    shutil.rmtree(proxy, ignore_errors=True)
    at = proxy / path / "@v"
    at.mkdir(parents=True)
    with zipfile.ZipFile(at / f"{version}.zip", "w", zipfile.ZIP_DEFLATED) as z:
        for p in files:
            z.write(p, f"{path}@{version}/{p.relative_to(src).as_posix()}")
    shutil.copy(src / "go.mod", at / f"{version}.mod")
    (at / f"{version}.info").write_text(json.dumps({"Version": version, "Time": "2026-01-01T00:00:00Z"}))
    (at / "list").write_text(version + "\n")
    print(f"{path}@{version}: {len(files)} files in {at / (version + '.zip')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
