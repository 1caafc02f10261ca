// Link failures and node activity (SetInterfaceLink, SetNodeActivity): the states the spec derives
// from them (3.1.4.x.69, .83, .94), each real transition posting its own *_STATE; and a call through a
// handle whose object was deleted meanwhile (the "any other condition" rows).
import { CLUSTER_CHANGE as C, ERROR } from '../../cmrp/constants';
import { CLUSTER_NETINTERFACE_STATE as NIC, CLUSTER_NETWORK_STATE as NET, CLUSTER_NODE_STATE as NODE } from '../../reference';
import { interfaceStates } from '../../reference/model/derived';
import { disposeAll, drain, ok, openPort, rig, status } from './helpers';

afterEach(disposeAll);

describe('interfaceStates (3.1.4.x.94)', () => {
  const up = (name: string, linked = true) => ({ name, nodeState: NODE.Up, linked });
  const all = () => true;

  it('an unplugged interface fails; its linked peers stay up', () => {
    const states = interfaceStates([up('a', false), up('b'), up('c')], (x, y) => x === y || (x !== 'a' && y !== 'a'));
    expect(Object.fromEntries(states)).toEqual({ a: NIC.Failed, b: NIC.Up, c: NIC.Up });
  });

  it('a cut path between the only two interfaces fails both', () => {
    const states = interfaceStates([up('a'), up('b')], (x, y) => x === y);
    expect(Object.fromEntries(states)).toEqual({ a: NIC.Failed, b: NIC.Failed });
  });

  it('a cut path among four makes its two ends unreachable, the others up', () => {
    const cut = (x: string, y: string) => [x, y].sort().join() === 'a,c';
    const states = interfaceStates([up('a'), up('b'), up('c'), up('d')], (x, y) => !cut(x, y));
    expect(Object.fromEntries(states)).toEqual({ a: NIC.Unreachable, b: NIC.Up, c: NIC.Unreachable, d: NIC.Up });
  });

  it('an interface of a node neither up nor paused is unavailable, and no one misses it', () => {
    const states = interfaceStates([{ name: 'a', nodeState: NODE.Down, linked: true }, { name: 'b', nodeState: NODE.Paused, linked: true }], all);
    expect(Object.fromEntries(states)).toEqual({ a: NIC.Unavailable, b: NIC.Up });
  });
});

describe('SetInterfaceLink and SetNodeActivity', () => {
  it('unplugging an interface posts its NETINTERFACE_STATE only; plugging it back restores it', async () => {
    const { conn, apply } = rig(3);
    const h = await openPort(conn);
    ok(await conn.ApiAddNotifyCluster(h, ok(await conn.ApiOpenCluster()).hCluster, C.NETINTERFACE_STATE | C.NETWORK_STATE, 1));
    const hNic = ok(await conn.ApiOpenNetInterface('node2 - Ethernet')).hNetInterface;
    await apply({ verb: 'SetInterfaceLink', name: 'node2 - Ethernet', connected: false });
    expect(ok(await conn.ApiGetNetInterfaceState(hNic)).State).toBe(NIC.Failed);
    await apply({ verb: 'SetInterfaceLink', name: 'node2 - Ethernet', connected: true });
    expect(ok(await conn.ApiGetNetInterfaceState(hNic)).State).toBe(NIC.Up);
    expect((await drain(conn, h)).map((e) => [e.dwFilter, e.Name])).toEqual([
      [C.NETINTERFACE_STATE, 'node2 - Ethernet'],
      [C.NETINTERFACE_STATE, 'node2 - Ethernet'],
    ]);
  });

  it('a cut path between the two interfaces of a network takes the network down, and back up', async () => {
    const { conn, apply } = rig(3);
    const hNet = ok(await conn.ApiOpenNetwork('Cluster Network 1')).hNetwork;
    await apply({ verb: 'SetInterfaceLink', name: 'node1 - Ethernet', peer: 'node2 - Ethernet', connected: false });
    expect(ok(await conn.ApiGetNetworkState(hNet)).State).toBe(NET.Down);
    await apply({ verb: 'SetInterfaceLink', name: 'node2 - Ethernet', peer: 'node1 - Ethernet', connected: true });
    expect(ok(await conn.ApiGetNetworkState(hNet)).State).toBe(NET.Up);
  });

  it('refuses a path between interfaces of different networks', async () => {
    const { apply } = rig(3);
    await expect(apply({ verb: 'SetInterfaceLink', name: 'node1 - Ethernet', peer: 'node2 - Ethernet 2', connected: false })).rejects.toThrow(/not on one network/);
  });

  it('a node that stops being active is down and its interfaces unavailable; paused, they stay up', async () => {
    const { conn, apply } = rig(3);
    const hNode = ok(await conn.ApiOpenNode('node2')).hNode;
    const hNic = ok(await conn.ApiOpenNetInterface('node2 - Ethernet')).hNetInterface;
    await apply({ verb: 'SetNodeActivity', name: 'node2', activity: 'inactive' });
    expect(ok(await conn.ApiGetNodeState(hNode)).State).toBe(NODE.Down);
    expect(ok(await conn.ApiGetNetInterfaceState(hNic)).State).toBe(NIC.Unavailable);
    await apply({ verb: 'SetNodeActivity', name: 'node2', activity: 'paused' });
    expect(ok(await conn.ApiGetNodeState(hNode)).State).toBe(NODE.Paused);
    expect(ok(await conn.ApiGetNetInterfaceState(hNic)).State).toBe(NIC.Up);
  });
});

describe('a handle whose object was deleted meanwhile', () => {
  it('fails registrations and Get*State with codes outside their tables', async () => {
    const { conn, apply } = rig(3);
    const h = await openPort(conn);
    await apply({ verb: 'AddObject', objectType: 'network', name: 'Gone' });
    const hNet = ok(await conn.ApiOpenNetwork('Gone')).hNetwork;
    await apply({ verb: 'DeleteObject', objectType: 'network', name: 'Gone' });
    for (const reply of [await conn.ApiAddNotifyNetwork(h, hNet, C.NETWORK_STATE, 1), await conn.ApiReAddNotifyNetwork(h, hNet, C.NETWORK_STATE, 1, 0), await conn.ApiGetNetworkState(hNet)]) {
      expect([ERROR.SUCCESS, ERROR.INVALID_HANDLE]).not.toContain(status(reply));
    }
  });

  it('fails ApiAddNotifyKey on a key deleted under its handle', async () => {
    const { conn, apply } = rig(3);
    const h = await openPort(conn);
    await apply({ verb: 'RegistryCreateKey', path: 'Parameters\\Gone' });
    const root = ok(await conn.ApiGetRootKey(131097)).hKey;
    const hKey = ok(await conn.ApiOpenKey(root, 'Parameters\\Gone', 131097)).phKey;
    await apply({ verb: 'RegistryDeleteKey', path: 'Parameters\\Gone' });
    const reply = await conn.ApiAddNotifyKey(h, hKey, 1, C.REGISTRY_VALUE, false);
    expect(status(reply)).toBe(1018); // ERROR_KEY_DELETED
  });
});
