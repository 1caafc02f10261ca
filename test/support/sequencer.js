// The order in which `npm test` starts its files. Jest's own order runs the files it has timed slowest
// first, so that no core idles at the end waiting on one long file; but a file it has never timed (a
// fresh clone, as CI has, or an empty cache) goes by its size, and the heaviest files here are small:
// the power and fairness proofs are one line each (test/suite/power-v2.test.ts), and the end-to-end
// files a few kilobytes. So a fresh run would start them last and end on one busy core.
//
// This keeps Jest's timings where it has them and, for a file without, uses the weight below: about how
// many seconds the file takes alone on a 2-core machine (measured 2026-12-06 beside a benchmark, rounded;
// test/wire/codec/crosscheck.test.ts kept from 2026-12-05: it needs tshark, which that machine lacked). A file
// neither timed nor listed counts as UNKNOWN_S, so it still goes before the quick files Jest knows.
// Only the order changes: every file runs. A listed file that no longer exists stops the run, naming it.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const ROOT = join(__dirname, '..', '..');

/** Seconds alone, for the files of eight seconds or more (and the one-line proof files). */
const WEIGHTS_S = {
  'test/e2e/cli.test.ts': 48,
  'test/faults/matrix.test.ts': 43,
  'test/package/tarball.test.ts': 40,
  'test/faults/cli.test.ts': 34,
  'test/variants/variants-v3.test.ts': 24,
  'test/suite/power-v2.test.ts': 20,
  'test/wire/rpc/secrets-run.test.ts': 20,
  'test/adapter/faults.test.ts': 18,
  'test/suite/power-v3.test.ts': 17,
  'test/profile/inband.test.ts': 17,
  'test/faults/sessions.test.ts': 16,
  'test/property/mutants.test.ts': 16,
  'test/wire/codec/crosscheck.test.ts': 15,
  'test/wire/rpc/builtin-wire.test.ts': 14,
  'test/wire/rpc/hostile-auth.test.ts': 14,
  'test/profile/inband-mutant.test.ts': 14,
  'test/wire/rpc/nodes-and-security.test.ts': 14,
  'test/adapter/python-example.test.ts': 13,
  'test/e2e/other-names-dcerpc.test.ts': 13,
  'test/wire/rpc/auth-parity.test.ts': 12,
  'test/adapter/protocol-doc.test.ts': 11,
  'test/wire/rpc/cli.test.ts': 11,
  'test/property/reference.test.ts': 11,
  'test/property/python.test.ts': 11,
  'test/variants/variants-v2.test.ts': 10,
  'test/wire/rpc/hostile-client.test.ts': 10,
  'test/wire/rpc/access-levels.test.ts': 10,
  'test/wire/rpc/parity.test.ts': 9,
  'test/adapter/served-reference.test.ts': 9,
  'test/session/hangs.test.ts': 8,
};

/** A file neither Jest nor the list has timed: a guess above the typical file (about 1 s). */
const UNKNOWN_S = 3;

class WeightedSequencer extends Sequencer {
  sort(tests) {
    for (const file of Object.keys(WEIGHTS_S)) {
      if (!existsSync(join(ROOT, file))) throw new Error(`test/support/sequencer.js: ${file} is in WEIGHTS_S but does not exist: update the list`);
    }
    const weight = (test) => {
      const timed = this.time(test);
      if (timed != null) return timed;
      const listed = WEIGHTS_S[test.path.slice(ROOT.length + 1).split('\\').join('/')];
      return 1000 * (listed ?? UNKNOWN_S);
    };
    const keyed = tests.map((test) => ({ test, failed: this.hasFailed(test), weight: weight(test), size: test.context.hasteFS.getSize(test.path) ?? 0 }));
    keyed.sort((a, b) => {
      if (a.failed !== b.failed) return a.failed ? -1 : 1;
      if (a.weight !== b.weight) return b.weight - a.weight;
      return b.size - a.size;
    });
    return keyed.map((k) => k.test);
  }
}

module.exports = WeightedSequencer;
