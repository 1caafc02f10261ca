// The Jest environment of a CLI run: one suite sandbox per Jest worker, handed to every suite file the
// worker runs, instead of a new one per file. Building a Node sandbox (a vm context, a deep copy of
// `process`, two fake-timer clocks, a mock registry) and tearing it down again cost a worker about as
// much as judging a small section, 47 times a full run. What a suite file leaves in a shared sandbox is
// harmless: the harness, its only state, is already loaded once per worker outside the sandboxes
// (harness/suite/suite-environment.ts), each file still gets a module registry of its own from Jest,
// and the runner (suite-runner.ts) sets the file's describe/test globals anew before the file loads.
import type { EnvironmentContext, JestEnvironment, JestEnvironmentConfig } from '@jest/environment';
import type { Context } from 'node:vm';
import SuiteEnvironment from '../suite/suite-environment';
import { isJestWorkerChild } from './jest-worker-child';

export { isJestWorkerChild };

interface Shared {
  environment: SuiteEnvironment;
  /** The sandbox's own process.exit, which Jest wraps again for each file: put back between files. */
  exit: (code?: number) => never;
}

let shared: Shared | undefined;

/** jest-worker's message to a child that the run is over (CHILD_MESSAGE_END, sent as [2, forceExit]). */
export const JEST_WORKER_END = 2;


/**
 * A worker told the run is over exits at once. jest-worker only stops listening and lets the process
 * drain, and a worker that judged a property holds a large heap, which Node frees on the way out: the
 * CLI waited 50-150 ms for that after the last file (measured under load), with nothing left to do.
 * By then every result has reached the CLI (it sends the end only after the last) and every
 * observation is on disk (written synchronously).
 */
function exitOnEnd(): void {
  const onMessage = (message: unknown) => {
    if (!Array.isArray(message) || message.length !== 2 || message[0] !== JEST_WORKER_END) return;
    process.removeListener('message', onMessage);
    // After jest-worker's own handler for the same message has run.
    setImmediate(() => process.exit(0));
  };
  process.on('message', onMessage);
}

function sandbox(config: JestEnvironmentConfig, context: EnvironmentContext): Shared {
  if (!shared) {
    if (isJestWorkerChild()) exitOnEnd();
    const environment = new SuiteEnvironment(config, context);
    // Jest clears mock functions left on the sandbox's global twice per file (when the file's runtime is
    // made and torn down), reading every global, lazy getters included. The suites make no mocks (their
    // runner gives them no expect or jest.fn), so there is nothing to clear: Jest skips the step when
    // the mocker lacks it.
    Object.defineProperty(environment.moduleMocker, 'clearMocksOnScope', { value: undefined });
    shared = { environment, exit: (environment.global.process as NodeJS.Process).exit };
  }
  return shared;
}

export default class WorkerEnvironment implements JestEnvironment {
  readonly global: JestEnvironment['global'];
  readonly fakeTimers: JestEnvironment['fakeTimers'];
  readonly fakeTimersModern: JestEnvironment['fakeTimersModern'];
  readonly moduleMocker: JestEnvironment['moduleMocker'];
  private readonly shared: Shared;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    this.shared = sandbox(config, context);
    const { environment } = this.shared;
    this.global = environment.global;
    this.fakeTimers = environment.fakeTimers;
    this.fakeTimersModern = environment.fakeTimersModern;
    this.moduleMocker = environment.moduleMocker;
  }

  getVmContext(): Context | null {
    return this.shared.environment.getVmContext();
  }

  exportConditions(): string[] {
    return this.shared.environment.exportConditions();
  }

  async setup(): Promise<void> {}

  /** The sandbox stays for the worker's next file; only what Jest changed for this file is undone. */
  async teardown(): Promise<void> {
    (this.global.process as NodeJS.Process).exit = this.shared.exit;
  }
}
