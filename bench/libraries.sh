#!/usr/bin/env bash
# Issue 15's goal, measured in one run on this machine:
#   - an L1 hit through HybridCache or FusionCache (GET /api/products/1?via=hybrid|fusion) at least 2x the requests/s
#     of our Redis-hit path (GET /api/products/1, one Redis GET per hit);
#   - the library path at least 15x the source material's FastAPI cache-aside endpoint (bench/fastapi_cache_aside.py,
#     uvicorn with one worker, as the tutorial runs it), side by side.
# Beside them, the ceiling: GET /api/bench/memory answers the same product reply from JSON the app holds, with no cache
# and no Redis, so the table shows how far any L1 hit could go on this machine and how close the libraries come.
# And the bare yardstick, with nothing of ours in it: a bare ASP.NET Core server (`BlazorRedis.Bench bare`: the slim
# builder, no middleware) answers those same bytes from memory and from one raw Redis GET, so the table shows what an
# in-process cache can gain over a Redis read on this machine at all.
#   bench/libraries.sh   (about 11 minutes; DURATION=10s, THREADS=2, CONNECTIONS=32, SOURCE_CONNECTIONS=10,
#                        SWEEP="1 2 4 8 16 32 64", SWEEP_DURATION=5s)
#                        → bench/results/libraries.md
# Every path is warmed first (so each read is a hit), then measured in two rounds in turn; each path's better round is
# reported and every round is listed.
# Each round also records the server CPU per request (app and Redis, from /proc), and two more rounds per path run wrk on
# a core of its own (taskset), so the load generator does not take the servers' CPU, and two more at the source
# material's concurrency (its `ab -n 100 -c 10`: 10 connections).
# Last, a sweep over the number of connections (one round per path and count) shows where the ratio holds: while the
# cores have time to spare, requests/s follow the latency of one request; once they are saturated, they follow its CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
scripts/ensure-packages.sh redis-server:redis-server wrk:wrk python3-fastapi:/usr/lib/python3/dist-packages/fastapi \
  python3-uvicorn:/usr/lib/python3/dist-packages/uvicorn python3-redis:/usr/lib/python3/dist-packages/redis
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
SOURCE_CONNECTIONS=${SOURCE_CONNECTIONS:-10}
SWEEP=${SWEEP:-1 2 4 8 16 32 64}
SWEEP_DURATION=${SWEEP_DURATION:-5s}
out=bench/results/libraries.md
load_start=$(loadavg)
mkdir -p bench/results
work=$(mktemp -d)
redis_port=$(free_port); app_port=$(free_port); py_port=$(free_port); bare_port=$(free_port)
cleanup() {
  stop_pid "${app_pid:-}"
  stop_pid "${bare_pid:-}"
  stop_pid "${py_pid:-}"
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

start_redis "$redis_port" "$work"
publish_app "$work"
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
# The bare server answers the app's own ceiling reply, byte for byte.
curl -fsS "$base/api/bench/memory" > "$work/reply.json"
dotnet "$bench_dll" bare "$bare_port" "127.0.0.1:$redis_port" "$work/reply.json" > "$work/bare.log" 2>&1 &
bare_pid=$!
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$bare_port/redis" >/dev/null 2>&1 && break; sleep 0.1; done

declare -A url=(
  [ours]="$base/api/products/1"
  [hybrid]="$base/api/products/1?via=hybrid"
  [fusion]="$base/api/products/1?via=fusion"
  [fastapi]="http://127.0.0.1:$py_port/product/1"
  [ceiling]="$base/api/bench/memory"
  [bareredis]="http://127.0.0.1:$bare_port/redis"
  [barememory]="http://127.0.0.1:$bare_port/memory"
)
order=(ours hybrid fusion ceiling fastapi bareredis barememory)
for p in "${order[@]}"; do curl -fsS "${url[$p]}" >/dev/null; done
sleep 2.2 # FastAPI's first read sleeps 2 s
for p in "${order[@]}"; do
  body=$(curl -fsS "${url[$p]}")
  echo "$body" | grep -q '"source":"cache"\|"source":"memory"' || { echo "$p is not a cache hit: $body" >&2; exit 1; }
  wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "${url[$p]}" >/dev/null # warm-up
done

# What each path costs the server, apart from the load generator: the CPU time (user + system, from /proc) the app and
# redis-server (for FastAPI: uvicorn and redis-server) spent during a round, divided by the requests wrk counted.
redis_pid=$(redis-cli -p "$redis_port" info server | awk -F: '/^process_id/ { print $2 }' | tr -d '\r')
ticks=$(getconf CLK_TCK)
cpu_of() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; echo "$t"; }
declare -A server=([ours]="$app_pid $redis_pid" [hybrid]="$app_pid $redis_pid" [fusion]="$app_pid $redis_pid" [ceiling]="$app_pid $redis_pid" [fastapi]="$py_pid $redis_pid" [bareredis]="$bare_pid $redis_pid" [barememory]="$bare_pid $redis_pid")

# One wrk round: "rps p50 p99 server-us-per-request". $1 = path, $2 = a command prefix for wrk (taskset or nothing),
# $3 = wrk threads, $4 = connections (default CONNECTIONS), $5 = duration (default DURATION).
round_of() {
  local before after result n
  before=$(cpu_of ${server[$1]})
  result=$($2 wrk -t"$3" -c"${4:-$CONNECTIONS}" -d"${5:-$DURATION}" --latency "${url[$1]}")
  after=$(cpu_of ${server[$1]})
  n=$(echo "$result" | awk '/requests in/ { print $1 }')
  echo "$(echo "$result" | awk '/Requests\/sec/ { print $2 }') $(echo "$result" | awk '$1 == "50%" { print $2 }') \
$(echo "$result" | awk '$1 == "99%" { print $2 }') $(awk "BEGIN { printf \"%.1f\", ($after - $before) * 1000000 / $ticks / $n }")"
}

# beats RPS BEST: true when RPS is a better round than BEST (or there is none yet).
beats() { [ -z "$2" ] || awk "BEGIN { exit !($1 > $2) }"; }

declare -A best rounds p50 p99 cpu pinned prounds atsource
for round in 1 2; do
  for p in "${order[@]}"; do
    read -r rps l50 l99 us < <(round_of "$p" "" "$THREADS")
    rounds[$p]="${rounds[$p]:-}${rounds[$p]:+ / }$rps"
    if beats "$rps" "${best[$p]:-}"; then
      best[$p]=$rps; p50[$p]=$l50; p99[$p]=$l99; cpu[$p]=$us
    fi
  done
done

# The source material's concurrency: 10 connections.
for round in 1 2; do
  for p in "${order[@]}"; do
    read -r rps _ _ _ < <(round_of "$p" "" "$THREADS" "$SOURCE_CONNECTIONS")
    if beats "$rps" "${atsource[$p]:-}"; then atsource[$p]=$rps; fi
  done
done

# The same paths with the load generator on a core of its own and the servers on the others, as a benchmark across
# two machines would have it: wrk on the last CPU (one thread), the app, redis-server and uvicorn on the rest.
cores=$(nproc)
if [ "$cores" -ge 2 ]; then
  last=$((cores - 1))
  for pid in "$app_pid" "$redis_pid" "$py_pid" "$bare_pid"; do taskset -a -p -c "0-$((last - 1))" "$pid" >/dev/null; done
  for round in 1 2; do
    for p in "${order[@]}"; do
      read -r rps _ _ _ < <(round_of "$p" "taskset -c $last" 1)
      prounds[$p]="${prounds[$p]:-}${prounds[$p]:+ / }$rps"
      if beats "$rps" "${pinned[$p]:-}"; then pinned[$p]=$rps; fi
    done
  done
  for pid in "$app_pid" "$redis_pid" "$py_pid" "$bare_pid"; do taskset -a -p -c "0-$last" "$pid" >/dev/null; done
fi

# The sweep: our Redis hit and both L1 hits at each connection count, in turn (wrk threads: no more than connections).
declare -A swept swept50
for c in $SWEEP; do
  for p in ours hybrid fusion ceiling bareredis barememory; do
    read -r rps l50 _ _ < <(round_of "$p" "" "$((c < THREADS ? c : THREADS))" "$c" "$SWEEP_DURATION")
    swept[$p,$c]=$rps; swept50[$p,$c]=$l50
  done
done

ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
slower() { awk "BEGIN { print ($1 < $2) ? $1 : $2 }"; }
costlier() { awk "BEGIN { print ($1 > $2) ? $1 : $2 }"; }
l1=$(slower "${best[hybrid]}" "${best[fusion]}")
row() { # path label
  echo "| $2 | ${best[$1]} | ${p50[$1]} | ${p99[$1]} | ${rounds[$1]} | ${cpu[$1]} µs | ${pinned[$1]:-n/a} | ${atsource[$1]} |"
}
{
  echo "# Caching libraries: an L1 hit, our Redis hit and the source material's FastAPI endpoint"
  echo
  echo "Machine: $(machine). Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/libraries.sh\`;"
  echo ".NET $(dotnet --version), Redis $(redis_version), FastAPI $(/usr/bin/python3 -c 'import fastapi; print(fastapi.__version__)') on uvicorn (one worker), wrk $THREADS threads × $CONNECTIONS connections × $DURATION, all on loopback."
  echo "Load average at the start: $load_start; at the end: $(loadavg)."
  echo
  echo "| Path | Requests/s (best of 2) | p50 | p99 | Rounds | Server CPU per request | Requests/s, wrk on its own core | Requests/s at $SOURCE_CONNECTIONS connections |"
  echo "|---|---:|---:|---:|---|---:|---:|---:|"
  row ours "\`GET /api/products/1\` (our cache-aside: one Redis GET per hit)"
  row hybrid "\`GET /api/products/1?via=hybrid\` (HybridCache L1 hit)"
  row fusion "\`GET /api/products/1?via=fusion\` (FusionCache L1 hit)"
  row ceiling "\`GET /api/bench/memory\` (the same reply with no cache and no Redis: the ceiling)"
  row fastapi "FastAPI \`GET /product/1\` (the source material's endpoint, Redis hit)"
  row bareredis "Bare ASP.NET Core \`GET /redis\` (nothing of ours: the same reply from one raw Redis GET)"
  row barememory "Bare ASP.NET Core \`GET /memory\` (nothing of ours: the same reply from memory)"
  echo
  echo "- L1 hit vs our Redis hit, requests/s with wrk sharing the cores: HybridCache **$(ratio "${best[hybrid]}" "${best[ours]}")×**, FusionCache **$(ratio "${best[fusion]}" "${best[ours]}")×** (goal: at least 2×)."
  [ -n "${pinned[ours]:-}" ] && echo "- The same with wrk on a core of its own: HybridCache **$(ratio "${pinned[hybrid]}" "${pinned[ours]}")×**, FusionCache **$(ratio "${pinned[fusion]}" "${pinned[ours]}")×**; the ceiling **$(ratio "${pinned[ceiling]}" "${pinned[ours]}")×**."
  echo "- At the source material's concurrency ($SOURCE_CONNECTIONS connections, as its \`ab -c 10\`): HybridCache **$(ratio "${atsource[hybrid]}" "${atsource[ours]}")×**, FusionCache **$(ratio "${atsource[fusion]}" "${atsource[ours]}")×**, the ceiling **$(ratio "${atsource[ceiling]}" "${atsource[ours]}")×** our Redis hit; the slower library **$(ratio "$(slower "${atsource[hybrid]}" "${atsource[fusion]}")" "${atsource[fastapi]}")×** FastAPI."
  echo "- Server CPU per request (app and Redis): the dearer L1 hit costs **$(ratio "${cpu[ours]}" "$(costlier "${cpu[hybrid]}" "${cpu[fusion]}")")×** less than our Redis hit."
  echo "- The ceiling, an endpoint that answers the same reply from memory with no cache at all: **$(ratio "${best[ceiling]}" "${best[ours]}")×** our Redis hit. No L1 hit can beat it; the libraries reach **$(ratio "$l1" "${best[ceiling]}")** of it (the slower one)."
  echo "- With nothing of ours at all, a bare ASP.NET Core server answering from memory instead of a Redis GET: **$(ratio "${best[barememory]}" "${best[bareredis]}")×** requests/s, **$(ratio "${atsource[barememory]}" "${atsource[bareredis]}")×** at $SOURCE_CONNECTIONS connections$([ -n "${pinned[bareredis]:-}" ] && echo ", **$(ratio "${pinned[barememory]}" "${pinned[bareredis]}")×** with wrk on a core of its own"); server CPU per request **$(ratio "${cpu[bareredis]}" "${cpu[barememory]}")×** less. That is what any in-process cache can gain over a Redis read on this machine."
  echo "- Library path vs FastAPI: **$(ratio "$l1" "${best[fastapi]}")×** for the slower library (goal: at least 15×)."
  echo
  echo "Server CPU per request is the CPU time (user + system) the app and redis-server spent during the best round,"
  echo "divided by the requests of that round (for FastAPI, uvicorn's and redis-server's). It does not count wrk, which"
  echo "shares the cores in the first columns: on this machine wrk costs every path about the same per request, which"
  echo "narrows the requests/s ratio between a cheap path and a dear one. The column after it keeps wrk off the servers' cores;"
  echo "the last one runs wrk with $SOURCE_CONNECTIONS connections (best of 2 rounds)."
  echo
  echo "## By the number of connections"
  echo
  echo "One $SWEEP_DURATION round per path and count, wrk sharing the cores. Requests/s (p50 latency in brackets):"
  echo
  echo "| Connections | Our Redis hit | HybridCache L1 hit | FusionCache L1 hit | Ceiling (no cache) | Slower L1 hit vs ours | Ceiling vs ours | Bare: memory vs a Redis GET |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  for c in $SWEEP; do
    echo "| $c | ${swept[ours,$c]} (${swept50[ours,$c]}) | ${swept[hybrid,$c]} (${swept50[hybrid,$c]}) | ${swept[fusion,$c]} (${swept50[fusion,$c]}) | ${swept[ceiling,$c]} (${swept50[ceiling,$c]}) | $(ratio "$(slower "${swept[hybrid,$c]}" "${swept[fusion,$c]}")" "${swept[ours,$c]}")× | $(ratio "${swept[ceiling,$c]}" "${swept[ours,$c]}")× | $(ratio "${swept[barememory,$c]}" "${swept[bareredis,$c]}")× |"
  done
  echo
  echo "With few connections the cores have time to spare, and a connection's requests/s are one over the latency of a"
  echo "request: an L1 hit skips the Redis round trip (a send, a wake-up of Redis, a reply, a wake-up of the app), so it"
  echo "answers in about half the time. With many, the two cores are saturated and requests/s follow the CPU each request"
  echo "takes, where the HTTP request and reply (and wrk's side of them) cost both paths the same. The ceiling column is"
  echo "that shared cost alone: where it is under 2× our Redis hit, no cache in the app can be 2× faster on this machine."
  echo "The last column takes the app out altogether: a bare ASP.NET Core server's reply from memory against its reply"
  echo "from one raw Redis GET, the most an in-process cache can gain over a Redis read here, whatever the app does."
} > "$out"
cat "$out"
