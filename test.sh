#!/usr/bin/env bash
# Installs what the tests need (PostgreSQL, Debian's chromium), builds, runs every test project and
# ends with one line: "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then missing+=(postgresql); fi
if [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
# A CJK font, so the zh-CN UI renders in the browser tests and their screenshots.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then missing+=(fonts-wqy-zenhei); fi
# nginx for the two-node test (tests/…/Nodes): only the binary is used, run as this user from a temp directory.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then missing+=(nginx); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}…"
  # Keep apt from starting the packages' system services (nginx on port 80): the tests start their own.
  denied_services=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | sudo_if_needed tee /usr/sbin/policy-rc.d >/dev/null && sudo_if_needed chmod +x /usr/sbin/policy-rc.d && denied_services=1
  fi
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  if [ -n "$denied_services" ]; then sudo_if_needed rm -f /usr/sbin/policy-rc.d; fi
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

if ! dotnet build Platform.sln -c Debug -nologo -v q; then
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test Platform.sln --no-build -nologo -v q -m:1 --logger "trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=1800000
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$failed" -ne 0 ]; then
  # Name the failures (the quiet run above does not) and keep the result files, which hold their messages.
  kept="${TMPDIR:-/tmp}/platform-test-results"
  rm -rf "$kept" && cp -r "$results" "$kept"
  # Each failure's name and the first lines of its message, so that a CI log alone says what broke.
  awk '
    /<UnitTestResult / { failed = ($0 ~ /outcome="Failed"/); if (failed) { name = $0; sub(/.* testName="/, "", name); sub(/".*/, "", name); print "  failed: " name } }
    failed && /<Message>/ { inmsg = 1; shown = 0 }
    failed && inmsg { line = $0; gsub(/<\/?Message>/, "", line); gsub(/&lt;/, "<", line); gsub(/&gt;/, ">", line); gsub(/&quot;/, "\"", line); gsub(/&amp;/, "\\&", line); if (shown++ < 12) print "    " line }
    failed && /<\/Message>/ { inmsg = 0 }
  ' "$results"/*.trx 2>/dev/null
  echo "  (messages in $kept/*.trx)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
