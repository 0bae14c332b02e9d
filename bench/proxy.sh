#!/usr/bin/env bash
# Issue 14: two app instances of this machine behind HAProxy, run with a config made from docker/haproxy.cfg (the compose
# profile's proxy: sticky br-instance cookie, WebSockets) with only the addresses changed, so the bench also proves that
# config. Measured: CLASS_LEARNERS (default 60) learners' circuits through the proxy — held per instance and each
# instance's memory —, class-event and class-channel (pub/sub) delivery p50/p95 on the teacher's instance and across
# instances, cache-hit RPS with wrk through the proxy and direct to each instance; then the cache-hit path of one instance
# on a local 3-master Redis Cluster vs one on a single redis-server, same wrk settings.
#   bench/proxy.sh   (about 3-4 minutes) → bench/results/proxy.md
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
source scripts/redis-cluster.sh
scripts/ensure-packages.sh redis-server:redis-server redis-tools:redis-cli wrk:wrk haproxy:haproxy
CLASS_LEARNERS=${CLASS_LEARNERS:-60}
CLASS_ACTIONS=${CLASS_ACTIONS:-30}
DURATION=${DURATION:-5s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
out=bench/results/proxy.md
mkdir -p bench/results
load_start=$(loadavg)
started=$(date +%s)
work=$(mktemp -d)
redis_port=$(free_port)
port_a=$(free_port)
port_b=$(free_port)
proxy_port=$(free_port)
port_single=$(free_port)
port_cluster=$(free_port)
token="bench-teacher-$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
REDIS_CLUSTER_PIDS=()
cleanup() {
  stop_pid "${pid_proxy:-}"
  for pid in "${pid_a:-}" "${pid_b:-}" "${pid_single:-}" "${pid_cluster:-}"; do stop_pid "$pid"; done
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  stop_redis_cluster || true
  rm -rf "$work"
}
trap cleanup EXIT

start_redis "$redis_port" "$work"
publish_app "$work"
single_url="redis://127.0.0.1:$redis_port/0"
# The cache entry must outlive the runs; wrk's connections all come from 127.0.0.1.
app_settings=(Caching__DefaultTtlSeconds=3600 Budgets__ConnectionsPerAddress=100000)
start_scaled_app "$work/app" "$port_a" "$work/app-a.log" "$single_url" "$token" ScaleOut__InstanceId=app1 "${app_settings[@]}"; pid_a=$!
start_scaled_app "$work/app" "$port_b" "$work/app-b.log" "$single_url" "$token" ScaleOut__InstanceId=app2 "${app_settings[@]}"; pid_b=$!
base_a="http://127.0.0.1:$port_a"
base_b="http://127.0.0.1:$port_b"
wait_healthy "$base_a" "$base_b"

# --- The proxy: docker/haproxy.cfg with the compose names and ports replaced by this machine's, nothing else.
cfg="$work/haproxy.cfg"
sed -e "s|^\(  bind \):8080\$|\1127.0.0.1:$proxy_port|" \
    -e "s|\(server app1 \)app-1:8080|\1127.0.0.1:$port_a|" \
    -e "s|\(server app2 \)app-2:8080|\1127.0.0.1:$port_b|" docker/haproxy.cfg > "$cfg"
for line in "bind 127.0.0.1:$proxy_port" "server app1 127.0.0.1:$port_a" "server app2 127.0.0.1:$port_b"; do
  grep -q "$line" "$cfg" || { echo "docker/haproxy.cfg changed: could not make '$line' from it" >&2; exit 1; }
done
haproxy -c -f "$cfg" >/dev/null
haproxy -f "$cfg" -db > "$work/haproxy.log" 2>&1 &
pid_proxy=$!
proxy="http://127.0.0.1:$proxy_port"
wait_healthy "$proxy"

# Sticky sessions, checked by hand: a new browser gets br-instance; with it, every request stays on that instance (the
# stats API names the instance that answered); a browser without it is spread over both.
instance_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["instance"])'; }
curl -fsS -c "$work/jar" "$proxy/" >/dev/null
sticky=$(awk '$6=="br-instance" {print $7}' "$work/jar")
[ -n "$sticky" ] || { echo "the proxy set no br-instance cookie" >&2; exit 1; }
sticky_seen=$(for _ in 1 2 3 4 5 6; do curl -fsS -b "$work/jar" "$proxy/api/cache/stats" | instance_of; done | sort -u | paste -sd, -)
fresh_seen=$(for _ in 1 2 3 4 5 6; do curl -fsS "$proxy/api/cache/stats" | instance_of; done | sort -u | paste -sd, -)
echo "sticky cookie $sticky → $sticky_seen; without it → $fresh_seen" >&2

# --- The class through the proxy.
class=$(timeout 600 dotnet "$bench_dll" proxyclass "$proxy" "app1=$pid_a,app2=$pid_b" "$token" "$CLASS_LEARNERS" "$CLASS_ACTIONS" | tee -a /dev/stderr) \
  || class="${class:-}"$'\n\n_The driver failed or ran out of time; see stderr._'
fleet=$(curl -fsS "$base_a/api/cache/stats" | python3 -c 'import json,sys; f=json.load(sys.stdin)["fleet"]; print(f["count"], "(" + ", ".join(i["instance"] for i in f["instances"]) + ")")' || echo "?")
sleep 1 # the circuits' WebSockets are logged when they close
websockets=$(grep -c '"GET /_blazor?id=[^ ]* HTTP/1.1"' "$work/haproxy.log" || true)
upgraded=$(awk '/GET \/_blazor\?id=/ && / 101 /' "$work/haproxy.log" | wc -l)

# --- Cache-hit RPS: wrk on GET /api/products/1 (warmed, so every read is a hit) through the proxy and to each instance,
# in turns (proxy, app1, app2, twice), with the CPU each process used during each run (share of one core).
run_wrk() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1"; }
rps() { awk '/Requests\/sec/ {printf "%.0f", $2}'; }
pct() { awk -v k="$1" '$1==k {print $2}'; }
non2xx() { awk '/Non-2xx/ {print $5}' | grep . || echo 0; }
hits() { curl -fsS "$1/api/cache/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"])'; }
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; } # utime + stime, 1/100 s
check_hit() {
  local body
  curl -fsS "$1/api/products/1" >/dev/null
  body=$(curl -fsS "$1/api/products/1")
  echo "$body" | grep -q '"source":"cache"' || { echo "$1/api/products/1 is not a cache hit: $body" >&2; exit 1; }
}
# wrk_row LABEL URL PID...: one wrk run as a table row; the last cell is each PID's CPU during the run (100 % = one core).
wrk_row() {
  local label=$1 url=$2 r t0 t1 pid cpu=() before=()
  shift 2
  for pid in "$@"; do before+=("$(ticks "$pid")"); done
  t0=$(date +%s.%N)
  r=$(run_wrk "$url")
  t1=$(date +%s.%N)
  local i=0
  for pid in "$@"; do cpu+=("$(awk -v a="${before[$i]}" -v b="$(ticks "$pid")" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.0f %%", (b - a) / (t1 - t0) }')"); i=$((i + 1)); done
  local path=${label%, round*} value
  value=$(echo "$r" | rps)
  if [ -z "${best[$path]:-}" ] || [ "$value" -gt "${best[$path]}" ]; then best[$path]=$value; fi
  row="| $label | $(echo "$r" | rps) | $(echo "$r" | pct 50%) | $(echo "$r" | pct 99%) | $(echo "$r" | non2xx) | $(IFS=/; echo "${cpu[*]}" | sed 's|/| / |g') |"
  echo "$label: $(echo "$r" | rps) req/s" >&2
}
declare -A best
rows_proxy=()
for base in "$proxy" "$base_a" "$base_b"; do check_hit "$base"; wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$base/api/products/1" >/dev/null; done
for round in 1 2; do
  hits_a0=$(hits "$base_a"); hits_b0=$(hits "$base_b"); t0=$(date +%s.%N)
  wrk_row "Through the proxy, round $round" "$proxy/api/products/1" "$pid_proxy" "$pid_a" "$pid_b"
  t1=$(date +%s.%N); hits_a1=$(hits "$base_a"); hits_b1=$(hits "$base_b")
  rows_proxy+=("$row$(awk -v a=$((hits_a1 - hits_a0)) -v b=$((hits_b1 - hits_b0)) -v t0="$t0" -v t1="$t1" 'BEGIN { printf " %.0f / %.0f |", a / (t1 - t0), b / (t1 - t0) }')")
  wrk_row "Direct to app1, round $round" "$base_a/api/products/1" "$pid_proxy" "$pid_a" "$pid_b"; rows_proxy+=("$row |")
  wrk_row "Direct to app2, round $round" "$base_b/api/products/1" "$pid_proxy" "$pid_a" "$pid_b"; rows_proxy+=("$row |")
done
proxy_errors=$(error_lines "$work/app-a.log" "$work/app-b.log")
stop_pid "$pid_proxy"; pid_proxy=
stop_pid "$pid_a"; pid_a=
stop_pid "$pid_b"; pid_b=
sleep 1
websockets=$(grep -c '"GET /_blazor[ ?]' "$work/haproxy.log" || true)
upgraded=$(grep '"GET /_blazor[ ?]' "$work/haproxy.log" | grep -c ' 101 ' || true)
requests_logged=$(wc -l < "$work/haproxy.log")
[ -n "${BENCH_KEEP:-}" ] && cp "$work/haproxy.log" "$BENCH_KEEP/haproxy.log"

# --- Cluster vs single: one instance on each (same settings), measured in turns (single, cluster, three times).
base_port=$((12000 + RANDOM % 7000))
start_redis_cluster "$base_port" >&2
cluster_url=$REDIS_URL
start_scaled_app "$work/app" "$port_single" "$work/app-single.log" "$single_url" "$token" "${app_settings[@]}"; pid_single=$!
start_scaled_app "$work/app" "$port_cluster" "$work/app-cluster.log" "$cluster_url" "$token" "${app_settings[@]}"; pid_cluster=$!
base_single="http://127.0.0.1:$port_single"
base_cluster="http://127.0.0.1:$port_cluster"
wait_healthy "$base_single" "$base_cluster"
for base in "$base_single" "$base_cluster"; do check_hit "$base"; wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$base/api/products/1" >/dev/null; done
key="br:{cache}:product:1" # the cache's keys share the {cache} hash tag
slot=$(redis-cli -p "$base_port" cluster keyslot "$key")
on_cluster=$(redis-cli -c -p "$base_port" exists "$key")
cluster_pids=("${REDIS_CLUSTER_PIDS[@]}")
redis_pid=$(redis-cli -p "$redis_port" info server | awk -F: '/^process_id/ { print $2 }' | tr -d '\r')
rows_cluster=()
for round in 1 2 3; do
  wrk_row "Single redis-server, round $round" "$base_single/api/products/1" "$pid_single" "$redis_pid"; rows_cluster+=("$row")
  wrk_row "3-master Redis Cluster, round $round" "$base_cluster/api/products/1" "$pid_cluster" "${cluster_pids[@]}"; rows_cluster+=("$row")
done
other_errors=$(error_lines "$work/app-single.log" "$work/app-cluster.log")
load_end=$(loadavg)
elapsed=$(( $(date +%s) - started ))

rule="|---|---:|---:|---:|---:|---:|"
{
  echo "# Two instances behind the proxy; the cache-hit path on a Redis Cluster vs one Redis"
  echo
  echo "Machine: $(machine), shared with other work. Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/proxy.sh\` in ${elapsed} s;"
  echo ".NET $(dotnet --version), Redis $(redis_version), $(haproxy -v | head -1 | cut -d' ' -f1,3), wrk $THREADS threads × $CONNECTIONS connections × $DURATION."
  echo "Every instance published, Production, with the README's several-instances settings (\`ScaleOut__DataProtectionInRedis\`,"
  echo "\`ScaleOut__SignalRBackplane\`, \`ScaleOut__FleetMetrics\`), the driver, wrk, HAProxy and Redis on the same 2 cores."
  echo "**Load average $load_start at the start, $load_end at the end** (other agents' builds and tests share the machine:"
  echo "the absolute numbers are this busy machine's; runs in turns, every round listed, so one noisy second shows)."
  echo
  echo "## The proxy: docker/haproxy.cfg, only its addresses changed"
  echo
  echo "- \`haproxy -c\` accepts the generated config (bind and the two \`server\` lines rewritten to loopback ports); \`/health\`"
  echo "  answers through it, and its health checks (\`GET /health\`) kept both servers up."
  echo "- Sticky cookie: the first answer set \`br-instance=$sticky\`; six requests with it were answered by \`$sticky_seen\`"
  echo "  (the stats API names the instance); six without it by \`$fresh_seen\` (round robin)."
  echo "- WebSockets: $websockets Blazor circuit connections (\`GET /_blazor\`, the driver allows no other transport) went"
  echo "  through the proxy, $upgraded of them answered 101 (switched to WebSocket) and held until the driver closed them."
  echo "- Instances in the fleet (stats API on app1) after the class: $fleet."
  echo
  echo "## $CLASS_LEARNERS learners through the proxy"
  echo
  echo "The teacher and every learner went through the proxy with their own cookies (the driver keeps \`br-instance\`, so"
  echo "each circuit and each API call stays on the instance that holds the learner). Rows \"on the other instance\" crossed"
  echo "instances through Redis (a class event on the class's Redis channel; the class channel is plain Redis pub/sub; an"
  echo "action or a poll answer accepted on one instance and shown on the teacher's); \"on the teacher's instance\" did not"
  echo "leave it but for Redis itself (the same channels: every instance subscribes)."
  echo
  echo "$class"
  echo
  echo "## Cache-hit RPS through the proxy and direct"
  echo
  echo "\`GET /api/products/1\`, warmed, each answer \`\"source\":\"cache\"\` (checked before the runs). Through the proxy wrk"
  echo "sends no cookie, so HAProxy balances request by request over both instances; the last column is each instance's hit"
  echo "counter over that run. CPU is each process's use during the run (100 % = one of the 2 cores). HAProxy logs every"
  echo "request as the compose config says (\`option httplog\` to stdout, here a file: $requests_logged lines in this run)."
  echo
  echo "| Cache hit, GET /api/products/1 | req/s | p50 | p99 | non-2xx | CPU HAProxy / app1 / app2 | hits/s app1 / app2 |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows_proxy[@]}"
  echo
  echo "Best round of each: through the proxy **${best["Through the proxy"]} req/s**, direct to app1 **${best["Direct to app1"]}**, to app2 **${best["Direct to app2"]}**."
  echo
  echo "## The cache-hit path: a 3-master Redis Cluster vs a single redis-server"
  echo
  echo "One instance on each (the same settings; \`REDIS_URL\` naming the three nodes vs one server), both idle but for wrk,"
  echo "measured in turns. The cluster is started as the test fixture starts it (\`scripts/redis-cluster.sh\`: 3 masters, no"
  echo "replicas, no persistence). The product's key \`$key\` is in slot $slot (exists on the cluster: $on_cluster), so every"
  echo "hit is one GET to the one master that holds the slot; CPU: the app, then the Redis process(es)."
  echo
  echo "| Cache hit, GET /api/products/1 | req/s | p50 | p99 | non-2xx | CPU app / Redis (node 1 / 2 / 3) |"
  echo "$rule"
  printf '%s\n' "${rows_cluster[@]}"
  echo
  echo "Best round of each: single redis-server **${best["Single redis-server"]} req/s**, 3-master cluster **${best["3-master Redis Cluster"]} req/s**."
  echo
  echo "App logs: $proxy_errors error-level lines on app1 and app2, $other_errors on the single and cluster instances."
} > "$out"
echo "wrote $out"
