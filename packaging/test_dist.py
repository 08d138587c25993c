#!/usr/bin/env python3
"""`make test-dist`: what can be proved here about target/dist/.

Static checks, for every artifact `make dist` writes:
  - it exists (the full list below);
  - its binary is what its name says (`file`: ELF x86-64/aarch64, Mach-O
    x86_64/arm64/universal, PE32+ x86-64);
  - a wheel's tags, read from its own WHEEL metadata, match its file name
    and the platform it was built for;
  - every Linux gnu binary needs at most GLIBC_2.17 (readelf -V); every
    musl one links musl's libc.so, and musl's own loader resolves all of an
    x86_64 musl library's symbols but those the host process provides;
  - each library exports what its loader looks up (PyInit__native, napi's
    napi_register_module_v1, uniffi's contract-version function);
  - the Go module's static libraries (target/dist/go/identity/lib/<goos>_<goarch>/,
    where bindings-go/identity/capi.go's #cgo lines look): `ar` archives
    whose every object is of the platform's format and architecture (the
    Windows one also holds a COFF short import member for x86-64, indexed
    by its symbol table), that
    define every tw_ function the header declares; the header beside them
    is bindings-c's; the C archives (target/dist/c/) hold header, static and
    shared library.
Runs:
  - the manylinux2014 x86_64 wheel in a fresh venv with the pytest suite;
  - the sdist pip-installed (built from source) into a fresh venv, pytest;
  - the x86_64 gnu and musl-free parts: the main npm package with its
    linux-x64-gnu package installed from the tarballs, node --test;
  - aarch64 under qemu-user, in a debootstrapped Debian arm64 root
    (packaging/arm64-root.sh): the core's cargo test (cargo's runner set to
    qemu), the aarch64 wheel with pytest in the root's python3, and the
    linux-arm64-gnu addon with node --test in the root's nodejs;
  - Go: the package's `go test` with the dist tree's linux/amd64 library in
    a copy of bindings-go/ (no cargo build of the host library), a program
    built with zig cc against glibc 2.17 (needs at most GLIBC_2.17, runs);
    the linux/arm64 library: the test binary cross-built with
    GOARCH=arm64 CC="zig cc -target aarch64-linux-gnu.2.17", run under
    qemu-aarch64 -L the arm64 root; the windows/amd64 library: the test
    binary linked by zig cc for x86_64-windows-gnu (a PE32+ executable
    importing ProcessPrng from bcryptprimitives.dll; not run).

  test_dist.py [--static-only] [--skip RUN ...] [--only PLATFORM ...] [--package PKG ...]
Prints one line per check and closes with 'N passed, N failed'.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import traceback
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dist  # noqa: E402  (the platform table and paths)

ROOT = dist.ROOT
TARGET = dist.TARGET
DIST = dist.DIST
ARM64_ROOT = TARGET / "arm64-root"
# qemu-user names it qemu-aarch64; qemu-user-static (what `make test-dist`
# installs) names it qemu-aarch64-static.
QEMU_AARCH64 = shutil.which("qemu-aarch64") or "qemu-aarch64-static"
VERSION = dist.workspace_version()
NORM = VERSION.replace("-", "_")

# What `file` says of each platform's binaries.
FILE_RE = {
    "x86_64-unknown-linux-gnu": r"ELF 64-bit LSB .*x86-64",
    "aarch64-unknown-linux-gnu": r"ELF 64-bit LSB .*ARM aarch64",
    "x86_64-unknown-linux-musl": r"ELF 64-bit LSB .*x86-64",
    "aarch64-unknown-linux-musl": r"ELF 64-bit LSB .*ARM aarch64",
    "x86_64-apple-darwin": r"Mach-O 64-bit .*x86_64",
    "aarch64-apple-darwin": r"Mach-O 64-bit .*arm64",
    "universal2-apple-darwin": r"Mach-O universal binary with 2 architectures: \[x86_64:.*x86_64.*arm64:.*arm64",
    "x86_64-pc-windows-gnu": r"PE32\+ executable .*x86-64",
}
# What `file` says of an object inside a static library.
OBJECT_RE = {
    "x86_64-unknown-linux-gnu": r"^ELF 64-bit LSB relocatable, x86-64",
    "aarch64-unknown-linux-gnu": r"^ELF 64-bit LSB relocatable, ARM aarch64",
    "x86_64-apple-darwin": r"^Mach-O 64-bit x86_64 object",
    "aarch64-apple-darwin": r"^Mach-O 64-bit arm64 object",
    "x86_64-pc-windows-gnu": r"^Intel amd64 COFF object file",
}
# What llvm-objdump says of each member's format.
OBJDUMP_FORMAT = {
    "x86_64-unknown-linux-gnu": "elf64-x86-64",
    "aarch64-unknown-linux-gnu": "elf64-littleaarch64",
    "x86_64-apple-darwin": "mach-o 64-bit x86-64",
    "aarch64-apple-darwin": "mach-o arm64",
    "x86_64-pc-windows-gnu": "coff-x86-64",
}
GO_DIST = DIST / "go"
C_HEADER = ROOT / "bindings-c" / "teamweb_identity.h"
WHEEL_PLATFORM = {
    "linux-x64-gnu": ("manylinux_2_17_x86_64", "x86_64-unknown-linux-gnu"),
    "linux-arm64-gnu": ("manylinux_2_17_aarch64", "aarch64-unknown-linux-gnu"),
    "linux-x64-musl": ("musllinux_1_2_x86_64", "x86_64-unknown-linux-musl"),
    "linux-arm64-musl": ("musllinux_1_2_aarch64", "aarch64-unknown-linux-musl"),
    # Rust's default deployment targets: 10.12 (Intel), 11.0 (Apple silicon).
    "darwin-x64": ("macosx_10_12_x86_64", "x86_64-apple-darwin"),
    "darwin-arm64": ("macosx_11_0_arm64", "aarch64-apple-darwin"),
    "darwin-universal2": ("macosx_10_12_universal2", "universal2-apple-darwin"),
    "win32-x64-gnu": ("win_amd64", "x86_64-pc-windows-gnu"),
}

results: list[tuple[str, bool, str]] = []


def check(name: str):
    def deco(fn):
        def run(*a, **kw):
            try:
                fn(*a, **kw)
                results.append((name, True, ""))
                print(f"PASS {name}", flush=True)
            except Exception as e:  # noqa: BLE001 - every failure is reported
                detail = f"{type(e).__name__}: {e}"
                results.append((name, False, detail))
                print(f"FAIL {name}: {detail}", flush=True)
                if os.environ.get("TEST_DIST_TRACE"):
                    traceback.print_exc()
        return run
    return deco


def sh(cmd: list[str], **kw) -> str:
    kw.setdefault("text", True)
    if kw.pop("merge_stderr", False):
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)
        p.stderr = ""
    else:
        p = subprocess.run(cmd, capture_output=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {p.returncode}:\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p.stdout


def file_type(path: Path) -> str:
    return sh(["file", "-b", str(path)]).strip()


def assert_format(path: Path, triple: str) -> None:
    desc = file_type(path)
    if not re.search(FILE_RE[triple], desc, re.S):
        raise AssertionError(f"{path.name}: `file` says {desc!r}, expected {FILE_RE[triple]!r}")


def max_glibc(path: Path) -> tuple[int, int]:
    out = sh(["readelf", "-V", "-W", str(path)])
    versions = [tuple(map(int, m)) for m in re.findall(r"GLIBC_(\d+)\.(\d+)", out)]
    return max(versions) if versions else (0, 0)


def assert_glibc(path: Path) -> None:
    v = max_glibc(path)
    if v > (2, 17):
        raise AssertionError(f"{path.name} needs GLIBC_{v[0]}.{v[1]} (at most 2.17 allowed)")


def assert_musl(path: Path) -> None:
    """A musl library links musl's libc.so dynamically and no glibc symbol."""
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", sh(["readelf", "-d", "-W", str(path)]))
    if "libc.so" not in needed or any(n.startswith("libc.so.6") for n in needed):
        raise AssertionError(f"{path.name} needs {needed}, expected musl's libc.so")
    if max_glibc(path) != (0, 0):
        raise AssertionError(f"{path.name} carries glibc symbol versions")


MUSL_LD = Path("/lib/ld-musl-x86_64.so.1")


def assert_musl_loads(path: Path, host_prefixes: tuple[str, ...]) -> None:
    """musl's own dynamic loader (Debian's musl package) loads the x86_64
    library: every symbol resolves against musl's libc except those the host
    process (python, node) provides."""
    p = subprocess.run([str(MUSL_LD), "--list", str(path)], capture_output=True, text=True)
    missing = re.findall(r"Error relocating [^:]+: (\S+): symbol not found", p.stdout + p.stderr)
    foreign = sorted({m for m in missing if not m.startswith(host_prefixes)})
    if foreign:
        raise AssertionError(f"{path.name}: musl cannot resolve {foreign[:10]}")
    if "libc.so => " not in p.stdout + p.stderr:
        raise AssertionError(f"{path.name}: musl's loader did not map libc.so: {p.stdout}{p.stderr}")


def exported(path: Path) -> set[str]:
    """Names the library exports: ELF dynamic symbols, Mach-O external
    symbols (leading underscore dropped), a PE DLL's export table."""
    kind = file_type(path)
    if kind.startswith("PE32"):
        out = sh(["llvm-readobj", "--coff-exports", str(path)])
        return set(re.findall(r"(?m)^\s*Name: (\S+)$", out))
    flags = ["--dynamic"] if kind.startswith("ELF") else []
    out = sh(["llvm-nm", "--extern-only", "--defined-only", *flags, str(path)])
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            name = parts[-1]
            names.add(name[1:] if "Mach-O" in kind and name.startswith("_") else name)
    return names


def assert_exports(path: Path, wanted: str) -> None:
    names = exported(path)
    if not any(n == wanted or n.startswith(wanted) for n in names):
        raise AssertionError(f"{path.name} does not export {wanted} ({len(names)} symbols)")


def extract(member_suffix: str, archive: Path, into: Path) -> Path:
    """The one member of a zip/tar archive whose name ends with member_suffix."""
    into.mkdir(parents=True, exist_ok=True)
    if archive.suffix in (".whl", ".zip", ".jar"):
        with zipfile.ZipFile(archive) as z:
            names = [n for n in z.namelist() if n.endswith(member_suffix)]
            assert len(names) == 1, f"{archive.name}: {names} end with {member_suffix}"
            return Path(z.extract(names[0], into))
    with tarfile.open(archive) as t:
        names = [m for m in t.getmembers() if m.name.endswith(member_suffix)]
        assert len(names) == 1, f"{archive.name}: {[m.name for m in names]} end with {member_suffix}"
        t.extract(names[0], into, filter="data")
        return into / names[0].name


# ------------------------------------------------------------------ static
PACKAGES = ["python", "node", "jvm", "cli", "go"]
packages = set(PACKAGES)  # --package: which packages' artifacts are checked


def static_checks(tmp: Path, only: list[str]) -> None:
    """Every artifact of the full `make dist`, or (--only) of those platforms."""
    py = DIST / "python"
    if "python" in packages:
        for name, (tag, triple) in WHEEL_PLATFORM.items():
            if not only or name in only:
                wheel_check(name, tag, triple, py, tmp)

        @check("python sdist present, with the Rust sources")
        def sdist() -> None:
            s = py / f"teamweb_identity-{VERSION}.tar.gz"
            with tarfile.open(s) as t:
                names = t.getnames()
            for needed in ("core/src/lib.rs", "bindings-python/src", "pyproject.toml", "Cargo.lock"):
                assert any(needed in n for n in names), f"{s.name} lacks {needed}"
        sdist()

    for p in dist.PLATFORMS:
        if only and p.name not in only:
            continue
        if p.node and "node" in packages:
            node_check(p, tmp)
        if "cli" in packages:
            cli_check(p, tmp)
    if not only and "jvm" in packages:
        jar_check(tmp)
    if "node" in packages:
        node_main_check(tmp, only)
    if "go" in packages:
        for p in dist.PLATFORMS:
            if p.rust in dist.GO_DIRS and (not only or p.name in only):
                go_lib_check(p, tmp)
                c_archive_check(p, tmp)
        go_header_check()


def wheel_check(name: str, tag: str, triple: str, py: Path, tmp: Path) -> None:
    libc = ", glibc <= 2.17" if "linux-gnu" in triple else ", musl libc.so" if "musl" in triple else ""
    @check(f"wheel {name}: tags, format{libc}, PyInit")
    def run() -> None:
        wheels = sorted(py.glob(f"teamweb_identity-{NORM}-cp310-abi3-*.whl"))
        mine = [w for w in wheels if w.name.endswith(f"{tag}.whl") or f".{tag}." in w.name or f"{tag}." in w.name.split("-")[-1]]
        assert mine, f"no wheel for {tag} among {[w.name for w in wheels]}"
        w = mine[0]
        with zipfile.ZipFile(w) as z:
            meta = z.read(f"teamweb_identity-{VERSION}.dist-info/WHEEL").decode()
        tags = set(re.findall(r"(?m)^Tag: (\S+)$", meta))
        file_tags = {f"cp310-abi3-{plat}" for plat in w.name[:-4].split("-")[-1].split(".")}
        assert tags == file_tags, f"{w.name}: WHEEL says {tags}, the name says {file_tags}"
        assert any(t.endswith(tag) for t in tags), f"{w.name}: no {tag} tag in {tags}"
        suffix = ".pyd" if "windows" in triple else ".so"
        lib = extract(suffix, w, tmp / w.name)
        assert_format(lib, triple)
        if "linux-gnu" in triple:
            assert_glibc(lib)
        if "musl" in triple:
            assert_musl(lib)
            if triple.startswith("x86_64"):
                assert_musl_loads(lib, ("Py", "_Py"))
        assert_exports(lib, "PyInit__native")
    run()


def node_check(p, tmp: Path) -> None:
    libc = ", glibc <= 2.17" if "linux-gnu" in p.rust else ", musl libc.so" if "musl" in p.rust else ""
    @check(f"npm teamweb-identity-{p.name}: format{libc}, napi entry point")
    def run() -> None:
        tgz = DIST / "node" / f"teamweb-identity-{p.name}-{VERSION}.tgz"
        lib = extract(f"teamweb-identity.{p.name}.node", tgz, tmp / tgz.name)
        assert_format(lib, p.rust)
        if "linux-gnu" in p.rust:
            assert_glibc(lib)
        if "musl" in p.rust:
            assert_musl(lib)
            if p.rust.startswith("x86_64"):
                assert_musl_loads(lib, ("napi_",))
        assert_exports(lib, "napi_register_module_v1")
        with tarfile.open(tgz) as t:
            pj = t.extractfile("package/package.json").read().decode()
        assert '"os"' in pj and '"cpu"' in pj, f"{tgz.name}: package.json has no os/cpu fields"
    run()


def node_main_check(tmp: Path, only: list[str]) -> None:
    @check("npm teamweb-identity: optionalDependencies name every platform package, no .node inside, the WebAssembly build (<= 400 KB)")
    def run() -> None:
        import json
        tgz = DIST / "node" / f"teamweb-identity-{VERSION}.tgz"
        with tarfile.open(tgz) as t:
            names = t.getnames()
            pj = json.loads(t.extractfile("package/package.json").read())
        assert not [n for n in names if n.endswith(".node")], f"{tgz.name} carries an addon"
        assert "package/native.js" in names, "napi's loader native.js is missing"
        for build in ("web", "node"):
            for f in ("teamweb_identity.js", "teamweb_identity_bg.wasm"):
                assert f"package/wasm/{build}/{f}" in names, f"the WebAssembly build's wasm/{build}/{f} is missing"
        with tarfile.open(tgz) as t:
            wasm = t.getmember("package/wasm/web/teamweb_identity_bg.wasm")
            assert wasm.size <= 400 * 1024, f"the WebAssembly module is {wasm.size} bytes"
            assert t.extractfile(wasm).read(4) == b"\0asm", "wasm/web/teamweb_identity_bg.wasm is not WebAssembly"
        want = {f"teamweb-identity-{p.name}" for p in dist.PLATFORMS if p.node and (not only or p.name in only)}
        have = set(pj.get("optionalDependencies", {}))
        assert want <= have, f"optionalDependencies lack {want - have}"
    run()


def jar_check(tmp: Path) -> None:
    @check("jar: the five JNA folders, each library's format, glibc, uniffi entry point")
    def run() -> None:
        jars = [j for j in (DIST / "jvm").glob(f"teamweb-identity-{VERSION}*.jar")]
        assert len(jars) == 1, f"expected one jar, found {jars}"
        with zipfile.ZipFile(jars[0]) as z:
            libs = [n for n in z.namelist() if n.endswith((".so", ".dylib", ".dll"))]
        for p in dist.PLATFORMS:
            if not p.jna:
                continue
            pre, suf = p.dylib
            want = f"{p.jna}/{pre}teamweb_identity_uniffi{suf}"
            assert want in libs, f"{jars[0].name} lacks {want} (has {libs})"
            lib = extract(want, jars[0], tmp / f"jar-{p.jna}")
            assert_format(lib, p.rust)
            if "linux-gnu" in p.rust:
                assert_glibc(lib)
            assert_exports(lib, "ffi_teamweb_identity_uniffi_uniffi_contract_version")
        extra = [lib for lib in libs if lib.split("/")[0] not in {p.jna for p in dist.PLATFORMS if p.jna}]
        assert not extra, f"unexpected libraries {extra}"
    run()


def cli_check(p, tmp: Path) -> None:
    @check(f"cli {p.rust}: format{', glibc' if 'gnu' in p.rust and 'linux' in p.rust else ''}")
    def run() -> None:
        ext = ".zip" if "windows" in p.rust else ".tar.gz"
        arc = DIST / "cli" / f"teamweb-identity-{VERSION}-{p.rust}{ext}"
        exe = extract("teamweb-identity.exe" if "windows" in p.rust else "/teamweb-identity", arc, tmp / arc.name)
        assert_format(exe, p.rust)
        if "linux-gnu" in p.rust:
            assert_glibc(exe)
        if p.rust == "x86_64-unknown-linux-gnu" or p.rust == "x86_64-unknown-linux-musl":
            sh([str(exe), "--help"])
        elif p.rust.startswith("aarch64-unknown-linux") and ARM64_ROOT.exists():
            sh([QEMU_AARCH64, "-L", str(ARM64_ROOT), str(exe), "--help"])
    run()


# ----------------------------------------------------------- Go and C ABI
def header_functions() -> set[str]:
    """Every function the C header declares (the testing ones included:
    the libraries are built with the default `testing` feature)."""
    names = set(re.findall(r"\b(tw_[a-z0-9_]+)\(", C_HEADER.read_text()))
    assert len(names) >= 10, f"only {sorted(names)} found in {C_HEADER.name}"
    return names


def archive_defines(lib: Path, macho: bool) -> set[str]:
    """External symbols some member of a static library defines, from
    llvm-objdump's symbol tables (Debian's llvm-nm is older than the Rust
    toolchain's LLVM and refuses members that embed newer bitcode)."""
    out = sh(["llvm-objdump", "--syms", str(lib)])
    names = set()
    for line in out.splitlines():
        # COFF: [n](sec  1)(fl 0x00)(ty  20)(scl   2) (nx 0) 0x... name
        m = re.match(r"^\[\s*\d+\]\(sec\s+(-?\d+)\).*\(scl\s+2\)\s+\(nx\s+\d+\)\s+0x[0-9a-f]+\s+(\S+)$", line)
        if m:
            if int(m.group(1)) > 0:
                names.add(m.group(2))
            continue
        # ELF and Mach-O: value, flags (g = global), section, [size,] name
        m = re.match(r"^[0-9a-f]+\s+g\s+\S*\s*(\S+)\s+(?:[0-9a-f]+\s+)?(\S+)$", line)
        if m and m.group(1) != "*UND*":
            names.add(m.group(2))
    return {n[1:] if macho and n.startswith("_") else n for n in names}


# The COFF Machine of a platform's short import members (IMAGE_FILE_MACHINE_AMD64).
COFF_IMPORT_MACHINE = {"x86_64-pc-windows-gnu": 0x8664}


def ar_index(lib: Path) -> set[str]:
    """The names in a GNU archive's symbol table (the "/" member), the index
    a linker searches."""
    data = lib.read_bytes()
    header = data[8:68]
    assert header[:16].rstrip() == b"/", f"{lib.name}: no GNU symbol table first"
    body = data[68:68 + int(header[48:58])]
    count = int.from_bytes(body[:4], "big")
    return {n.decode() for n in body[4 + 4 * count:].split(b"\0")[:count]}


def assert_static_lib(lib: Path, triple: str, tmp: Path) -> None:
    """An `ar` archive whose every member is an object of the platform's
    format and architecture (llvm-objdump per member, `file` on each one),
    or, on Windows, a COFF short import member (one function of a DLL:
    std's raw-dylib import of bcryptprimitives.dll's ProcessPrng) for the
    platform's machine, which the archive's symbol table indexes; defining
    every tw_ function of the header."""
    desc = file_type(lib)
    assert desc.startswith("current ar archive"), f"{lib}: `file` says {desc!r}"
    members = dist.ar_members(lib)
    imports = [(n, d) for n, d in members if dist.coff_short_import_machine(d) is not None]
    objects = [(n, d) for n, d in members if dist.coff_short_import_machine(d) is None]
    dump = sh(["llvm-objdump", "--archive-headers", str(lib)])
    formats = re.findall(r"(?m)^(\S[^\n]*?):\s+file format (\S[^\n]*)$", dump)
    assert formats, f"{lib.name}: llvm-objdump lists no member"
    assert len(formats) == len(members), f"{lib.name}: llvm-objdump lists {len(formats)} members, the archive has {len(members)}"
    wrong = [(m, f) for m, f in formats if f not in (OBJDUMP_FORMAT[triple], "COFF-import-file")]
    assert not wrong, f"{lib.name}: members not {OBJDUMP_FORMAT[triple]}: {wrong[:5]}"
    said_import = sum(1 for _, f in formats if f == "COFF-import-file")
    assert said_import == len(imports), f"{lib.name}: llvm-objdump sees {said_import} import members, the headers {len(imports)}"
    if imports:
        machine = COFF_IMPORT_MACHINE.get(triple)
        assert machine is not None, f"{lib.name}: COFF import members in a {triple} archive"
        index = ar_index(lib)
        for name, data in imports:
            got = dist.coff_short_import_machine(data)
            assert got == machine, f"{lib.name}({name}): import member for machine {got:#x}, expected {machine:#x}"
            symbol, dll = data[20:].split(b"\0")[:2]
            assert dll.decode().lower() == name.lower(), f"{lib.name}({name}): imports from {dll!r}"
            assert f"__imp_{symbol.decode()}" in index, f"{lib.name}: the symbol table lacks __imp_{symbol.decode()}"
    members_dir = tmp / f"members-{triple}"
    shutil.rmtree(members_dir, ignore_errors=True)
    for i, (name, data) in enumerate(objects):
        m = members_dir / str(i) / name
        m.parent.mkdir(parents=True)
        m.write_bytes(data)
        d = file_type(m)
        assert re.search(OBJECT_RE[triple], d), f"{lib.name}({name}): `file` says {d!r}, expected {OBJECT_RE[triple]!r}"
    assert objects, f"{lib.name}: no object"
    missing = header_functions() - archive_defines(lib, "apple" in triple)
    assert not missing, f"{lib.name} does not define {sorted(missing)}"
    kept = f", {len(imports)} COFF short import ({', '.join(sorted({n for n, _ in imports}))})" if imports else ""
    print(f"     {len(objects)} {OBJDUMP_FORMAT[triple]} objects{kept}; {len(header_functions())} tw_ functions defined")


def go_lib_check(p, tmp: Path) -> None:
    godir = dist.GO_DIRS[p.rust]
    @check(f"go identity/lib/{godir}: ar archive of {OBJDUMP_FORMAT[p.rust]} objects, every tw_ function of the header")
    def run() -> None:
        lib = GO_DIST / "identity" / "lib" / godir / dist.GO_LIB
        # The path the module's #cgo line names for this GOOS/GOARCH.
        capi = (ROOT / "bindings-go" / "identity" / "capi.go").read_text()
        goos, goarch = godir.split("_")
        line = f"#cgo {goos},{goarch},!teamweb_identity_custom LDFLAGS: ${{SRCDIR}}/lib/{godir}/{dist.GO_LIB}"
        assert line in capi, f"capi.go has no line {line!r}"
        assert_static_lib(lib, p.rust, tmp)
    run()


def go_header_check() -> None:
    @check("go identity/include/teamweb_identity.h is bindings-c's header")
    def run() -> None:
        h = GO_DIST / "identity" / "include" / C_HEADER.name
        assert h.read_bytes() == C_HEADER.read_bytes(), f"{h} differs from {C_HEADER}"
        assert h.read_bytes() == (ROOT / "bindings-go" / "identity" / "include" / C_HEADER.name).read_bytes()
    run()


def c_archive_check(p, tmp: Path) -> None:
    @check(f"c archive {p.rust}: header, static library, shared library (format, tw_ exports{', glibc' if 'linux' in p.rust else ''})")
    def run() -> None:
        ext = ".zip" if "windows" in p.rust else ".tar.gz"
        arc = DIST / "c" / f"teamweb-identity-c-{VERSION}-{p.rust}{ext}"
        into = tmp / arc.name
        h = extract(f"include/{C_HEADER.name}", arc, into)
        assert h.read_bytes() == C_HEADER.read_bytes(), f"{arc.name}: the header differs from bindings-c's"
        static = extract(f"lib/{dist.GO_LIB}", arc, into)
        assert_static_lib(static, p.rust, tmp / (arc.name + "-members"))
        pre, suf = p.dylib
        shared = extract(f"lib/{pre}teamweb_identity{suf}", arc, into)
        if "windows" in p.rust:
            d = file_type(shared)
            assert re.search(r"PE32\+ executable \(DLL\).*x86-64", d), f"{shared.name}: `file` says {d!r}"
            extract("lib/libteamweb_identity.dll.a", arc, into)
        else:
            assert_format(shared, p.rust)
        if "linux-gnu" in p.rust:
            assert_glibc(shared)
        missing = header_functions() - exported(shared)
        assert not missing, f"{shared.name} does not export {sorted(missing)}"
    run()


# -------------------------------------------------------------------- runs
def pytest_in_venv(venv: Path, install: list[str]) -> None:
    shutil.rmtree(venv, ignore_errors=True)
    sh([sys.executable, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "pip"), "install", "--disable-pip-version-check", "-q"]
    sh(pip + ["-r", str(ROOT / "bindings-python" / "requirements-test.txt")])
    sh(pip + install, cwd=TARGET)
    run_dir = venv.parent / (venv.name + "-run")
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir()
    out = sh([str(venv / "bin" / "python"), "-m", "pytest", "-p", "no:cacheprovider", "-q",
              "--rootdir", str(ROOT / "bindings-python" / "tests"), str(ROOT / "bindings-python" / "tests")],
             cwd=run_dir)
    print("     " + out.strip().splitlines()[-1])


def runs(skip: set[str], only: list[str]) -> None:
    py = DIST / "python"

    @check("manylinux2014 x86_64 wheel: fresh venv, pytest suite")
    def wheel_x86() -> None:
        (w,) = py.glob(f"teamweb_identity-{NORM}-cp310-abi3-manylinux*x86_64*.whl")
        pytest_in_venv(TARGET / "dist-test-wheel-venv", ["--no-deps", str(w)])

    @check("sdist: pip builds it from source in a fresh venv, pytest suite")
    def sdist() -> None:
        s = py / f"teamweb_identity-{VERSION}.tar.gz"
        pytest_in_venv(TARGET / "dist-test-sdist-venv", ["--no-deps", str(s)])

    @check("aarch64 (qemu): core cargo test")
    def core_arm64() -> None:
        env = dict(os.environ)
        env["PATH"] = str(TARGET / "dist-venv" / "bin") + os.pathsep + env["PATH"]
        env["CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER"] = f"{QEMU_AARCH64} -L {ARM64_ROOT}"
        out = sh(["nice", "-n", "19", str(TARGET / "dist-venv" / "bin" / "cargo-zigbuild"), "test", "--locked",
                  "-p", "teamweb-identity",
                  "--features", "testing", "--target", "aarch64-unknown-linux-gnu.2.17"],
                 cwd=ROOT, env=env, merge_stderr=True)
        passed = sum(int(n) for n in re.findall(r"test result: ok\. (\d+) passed", out))
        assert passed > 0, "no test ran"
        print(f"     aarch64 core: {passed} tests passed under qemu")

    @check("aarch64 (qemu): manylinux2014 aarch64 wheel, pytest in the Debian arm64 root")
    def wheel_arm64() -> None:
        (w,) = py.glob(f"teamweb_identity-{NORM}-cp310-abi3-manylinux*aarch64*.whl")
        # The repository's layout (conftest finds tests/vectors from there).
        work = ARM64_ROOT / "work"
        shutil.rmtree(work, ignore_errors=True)
        (work / "repo").mkdir(parents=True)
        shutil.copy2(w, work / w.name)
        for d in ("bindings-python/tests", "tests/vectors", "examples/python"):
            shutil.copytree(ROOT / d, work / "repo" / d)
        # The test requirements as aarch64 wheels, fetched here (the root has
        # no network configuration of its own) for the root's Python.
        pyver = sh(["chroot", str(ARM64_ROOT), "python3", "-c",
                    "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"], env=chroot_env()).strip()
        sh([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "-q", "--only-binary=:all:",
            "--platform", "manylinux2014_aarch64", "--platform", "manylinux_2_28_aarch64",
            "--python-version", pyver, "--implementation", "cp",
            "-r", str(ROOT / "bindings-python" / "requirements-test.txt"), "-d", str(work / "wheelhouse")])
        tests = "/work/repo/bindings-python/tests"
        script = (
            "set -e; cd /work; python3 -m venv venv; "
            "venv/bin/pip install --disable-pip-version-check -q --no-index --find-links wheelhouse wheelhouse/*.whl; "
            f"venv/bin/pip install --disable-pip-version-check -q --no-index --no-deps {w.name}; "
            "mkdir -p run; cd run; ../venv/bin/python -m pytest -p no:cacheprovider -q "
            f"--rootdir {tests} {tests}"
        )
        out = sh(["nice", "-n", "19", "chroot", str(ARM64_ROOT), "/bin/sh", "-c", script], env=chroot_env())
        print("     " + out.strip().splitlines()[-1])

    @check("aarch64 (qemu): linux-arm64-gnu addon, node --test in the Debian arm64 root")
    def node_arm64() -> None:
        node_suite(ARM64_ROOT, "linux-arm64-gnu", chroot=True)

    @check("x86_64: linux-x64-gnu addon from the npm tarballs, node --test")
    def node_x64() -> None:
        node_suite(TARGET / "dist-test-node-x64", "linux-x64-gnu", chroot=False)

    @check("jar: the Kotlin and Java examples with the merged jar (its linux-x86-64 library) in place of the host build")
    def jar_x64() -> None:
        (jar,) = [j for j in (DIST / "jvm").glob(f"teamweb-identity-{VERSION}*.jar")]
        # The example project resolves the artifact `make dist` installed from
        # the host build; its classpath then gets the merged jar instead.
        sh(["mvn", "-B", "-ntp", "-q", "clean", "package"], cwd=ROOT / "examples" / "kotlin")
        example = TARGET / "kotlin-example"
        cp = [e for e in (example / "classpath.txt").read_text().strip().split(os.pathsep)
              if not Path(e).name.startswith("teamweb-identity-")]
        classpath = os.pathsep.join([str(example / "classes"), str(jar), *cp])
        env = {**os.environ, "TEAMWEB_IDENTITY_SECRET": __import__("base64").b64encode(os.urandom(32)).decode(),
               "JNA_NOSYS": "true"}
        for main in ("ai.teamweb.example.ExampleKt", "ai.teamweb.example.JavaExample"):
            out = sh(["java", "-Djna.debug_load=true", "-cp", classpath, main], env=env, merge_stderr=True)
            assert str(jar) in out or jar.name in out, f"{main} did not load the library from {jar.name}:\n{out[-2000:]}"

    @check("npm install: the main package takes this machine's platform package; the aarch64 one is refused")
    def npm_install() -> None:
        proj = TARGET / "dist-test-npm-install"
        shutil.rmtree(proj, ignore_errors=True)
        proj.mkdir()
        (proj / "package.json").write_text('{"name": "consumer", "version": "1.0.0", "private": true}\n')
        npm = ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"]
        node_dir = DIST / "node"
        sh(npm + [str(node_dir / f"teamweb-identity-linux-x64-gnu-{VERSION}.tgz"),
                  str(node_dir / f"teamweb-identity-{VERSION}.tgz")], cwd=proj)
        installed = sorted(d.name for d in (proj / "node_modules").iterdir() if d.name.startswith("teamweb-identity"))
        assert installed == ["teamweb-identity", "teamweb-identity-linux-x64-gnu"], installed
        out = sh(["node", "-e", "const t = require('teamweb-identity'); const k = t.IdentityKey.generate();"
                  "console.log(k.decrypt(k.encrypt({ id: 'u1' })).id)"], cwd=proj)
        assert out.strip() == "u1", out
        p = subprocess.run(npm + [str(node_dir / f"teamweb-identity-linux-arm64-gnu-{VERSION}.tgz")], cwd=proj,
                           capture_output=True, text=True)
        assert p.returncode != 0 and "notsup" in p.stdout + p.stderr, f"linux-arm64-gnu package not refused: {p.stderr}"

    @check("Windows: the core and its tests compile for x86_64-pc-windows-gnu (fork test Unix-only)")
    def core_windows() -> None:
        env = {**os.environ, "PATH": str(TARGET / "dist-venv" / "bin") + os.pathsep + os.environ["PATH"]}
        sh(["nice", "-n", "19", str(TARGET / "dist-venv" / "bin" / "cargo-zigbuild"), "check", "--locked",
            "--tests", "-p", "teamweb-identity", "--features", "testing", "--target", "x86_64-pc-windows-gnu"],
           cwd=ROOT, env=env, merge_stderr=True)

    @check("go linux/amd64: the dist library in a copy of bindings-go, go vet + go test ./...")
    def go_x64() -> None:
        repo = go_tree(TARGET / "dist-test-go")
        env = go_env()
        sh(["nice", "-n", "19", "go", "vet", "./..."], cwd=repo / "bindings-go", env=env, merge_stderr=True)
        out = sh(["nice", "-n", "19", "go", "test", "-count=1", "-v", "./..."], cwd=repo / "bindings-go", env=env,
                 merge_stderr=True)
        passed = len(re.findall(r"(?m)^\s*--- PASS", out))
        assert passed > 0 and "--- FAIL" not in out, out[-3000:]
        print(f"     go test: {passed} tests passed")

    @check("go linux/amd64: a program linked by zig cc against glibc 2.17 needs at most GLIBC_2.17 and runs")
    def go_glibc() -> None:
        repo = go_tree(TARGET / "dist-test-go")
        exe = go_program(repo, "amd64", "x86_64-linux-gnu.2.17")
        assert_format(exe, "x86_64-unknown-linux-gnu")
        assert_glibc(exe)
        out = sh([str(exe)])
        assert out.strip() == GO_PROGRAM_OUTPUT, out

    @check("go linux/arm64 (qemu): the dist library, test binary by zig cc (glibc 2.17), run in the arm64 root")
    def go_arm64() -> None:
        repo = go_tree(TARGET / "dist-test-go-arm64")
        env = zig_go_env("arm64", "aarch64-linux-gnu.2.17")
        test = repo / "identity.test"
        sh(["nice", "-n", "19", "go", "test", "-c", "-o", str(test), "./identity"], cwd=repo / "bindings-go",
           env=env, merge_stderr=True)
        assert_format(test, "aarch64-unknown-linux-gnu")
        assert_glibc(test)
        out = sh(["nice", "-n", "19", QEMU_AARCH64, "-L", str(ARM64_ROOT), str(test), "-test.count=1", "-test.v"],
                 cwd=repo / "bindings-go" / "identity", merge_stderr=True)
        passed = len(re.findall(r"(?m)^\s*--- PASS", out))
        assert passed > 0 and "--- FAIL" not in out and out.rstrip().endswith("PASS"), out[-3000:]
        print(f"     go test under qemu-aarch64: {passed} tests passed")
        exe = go_program(repo, "arm64", "aarch64-linux-gnu.2.17")
        out = sh([QEMU_AARCH64, "-L", str(ARM64_ROOT), str(exe)])
        assert out.strip() == GO_PROGRAM_OUTPUT, out

    @check("go windows/amd64: the package's test binary linked by zig cc (cgo's GNU ABI) with the dist library, importing ProcessPrng from bcryptprimitives.dll")
    def go_windows() -> None:
        # Linked, not run (no Windows here): the stripped archive, its COFF
        # short import member kept, links as cgo links it on Windows, and
        # the program takes its nonces' randomness from ProcessPrng.
        repo = go_tree(TARGET / "dist-test-go-windows")
        env = {**zig_go_env("amd64", "x86_64-windows-gnu"), "GOOS": "windows"}
        test = repo / "identity.test.exe"
        sh(["nice", "-n", "19", "go", "test", "-c", "-o", str(test), "./identity"], cwd=repo / "bindings-go",
           env=env, merge_stderr=True)
        d = file_type(test)
        assert re.search(FILE_RE["x86_64-pc-windows-gnu"], d), f"{test.name}: `file` says {d!r}"
        imports = sh(["llvm-readobj", "--coff-imports", str(test)])
        m = re.search(r"Name: bcryptprimitives\.dll\n(?:\s+\S.*\n)*?\s+Symbol: ProcessPrng\b", imports)
        assert m, f"{test.name} does not import ProcessPrng from bcryptprimitives.dll:\n{imports[-2000:]}"

    if only:
        print("SKIP jar-x86_64 (the jar is not part of a --only subset)")
        skip = skip | {"jar-x86_64"}
    go_runs = []
    if "go" in packages and (not only or "linux-x64-gnu" in only):
        go_runs += [("go-x86_64", go_x64), ("go-glibc", go_glibc)]
    if "go" in packages and (not only or "linux-arm64-gnu" in only):
        go_runs += [("go-arm64", go_arm64)]
    if "go" in packages and (not only or "win32-x64-gnu" in only):
        go_runs += [("go-windows", go_windows)]
    other_runs = [("core-windows", core_windows), ("npm-install", npm_install), ("jar-x86_64", jar_x64), ("wheel-x86_64", wheel_x86), ("sdist", sdist), ("core-arm64", core_arm64),
                  ("wheel-arm64", wheel_arm64), ("node-arm64", node_arm64), ("node-x64", node_x64)]
    # The runs of the Python, Node, JVM and CLI artifacts (and the core's
    # own aarch64/Windows runs) go with any of those packages.
    if not packages & {"python", "node", "jvm", "cli"}:
        other_runs = []
    for name, fn in go_runs + other_runs:
        if name in skip:
            if name != "jar-x86_64" or not only:
                print(f"SKIP {name} (--skip)")
            continue
        fn()


# The Go module as a user gets it from a release tag: bindings-go/ with the
# dist tree's libraries and header in place (none built from this checkout).
GO_MODULE = "github.com/teamweb-ai/teamweb-identity/bindings-go"
GO_PROGRAM = """package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/teamweb-ai/teamweb-identity/bindings-go/identity"
)

func main() {
	key, err := identity.GenerateKey()
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	defer key.Close()
	token, err := key.Encrypt(identity.User{ID: "u1", Name: "Alice"})
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	who, err := key.Decrypt(token)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	other, err := identity.GenerateKey()
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	_, err = other.Decrypt(token)
	fmt.Println(who.ID, who.Name, errors.Is(err, identity.ErrAuthenticationFailed))
}
"""
GO_PROGRAM_OUTPUT = "u1 Alice true"


def go_tree(work: Path) -> Path:
    shutil.rmtree(work, ignore_errors=True)
    repo = work / "repo"
    shutil.copytree(ROOT / "bindings-go", repo / "bindings-go", ignore=shutil.ignore_patterns("lib"))
    shutil.copytree(ROOT / "tests" / "vectors", repo / "tests" / "vectors")
    shutil.copytree(GO_DIST, repo / "bindings-go", dirs_exist_ok=True)
    return repo


def go_env() -> dict[str, str]:
    return {**os.environ, "GOTOOLCHAIN": "local", "CGO_ENABLED": "1", "GOFLAGS": "-mod=mod"}


def go_cc(zig_target: str) -> str:
    """zig (the ziglang wheel of the dist venv) as cgo's C compiler and linker."""
    zig = TARGET / "dist-venv" / "bin" / "python-zig"
    assert zig.exists(), f"{zig} missing (make -C packaging dist-go installs it)"
    return f"{zig} cc -target {zig_target}"


def zig_go_env(goarch: str, zig_target: str) -> dict[str, str]:
    """cgo through zig: gcc links libgcc_s (Rust's unwinder) by itself,
    zig cc needs its own libunwind named."""
    return {**go_env(), "GOARCH": goarch, "CC": go_cc(zig_target), "CGO_LDFLAGS": "-lunwind"}


def go_program(repo: Path, goarch: str, zig_target: str) -> Path:
    prog = repo / f"prog-{goarch}"
    shutil.rmtree(prog, ignore_errors=True)
    prog.mkdir()
    (prog / "main.go").write_text(GO_PROGRAM)
    (prog / "go.mod").write_text(f"module prog\n\ngo 1.22\n\nrequire {GO_MODULE} v0.0.0\n\n"
                                 f"replace {GO_MODULE} => ../bindings-go\n")
    env = zig_go_env(goarch, zig_target)
    exe = prog / "prog"
    sh(["nice", "-n", "19", "go", "build", "-o", str(exe), "."], cwd=prog, env=env, merge_stderr=True)
    return exe


def chroot_env() -> dict[str, str]:
    """This machine's environment less its pip settings (paths of the host)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}


def node_suite(base: Path, platform: str, chroot: bool) -> None:
    """The main package and one platform package unpacked into node_modules
    (as npm lays them out), then the node test suite against them. The
    Express example test spawns a server that needs express from the
    registry; it runs in `make test`, not here."""
    work = base / "work-node" if chroot else base
    shutil.rmtree(work, ignore_errors=True)
    mods = work / "node_modules"
    for pkg, tgz in [("teamweb-identity", f"teamweb-identity-{VERSION}.tgz"),
                     (f"teamweb-identity-{platform}", f"teamweb-identity-{platform}-{VERSION}.tgz")]:
        dest = mods / pkg
        dest.mkdir(parents=True)
        with tarfile.open(DIST / "node" / tgz) as t:
            for m in t.getmembers():
                m.name = m.name.split("/", 1)[1]
                t.extract(m, dest, filter="data")
    shutil.copytree(ROOT / "bindings-node" / "test", work / "test")
    shutil.copytree(ROOT / "tests" / "vectors", work / "repo" / "tests" / "vectors")
    tests = [f"test/{t.name}" for t in sorted((work / "test").glob("*.test.*")) if t.name != "example.test.js"]
    if chroot:
        cmd = ["nice", "-n", "19", "chroot", str(base), "/bin/sh", "-c",
               "cd /work-node && TEAMWEB_REPO=/work-node/repo node --test " + " ".join(tests)]
        out = sh(cmd, env=chroot_env())
    else:
        out = sh(["node", "--test", *tests], cwd=work, env={**os.environ, "TEAMWEB_REPO": str(work / "repo")})
    # node's TAP (# pass N) or spec (ℹ pass N) reporter, whichever it chose.
    counts = dict(re.findall(r"(?m)^(?:#|ℹ) (tests|pass|fail|skipped) (\d+)$", out))
    assert int(counts.get("pass", 0)) > 0 and int(counts.get("fail", 1)) == 0, f"node --test: {counts}\n{out[-2000:]}"
    print(f"     node --test: {counts.get('pass')} passed, {counts.get('fail')} failed")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--static-only", action="store_true")
    ap.add_argument("--skip", nargs="*", default=[])
    ap.add_argument("--only", nargs="*", default=[], help="check only these platforms' artifacts (CI subset)")
    ap.add_argument("--package", nargs="*", choices=PACKAGES, default=PACKAGES,
                    help="check only these packages' artifacts (go: the Go libraries and the C archives)")
    a = ap.parse_args()
    packages.clear()
    packages.update(a.package)
    for tool in ("file", "readelf", "llvm-nm", "llvm-readobj"):
        if not shutil.which(tool):
            sys.exit(f"test-dist needs `{tool}` (Debian: file, binutils, llvm)")
    if not MUSL_LD.exists():
        sys.exit(f"test-dist needs {MUSL_LD} (Debian: musl)")
    with tempfile.TemporaryDirectory(prefix="test-dist-") as tmp:
        static_checks(Path(tmp), a.only)
    if not a.static_only:
        runs(set(a.skip), a.only)
    passed = sum(1 for _, ok, _ in results if ok)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
