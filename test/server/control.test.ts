// The control adapter: the events each verb causes, derived states, failover and reset.
import { CLUSTER_CHANGE as C, ERROR } from '../../cmrp/constants';
import { CONTROL_VERBS } from '../../cmrp/control';
import type { ClusapiConnection } from '../../cmrp/contract';
import { CLUSTER_GROUP_STATE, CLUSTER_NETINTERFACE_STATE, CLUSTER_NETWORK_STATE, CLUSTER_NODE_STATE, CLUSTER_RESOURCE_STATE } from '../../reference';
import { disposeAll, drain, ok, openPort, rig, status } from './helpers';

afterEach(disposeAll);

/** Every bit a cluster-wide filter may hold (the client-only values left out). */
const EVERYTHING = (0xffffffff & ~(C.CLUSTER_STATE | C.CLUSTER_RECONNECT | C.HANDLE_CLOSE)) >>> 0;

async function watchAll(conn: ClusapiConnection): Promise<string> {
  const h = await openPort(conn);
  ok(await conn.ApiAddNotifyCluster(h, ok(await conn.ApiOpenCluster()).hCluster, EVERYTHING, 1));
  return h;
}

const events = async (conn: ClusapiConnection, h: string): Promise<[number, string][]> =>
  (await drain(conn, h)).map((e) => [e.dwFilter, e.Name]);

it('offers every verb of the contract, the cluster security descriptor too (a connection\'s accessLevel names its principal)', async () => {
  const { server, apply } = rig(3);
  expect([...server.control.verbs].sort()).toEqual([...CONTROL_VERBS].sort());
  await apply({ verb: 'SetClusterSecurity', account: 'read', access: 'none' });
  expect(await server.connect({ protocolVersion: 3, accessLevel: 'read' }).ApiOpenCluster()).toMatchObject({ status: 5 });
  await apply({ verb: 'Reset' });
  expect((await server.connect({ protocolVersion: 3, accessLevel: 'read' }).ApiOpenCluster()).status).toBe(0);
});

it('posts the documented events for each object verb', async () => {
  const { conn, apply } = rig(3);
  const h = await watchAll(conn);
  await apply({ verb: 'AddObject', objectType: 'group', name: 'G' });
  await apply({ verb: 'AddObject', objectType: 'resource', name: 'R', group: 'G' });
  await apply({ verb: 'AddObject', objectType: 'resourceType', name: 'T' });
  await apply({ verb: 'AddObject', objectType: 'node', name: 'node3' });
  await apply({ verb: 'AddObject', objectType: 'network', name: 'N' });
  await apply({ verb: 'AddObject', objectType: 'netInterface', name: 'node3 - N', node: 'node3', network: 'N' });
  expect(await events(conn, h)).toEqual([
    [C.GROUP_ADDED, 'G'],
    [C.RESOURCE_ADDED, 'R'],
    [C.RESOURCE_TYPE_ADDED, 'T'],
    [C.NODE_ADDED, 'node3'],
    [C.NETWORK_ADDED, 'N'],
    [C.NETINTERFACE_ADDED, 'node3 - N'],
  ]);
  await apply({ verb: 'SetProperty', objectType: 'resourceType', name: 'T', property: 'p', value: 1 });
  await apply({ verb: 'SetProperty', objectType: 'netInterface', name: 'node3 - N', property: 'p', value: 1 });
  await apply({ verb: 'MoveResource', name: 'R', group: 'App Group' });
  await apply({ verb: 'SetQuorum', resource: 'R' });
  expect(await events(conn, h)).toEqual([
    [C.RESOURCE_TYPE_PROPERTY, 'T'],
    [C.NETINTERFACE_PROPERTY, 'node3 - N'],
    [C.RESOURCE_PROPERTY, 'R'],
    [C.GROUP_PROPERTY, 'G'],
    [C.GROUP_PROPERTY, 'App Group'],
    [C.QUORUM_STATE, 'R'],
  ]);
  await apply({ verb: 'DeleteObject', objectType: 'network', name: 'N' });
  await apply({ verb: 'DeleteObject', objectType: 'group', name: 'App Group' });
  await apply({ verb: 'DeleteObject', objectType: 'resourceType', name: 'T' });
  expect(await events(conn, h)).toEqual([
    [C.NETINTERFACE_DELETED, 'node3 - N'],
    [C.NETWORK_DELETED, 'N'],
    [C.RESOURCE_DELETED, 'App Service'],
    [C.RESOURCE_DELETED, 'R'],
    [C.GROUP_DELETED, 'App Group'],
    [C.RESOURCE_TYPE_DELETED, 'T'],
  ]);
});

it('posts REGISTRY_NAME, _VALUE and _ATTRIBUTES for the registry verbs', async () => {
  const { conn, apply } = rig(3);
  const h = await openPort(conn);
  const all = C.REGISTRY_NAME | C.REGISTRY_VALUE | C.REGISTRY_ATTRIBUTES | C.REGISTRY_SUBTREE;
  ok(await conn.ApiAddNotifyCluster(h, ok(await conn.ApiOpenCluster()).hCluster, all, 1));
  await apply({ verb: 'RegistryCreateKey', path: 'A\\B' });
  await apply({ verb: 'RegistrySetValue', path: 'A\\B', valueName: 'v', data: 'x' });
  await apply({ verb: 'RegistrySetSecurity', path: 'A' });
  await apply({ verb: 'RegistryDeleteKey', path: 'A' });
  await apply({ verb: 'RegistryCreateKey', path: 'Parameters' }); // exists: no change
  expect(await events(conn, h)).toEqual([
    [C.REGISTRY_NAME, 'A'],
    [C.REGISTRY_NAME, 'A\\B'],
    [C.REGISTRY_VALUE, 'A\\B'],
    [C.REGISTRY_ATTRIBUTES, 'A'],
    [C.REGISTRY_NAME, 'A'],
  ]);
  const root = ok(await conn.ApiGetRootKey(0x20019)).hKey;
  expect(status(await conn.ApiOpenKey(root, 'A', 0x20019))).toBe(0x2);
  ok(await conn.ApiOpenKey(root, 'parameters\\ADVANCED', 0x20019));
});

it('rejects a stimulus naming what the cluster does not have', async () => {
  const { apply } = rig(3);
  await expect(apply({ verb: 'SetState', objectType: 'group', name: 'nope', state: 0 })).rejects.toThrow(/no group named 'nope'/);
  await expect(apply({ verb: 'AddObject', objectType: 'node', name: 'node1' })).rejects.toThrow(/already exists/);
  await expect(apply({ verb: 'RegistrySetValue', path: 'Missing', valueName: 'v', data: 1 })).rejects.toThrow(/no cluster registry key/);
});

describe('derived states', () => {
  it('derives a group state from its resources (3.1.4.x.46), with GROUP_STATE on each transition', async () => {
    const { conn, apply } = rig(3);
    const h = await watchAll(conn);
    const hGroup = ok(await conn.ApiOpenGroup('Cluster Group')).hGroup;
    const state = async (): Promise<number> => ok(await conn.ApiGetGroupState(hGroup)).State;
    await apply({ verb: 'SetState', objectType: 'resource', name: 'Cluster Disk 1', state: CLUSTER_RESOURCE_STATE.Offline });
    expect(await state()).toBe(CLUSTER_GROUP_STATE.PartialOnline);
    await apply({ verb: 'SetState', objectType: 'resource', name: 'Cluster Name', state: CLUSTER_RESOURCE_STATE.OnlinePending });
    expect(await state()).toBe(CLUSTER_GROUP_STATE.Pending);
    await apply({ verb: 'SetState', objectType: 'resource', name: 'Cluster IP Address', state: CLUSTER_RESOURCE_STATE.Failed });
    expect(await state()).toBe(CLUSTER_GROUP_STATE.Failed);
    for (const name of ['Cluster Name', 'Cluster IP Address']) {
      await apply({ verb: 'SetState', objectType: 'resource', name, state: CLUSTER_RESOURCE_STATE.Offline });
    }
    expect(await state()).toBe(CLUSTER_GROUP_STATE.Offline);
    const groupEvents = (await events(conn, h)).filter(([bit]) => bit === C.GROUP_STATE);
    expect(groupEvents).toHaveLength(4); // PartialOnline, Pending, Failed, Offline
    const { NodeName, GroupName } = ok(await conn.ApiGetResourceState(ok(await conn.ApiOpenResource('Cluster Disk 1')).hResource));
    expect([NodeName, GroupName]).toEqual(['node1', 'Cluster Group']);
  });

  it('derives interfaces from their node and networks from their interfaces (3.1.4.x.83, .94)', async () => {
    const { conn, apply } = rig(3);
    const hNet = ok(await conn.ApiOpenNetwork('Cluster Network 1')).hNetwork;
    const hNic = ok(await conn.ApiOpenNetInterface('node2 - Ethernet')).hNetInterface;
    await apply({ verb: 'SetState', objectType: 'node', name: 'node2', state: CLUSTER_NODE_STATE.Down });
    expect(ok(await conn.ApiGetNetInterfaceState(hNic)).State).toBe(CLUSTER_NETINTERFACE_STATE.Unavailable);
    await apply({ verb: 'SetState', objectType: 'netInterface', name: 'node1 - Ethernet', state: CLUSTER_NETINTERFACE_STATE.Unavailable });
    expect(ok(await conn.ApiGetNetworkState(hNet)).State).toBe(CLUSTER_NETWORK_STATE.Unavailable);
    await apply({ verb: 'SetState', objectType: 'node', name: 'node2', state: CLUSTER_NODE_STATE.Up });
    await apply({ verb: 'SetState', objectType: 'netInterface', name: 'node1 - Ethernet', state: CLUSTER_NETINTERFACE_STATE.Up });
    expect(ok(await conn.ApiGetNetworkState(hNet)).State).toBe(CLUSTER_NETWORK_STATE.Up);
  });
});

describe('Failover', () => {
  it.each([2, 3] as const)('v%i: kills every connection, pending calls included; new connections work', async (version) => {
    const { server, conn, apply } = rig(version);
    const h = await watchAll(conn);
    const hGroup = ok(await conn.ApiOpenGroup('App Group')).hGroup;
    const { dwStateSequence } = ok(await conn.ApiAddNotifyGroup(h, hGroup, C.GROUP_STATE, 2));
    const pending = version === 2 ? conn.ApiGetNotify(h, 0xffffffff) : conn.ApiGetNotify(h);
    await apply({ verb: 'Failover' });
    expect(await pending).toEqual({ fault: 0x6be });
    expect(await conn.ApiOpenCluster()).toEqual({ fault: 0x6be });
    const fresh = server.connect({ protocolVersion: version });
    const h2 = await openPort(fresh);
    const hGroup2 = ok(await fresh.ApiOpenGroup('App Group')).hGroup;
    ok(await fresh.ApiReAddNotifyGroup(h2, hGroup2, C.GROUP_STATE, 2, dwStateSequence));
    expect(await drain(fresh, h2)).toEqual([]); // no state change across the failover: no catch-up
    expect(status(await fresh.ApiGetNotify(h, 0))).toBe(ERROR.INVALID_HANDLE);
  });
});

describe('Reset', () => {
  it('restores the initial cluster and closes every port; connections and object handles survive', async () => {
    const { conn, apply } = rig(3);
    const h = await watchAll(conn);
    const hGroup = ok(await conn.ApiOpenGroup('App Group')).hGroup;
    const read = conn.ApiGetNotify(h);
    await apply({ verb: 'SetServerState', state: 'read-only' });
    await apply({ verb: 'DeleteObject', objectType: 'group', name: 'App Group' });
    expect(ok(await read).Name).toBe('App Service'); // its resource goes first
    await drain(conn, h);
    expect(status(await conn.ApiGetGroupState(hGroup))).toBe(5012); // ERROR_GROUP_NOT_AVAILABLE
    const pending = conn.ApiGetNotify(h);
    await apply({ verb: 'Reset' });
    expect(status(await pending)).toBe(ERROR.INVALID_FUNCTION);
    expect(status(await conn.ApiGetNotify(h))).toBe(ERROR.INVALID_HANDLE);
    expect(ok(await conn.ApiGetGroupState(hGroup)).State).toBe(CLUSTER_GROUP_STATE.Online);
    const h2 = await openPort(conn);
    ok(await conn.ApiAddNotifyGroup(h2, hGroup, C.GROUP_STATE, 1));
  });
});

it('ends a connection on close(): its pending read fails, its handles die', async () => {
  const { conn } = rig(3);
  const h = await watchAll(conn);
  const pending = conn.ApiGetNotify(h);
  await conn.close();
  expect(await pending).toEqual({ fault: 0x6be });
  expect(await conn.ApiCreateNotify()).toEqual({ fault: 0x6be });
});
