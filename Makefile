# teamweb-identity: one Rust core, every package over it.
#
#   make demo     build what is needed and show every package agreeing
#   make test     every test suite (core, bindings, CLI, cross-language)
#   make build    every package
#   make bench    every benchmark, as ratios against each package's peer
#   make fuzz     the core's fuzz targets (nightly, cargo-fuzz), FUZZ_SECONDS each
#   make lint     clippy, warnings denied, on every crate (not part of make test)
#   make dist     release artifacts for every platform into target/dist/
#   make test-dist  check them (aarch64 under qemu); see packaging/Makefile
#
# Per package: make core | python | node | kotlin | ruby | php | c | go | cli
# Each binding directory has a Makefile with the same targets
# (build, test, bench), as in huggingface/tokenizers.

SHELL := /bin/bash
CARGO ?= cargo
comma := ,
BINDINGS := $(patsubst %/Makefile,%,$(wildcard bindings-*/Makefile))

.PHONY: all demo test build bench core test-core bench-core python node kotlin ruby php c go cli test-cli \
        test-bindings bench-bindings test-cross test-readme test-e2e drivers fuzz lint clean \
        lint-workflows dist test-dist dist-ci test-dist-ci

all: build

core:
	$(CARGO) build --release -p teamweb-identity

test-core:
	$(CARGO) test -p teamweb-identity --features testing

bench-core:
	$(CARGO) bench -p teamweb-identity --features testing --bench token

cli:
	$(CARGO) build --release -p teamweb-identity-cli

test-cli:
	$(CARGO) test -p teamweb-identity-cli

python:
	$(MAKE) -C bindings-python build

node:
	$(MAKE) -C bindings-node build

kotlin:
	$(MAKE) -C bindings-kotlin build

ruby:
	$(MAKE) -C bindings-ruby build

php:
	$(MAKE) -C bindings-php build

c:
	$(MAKE) -C bindings-c build

go:
	$(MAKE) -C bindings-go build

build: core cli $(BINDINGS:bindings-%=%)

test: lint-workflows test-core test-cli test-bindings test-cross test-readme test-e2e

# The release pipeline (.github/workflows), linted; the cross-built artifacts
# and their checks (not part of `make test`: they need zig, rustup targets,
# qemu).
lint-workflows dist test-dist dist-ci test-dist-ci:
	$(MAKE) -C packaging $@

# The README's quickstarts, run as written against the installed packages.
test-readme:
	python3 tests/readme.py

# The cross-language proof: every package through the same cases, using the
# packages as their own tests installed them.
test-cross:
	$(CARGO) build -p teamweb-identity-cross-driver
	python3 tests/cross/run.py

# The whole flow in a real browser (tests/e2e/README.md): each example
# server's page, a stand-in widget and receiving side, Debian's Chromium
# (installed here when missing, with an emoji font for the screenshots)
# driven by playwright-core. Within `make test` the packages are already
# installed (test-bindings); on its own it installs them first (drivers).
E2E_APT := /usr/bin/chromium /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
test-e2e: $(if $(filter test,$(MAKECMDGOALS)),,drivers)
	@ls $(E2E_APT) >/dev/null 2>&1 || { apt-get update && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-color-emoji; }
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error && npm test

# What the drivers need (each binding's package, installed as a user would).
drivers:
	$(CARGO) build -p teamweb-identity-cross-driver
	@set -e; for b in $(BINDINGS); do $(MAKE) -C $$b driver; done

demo: drivers
	@python3 tests/cross/run.py --demo

test-bindings:
	@set -e; for b in $(BINDINGS); do echo "== $$b"; $(MAKE) -C $$b test; done

bench: bench-core bench-bindings
	@python3 tests/bench_table.py

bench-bindings:
	@set -e; for b in $(BINDINGS); do echo "== $$b"; $(MAKE) -C $$b bench; done

# The core's fuzz targets (fuzz/, its own workspace), each for FUZZ_SECONDS
# seconds; not part of `make test`. Installs the nightly toolchain and
# cargo-fuzz if they are missing.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := decrypt identity_round_trip
CARGO_FUZZ_VERSION := 0.13.2

fuzz:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --version =$(CARGO_FUZZ_VERSION) --locked
	@set -e; cd fuzz && for t in $(FUZZ_TARGETS); do \
		echo "== fuzz $$t for $(FUZZ_SECONDS)s"; \
		$(CARGO) +nightly fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS); \
	done

# clippy with warnings denied on every crate, each target kind: the
# workspace (tests, benches and examples too) here; the Node crate's
# WebAssembly build and Ruby's and PHP's extensions (workspaces of their
# own) by their Makefiles' `lint`, which build them as their `build` does;
# the fuzz targets. Not part of `make test`: the pinned toolchain's minimal
# profile has no clippy, added here when missing.
lint:
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	@set -e; for b in bindings-node bindings-ruby bindings-php; do $(MAKE) -C $$b lint; done
	cd fuzz && $(CARGO) clippy --all-targets --locked -- -D warnings

clean:
	$(CARGO) clean
