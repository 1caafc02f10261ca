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
rm -f "$results"
CMRP_INTEROP_REQUIRED=1 npx jest test/wire/rpc/interop.test.ts test/wire/rpc/interop-auth.test.ts --json --outputFile="$results"
status=$?

node -e '
  const fs = require("fs");
  const [file, status] = process.argv.slice(1);
  let passed = 0, failed = 0;
  if (fs.existsSync(file)) {
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    passed = r.numPassedTests;
    failed = r.numFailedTests + r.numRuntimeErrorTestSuites + r.numPendingTests;
    if (r.numTotalTests === 0) failed += 1;
  } else {
    failed = 1;
  }
  if (Number(status) !== 0 && failed === 0) failed = 1;
  console.log(`interop: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
' "$results" "$status"
