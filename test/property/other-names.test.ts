// The property names no object of any server: against the reference started with a cluster that shares
// no name with the default one it agrees with the oracle model (0 FAIL), names only objects of its own
// (cmrp-conf-<runid>-...), and on a cluster whose control cannot Reset it changes nothing but those.
import * as path from 'node:path';
import type { ClusterControl, ListedObject, Stimulus } from '../../cmrp/control';
import type { Target } from '../../cmrp/contract';
import { packageRoot } from '../../cmrp/package-info';
import { DEFAULT_CLUSTER, loadClusterFile } from '../../reference';
import { ownPrefix } from '../../harness/profile/own';
import { runProperty } from '../../harness/property/runner';
import { TEST_TIMEOUTS, property, withTarget } from './support';

const FILE = path.join(packageRoot(), 'examples/clusters/other-names.json');
const other = loadClusterFile(FILE);
/** Every name of the default cluster: none may appear in what the property did to the other one. */
const DEFAULT_NAMES = [
  ...DEFAULT_CLUSTER.nodes, ...DEFAULT_CLUSTER.groups, ...DEFAULT_CLUSTER.resources, ...DEFAULT_CLUSTER.networks, ...DEFAULT_CLUSTER.netInterfaces,
].map((o) => o.name);

describe.each([2, 3] as const)('protocol version %i', (version) => {
  test('the cluster of other names: 0 FAIL, and every stimulus names an object of the run\'s own', async () => {
    const applied: Stimulus[] = [];
    const result = await withTarget(`builtin:cluster=${FILE}`, (target) => {
      const control = target.control!;
      const watched: Target = {
        description: target.description,
        capabilities: target.capabilities,
        connect: (o) => target.connect(o),
        dispose: async () => undefined,
        control: { verbs: control.verbs, apply: (s) => (applied.push(s), control.apply(s)) },
      };
      return runProperty({ target: watched, targetSpec: `builtin:cluster=${FILE}`, version, seed: 42, runs: 80, timeouts: TEST_TIMEOUTS });
    });
    expect(result.failure?.message).toBeUndefined();
    expect(result.observations.filter((o) => o.outcome === 'fail' || o.outcome === 'error')).toEqual([]);
    expect(result.observations.some((o) => o.outcome === 'pass')).toBe(true);
    const names = applied.flatMap((s) => Object.entries(s).filter(([k, v]) => v !== undefined && ['name', 'group', 'node', 'network', 'resource', 'path', 'valueName', 'property'].includes(k)).map(([, v]) => String(v)));
    expect(names.length).toBeGreaterThan(0);
    const foreign = names.filter((n) => n !== '' && !n.startsWith(ownPrefix()));
    expect(foreign).toEqual([]);
    for (const name of DEFAULT_NAMES) expect(JSON.stringify(applied)).not.toContain(JSON.stringify(name));
    expect(other.name).not.toBe(DEFAULT_CLUSTER.name);
  }, 120_000);

  test('against the default cluster too, as before', async () => {
    const result = await property('builtin', version, { runs: 40 });
    expect(result.failure?.message).toBeUndefined();
  }, 60_000);

  test('a control without Reset (a live cluster): the run changes nothing but values of its own, which the cleanup finds', async () => {
    const applied: Stimulus[] = [];
    let left: ListedObject[] = [];
    await withTarget(`builtin:cluster=${FILE}`, async (target) => {
      const control = target.control!;
      const live: ClusterControl = { verbs: new Set([...control.verbs].filter((v) => v !== 'Reset')), apply: (s) => (applied.push(s), control.apply(s)) };
      const bare: Target = { description: 'live', capabilities: target.capabilities, connect: (o) => target.connect(o), dispose: async () => undefined, control: live };
      const result = await runProperty({ target: bare, targetSpec: 'live', version, seed: 42, runs: 60, timeouts: TEST_TIMEOUTS });
      expect(result.failure?.message).toBeUndefined();
      left = await control.listObjects!(ownPrefix());
    });
    const changes = applied.filter((s) => !['DropEvents', 'SetServerState', 'Failover'].includes(s.verb));
    for (const s of changes) expect([s.verb, 'valueName' in s && s.valueName.startsWith(ownPrefix())]).toEqual([s.verb, true]);
    for (const o of left) expect(o.objectType).toBe('value');
  }, 120_000);
});
