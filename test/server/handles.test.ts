// Context handles: unknown (fabricated), closed, another connection's, or a live handle of the wrong
// type all give ERROR_INVALID_HANDLE as the method's own status.
import { CLUSTER_CHANGE as C, ERROR } from '../../cmrp/constants';
import { FABRICATED_HANDLE, type ClusapiConnection, type Reply } from '../../cmrp/contract';
import { disposeAll, ok, openPort, rig, status } from './helpers';

afterEach(disposeAll);

type Call = (c: ClusapiConnection, hNotify: string, hObject: string) => Promise<Reply>;

/** Every notification method that takes hNotify (and, for registrations, an object handle). */
const HNOTIFY_CALLS: Record<string, Call> = {
  ApiAddNotifyCluster: (c, n, o) => c.ApiAddNotifyCluster(n, o, C.GROUP_STATE, 1),
  ApiAddNotifyNode: (c, n, o) => c.ApiAddNotifyNode(n, o, C.NODE_STATE, 1),
  ApiAddNotifyGroup: (c, n, o) => c.ApiAddNotifyGroup(n, o, C.GROUP_STATE, 1),
  ApiAddNotifyResource: (c, n, o) => c.ApiAddNotifyResource(n, o, C.RESOURCE_STATE, 1),
  ApiAddNotifyKey: (c, n, o) => c.ApiAddNotifyKey(n, o, 1, C.REGISTRY_VALUE, false),
  ApiAddNotifyNetwork: (c, n, o) => c.ApiAddNotifyNetwork(n, o, C.NETWORK_STATE, 1),
  ApiAddNotifyNetInterface: (c, n, o) => c.ApiAddNotifyNetInterface(n, o, C.NETINTERFACE_STATE, 1),
  ApiReAddNotifyNode: (c, n, o) => c.ApiReAddNotifyNode(n, o, C.NODE_STATE, 1, 0),
  ApiReAddNotifyGroup: (c, n, o) => c.ApiReAddNotifyGroup(n, o, C.GROUP_STATE, 1, 0),
  ApiReAddNotifyResource: (c, n, o) => c.ApiReAddNotifyResource(n, o, C.RESOURCE_STATE, 1, 0),
  ApiReAddNotifyNetwork: (c, n, o) => c.ApiReAddNotifyNetwork(n, o, C.NETWORK_STATE, 1, 0),
  ApiReAddNotifyNetInterface: (c, n, o) => c.ApiReAddNotifyNetInterface(n, o, C.NETINTERFACE_STATE, 1, 0),
  ApiGetNotify: (c, n) => c.ApiGetNotify(n, 0),
  ApiUnblockGetNotifyCall: (c, n) => c.ApiUnblockGetNotifyCall(n),
  ApiCloseNotify: (c, n) => c.ApiCloseNotify(n),
};

/** The object handle each registration expects, opened on `c`. */
async function objectHandle(c: ClusapiConnection, method: string): Promise<string> {
  if (/Cluster$/.test(method)) return ok(await c.ApiOpenCluster()).hCluster;
  if (/Node$/.test(method)) return ok(await c.ApiOpenNode('node1')).hNode;
  if (/Group$/.test(method)) return ok(await c.ApiOpenGroup('App Group')).hGroup;
  if (/Resource$/.test(method)) return ok(await c.ApiOpenResource('App Service')).hResource;
  if (/Key$/.test(method)) return ok(await c.ApiGetRootKey(0x20019)).hKey;
  if (/NetInterface$/.test(method)) return ok(await c.ApiOpenNetInterface('node1 - Ethernet')).hNetInterface;
  if (/Network$/.test(method)) return ok(await c.ApiOpenNetwork('Cluster Network 1')).hNetwork;
  return ok(await c.ApiOpenCluster()).hCluster;
}

describe.each([2, 3] as const)('protocol version %i', (version) => {
  describe.each(Object.entries(HNOTIFY_CALLS))('%s', (method, call) => {
    it('rejects a fabricated, closed, foreign or wrong-type hNotify with ERROR_INVALID_HANDLE', async () => {
      const { server, conn } = rig(version);
      const object = await objectHandle(conn, method);
      const closed = await openPort(conn);
      ok(await conn.ApiCloseNotify(closed));
      const other = server.connect({ protocolVersion: version });
      const foreign = await openPort(other);
      for (const bad of [FABRICATED_HANDLE, closed, foreign, object]) {
        expect(status(await call(conn, bad, object))).toBe(ERROR.INVALID_HANDLE);
      }
    });

    if (method.includes('AddNotify')) {
      it('rejects a fabricated, closed or wrong-type object handle with ERROR_INVALID_HANDLE', async () => {
        const { conn } = rig(version);
        const h = await openPort(conn);
        const closedObject = await objectHandle(conn, method);
        const close = /Key$/.test(method) ? conn.ApiCloseKey(closedObject) : /Cluster$/.test(method) ? conn.ApiCloseCluster(closedObject) : undefined;
        if (close) ok(await close);
        const bad = [FABRICATED_HANDLE, h, ...(close ? [closedObject] : [])];
        for (const handle of bad) expect(status(await call(conn, h, handle))).toBe(ERROR.INVALID_HANDLE);
        expect(status(await call(conn, h, await objectHandle(conn, method)))).toBe(ERROR.SUCCESS);
      });
    }
  });

  it('rejects bad handles in Get*State and Close*, and reports unknown names on Open*', async () => {
    const { conn } = rig(version);
    const hGroup = ok(await conn.ApiOpenGroup('App Group')).hGroup;
    expect(status(await conn.ApiGetNodeState(hGroup))).toBe(ERROR.INVALID_HANDLE);
    expect(status(await conn.ApiGetGroupState(FABRICATED_HANDLE))).toBe(ERROR.INVALID_HANDLE);
    expect(status(await conn.ApiCloseResource(hGroup))).toBe(ERROR.INVALID_HANDLE);
    ok(await conn.ApiCloseGroup(hGroup));
    expect(status(await conn.ApiGetGroupState(hGroup))).toBe(ERROR.INVALID_HANDLE);
    const missing = await conn.ApiOpenGroup('no such group');
    expect(missing.status).not.toBe(ERROR.SUCCESS);
    expect(missing).toMatchObject({ hGroup: '0'.repeat(40) });
  });

  it('issues 40-hex-digit handles and NULL on a successful ApiCloseNotify', async () => {
    const { conn } = rig(version);
    const h = await openPort(conn);
    expect(h).toMatch(/^[0-9a-f]{40}$/);
    expect(ok(await conn.ApiCloseNotify(h)).hNotify).toBeNull();
  });
});
