#!/usr/bin/env bash
# Runs the demo host (samples/Gdc.Pipeline) on an embedded nats-server; Ctrl+C stops it.
# It runs from the project folder, the host's content root: appsettings.json and the .imb store are there.
set -euo pipefail
cd "$(dirname "$0")/../samples/Gdc.Pipeline"
bash ../../eng/ensure-nats-server.sh
exec dotnet run -- "$@"
