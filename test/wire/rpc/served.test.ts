// The dcerpc client against the reference served on the wire: negotiation (versions, unknown
// interfaces, transfer syntaxes, bind time features, alter_context), calls in flight on several
// connections of one association, faults as faults, fragmentation both ways, and the context rundown
// when an association ends.
import { ERROR } from '../../../cmrp/constants';
import { FABRICATED_HANDLE, type ClusapiConnection, type ConnectOptions, type Target } from '../../../cmrp/contract';
import { CLUSAPI } from '../../../wire/clusapi';
import { RpcAssociation, context } from '../../../wire/rpc/client/association';
import { RpcClientConnection } from '../../../wire/rpc/client/connection';
import { BIND_TIME_FEATURE_PREFIX, FAULT, NDR20, NDR64, PROVIDER_REASON, RESULT } from '../../../wire/rpc/constants';
import { RpcBindError } from '../../../wire/rpc/errors';
import { decodePdu, encodePdu } from '../../../wire/rpc/pdu';
import { clusapiSyntax } from '../../../harness/target/dcerpc';
import { REFERENCE_IDENTITY } from '../../../harness/cli/serve';
import { createBuiltinTarget } from '../../../harness/target/builtin';
import { serveReference, wireTarget, type Served } from './support';

const LIMITS = { connectTimeoutMs: 2000 };
/** Version 3 replies carry the runtime's rpc_status (0: the call ran); version 2 has none. */
const ran = (version: 2 | 3) => (version === 3 ? { rpc_status: 0 } : {});
const NETINTERFACE_STATE = 0x01000000;

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

const endpoint = () => ({ host: '127.0.0.1', port: served.port });

async function withConnection<T>(version: 2 | 3, fn: (c: ClusapiConnection) => Promise<T>): Promise<T> {
  const c = await target.connect({ protocolVersion: version });
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

describe('negotiation', () => {
  it('finds both interface versions in one bind and describes the target', () => {
    expect(target.capabilities).toEqual({ protocolVersions: [2, 3], notifyV2: true, accessLevels: ['full'], rpcRuntime: true, management: true, nodeEndpoints: 1 });
    expect(target.description).toBe(`dcerpc:127.0.0.1:${served.port} (ncacn_ip_tcp 127.0.0.1:${served.port}, unauthenticated)`);
  });

  it('an unknown interface gets a bind_nak', async () => {
    await expect(RpcAssociation.open(endpoint(), { uuid: '12345678-1234-1234-1234-123456789abc', major: 1, minor: 0 }, LIMITS)).rejects.toThrow(
      new RpcBindError('the server refused the bind (bind_nak: reason_not_specified)'),
    );
    await expect(RpcAssociation.open(endpoint(), { ...clusapiSyntax(3), major: 4 }, LIMITS)).rejects.toThrow(RpcBindError);
  });

  it('answers each presentation context: acceptance, unknown interface, NDR64 only, bind time features', async () => {
    const c = await RpcClientConnection.open(endpoint(), LIMITS);
    try {
      const btfn = { uuid: `${BIND_TIME_FEATURE_PREFIX}0300-000000000000`, major: 1, minor: 0 };
      const ack = await c.bind(
        1,
        [
          context(clusapiSyntax(3), 0),
          { contextId: 1, abstractSyntax: { uuid: '12345678-1234-1234-1234-123456789abc', major: 1, minor: 0 }, transferSyntaxes: [NDR20] },
          { contextId: 2, abstractSyntax: clusapiSyntax(2), transferSyntaxes: [NDR64] },
          { contextId: 3, abstractSyntax: clusapiSyntax(3), transferSyntaxes: [btfn] },
        ],
        0,
      );
      expect(ack.results.map((r) => [r.result, r.reason])).toEqual([
        [RESULT.acceptance, 0],
        [RESULT.provider_rejection, PROVIDER_REASON.abstract_syntax_not_supported],
        [RESULT.provider_rejection, PROVIDER_REASON.proposed_transfer_syntaxes_not_supported],
        [RESULT.negotiate_ack, 0],
      ]);
      expect(ack.results[0].transferSyntax).toEqual(NDR20);
      expect(ack.secondaryAddress).toBe(String(served.port));
      expect(ack.assocGroupId).not.toBe(0);
      // alter_context adds version 2.0 on the same connection, and a call on it runs in that version.
      const alter = await c.alterContext(2, [context(clusapiSyntax(2), 5)], ack.assocGroupId);
      expect(alter.type).toBe('alter_context_resp');
      expect(alter.results[0].result).toBe(RESULT.acceptance);
      const codec = CLUSAPI.ApiGetNotify;
      const create = await c.call(3, 5, CLUSAPI.ApiCreateNotify.opnum, CLUSAPI.ApiCreateNotify.encodeRequest(2, []), 2000);
      const { hNotify } = CLUSAPI.ApiCreateNotify.decodeResponse(2, create.stub);
      // Version 2's ApiGetNotify carries a Timeout: 10 ms with nothing queued is WAIT_TIMEOUT.
      const get = await c.call(4, 5, codec.opnum, codec.encodeRequest(2, [hNotify, 10]), 2000);
      expect(codec.decodeResponse(2, get.stub).status).toBe(ERROR.WAIT_TIMEOUT);
    } finally {
      c.close();
    }
  });
});

describe('calls', () => {
  it.each([2, 3] as const)('v%i: a port, a net interface, a stale StateSequence and the catch-up event', async (version) => {
    await withConnection(version, async (c) => {
      const port = await c.ApiCreateNotify();
      const nic = await c.ApiOpenNetInterface('node1 - Ethernet');
      if (port.fault !== undefined || nic.fault !== undefined) throw new Error('setup faulted');
      expect(await c.ApiReAddNotifyNetInterface(port.hNotify, nic.hNetInterface, NETINTERFACE_STATE, 42, 0xdead)).toEqual({ status: 0, ...ran(version) });
      expect(await c.ApiGetNotify(port.hNotify, 1000)).toEqual({ status: 0, ...ran(version), dwNotifyKey: 42, dwFilter: NETINTERFACE_STATE, dwStateSequence: expect.any(Number), Name: 'node1 - Ethernet' });
      expect(await c.ApiCloseNotify(port.hNotify)).toEqual({ status: 0, hNotify: null });
    });
  });

  it('a blocked ApiGetNotify and the ApiUnblockGetNotifyCall that frees it run on separate connections', async () => {
    await withConnection(3, async (c) => {
      const port = await c.ApiCreateNotify();
      const cluster = await c.ApiOpenCluster();
      if (port.fault !== undefined || cluster.fault !== undefined) throw new Error('setup faulted');
      expect(await c.ApiAddNotifyCluster(port.hNotify, cluster.hCluster, 0x20000000, 1)).toEqual({ status: 0, rpc_status: 0 });
      const blocked = c.ApiGetNotify(port.hNotify);
      const state = await Promise.race([blocked.then(() => 'answered'), new Promise((r) => setTimeout(() => r('pending'), 200))]);
      expect(state).toBe('pending');
      expect(await c.ApiGetNodeState(FABRICATED_HANDLE)).toEqual({ fault: FAULT.nca_s_fault_context_mismatch });
      expect(await c.ApiUnblockGetNotifyCall(port.hNotify)).toEqual({ status: 0 });
      expect((await blocked).status).toBe(ERROR.INVALID_FUNCTION);
    });
  });

  it('unknown, closed and foreign context handles are faults; a live handle of the wrong type reaches the method', async () => {
    const other = await target.connect({ protocolVersion: 3 });
    await withConnection(3, async (c) => {
      const group = await c.ApiOpenGroup('Cluster Group');
      const foreign = await other.ApiOpenGroup('Cluster Group');
      if (group.fault !== undefined || foreign.fault !== undefined) throw new Error('setup faulted');
      expect(await c.ApiGetGroupState(FABRICATED_HANDLE)).toEqual({ fault: FAULT.nca_s_fault_context_mismatch });
      expect(await c.ApiGetGroupState(foreign.hGroup)).toEqual({ fault: FAULT.nca_s_fault_context_mismatch });
      expect(await c.ApiGetNodeState(group.hGroup)).toEqual({ status: ERROR.INVALID_HANDLE, rpc_status: 0, State: -1 });
      expect(await c.ApiCloseGroup(group.hGroup)).toEqual({ status: 0 });
      expect(await c.ApiGetGroupState(group.hGroup)).toEqual({ fault: FAULT.nca_s_fault_context_mismatch });
      expect(await c.ApiCloseGroup(group.hGroup)).toEqual({ fault: FAULT.nca_s_fault_context_mismatch });
    });
    await other.close();
  });

  it('an opnum the server does not serve is nca_s_op_rng_error; a malformed stub is a fault too', async () => {
    const association = await RpcAssociation.open(endpoint(), clusapiSyntax(3), LIMITS);
    try {
      expect(await association.call(250, Buffer.alloc(0), 2000)).toMatchObject({ fault: FAULT.nca_s_op_rng_error });
      // ApiOpenNode with a string whose counts disagree.
      const bad = Buffer.from('0500000000000000040000004100', 'hex');
      expect(await association.call(CLUSAPI.ApiOpenNode.opnum, bad, 2000)).toMatchObject({ fault: FAULT.rpc_x_bad_stub_data });
      // The connection survives both.
      const ok = await association.call(CLUSAPI.ApiOpenCluster.opnum, Buffer.alloc(0), 2000);
      expect(CLUSAPI.ApiOpenCluster.decodeResponse(3, ok.stub!).status).toBe(0);
    } finally {
      association.close();
    }
  });

  it('fragments a large request and reassembles a large response', async () => {
    const longName = 'n'.repeat(6000);
    const big = await serveReference({ identity: { ...REFERENCE_IDENTITY, clusterName: longName } });
    const association = await RpcAssociation.open({ host: '127.0.0.1', port: big.port }, clusapiSyntax(3), { ...LIMITS, maxRecvFrag: 1432, maxXmitFrag: 1432 });
    try {
      const name = await association.call(CLUSAPI.ApiGetClusterName.opnum, Buffer.alloc(0), 2000);
      expect(CLUSAPI.ApiGetClusterName.decodeResponse(3, name.stub!)).toEqual({ status: 0, ClusterName: longName, NodeName: 'node1' });
      const open = await association.call(CLUSAPI.ApiOpenNode.opnum, CLUSAPI.ApiOpenNode.encodeRequest(3, [longName]), 2000);
      expect(CLUSAPI.ApiOpenNode.decodeResponse(3, open.stub!)).toMatchObject({ status: 5042, hNode: null });
    } finally {
      association.close();
      await big.close();
    }
  });

  it('answers what external clients open first: ApiGetClusterName, ApiGetClusterVersion2', async () => {
    const association = await RpcAssociation.open(endpoint(), clusapiSyntax(3), LIMITS);
    try {
      const name = await association.call(CLUSAPI.ApiGetClusterName.opnum, Buffer.alloc(0), 2000);
      expect(CLUSAPI.ApiGetClusterName.decodeResponse(3, name.stub!)).toEqual({ status: 0, ClusterName: 'CLUSTER1', NodeName: 'node1' });
      const version = await association.call(CLUSAPI.ApiGetClusterVersion2.opnum, Buffer.alloc(0), 2000);
      expect(CLUSAPI.ApiGetClusterVersion2.decodeResponse(3, version.stub!)).toMatchObject({ status: 0, rpc_status: 0, lpwMajorVersion: 10, ppClusterOpVerInfo: { dwSize: 20 } });
    } finally {
      association.close();
    }
  });
});

describe('security hooks (issue 8 plugs in here)', () => {
  it('every request fragment goes through protect() with room left for its verifier; every response through unprotect()', async () => {
    const protectedSizes: number[] = [];
    const unprotected: number[] = [];
    const verifier = { authType: 10, authLevel: 5, authContextId: 0, authValue: Buffer.alloc(16, 0xaa) };
    const security = {
      verifierOverhead: 39,
      // What a signing context does: append pad, sec_trailer and signature (the server here strips it unchecked).
      protect: (fragment: Buffer) => {
        const body = decodePdu(fragment);
        const signed = encodePdu({ ...body, auth: verifier });
        protectedSizes.push(signed.length);
        return signed;
      },
      unprotect: (fragment: Buffer) => {
        unprotected.push(fragment[2]);
        return fragment;
      },
    };
    const association = await RpcAssociation.open(endpoint(), clusapiSyntax(3), { ...LIMITS, maxXmitFrag: 1432, security: () => security });
    try {
      const longName = 'x'.repeat(3000);
      const open = await association.call(CLUSAPI.ApiOpenNode.opnum, CLUSAPI.ApiOpenNode.encodeRequest(3, [longName]), 2000);
      expect(CLUSAPI.ApiOpenNode.decodeResponse(3, open.stub!)).toMatchObject({ status: 5042 });
      expect(protectedSizes.length).toBeGreaterThan(4);
      expect(Math.max(...protectedSizes)).toBeLessThanOrEqual(1432);
      expect(await association.call(250, Buffer.alloc(0), 2000)).toMatchObject({ fault: FAULT.nca_s_op_rng_error });
      expect(unprotected).toEqual([2, 3]);
    } finally {
      association.close();
    }
  });
});

describe('association lifetime', () => {
  it('closing every connection of an association closes its Target connections (context rundown)', async () => {
    const reference = createBuiltinTarget();
    // Which Target connections were closed, by the order they were made in: the wire target may make
    // and drop a connection of its own first (the probe for version 2 ports), whose close may be seen
    // at any time; the test follows only the connection of the association it opens.
    const closes: number[] = [];
    let made = 0;
    const counting: Target = {
      ...reference,
      connect: async (o: ConnectOptions) => {
        const c = await reference.connect(o);
        const index = made++;
        const close = c.close.bind(c);
        c.close = async () => {
          closes.push(index);
          await close();
        };
        return c;
      },
    };
    const own = await serveReference({ target: counting });
    const t = await wireTarget(own);
    try {
      const c = await t.connect({ protocolVersion: 3 });
      const port = await c.ApiCreateNotify();
      if (port.fault !== undefined) throw new Error('setup faulted');
      const ours = made - 1;
      const oursClosed = () => closes.filter((i) => i === ours);
      const pending = c.ApiGetNotify(port.hNotify);
      await new Promise((r) => setTimeout(r, 100));
      expect(await c.ApiCreateNotify()).toMatchObject({ status: 0 }); // runs on a second connection
      expect(made - 1).toBe(ours); // a second connection of one association is no new Target connection
      expect(oursClosed()).toEqual([]);
      await c.close();
      // A call cut short by our own close is failed by the runtime, as with the reference.
      expect(await pending).toEqual({ fault: FAULT.rpc_s_call_failed });
      for (let i = 0; i < 50 && !oursClosed().length; i++) await new Promise((r) => setTimeout(r, 20));
      expect(oursClosed()).toEqual([ours]);
      expect(await c.ApiCreateNotify()).toEqual({ fault: FAULT.rpc_s_call_failed });
    } finally {
      await t.dispose();
      await own.close();
    }
  });
});
