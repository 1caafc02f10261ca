// Safe on a live cluster: after a faulted run, a run ended by SIGTERM, and a run killed with SIGKILL
// followed by a new, normal run, no object, key or value with the suite's prefix is left on the server.
// The server is the reference with the cluster of other names, served over dcerpc: with a control adapter
// that offers no Reset (as a live cluster's would not), so that only the suite's own cleanup can remove
// what it created. The runs are the built command line, as a pipeline runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterControl, ListedObject, Stimulus } from '../../cmrp/control';
import type { Target } from '../../cmrp/contract';
import { packageRoot } from '../../cmrp/package-info';
import { OWN_PREFIX_ROOT } from '../../harness/profile/own';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { loadClusterFile } from '../../reference';
import { serveDcerpc } from '../../reference/serve/dcerpc';
import { serveAdapter, type AdapterServer } from '../../reference/serve/serve';
import { referenceIdentity } from '../../harness/cli/serve';
import { scaled } from '../support/time-scale';

const ROOT = packageRoot();
const BIN = join(ROOT, 'bin/cmrp-notify-conformance.js');
const cluster = loadClusterFile(join(ROOT, 'examples/clusters/other-names.json'));
/** Sections whose sequences create objects, keys and values of their own, and pass without Reset. */
const SECTION = '2.2.2.7';

let served: Target;
let wire: { address: { port: number }; close(): Promise<void> };
let adapter: AdapterServer;
/** The served cluster's control itself: what the test lists and seeds through. */
let control: ClusterControl;
/** Set by a test: the next DeleteObject of an object of the suite's own fails once. */
let faultNextDelete = false;

beforeAll(async () => {
  served = createBuiltinTarget({ cluster });
  control = served.control!;
  const live: ClusterControl = {
    // A live cluster's control: everything but Reset.
    verbs: new Set([...control.verbs].filter((v) => v !== 'Reset')),
    apply: async (s: Stimulus) => {
      if (faultNextDelete && s.verb === 'DeleteObject' && s.name.startsWith(OWN_PREFIX_ROOT)) {
        faultNextDelete = false;
        throw new Error('injected fault: the cluster refused the deletion');
      }
      return control.apply(s);
    },
    listObjects: (prefix: string) => control.listObjects!(prefix),
  };
  const controlTarget: Target = {
    description: served.description,
    capabilities: served.capabilities,
    control: live,
    connect: (o) => served.connect(o),
    dispose: async () => undefined,
  };
  wire = await serveDcerpc(served, { port: 0, identity: referenceIdentity(cluster) });
  adapter = await serveAdapter({ host: '127.0.0.1', port: 0 }, controlTarget);
});

afterAll(async () => {
  await Promise.all([wire?.close(), adapter?.close()]);
  await served?.dispose();
});

function runArgs(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'cmrp-cleanup-'));
  return [
    BIN, 'run', '--target', `dcerpc:127.0.0.1:${wire.address.port}`, '--auth', 'none',
    '--control', `tcp:127.0.0.1:${adapter.address!.port}`, '--profile', join(ROOT, 'examples/profiles/other-names.json'),
    // A few property sequences (they create objects of their own too): the default 200 over dcerpc: were
    // most of each run's time and change nothing the test looks at.
    '--section', SECTION, '--runs', '4',
    '--json', join(dir, 'r.json'), '--junit', join(dir, 'j.xml'), '--markdown', join(dir, 's.md'), '--html', join(dir, 'r.html'),
  ];
}

function start(env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  // Its own process group, so a SIGKILL can take the CLI and its Jest workers together, as a CI cancel does.
  const child = spawn(process.execPath, runArgs(), { env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.resume();
  const limit = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), scaled(240_000));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stderr });
    }),
  );
  return { child, done };
}

const own = (): Promise<ListedObject[]> => control.listObjects!(OWN_PREFIX_ROOT);

/** Waits until the run with this id has something of its own on the server. */
async function untilOwned(runId: string, done: Promise<unknown>): Promise<ListedObject[]> {
  let finished = false;
  void done.then(() => (finished = true));
  for (;;) {
    const found = await control.listObjects!(`${OWN_PREFIX_ROOT}${runId}-`);
    if (found.length || finished) return found;
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('a faulted run (the cluster refuses a deletion mid-sequence) leaves nothing of its own', async () => {
  faultNextDelete = true;
  const { done } = start();
  const run = await done;
  // The refused deletion is an ERROR of the sequence's clauses: the run is not conformant.
  expect(run.code).toBe(1);
  expect(faultNextDelete).toBe(false);
  expect(await own()).toEqual([]);
}, 300_000);

test('a run ended by SIGTERM deletes what it created before it exits', async () => {
  const { child, done } = start({ CMRP_RUN_ID: 'sigt01' });
  const seen = await untilOwned('sigt01', done);
  expect(seen.length).toBeGreaterThan(0);
  process.kill(child.pid!, 'SIGTERM');
  const run = await done;
  expect(run.code).toBe(143);
  expect(run.stderr).toContain('SIGTERM: deleting this run');
  expect(await own()).toEqual([]);
}, 300_000);

test('what a run killed with SIGKILL left, the next run deletes before it starts; that normal run leaves nothing of its own', async () => {
  const { child, done } = start({ CMRP_RUN_ID: 'kill01' });
  const seen = await untilOwned('kill01', done);
  expect(seen.length).toBeGreaterThan(0);
  process.kill(-child.pid!, 'SIGKILL');
  await done;
  // A leftover a killed run could leave at any point: an object, a key of its own below a role's key,
  // and a value of its own on a key it does not own (SIGKILL may have landed just after an undo).
  await control.apply({ verb: 'AddObject', objectType: 'group', name: `${OWN_PREFIX_ROOT}kill01-stray group` });
  await control.apply({ verb: 'RegistryCreateKey', path: `Settings\\${OWN_PREFIX_ROOT}kill01-stray\\Sub` });
  await control.apply({ verb: 'RegistrySetValue', path: 'Settings\\Tuning', valueName: `${OWN_PREFIX_ROOT}kill01-stray`, data: 1 });
  expect((await own()).length).toBeGreaterThanOrEqual(3);
  const next = await start().done;
  expect(next.code).toBe(0);
  expect(next.stderr).toMatch(/cleanup before the run \(leftovers of an earlier run\): deleted \d+ object\(s\)/);
  expect(await own()).toEqual([]);
}, 300_000);
