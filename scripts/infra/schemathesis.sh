#!/usr/bin/env bash
# schemathesis (PyPI), the property-based API tester that e2e/src/openapi-fuzz.e2e.spec.ts runs
# against the gateway's merged OpenAPI document. Installed into a virtualenv cached outside the repo,
# so a fresh checkout (or `git clean`) does not download it again.
# Usage: schemathesis.sh install   install when missing (idempotent), then print the `st` path
#        schemathesis.sh path      print the `st` path; exit 1 when it is not installed
# NESTKIT_SCHEMATHESIS_DIR overrides the venv folder
# (default ${XDG_CACHE_HOME:-$HOME/.cache}/nestkit/schemathesis-<version>).
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Progress goes to stderr: stdout carries only the `st` path, for `st=$(schemathesis.sh install)`.
say() { log "$@" >&2; }

# One pinned release: the spec parses its JUnit report and relies on its CLI flags.
SCHEMATHESIS_VERSION=4.32.5
SCHEMATHESIS_DIR="${NESTKIT_SCHEMATHESIS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nestkit/schemathesis-$SCHEMATHESIS_VERSION}"
SCHEMATHESIS_BIN="$SCHEMATHESIS_DIR/bin/st"

# Installed means: the venv's `st` runs and reports the pinned version.
schemathesis_installed() {
	[[ -x $SCHEMATHESIS_BIN ]] && "$SCHEMATHESIS_BIN" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"
}

# Debian splits venv/ensurepip out of python3 into python3-venv.
schemathesis_python() {
	command -v python3 >/dev/null 2>&1 || apt_install python3
	python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
		die "schemathesis $SCHEMATHESIS_VERSION needs Python 3.11 or newer; $(command -v python3) is $(python3 -V 2>&1)"
	if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
		apt_install python3-venv
		python3 -c 'import venv, ensurepip' >/dev/null 2>&1 ||
			die "python3 ($(command -v python3)) has no venv/ensurepip module even after installing python3-venv; install it for that interpreter"
	fi
}

schemathesis_install() {
	lock_service "$SCHEMATHESIS_DIR.lock.d"
	if schemathesis_installed; then
		say "schemathesis $SCHEMATHESIS_VERSION already installed in $SCHEMATHESIS_DIR"
		printf '%s\n' "$SCHEMATHESIS_BIN"
		return 0
	fi
	schemathesis_python
	local start
	start=$(now_ms)
	say "installing schemathesis $SCHEMATHESIS_VERSION (PyPI) into $SCHEMATHESIS_DIR ..."
	# A half-made venv from an interrupted run is thrown away, not repaired.
	rm -rf "$SCHEMATHESIS_DIR"
	mkdir -p "$(dirname "$SCHEMATHESIS_DIR")"
	python3 -m venv "$SCHEMATHESIS_DIR" || die "python3 -m venv $SCHEMATHESIS_DIR failed"
	local pip_log="$SCHEMATHESIS_DIR/pip-install.log"
	if ! "$SCHEMATHESIS_DIR/bin/python" -m pip install --disable-pip-version-check --no-input -q \
		--timeout 60 --retries 3 "schemathesis==$SCHEMATHESIS_VERSION" >"$pip_log" 2>&1; then
		tail -n 20 "$pip_log" >&2
		die "pip install schemathesis==$SCHEMATHESIS_VERSION failed (full log: $pip_log); check that PyPI is reachable"
	fi
	schemathesis_installed || die "schemathesis installed, but '$SCHEMATHESIS_BIN --version' does not report $SCHEMATHESIS_VERSION"
	say "installed schemathesis $SCHEMATHESIS_VERSION ($(elapsed_since "$start")s)"
	printf '%s\n' "$SCHEMATHESIS_BIN"
}

schemathesis_path() {
	if schemathesis_installed; then
		printf '%s\n' "$SCHEMATHESIS_BIN"
		return 0
	fi
	say "schemathesis $SCHEMATHESIS_VERSION is not installed (run: $0 install)"
	return 1
}

case "${1:-}" in
install) schemathesis_install ;;
path) schemathesis_path ;;
*)
	echo "usage: $(basename "$0") install|path" >&2
	exit 2
	;;
esac
