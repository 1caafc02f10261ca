// Independence from names, on the wire: the reference served (`serve --cluster`) with
// examples/clusters/other-names.json, a cluster sharing no name with the default one, judged by a whole
// version 3 run over dcerpc: at packet privacy (SPNEGO) with its control adapter and its profile: 0 FAIL,
// 0 ERROR, most clauses judged, no name of the default cluster in any report, nothing of the suite's own
// left on the server.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../cmrp/package-info';
import { OWN_PREFIX_ROOT } from '../../harness/profile/own';
import { createTarget } from '../../harness/target/resolve';
import { DEFAULT_CLUSTER } from '../../reference';
import { startServe, type ServedProcess } from '../wire/rpc/served-process';
import { scaled } from '../support/time-scale';

const ROOT = packageRoot();
const USER = 'HARBOUR\\tester';
const PASSWORD = `Names-${randomBytes(12).toString('base64url')}`;

let served: ServedProcess;
beforeAll(async () => {
  served = await startServe(
    ['--listen', 'dcerpc:127.0.0.1:0', '--control-listen', 'tcp:127.0.0.1:0', '--user', USER, '--cluster', join(ROOT, 'examples/clusters/other-names.json')],
    scaled(60_000),
    { CMRP_PASSWORD: PASSWORD },
  );
}, 90_000);
afterAll(async () => {
  await served?.stop();
});

test('a dcerpc: run against the cluster of other names: 0 FAIL, 0 ERROR, no default name anywhere, nothing left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cmrp-names-'));
  const run = spawnSync(
    process.execPath,
    [
      join(ROOT, 'bin/cmrp-notify-conformance.js'), 'run', '--target', `dcerpc:127.0.0.1:${served.port}`, '--user', USER,
      '--control', `tcp:127.0.0.1:${served.controlPort}`, '--profile', join(ROOT, 'examples/profiles/other-names.json'), '--runs', '60',
      '--json', join(dir, 'r.json'), '--junit', join(dir, 'j.xml'), '--markdown', join(dir, 's.md'), '--html', join(dir, 'r.html'),
    ],
    { encoding: 'utf8', timeout: scaled(480_000), env: { ...process.env, CMRP_PASSWORD: PASSWORD } },
  );
  const results = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { summary: Record<string, number>; clauses: { id: string; verdict: string; message?: string }[] };
  const bad = results.clauses.filter((c) => c.verdict === 'FAIL' || c.verdict === 'ERROR').map((c) => `${c.id} ${c.verdict}: ${(c.message ?? '').split('\n')[0]}`);
  expect(bad).toEqual([]);
  expect(run.status).toBe(0);
  expect(results.clauses.filter((c) => c.verdict === 'PASS').length).toBeGreaterThan(250);
  // The reports speak of the served cluster's objects only.
  const reports = ['r.json', 'j.xml', 's.md'].map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  const names = [...DEFAULT_CLUSTER.groups, ...DEFAULT_CLUSTER.resources, ...DEFAULT_CLUSTER.networks, ...DEFAULT_CLUSTER.netInterfaces].map((o) => o.name);
  for (const name of [...names, DEFAULT_CLUSTER.name]) expect([name, reports.includes(name)]).toEqual([name, false]);
  expect(reports).not.toContain(PASSWORD);
  const control = await createTarget(`tcp:127.0.0.1:${served.controlPort}`);
  try {
    expect(await control.control!.listObjects!(OWN_PREFIX_ROOT)).toEqual([]);
  } finally {
    await control.dispose();
  }
}, 600_000);
