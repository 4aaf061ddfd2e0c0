#!/usr/bin/env bash
# Installs the C libraries token-warden links against (and kubectl for the kubectl-driven tests)
# when they are missing. Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail

need=()
pkg-config --exists libcurl 2>/dev/null || need+=(libcurl4-openssl-dev)
pkg-config --exists zlib 2>/dev/null || need+=(zlib1g-dev)
pkg-config --exists openssl 2>/dev/null || need+=(libssl-dev)
[ -d /usr/share/zoneinfo/Europe ] || need+=(tzdata)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)

if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# kubectl keeps the simulated API server honest in the tests; they skip (saying so) without it.
if ! command -v kubectl >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq kubernetes-client >/dev/null 2>&1 \
    || echo "note: kubectl not available; kubectl-driven tests will be skipped"
fi

# Debian's prometheus package brings promtool (the alert rules' unit tests) and the server the
# dashboard's queries are evaluated against; those tests skip (saying so) without it.
if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus; } \
    >/dev/null 2>&1 || echo "note: prometheus not available; the alert-rule and dashboard tests will be skipped"
fi

# The Helm chart's tests render it with Helm's own engine; with no helm binary in Debian, PyPI's
# helm-python-sdk carries it. Without it those tests skip (saying so).
if ! command -v helm >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1 \
  && ! python3 -c "import helm_python" >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check helm-python-sdk >/dev/null 2>&1 \
    || echo "note: helm-python-sdk not installed; the Helm chart tests will be skipped"
fi
