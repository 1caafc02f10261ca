// The module each of a run's early workers (suite-workers.ts) preloads as Node starts it, before
// jest-worker's child code: Jest's test worker and what the first suite file needs (Jest's runtime, the
// run's test environment with the harness behind it, from the worker bundle), so that a file handed out
// finds them loaded. jest-worker then calls `run` for each file.
import { createRequire } from 'node:module';
import { tierForShortRuns } from './tiering';

tierForShortRuns();

/** What jest-runner's test worker takes: its one-time setup, then a file. */
interface TestWorker {
  setup(data: unknown): Promise<void>;
  worker(request: unknown): Promise<unknown>;
}

// Jest's packages as Jest itself resolves them (from jest-runner, whose test worker is not among its
// exports: its runner loads it by path, as this does).
const fromJestRunner = createRequire(require.resolve('jest-runner'));
const testWorker = fromJestRunner('./testWorker.js') as TestWorker;
fromJestRunner('jest-runtime');
// The same file Jest requires as the run's test environment: it finds it loaded.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./worker-environment-bundled');

export interface RunRequest {
  /** jest-runner's setup data (the projects' module maps), the same for every file of a run. */
  setup: unknown;
  /** jest-runner's request for one file: its config, path, global config and context. */
  file: unknown;
}

let setUp: Promise<void> | undefined;

export async function run(request: RunRequest): Promise<unknown> {
  await (setUp ??= testWorker.setup(request.setup));
  return testWorker.worker(request.file);
}
