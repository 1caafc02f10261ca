// Independence from names, on the wire: the reference served (`serve --cluster`) with
// examples/clusters/other-names.json, a cluster sharing no name with the default one, judged by a whole
// version 3 run over dcerpc: at packet privacy (SPNEGO) with its control adapter and its profile: 0 FAIL,
// 0 ERROR, most clauses judged, no name of the default cluster in any report, nothing of the suite's own
// left on the server. Served twice, as two equivalent clusters of one run (--target and --control once
// each, docs/cli.md "Several clusters"): both carry part of the suite files (connections counted in front
// of each endpoint), and neither keeps anything afterwards.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
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

/** A TCP relay in front of `port` on 127.0.0.1 that counts the connections made through it. */
interface Counted {
  port: number;
  connections: number;
  server: Server;
}

function countingRelay(port: number): Promise<Counted> {
  const counted = { port: 0, connections: 0 } as Counted;
  counted.server = createServer((client) => {
    counted.connections++;
    const upstream = connect(port, '127.0.0.1');
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  return new Promise((resolve) =>
    counted.server.listen(0, '127.0.0.1', () => {
      counted.port = (counted.server.address() as { port: number }).port;
      resolve(counted);
    }),
  );
}

const served: ServedProcess[] = [];
const relays: Counted[] = [];
beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    served.push(
      await startServe(
        ['--listen', 'dcerpc:127.0.0.1:0', '--control-listen', 'tcp:127.0.0.1:0', '--user', USER, '--cluster', join(ROOT, 'examples/clusters/other-names.json')],
        scaled(60_000),
        { CMRP_PASSWORD: PASSWORD },
      ),
    );
    relays.push(await countingRelay(served[i].port));
  }
}, 120_000);
afterAll(async () => {
  for (const relay of relays) relay.server.close();
  await Promise.all(served.map((s) => s.stop()));
});

test('a dcerpc: run over two clusters of other names: 0 FAIL, 0 ERROR, no default name anywhere, files on both, nothing left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cmrp-names-'));
  const clusters = relays.flatMap((relay, i) => ['--target', `dcerpc:127.0.0.1:${relay.port}`, '--control', `tcp:127.0.0.1:${served[i].controlPort}`]);
  // Not spawnSync: the relays live in this process and must keep relaying while the run goes.
  const run = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [
        join(ROOT, 'bin/cmrp-notify-conformance.js'), 'run', ...clusters, '--user', USER, '--profile', join(ROOT, 'examples/profiles/other-names.json'), '--runs', '60',
        '--json', join(dir, 'r.json'), '--junit', join(dir, 'j.xml'), '--markdown', join(dir, 's.md'), '--html', join(dir, 'r.html'),
      ],
      { encoding: 'utf8', timeout: scaled(480_000), env: { ...process.env, CMRP_PASSWORD: PASSWORD } },
      (error, _stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
    );
  });
  // A run refused before its reports (exit 2) says why on stderr.
  if (!existsSync(join(dir, 'r.json'))) throw new Error(`the run wrote no report (exit ${run.status}): ${run.stderr}`);
  const results = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { targetDescription: string; summary: Record<string, number>; clauses: { id: string; verdict: string; message?: string }[] };
  const bad = results.clauses.filter((c) => c.verdict === 'FAIL' || c.verdict === 'ERROR').map((c) => `${c.id} ${c.verdict}: ${(c.message ?? '').split('\n')[0]}`);
  expect(bad).toEqual([]);
  expect(run.status).toBe(0);
  expect(results.clauses.filter((c) => c.verdict === 'PASS').length).toBeGreaterThan(250);
  expect(results.targetDescription).toMatch(/^2 equivalent clusters: /);
  // The preflight and the cleanup make a few connections to each; the suite files' sessions, hundreds.
  for (const relay of relays) expect(relay.connections).toBeGreaterThan(50);
  // The reports speak of the served cluster's objects only.
  const reports = ['r.json', 'j.xml', 's.md'].map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  const names = [...DEFAULT_CLUSTER.groups, ...DEFAULT_CLUSTER.resources, ...DEFAULT_CLUSTER.networks, ...DEFAULT_CLUSTER.netInterfaces].map((o) => o.name);
  for (const name of [...names, DEFAULT_CLUSTER.name]) expect([name, reports.includes(name)]).toEqual([name, false]);
  expect(reports).not.toContain(PASSWORD);
  for (const s of served) {
    const control = await createTarget(`tcp:127.0.0.1:${s.controlPort}`);
    try {
      expect(await control.control!.listObjects!(OWN_PREFIX_ROOT)).toEqual([]);
    } finally {
      await control.dispose();
    }
  }
}, 600_000);
