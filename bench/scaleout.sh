#!/usr/bin/env bash
# Issue 14: one class on TWO app instances of this machine sharing one Redis. The teacher is on instance A, the
# CLASS_LEARNERS (default 100) simulated learners join and hold their circuits on instance B, so every delivery the
# class driver measures crosses instances through Redis pub/sub: a learner's action on B reaching the teacher's roster
# on A, "bring everyone here" from A reaching every learner on B (class events), a poll answered on B tallied on A, and
# five teacher posts on the class channel (plain Redis pub/sub) published by A reaching every learner's circuit on B.
#   bench/scaleout.sh   (about 2 minutes) → bench/results/scaleout.md
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-packages.sh redis-server:redis-server redis-tools:redis-cli
CLASS_LEARNERS=${CLASS_LEARNERS:-100}
CLASS_ACTIONS=${CLASS_ACTIONS:-100}
out=bench/results/scaleout.md
mkdir -p bench/results
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
redis_port=$(free_port)
port_a=$(free_port)
port_b=$(free_port)
token="bench-teacher-$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
cleanup() {
  [ -n "${pid_a:-}" ] && kill "$pid_a" 2>/dev/null && wait "$pid_a" 2>/dev/null
  [ -n "${pid_b:-}" ] && kill "$pid_b" 2>/dev/null && wait "$pid_b" 2>/dev/null
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --daemonize yes --logfile "$work/redis.log"
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.05; done

dotnet publish BlazorRedis.App -c Release -nologo -v quiet -o "$work/app"
dotnet build bench/BlazorRedis.Bench -c Release -nologo -v quiet
# Production, published, the settings of "Run several instances" in the README; the join attempts per address are
# lifted (every simulated learner joins from 127.0.0.1).
start_instance() {
  (
    cd "$work/app"
    ASPNETCORE_ENVIRONMENT=Production REDIS_URL="redis://127.0.0.1:$redis_port/0" Logging__LogLevel__Default=Warning \
    Keyspace__Prefix="br:" Classroom__TeacherToken="$token" Classroom__JoinAttemptLimit=10000 \
    ScaleOut__DataProtectionInRedis=true ScaleOut__SignalRBackplane=true ScaleOut__FleetMetrics=true \
    exec dotnet BlazorRedis.App.dll --urls "http://127.0.0.1:$1"
  ) > "$work/app-$1.log" 2>&1 &
}
start_instance "$port_a"; pid_a=$!
start_instance "$port_b"; pid_b=$!
base_a="http://127.0.0.1:$port_a"
base_b="http://127.0.0.1:$port_b"
for base in "$base_a" "$base_b"; do
  for _ in $(seq 1 300); do curl -fsS "$base/health" >/dev/null 2>&1 && break; sleep 0.1; done
done

result=$(timeout 900 dotnet bench/BlazorRedis.Bench/bin/Release/net10.0/BlazorRedis.Bench.dll class "$base_a" "$pid_b" "$token" "$CLASS_LEARNERS" "$CLASS_ACTIONS" "$base_b" | tee /dev/stderr) \
  || result="${result:-}"$'\n\n_The driver failed or ran out of time; see stderr._'
fleet=$(curl -fsS "$base_a/api/cache/stats" | python3 -c 'import json,sys; f=json.load(sys.stdin)["fleet"]; print(f["count"])' || echo "?")
fail_lines=$(cat "$work"/app-*.log | grep -c -E '^(fail|crit): ' || true)
{
  echo "# One class on two instances: the teacher on A, $CLASS_LEARNERS learners on B"
  echo
  echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores. Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/scaleout.sh\`;"
  echo ".NET $(dotnet --version), Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2), both instances published and run in Production on"
  echo "loopback with \`ScaleOut__DataProtectionInRedis\`, \`ScaleOut__SignalRBackplane\` and \`ScaleOut__FleetMetrics\` on, one Redis,"
  echo "the driver on the same 2 cores. Load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
  echo "Instances in the fleet (stats API on A) at the end: $fleet."
  echo
  echo "$result"
  echo
  echo "App logs: $fail_lines error-level lines. The memory line is instance B's (the learners' circuits)."
  echo
  echo "How it is measured: as in bench/class.sh (bench/results/class.md), except that the teacher's cookie, class and"
  echo "/teacher circuit are on instance A and every learner joins through B's API and holds its /workbench circuit on B."
  echo "So \"an action reaching the teacher\" is a workbench line run on B shown in a render batch of A's teacher circuit,"
  echo "\"bring everyone here\" is a class event published by A and delivered to each learner's circuit on B (Redis pub/sub"
  echo "between the instances, then B's fan-out to its circuits), and a poll answer is accepted on B and shown on A."
  echo "A channel post is the teacher's \`POST /api/classroom/class/channel\` on A (PUBLISH on the class channel); it has"
  echo "reached a learner on B when a render batch of the learner's circuit carries the closed channel card's \"(k new)\" count."
} > "$out"
echo "wrote $out"
