// The test environment a run gives Jest (run.ts): worker-environment.ts, with the harness behind it,
// from the worker bundle (worker-bundle.ts) in a Jest worker process when the build made a fresh one,
// else from its files. Jest loads this module through Node's require once per worker, outside the
// sandboxes, as it would the environment itself: the sandbox model is worker-environment.ts's, unchanged.
// A run in band (one suite file: Jest in the CLI's own process) loads the files: the CLI has most of the
// harness loaded already, and one process keeps one instance of each module.
import { join } from 'node:path';
import { isJestWorkerChild } from './jest-worker-child';
import { tierForShortRuns } from './tiering';
import { BUNDLE_ENTRY, loadBundled } from './worker-bundle';
import type * as Environment from './worker-environment';

const distDir = join(__dirname, '..', '..');

// Before the harness loads, as the CLI does for itself (tiering.ts): a worker lives for one short run.
tierForShortRuns();

function environment(): typeof Environment {
  const bundled = __filename.endsWith('.js') && isJestWorkerChild() ? (loadBundled(distDir, BUNDLE_ENTRY) as typeof Environment | undefined) : undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return bundled ?? (require('./worker-environment') as typeof Environment);
}

export default environment().default;
