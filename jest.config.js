// The project's own tests (test/). The conformance suites in suites/ are run by the CLI through
// harness/runner/jest-suites.config.js, against whatever target the user names.
//
// Time bounds are for hangs, not speed: they scale with CMRP_TEST_TIMEOUT_SCALE (default 3, see
// test/support/time-scale.ts), here for the default and in test/support/scale-timeouts.ts for every
// timeout a test file gives explicitly, so `npm test` passes on a loaded 2-core machine.
const raw = process.env.CMRP_TEST_TIMEOUT_SCALE;
const scale = raw === undefined || raw.trim() === '' ? 3 : Number(raw);
if (!Number.isFinite(scale) || scale <= 0) throw new Error(`CMRP_TEST_TIMEOUT_SCALE='${raw}': must be a number greater than 0`);

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  setupFilesAfterEnv: ['<rootDir>/test/support/scale-timeouts.ts'],
  // One worker more than cores: about a fifth of the files' time is waiting (sockets, child processes,
  // handshake and read timeouts), which a third worker fills on 2 cores (npm test 269 s -> 243 s in a
  // clean clone, quiet). Every bound scales with CMRP_TEST_TIMEOUT_SCALE, so the extra contention is
  // within what the tests allow (.ci/loaded-test.sh checks a busier machine still).
  // (Jest reads a percentage above 100 as a plain count, so the count is made here.)
  maxWorkers: require('node:os').availableParallelism() + 1,
  // The slowest files first, timed or not (test/support/sequencer.js): no core idles at the end.
  testSequencer: '<rootDir>/test/support/sequencer.js',
  testTimeout: Math.round(60000 * scale),
};
