// Protocol server state (3.1.1) and access levels (3.1.4.1, 3.1.4.2): what the reference accepts.
import { CLUSTER_CHANGE as C, ERROR } from '../../cmrp/constants';
import type { ClusapiConnection } from '../../cmrp/contract';
import { disposeAll, drain, ok, openPort, rig, status } from './helpers';

afterEach(disposeAll);

/** Runs every notification method once on `conn`; returns each status. */
async function exerciseNotify(conn: ClusapiConnection, hNotify: string): Promise<Record<string, number | string>> {
  const hCluster = ok(await conn.ApiOpenCluster()).hCluster;
  const hGroup = ok(await conn.ApiOpenGroup('App Group')).hGroup;
  const hKey = ok(await conn.ApiGetRootKey(0x20019)).hKey;
  const results: Record<string, number | string> = {
    ApiAddNotifyCluster: status(await conn.ApiAddNotifyCluster(hNotify, hCluster, C.GROUP_STATE, 1)),
    ApiAddNotifyGroup: status(await conn.ApiAddNotifyGroup(hNotify, hGroup, C.GROUP_STATE, 1)),
    ApiReAddNotifyGroup: status(await conn.ApiReAddNotifyGroup(hNotify, hGroup, C.GROUP_STATE, 1, 0x5eed)),
    ApiAddNotifyKey: status(await conn.ApiAddNotifyKey(hNotify, hKey, 1, C.REGISTRY_VALUE, true)),
  };
  const read = conn.ApiGetNotify(hNotify, 0);
  results.ApiUnblockGetNotifyCall = status(await conn.ApiUnblockGetNotifyCall(hNotify));
  results.ApiGetNotify = status(await read);
  results.ApiCloseNotify = status(await conn.ApiCloseNotify(hNotify));
  return results;
}

describe('read-only protocol server state', () => {
  it('version 3 accepts every notification method, ApiCreateNotify included', async () => {
    const { conn, apply } = rig(3);
    await apply({ verb: 'SetServerState', state: 'read-only' });
    const h = ok(await conn.ApiCreateNotify()).hNotify;
    const results = await exerciseNotify(conn, h);
    expect(Object.values(results).filter((s) => s !== ERROR.SUCCESS)).toEqual([]);
  });

  it('version 2 refuses ApiCreateNotify with ERROR_SHARING_PAUSED and a NULL handle, and accepts the others', async () => {
    const { conn, apply } = rig(2);
    const h = await openPort(conn);
    await apply({ verb: 'SetServerState', state: 'read-only' });
    expect(await conn.ApiCreateNotify()).toEqual({ status: 0x46, hNotify: '0'.repeat(40) });
    const results = await exerciseNotify(conn, h);
    // ApiGetNotify with Timeout 0 on a port whose catch-up was read already: WAIT_TIMEOUT or an indication.
    expect(Object.entries(results).filter(([m, s]) => m !== 'ApiGetNotify' && s !== ERROR.SUCCESS)).toEqual([]);
    await apply({ verb: 'SetServerState', state: 'read-write' });
    ok(await conn.ApiCreateNotify());
  });
});

describe('access level Read', () => {
  it('version 3 serves a Read client: opens, states and every notification method', async () => {
    const { server, apply } = rig(3);
    const conn = server.connect({ protocolVersion: 3, accessLevel: 'read' });
    const h = ok(await conn.ApiCreateNotify()).hNotify;
    const hNode = ok(await conn.ApiOpenNode('node1')).hNode;
    ok(await conn.ApiGetNodeState(hNode));
    ok(await conn.ApiAddNotifyNode(h, hNode, C.NODE_STATE, 4));
    await apply({ verb: 'SetState', objectType: 'node', name: 'node1', state: 2 });
    expect((await drain(conn, h)).map((e) => e.dwNotifyKey)).toEqual([4]);
    const results = await exerciseNotify(conn, await openPort(conn));
    expect(Object.values(results).filter((s) => s !== ERROR.SUCCESS)).toEqual([]);
  });

  it('version 2 knows only "All": a Read client gets ERROR_ACCESS_DENIED everywhere', async () => {
    const { server } = rig(2);
    const conn = server.connect({ protocolVersion: 2, accessLevel: 'read' });
    expect(await conn.ApiCreateNotify()).toEqual({ status: ERROR.ACCESS_DENIED, hNotify: '0'.repeat(40) });
    expect(await conn.ApiOpenGroup('App Group')).toEqual({ status: ERROR.ACCESS_DENIED, hGroup: '0'.repeat(40) });
    expect(status(await conn.ApiOpenCluster())).toBe(ERROR.ACCESS_DENIED);
  });
});
