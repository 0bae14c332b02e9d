#!/usr/bin/env bash
# Installs the Debian packages named as arguments when their command is missing.
# Usage: scripts/ensure-packages.sh redis-server:redis-server chromium:/usr/bin/chromium
# Each argument is PACKAGE:COMMAND (a name on PATH or an absolute path).
set -euo pipefail
missing=()
for pair in "$@"; do
  pkg=${pair%%:*}
  cmd=${pair#*:}
  if [[ "$cmd" == /* ]]; then [ -x "$cmd" ] || missing+=("$pkg"); else command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg"); fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} with apt-get…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing: ${missing[*]}. Install it with: sudo apt-get install -y ${missing[*]}" >&2
  echo "(or, for Redis only, point the app at an existing server with REDIS_URL=redis://host:6379)" >&2
  exit 1
fi
