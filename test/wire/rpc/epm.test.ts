// The endpoint mapper client: towers round-trip (C706 appendix L), ept_map asks a scripted endpoint
// mapper the right question and the dcerpc target without a port follows its answer; a mapper that
// knows no endpoint, or answers garbage, is a clear error; the response decoder survives hostile stubs.
import fc from 'fast-check';
import { FieldReader, FieldWriter } from '../../../wire/rpc/bytes';
import { decodeEptMapResponse, decodeTower, encodeEptMapRequest, encodeTower, eptMap } from '../../../wire/rpc/client/epm';
import { EPM_INTERFACE, type SyntaxId } from '../../../wire/rpc/constants';
import { RpcProtocolError } from '../../../wire/rpc/errors';
import { listenRpc } from '../../../wire/rpc/server/listener';
import { sameSyntax } from '../../../wire/rpc/server/negotiate';
import { clusapiSyntax, createDcerpcTarget } from '../../../harness/target/dcerpc';
import { TargetError } from '../../../cmrp/contract';
import { serveReference } from './support';
import { syntaxArb } from './arbitraries';

const EPT_S_NOT_REGISTERED = 0x16c9a0d6;

/** An endpoint mapper that knows one interface at one port (or none). */
async function endpointMapper(known: { syntax: SyntaxId; port: number } | undefined, asked: SyntaxId[] = []) {
  return listenRpc(
    {
      accepts: (s) => sameSyntax(s, EPM_INTERFACE),
      openGroup: () => ({}),
      closeGroup: () => undefined,
      call: async (_group, info, stub) => {
        if (info.opnum !== 3) return { fault: 0x1c010002 };
        const r = new FieldReader(stub, 'ept_map request');
        r.u32('object');
        r.u32('map_tower');
        r.u32('max_count');
        const tower = decodeTower(r.bytesOf(r.u32('tower_length'), 'tower'));
        r.align(4, 'pad');
        r.bytesOf(20, 'entry_handle');
        const maxTowers = r.u32('max_towers');
        asked.push(tower.interface!);
        const hit = known && sameSyntax(tower.interface!, known.syntax);
        const w = new FieldWriter().raw(Buffer.alloc(20)).u32(hit ? 1 : 0).u32(maxTowers).u32(0).u32(hit ? 1 : 0);
        if (hit) {
          const answer = encodeTower(known.syntax, known.port, '127.0.0.1');
          w.u32(0x20000).u32(answer.length).u32(answer.length).raw(answer).align(4);
        }
        return { stub: w.u32(hit ? 0 : EPT_S_NOT_REGISTERED).written() };
      },
    },
    { host: '127.0.0.1', port: 0 },
  );
}

describe('towers', () => {
  it('round-trip interface, port and address', () => {
    fc.assert(
      fc.property(syntaxArb, fc.integer({ min: 0, max: 65535 }), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), (syntax, port, ip) => {
        expect(decodeTower(encodeTower(syntax, port, ip.join('.')))).toEqual({ interface: syntax, port, ip: ip.join('.') });
      }),
    );
  });

  it('the request asks for clusapi over NDR20 on ncacn_ip_tcp', () => {
    const stub = encodeEptMapRequest(clusapiSyntax(3));
    // object NULL, tower referent, max_count = tower_length = 75 (5 floors), the tower, NULL handle, max_towers.
    expect(stub.readUInt32LE(0)).toBe(0);
    expect(stub.readUInt32LE(8)).toBe(75);
    expect(stub.readUInt32LE(12)).toBe(75);
    expect(decodeTower(stub.subarray(16, 16 + 75))).toEqual({ interface: clusapiSyntax(3), port: 0, ip: '0.0.0.0' });
    expect(stub.length).toBe(16 + 76 + 20 + 4);
  });

  it('the response decoder meets hostile stubs with RpcProtocolError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeEptMapResponse(Buffer.from(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(RpcProtocolError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ept_map', () => {
  it('a target without a port asks the endpoint mapper and connects where it says', async () => {
    const served = await serveReference();
    const asked: SyntaxId[] = [];
    const mapper = await endpointMapper({ syntax: clusapiSyntax(3), port: served.port }, asked);
    try {
      expect(await eptMap('127.0.0.1', clusapiSyntax(3), { connectTimeoutMs: 1000 }, mapper.address.port)).toBe(served.port);
      const target = await createDcerpcTarget('dcerpc:127.0.0.1', { host: '127.0.0.1' }, { epmPort: mapper.address.port });
      expect(target.description).toContain(`127.0.0.1:${served.port}`);
      const c = await target.connect({ protocolVersion: 3 });
      expect(await c.ApiOpenCluster()).toMatchObject({ status: 0 });
      await target.dispose();
      expect(asked).toEqual([clusapiSyntax(3), clusapiSyntax(3)]);
    } finally {
      await mapper.close();
      await served.close();
    }
  });

  it('a mapper that knows no clusapi endpoint is an error naming ept_map (after asking for both versions)', async () => {
    const asked: SyntaxId[] = [];
    const mapper = await endpointMapper(undefined, asked);
    try {
      const error = await createDcerpcTarget('dcerpc:127.0.0.1', { host: '127.0.0.1' }, { epmPort: mapper.address.port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TargetError);
      expect((error as TargetError).message).toMatch(/^ept_map: protocol: the endpoint mapper of 127\.0\.0\.1 has no ncacn_ip_tcp endpoint for b97db8b2-4c63-11cf-bff6-08002be23f2f v3\.0 \(status 0x16c9a0d6\)$/);
      expect(asked).toEqual([clusapiSyntax(3), clusapiSyntax(2)]);
    } finally {
      await mapper.close();
    }
  });
});
