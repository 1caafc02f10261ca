#!/usr/bin/env bash
# `npm test` on a machine that is busy with something else, as a shared 2-core CI runner is: one busy
# loop per --hogs (default 1) runs beside it for the whole of the tests, and the closing line says
# "N passed, N failed" and how long it took. Every time bound of the tests scales with
# CMRP_TEST_TIMEOUT_SCALE (default 3, test/support/time-scale.ts): raise it on a slower machine,
# never lower it here. The hogs are this script's own children and are ended by their pids.
#
#   bash .ci/loaded-test.sh [--hogs N] [-- JEST ARGS...]
set -uo pipefail
cd "$(dirname "$0")/.."
hogs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --hogs) hogs=${2:-}; shift $(( $# > 1 ? 2 : 1 )) ;;
    --) shift; break ;;
    *) echo "loaded-test: unknown argument $1 (takes --hogs N and -- JEST ARGS)" >&2; exit 2 ;;
  esac
done
if ! [[ "$hogs" =~ ^[0-9]+$ ]]; then echo "loaded-test: --hogs takes a whole number of busy loops, not '$hogs'" >&2; exit 2; fi
pids=()
stop_hogs() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; }
trap stop_hogs EXIT
for _ in $(seq 1 "$hogs"); do
  node -e 'for (;;) {}' &
  pids+=($!)
done
mkdir -p reports
results=reports/loaded-jest.json
rm -f "$results"
started=$(date +%s)
npm test -- --json --outputFile="$results" "$@"
status=$?
elapsed=$(( $(date +%s) - started ))
stop_hogs
echo
node -e '
  const fs = require("fs");
  let r = { numPassedTests: 0, numFailedTests: 1 };
  try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { console.log("loaded-test: no Jest results (" + process.argv[1] + ")"); }
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0)} failed (npm test beside ${process.argv[2]} busy loop(s), ${process.argv[3]} s)`);
' "$results" "$hogs" "$elapsed"
exit $status
