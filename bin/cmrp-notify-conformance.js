#!/usr/bin/env node
'use strict';
// The CLI is compiled TypeScript: `npm ci` builds dist/ through the prepare script.
let cli;
try {
  // First, so that everything the CLI loads is compiled for a short run, or for a server that listens
  // until stopped (dist/harness/runner/tiering.js).
  require('../dist/harness/runner/tiering.js').tierFor(process.argv.slice(2));
  ({ cli } = require('../dist/harness/cli/main.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]harness[\\/](cli[\\/]main|runner[\\/]tiering)/.test(err.message)) {
    process.stderr.write('cmrp-notify-conformance: not built yet: run `npm run build` (npm ci does it through prepare)\n');
    process.exit(2);
  }
  throw err;
}
cli();
