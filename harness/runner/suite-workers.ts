// Jest's worker processes for a run, started by the CLI before it loads Jest. A worker's start (Node,
// Jest's test worker, the harness from the worker bundle) took about 0.35 s of a 2.4 s full run, all of
// it after Jest had read its configuration and scheduled the files, while the CLI's own start (its
// modules, the catalogue, the plan, then Jest's) left the second core idle. Started as soon as the plan
// says how many files will run, the workers load while the CLI still starts, and the first file begins
// about when Jest hands it out. Jest still schedules, reports and ends them: its `runner` option
// (suite-workers-runner.ts) takes these workers instead of starting its own.
import { Worker } from 'jest-worker';
import { join } from 'node:path';
import type { RunRequest } from './suite-workers-child';

export interface SuiteWorkers {
  /** Runs one suite file in a worker (the child's `run`); rejects as jest-worker does on a crash. */
  run(request: RunRequest): Promise<unknown> & { UNSTABLE_onCustomMessage?: (listener: (message: [string, unknown]) => void) => void };
  /** Ends every worker; settles once they have exited (or were killed after jest-worker's grace). */
  end(): Promise<{ forceExited: boolean }>;
  getStdout(): NodeJS.ReadableStream | null;
  getStderr(): NodeJS.ReadableStream | null;
}

// Where the runner, which Jest loads by path, finds the workers (as progress.ts hands over progress).
const KEY = Symbol.for('cmrp-notify-conformance.suite-workers');
const slot = globalThis as unknown as Record<symbol, SuiteWorkers | undefined>;
/** The workers of this run until they have ended, taken or not: what an interrupted run stops. */
let running: SuiteWorkers | undefined;

/** The child's module: compiled, like everything a run executes. */
function childPath(): string {
  return join(__dirname, `suite-workers-child${__filename.endsWith('.ts') ? '.ts' : '.js'}`);
}

/**
 * Starts `count` workers, each loading what a suite file needs as it boots. Node preloads the child's
 * module (`--require`) before jest-worker's own child code runs, so a worker loads at once, on its own,
 * and is asked for nothing until it listens. A worker that cannot load it exits; jest-worker starts it
 * again and at last fails the file it was given, which Jest reports as it would with its own workers.
 */
export function startSuiteWorkers(count: number): SuiteWorkers {
  const workers = new Worker(childPath(), {
    exposedMethods: ['run'],
    // As Jest's own runner starts its workers (jest-runner): JSON messages, output piped to the CLI's;
    // Node's flags as jest-worker passes them on (less a debugger's), and the preload.
    forkOptions: {
      serialization: 'json',
      stdio: 'pipe',
      execArgv: [...process.execArgv.filter((a) => !/^--(debug|inspect)/.test(a)), '--require', childPath()],
    },
    maxRetries: 3,
    numWorkers: count,
  }) as unknown as SuiteWorkers;
  const end = workers.end.bind(workers);
  let ended: Promise<{ forceExited: boolean }> | undefined;
  // Ended once, by whoever comes first: the runner after the last file, or an interrupted run.
  workers.end = () => (ended ??= end().finally(() => (running = undefined)));
  running = workers;
  offerSuiteWorkers(workers);
  return workers;
}

/**
 * An interrupted run: its early workers end now (each exits when told, between two steps of its file;
 * jest-worker kills one that does not within its grace), so none changes the cluster behind the
 * cleanup. Nothing when there are none (a run in band, or Jest's own workers).
 */
export async function stopSuiteWorkers(): Promise<void> {
  await running?.end();
}

/** Leaves workers for the run's runner to take (startSuiteWorkers' own; tests offer stand-ins). */
export function offerSuiteWorkers(workers: SuiteWorkers): void {
  slot[KEY] = workers;
}

/** The started workers, for the runner: each run's workers are handed out once. */
export function takeSuiteWorkers(): SuiteWorkers | undefined {
  const workers = slot[KEY];
  slot[KEY] = undefined;
  return workers;
}

/** Ends workers nobody took (Jest failed before it ran a file); nothing when the runner took them. */
export async function endUntakenSuiteWorkers(): Promise<void> {
  await takeSuiteWorkers()?.end();
}
