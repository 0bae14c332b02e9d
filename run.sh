#!/usr/bin/env bash
# Starts the dashboard on http://localhost:5000 with its own embedded Redis.
#   REDIS_URL=redis://host:6379 ./run.sh      use an existing Redis instead
#   ./run.sh --urls http://0.0.0.0:5000       serve the classroom network
#   ./run.sh --cluster                        start a local 3-master Redis Cluster (ports 7000-7002) and use it
set -euo pipefail
cd "$(dirname "$0")"
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required: https://dot.net" >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js and npm are required for the chart script (sudo apt-get install -y nodejs npm)." >&2; exit 1; }
cluster=0
args=()
for arg in "$@"; do if [ "$arg" = "--cluster" ]; then cluster=1; else args+=("$arg"); fi; done
set -- ${args[@]+"${args[@]}"}
if [ "$cluster" = 1 ] || { [ -z "${REDIS_URL:-}" ] && [ -z "${ConnectionStrings__redis:-}" ]; }; then
  scripts/ensure-packages.sh redis-server:redis-server redis-tools:redis-cli
fi
dotnet build BlazorRedis.App -c Release -nologo -v quiet
if [ "$cluster" = 1 ]; then
  # shellcheck source=scripts/redis-cluster.sh
  source scripts/redis-cluster.sh
  REDIS_CLUSTER_PIDS=()
  trap stop_redis_cluster EXIT
  start_redis_cluster "${REDIS_CLUSTER_PORT:-7000}"
fi
args=("$@")
if [[ " $* " != *" --urls "* && " $* " != *" --urls="* ]]; then args+=(--urls http://localhost:5000); fi
cd BlazorRedis.App
# Development serves the static assets (MudBlazor, charts) straight from the build output.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
if [ "$cluster" = 1 ]; then
  # Not exec: the EXIT trap stops the cluster when the app ends.
  dotnet bin/Release/net10.0/BlazorRedis.App.dll "${args[@]}"
else
  exec dotnet bin/Release/net10.0/BlazorRedis.App.dll "${args[@]}"
fi
