#!/usr/bin/env bash
# `make test`: builds the tests, runs them, and ends with the failures repeated, so the last
# lines of a long log (all a CI summary shows) name the tests that failed and why.
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}

$SWIFT build --build-tests || exit $?

log=$(mktemp "${TMPDIR:-/tmp}/token-warden-tests.XXXXXX")
trap 'rm -f "$log"' EXIT
$SWIFT test --skip-build --no-parallel "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

if [ "$status" -ne 0 ]; then
    echo
    echo "== failures (repeated from above) =="
    # Swift Testing marks every failed expectation, test and suite with ✘; the lines after an
    # issue carry the values the expectation saw.
    grep -n -A3 '✘' "$log" | grep -v -e '^--$' | cut -c1-400 | head -n 80
    echo "== swift test exited with $status =="
fi
exit "$status"
