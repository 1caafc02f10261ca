// The project's own tests (test/). The conformance suites in suites/ are run by the CLI through
// harness/runner/jest-suites.config.js, against whatever target the user names.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  maxWorkers: '100%',
  testTimeout: 60000,
};
