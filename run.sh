#!/usr/bin/env bash
# Starts the dashboard on http://localhost:5000 with its own embedded Redis.
#   REDIS_URL=redis://host:6379 ./run.sh      use an existing Redis instead
#   ./run.sh --urls http://0.0.0.0:5000       serve the classroom network
set -euo pipefail
cd "$(dirname "$0")"
command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required: https://dot.net" >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js and npm are required for the chart script (sudo apt-get install -y nodejs npm)." >&2; exit 1; }
if [ -z "${REDIS_URL:-}" ] && [ -z "${ConnectionStrings__redis:-}" ]; then
  scripts/ensure-packages.sh redis-server:redis-server
fi
dotnet build BlazorRedis.App -c Release -nologo -v quiet
args=("$@")
if [[ " $* " != *" --urls "* && " $* " != *" --urls="* ]]; then args+=(--urls http://localhost:5000); fi
cd BlazorRedis.App
# Development serves the static assets (MudBlazor, charts) straight from the build output.
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
exec dotnet bin/Release/net10.0/BlazorRedis.App.dll "${args[@]}"
