// Version 2 notification ports on the wire: the dcerpc target against the served reference. An
// ApiGetNotifyV2 stays pending while other calls proceed on the association, completes with the
// NOTIFICATION_RPC array once an event is queued (NDR20: DWORD_PTR key, conformant array, unique
// pointers), and is released by ApiUnblockGetNotifyCall; a version 2 association has no such opnum.
import type { ClusapiConnection, Target } from '../../../cmrp/contract';
import { CLUSTER_CHANGE_GROUP_V2 as G, CLUSTER_OBJECT_TYPE as OT, ERROR } from '../../../cmrp/constants';
import { readDwordPayload } from '../../../wire/clusapi/payload';
import { createBuiltinTarget } from '../../../harness/target/builtin';
import { createDcerpcTarget } from '../../../harness/target/dcerpc';
import { serveReference, wireTarget, type Served } from './support';

let served: Served;
let target: Target;
beforeAll(async () => {
  served = await serveReference();
  target = await wireTarget(served);
});
afterAll(async () => {
  await target.dispose();
  await served.close();
});

type Conn = Required<ClusapiConnection>;
const PENDING = Symbol('pending');
function ok<T extends object>(reply: import('../../../cmrp/contract').Reply<T>): T {
  if (reply.fault !== undefined || reply.status !== 0) throw new Error(`call failed: ${JSON.stringify(reply)}`);
  return reply;
}
const within = <T>(p: Promise<T>, ms = 100) => Promise.race([p, new Promise<typeof PENDING>((r) => setTimeout(() => r(PENDING), ms))]);

it('offers the v2 port methods in clusapi 3.0 only', async () => {
  expect(target.capabilities.notifyV2).toBe(true);
  const v2 = await target.connect({ protocolVersion: 2 });
  expect(v2.ApiCreateNotifyV2).toBeUndefined();
  await v2.close();
});

it('a server without version 2 ports (the opnum faults) is a target without notifyV2', async () => {
  const builtin = createBuiltinTarget();
  // The reference with its v2 methods hidden: the served opnums 137-139 fault as an IDL without them would.
  const withoutV2: Target = {
    ...builtin,
    capabilities: { ...builtin.capabilities, notifyV2: false },
    connect: async (o) => {
      const c = await builtin.connect(o);
      return new Proxy(c, { get: (t, p) => (/NotifyV2$/.test(String(p)) ? undefined : Reflect.get(t, p)) });
    },
    dispose: () => builtin.dispose(),
  };
  const other = await serveReference({ target: withoutV2 });
  const wire = await wireTarget(other);
  try {
    expect(wire.capabilities.notifyV2).toBe(false);
    expect(wire.capabilities.protocolVersions).toEqual([2, 3]);
  } finally {
    await wire.dispose();
    await other.close();
  }
});

it('a probe that gets no answer is a fault of the target naming ApiCreateNotifyV2, not "no version 2 ports"', async () => {
  const builtin = createBuiltinTarget();
  // The reference whose ApiCreateNotifyV2 never answers: a hung server proves nothing about v2 ports.
  const hanging: Target = {
    ...builtin,
    connect: async (o) => {
      const c = await builtin.connect(o);
      return new Proxy(c, { get: (t, p) => (p === 'ApiCreateNotifyV2' ? () => new Promise(() => undefined) : Reflect.get(t, p)) });
    },
    dispose: () => builtin.dispose(),
  };
  const other = await serveReference({ target: hanging });
  try {
    const created = createDcerpcTarget(`dcerpc:127.0.0.1:${other.port}`, { host: '127.0.0.1', port: other.port }, { timeoutMultiplier: 0.05 });
    await expect(created).rejects.toThrow(/^ApiCreateNotifyV2: timeout: the probe for version 2 ports/);
  } finally {
    await other.close();
  }
});

it('a pending ApiGetNotifyV2 lets other calls proceed, then returns the queued NOTIFICATION_RPCs', async () => {
  const conn = (await target.connect({ protocolVersion: 3 })) as Conn;
  try {
    const created = await conn.ApiCreateNotifyV2();
    expect(created).toMatchObject({ status: 0, rpc_status: 0 });
    const h = ok(created).hNotify;
    const hGroup = ok(await conn.ApiOpenGroup('App Group')).hGroup;
    const hCluster = ok(await conn.ApiOpenCluster()).hCluster;
    expect(await conn.ApiAddNotifyV2(h, hGroup, OT.GROUP, BigInt(G.STATE), 0x11, 2, true)).toMatchObject({ status: 0 });
    expect(await conn.ApiAddNotifyV2(h, hCluster, OT.GROUP, BigInt(G.STATE), 0x22, 2, false)).toMatchObject({ status: 0 });
    const read = conn.ApiGetNotifyV2(h);
    expect(await within(read)).toBe(PENDING);
    expect((await conn.ApiGetGroupState(hGroup)).status).toBe(0);
    await target.control!.apply({ verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 });
    const reply = await read;
    if (reply.fault !== undefined) throw new Error(`fault ${reply.fault}`);
    expect(reply.status).toBe(0);
    expect(reply.Notifications.map((n) => [n.dwNotifyKey, n.dwObjectType, n.FilterFlags, n.Name, n.Type])).toEqual([
      [0x11, OT.GROUP, BigInt(G.STATE), 'App Group', ''],
      [0x22, OT.GROUP, BigInt(G.STATE), 'App Group', ''],
    ]);
    expect(readDwordPayload(reply.Notifications[0]!.buffer)).toBe(1);
    // Released by Unblock: ERROR_INVALID_FUNCTION and an empty list (a NULL array on the wire).
    const again = conn.ApiGetNotifyV2(h);
    expect(await within(again)).toBe(PENDING);
    expect((await conn.ApiUnblockGetNotifyCall(h)).status).toBe(0);
    expect(await again).toEqual({ status: ERROR.INVALID_FUNCTION, Notifications: [] });
    expect(await conn.ApiAddNotifyV2(h, hCluster, OT.GROUP, BigInt(G.STATE), 1, 3, false)).toMatchObject({ status: ERROR.INVALID_PARAMETER });
    expect(await conn.ApiCloseNotify(h)).toMatchObject({ status: 0, hNotify: null });
  } finally {
    await conn.close();
  }
});
