// Version 2 notification ports of the reference server (3.1.4.2.136-138, and 3.1.4.2.57/.107 on a v2
// port): registrations per object and cluster-wide, one NOTIFICATION_RPC per matching registration with
// one flag, the per-type NOTIFICATION_DATA_RPC, reads that return every queued entry and block while
// none is, release by Unblock and Close, and the parameter checks.
import type { ClusapiConnection, NotificationV2 } from '../../cmrp/contract';
import {
  CLUSTER_CHANGE_CLUSTER_V2 as C,
  CLUSTER_CHANGE_GROUP_V2 as G,
  CLUSTER_CHANGE_NODE_V2 as N,
  CLUSTER_CHANGE_QUORUM_V2 as Q,
  CLUSTER_CHANGE_REGISTRY_V2 as R,
  CLUSTER_CHANGE_RESOURCE_V2 as S,
  CLUSTER_OBJECT_TYPE as OT,
  ERROR,
} from '../../cmrp/constants';
import { readDwordPayload, readPropertyList, readStringPayload } from '../../wire/clusapi/payload';
import { disposeAll, ok, PENDING, rig, status, within } from './helpers';

afterEach(disposeAll);

type Conn = Required<ClusapiConnection>;

async function port(conn: Conn): Promise<string> {
  return ok(await conn.ApiCreateNotifyV2()).hNotify;
}

async function register(conn: Conn, h: string, hObject: string, type: number, flags: number, key: number, targeted: boolean): Promise<void> {
  ok(await conn.ApiAddNotifyV2(h, hObject, type, BigInt(flags), key, 2, targeted));
}

/** Everything queued now: a read, released by Unblock if nothing is queued. */
async function drainV2(conn: Conn, h: string): Promise<NotificationV2[]> {
  const read = conn.ApiGetNotifyV2(h);
  ok(await conn.ApiUnblockGetNotifyCall(h));
  const reply = await read;
  return reply.fault === undefined && reply.status === ERROR.SUCCESS ? reply.Notifications : [];
}

function v3(mutant?: string) {
  const r = rig(3, mutant);
  return { ...r, conn: r.conn as Conn };
}

it('a version 2 connection has no v2 port methods: the opnum is rejected', async () => {
  const { conn } = rig(2);
  expect(status(await (conn as Conn).ApiCreateNotifyV2())).toBe('fault 0x1c010002');
});

it('queues nothing before the first registration, then one NOTIFICATION_RPC per matching registration', async () => {
  const { conn, apply } = v3();
  const h = await port(conn);
  await apply({ verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 });
  expect(await drainV2(conn, h)).toEqual([]);
  const hGroup = ok(await conn.ApiOpenGroup('App Group')).hGroup;
  const hCluster = ok(await conn.ApiOpenCluster()).hCluster;
  await register(conn, h, hGroup, OT.GROUP, G.STATE | G.DELETED, 7, true);
  await register(conn, h, hCluster, OT.GROUP, G.STATE, 8, false);
  await apply({ verb: 'SetState', objectType: 'group', name: 'App Group', state: 0 });
  await apply({ verb: 'SetState', objectType: 'group', name: 'Cluster Group', state: 1 });
  const got = await drainV2(conn, h);
  expect(got.map((n) => [n.dwNotifyKey, n.Name, n.FilterFlags])).toEqual([
    [7, 'App Group', BigInt(G.STATE)],
    [8, 'App Group', BigInt(G.STATE)],
    [8, 'Cluster Group', BigInt(G.STATE)],
  ]);
  const [first] = got;
  expect(first?.dwObjectType).toBe(OT.GROUP);
  expect(readDwordPayload(first!.buffer)).toBe(0);
  expect(first?.Type).toBe('');
  expect(first?.ObjectId).toMatch(/^[0-9a-f-]{36}$/);
});

it('returns every queued entry at once and blocks while none is', async () => {
  const { conn, apply } = v3();
  const h = await port(conn);
  await register(conn, h, ok(await conn.ApiOpenCluster()).hCluster, OT.CLUSTER, C.GROUP_ADDED | C.NODE_ADDED, 1, false);
  const read = conn.ApiGetNotifyV2(h);
  expect(await within(read)).toBe(PENDING);
  await apply({ verb: 'AddObject', objectType: 'group', name: 'G1' });
  const first = ok(await read);
  expect(first.Notifications.map((n) => n.Name)).toEqual(['G1']);
  expect(readDwordPayload(first.Notifications[0]!.buffer)).toBe(0x270f);
  await apply({ verb: 'AddObject', objectType: 'group', name: 'G2' });
  await apply({ verb: 'AddObject', objectType: 'node', name: 'node3' });
  const both = ok(await conn.ApiGetNotifyV2(h)).Notifications;
  expect(both.map((n) => [n.FilterFlags, n.Name])).toEqual([
    [BigInt(C.GROUP_ADDED), 'G2'],
    [BigInt(C.NODE_ADDED), 'node3'],
  ]);
});

it('ParentId links a resource to its group, a group to its node (the IDs of their own events)', async () => {
  const { conn, apply } = v3();
  const h = await port(conn);
  const hCluster = ok(await conn.ApiOpenCluster()).hCluster;
  await register(conn, h, hCluster, OT.RESOURCE, S.STATE, 1, false);
  await register(conn, h, hCluster, OT.GROUP, G.STATE, 2, false);
  await register(conn, h, hCluster, OT.NODE, N.STATE, 3, false);
  await apply({ verb: 'SetState', objectType: 'resource', name: 'App Service', state: 3 });
  await apply({ verb: 'SetState', objectType: 'node', name: 'node2', state: 2 });
  const [res, grp, node] = await drainV2(conn, h);
  expect(res).toMatchObject({ dwObjectType: OT.RESOURCE, Name: 'App Service', Type: 'Generic Service' });
  expect(readDwordPayload(res!.buffer)).toBe(3);
  expect(grp).toMatchObject({ dwObjectType: OT.GROUP, Name: 'App Group' });
  expect(res?.ParentId).toBe(grp?.ObjectId);
  expect(node).toMatchObject({ dwObjectType: OT.NODE, Name: 'node2', ParentId: '' });
  expect(grp?.ParentId).toBe(node?.ObjectId);
});

it('property, registry and quorum payloads follow the tables', async () => {
  const { conn, apply } = v3();
  const h = await port(conn);
  const hCluster = ok(await conn.ApiOpenCluster()).hCluster;
  await register(conn, h, ok(await conn.ApiOpenResource('App Service')).hResource, OT.RESOURCE, S.COMMON_PROPERTY, 1, true);
  await register(conn, h, ok(await conn.ApiGetRootKey(0)).hKey, OT.REGISTRY, R.VALUE | R.SUBTREE, 2, true);
  await register(conn, h, hCluster, OT.QUORUM, Q.STATE, 3, true);
  await apply({ verb: 'SetProperty', objectType: 'resource', name: 'App Service', property: 'Description', value: 'x' });
  await apply({ verb: 'RegistrySetValue', path: 'Parameters\\Advanced', valueName: 'Level', data: 2 });
  await apply({ verb: 'SetQuorum', resource: 'Cluster Disk 2' });
  const [prop, reg, quorum] = await drainV2(conn, h);
  expect(readPropertyList(prop!.buffer)).toEqual([{ name: 'Description', value: 'x' }]);
  expect(reg).toMatchObject({ dwObjectType: OT.REGISTRY, FilterFlags: BigInt(R.VALUE), ObjectId: 'Level', Name: 'Parameters\\Advanced', buffer: '' });
  expect(quorum).toMatchObject({ dwObjectType: OT.QUORUM, Name: 'Cluster Disk 2', ParentId: null, Type: null });
  expect(readDwordPayload(quorum!.buffer)).toBe(2);
});

it('a moved resource: OWNER_GROUP on the resource, RESOURCE_LOST / GAINED on the groups, IDs in the buffers', async () => {
  const { conn, apply } = v3();
  const h = await port(conn);
  const hCluster = ok(await conn.ApiOpenCluster()).hCluster;
  await register(conn, h, hCluster, OT.RESOURCE, S.OWNER_GROUP | S.STATE, 1, false);
  await register(conn, h, hCluster, OT.GROUP, G.RESOURCE_LOST | G.RESOURCE_GAINED | G.STATE, 2, false);
  await apply({ verb: 'SetState', objectType: 'resource', name: 'App Service', state: 2 });
  await apply({ verb: 'MoveResource', name: 'App Service', group: 'Available Storage' });
  const got = await drainV2(conn, h);
  const resourceId = got[0]!.ObjectId;
  const [owner, lost, gained] = got.slice(-3);
  expect(readStringPayload(lost!.buffer)).toBe(resourceId);
  expect(readStringPayload(gained!.buffer)).toBe(resourceId);
  expect(readStringPayload(owner!.buffer)).toBe(gained!.ObjectId);
});

it('release: Unblock and Close complete a pending read with ERROR_INVALID_FUNCTION; a closed handle is invalid', async () => {
  const { conn } = v3();
  const h = await port(conn);
  const read = conn.ApiGetNotifyV2(h);
  ok(await conn.ApiUnblockGetNotifyCall(h));
  expect(status(await read)).toBe(ERROR.INVALID_FUNCTION);
  const again = conn.ApiGetNotifyV2(h);
  expect(await within(again)).toBe(PENDING);
  expect(ok(await conn.ApiCloseNotify(h)).hNotify).toBeNull();
  expect(status(await again)).toBe(ERROR.INVALID_FUNCTION);
  expect(status(await conn.ApiGetNotifyV2(h))).toBe(ERROR.INVALID_HANDLE);
});

it('parameter checks: dwVersion, object type, flags, hObject; v1 and v2 port handles do not mix', async () => {
  const { conn } = v3();
  const h = await port(conn);
  const hCluster = ok(await conn.ApiOpenCluster()).hCluster;
  const hGroup = ok(await conn.ApiOpenGroup('App Group')).hGroup;
  const add = (hObject: string, type: number, flags: bigint, version = 2, targeted = false) => conn.ApiAddNotifyV2(h, hObject, type, flags, 1, version, targeted);
  expect(status(await add(hCluster, OT.GROUP, 8n, 1))).toBe(ERROR.INVALID_PARAMETER);
  expect(status(await add(hCluster, 0x11, 1n))).toBe(ERROR.INVALID_PARAMETER);
  expect(status(await add(hCluster, OT.GROUP, 0x400n))).toBe(ERROR.INVALID_PARAMETER);
  expect(status(await add(hCluster, OT.GROUP, 8n, 2, true))).toBe(ERROR.INVALID_HANDLE);
  expect(status(await add(hGroup, OT.GROUP, 8n, 2, true))).toBe(ERROR.SUCCESS);
  const v1 = ok(await conn.ApiCreateNotify()).hNotify;
  expect(status(await conn.ApiAddNotifyV2(v1, hCluster, OT.GROUP, 8n, 1, 2, false))).toBe(ERROR.INVALID_HANDLE);
  expect(status(await conn.ApiGetNotify(h))).toBe(ERROR.INVALID_HANDLE);
});

it('read-only state and Read access are accepted', async () => {
  const { server, apply } = v3();
  await apply({ verb: 'SetServerState', state: 'read-only' });
  const reader = server.connect({ protocolVersion: 3, accessLevel: 'read' }) as Conn;
  const h = await port(reader);
  await register(reader, h, ok(await reader.ApiOpenCluster()).hCluster, OT.GROUP, G.STATE, 1, false);
  await apply({ verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 });
  expect((await drainV2(reader, h)).length).toBe(1);
});

it('DropEvents: the queue is lost, LOST_NOTIFICATIONS_V2 is reported to the cluster registrations asking for it', async () => {
  const { conn, apply } = v3();
  const h = await port(conn);
  const hCluster = ok(await conn.ApiOpenCluster()).hCluster;
  await register(conn, h, hCluster, OT.GROUP, G.STATE, 1, false);
  await register(conn, h, hCluster, OT.CLUSTER, C.LOST_NOTIFICATIONS, 9, false);
  await apply({ verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 });
  await apply({ verb: 'DropEvents' });
  expect((await drainV2(conn, h)).map((n) => [n.dwNotifyKey, n.FilterFlags])).toEqual([[9, BigInt(C.LOST_NOTIFICATIONS)]]);
});
