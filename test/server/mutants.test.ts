// Each mutant differs from the reference on the behaviour it breaks (a probe per mutant, run against
// both), its trips name real catalogue clauses, and the builtin target exposes them by name.
import { propertyListPayload } from '../../wire/clusapi/payload';
import { loadCatalogue } from '../../harness/catalogue/load';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { CLUSTER_CHANGE as C, CLUSTER_CHANGE_GROUP_V2 as G, CLUSTER_CHANGE_REGISTRY_V2 as R, CLUSTER_OBJECT_TYPE as OT } from '../../cmrp/constants';
import { FABRICATED_HANDLE, type ClusapiConnection, type NotificationV2 } from '../../cmrp/contract';
import { MUTANTS, MUTANT_NAMES } from '../../reference';
import { disposeAll, drain, ok, openPort, PENDING, rig, status, within } from './helpers';

afterEach(disposeAll);

type Probe = (mutant: string | undefined) => Promise<unknown>;

/** v3 port with a registration on one group (App Group), the connection and the rig. */
async function groupPort(version: 2 | 3, mutant: string | undefined, key = 1) {
  const r = rig(version, mutant);
  const h = await openPort(r.conn);
  const hGroup = ok(await r.conn.ApiOpenGroup('App Group')).hGroup;
  const { dwStateSequence } = ok(await r.conn.ApiAddNotifyGroup(h, hGroup, C.GROUP_STATE | C.GROUP_PROPERTY, key));
  return { ...r, h, hGroup, seq: dwStateSequence };
}

const setGroupState = { verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 } as const;

type ConnV2 = Required<ClusapiConnection>;

/** A version 2 port and a cluster handle on a protocol version 3 connection. */
async function v2Port(mutant: string | undefined) {
  const r = rig(3, mutant);
  const conn = r.conn as ConnV2;
  return { ...r, conn, h: ok(await conn.ApiCreateNotifyV2()).hNotify, hCluster: ok(await conn.ApiOpenCluster()).hCluster };
}

async function v2Register(conn: ConnV2, h: string, hObject: string, type: number, flags: number, key: number): Promise<void> {
  ok(await conn.ApiAddNotifyV2(h, hObject, type, BigInt(flags), key, 2, false));
}

/** Everything queued on a version 2 port now: a read, released by Unblock when nothing is queued. */
async function v2Drain(conn: ConnV2, h: string): Promise<NotificationV2[]> {
  const read = conn.ApiGetNotifyV2(h);
  ok(await conn.ApiUnblockGetNotifyCall(h));
  const reply = await read;
  return reply.fault === undefined && reply.status === 0 ? reply.Notifications : [];
}

/** A blocked read, released (or not) by `release`: its status, or PENDING. */
async function releasedBy(mutant: string | undefined, release: 'unblock' | 'close'): Promise<unknown> {
  const { conn, h } = await groupPort(3, mutant);
  const read = conn.ApiGetNotify(h);
  ok(release === 'unblock' ? await conn.ApiUnblockGetNotifyCall(h) : await conn.ApiCloseNotify(h));
  const outcome = await within(read);
  return outcome === PENDING ? 'pending' : status(outcome);
}

const PROBES: Record<string, Probe> = {
  'merge-filters': async (m) => {
    const { conn, h, hGroup, apply } = await groupPort(3, m);
    ok(await conn.ApiAddNotifyGroup(h, hGroup, C.GROUP_STATE, 2));
    await apply(setGroupState);
    return (await drain(conn, h)).length;
  },
  'drop-catch-up': async (m) => {
    const { conn, hGroup, seq } = await groupPort(3, m);
    const h2 = await openPort(conn);
    ok(await conn.ApiReAddNotifyGroup(h2, hGroup, C.GROUP_STATE, 2, (seq + 5) >>> 0));
    return (await drain(conn, h2)).length;
  },
  'catch-up-wrong-key': async (m) => {
    const { conn, hGroup, seq } = await groupPort(3, m);
    const h2 = await openPort(conn);
    ok(await conn.ApiReAddNotifyGroup(h2, hGroup, C.GROUP_STATE, 7, (seq + 5) >>> 0));
    return (await drain(conn, h2)).map((e) => e.dwNotifyKey);
  },
  'wrong-type-handle-ok': async (m) => {
    const { conn, h, hGroup } = await groupPort(3, m);
    return [status(await conn.ApiAddNotifyGroup(hGroup, hGroup, C.GROUP_STATE, 1)), status(await conn.ApiAddNotifyNode(h, hGroup, C.NODE_STATE, 1))];
  },
  'refuse-read-only': async (m) => {
    const { conn, h, hGroup, apply } = await groupPort(3, m);
    await apply({ verb: 'SetServerState', state: 'read-only' });
    return status(await conn.ApiAddNotifyGroup(h, hGroup, C.GROUP_STATE, 1));
  },
  'early-events': async (m) => {
    const { conn, apply } = rig(3, m);
    const h = await openPort(conn);
    await apply(setGroupState);
    ok(await conn.ApiAddNotifyCluster(h, ok(await conn.ApiOpenCluster()).hCluster, C.NODE_ADDED, 1));
    return (await drain(conn, h)).length;
  },
  'client-only-value': async (m) => {
    const { conn, h, hGroup } = await groupPort(3, m);
    ok(await conn.ApiCloseGroup(hGroup));
    return (await drain(conn, h)).map((e) => e.dwFilter);
  },
  'wrong-key': async (m) => {
    const { conn, h, apply } = await groupPort(3, m, 40);
    await apply(setGroupState);
    return (await drain(conn, h)).map((e) => e.dwNotifyKey);
  },
  'ignore-unblock': (m) => releasedBy(m, 'unblock'),
  'close-no-release': (m) => releasedBy(m, 'close'),
  'close-keeps-handle': async (m) => {
    const { conn, h } = await groupPort(3, m);
    return ok(await conn.ApiCloseNotify(h)).hNotify;
  },
  'scope-leak': async (m) => {
    const { conn, h, apply } = await groupPort(3, m);
    await apply({ verb: 'SetState', objectType: 'group', name: 'Available Storage', state: 1 });
    return (await drain(conn, h)).length;
  },
  'lifo-queue': async (m) => {
    const { conn, h, apply } = await groupPort(3, m);
    await apply(setGroupState);
    await apply({ verb: 'SetProperty', objectType: 'group', name: 'App Group', property: 'p', value: 1 });
    return (await drain(conn, h)).map((e) => e.dwFilter);
  },
  'add-wrong-sequence': async (m) => {
    const { conn, h, seq, apply } = await groupPort(3, m);
    await apply(setGroupState);
    const [event] = await drain(conn, h);
    return event?.dwStateSequence === seq;
  },
  'subtree-ignored': async (m) => {
    const { conn, apply } = rig(3, m);
    const h = await openPort(conn);
    ok(await conn.ApiAddNotifyKey(h, ok(await conn.ApiGetRootKey(0x20019)).hKey, 1, C.REGISTRY_VALUE, true));
    await apply({ verb: 'RegistrySetValue', path: 'Parameters', valueName: 'v', data: 1 });
    return (await drain(conn, h)).length;
  },
  'v2-create-read-only': async (m) => {
    const { conn, apply } = rig(2, m);
    await apply({ verb: 'SetServerState', state: 'read-only' });
    return status(await conn.ApiCreateNotify());
  },
  'v2-no-timeout': async (m) => {
    const { conn, h } = await groupPort(2, m);
    const outcome = await within(conn.ApiGetNotify(h, 20), 300);
    return outcome === PENDING ? 'pending' : status(outcome);
  },
  'no-reconnect-event': async (m) => {
    const { conn, h, apply } = await groupPort(3, m);
    await apply({ verb: 'DropEvents' });
    return (await drain(conn, h)).map((e) => e.dwFilter);
  },
  'v2-reconnect': async (m) => {
    const { conn, h, apply } = await groupPort(2, m);
    await apply({ verb: 'DropEvents' });
    return (await drain(conn, h)).map((e) => e.dwFilter);
  },
  'invalid-hnotify-ok': async (m) => {
    const { conn, hGroup } = await groupPort(3, m);
    return status(await conn.ApiAddNotifyGroup(FABRICATED_HANDLE, hGroup, C.GROUP_STATE, 1));
  },
  'refuse-read-access': async (m) => {
    const { server } = rig(3, m);
    return status(await server.connect({ protocolVersion: 3, accessLevel: 'read' }).ApiCreateNotify());
  },
  'release-success': (m) => releasedBy(m, 'unblock'),
  'report-subtree-bit': async (m) => {
    const { conn, apply } = rig(3, m);
    const h = await openPort(conn);
    ok(await conn.ApiAddNotifyKey(h, ok(await conn.ApiGetRootKey(0x20019)).hKey, 1, C.REGISTRY_VALUE, true));
    await apply({ verb: 'RegistrySetValue', path: 'Parameters', valueName: 'v', data: 1 });
    return (await drain(conn, h)).map((e) => e.dwFilter);
  },
  'v2-quorum-state': async (m) => {
    const { conn, apply } = rig(2, m);
    const h = await openPort(conn);
    ok(await conn.ApiAddNotifyCluster(h, ok(await conn.ApiOpenCluster()).hCluster, C.QUORUM_STATE, 1));
    await apply({ verb: 'SetQuorum', resource: 'Cluster Disk 2' });
    return (await drain(conn, h)).length;
  },
  'v2-timeout-fault': async (m) => {
    const { conn, h } = await groupPort(2, m);
    return status(await conn.ApiGetNotify(h, 0));
  },
  'deletion-skips-own-registration': async (m) => {
    const { conn, apply } = rig(3, m);
    await apply({ verb: 'AddObject', objectType: 'group', name: 'Spare Group' });
    const h = await openPort(conn);
    ok(await conn.ApiAddNotifyGroup(h, ok(await conn.ApiOpenGroup('Spare Group')).hGroup, C.GROUP_DELETED, 1));
    await apply({ verb: 'DeleteObject', objectType: 'group', name: 'Spare Group' });
    return (await drain(conn, h)).map((e) => e.dwFilter);
  },
  'port-table-64': async (m) => {
    const { conn, apply } = rig(3, m);
    const hGroup = ok(await conn.ApiOpenGroup('App Group')).hGroup;
    const ports: string[] = [];
    for (let i = 0; i < 65; i++) {
      ports.push(await openPort(conn));
      ok(await conn.ApiAddNotifyGroup(ports[i], hGroup, C.GROUP_STATE, i));
    }
    await apply(setGroupState);
    return (await drain(conn, ports[64])).length;
  },
  'unblock-closes-port': async (m) => {
    const { conn, h } = await groupPort(3, m);
    ok(await conn.ApiUnblockGetNotifyCall(h));
    return status(await conn.ApiCloseNotify(h));
  },
  'v2-read-access': async (m) => {
    const { server } = rig(2, m);
    return status(await server.connect({ protocolVersion: 2, accessLevel: 'read' }).ApiOpenCluster());
  },
  // Version 2 ports (protocol version 3): each probe reads what the mutant changes.
  'port2-merge-registrations': async (m) => {
    const { conn, h, hCluster, apply } = await v2Port(m);
    await v2Register(conn, h, hCluster, OT.GROUP, G.STATE, 1);
    await v2Register(conn, h, hCluster, OT.GROUP, G.STATE, 2);
    await apply(setGroupState);
    return (await v2Drain(conn, h)).map((n) => n.dwNotifyKey);
  },
  'port2-all-flags': async (m) => {
    const { conn, h, hCluster, apply } = await v2Port(m);
    await v2Register(conn, h, hCluster, OT.GROUP, G.STATE | G.DELETED, 1);
    await apply(setGroupState);
    return (await v2Drain(conn, h)).map((n) => n.FilterFlags);
  },
  'port2-group-parent': async (m) => {
    const { conn, h, hCluster, apply } = await v2Port(m);
    await v2Register(conn, h, hCluster, OT.GROUP, G.STATE, 1);
    await apply(setGroupState);
    return (await v2Drain(conn, h)).map((n) => n.ParentId === n.ObjectId);
  },
  'port2-subtree-flag': async (m) => {
    const { conn, h, hCluster, apply } = await v2Port(m);
    await v2Register(conn, h, hCluster, OT.REGISTRY, R.VALUE | R.SUBTREE, 1);
    await apply({ verb: 'RegistrySetValue', path: 'Parameters', valueName: 'Description', data: 'x' });
    return (await v2Drain(conn, h)).map((n) => n.FilterFlags);
  },
  'port2-any-version': async (m) => {
    const { conn, h, hCluster } = await v2Port(m);
    return status(await conn.ApiAddNotifyV2(h, hCluster, OT.GROUP, BigInt(G.STATE), 1, 1, false));
  },
  'port2-any-object-type': async (m) => {
    const { conn, h, hCluster } = await v2Port(m);
    return status(await conn.ApiAddNotifyV2(h, hCluster, 0x11, 1n, 1, 2, false));
  },
  'port2-no-wait': async (m) => {
    const { conn, h, hCluster } = await v2Port(m);
    await v2Register(conn, h, hCluster, OT.GROUP, G.STATE, 1);
    const outcome = await within(conn.ApiGetNotifyV2(h));
    return outcome === PENDING ? 'pending' : status(outcome);
  },
  'port2-unblock-ignored': async (m) => {
    const { conn, h, hCluster } = await v2Port(m);
    await v2Register(conn, h, hCluster, OT.GROUP, G.STATE, 1);
    const read = conn.ApiGetNotifyV2(h);
    ok(await conn.ApiUnblockGetNotifyCall(h));
    const outcome = await within(read);
    return outcome === PENDING ? 'pending' : status(outcome);
  },
  'only-first-node-serves': async (m) => {
    const { server } = rig(3, m);
    return status(await server.connect({ protocolVersion: 3, node: 'node2' }).ApiOpenCluster());
  },
  'node-loss-unreported': async (m) => {
    const { server, apply } = rig(3, m);
    await apply({ verb: 'NodeDown', name: 'node1' });
    const conn = server.connect({ protocolVersion: 3, node: 'node2' });
    return ok(await conn.ApiGetNodeState(ok(await conn.ApiOpenNode('node1')).hNode)).State;
  },
  'sequence-per-node': async (m) => {
    const { server } = rig(3, m);
    const sequences = [];
    for (const node of ['node1', 'node2']) {
      const conn = server.connect({ protocolVersion: 3, node });
      const h = await openPort(conn);
      sequences.push(ok(await conn.ApiAddNotifyGroup(h, ok(await conn.ApiOpenGroup('App Group')).hGroup, C.GROUP_STATE, 1)).dwStateSequence);
    }
    return sequences;
  },
  'port2-early-events': async (m) => {
    const { conn, h, hCluster, apply } = await v2Port(m);
    await apply(setGroupState);
    await v2Register(conn, h, hCluster, OT.GROUP, G.STATE, 1);
    return (await v2Drain(conn, h)).length;
  },
  'gone-object-registered': async (m) => {
    const { conn, apply } = rig(3, m);
    const h = await openPort(conn);
    await apply({ verb: 'AddObject', objectType: 'group', name: 'Gone' });
    const hGroup = ok(await conn.ApiOpenGroup('Gone')).hGroup;
    await apply({ verb: 'DeleteObject', objectType: 'group', name: 'Gone' });
    return status(await conn.ApiAddNotifyGroup(h, hGroup, C.GROUP_STATE, 1));
  },
  'gone-object-state': async (m) => {
    const { conn, apply } = rig(3, m);
    await apply({ verb: 'AddObject', objectType: 'network', name: 'Gone' });
    const hNetwork = ok(await conn.ApiOpenNetwork('Gone')).hNetwork;
    await apply({ verb: 'DeleteObject', objectType: 'network', name: 'Gone' });
    return status(await conn.ApiGetNetworkState(hNetwork));
  },
  'links-ignored': async (m) => {
    const { conn, apply } = rig(3, m);
    const hNic = ok(await conn.ApiOpenNetInterface('node2 - Ethernet')).hNetInterface;
    await apply({ verb: 'SetInterfaceLink', name: 'node2 - Ethernet', connected: false });
    return ok(await conn.ApiGetNetInterfaceState(hNic)).State;
  },
  'node-activity-ignored': async (m) => {
    const { conn, apply } = rig(3, m);
    const hNode = ok(await conn.ApiOpenNode('node2')).hNode;
    await apply({ verb: 'SetNodeActivity', name: 'node2', activity: 'inactive' });
    return ok(await conn.ApiGetNodeState(hNode)).State;
  },
  'read-access-changes-cluster': async (m) => {
    const { server } = rig(3, m);
    const reader = server.connect({ protocolVersion: 3, accessLevel: 'read' });
    const hGroup = ok(await reader.ApiOpenGroup('App Group')).hGroup;
    return status(await reader.ApiOfflineGroup!(hGroup));
  },
  'descriptor-ignored': async (m) => {
    const { server, apply } = rig(3, m);
    await apply({ verb: 'SetClusterSecurity', account: 'read', access: 'none' });
    return status(await server.connect({ protocolVersion: 3, accessLevel: 'read' }).ApiOpenCluster());
  },
  'shutdown-node-not-ready': async (m) => {
    const { server, apply } = rig(2, m);
    const conn = server.connect({ protocolVersion: 2, node: 'node2' });
    const hGroup = ok(await conn.ApiOpenGroup('App Group')).hGroup;
    await apply({ verb: 'NodeShutdown', name: 'node2' });
    return status(await conn.ApiOfflineGroup!(hGroup));
  },
  'inactive-node-changes': async (m) => {
    const { server, apply } = rig(3, m);
    await apply({ verb: 'SetNodeActivity', name: 'node2', activity: 'inactive' });
    const conn = server.connect({ protocolVersion: 3, node: 'node2' });
    return status(await conn.ApiOfflineGroup!(ok(await conn.ApiOpenGroup('App Group')).hGroup));
  },
  'inactive-node-refuses-reads': async (m) => {
    const { server, apply } = rig(3, m);
    await apply({ verb: 'SetNodeActivity', name: 'node2', activity: 'inactive' });
    return status(await server.connect({ protocolVersion: 3, node: 'node2' }).ApiOpenGroup('App Group'));
  },
  'node-server-state-shared': async (m) => {
    // node2 alone is set read-only: node1 still carries a change out, unless the state is the cluster's.
    const { conn, apply } = rig(3, m);
    const hGroup = ok(await conn.ApiOpenGroup('App Group')).hGroup;
    await apply({ verb: 'SetNodeServerState', name: 'node2', state: 'read-only' });
    return status(await conn.ApiOfflineGroup!(hGroup));
  },
  'change-in-read-only': async (m) => {
    const { conn, apply } = rig(3, m);
    const hGroup = ok(await conn.ApiOpenGroup('App Group')).hGroup;
    await apply({ verb: 'SetServerState', state: 'read-only' });
    return status(await conn.ApiOfflineGroup!(hGroup));
  },
  'management-state-unannounced': async (m) => {
    // The group goes offline through ApiOfflineGroup itself, not the control adapter.
    const { conn, h, hGroup } = await groupPort(3, m);
    ok(await conn.ApiAddNotifyGroup(h, hGroup, C.GROUP_STATE, 2));
    ok(await conn.ApiOfflineGroup!(hGroup));
    return (await drain(conn, h)).length;
  },
  'management-property-unannounced': async (m) => {
    // The group's Description is set through ApiGroupControl (CLUSCTL_GROUP_SET_COMMON_PROPERTIES).
    const { conn, h, hGroup } = await groupPort(3, m);
    ok(await conn.ApiAddNotifyGroup(h, hGroup, C.GROUP_PROPERTY, 2));
    const list = propertyListPayload([{ name: 'Description', value: 'probe' }]);
    ok(await conn.ApiGroupControl!(hGroup, 0x0340005e, list, list.length / 2, 0));
    return (await drain(conn, h)).length;
  },
};

it('has a probe for every mutant, and at least 20 mutants', () => {
  expect(MUTANT_NAMES.length).toBeGreaterThanOrEqual(20);
  expect(Object.keys(PROBES).sort()).toEqual([...MUTANT_NAMES].sort());
});

describe.each(MUTANT_NAMES.map((name) => [name]))('mutant %s', (name) => {
  it('differs from the reference on its behaviour', async () => {
    const probe = PROBES[name];
    if (!probe) throw new Error(`no probe for ${name}`);
    const reference = await probe(undefined);
    const mutant = await probe(name);
    expect(mutant).not.toEqual(reference);
  });
});

it('names catalogue clauses (section + title) in every trip', () => {
  const known = new Set(loadCatalogue().map((c) => `${c.section}|${c.title}`));
  const missing = MUTANTS.flatMap((m) => m.trips.filter((t) => !known.has(`${t.section}|${t.title}`)).map((t) => `${m.name}: ${t.section} "${t.title}"`));
  expect(missing).toEqual([]);
  expect(MUTANTS.every((m) => m.trips.length > 0 && m.description.length > 0)).toBe(true);
});

describe('builtin target', () => {
  it('declares its capabilities and serves connections', async () => {
    const target = createBuiltinTarget({});
    expect(target.capabilities).toEqual({ protocolVersions: [2, 3], notifyV2: true, accessLevels: ['full', 'read'], management: true, nodeEndpoints: 2 });
    expect(target.control?.verbs.has('Failover')).toBe(true);
    const conn = await target.connect({ protocolVersion: 3 });
    ok(await conn.ApiCreateNotify());
    await target.dispose();
    expect(await conn.ApiOpenCluster()).toEqual({ fault: 0x6be });
  });

  it('builds a named mutant and refuses an unknown name, listing the valid ones', async () => {
    const target = createBuiltinTarget({ mutant: 'lifo-queue' });
    expect(target.description).toContain('lifo-queue');
    await target.dispose();
    expect(() => createBuiltinTarget({ mutant: 'no-such' })).toThrow(/unknown mutant 'no-such'; valid mutants: merge-filters, .*lifo-queue/);
  });
});
