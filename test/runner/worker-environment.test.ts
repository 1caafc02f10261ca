// A CLI run's Jest environment: one sandbox per worker, shared by the files the worker runs, with what
// Jest changes per file (its process.exit wrapper) undone between files.
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import WorkerEnvironment, { JEST_WORKER_END, isJestWorkerChild } from '../../harness/runner/worker-environment';

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

describe('a worker exits as soon as jest-worker ends the run', () => {
  // jest-worker is Jest's own (a dependency of jest-runner), read here from where Node finds it.
  const jestWorkerBuild = dirname(require.resolve('jest-worker'));

  it('knows a jest-worker child by the script it runs, and a run in band by its absence', () => {
    const send = () => true;
    expect(isJestWorkerChild([process.execPath, join(jestWorkerBuild, 'processChild.js')], send)).toBe(true);
    expect(isJestWorkerChild([process.execPath, '/x/node_modules/jest-worker/build/workers/processChild.js'], send)).toBe(true);
    // The CLI itself, in band: no jest-worker script, or no IPC channel.
    expect(isJestWorkerChild([process.execPath, '/x/bin/cmrp-notify-conformance.js'], send)).toBe(false);
    expect(isJestWorkerChild([process.execPath, join(jestWorkerBuild, 'processChild.js')], null)).toBe(false);
  });

  it("uses jest-worker's own number for the end of the run", () => {
    // A Jest upgrade that renumbers its messages must fail here, not end workers in the middle of a run.
    const built = readFileSync(join(jestWorkerBuild, 'processChild.js'), 'utf8');
    expect(/CHILD_MESSAGE_END = (?:exports\.CHILD_MESSAGE_END = )?(\d+)/.exec(built)?.[1]).toBe(String(JEST_WORKER_END));
    expect(built).toContain('case _types.CHILD_MESSAGE_END:');
  });
});
