// Cluster files (docs/cluster.schema.json): the shipped examples load, default.json is the reference's
// default cluster, other-names.json shares no name with it, a broken file is refused in one line that
// names the file and the place, and the reference started from a file serves (and Reset restores) it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CLUSTER, MUTANT_NAMES, createServer, loadClusterFile, type ClusterData } from '../../reference';
import { createTarget } from '../../harness/target/resolve';
import { ERROR } from '../../cmrp/constants';
import { UsageError } from '../../cmrp/errors';
import { referenceIdentity, serveCommand } from '../../harness/cli/serve';
import type { CliDeps } from '../../harness/cli/deps';

const ROOT = path.resolve(__dirname, '../..');
const example = (name: string) => path.join(ROOT, 'examples', 'clusters', name);

function allNames(c: ClusterData): string[] {
  const keys = c.registry.flatMap((k) => k.path.split('\\').filter(Boolean));
  return [c.name, ...c.nodes, ...c.groups, ...c.resources, ...c.networks, ...c.netInterfaces].map((o) => (typeof o === 'string' ? o : o.name)).concat(c.resourceTypes, keys).map((n) => n.toLowerCase());
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cmrp-cluster-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function broken(name: string, edit: (c: Record<string, unknown>) => void): string {
  const data = JSON.parse(fs.readFileSync(example('other-names.json'), 'utf8')) as Record<string, unknown>;
  edit(data);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(data));
  return file;
}

test('examples/clusters/default.json is the default cluster', () => {
  const { $schema: _s, description: _d, ...data } = loadClusterFile(example('default.json')) as ClusterData & { $schema?: string; description?: string };
  expect(data).toEqual(DEFAULT_CLUSTER);
});

test('examples/clusters/other-names.json loads and shares no name with the default cluster', () => {
  const other = loadClusterFile(example('other-names.json'));
  const defaults = new Set(allNames(DEFAULT_CLUSTER));
  expect(allNames(other).filter((n) => defaults.has(n))).toEqual([]);
});

test.each([
  ['unknown key', (c: Record<string, unknown>) => (c.colour = 'blue'), /unknown-key\.json: \(top level\) must NOT have additional properties \('colour'\)$/],
  ['bad state', (c: Record<string, unknown>) => ((c.groups as { state: string }[])[1]!.state = 'Up'), /bad-state\.json: \/groups\/1\/state must be equal to one of the allowed values \("Online"/],
  ['dangling node', (c: Record<string, unknown>) => ((c.groups as { node: string }[])[2]!.node = 'nowhere'), /dangling-node\.json: \/groups\/2\/node 'nowhere' names no node of the file$/],
  ['duplicate name', (c: Record<string, unknown>) => ((c.networks as { name: string }[])[1]!.name = 'heartbeat lan'), /duplicate-name\.json: \/networks\/1\/name 'heartbeat lan' is already \/networks\/0\/name/],
  ['quorum', (c: Record<string, unknown>) => (c.quorumResource = 'Ledger Role'), /quorum\.json: \/quorumResource 'Ledger Role' names no resource of the file$/],
])('a broken cluster file is refused in one line naming file and place (%s)', (name, edit, message) => {
  const file = broken(`${name.replace(/ /g, "-")}.json`, edit);
  let error: unknown;
  try {
    loadClusterFile(file);
  } catch (e) {
    error = e;
  }
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).not.toContain('\n');
});

test('a file that is not JSON or not there is refused naming the file', () => {
  const bad = path.join(tmp, 'not-json.json');
  fs.writeFileSync(bad, '{ nope');
  expect(() => loadClusterFile(bad)).toThrow(/not-json\.json: not valid JSON/);
  expect(() => loadClusterFile(path.join(tmp, 'absent.json'))).toThrow(/absent\.json: cannot read the cluster file \(ENOENT\)/);
});

test('the reference started from other-names.json serves its names, and Reset restores them', async () => {
  const server = createServer({ cluster: loadClusterFile(example('other-names.json')) });
  try {
    const conn = server.connect({ protocolVersion: 3 });
    expect((await conn.ApiOpenGroup('App Group')).status).not.toBe(ERROR.SUCCESS);
    const group = await conn.ApiOpenGroup('Ledger Role');
    expect(group.status).toBe(ERROR.SUCCESS);
    await server.control.apply({ verb: 'DeleteObject', objectType: 'group', name: 'Ledger Role' });
    expect((await conn.ApiOpenGroup('Ledger Role')).status).not.toBe(ERROR.SUCCESS);
    await server.control.apply({ verb: 'Reset' });
    expect((await conn.ApiOpenGroup('Ledger Role')).status).toBe(ERROR.SUCCESS);
    expect((await conn.ApiOpenNode('HB-NODE-B')).status).toBe(ERROR.SUCCESS);
  } finally {
    server.dispose();
  }
});

test('--target builtin:cluster=FILE starts the builtin target from the file; a broken file is a usage error', async () => {
  const target = await createTarget(`builtin:mutant=${MUTANT_NAMES[0]},cluster=${example('other-names.json')}`);
  try {
    expect(target.description).toBe(`builtin (mutant ${MUTANT_NAMES[0]}, cluster ${example('other-names.json')}) with its wire face`);
    const conn = await target.connect({ protocolVersion: 2 });
    expect((await conn.ApiOpenNetwork('Heartbeat LAN')).status).toBe(ERROR.SUCCESS);
  } finally {
    await target.dispose();
  }
  await expect(createTarget(`builtin:cluster=${path.join(tmp, 'absent.json')}`)).rejects.toThrow(UsageError);
  await expect(createTarget('builtin:colour=blue')).rejects.toThrow(/unknown target form/);
  await expect(createTarget(`builtin:cluster=${example('default.json')},cluster=x`)).rejects.toThrow(/cluster= given twice/);
});

test('serve --cluster: a broken file is a usage error naming the flag, the file and the place; the served identity is the file\'s', async () => {
  const deps = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: ROOT } as unknown as CliDeps;
  const file = broken('serve-bad.json', (c) => (c.name = ''));
  await expect(serveCommand(['--listen', 'stdio', '--cluster', file], deps)).rejects.toThrow(new UsageError(`--cluster ${file}: /name must NOT have fewer than 1 characters`));
  const identity = referenceIdentity(loadClusterFile(example('other-names.json')));
  expect([identity.clusterName, identity.nodeName]).toEqual(['HARBOUR-CL', 'HB-NODE-A']);
});
