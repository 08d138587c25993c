#!/bin/sh
# The musl (Alpine) PIE archive, run by the release pipeline's php-musl job
# inside an official PHP Alpine image (php:<X.Y>[-zts]-alpine, pinned by
# digest in .github/workflows/release.yml) with the repository mounted at
# the working directory:
#
#   docker run --rm -v "$PWD:/src" -w /src <image> sh bindings-php/packaging/alpine-dist.sh <phpunit.phar>
#
# From Alpine's own repositories (apk, signed indexes): the image's
# $PHPIZE_DEPS (gcc, musl-dev, make, autoconf...), bash and python3 for the
# Makefile, the default clang's libclang for bindgen, and rustup; rustup then
# installs the Rust of rust-toolchain.toml, as every other job does. pcntl
# (the fork test) is built from the PHP source the image carries
# (docker-php-ext-install). Then, as on the glibc runners,
# `make -C bindings-php phpunit dist`: the extension, the whole PHPUnit suite
# against it, and the archive named by packaging/pie-asset-name.php
# (...-linux-musl-{nts|zts}.zip), which is loaded once more from the zip.
set -eu

phpunit=${1:?usage: alpine-dist.sh <phpunit.phar>}

# shellcheck disable=SC2086 # PHPIZE_DEPS is a list of package names
apk add --no-cache $PHPIZE_DEPS bash python3 clang-libclang rustup
docker-php-ext-install pcntl >/dev/null

# The channel of rust-toolchain.toml, named explicitly: Alpine's rustup may
# predate 1.28, whose `rustup toolchain install` reads the file by itself.
channel=$(sed -n 's/^channel *= *"\(.*\)"$/\1/p' rust-toolchain.toml)
rustup-init -y --no-modify-path --profile minimal --default-toolchain "${channel:?no channel in rust-toolchain.toml}"
PATH="$HOME/.cargo/bin:$PATH"
export PATH

php -v
make -C bindings-php phpunit dist PHP_DEPS=ready PHPUNIT="$phpunit"
