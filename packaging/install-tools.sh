#!/usr/bin/env bash
# install-tools.sh VENV LOCKFILE
#
# The build tools of a hash-locked requirements file (requirements-*.txt,
# compiled from requirements-*.in by `make -C packaging lock`) into a fresh
# venv: pip refuses any file whose sha256 the lock does not list
# (--require-hashes) and any source distribution (--only-binary: nothing is
# built, no setup code runs). In a GitHub Actions job the venv's bin
# directory is then added to the PATH of the following steps.
set -euo pipefail
venv=$1 lock=$2
if [[ -n "${PYTHON:-}" ]]; then py=$PYTHON
elif [[ "${RUNNER_OS:-}" == Windows ]]; then py=python
else py=python3; fi
"$py" -m venv "$venv"
if [[ -d "$venv/Scripts" ]]; then bin="$venv/Scripts"; else bin="$venv/bin"; fi
"$bin/python" -m pip install --disable-pip-version-check --no-input --quiet \
  --require-hashes --only-binary :all: -r "$lock"
if [[ -n "${GITHUB_PATH:-}" ]]; then
  echo "$bin" >> "$GITHUB_PATH"
fi
