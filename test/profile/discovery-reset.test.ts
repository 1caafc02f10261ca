// Role discovery sees the cluster every sequence starts from. On a shared cluster (a dcerpc: target with a
// control adapter) each suite file discovers its roles after the previous file's last sequence: a group
// failed over by a lost node, or a read-only server, once made discovery bind @group to a group whose
// initial owner is @node, and the next file's "NodeName is @node2" read failed (the intermittent failure
// of test/wire/rpc/nodes-and-security.test.ts). A control adapter offering Reset restores the cluster first.
import { bindRoles } from '../../harness/profile/resolve';
import { createBuiltinTarget } from '../../harness/target/builtin';
import type { Stimulus } from '../../cmrp/control';
import { ROLE_NAMES } from '../../harness/profile/roles';

const discover = async (after: Stimulus[]) => {
  const target = createBuiltinTarget({});
  try {
    for (const stimulus of after) await target.control!.apply(stimulus);
    // Not "builtin" as the spec: the bindings come from in-band discovery, as for a server on the wire.
    const bound = await bindRoles({ targetSpec: 'dcerpc:127.0.0.1', target, protocolVersion: 3, callMs: 2000 });
    return Object.fromEntries(ROLE_NAMES.map((role) => [role, bound.name(role) ?? bound.whyUnbound(role)]));
  } finally {
    await target.dispose();
  }
};

test.each<[string, Stimulus[]]>([
  ['a node lost (its groups failed over)', [{ verb: 'NodeDown', name: 'node1' }]],
  ['a group moved to the connected node', [{ verb: 'MoveGroup', name: 'App Group', node: 'node1' }]],
  ['the server left read-only', [{ verb: 'SetServerState', state: 'read-only' }]],
  ['the quorum moved', [{ verb: 'SetQuorum', resource: 'Cluster Disk 2' }]],
])('discovery after %s binds what it binds on the initial cluster', async (_what, stimuli) => {
  const initial = await discover([]);
  expect(initial.group).toBe('App Group');
  expect(await discover(stimuli)).toEqual(initial);
});
