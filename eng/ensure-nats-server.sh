#!/usr/bin/env bash
# Installs nats-server from Debian's packages when it is not on PATH (the embedded mode and the tests need it).
set -euo pipefail
if command -v nats-server >/dev/null 2>&1; then
  exit 0
fi
echo "nats-server not found; installing it with apt-get (Debian package nats-server)..." >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nats-server >&2
nats-server --version >&2
