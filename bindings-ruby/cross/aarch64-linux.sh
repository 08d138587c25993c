#!/usr/bin/env bash
# The aarch64-linux platform gem, cross-built on an x86_64 Debian machine,
# and its minitest suite run under qemu (make -C bindings-ruby test-aarch64).
#
#   cross/aarch64-linux.sh build ROOT   the extension for ROOT's Ruby, linked by
#                                       cargo-zigbuild against glibc 2.17, packed into
#                                       target/gems/teamweb-identity-<v>-aarch64-linux.gem
#   cross/aarch64-linux.sh test ROOT    that gem installed into a fresh GEM_HOME inside
#                                       ROOT and the suite run there (qemu-user via binfmt)
#
# ROOT is a Debian arm64 root with ruby, ruby-dev and ruby-minitest (the
# Makefile makes it with debootstrap). The target Ruby's version decides the
# directory (lib/teamweb_identity/<minor>/); the release pipeline builds the
# aarch64-linux gem natively instead, for every Ruby. rb-sys reads the target Ruby's
# RbConfig from RBCONFIG_* variables (RBCONFIG_CROSS_COMPILING=yes), here
# dumped by that Ruby itself under qemu, its header directories pointed into
# ROOT; bindgen reads the headers with ROOT as its sysroot. Needs root
# (chroot), the Rust target aarch64-unknown-linux-gnu and cargo-zigbuild on PATH.
set -euo pipefail
what=${1:?build or test}
root=$(realpath "${2:?arm64 root}")
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/.." && pwd)
target=$repo/target
stage=$target/ruby-gem/aarch64-linux
version=$(ruby -r "$here/lib/teamweb_identity/version" -e 'print TeamwebIdentity::VERSION')
gem=$target/gems/teamweb-identity-$version-aarch64-linux.gem
minor=$(chroot "$root" ruby -e 'print RUBY_VERSION[/\A\d+\.\d+/]')

case $what in
build)
  zig=$(command -v cargo-zigbuild) || { echo "cargo-zigbuild is not on PATH" >&2; exit 1; }
  case $(realpath "$zig") in
    *ruby*) echo "cargo-zigbuild's path ($zig) contains 'ruby': rb-sys would keep every libc" \
      "declaration of zig's headers (bindgen's allowlist_file '.*ruby.*'); install it elsewhere" >&2; exit 1 ;;
  esac
  # rb-sys keeps the declarations of headers whose path matches "ruby"
  # (bindgen's allowlist_file): the root is seen at a path that does not
  # (a bind mount: clang would resolve a symbolic link), or all of its libc
  # would be kept too.
  sysroot=$(mktemp -d /tmp/teamweb-aarch64.XXXXXX)
  mount --bind "$root" "$sysroot"
  trap 'umount "$sysroot" && rmdir "$sysroot"' EXIT
  eval "$(chroot "$root" ruby -rrbconfig -rshellwords -e '
    dirs = %w[rubyhdrdir rubyarchhdrdir includedir archincludedir libdir]
    RbConfig::CONFIG.each do |k, v|
      next unless k.match?(/\A\w+\z/) && !v.include?("\n")
      v = File.join(ARGV[0], v) if dirs.include?(k) && v.start_with?("/")
      puts "export RBCONFIG_#{k}=#{v.shellescape}"
    end' "$sysroot")"
  export RBCONFIG_CROSS_COMPILING=yes
  export BINDGEN_EXTRA_CLANG_ARGS_aarch64_unknown_linux_gnu="--sysroot=$sysroot"
  (cd "$here/ext/teamweb_identity" && CARGO_TARGET_DIR=$target/ruby-ext \
    cargo zigbuild --target aarch64-unknown-linux-gnu.2.17 --release --locked --lib)
  rm -rf "$stage" && mkdir -p "$stage/lib/teamweb_identity/$minor" "$target/gems"
  cp "$target/ruby-ext/aarch64-unknown-linux-gnu/release/libteamweb_identity.so" \
    "$stage/lib/teamweb_identity/$minor/teamweb_identity.so"
  cp -R "$here/lib" "$here/teamweb-identity.gemspec" "$here/README.md" "$stage/"
  (cd "$stage" && TEAMWEB_GEM_PLATFORM=aarch64-linux gem build teamweb-identity.gemspec && mv ./*.gem "$gem")
  ls -l "$gem"
  ;;
test)
  # What the suite reads: the vectors, the example, the tests, the Cargo version.
  rm -rf "$root/repo" && mkdir -p "$root/repo/tests/cross" "$root/repo/bindings-ruby" "$root/repo/examples"
  cp -R "$repo/tests/vectors" "$root/repo/tests/"
  cp "$repo/tests/cross/wtf8.rb" "$root/repo/tests/cross/"
  cp -R "$repo/examples/ruby" "$root/repo/examples/"
  cp -R "$here/test" "$root/repo/bindings-ruby/"
  cp "$repo/Cargo.toml" "$root/repo/"
  cp "$gem" "$root/repo/"
  chroot "$root" env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 bash -euo pipefail -c "
    rm -rf /tmp/gem-home /tmp/run && mkdir -p /tmp/run
    GEM_HOME=/tmp/gem-home gem install --local --no-document /repo/$(basename "$gem")
    cd /tmp/run && GEM_HOME=/tmp/gem-home TEAMWEB_GEM_KIND=platform TEAMWEB_REPO=/repo \
      ruby -e 'puts RUBY_PLATFORM' -e 'load \"/repo/bindings-ruby/test/run.rb\"'"
  ;;
*) echo "usage: $0 build|test ROOT" >&2; exit 2 ;;
esac
