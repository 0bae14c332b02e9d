#!/usr/bin/env bash
# Runs the whole test suite against a real redis-server and real Chromium; exits non-zero on any failure.
# Extra arguments go to dotnet test, e.g. ./test.sh --filter "FullyQualifiedName~Caching".
set -uo pipefail
cd "$(dirname "$0")"
scripts/ensure-packages.sh redis-server:redis-server chromium:/usr/bin/chromium || exit 1
command -v npm >/dev/null || { echo "Node.js and npm are required (sudo apt-get install -y nodejs npm)." >&2; exit 1; }

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
dotnet build BlazorRedis.sln -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }
dotnet test BlazorRedis.Tests -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@"
status=$?

trx=$(find "$results" -name '*.trx' | head -n 1)
if [ -z "$trx" ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
passed=$(count passed)
failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
skipped=$(count notExecuted)
# Repeat the failures (name and first line of the message) just above the summary, where a CI log's tail shows them.
if [ "${failed:-0}" -gt 0 ]; then
  echo "Failed tests:"
  tr '\n\r' '  ' <"$trx" | sed -e 's/<UnitTestResult /\n&/g' | grep '^<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"' |
    sed -e 's#</UnitTestResult>.*##' \
      -e 's/^[^>]*testName="\([^"]*\)".*<Message>[[:space:]]*\([^<]\{0,400\}\).*/  - \1: \2/' \
      -e 's/^<UnitTestResult [^>]*testName="\([^"]*\)".*/  - \1/' \
      -e 's/&quot;/"/g' -e 's/&apos;/'"'"'/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'
fi
# The ten slowest tests, so a CI log shows where its minutes go.
echo "Slowest tests:"
tr '\n\r' '  ' <"$trx" | sed -e 's/<UnitTestResult /\n&/g' | grep '^<UnitTestResult ' |
  sed -n 's/^<UnitTestResult [^>]*testName="\([^"]*\)"[^>]*duration="\([0-9:.]*\)".*/\2 \1/p' |
  sort -r | head -n 10 | sed -e 's/^/  /' -e 's/&quot;/"/g' -e 's/&amp;/\&/g'
echo "${skipped:-0} skipped"
echo "${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "${failed:-0}" -eq 0 ] && [ "${passed:-0}" -gt 0 ]
