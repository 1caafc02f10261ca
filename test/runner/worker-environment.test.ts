// A CLI run's Jest environment: one sandbox per worker, shared by the files the worker runs, with what
// Jest changes per file (its process.exit wrapper) undone between files.
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import WorkerEnvironment from '../../harness/runner/worker-environment';

const config = { globalConfig: {}, projectConfig: { testEnvironmentOptions: {}, globals: {}, fakeTimers: {} } } as unknown as JestEnvironmentConfig;
const context = { console, docblockPragmas: {}, testPath: 'a.spec.js' } as unknown as EnvironmentContext;

it('hands every file of a worker the same sandbox, and keeps it across teardown', async () => {
  const first = new WorkerEnvironment(config, context);
  await first.setup();
  const vm = first.getVmContext();
  expect(vm).not.toBeNull();
  const exit = (first.global.process as NodeJS.Process).exit;
  // What Jest does to each file's sandbox: wrap process.exit.
  (first.global.process as NodeJS.Process).exit = (() => undefined) as never;
  await first.teardown();
  const second = new WorkerEnvironment(config, { ...context, testPath: 'b.spec.js' } as EnvironmentContext);
  expect(second.getVmContext()).toBe(vm);
  expect(second.global).toBe(first.global);
  expect((second.global.process as NodeJS.Process).exit).toBe(exit);
  expect(second.exportConditions()).toEqual(first.exportConditions());
});
