#!/usr/bin/env bash
# The soak run (issue 10 §6): simulated learners do random things on every page and the REST API for SOAK_MINUTES
# (default 10) while a persistent Redis is killed and restarted once (at 35 % of the run) and paused with SIGSTOP for
# 5 s (at 70 %). Writes bench/results/soak.md: actions, errors by kind, write-behind accepted vs applied, app and Redis
# memory, click-to-render times, and the app log's error lines.
#   bench/soak.sh                        (about 12 minutes on 2 cores)
#   SOAK_MINUTES=1.5 bench/soak.sh       (a short try-out; writes bench/results/soak-trial.md instead)
#   SOAK_LEARNERS=30                     (simulated learners)
#   SOAK_KEEP_LOG=/tmp/app.log           (keep the app's whole log)
#   SOAK_DETAILED_ERRORS=true            (circuits return exception details: to diagnose a failed event)
# Everything runs on loopback: a redis-server and the published app (Production) started here, stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
started=$(date +%s)
scripts/ensure-packages.sh redis-server:redis-server redis-tools:redis-cli
SOAK_MINUTES=${SOAK_MINUTES:-10}
SOAK_LEARNERS=${SOAK_LEARNERS:-30}
seconds=$(awk -v m="$SOAK_MINUTES" 'BEGIN { printf "%d", m * 60 }')
if [ "$seconds" -ge 600 ]; then out=bench/results/soak.md; else out=bench/results/soak-trial.md; fi
mkdir -p bench/results
load_start=$(uptime | sed 's/.*load average: //')
work=$(mktemp -d)
redis_port=$(free_port)
app_port=$(free_port)
cleanup() {
  stop_pid "${app_pid:-}"
  [ -f "$work/redis.pid" ] && kill -CONT "$(cat "$work/redis.pid")" 2>/dev/null
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Persistent Redis: the AOF with appendfsync always, so Redis answers an XADD only after it is on disk. The fault is a
# SIGKILL (a crash, not a polite SHUTDOWN): with everysec the last second of writes already answered 202 could be lost,
# and "accepted == applied" would test the fsync policy instead of the app. always makes a 202 mean "on disk".
cat > "$work/redis.conf" <<CONF
port $redis_port
bind 127.0.0.1
dir $work
appendonly yes
appendfsync always
save ""
daemonize yes
pidfile $work/redis.pid
logfile $work/redis.log
CONF
redis-server "$work/redis.conf"
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.05; done

# The faults, run by the driver at 35 % and 70 % of the run.
cat > "$work/faults.sh" <<FAULTS
set -eu
case "\$1" in
  restart)
    kill -9 "\$(cat $work/redis.pid)"; sleep 2
    redis-server "$work/redis.conf"
    until redis-cli -p $redis_port ping 2>/dev/null | grep -q PONG; do sleep 0.05; done ;;
  pause)
    kill -STOP "\$(cat $work/redis.pid)"; sleep 5; kill -CONT "\$(cat $work/redis.pid)" ;;
esac
FAULTS

dotnet publish BlazorRedis.App -c Release -nologo -v quiet -o "$work/app"
dotnet build bench/BlazorRedis.Bench -c Release -nologo -v quiet
# Started as bench/run.sh starts it (Production, published), with the app's defaults otherwise: 30 learners hold about
# 30 circuits from 127.0.0.1, well under Budgets:ConnectionsPerAddress (400), so no budget is lifted. Information
# level, so the log shows circuit starts and terminations as well as every error.
(
  cd "$work/app"
  ASPNETCORE_ENVIRONMENT=Production DetailedErrors="${SOAK_DETAILED_ERRORS:-false}" REDIS_URL="redis://127.0.0.1:$redis_port/0" \
  Logging__LogLevel__Default=Warning \
  exec env Logging__LogLevel__Microsoft.AspNetCore.Components=Information dotnet BlazorRedis.App.dll --urls "http://127.0.0.1:$app_port"
) > "$work/app.log" 2>&1 &
app_pid=$!
base="http://127.0.0.1:$app_port"
wait_healthy "$base"
curl -fsS "$base/api/products/1" >/dev/null || { echo "The app did not start:" >&2; cat "$work/app.log" >&2; exit 1; }

soak_md=$(timeout $((seconds + 600)) dotnet "$bench_dll" soak "$base" "$app_pid" "127.0.0.1:$redis_port" "$SOAK_LEARNERS" "$seconds" "$work/faults.sh" | tee /dev/stderr) \
  || soak_md="${soak_md:-}"$'\n\n_The driver failed or ran out of time; see stderr._'
load_end=$(uptime | sed 's/.*load average: //')
app_alive=$(kill -0 "$app_pid" 2>/dev/null && echo yes || echo "no (it exited)")

# The app log: unhandled exceptions, circuit terminations, and every error-level line, by category.
log="$work/app.log"
unhandled=$(grep -c -E 'Unhandled exception|UnhandledException|crit: ' "$log" || true)
terminated=$(grep -c -E 'Circuit .* terminated|CircuitTerminatedGracefully|circuit.*failed|Unhandled exception in circuit' "$log" || true)
fail_lines=$(grep -c -E '^(fail|crit): ' "$log" || true)
by_category=$(grep -E '^(fail|crit): ' "$log" | sed -E 's/^(fail|crit): ([^[]*)\[([0-9]+)\].*/| \1 | `\2` (event \3) |/' | sort | uniq -c | sort -rn | awk '{c=$1; $1=""; sub(/^ /,""); sub(/\|$/, "| " c " |"); print}' | head -20 || true)
firsts=$(grep -A3 -E '^(fail|crit): ' "$log" | head -60 | sed 's/^/    /' || true)
elapsed=$(( $(date +%s) - started ))
{
  echo "# Soak run"
  echo
  echo "Machine: $(machine), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(. /etc/os-release && echo "$PRETTY_NAME")."
  echo "Shared with two other agents building .NET code: load average (1, 5, 15 min) ${load_start} at the start, ${load_end} at the end."
  echo
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) with \`SOAK_MINUTES=${SOAK_MINUTES} SOAK_LEARNERS=${SOAK_LEARNERS} bench/soak.sh\`;"
  echo ".NET $(dotnet --version), Redis $(redis_version), app published and run in Production on loopback."
  echo
  echo "## Settings"
  echo
  echo "- Redis: \`appendonly yes\`, \`appendfsync always\`, no RDB. \`always\` because the restart is a SIGKILL: Redis answers an"
  echo "  XADD only once it is on disk, so a write the app answered 202 survives the crash; with \`everysec\` up to a second of"
  echo "  accepted writes could vanish and the accepted-vs-applied check would measure the fsync policy, not the app."
  echo "- App: every setting at its default (\`Catalog:DatabaseLatencyMs\` 2,000 ms, write-behind batch 100 × 4 in flight,"
  echo "  \`Budgets:ConnectionsPerAddress\` 400 — not lifted: ${SOAK_LEARNERS} learners hold about ${SOAK_LEARNERS} circuits from 127.0.0.1),"
  echo "  logging at Warning plus Information for \`Microsoft.AspNetCore.Components\` (so an error boundary's warning shows)."
  echo "- Learners: each has its own cookies, one circuit (blazorpack, no browser) and an HTTP client, and every 0.3–1.5 s"
  echo "  does one random thing: click a rendered button/link handler or fill a rendered input (45 %), navigate in the circuit"
  echo "  to a random page (10 %), reload (new circuit, 2 %), or call the API (43 %: product GET, PUT write-behind,"
  echo "  PUT write-through, login, /me, logout, a rate-limited GET, a publish). Clicks are DOM events dispatched as"
  echo "  blazor.web.js does (\`DispatchEventAsync\` on the renderer's interop object) on handlers read from the render batches."
  echo "  The Write-behind button is skipped in circuits: write-behind writes go through the API, where each 202 names its entry."
  echo "- Click → render is the time from sending the event to the last render batch that arrived before the server completed"
  echo "  the event (\`JS.EndInvokeDotNet\`): the server sends the batch an event caused before it completes the event, on the same"
  echo "  connection. Events that rendered nothing are counted apart; \"handled\" is the time to the completion of every event."
  echo "  Navigation → render is the time from \`OnLocationChanged\` to the next render batch."
  echo "- 429s from the per-address login/publish budgets are counted as \"refused by budget (expected)\": all learners share 127.0.0.1."
  echo "  Errors within 20 s after a fault are marked \"during/after a Redis fault\"."
  echo
  echo "## Results"
  echo
  echo "$soak_md"
  echo
  echo "### App log"
  echo
  echo "| Unhandled / critical lines | Circuit terminations or failures | Error-level lines (fail/crit) | App still running at the end |"
  echo "|---:|---:|---:|---|"
  echo "| ${unhandled} | ${terminated} | ${fail_lines} | ${app_alive} |"
  echo
  if [ -n "$by_category" ]; then
    echo "| Level | Category (event id) | Lines |"
    echo "|---|---|---:|"
    echo "$by_category"
    echo
    echo "First error lines:"
    echo
    echo "$firsts"
    echo
  fi
  echo "Whole run (build, app start, soak, drain): ${elapsed} s."
} > "$out"
[ -n "${SOAK_KEEP_LOG:-}" ] && cp "$log" "$SOAK_KEEP_LOG"
cat "$out"
