#!/usr/bin/env bash
# Starts the built server on a throw-away SQLite database with demo data and known test
# accounts, runs the Playwright suite in Debian's Chromium, then stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/shezhi-e2e.XXXXXX)
port="${E2E_PORT:-3100}"
export DATABASE_URL="sqlite://$work/e2e.db" FILES_DIR="$work/files" SEED_DEMO=1 RUST_LOG=warn
export LEPTOS_OUTPUT_NAME=shezhi LEPTOS_SITE_ROOT="${E2E_SITE_ROOT:-target/site}" LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="127.0.0.1:$port"
# E2E_SERVER and E2E_SITE_ROOT run the suite against another build, e.g. the release one.
bin="${E2E_SERVER:-target/debug/server}"

$bin seed-demo > "$work/seed.txt"
add() { printf '%s' "$5" | $bin user add --role "$1" --username "$2" --name "$3" ${4:+--unit "$4"} --own-password >/dev/null; }
add admin e2e.admin 测试管理员 区社会治理中心 'e2e-admin-password'
add operator e2e.operator 测试受理员 区社会治理中心 'e2e-operator-password'
add unit_staff e2e.staff 测试网格员 莲花镇人民政府 'e2e-staff-password'
add unit_staff e2e.locked 锁定测试员 莲花镇人民政府 'e2e-locked-password'
add unit_staff e2e.village 测试村干部 耿山村村委会 'e2e-village-password'
add unit_staff e2e.railway 测试铁路联络员 区铁路轨道交通建设管理中心 'e2e-railway-password'
add unit_staff e2e.enforce 测试执法队员 区综合行政执法局 'e2e-enforce-password'
add commander e2e.commander 测试指挥长 区社会治理中心 'e2e-commander-password'
add supervisor e2e.supervisor 测试督查员 区社会治理中心 'e2e-supervisor-password'
add leader e2e.leader 测试中心领导 区社会治理中心 'e2e-leader-password'

RUST_BACKTRACE=1 $bin > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "server did not start"; cat "$work/server.log"; exit 1; }

cd end2end
status=0
BASE_URL="http://127.0.0.1:$port" npx playwright test "$@" || status=$?
# A panic in the server is a failed run, whatever the pages showed: it may have cut a
# streamed page off that a retry or a reload then hid.
if grep -q 'panicked' "$work/server.log"; then
  echo "FAILED: the server panicked during the browser suite:" >&2
  grep -A 12 'panicked' "$work/server.log" >&2
  status=1
fi
# A failed run shows what the server warned of: a browser's view of a failure rarely says
# why the server answered as it did.
if [ $status -ne 0 ] && [ -s "$work/server.log" ]; then
  echo "The server's warnings and errors during the run (last 80 lines):" >&2
  tail -n 80 "$work/server.log" >&2
fi
exit $status
