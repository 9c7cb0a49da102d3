#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests against real nats-server processes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash eng/ensure-nats-server.sh
dotnet test Imb.sln "$@"
