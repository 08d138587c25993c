#!/usr/bin/env python3
"""Cross-built release artifacts into target/dist/ (`make dist`).

Every Linux, macOS and Windows artifact is linked by zig (cargo-zigbuild,
maturin --zig): Linux gnu against glibc 2.17, Linux musl, macOS without an
SDK, Windows through the GNU ABI (the Python module for Windows by Debian's
mingw-w64 instead, see python()). The tools come from PyPI into the venv
that the Makefile passes as --venv; Rust targets come from rustup.

  dist.py python  [--only NAME...]  abi3 wheels + sdist   -> target/dist/python/
  dist.py node    [--only NAME...]  napi-rs npm packages  -> target/dist/node/
  dist.py jvm     [--only NAME...]  one jar, 5 JNA folders -> target/dist/jvm/
  dist.py cli     [--only NAME...]  archives              -> target/dist/cli/
  dist.py go      [--only NAME...]  the C ABI's static library for the Go
                                    module (target/dist/go/, a tree laid out
                                    as bindings-go/) and the C ABI's archives
                                    (header + static + shared) -> target/dist/c/
The release pipeline's per-runner steps:
  dist.py jar-merge --natives DIR --out DIR     the jar from per-OS libraries
  dist.py cli-archive --target T --exe F --out DIR
  dist.py go-lib --target T --lib F --out DIR   one library into a bindings-go tree
  dist.py aar --jar DIR --jni DIR --out DIR     Android AAR (NDK libraries)
  dist.py maven-bundle --jar DIR --aar DIR --out ZIP   signed Central bundle

Each command builds one target at a time. A Rust target that rustup cannot
install is skipped with a message naming it (the run then fails at the end
unless --allow-skip is given), so a machine without the network still gets
what it can build.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "target"
DIST = TARGET / "dist"
STAGE = TARGET / "dist-stage"


@dataclass(frozen=True)
class Platform:
    name: str  # napi-rs platform name, also used for the CLI archives
    rust: str  # Rust target triple
    zig: str  # the triple as cargo-zigbuild takes it (glibc version suffix)
    wheel: str | None  # maturin --compatibility, or "" for non-Linux
    jna: str | None  # JNA resource folder
    node: bool  # napi-rs addon built here (Windows: MSVC, release pipeline)

    @property
    def dylib(self) -> tuple[str, str]:
        """(prefix, suffix) of a cdylib on this platform."""
        if "windows" in self.rust:
            return "", ".dll"
        if "apple" in self.rust:
            return "lib", ".dylib"
        return "lib", ".so"


PLATFORMS = [
    Platform("linux-x64-gnu", "x86_64-unknown-linux-gnu", "x86_64-unknown-linux-gnu.2.17", "manylinux2014", "linux-x86-64", True),
    Platform("linux-arm64-gnu", "aarch64-unknown-linux-gnu", "aarch64-unknown-linux-gnu.2.17", "manylinux2014", "linux-aarch64", True),
    Platform("linux-x64-musl", "x86_64-unknown-linux-musl", "x86_64-unknown-linux-musl", "musllinux_1_2", None, True),
    Platform("linux-arm64-musl", "aarch64-unknown-linux-musl", "aarch64-unknown-linux-musl", "musllinux_1_2", None, True),
    Platform("darwin-x64", "x86_64-apple-darwin", "x86_64-apple-darwin", "", "darwin-x86-64", True),
    Platform("darwin-arm64", "aarch64-apple-darwin", "aarch64-apple-darwin", "", "darwin-aarch64", True),
    Platform("win32-x64-gnu", "x86_64-pc-windows-gnu", "x86_64-pc-windows-gnu", "", "win32-x86-64", False),
]
BY_NAME = {p.name: p for p in PLATFORMS}
# The npm packages made here (napi-rs names them from these targets); the
# Windows (MSVC) and Android ones come from the release pipeline.
NAPI_TARGETS = [p.rust for p in PLATFORMS if p.node]


class Skip(Exception):
    pass


def log(msg: str) -> None:
    print(f"[dist] {msg}", flush=True)


def run(cmd: list[str], **kw) -> None:
    log("$ " + " ".join(str(c) for c in cmd))
    subprocess.run(cmd, check=True, **kw)


def nice(cmd: list[str]) -> list[str]:
    """CPU-heavy work only takes idle CPU (the machine is shared)."""
    return ["nice", "-n", "19", *cmd] if shutil.which("nice") else cmd


class Builder:
    def __init__(self, venv: Path, profile: str) -> None:
        self.venv = venv
        self.profile = profile
        self.skipped: list[str] = []
        self.failed: list[str] = []
        self._installed: set[str] | None = None
        bindir = str(venv / "bin")
        self.env = dict(os.environ)
        # cargo-zigbuild finds zig through the ziglang wheel's python-zig.
        self.env["PATH"] = bindir + os.pathsep + self.env.get("PATH", "")
        self.env["CARGO_TARGET_DIR"] = str(TARGET)

    def rust_target(self, triple: str) -> None:
        if self._installed is None:
            out = subprocess.run(["rustup", "target", "list", "--installed"],
                                 capture_output=True, text=True)
            self._installed = set(out.stdout.split()) if out.returncode == 0 else set()
        if triple in self._installed:
            return
        log(f"rustup target add {triple}")
        if subprocess.run(["rustup", "target", "add", triple]).returncode != 0:
            raise Skip(f"Rust target {triple} could not be installed (rustup unreachable?)")
        self._installed.add(triple)

    def out_dir(self, triple: str) -> Path:
        return TARGET / triple / self.profile

    def zigbuild(self, p: Platform, package: str, extra: list[str] | None = None,
                 env: dict[str, str] | None = None) -> Path:
        self.rust_target(p.rust)
        run(nice(["cargo", "zigbuild", "--locked", "--profile", self.profile, "-p", package,
                  "--target", p.zig, *(extra or [])]), cwd=ROOT, env={**self.env, **(env or {})})
        return self.out_dir(p.rust)

    def attempt(self, label: str, fn, *args) -> None:
        try:
            fn(*args)
        except Skip as e:
            log(f"SKIPPED {label}: {e}")
            self.skipped.append(f"{label}: {e}")
        except subprocess.CalledProcessError as e:
            # The other platforms still get built; the run fails at the end.
            log(f"FAILED {label}: {e}")
            self.failed.append(f"{label}: {e}")


# A cdylib for musl must link the C runtime dynamically (it is loaded into a
# musl process), which Rust's musl targets do not do by default.
def musl_cdylib_env(p: Platform) -> dict[str, str]:
    if "musl" not in p.rust:
        return {}
    var = "CARGO_TARGET_" + p.rust.upper().replace("-", "_") + "_RUSTFLAGS"
    return {var: "-C target-feature=-crt-static"}


# ------------------------------------------------------------------ Python
def python(b: Builder, only: list[str]) -> None:
    out = DIST / "python"
    out.mkdir(parents=True, exist_ok=True)
    maturin = str(b.venv / "bin" / "maturin")
    proj = ROOT / "bindings-python"
    jobs: list[tuple[str, list[str], list[str]]] = []
    for p in PLATFORMS:
        if p.wheel is None:
            continue
        compat = ["--compatibility", p.wheel] if p.wheel else []
        jobs.append((p.name, [p.rust], ["--target", p.rust, *compat]))
    # Both macOS architectures in one wheel.
    jobs.append(("darwin-universal2", ["x86_64-apple-darwin", "aarch64-apple-darwin"],
                 ["--target", "universal2-apple-darwin"]))

    def wheel(name: str, triples: list[str], args: list[str]) -> None:
        for t in triples:
            b.rust_target(t)
        linker = ["--zig"]
        env = b.env
        if "windows" in name or "win32" in name:
            # Zig's link of a Windows module exports PyInit_<dotted module
            # path> (maturin issue #3274), so Debian's mingw-w64 links this one;
            # maturin generates python3.dll's import library itself.
            gcc = "x86_64-w64-mingw32-gcc"
            if not shutil.which(gcc):
                raise Skip(f"{gcc} not found (Debian: gcc-mingw-w64-x86-64)")
            linker = []
            env = {**b.env, "CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER": gcc}
        run(nice([maturin, "build", "--locked", *linker, "--profile", b.profile, "--out", str(out), *args]),
            cwd=proj, env=env)

    for name, triples, args in jobs:
        if only and name not in only:
            continue
        b.attempt(f"wheel {name}", wheel, name, triples, args)
    if not only or "sdist" in only:
        run([maturin, "sdist", "--out", str(out)], cwd=proj, env=b.env)


# -------------------------------------------------------------------- Node
def node(b: Builder, only: list[str]) -> None:
    """The napi-rs layout: npm/<platform>/ packages filled by `napi artifacts`,
    each an optionalDependency of the main package, all packed as tarballs."""
    src = ROOT / "bindings-node"
    napi = src / "node_modules" / ".bin" / "napi"
    if not (src / "native.js").exists() or not napi.exists():
        sys.exit("dist.py node: run `make -C bindings-node build` first (napi's loader native.js)")
    stage = STAGE / "node"
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "artifacts").mkdir(parents=True)
    manifest = json.loads((src / "package.json").read_text())

    def main_files() -> None:
        for f in manifest["files"]:
            if not f.endswith(".node"):
                (stage / f).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src / f, stage / f)

    main_files()
    manifest["napi"]["targets"] = [p.rust for p in PLATFORMS if p.node and (not only or p.name in only)]
    manifest.pop("scripts", None)
    manifest.pop("devDependencies", None)
    manifest.pop("overrides", None)
    manifest["files"] = [f for f in manifest["files"] if not f.endswith(".node")]
    (stage / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    run([str(napi), "create-npm-dirs", "--cwd", str(stage), "--npm-dir", "npm"])

    binary = manifest["napi"]["binaryName"]

    def addon(p: Platform) -> None:
        outdir = b.zigbuild(p, "teamweb-identity-node", ["--lib"], env=musl_cdylib_env(p))
        prefix, suffix = p.dylib
        built = outdir / f"{prefix}teamweb_identity_node{suffix}"
        shutil.copy2(built, stage / "artifacts" / f"{binary}.{p.name}.node")

    for p in PLATFORMS:
        if p.node and (not only or p.name in only):
            b.attempt(f"node {p.name}", addon, p)
    run([str(napi), "artifacts", "--cwd", str(stage), "-o", "artifacts", "--npm-dir", "npm"])
    # napi's tools take the loader (native.js) out of the main package's
    # folder; put every file of the main package back.
    main_files()

    out = DIST / "node"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    optional = {}
    for pkg in sorted((stage / "npm").iterdir()):
        pj = json.loads((pkg / "package.json").read_text())
        if not any(f.suffix == ".node" for f in pkg.iterdir()):
            log(f"npm package {pj['name']}: no addon built here (release pipeline builds it)")
            continue
        optional[pj["name"]] = pj["version"]
        run(["npm", "pack", "--silent", "--pack-destination", str(out)], cwd=pkg)
    manifest["optionalDependencies"] = optional
    (stage / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    shutil.rmtree(stage / "artifacts")
    shutil.rmtree(stage / "npm")
    run(["npm", "pack", "--silent", "--pack-destination", str(out)], cwd=stage)


# --------------------------------------------------------------------- JVM
def jvm(b: Builder, only: list[str]) -> None:
    """The host-built jar (Kotlin classes), its native library replaced by
    the cross-built ones under the JNA resource folders of every platform."""
    natives = STAGE / "jvm-natives"
    shutil.rmtree(natives, ignore_errors=True)

    def lib(p: Platform) -> None:
        outdir = b.zigbuild(p, "teamweb-identity-uniffi", ["--lib"])
        prefix, suffix = p.dylib
        (natives / p.jna).mkdir(parents=True, exist_ok=True)
        shutil.copy2(outdir / f"{prefix}teamweb_identity_uniffi{suffix}",
                     natives / p.jna / f"{prefix}teamweb_identity_uniffi{suffix}")

    for p in PLATFORMS:
        if p.jna and (not only or p.name in only):
            b.attempt(f"jvm {p.jna}", lib, p)
    merge_jar(natives, DIST / "jvm")


def merge_jar(natives: Path, out: Path) -> None:
    built = sorted((TARGET / "kotlin-jvm").glob("teamweb-identity-*.jar"))
    built = [j for j in built if not j.name.endswith(("-sources.jar", "-javadoc.jar"))]
    if len(built) != 1:
        sys.exit(f"dist.py jvm: expected one jar in target/kotlin-jvm (run make -C bindings-kotlin build), found {built}")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    dest = out / built[0].name
    with zipfile.ZipFile(built[0]) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            # The host build's own library (this machine's glibc) is dropped.
            if item.filename.endswith((".so", ".dylib", ".dll")):
                continue
            dst.writestr(item, src.read(item.filename))
        for lib in sorted(natives.rglob("*")):
            if lib.is_file():
                dst.write(lib, lib.relative_to(natives).as_posix())
    shutil.copy2(ROOT / "bindings-kotlin" / "pom.xml", out / "pom.xml")
    log(f"jar: {dest}")


# --------------------------------------------------------------------- CLI
def cli(b: Builder, only: list[str]) -> None:
    out = DIST / "cli"
    out.mkdir(parents=True, exist_ok=True)
    version = workspace_version()

    def archive(p: Platform) -> None:
        outdir = b.zigbuild(p, "teamweb-identity-cli")
        exe = "teamweb-identity.exe" if "windows" in p.rust else "teamweb-identity"
        write_cli_archive(outdir / exe, p.rust, version, out)

    for p in PLATFORMS:
        if not only or p.name in only:
            b.attempt(f"cli {p.name}", archive, p)


def write_cli_archive(exe: Path, triple: str, version: str, out: Path) -> Path:
    base = f"teamweb-identity-{version}-{triple}"
    docs = [ROOT / "README.md"]
    if exe.suffix == ".exe":
        dest = out / f"{base}.zip"
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(exe, f"{base}/{exe.name}")
            for d in docs:
                z.write(d, f"{base}/{d.name}")
    else:
        dest = out / f"{base}.tar.gz"
        with tarfile.open(dest, "w:gz") as t:
            t.add(exe, f"{base}/{exe.name}")
            for d in docs:
                t.add(d, f"{base}/{d.name}")
    log(f"cli: {dest}")
    return dest


# ---------------------------------------------------------- C ABI and Go
# The Go module (bindings-go/identity/capi.go) links, per GOOS/GOARCH, the
# static library at identity/lib/<goos>_<goarch>/libteamweb_identity.a
# (#cgo LDFLAGS lines); the header it includes is identity/include/.
GO_DIRS = {
    "x86_64-unknown-linux-gnu": "linux_amd64",
    "aarch64-unknown-linux-gnu": "linux_arm64",
    "x86_64-apple-darwin": "darwin_amd64",
    "aarch64-apple-darwin": "darwin_arm64",
    "x86_64-pc-windows-gnu": "windows_amd64",
}
C_HEADER = ROOT / "bindings-c" / "teamweb_identity.h"
GO_LIB = "libteamweb_identity.a"


def ar_members(path: Path) -> list[tuple[str, bytes]]:
    """The members of an `ar` archive (GNU/System V or BSD format), in
    order and with duplicate names kept (Rust's std for windows-gnu brings
    four members named bcryptprimitives.dll), without the symbol table and
    GNU's long-name table."""
    data = path.read_bytes()
    if not data.startswith(b"!<arch>\n"):
        raise ValueError(f"{path}: not an ar archive")
    pos, longnames, members = 8, b"", []
    while pos < len(data):
        if data[pos:pos + 1] == b"\n":  # the padding byte after an odd-sized member
            pos += 1
            continue
        header = data[pos:pos + 60]
        if len(header) < 60 or header[58:60] != b"`\n":
            raise ValueError(f"{path}: no member header at offset {pos}")
        name = header[:16].decode("ascii").rstrip(" ")
        size = int(header[48:58].decode("ascii"))
        body = data[pos + 60:pos + 60 + size]
        if len(body) != size:
            raise ValueError(f"{path}: member at offset {pos} is cut short")
        pos += 60 + size + (size & 1)
        if name in ("/", "/SYM64/"):  # GNU symbol table
            continue
        if name == "//":  # GNU long names: "name/\n" each
            longnames = body
            continue
        if name.startswith("#1/"):  # BSD: the name leads the body
            n = int(name[3:])
            name, body = body[:n].rstrip(b"\0").decode(), body[n:]
            if name.startswith("__.SYMDEF"):
                continue
        elif name.startswith("/") and name[1:].isdigit():
            off = int(name[1:])
            name = longnames[off:longnames.index(b"\n", off)].decode().rstrip("/")
        else:
            name = name.rstrip("/")
        members.append((name, body))
    return members


def coff_short_import_machine(member: bytes) -> int | None:
    """The Machine field of a COFF short import member (an
    IMPORT_OBJECT_HEADER: Sig1 0, Sig2 0xFFFF, Version 0, then Machine; one
    imported function of one DLL, no sections), or None for any other
    member. Bigobj COFF files also open with 0, 0xFFFF but have Version 2."""
    if len(member) >= 20 and member[:6] == b"\0\0\xff\xff\0\0":
        return int.from_bytes(member[6:8], "little")
    return None


def strip_debug(src: Path, dest: Path) -> None:
    """The archive without debug sections (most of its size; no Go binary
    keeps them), as `make -C bindings-go build` does for the host. LLVM's
    strip reads every object format built here (ELF, Mach-O, COFF), but not
    a COFF short import member: the windows-gnu archive has one
    (bcryptprimitives.dll's ProcessPrng, from std's raw-dylib imports), so
    there the objects are stripped in an archive of their own and the import
    members, which have no debug information to drop, are appended as they
    are; llvm-ar then indexes both in the symbol table."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tool = shutil.which("llvm-strip")
    if tool is None:
        raise Skip("llvm-strip not found (Debian: llvm)")
    ar = shutil.which("llvm-ar")
    if ar is None:
        raise Skip("llvm-ar not found (Debian: llvm)")
    # Rust's std for windows-gnu carries split-DWARF members (*.dwo), which
    # are nothing once stripped: they leave the archive.
    members = [(n, d) for n, d in ar_members(src) if not n.endswith(".dwo")]
    imports = [(n, d) for n, d in members if coff_short_import_machine(d) is not None]
    if not imports:
        run([tool, "--strip-debug", "-o", str(dest), str(src)])
        dwo = sorted({n for n, _ in ar_members(dest) if n.endswith(".dwo")})
        if dwo:
            subprocess.run([ar, "d", str(dest), *dwo], check=True)
        return
    objects = [(n, d) for n, d in members if coff_short_import_machine(d) is None]
    with tempfile.TemporaryDirectory(prefix="strip-", dir=TARGET) as tmp:
        def files(group: list[tuple[str, bytes]], tag: str) -> list[str]:
            paths = []
            for i, (name, data) in enumerate(group):
                # One directory per member: names repeat, llvm-ar names a
                # member after its file.
                f = Path(tmp) / f"{tag}{i}" / name
                f.parent.mkdir()
                f.write_bytes(data)
                paths.append(str(f))
            return paths
        stripped = Path(tmp) / "stripped.a"
        log(f"$ {ar} qc --format=gnu {stripped} <the {len(objects)} objects of {src.name}>")
        subprocess.run([ar, "qc", "--format=gnu", str(stripped), *files(objects, "o")], check=True)
        run([tool, "--strip-debug", str(stripped)])
        log(f"{len(imports)} COFF short import member(s) kept as they are: {sorted({n for n, _ in imports})}")
        run([ar, "qs", "--format=gnu", str(stripped), *files(imports, "i")])
        shutil.move(stripped, dest)


def go_lib(triple: str, lib: Path, out: Path) -> Path:
    """One platform's static library placed into a tree laid out as
    bindings-go/ (out/identity/lib/<goos>_<goarch>/), with the header."""
    dest = out / "identity" / "lib" / GO_DIRS[triple] / GO_LIB
    strip_debug(lib, dest)
    (out / "identity" / "include").mkdir(parents=True, exist_ok=True)
    shutil.copy2(C_HEADER, out / "identity" / "include" / C_HEADER.name)
    log(f"go: {dest}")
    return dest


def go(b: Builder, only: list[str]) -> None:
    out_go = DIST / "go"
    out_c = DIST / "c"
    out_c.mkdir(parents=True, exist_ok=True)
    version = workspace_version()

    def build(p: Platform) -> None:
        outdir = b.zigbuild(p, "teamweb-identity-c", ["--lib"])
        static = go_lib(p.rust, outdir / GO_LIB, out_go)
        write_c_archive(p, outdir, static, version, out_c)

    for p in PLATFORMS:
        if p.rust in GO_DIRS and (not only or p.name in only):
            b.attempt(f"go/c {p.name}", build, p)


def write_c_archive(p: Platform, outdir: Path, static: Path, version: str, out: Path) -> Path:
    """teamweb-identity-c-<version>-<triple>: include/teamweb_identity.h,
    lib/ with the static library (as stripped for Go) and the shared one
    (Windows: the DLL and its import library), the C ABI's README."""
    base = f"teamweb-identity-c-{version}-{p.rust}"
    prefix, suffix = p.dylib
    files = [(C_HEADER, f"{base}/include/{C_HEADER.name}"),
             (static, f"{base}/lib/{GO_LIB}"),
             (outdir / f"{prefix}teamweb_identity{suffix}", f"{base}/lib/{prefix}teamweb_identity{suffix}"),
             (ROOT / "bindings-c" / "README.md", f"{base}/README.md")]
    if "windows" in p.rust:
        files.append((outdir / "libteamweb_identity.dll.a", f"{base}/lib/libteamweb_identity.dll.a"))
        dest = out / f"{base}.zip"
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
            for src, name in files:
                z.write(src, name)
    else:
        dest = out / f"{base}.tar.gz"
        with tarfile.open(dest, "w:gz") as t:
            for src, name in files:
                t.add(src, name)
    log(f"c: {dest}")
    return dest


def workspace_version() -> str:
    import tomllib
    return tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["package"]["version"]


# ----------------------------------------------------------- Android (AAR)
def aar(jar_dir: Path, jni: Path, out: Path) -> None:
    """An Android library: the jar's classes (without desktop libraries) as
    classes.jar, the NDK-built libraries under jni/<abi>/, a manifest."""
    jars = [j for j in jar_dir.glob("teamweb-identity-*.jar")
            if not j.name.endswith(("-sources.jar", "-javadoc.jar"))]
    if len(jars) != 1:
        sys.exit(f"dist.py aar: expected one jar in {jar_dir}")
    out.mkdir(parents=True, exist_ok=True)
    dest = out / jars[0].name.replace(".jar", ".aar")
    manifest = ('<?xml version="1.0" encoding="utf-8"?>\n'
                '<manifest xmlns:android="http://schemas.android.com/apk/res/android"\n'
                '    package="ai.teamweb.identity">\n'
                '    <uses-sdk android:minSdkVersion="24" />\n'
                '</manifest>\n')
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("AndroidManifest.xml", manifest)
        with zipfile.ZipFile(jars[0]) as src:
            classes = STAGE / "classes.jar"
            classes.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(classes, "w", zipfile.ZIP_DEFLATED) as cz:
                for item in src.infolist():
                    if not item.filename.endswith((".so", ".dylib", ".dll")):
                        cz.writestr(item, src.read(item.filename))
        z.write(classes, "classes.jar")
        for lib in sorted(jni.rglob("*.so")):
            z.write(lib, "jni/" + lib.relative_to(jni).as_posix())
    log(f"aar: {dest}")


# ------------------------------------------------- Maven Central (bundle)
def maven_bundle(jar_dir: Path, aar_dir: Path | None, out: Path) -> None:
    """The Central Portal's upload bundle: the jar, its pom, a sources jar,
    a javadoc jar and the AAR under ai/teamweb/teamweb-identity/<version>/, each with an
    ASCII-armoured GPG signature (gpg must hold the signing key) and
    MD5/SHA-1 checksums."""
    import hashlib
    version = workspace_version()
    base = f"ai/teamweb/teamweb-identity/{version}"
    stem = f"teamweb-identity-{version}"
    staged = STAGE / "maven" / base
    shutil.rmtree(STAGE / "maven", ignore_errors=True)
    staged.mkdir(parents=True)
    shutil.copy2(jar_dir / f"{stem}.jar", staged / f"{stem}.jar")
    shutil.copy2(jar_dir / "pom.xml", staged / f"{stem}.pom")
    with zipfile.ZipFile(staged / f"{stem}-sources.jar", "w", zipfile.ZIP_DEFLATED) as z:
        for src_root in [ROOT / "bindings-kotlin/src/main/kotlin",
                         TARGET / "kotlin-jvm/generated-sources/uniffi"]:
            for f in sorted(src_root.rglob("*.kt")):
                z.write(f, f.relative_to(src_root).as_posix())
    # Central requires a javadoc jar. The API is Kotlin with KDoc and no
    # Dokka run in the build, so this one carries the package's README (its
    # API reference and quickstarts), which Central accepts in its place.
    with zipfile.ZipFile(staged / f"{stem}-javadoc.jar", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(ROOT / "bindings-kotlin/README.md", "README.md")
    if aar_dir is not None:
        for a in aar_dir.glob("*.aar"):
            shutil.copy2(a, staged / a.name)
    for f in sorted(staged.iterdir()):
        run(["gpg", "--batch", "--yes", "--pinentry-mode", "loopback",
             "--passphrase-fd", "0", "--armor", "--detach-sign", str(f)],
            input=os.environ.get("GPG_PASSPHRASE", "").encode())
        data = f.read_bytes()
        f.with_name(f.name + ".md5").write_text(hashlib.md5(data).hexdigest())
        f.with_name(f.name + ".sha1").write_text(hashlib.sha1(data).hexdigest())
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted((STAGE / "maven").rglob("*")):
            if f.is_file():
                z.write(f, f.relative_to(STAGE / "maven").as_posix())
    log(f"maven bundle: {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["python", "node", "jvm", "cli", "aar", "jar-merge",
                                     "cli-archive", "maven-bundle", "go", "go-lib"])
    ap.add_argument("--venv", type=Path, default=TARGET / "dist-venv")
    ap.add_argument("--profile", default="release-dist")
    ap.add_argument("--only", nargs="*", default=[], help="platform names (see PLATFORMS)")
    ap.add_argument("--allow-skip", action="store_true")
    ap.add_argument("--jar", type=Path)
    ap.add_argument("--jni", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--natives", type=Path)
    ap.add_argument("--aar", type=Path)
    ap.add_argument("--target", help="Rust target triple (cli-archive)")
    ap.add_argument("--exe", type=Path, help="the built binary (cli-archive)")
    ap.add_argument("--lib", type=Path, help="the built static library (go-lib)")
    a = ap.parse_args()
    # The release pipeline's steps (one platform per runner):
    if a.what == "aar":
        return aar(a.jar, a.jni, a.out)
    if a.what == "jar-merge":
        return merge_jar(a.natives, a.out)
    if a.what == "cli-archive":
        a.out.mkdir(parents=True, exist_ok=True)
        write_cli_archive(a.exe, a.target, workspace_version(), a.out)
        return
    if a.what == "maven-bundle":
        return maven_bundle(a.jar, a.aar, a.out)
    if a.what == "go-lib":
        go_lib(a.target, a.lib, a.out)
        return
    b = Builder(a.venv, a.profile)
    {"python": python, "node": node, "jvm": jvm, "cli": cli, "go": go}[a.what](b, a.only)
    if b.skipped:
        log("skipped:\n  " + "\n  ".join(b.skipped))
    if b.failed:
        log("FAILED:\n  " + "\n  ".join(b.failed))
    if b.failed or (b.skipped and not a.allow_skip):
        sys.exit(1)


if __name__ == "__main__":
    main()
