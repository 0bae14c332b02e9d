# shellcheck shell=bash
# Start-up lines every bench script shares. Source it from the repository root:
#   source bench/lib.sh

bench_dll=bench/BlazorRedis.Bench/bin/Release/net10.0/BlazorRedis.Bench.dll

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

machine() { echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"; }

redis_version() { redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2; }

# start_redis PORT DIR: a throw-away redis-server (no persistence) on loopback; stop it with redis-cli -p PORT shutdown nosave.
start_redis() {
  redis-server --port "$1" --bind 127.0.0.1 --save "" --appendonly no --dir "$2" --daemonize yes --logfile "$2/redis-$1.log"
  until redis-cli -p "$1" ping >/dev/null 2>&1; do sleep 0.05; done
}

# publish_app DIR: the app published to DIR/app (Production serves its static files from there) and the bench driver built.
publish_app() {
  dotnet publish BlazorRedis.App -c Release -nologo -v quiet -o "$1/app"
  dotnet build bench/BlazorRedis.Bench -c Release -nologo -v quiet
}

# start_scaled_app APPDIR PORT LOG REDIS_URL TEACHER_TOKEN [VAR=value ...]: one published instance in Production with the
# settings of "Run several instances" in the README (Data Protection keys in Redis, the SignalR backplane, fleet metrics);
# the join attempts per address are lifted (every simulated learner joins from 127.0.0.1). Extra VAR=value override or
# add settings. The instance's process id is $! afterwards (exec: the dotnet process itself).
start_scaled_app() {
  local dir=$1 port=$2 log=$3 url=$4 token=$5
  shift 5
  (
    cd "$dir"
    exec env ASPNETCORE_ENVIRONMENT=Production REDIS_URL="$url" Logging__LogLevel__Default=Warning \
      Keyspace__Prefix="br:" Classroom__TeacherToken="$token" Classroom__JoinAttemptLimit=10000 \
      ScaleOut__DataProtectionInRedis=true ScaleOut__SignalRBackplane=true ScaleOut__FleetMetrics=true \
      "$@" dotnet BlazorRedis.App.dll --urls "http://127.0.0.1:$port"
  ) > "$log" 2>&1 &
}

# wait_healthy BASE_URL...: each answers /health within 30 s, or the script fails.
wait_healthy() {
  local base
  for base in "$@"; do
    for _ in $(seq 1 300); do curl -fsS "$base/health" >/dev/null 2>&1 && break; sleep 0.1; done
    curl -fsS "$base/health" >/dev/null 2>&1 || { echo "$base never became healthy" >&2; return 1; }
  done
}

# stop_pid PID: stops a process this script started, and waits for it.
stop_pid() {
  [ -n "${1:-}" ] || return 0
  kill "$1" 2>/dev/null || return 0
  wait "$1" 2>/dev/null || true # its exit status is the signal's
}

# error_lines FILE...: error-level lines in app logs.
error_lines() { cat "$@" | grep -c -E '^(fail|crit): ' || true; }
