#!/usr/bin/env bash
# The budget goal of issue 10 §3: while ONE client abuses one endpoint, what does everyone else see?
#   bench/abuse.sh            (about 9 minutes on 2 cores: ROUNDS=2 rounds of four 30 s abuses and a minute idle)
# For each abuse below, a calm probe (bench/abuse.py probe) asks GET /health and a cache-hit GET /api/products/1 in
# turn every 50 ms on one kept-alive connection, and reports p50/p95/max. Goal: both p95 under 25 ms.
#   1. baseline          nothing else runs
#   2. stampede          16 clients loop POST /api/cache/stampede {"requests":1000,"protection":"none"} (one address
#                        may race at most 1,000 readers, Budgets:RaceReadersPerApiClient; 5,000 would be refused at once)
#   3. publish           16 clients loop POST /api/pubsub/publish with 64 KB messages
#   4. connections       1,500 WebSocket connections to /hubs/metrics that never read
# It also records Redis used_memory and the journal's size (the demo-memory and journal budgets), and the app's
# resident memory at start, after each abuse, and after a minute idle at the end of each round (a second round that
# ends where the first did is warm-up, not a leak). Writes bench/results/abuse.md.
# The app runs with its default budgets (only the log level is changed), published, in Production.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
scripts/ensure-packages.sh redis-server:redis-server redis-tools:redis-cli
EACH=${SECONDS_EACH:-30}
IDLE=${IDLE_SECONDS:-60}
ROUNDS=${ROUNDS:-2}
out=bench/results/abuse.md
mkdir -p bench/results
work=$(mktemp -d)
redis_port=$(free_port)
app_port=$(free_port)
cleanup() {
  stop_pid "${app_pid:-}"
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

start_redis "$redis_port" "$work"

dotnet publish BlazorRedis.App -c Release -nologo -v quiet -o "$work/app"
(
  cd "$work/app"
  ASPNETCORE_ENVIRONMENT=Production REDIS_URL="redis://127.0.0.1:$redis_port/0" Caching__DefaultTtlSeconds=3600 \
  Logging__LogLevel__Default=Warning exec dotnet BlazorRedis.App.dll --urls "http://127.0.0.1:$app_port"
) > "$work/app.log" 2>&1 &
app_pid=$!
base="http://127.0.0.1:$app_port"
wait_healthy "$base"
curl -fsS "$base/api/products/1" >/dev/null
curl -fsS "$base/api/products/1" | grep -q '"source":"cache"' || { echo "product 1 is not served from the cache" >&2; exit 1; }

rss_mib() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$app_pid/status"; }
redis_mib() { redis-cli -p "$redis_port" info memory | awk -F: '/^used_memory:/ { printf "%.1f", $2 / 1048576 }'; }
journal_kib() {
  local key; key=$(redis-cli -p "$redis_port" --scan --pattern '*pubsub:journal' | head -1)
  if [ -z "$key" ]; then echo 0; else redis-cli -p "$redis_port" memory usage "$key" samples 0 | awk '{ printf "%.0f", $1 / 1024 }'; fi
}

sleep 5 # let the app settle after its first requests
start_rss=$(rss_mib)
start_redis=$(redis_mib)
start_load=$(loadavg)
rows=()
run() {
  local name=$1 mode=$2 n=$3 probe_json abuse_json=""
  local abuse_pid=""
  if [ "$mode" != "none" ]; then
    python3 bench/abuse.py "$mode" "$base" "$EACH" "$n" > "$work/$name.abuse.json" &
    abuse_pid=$!
    sleep 2 # the abuse is under way before the probe starts
  fi
  probe_json=$(python3 bench/abuse.py probe "$base" "$((EACH - 4))")
  [ -n "$abuse_pid" ] && wait "$abuse_pid" && abuse_json=$(cat "$work/$name.abuse.json")
  local rss redis journal
  rss=$(rss_mib); redis=$(redis_mib); journal=$(journal_kib)
  rows+=("$(python3 - "$name" "$probe_json" "$abuse_json" "$rss" "$redis" "$journal" <<'PY'
import json, sys
name, probe, abuse, rss, redis, journal = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
h, g = probe["/health"], probe["/api/products/1"]
ok = "yes" if (h["p95_ms"] or 1e9) < 25 and (g["p95_ms"] or 1e9) < 25 and h["failed"] == 0 and g["failed"] == 0 else "**no**"
what = json.loads(abuse) if abuse else {}
what = ", ".join(f"{k} {v}" for k, v in (what.get("statuses") or {}).items()) or \
       (f"opened {what['opened']}, refused {what['refused']}, failed {what['failed']}" if "opened" in what else "–")
print(f"| {name} | {h['p50_ms']} / {h['p95_ms']} / {h['max_ms']} ms ({h['failed']} failed) | {g['p50_ms']} / {g['p95_ms']} / {g['max_ms']} ms ({g['failed']} failed) | {ok} | {what} | {rss} MiB | {redis} MB | {journal} KiB |")
PY
)")
  echo "${rows[-1]}" >&2
}

idle_after=()
for round in $(seq 1 "$ROUNDS"); do
  suffix=$([ "$ROUNDS" -gt 1 ] && echo " (round $round)" || true)
  run "baseline$suffix" none 0
  run "stampede$suffix" stampede 16
  run "publish$suffix" publish 16
  run "connections$suffix" connections 1500
  sleep "$IDLE"
  idle_after+=("$(rss_mib) MiB")
done
idle_redis=$(redis_mib)
end_load=$(loadavg)
unhandled=$(grep -c -E 'fail: |Unhandled|crit: ' "$work/app.log" || true)

{
  echo "# One client abusing one endpoint (issue 10 §3)"
  echo
  echo "Machine: $(machine). Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/abuse.sh\`;"
  echo ".NET $(dotnet --version), Redis $(redis_version), app published, Production, default budgets, all on loopback."
  echo "Load average at start: $start_load; at end: $end_load (other work on the machine shows here)."
  echo
  echo "Each abuse runs ${EACH} s from one client address. Meanwhile a calm probe asks \`GET /health\` and a cache-hit"
  echo "\`GET /api/products/1\` in turn every 50 ms on one kept-alive connection. **Goal: both p95 under 25 ms.**"
  echo
  echo "| Abuse | /health p50 / p95 / max | cache hit p50 / p95 / max | Goal met | What the abuser got | App RSS after | Redis used_memory | Journal |"
  echo "|---|---|---|---|---|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "- Redis used_memory at start: ${start_redis} MB; after ${IDLE} s idle at the end: ${idle_redis} MB."
  echo "- App resident memory at start: ${start_rss} MiB; after ${IDLE} s idle at the end of each round: ${idle_after[*]}."
  echo "- Error lines in the app log (fail/crit/Unhandled): ${unhandled}."
} > "$out"
cat "$out"
