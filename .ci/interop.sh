#!/usr/bin/env bash
# Interop checks of the DCE/RPC wire (issues 7 and 8), for .ci/run: in a loopback-only network
# namespace, the reference is served on the wire and judged by independent peers.
# Unauthenticated (test/wire/rpc/interop.test.ts):
#   (a) tshark's clusapi dissector decodes a capture of a suite run (bind, every notification opnum,
#       nothing malformed, the decoded fields equal to what was sent);
#   (b) a python3-impacket NDR client reads a catch-up event;
#   (c) smbtorture passes rpc.clusapi's open/close/get-state tests with -U%.
# For one account, with a password made up per run (test/wire/rpc/interop-auth.test.ts):
#   (d) impacket's NTLM client is served at packet privacy and refused at packet integrity and connect;
#   (e) smbtorture passes the same tests over ncacn_ip_tcp:127.0.0.1[PORT,seal] with the account;
#   (f) tshark -o ntlmssp.nt_password:... decrypts a sealed capture of a suite run and decodes its calls.
# Under hostile load (test/wire/rpc/hostile-load.test.ts, after the others, on its own so its load
# does not slow them): a whole conformance run against the served reference passes while 1,000 idle
# connections and 100 connections sending endless fragments press on it, the server's RSS under a
# stated bound. It runs from the build, made here first.
# The tools (Debian packages tshark, python3-impacket, samba-testsuite) must be installed: here a
# missing one is a failure, not a skip. Prints "interop: N passed, N failed"; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${CMRP_INTEROP_NETNS:-}" != 1 ]; then
  # A namespace of our own whose only interface is lo: nothing we serve or capture leaves the machine.
  # Root gets a plain network namespace; anyone else a user namespace that maps them to root in it.
  for flags in -n -rn; do
    if unshare "$flags" true 2>/dev/null; then
      exec unshare "$flags" env CMRP_INTEROP_NETNS=1 bash "$0" "$@"
    fi
  done
  echo "interop: cannot create a network namespace (unshare -n / -rn refused)"
  echo "interop: 0 passed, 1 failed"
  exit 1
fi

ip link set lo up || { echo "interop: cannot bring lo up in the namespace"; echo "interop: 0 passed, 1 failed"; exit 1; }

mkdir -p reports
results=reports/ci-interop.json
load_results=reports/ci-hostile-load.json
rm -f "$results" "$load_results"
CMRP_INTEROP_REQUIRED=1 npx jest test/wire/rpc/interop.test.ts test/wire/rpc/interop-auth.test.ts --json --outputFile="$results"
status=$?
# A thousand sockets want descriptors: raise the limit where the hard limit allows (the test's
# children raise their own too).
ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# The whole build (schemas, build id, the workers' bundle), not tsc alone: a bare tsc leaves the bundle
# stale, and a later run in this tree would fall back to the files (and test/runner/worker-bundle fail).
if npm run build --silent; then
  CMRP_INTEROP_REQUIRED=1 npx jest test/wire/rpc/hostile-load.test.ts --maxWorkers=1 --json --outputFile="$load_results"
  load_status=$?
else
  echo "interop: the build failed; the hostile-load check cannot run"
  load_status=1
fi

node -e '
  const fs = require("fs");
  const args = process.argv.slice(1);
  let passed = 0, failed = 0;
  // Pairs of (jest JSON results, exit status): a missing file, an empty run or a failed status counts as a failure.
  for (let i = 0; i < args.length; i += 2) {
    const [file, status] = [args[i], args[i + 1]];
    let p = 0, f = 0;
    if (fs.existsSync(file)) {
      const r = JSON.parse(fs.readFileSync(file, "utf8"));
      p = r.numPassedTests;
      f = r.numFailedTests + r.numRuntimeErrorTestSuites + r.numPendingTests;
      if (r.numTotalTests === 0) f += 1;
    } else {
      f = 1;
    }
    if (Number(status) !== 0 && f === 0) f = 1;
    passed += p;
    failed += f;
  }
  console.log(`interop: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
' "$results" "$status" "$load_results" "$load_status"
