#!/usr/bin/env bash
# Test-time dependencies outside Maven: a Python 3 with NumPy for the independent reference
# forward of the Llama-family parity tests (framework/src/test/python/llama_ref.py). Installs
# Debian's python3-numpy when no python3 on PATH (nor /usr/bin/python3) can import numpy.
set -euo pipefail
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import numpy' >/dev/null 2>&1; then
    exit 0
  fi
done
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-numpy >/dev/null
else
  echo "test-deps: no python3 with numpy and no apt-get; the Llama parity tests will be skipped" >&2
fi
