#!/usr/bin/env python3
"""The release version lives in one place: `[workspace.package] version` in
the root Cargo.toml (the crates and, through maturin, the Python package take
it from there). The npm and Maven manifests, the Ruby gem's version.rb and
its extension crate (its own Cargo workspace, pinning the core with `=`)
must carry the same version, and so must the PHP extension's own workspace
(bindings-php/Cargo.toml, the version PHP reports for the extension).

  version.py show               print the version
  version.py check [--tag vX]   every manifest agrees (and the tag names it)
  version.py set X.Y.Z          write X.Y.Z into Cargo.toml, then every manifest
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CARGO = ROOT / "Cargo.toml"
PACKAGE_JSON = ROOT / "bindings-node" / "package.json"
# The Kotlin artifact's own version (the first <version> after its artifactId).
POM = ROOT / "bindings-kotlin" / "pom.xml"
POM_VERSION = re.compile(r"(<artifactId>teamweb-identity</artifactId>\s*<version>)([^<]+)(</version>)")
RUBY_VERSION = ROOT / "bindings-ruby" / "lib" / "teamweb_identity" / "version.rb"
RUBY_VERSION_RE = re.compile(r'(VERSION = ")([^"]+)(")')
PHP_CARGO = ROOT / "bindings-php" / "Cargo.toml"
RUBY_EXT = ROOT / "bindings-ruby" / "ext" / "teamweb_identity" / "Cargo.toml"
RUBY_EXT_VERSION_RE = re.compile(r'(?m)(^version = ")([^"]+)(")')
RUBY_EXT_CORE_RE = re.compile(r'(teamweb-identity = \{ path = "[^"]+", version = "=)([^"]+)(")')
POMS = [POM, ROOT / "bindings-kotlin/bench/pom.xml", ROOT / "examples/kotlin/pom.xml",
        ROOT / "tests/cross/kotlin/pom.xml"]


def workspace_version() -> str:
    return tomllib.loads(CARGO.read_text())["workspace"]["package"]["version"]


def manifests() -> dict[str, str]:
    found = {"Cargo.toml": workspace_version(),
             "bindings-node/package.json": json.loads(PACKAGE_JSON.read_text())["version"]}
    for pom in POMS:
        m = POM_VERSION.search(pom.read_text())
        if m:
            found[str(pom.relative_to(ROOT))] = m.group(2)
    found[str(PHP_CARGO.relative_to(ROOT))] = tomllib.loads(PHP_CARGO.read_text())["package"]["version"]
    m = RUBY_VERSION_RE.search(RUBY_VERSION.read_text())
    found[str(RUBY_VERSION.relative_to(ROOT))] = m.group(2) if m else "(none)"
    ext = RUBY_EXT.read_text()
    for what, regex in (("", RUBY_EXT_VERSION_RE), (" (core dependency)", RUBY_EXT_CORE_RE)):
        m = regex.search(ext)
        found[f"{RUBY_EXT.relative_to(ROOT)}{what}"] = m.group(2) if m else "(none)"
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("show")
    c = sub.add_parser("check")
    c.add_argument("--tag")
    s = sub.add_parser("set")
    s.add_argument("version")
    a = ap.parse_args()
    if a.cmd == "show":
        print(workspace_version())
    elif a.cmd == "check":
        want = workspace_version()
        bad = {k: v for k, v in manifests().items() if v != want}
        if a.tag and a.tag != f"v{want}":
            bad[f"tag {a.tag}"] = a.tag
        if bad:
            sys.exit(f"version {want} (Cargo.toml) disagrees with: {bad}")
        print(f"version {want}: every manifest agrees")
    else:
        if not re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?", a.version):
            sys.exit(f"not a version: {a.version}")
        text = CARGO.read_text()
        block = re.search(r"\[workspace\.package\][^\[]*", text)
        assert block, "Cargo.toml has no [workspace.package]"
        new_block = re.sub(r'(?m)^version = "[^"]+"', f'version = "{a.version}"', block.group(0), count=1)
        text = text.replace(block.group(0), new_block)
        # The path dependency on the core carries the version crates.io needs.
        text = re.sub(r'(teamweb-identity = \{ path = "core", version = ")[^"]+(")',
                      rf"\g<1>{a.version}\g<2>", text)
        CARGO.write_text(text)
        pj = json.loads(PACKAGE_JSON.read_text())
        pj["version"] = a.version
        PACKAGE_JSON.write_text(json.dumps(pj, indent=2) + "\n")
        for pom in POMS:
            pom.write_text(POM_VERSION.sub(rf"\g<1>{a.version}\g<3>", pom.read_text(), count=1))
        PHP_CARGO.write_text(re.sub(r'(?m)^version = "[^"]+"', f'version = "{a.version}"', PHP_CARGO.read_text(), count=1))
        RUBY_VERSION.write_text(RUBY_VERSION_RE.sub(rf"\g<1>{a.version}\g<3>", RUBY_VERSION.read_text(), count=1))
        ext = RUBY_EXT_VERSION_RE.sub(rf"\g<1>{a.version}\g<3>", RUBY_EXT.read_text(), count=1)
        RUBY_EXT.write_text(RUBY_EXT_CORE_RE.sub(rf"\g<1>{a.version}\g<3>", ext, count=1))
        print(f"version set to {a.version}; run `cargo update -w` (here, in bindings-php and in bindings-ruby/ext/teamweb_identity) "
              "and `npm install --package-lock-only` in bindings-node")


if __name__ == "__main__":
    main()
