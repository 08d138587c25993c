# teamweb-identity: one Rust core, four packages.
#
#   make demo     build what is needed and show every package agreeing
#   make test     every test suite (core, bindings, CLI, cross-language)
#   make build    every package
#   make bench    every benchmark, as ratios against each package's peer
#   make dist     release artifacts for every platform into target/dist/
#   make test-dist  check them (aarch64 under qemu); see packaging/Makefile
#
# Per package: make core | python | node | kotlin | cli
# Each binding directory has a Makefile with the same targets
# (build, test, bench), as in huggingface/tokenizers.

SHELL := /bin/bash
CARGO ?= cargo
comma := ,
BINDINGS := $(patsubst %/Makefile,%,$(wildcard bindings-*/Makefile))

.PHONY: all demo test build bench core test-core bench-core python node kotlin cli test-cli \
        test-bindings bench-bindings test-cross test-readme drivers clean \
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

build: core cli $(BINDINGS:bindings-%=%)

test: lint-workflows test-core test-cli test-bindings test-cross test-readme

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

clean:
	$(CARGO) clean
