#!/usr/bin/env bash
# Issue 12's workbench numbers on this machine, through the app's own WorkbenchExecutor on a real redis-server:
#   - the console's own overhead per line (parse, allow-list, key rewrite, limits, formatting, tracing) against a raw
#     round trip of the same command — goal: at most 50 µs at p50;
#   - LEARNERS learners (default 300) typing at once, one line every 0.5–1.5 s, for DURATION seconds (default 20).
#   bench/workbench.sh   (about 1 minute) → bench/results/workbench.md
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
scripts/ensure-packages.sh redis-server:redis-server
ITERATIONS=${ITERATIONS:-5000}
LEARNERS=${LEARNERS:-300}
SECONDS_RUN=${DURATION:-20}
out=bench/results/workbench.md
mkdir -p bench/results
work=$(mktemp -d)
redis_port=$(free_port)
cleanup() {
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
start_redis "$redis_port" "$work"
dotnet build bench/BlazorRedis.Bench -c Release -nologo -v quiet
result=$(dotnet bench/BlazorRedis.Bench/bin/Release/net10.0/BlazorRedis.Bench.dll workbench "127.0.0.1:$redis_port" "$ITERATIONS" "$LEARNERS" "$SECONDS_RUN")
{
  echo "# Workbench: the console's own overhead, and $LEARNERS learners typing at once"
  echo
  echo "Machine: $(machine). Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/workbench.sh\`;"
  echo ".NET $(dotnet --version), Redis $(redis_version), all on loopback. Load average at the end: $(loadavg)."
  echo
  echo "$result"
} > "$out"
cat "$out"
