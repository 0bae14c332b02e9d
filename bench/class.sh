#!/usr/bin/env bash
# Issue 11's class on one instance of this machine: a teacher and CLASS_LEARNERS (default 300) simulated learners, each
# with its own cookies, joined by code and holding a Blazor circuit (blazorpack, no Chromium) on /workbench. Measures on
# the circuits: a learner's action reaching the teacher's roster, "bring everyone here" reaching every learner, a poll
# answered by all at once tallied and shown to the teacher, and the app's memory per learner.
#   bench/class.sh   (about 2 minutes) → bench/results/class.md
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
scripts/ensure-packages.sh redis-server:redis-server redis-tools:redis-cli
CLASS_LEARNERS=${CLASS_LEARNERS:-300}
CLASS_ACTIONS=${CLASS_ACTIONS:-100}
out=bench/results/class.md
mkdir -p bench/results
load_start=$(loadavg)
work=$(mktemp -d)
redis_port=$(free_port)
app_port=$(free_port)
token="bench-teacher-$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
cleanup() {
  stop_pid "${app_pid:-}"
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
start_redis "$redis_port" "$work"

dotnet publish BlazorRedis.App -c Release -nologo -v quiet -o "$work/app"
dotnet build bench/BlazorRedis.Bench -c Release -nologo -v quiet
# Production, published, defaults except: the teacher token is known to the driver, and the join attempts per address
# are lifted (every simulated learner joins from 127.0.0.1, where a real class comes from 300 addresses).
(
  cd "$work/app"
  ASPNETCORE_ENVIRONMENT=Production REDIS_URL="redis://127.0.0.1:$redis_port/0" Logging__LogLevel__Default=Warning \
  Classroom__TeacherToken="$token" Classroom__JoinAttemptLimit=10000 \
  exec dotnet BlazorRedis.App.dll --urls "http://127.0.0.1:$app_port"
) > "$work/app.log" 2>&1 &
app_pid=$!
base="http://127.0.0.1:$app_port"
wait_healthy "$base"

result=$(timeout 900 dotnet bench/BlazorRedis.Bench/bin/Release/net10.0/BlazorRedis.Bench.dll class "$base" "$app_pid" "$token" "$CLASS_LEARNERS" "$CLASS_ACTIONS" | tee /dev/stderr) \
  || result="${result:-}"$'\n\n_The driver failed or ran out of time; see stderr._'
fail_lines=$(grep -c -E '^(fail|crit): ' "$work/app.log" || true)
{
  echo "# A class of $CLASS_LEARNERS learners on one instance"
  echo
  echo "Machine: $(machine). Measured $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/class.sh\`;"
  echo ".NET $(dotnet --version), Redis $(redis_version), app published and run in Production on loopback,"
  echo "the driver on the same 2 cores. Load average $load_start at the start, $(loadavg) at the end."
  echo
  echo "$result"
  echo
  echo "App log: $fail_lines error-level lines."
  echo
  echo "How it is measured: each learner is a simulated browser (its own cookies; a Blazor circuit over blazorpack that"
  echo "acknowledges render batches and answers JS calls as blazor.web.js does), joined through \`POST /api/classroom/join\`."
  echo "An action is a line typed in the learner's workbench (an input event, then a click on Run); it has reached the"
  echo "teacher when a render batch of the teacher's /teacher circuit carries the line's unique mark (the roster's last"
  echo "action). \"Bring everyone here\" has reached a learner when the server's \`navigateTo\` call arrives on that learner's"
  echo "circuit. Poll answers go through the API a learner's poll card calls, all at once; each is shown when a teacher"
  echo "render after its acceptance shows a count of at least its rank. $CLASS_ACTIONS actions, 50 ms apart."
} > "$out"
echo "wrote $out"
