// The reference server's event fan-out: one indication per matching filter, registration scope, keys,
// Name and state sequence, nothing before the first filter, FIFO order, and the values a server never
// returns.
import { CLUSTER_CHANGE as C } from '../../cmrp/constants';
import { CLUSTER_GROUP_STATE, CLUSTER_RESOURCE_STATE } from '../../reference';
import { disposeAll, drain, ok, openPort, rig } from './helpers';

afterEach(disposeAll);

describe.each([2, 3] as const)('protocol version %i', (version) => {
  it('queues one indication per matching filter, each with its own key', async () => {
    const { conn, apply } = rig(version);
    const h = await openPort(conn);
    const hGroup = ok(await conn.ApiOpenGroup('App Group')).hGroup;
    const hCluster = ok(await conn.ApiOpenCluster()).hCluster;
    ok(await conn.ApiAddNotifyGroup(h, hGroup, C.GROUP_STATE, 11));
    ok(await conn.ApiAddNotifyGroup(h, hGroup, C.GROUP_STATE | C.GROUP_PROPERTY, 12));
    ok(await conn.ApiAddNotifyCluster(h, hCluster, C.GROUP_STATE, 13));
    ok(await conn.ApiAddNotifyGroup(h, hGroup, C.GROUP_PROPERTY, 14)); // does not match GROUP_STATE
    await apply({ verb: 'SetState', objectType: 'group', name: 'App Group', state: CLUSTER_GROUP_STATE.Offline });
    const events = await drain(conn, h);
    expect(events.map((e) => e.dwNotifyKey)).toEqual([11, 12, 13]);
    expect(events.every((e) => e.dwFilter === C.GROUP_STATE && e.Name === 'App Group')).toBe(true);
  });

  it('gives an object registration the events of that object only', async () => {
    const { conn, apply } = rig(version);
    const h = await openPort(conn);
    const hRes = ok(await conn.ApiOpenResource('App Service')).hResource;
    ok(await conn.ApiAddNotifyResource(h, hRes, C.RESOURCE_STATE | C.RESOURCE_PROPERTY | C.RESOURCE_DELETED, 7));
    await apply({ verb: 'SetState', objectType: 'resource', name: 'Cluster Disk 2', state: CLUSTER_RESOURCE_STATE.Failed });
    await apply({ verb: 'SetProperty', objectType: 'resource', name: 'Cluster Name', property: 'p', value: 1 });
    await apply({ verb: 'SetProperty', objectType: 'group', name: 'App Group', property: 'p', value: 1 });
    expect(await drain(conn, h)).toEqual([]);
    await apply({ verb: 'SetProperty', objectType: 'resource', name: 'App Service', property: 'p', value: 1 });
    await apply({ verb: 'DeleteObject', objectType: 'resource', name: 'App Service' });
    expect((await drain(conn, h)).map((e) => [e.dwFilter, e.dwNotifyKey, e.Name])).toEqual([
      [C.RESOURCE_PROPERTY, 7, 'App Service'],
      [C.RESOURCE_DELETED, 7, 'App Service'],
    ]);
  });

  it('gives a cluster registration every object, and registry changes of the root unless REGISTRY_SUBTREE', async () => {
    const { conn, apply } = rig(version);
    const h = await openPort(conn);
    const hCluster = ok(await conn.ApiOpenCluster()).hCluster;
    ok(await conn.ApiAddNotifyCluster(h, hCluster, C.NODE_STATE | C.REGISTRY_VALUE | C.CLUSTER_PROPERTY, 1));
    ok(await conn.ApiAddNotifyCluster(h, hCluster, C.REGISTRY_VALUE | C.REGISTRY_SUBTREE, 2));
    await apply({ verb: 'SetState', objectType: 'node', name: 'node2', state: 2 });
    await apply({ verb: 'RegistrySetValue', path: '', valueName: 'x', data: 1 });
    await apply({ verb: 'RegistrySetValue', path: 'Parameters\\Advanced', valueName: 'x', data: 1 });
    await apply({ verb: 'SetProperty', objectType: 'cluster', name: 'CLUSTER1', property: 'p', value: 'v' });
    expect((await drain(conn, h)).map((e) => [e.dwNotifyKey, e.dwFilter, e.Name])).toEqual([
      [1, C.NODE_STATE, 'node2'],
      [1, C.REGISTRY_VALUE, ''],
      [2, C.REGISTRY_VALUE, ''],
      [2, C.REGISTRY_VALUE, 'Parameters\\Advanced'],
      [1, C.CLUSTER_PROPERTY, 'CLUSTER1'],
    ]);
  });

  it('watches a key alone, or its subtree with WatchSubTree, reporting REGISTRY_* values only', async () => {
    const { conn, apply } = rig(version);
    const h = await openPort(conn);
    const root = ok(await conn.ApiGetRootKey(0x20019)).hKey;
    const params = ok(await conn.ApiOpenKey(root, 'Parameters', 0x20019)).phKey;
    const all = C.REGISTRY_NAME | C.REGISTRY_VALUE | C.REGISTRY_ATTRIBUTES;
    ok(await conn.ApiAddNotifyKey(h, params, 5, all, false));
    ok(await conn.ApiAddNotifyKey(h, params, 6, all, true));
    await apply({ verb: 'RegistrySetValue', path: 'Parameters', valueName: 'Timeout', data: 60 });
    await apply({ verb: 'RegistryCreateKey', path: 'Parameters\\New' });
    await apply({ verb: 'RegistrySetSecurity', path: 'Parameters\\Advanced' });
    await apply({ verb: 'RegistrySetValue', path: 'Nodes', valueName: 'Count', data: 3 });
    const events = await drain(conn, h);
    expect(events.map((e) => [e.dwNotifyKey, e.dwFilter])).toEqual([
      [5, C.REGISTRY_VALUE],
      [6, C.REGISTRY_VALUE],
      [6, C.REGISTRY_NAME],
      [6, C.REGISTRY_ATTRIBUTES],
    ]);
    expect(events.every((e) => (e.dwFilter & C.REGISTRY_SUBTREE) === 0)).toBe(true);
  });

  it('queues nothing before the first filter', async () => {
    const { conn, apply } = rig(version);
    const h = await openPort(conn);
    await apply({ verb: 'SetState', objectType: 'group', name: 'App Group', state: CLUSTER_GROUP_STATE.Offline });
    const hCluster = ok(await conn.ApiOpenCluster()).hCluster;
    ok(await conn.ApiAddNotifyCluster(h, hCluster, C.GROUP_STATE, 1));
    expect(await drain(conn, h)).toEqual([]);
  });

  it('returns indications first in, first out, with the state sequence of each change', async () => {
    const { conn, apply } = rig(version);
    const h = await openPort(conn);
    const hNode = ok(await conn.ApiOpenNode('node1')).hNode;
    const { dwStateSequence: s0 } = ok(await conn.ApiAddNotifyNode(h, hNode, C.NODE_STATE, 3));
    await apply({ verb: 'SetState', objectType: 'node', name: 'node1', state: 2 });
    await apply({ verb: 'SetState', objectType: 'node', name: 'node1', state: 0 });
    const [a, b] = await drain(conn, h);
    expect(a?.dwStateSequence).not.toBe(s0);
    expect(b?.dwStateSequence).not.toBe(a?.dwStateSequence);
    expect(ok(await conn.ApiGetNodeState(hNode)).State).toBe(0);
  });

  it('keeps ports independent across connections', async () => {
    const { server, conn, apply } = rig(version);
    const other = server.connect({ protocolVersion: version });
    const [h1, h2] = [await openPort(conn), await openPort(other)];
    ok(await conn.ApiAddNotifyCluster(h1, ok(await conn.ApiOpenCluster()).hCluster, C.GROUP_ADDED, 1));
    ok(await other.ApiAddNotifyCluster(h2, ok(await other.ApiOpenCluster()).hCluster, C.GROUP_ADDED, 2));
    await apply({ verb: 'AddObject', objectType: 'group', name: 'G' });
    expect((await drain(conn, h1)).map((e) => e.dwNotifyKey)).toEqual([1]);
    expect((await drain(other, h2)).map((e) => e.dwNotifyKey)).toEqual([2]);
  });
});

it('posts QUORUM_STATE to version 3 ports only (2.2.2.7: version 2.0 does not support it)', async () => {
  const { server, conn, apply } = rig(3);
  const v2 = server.connect({ protocolVersion: 2 });
  const [h3, h2] = [await openPort(conn), await openPort(v2)];
  ok(await conn.ApiAddNotifyCluster(h3, ok(await conn.ApiOpenCluster()).hCluster, C.QUORUM_STATE, 1));
  ok(await v2.ApiAddNotifyCluster(h2, ok(await v2.ApiOpenCluster()).hCluster, C.QUORUM_STATE, 1));
  await apply({ verb: 'SetQuorum', resource: 'Cluster Disk 2' });
  expect((await drain(conn, h3)).map((e) => [e.dwFilter, e.Name])).toEqual([[C.QUORUM_STATE, 'Cluster Disk 2']]);
  expect(await drain(v2, h2)).toEqual([]);
});
