# teamweb-identity: one Rust core, four packages.
#
#   make demo     build what is needed and show every package agreeing
#   make test     every test suite (core, bindings, CLI, cross-language)
#   make build    every package
#   make bench    every benchmark, as ratios against each package's peer
#
# Per package: make core | python | node | kotlin | cli
# Each binding directory has a Makefile with the same targets
# (build, test, bench), as in huggingface/tokenizers.

SHELL := /bin/bash
CARGO ?= cargo
BINDINGS := $(patsubst %/Makefile,%,$(wildcard bindings-*/Makefile))

.PHONY: all demo test build bench core test-core bench-core python node kotlin cli test-cli \
        test-bindings bench-bindings clean

all: build

core:
	$(CARGO) build --release -p teamweb-identity

test-core:
	$(CARGO) test -p teamweb-identity --features testing
	$(CARGO) test -p teamweb-identity --doc --features testing

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

test: test-core test-cli test-bindings

test-bindings:
	@set -e; for b in $(BINDINGS); do echo "== $$b"; $(MAKE) -C $$b test; done

bench: bench-core bench-bindings

bench-bindings:
	@set -e; for b in $(BINDINGS); do echo "== $$b"; $(MAKE) -C $$b bench; done

clean:
	$(CARGO) clean
