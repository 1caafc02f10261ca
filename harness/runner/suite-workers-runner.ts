// Jest's `runner` for a run whose workers the CLI started early (suite-workers.ts): it hands each suite
// file to those workers the way jest-runner does with workers of its own (one file at a time per
// worker, each file's events passed on to Jest, the workers ended once every file has reported), so
// Jest's scheduling, reporting and error handling are unchanged. Without started workers (or when Jest
// runs the files in band) it is jest-runner's own runner.
import type { Test, TestEvents } from '@jest/test-result';
import type { Config } from '@jest/types';
import TestRunner, { EmittingTestRunner, type TestRunnerContext, type TestRunnerOptions } from 'jest-runner';
import type { TestWatcher } from 'jest-watcher';
import { takeSuiteWorkers, type SuiteWorkers } from './suite-workers';

type Listener = (data: never) => void | Promise<void>;

export default class SuiteWorkersRunner extends EmittingTestRunner {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly jestRunner: TestRunner;

  constructor(globalConfig: Config.GlobalConfig, context: TestRunnerContext) {
    super(globalConfig, context);
    this.jestRunner = new TestRunner(globalConfig, context);
  }

  async runTests(tests: Test[], watcher: TestWatcher, options: TestRunnerOptions): Promise<void> {
    const workers = takeSuiteWorkers();
    if (!workers || options.serial) {
      await workers?.end();
      return this.jestRunner.runTests(tests, watcher, options);
    }
    return this.runInWorkers(workers, tests, watcher);
  }

  on<Name extends keyof TestEvents>(eventName: Name, listener: (eventData: TestEvents[Name]) => void | Promise<void>): () => void {
    const set = this.listeners.get(eventName) ?? new Set<Listener>();
    this.listeners.set(eventName, set);
    set.add(listener as Listener);
    const off = this.jestRunner.on(eventName, listener);
    return () => {
      set.delete(listener as Listener);
      off();
    };
  }

  private async emit(eventName: string, data: unknown): Promise<void> {
    await Promise.all([...(this.listeners.get(eventName) ?? [])].map((l) => l(data as never)));
  }

  private async runInWorkers(workers: SuiteWorkers, tests: Test[], watcher: TestWatcher): Promise<void> {
    // jest-runner's setup data: each project's module map, for the resolver a worker makes once.
    const resolvers = new Map<string, { config: Config.ProjectConfig; serializableModuleMap: unknown }>();
    for (const test of tests) {
      if (!resolvers.has(test.context.config.id)) resolvers.set(test.context.config.id, { config: test.context.config, serializableModuleMap: test.context.moduleMap.toJSON() });
    }
    const setup = { serializableResolvers: [...resolvers.values()] };
    workers.getStdout()?.pipe(process.stdout);
    workers.getStderr()?.pipe(process.stderr);
    // Files go out one per free worker, as jest-runner sends them, so each file's start is its own: one
    // lane per worker, each sending the next file once its last has answered (reporting it to Jest goes
    // on beside the next file, as in jest-runner).
    const queue = [...tests];
    const reported: Promise<void>[] = [];
    const runOne = async (test: Test): Promise<unknown> => {
      if (watcher.isInterrupted()) throw new Error('the run was interrupted');
      await this.emit('test-file-start', [test]);
      const file = {
        config: test.context.config,
        globalConfig: this._globalConfig,
        path: test.path,
        context: {
          ...this._context,
          changedFiles: this._context.changedFiles && [...this._context.changedFiles],
          sourcesRelatedToTestsInChangedFiles: this._context.sourcesRelatedToTestsInChangedFiles && [...this._context.sourcesRelatedToTestsInChangedFiles],
        },
      };
      const promise = workers.run({ setup, file });
      promise.UNSTABLE_onCustomMessage?.(([event, payload]) => void this.emit(event, payload));
      return promise;
    };
    const lane = async (): Promise<void> => {
      for (let test = queue.shift(); test; test = queue.shift()) {
        const done = test;
        await runOne(done).then(
          (result) => void reported.push(this.emit('test-file-success', [done, result])),
          (error: unknown) => void reported.push(this.emit('test-file-failure', [done, error])),
        );
      }
    };
    try {
      await Promise.all(Array.from({ length: this._globalConfig.maxWorkers }, lane));
      await Promise.all(reported);
    } finally {
      // Awaited, though every file has reported (about 30 ms): a worker the CLI does not wait for is not
      // its child to the system any more, and its CPU time would go missing from what `time` or the
      // bench counts for the run.
      await workers.end();
    }
  }
}
