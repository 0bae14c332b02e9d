#!/usr/bin/env bash
# Issue 15's goal, measured in one run on this machine:
#   - an L1 hit through HybridCache or FusionCache (GET /api/products/1?via=hybrid|fusion) at least 2x the requests/s
#     of our Redis-hit path (GET /api/products/1, one Redis GET per hit);
#   - the library path at least 15x the source material's FastAPI cache-aside endpoint (bench/fastapi_cache_aside.py,
#     uvicorn with one worker, as the tutorial runs it), side by side.
#   bench/libraries.sh   (about 3 minutes; DURATION=10s, THREADS=2, CONNECTIONS=32) → bench/results/libraries.md
# Every path is warmed first (so each read is a hit), then measured in two rounds in turn; each path's better round is
# reported and every round is listed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-packages.sh redis-server:redis-server wrk:wrk python3-fastapi:/usr/lib/python3/dist-packages/fastapi \
  python3-uvicorn:/usr/lib/python3/dist-packages/uvicorn python3-redis:/usr/lib/python3/dist-packages/redis
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
out=bench/results/libraries.md
mkdir -p bench/results
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port); app_port=$(free_port); py_port=$(free_port)
cleanup() {
  [ -n "${app_pid:-}" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  [ -n "${py_pid:-}" ] && kill "$py_pid" 2>/dev/null && wait "$py_pid" 2>/dev/null
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize yes --logfile "$work/redis.log"
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.05; done
dotnet publish BlazorRedis.App -c Release -nologo -v quiet -o "$work/app"
(
  cd "$work/app"
  ASPNETCORE_ENVIRONMENT=Production REDIS_URL="redis://127.0.0.1:$redis_port/0" Caching__DefaultTtlSeconds=3600 \
  Libraries__ApiMemorySeconds=3600 Libraries__RedisSeconds=3600 Logging__LogLevel__Default=Warning \
  exec dotnet BlazorRedis.App.dll --urls "http://127.0.0.1:$app_port"
) > "$work/app.log" 2>&1 &
app_pid=$!
# Debian's Python (not a pyenv one), where apt put FastAPI, uvicorn and redis-py.
(cd bench && REDIS_PORT=$redis_port exec /usr/bin/python3 -m uvicorn fastapi_cache_aside:app --host 127.0.0.1 --port "$py_port" --log-level warning) > "$work/py.log" 2>&1 &
py_pid=$!
base="http://127.0.0.1:$app_port"
for _ in $(seq 1 300); do curl -fsS "$base/health" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$py_port/docs" >/dev/null 2>&1 && break; sleep 0.1; done

declare -A url=(
  [ours]="$base/api/products/1"
  [hybrid]="$base/api/products/1?via=hybrid"
  [fusion]="$base/api/products/1?via=fusion"
  [fastapi]="http://127.0.0.1:$py_port/product/1"
)
order=(ours hybrid fusion fastapi)
for p in "${order[@]}"; do curl -fsS "${url[$p]}" >/dev/null; done
sleep 2.2 # FastAPI's first read sleeps 2 s
for p in "${order[@]}"; do
  body=$(curl -fsS "${url[$p]}")
  echo "$body" | grep -q '"source":"cache"' || { echo "$p is not a cache hit: $body" >&2; exit 1; }
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "${url[$p]}" >/dev/null # warm-up
done

declare -A best rounds p50 p99
for round in 1 2; do
  for p in "${order[@]}"; do
    result=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${url[$p]}")
    rps=$(echo "$result" | awk '/Requests\/sec/ { print $2 }')
    rounds[$p]="${rounds[$p]:-}${rounds[$p]:+ / }$rps"
    if [ -z "${best[$p]:-}" ] || awk "BEGIN { exit !($rps > ${best[$p]}) }"; then
      best[$p]=$rps
      p50[$p]=$(echo "$result" | awk '$1 == "50%" { print $2 }')
      p99[$p]=$(echo "$result" | awk '$1 == "99%" { print $2 }')
    fi
  done
done

ratio() { awk "BEGIN { printf \"%.1f\", $1 / $2 }"; }
l1=$(awk "BEGIN { print (${best[hybrid]} < ${best[fusion]}) ? ${best[hybrid]} : ${best[fusion]} }")
{
  echo "# Caching libraries: an L1 hit, our Redis hit and the source material's FastAPI endpoint"
  echo
  echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores. Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/libraries.sh\`;"
  echo ".NET $(dotnet --version), Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2), FastAPI $(/usr/bin/python3 -c 'import fastapi; print(fastapi.__version__)') on uvicorn (one worker), wrk $THREADS threads × $CONNECTIONS connections × $DURATION, all on loopback."
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| Path | Requests/s (best of 2) | p50 | p99 | Rounds |"
  echo "|---|---:|---:|---:|---|"
  echo "| \`GET /api/products/1\` (our cache-aside: one Redis GET per hit) | ${best[ours]} | ${p50[ours]} | ${p99[ours]} | ${rounds[ours]} |"
  echo "| \`GET /api/products/1?via=hybrid\` (HybridCache L1 hit) | ${best[hybrid]} | ${p50[hybrid]} | ${p99[hybrid]} | ${rounds[hybrid]} |"
  echo "| \`GET /api/products/1?via=fusion\` (FusionCache L1 hit) | ${best[fusion]} | ${p50[fusion]} | ${p99[fusion]} | ${rounds[fusion]} |"
  echo "| FastAPI \`GET /product/1\` (the source material's endpoint, Redis hit) | ${best[fastapi]} | ${p50[fastapi]} | ${p99[fastapi]} | ${rounds[fastapi]} |"
  echo
  echo "- L1 hit vs our Redis hit: HybridCache **$(ratio "${best[hybrid]}" "${best[ours]}")×**, FusionCache **$(ratio "${best[fusion]}" "${best[ours]}")×** (goal: at least 2×)."
  echo "- Library path vs FastAPI: **$(ratio "$l1" "${best[fastapi]}")×** for the slower library (goal: at least 15×)."
} > "$out"
cat "$out"
