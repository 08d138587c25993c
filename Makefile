# teamweb-identity: one Rust core, four packages.
#
#   make demo     build what is needed and show every package agreeing
#   make test     every test suite (core, bindings, CLI, cross-language)
#   make build    every package
#   make bench    every benchmark, as ratios against each package's peer
#   make fuzz     the core's fuzz targets (nightly, cargo-fuzz), FUZZ_SECONDS each
#
# Per package: make core | python | node | kotlin | cli
# Each binding directory has a Makefile with the same targets
# (build, test, bench), as in huggingface/tokenizers.

SHELL := /bin/bash
CARGO ?= cargo
comma := ,
BINDINGS := $(patsubst %/Makefile,%,$(wildcard bindings-*/Makefile))

.PHONY: all demo test build bench core test-core bench-core python node kotlin cli test-cli \
        test-bindings bench-bindings test-cross test-readme drivers fuzz clean

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

test: test-core test-cli test-bindings test-cross test-readme

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

clean:
	$(CARGO) clean
