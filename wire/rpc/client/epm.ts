// The endpoint mapper client (C706 appendix O, [MS-RPCE] 2.2.1.2.5): ept_map (opnum 3) on port 135
// asks which TCP port serves an interface, when the target spec names no port. Towers are C706
// appendix L protocol towers: interface, NDR20, connection-oriented RPC, TCP port, IP address.
import { FieldReader, FieldWriter } from '../bytes';
import { EPM_INTERFACE, EPM_PORT, NDR20, type SyntaxId } from '../constants';
import { RpcProtocolError } from '../errors';
import { decodeUuid, encodeUuid } from '../uuid';
import { RpcAssociation } from './association';
import type { ConnectionLimits } from './connection';

const EPT_MAP = 3;
/** Protocol identifiers of tower floors (C706 appendix I). */
const FLOOR = { uuid: 0x0d, rpcConnectionOriented: 0x0b, tcpPort: 0x07, ipAddress: 0x09 } as const;
/** How many towers we ask for and accept: enough for a server listening on a few addresses. */
const MAX_TOWERS = 4;
/** A tower longer than this is not one a server would send for ncacn_ip_tcp. */
const MAX_TOWER_BYTES = 1024;

/** The tower of `syntax` over ncacn_ip_tcp (port and address 0: "any", as a client asks). */
export function encodeTower(syntax: SyntaxId, port = 0, ip = '0.0.0.0'): Buffer {
  const floors: [Buffer, Buffer][] = [
    [Buffer.concat([Buffer.from([FLOOR.uuid]), encodeUuid(syntax.uuid), u16le(syntax.major)]), u16le(syntax.minor)],
    [Buffer.concat([Buffer.from([FLOOR.uuid]), encodeUuid(NDR20.uuid), u16le(NDR20.major)]), u16le(NDR20.minor)],
    [Buffer.from([FLOOR.rpcConnectionOriented]), u16le(0)],
    [Buffer.from([FLOOR.tcpPort]), u16be(port)],
    [Buffer.from([FLOOR.ipAddress]), Buffer.from(ip.split('.').map(Number))],
  ];
  const w = new FieldWriter().u16(floors.length);
  for (const [lhs, rhs] of floors) w.u16(lhs.length).raw(lhs).u16(rhs.length).raw(rhs);
  return w.written();
}

export interface Tower {
  interface?: SyntaxId;
  port?: number;
  ip?: string;
}

export function decodeTower(bytes: Buffer): Tower {
  const r = new FieldReader(bytes, 'protocol tower');
  const count = r.u16('floor_count');
  const tower: Tower = {};
  for (let i = 0; i < count; i++) {
    const lhs = r.bytesOf(r.u16(`floor ${i + 1} lhs_length`), `floor ${i + 1} lhs`);
    const rhs = r.bytesOf(r.u16(`floor ${i + 1} rhs_length`), `floor ${i + 1} rhs`);
    if (!lhs.length) throw new RpcProtocolError(`protocol tower: floor ${i + 1} has an empty lhs`);
    if (lhs[0] === FLOOR.uuid && i === 0 && lhs.length === 19 && rhs.length === 2) {
      tower.interface = { uuid: decodeUuid(lhs, 1), major: lhs.readUInt16LE(17), minor: rhs.readUInt16LE(0) };
    } else if (lhs[0] === FLOOR.tcpPort && rhs.length === 2) {
      tower.port = rhs.readUInt16BE(0);
    } else if (lhs[0] === FLOOR.ipAddress && rhs.length === 4) {
      tower.ip = [...rhs].join('.');
    }
  }
  return tower;
}

/** The ept_map request stub: NULL object, the tower, a NULL entry handle, max_towers. */
export function encodeEptMapRequest(syntax: SyntaxId): Buffer {
  const tower = encodeTower(syntax);
  const w = new FieldWriter();
  w.u32(0); // object: NULL unique pointer
  w.u32(1); // map_tower: referent id
  w.u32(tower.length).u32(tower.length).raw(tower).align(4); // twr_t: max_count, tower_length, octets
  w.raw(Buffer.alloc(20)); // entry_handle: NULL context handle
  w.u32(MAX_TOWERS);
  return w.written();
}

/** The ports of the towers in an ept_map response; throws for a non-zero status or a malformed stub. */
export function decodeEptMapResponse(stub: Buffer): { status: number; towers: Tower[] } {
  const r = new FieldReader(stub, 'ept_map response');
  r.bytesOf(20, 'entry_handle');
  const numTowers = r.u32('num_towers');
  const maxCount = r.u32('towers.max_count');
  const offset = r.u32('towers.offset');
  const actual = r.u32('towers.actual_count');
  if (offset !== 0 || actual > maxCount || actual !== numTowers || actual > MAX_TOWERS) {
    throw new RpcProtocolError(`ept_map response: towers array of ${actual} (offset ${offset}, max ${maxCount}, num_towers ${numTowers})`);
  }
  const referents: number[] = [];
  for (let i = 0; i < actual; i++) referents.push(r.u32(`towers[${i}] referent`));
  const towers: Tower[] = [];
  for (let i = 0; i < actual; i++) {
    if (referents[i] === 0) continue;
    const max = r.u32(`towers[${i}].max_count`);
    const length = r.u32(`towers[${i}].tower_length`);
    if (length !== max || length > MAX_TOWER_BYTES) throw new RpcProtocolError(`ept_map response: tower ${i} of ${length} byte(s) (max_count ${max})`);
    towers.push(decodeTower(r.bytesOf(length, `towers[${i}].tower_octet_string`)));
    r.align(4, `towers[${i}] pad`);
  }
  const status = r.u32('status');
  return { status, towers };
}

/**
 * Asks the endpoint mapper of `host` for the TCP port of `syntax`. Throws RpcBindError /
 * RpcProtocolError / RpcTransportError, or an RpcProtocolError when the mapper knows no such endpoint.
 */
export async function eptMap(host: string, syntax: SyntaxId, limits: ConnectionLimits, epmPort = EPM_PORT): Promise<number> {
  const association = await RpcAssociation.open({ host, port: epmPort }, EPM_INTERFACE, { ...limits, maxConnections: 1 });
  try {
    const outcome = await association.call(EPT_MAP, encodeEptMapRequest(syntax), limits.connectTimeoutMs);
    if (outcome.fault !== undefined) throw new RpcProtocolError(`ept_map failed with fault 0x${outcome.fault.toString(16)}`);
    const { status, towers } = decodeEptMapResponse(outcome.stub);
    const port = towers.find((t) => t.port)?.port;
    if (status !== 0 || port === undefined) {
      throw new RpcProtocolError(`the endpoint mapper of ${host} has no ncacn_ip_tcp endpoint for ${syntax.uuid} v${syntax.major}.${syntax.minor} (status 0x${status.toString(16)})`);
    }
    return port;
  } finally {
    association.close();
  }
}

function u16le(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
}

function u16be(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v);
  return b;
}
