#!/usr/bin/env bash
# A Debian arm64 root under target/ for running aarch64 artifacts under
# qemu-user (make test-dist). Needs root, Debian's qemu-user-static,
# binfmt-support and debootstrap (installed here when missing). The Debian
# mirror is the one this machine's apt already uses.
set -euo pipefail
ROOTFS=${1:?usage: arm64-root.sh DIR}
SUITE=${SUITE:-bookworm}
if [ -x "$ROOTFS/usr/bin/python3" ] && [ -x "$ROOTFS/usr/bin/node" ] && [ -f "$ROOTFS/.complete" ]; then
  exit 0
fi
need=()
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
command -v update-binfmts >/dev/null || need+=(binfmt-support)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q && apt-get install -y -q "${need[@]}"
fi
# binfmt_misc lets the arm64 root's programs run through qemu transparently.
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64
mirror=$( (cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null || true) \
  | grep -v '^[[:space:]]*#' | grep -oE 'https?://[^ ]+/debian/?' | head -1 || true)
[ -n "$mirror" ] || { echo "no Debian mirror in this machine's apt sources" >&2; exit 1; }
rm -rf "$ROOTFS"
nice -n 19 debootstrap --arch=arm64 --variant=minbase \
  --include=python3,python3-venv,python3-pip,nodejs,ca-certificates \
  "$SUITE" "$ROOTFS" "$mirror"
touch "$ROOTFS/.complete"
