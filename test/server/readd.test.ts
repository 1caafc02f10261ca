// ReAdd*: registers like Add* and posts one catch-up *_STATE indication, with the ReAdd's own key, when
// StateSequence differs from the object's current sequence; none when it is current.
import { CLUSTER_CHANGE as C } from '../../cmrp/constants';
import type { ClusapiConnection, Handle, Reply } from '../../cmrp/contract';
import { disposeAll, drain, ok, openPort, rig } from './helpers';

afterEach(disposeAll);

interface Family {
  type: 'node' | 'group' | 'resource' | 'network' | 'netInterface';
  name: string;
  bit: number;
  newState: number;
  open(c: ClusapiConnection, name: string): Promise<Handle>;
  add(c: ClusapiConnection, h: Handle, o: Handle, f: number, k: number): Promise<Reply<{ dwStateSequence: number }>>;
  reAdd(c: ClusapiConnection, h: Handle, o: Handle, f: number, k: number, s: number): Promise<Reply>;
}

const FAMILIES: Family[] = [
  {
    type: 'node',
    name: 'node2',
    bit: C.NODE_STATE,
    newState: 2,
    open: async (c, n) => ok(await c.ApiOpenNode(n)).hNode,
    add: (c, ...a) => c.ApiAddNotifyNode(...a),
    reAdd: (c, ...a) => c.ApiReAddNotifyNode(...a),
  },
  {
    type: 'group',
    name: 'App Group',
    bit: C.GROUP_STATE,
    newState: 1,
    open: async (c, n) => ok(await c.ApiOpenGroup(n)).hGroup,
    add: (c, ...a) => c.ApiAddNotifyGroup(...a),
    reAdd: (c, ...a) => c.ApiReAddNotifyGroup(...a),
  },
  {
    type: 'resource',
    name: 'App Service',
    bit: C.RESOURCE_STATE,
    newState: 3,
    open: async (c, n) => ok(await c.ApiOpenResource(n)).hResource,
    add: (c, ...a) => c.ApiAddNotifyResource(...a),
    reAdd: (c, ...a) => c.ApiReAddNotifyResource(...a),
  },
  {
    type: 'network',
    name: 'Cluster Network 2',
    bit: C.NETWORK_STATE,
    newState: 1,
    open: async (c, n) => ok(await c.ApiOpenNetwork(n)).hNetwork,
    add: (c, ...a) => c.ApiAddNotifyNetwork(...a),
    reAdd: (c, ...a) => c.ApiReAddNotifyNetwork(...a),
  },
  {
    type: 'netInterface',
    name: 'node2 - Ethernet 2',
    bit: C.NETINTERFACE_STATE,
    newState: 1,
    open: async (c, n) => ok(await c.ApiOpenNetInterface(n)).hNetInterface,
    add: (c, ...a) => c.ApiAddNotifyNetInterface(...a),
    reAdd: (c, ...a) => c.ApiReAddNotifyNetInterface(...a),
  },
];

describe.each([2, 3] as const)('protocol version %i', (version) => {
  describe.each(FAMILIES)('$type', (f) => {
    it('posts one catch-up with the ReAdd key for a stale sequence, none for a current one', async () => {
      const { conn, apply } = rig(version);
      const object = await f.open(conn, f.name);
      const first = await openPort(conn);
      const { dwStateSequence: before } = ok(await f.add(conn, first, object, f.bit, 1));
      await apply({ verb: 'SetState', objectType: f.type, name: f.name, state: f.newState });
      const [change] = await drain(conn, first);
      expect(change).toMatchObject({ dwFilter: f.bit, dwNotifyKey: 1, Name: f.name });

      // Reconnect as a client would: a new port, ReAdd with the last sequences seen.
      const stale = await openPort(conn);
      ok(await f.reAdd(conn, stale, object, f.bit, 0x42, before));
      expect(await drain(conn, stale)).toEqual([{ dwNotifyKey: 0x42, dwFilter: f.bit, dwStateSequence: change?.dwStateSequence, Name: f.name }]);

      const current = await openPort(conn);
      ok(await f.reAdd(conn, current, object, f.bit, 0x43, change?.dwStateSequence ?? 0));
      expect(await drain(conn, current)).toEqual([]);

      // The ReAdd registration then works like an Add one.
      await apply({ verb: 'SetState', objectType: f.type, name: f.name, state: f.newState });
      expect((await drain(conn, current)).map((e) => e.dwNotifyKey)).toEqual([0x43]);
    });

    it('posts the catch-up even when dwFilter lacks the *_STATE bit, and on a port with no other filter', async () => {
      const { conn } = rig(version);
      const object = await f.open(conn, f.name);
      const h = await openPort(conn);
      const { dwStateSequence } = ok(await f.add(conn, await openPort(conn), object, f.bit, 1));
      ok(await f.reAdd(conn, h, object, 0, 9, (dwStateSequence + 1) >>> 0));
      expect((await drain(conn, h)).map((e) => [e.dwNotifyKey, e.dwFilter])).toEqual([[9, f.bit]]);
    });
  });
});
