// The served reference's endpoint mapper (C706 appendix O, [MS-RPCE] 2.2.1.2.5): ept_map (opnum 3)
// answers which TCP port of 127.0.0.1 serves a registered interface, so a client that names no port
// finds it as [MS-CMRP] 2.1 says (dynamic endpoints). A server's mapper listens on port 135; this one
// listens where it is told (the builtin target's wire face asks for any free port, which its client is
// given). Every other opnum is out of range; a stub that does not decode is bad stub data.
import { FieldReader, FieldWriter } from '../../wire/rpc/bytes';
import { decodeTower, encodeTower } from '../../wire/rpc/client/epm';
import { EPM_INTERFACE, FAULT, type SyntaxId } from '../../wire/rpc/constants';
import { listenRpc, type RpcListener } from '../../wire/rpc/server/listener';
import { sameSyntax } from '../../wire/rpc/server/negotiate';
import { LOOPBACK } from './serve';

const EPT_MAP = 3;
/** EPT_S_NOT_REGISTERED: the mapper knows no endpoint of the interface asked for. */
const EPT_S_NOT_REGISTERED = 0x16c9a0d6;

export interface MappedEndpoint {
  syntax: SyntaxId;
  port: number;
}

export async function serveEndpointMapper(port: number, endpoints: readonly MappedEndpoint[], log: (line: string) => void = () => undefined): Promise<RpcListener> {
  return listenRpc(
    {
      accepts: (s) => sameSyntax(s, EPM_INTERFACE),
      openGroup: () => ({}),
      closeGroup: () => undefined,
      call: async (_group, info, stub) => {
        if (info.opnum !== EPT_MAP) return { fault: FAULT.nca_s_op_rng_error };
        let asked: SyntaxId | undefined;
        let maxTowers: number;
        try {
          const r = new FieldReader(stub, 'ept_map request');
          // [in, ptr] object: NULL or a 16-byte UUID (ignored: the reference registers no object UUIDs).
          if (r.u32('object') !== 0) r.bytesOf(16, 'object uuid');
          if (r.u32('map_tower') === 0) return { fault: FAULT.rpc_x_bad_stub_data };
          r.u32('max_count');
          asked = decodeTower(r.bytesOf(r.u32('tower_length'), 'tower')).interface;
          r.align(4, 'pad');
          r.bytesOf(20, 'entry_handle');
          maxTowers = r.u32('max_towers');
        } catch {
          // Whatever does not decode (short, overrunning, a malformed tower) is the caller's bad stub.
          return { fault: FAULT.rpc_x_bad_stub_data };
        }
        const hit = asked && maxTowers > 0 ? endpoints.find((e) => sameSyntax(e.syntax, asked)) : undefined;
        if (!hit) log(`ept_map: no endpoint registered for ${asked ? `${asked.uuid} ${asked.major}.${asked.minor}` : 'a tower without an interface'}`);
        // entry_handle (NULL: no more entries), num_towers, then the conformant varying array of tower pointers.
        const w = new FieldWriter().raw(Buffer.alloc(20)).u32(hit ? 1 : 0).u32(maxTowers).u32(0).u32(hit ? 1 : 0);
        if (hit) {
          const tower = encodeTower(hit.syntax, hit.port, LOOPBACK);
          w.u32(0x20000).u32(tower.length).u32(tower.length).raw(tower).align(4);
        }
        return { stub: w.u32(hit ? 0 : EPT_S_NOT_REGISTERED).written() };
      },
    },
    { host: LOOPBACK, port, log },
  );
}
