// The Jest runner that takes a run's early workers (harness/runner/suite-workers-runner.ts): what it
// sends them and what it tells Jest, checked against stand-in workers.
import type { Test } from '@jest/test-result';
import type { Config } from '@jest/types';
import type { TestWatcher } from 'jest-watcher';
import SuiteWorkersRunner from '../../harness/runner/suite-workers-runner';
import { offerSuiteWorkers, takeSuiteWorkers, type SuiteWorkers } from '../../harness/runner/suite-workers';
import type { RunRequest } from '../../harness/runner/suite-workers-child';

const project = { id: 'suites' } as Config.ProjectConfig;
const moduleMap = { toJSON: () => ({ map: 'serialised' }) };
const testOf = (path: string): Test => ({ path, context: { config: project, moduleMap } } as unknown as Test);
const watcher = { isInterrupted: () => false } as unknown as TestWatcher;

interface StandIn extends SuiteWorkers {
  requests: RunRequest[];
  inFlight: number;
  mostInFlight: number;
  ended: number;
}

/** Workers that answer each file after a tick; a path containing "crash" fails as a crashed worker does. */
function standIn(): StandIn {
  const w: StandIn = {
    requests: [],
    inFlight: 0,
    mostInFlight: 0,
    ended: 0,
    run(request) {
      w.requests.push(request);
      w.inFlight++;
      w.mostInFlight = Math.max(w.mostInFlight, w.inFlight);
      const path = (request.file as { path: string }).path;
      return new Promise((resolve, reject) =>
        setTimeout(() => {
          w.inFlight--;
          if (path.includes('crash')) reject(new Error('Call retries were exceeded'));
          else resolve({ testFilePath: path });
        }, 5),
      );
    },
    async end() {
      w.ended++;
      return { forceExited: false };
    },
    getStdout: () => null,
    getStderr: () => null,
  };
  return w;
}

function runner(maxWorkers: number): { runner: SuiteWorkersRunner; events: string[] } {
  const r = new SuiteWorkersRunner({ maxWorkers } as Config.GlobalConfig, {});
  const events: string[] = [];
  r.on('test-file-start', ([t]) => void events.push(`start ${t.path}`));
  r.on('test-file-success', ([t]) => void events.push(`success ${t.path}`));
  r.on('test-file-failure', ([t, e]) => void events.push(`failure ${t.path}: ${(e as Error).message}`));
  return { runner: r, events };
}

afterEach(() => void takeSuiteWorkers());

test('every file goes to the offered workers, never more at once than Jest has workers, then the workers end', async () => {
  const workers = standIn();
  offerSuiteWorkers(workers);
  const { runner: r, events } = runner(2);
  const paths = ['/s/a.spec.js', '/s/b.spec.js', '/s/c.spec.js', '/s/d.spec.js', '/s/e.spec.js'];
  await r.runTests(paths.map(testOf), watcher, { serial: false });
  expect(workers.requests.map((q) => (q.file as { path: string }).path).sort()).toEqual(paths);
  expect(workers.mostInFlight).toBe(2);
  for (const q of workers.requests) expect(q.setup).toEqual({ serializableResolvers: [{ config: project, serializableModuleMap: { map: 'serialised' } }] });
  for (const p of paths) expect(events.indexOf(`start ${p}`)).toBeLessThan(events.indexOf(`success ${p}`));
  expect(workers.ended).toBe(1);
  // Handed out once: a second run would not find them.
  expect(takeSuiteWorkers()).toBeUndefined();
});

test('a file whose worker failed is reported to Jest as that file failing; the others still run', async () => {
  const workers = standIn();
  offerSuiteWorkers(workers);
  const { runner: r, events } = runner(2);
  await r.runTests(['/s/crash.spec.js', '/s/ok.spec.js'].map(testOf), watcher, { serial: false });
  expect(events).toContain('failure /s/crash.spec.js: Call retries were exceeded');
  expect(events).toContain('success /s/ok.spec.js');
  expect(workers.ended).toBe(1);
});

test('when Jest runs the files in band, the offered workers are ended unused', async () => {
  const workers = standIn();
  offerSuiteWorkers(workers);
  const { runner: r } = runner(2);
  // No test files: jest-runner's own in-band run has nothing to do.
  await r.runTests([], watcher, { serial: true });
  expect(workers.requests).toEqual([]);
  expect(workers.ended).toBe(1);
});
