#!/usr/bin/env bash
# Issue 14: one class on TWO app instances of this machine sharing one Redis. The teacher is on instance A, the
# CLASS_LEARNERS (default 100) simulated learners join and hold their circuits on instance B, so every delivery the
# class driver measures crosses instances through Redis pub/sub: a learner's action on B reaching the teacher's roster
# on A, "bring everyone here" from A reaching every learner on B (class events), a poll answered on B tallied on A, and
# five teacher posts on the class channel (plain Redis pub/sub) published by A reaching every learner's circuit on B.
#   bench/scaleout.sh   (about 2 minutes) → bench/results/scaleout.md
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
scripts/ensure-packages.sh redis-server:redis-server redis-tools:redis-cli
CLASS_LEARNERS=${CLASS_LEARNERS:-100}
CLASS_ACTIONS=${CLASS_ACTIONS:-100}
out=bench/results/scaleout.md
mkdir -p bench/results
load_start=$(loadavg)
work=$(mktemp -d)
redis_port=$(free_port)
port_a=$(free_port)
port_b=$(free_port)
token="bench-teacher-$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
cleanup() {
  stop_pid "${pid_a:-}"
  stop_pid "${pid_b:-}"
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
start_redis "$redis_port" "$work"
publish_app "$work"
# Production, published, the settings of "Run several instances" in the README (bench/lib.sh).
start_instance() { start_scaled_app "$work/app" "$1" "$work/app-$1.log" "redis://127.0.0.1:$redis_port/0" "$token"; }
start_instance "$port_a"; pid_a=$!
start_instance "$port_b"; pid_b=$!
base_a="http://127.0.0.1:$port_a"
base_b="http://127.0.0.1:$port_b"
wait_healthy "$base_a" "$base_b"

result=$(timeout 900 dotnet "$bench_dll" class "$base_a" "$pid_b" "$token" "$CLASS_LEARNERS" "$CLASS_ACTIONS" "$base_b" | tee /dev/stderr) \
  || result="${result:-}"$'\n\n_The driver failed or ran out of time; see stderr._'
fleet=$(curl -fsS "$base_a/api/cache/stats" | python3 -c 'import json,sys; f=json.load(sys.stdin)["fleet"]; print(f["count"])' || echo "?")
fail_lines=$(error_lines "$work"/app-*.log)
{
  echo "# One class on two instances: the teacher on A, $CLASS_LEARNERS learners on B"
  echo
  echo "Machine: $(machine). Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/scaleout.sh\`;"
  echo ".NET $(dotnet --version), Redis $(redis_version), both instances published and run in Production on"
  echo "loopback with \`ScaleOut__DataProtectionInRedis\`, \`ScaleOut__SignalRBackplane\` and \`ScaleOut__FleetMetrics\` on, one Redis,"
  echo "the driver on the same 2 cores. Load average $load_start at the start, $(loadavg) at the end."
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
