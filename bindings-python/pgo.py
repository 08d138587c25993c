"""Builds the Python wheel with profile-guided optimization (PGO), as
pydantic-core builds its release wheels.

    python3 pgo.py --maturin PATH --out DIR -- <maturin build arguments>

1. The wheel is built instrumented (``-Cprofile-generate``) with the given
   arguments, in a cargo target directory of its own.
2. It is installed into a fresh venv and run on ``bench/pgo_train.py`` (a
   server's mix of calls, not the benchmark's loop).
3. The profiles are merged with ``llvm-profdata`` (rustup's ``llvm-tools``
   component, added if missing).
4. The wheel is built again with the same arguments and ``-Cprofile-use``,
   into DIR.

The instrumented wheel has to run here, so this is for a wheel of the
machine's own platform (``make build``; ``make dist`` and the release
pipeline for the x86_64 Linux wheel). Both builds keep the rustflags that
pyproject.toml's ``[tool.maturin] config`` gives cargo: a ``--config
build.rustflags=...`` on the command line replaces those, it does not add
to them, so they are read from there and passed again with the PGO flag.
PGO changes which code paths the compiler lays out and inlines first, never
what the code does; the wheel's tests run on the optimized build.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = ROOT / "target" / "python-pgo"


def log(msg: str) -> None:
    print(f"[pgo] {msg}", flush=True)


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    log("$ " + " ".join(cmd))
    return subprocess.run(cmd, check=True, **kw)


def pyproject_rustflags() -> list[str]:
    """``build.rustflags`` from pyproject.toml's ``[tool.maturin] config``."""
    config = tomllib.loads((HERE / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["maturin"].get("config", [])
    flags: list[str] = []
    for entry in config:
        flags += tomllib.loads(entry).get("build", {}).get("rustflags", [])
    return flags


def rustflags_config(flags: list[str]) -> list[str]:
    # A JSON array of strings is a TOML array of strings.
    return ["--config", "build.rustflags=" + json.dumps(flags)]


def llvm_profdata() -> Path:
    """rustup's llvm-profdata for this repository's toolchain (rust-toolchain.toml)."""
    sysroot = subprocess.run(["rustc", "--print", "sysroot"], cwd=HERE, check=True, capture_output=True, text=True).stdout.strip()
    host = next(
        line.split(":", 1)[1].strip()
        for line in subprocess.run(["rustc", "-vV"], cwd=HERE, check=True, capture_output=True, text=True).stdout.splitlines()
        if line.startswith("host:")
    )
    tool = Path(sysroot) / "lib" / "rustlib" / host / "bin" / ("llvm-profdata" + (".exe" if os.name == "nt" else ""))
    if not tool.exists():
        run(["rustup", "component", "add", "llvm-tools"], cwd=HERE)
    if not tool.exists():
        sys.exit(f"pgo: {tool} not found after `rustup component add llvm-tools`")
    return tool


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def instrumented_args(args: list[str]) -> list[str]:
    """``args`` without ``--zig`` and ``--compatibility``: the instrumented
    wheel only has to run here, so the machine's own linker links it (zig's
    refuses the profiler runtime's ``-u __llvm_profile_runtime``). The code
    compiled, and so the profile, is the same: the target triple, the cargo
    profile and the flags do not change."""
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--zig" or arg.startswith("--compatibility="):
            pass
        elif arg == "--compatibility":
            skip = True
        else:
            kept.append(arg)
    return kept


def build(maturin: str, out: Path, args: list[str], python: str) -> Path:
    """The PGO wheel for ``maturin build <args>``, written into ``out``."""
    base = pyproject_rustflags()
    profdata = llvm_profdata()
    shutil.rmtree(WORK, ignore_errors=True)
    raw, instrumented, venv = WORK / "profiles", WORK / "instrumented", WORK / "venv"
    raw.mkdir(parents=True)

    env = {**os.environ, "CARGO_TARGET_DIR": str(WORK.parent / "python-pgo-cargo")}
    run([maturin, "build", *instrumented_args(args), "--out", str(instrumented), *rustflags_config([*base, f"-Cprofile-generate={raw}"])],
        cwd=HERE, env=env)
    wheels = list(instrumented.glob("*.whl"))
    if len(wheels) != 1:
        sys.exit(f"pgo: expected one instrumented wheel, found {wheels}")

    # Build scripts compiled with the flag wrote profiles of their own.
    shutil.rmtree(raw)
    raw.mkdir()
    run([python, "-m", "venv", str(venv)])
    run([str(venv_python(venv)), "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet",
         "--no-deps", "--no-index", str(wheels[0])])
    run([str(venv_python(venv)), str(HERE / "bench" / "pgo_train.py")], cwd=WORK,
        env={**os.environ, "LLVM_PROFILE_FILE": str(raw / "%p-%m.profraw")})
    profiles = sorted(str(p) for p in raw.glob("*.profraw"))
    if not profiles:
        sys.exit("pgo: the training run wrote no profile")

    merged = WORK / "merged.profdata"
    run([str(profdata), "merge", "-o", str(merged), *profiles])
    # Named by content, so that cargo rebuilds when the profile changes (it
    # fingerprints the flags, not the file they name).
    digest = hashlib.sha256(merged.read_bytes()).hexdigest()[:16]
    use = WORK.parent / f"python-pgo-{digest}.profdata"
    for old in WORK.parent.glob("python-pgo-*.profdata"):
        old.unlink()
    shutil.copyfile(merged, use)

    out.mkdir(parents=True, exist_ok=True)
    before = set(out.glob("*.whl"))
    run([maturin, "build", *args, "--out", str(out), *rustflags_config([*base, f"-Cprofile-use={use}"])], cwd=HERE)
    made = sorted(set(out.glob("*.whl")) - before) or sorted(out.glob("*.whl"))
    log(f"built {made[-1].name} with PGO ({len(profiles)} profiles)")
    return made[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--maturin", required=True, help="the maturin executable")
    parser.add_argument("--out", required=True, type=Path, help="where the wheel goes")
    parser.add_argument("--python", default=sys.executable, help="the Python the training venv is made from")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="-- then maturin build's arguments (no --out)")
    ns = parser.parse_args()
    args = ns.args[1:] if ns.args[:1] == ["--"] else ns.args
    build(ns.maturin, ns.out.resolve(), args, ns.python)
    return 0


if __name__ == "__main__":
    sys.exit(main())
