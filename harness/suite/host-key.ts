// Where the suite environment puts the preloaded suite declarations in each test file's global.
export const SUITES_KEY = Symbol.for('cmrp-notify-conformance.suites');
