#!/usr/bin/env bash
# Issue 11: what each learner's caching lab costs, through the app's own CachingLabs on a real redis-server:
#   LEARNERS labs (default 300), each with 5 cached reads and one write-behind write applied by its own worker:
#   managed memory and Redis memory per lab, the idle Redis load of their workers, a hit through a lab vs the shared one.
#   bench/labs.sh   (under a minute) → bench/results/labs.md
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
scripts/ensure-packages.sh redis-server:redis-server
LEARNERS=${LEARNERS:-300}
out=bench/results/labs.md
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
result=$(dotnet bench/BlazorRedis.Bench/bin/Release/net10.0/BlazorRedis.Bench.dll labs "127.0.0.1:$redis_port" "$LEARNERS")
{
  echo "# Caching labs: what $LEARNERS learners' labs cost"
  echo
  echo "Machine: $(machine). Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/labs.sh\`;"
  echo ".NET $(dotnet --version), Redis $(redis_version), all on loopback. Load average at the end: $(loadavg)."
  echo
  echo "$result"
} > "$out"
cat "$out"
