// Pure functions over whole connection-oriented PDUs: find, add and strip the auth verifier
// (sec_trailer + auth_value) the way C706 12.6 and [MS-RPCE] 2.2.2.11 place it: the sec_trailer
// starts at frag_length - auth_length - 8, after the body and auth_pad_length pad octets. Integer
// fields follow the PDU's packed_drep (little- or big-endian); every offset is checked. The
// sec_trailer itself is coded by the wire's one codec (wire/rpc/sec-trailer.ts); failures here are
// AuthError('malformed').
import { AuthError, malformed } from '../core/errors';
import { authPadFor, encodeSecTrailer, findSecTrailer, type SecTrailer } from '../../rpc/sec-trailer';
import { COMMON_HEADER_LENGTH, PFC, PTYPE } from './constants';

export { encodeSecTrailer, type SecTrailer };

export interface CommonHeader {
  ptype: number;
  pfcFlags: number;
  littleEndian: boolean;
  fragLength: number;
  authLength: number;
  callId: number;
}

export interface AuthVerifier {
  trailer: SecTrailer;
  authValue: Buffer;
  /** Offset of the sec_trailer in the PDU. */
  trailerOffset: number;
}

const WHERE = 'RPC PDU';

export function readCommonHeader(pdu: Buffer, where = WHERE): CommonHeader {
  if (pdu.length < COMMON_HEADER_LENGTH) throw malformed(where, `${pdu.length} bytes is shorter than the common header`);
  if (pdu[0] !== 5 || pdu[1] !== 0) throw malformed(where, `rpc_vers ${pdu[0]}.${pdu[1]}, expected 5.0`);
  const littleEndian = (pdu[4] & 0xf0) === 0x10;
  const u16 = (o: number): number => (littleEndian ? pdu.readUInt16LE(o) : pdu.readUInt16BE(o));
  const u32 = (o: number): number => (littleEndian ? pdu.readUInt32LE(o) : pdu.readUInt32BE(o));
  const h = { ptype: pdu[2], pfcFlags: pdu[3], littleEndian, fragLength: u16(8), authLength: u16(10), callId: u32(12) };
  if (h.fragLength !== pdu.length) throw malformed(where, `frag_length ${h.fragLength} but the PDU has ${pdu.length} bytes`);
  return h;
}

function writeU16(pdu: Buffer, h: CommonHeader, offset: number, v: number): void {
  if (h.littleEndian) pdu.writeUInt16LE(v, offset);
  else pdu.writeUInt16BE(v, offset);
}

/** Sets frag_length and auth_length in place. */
export function patchLengths(pdu: Buffer, h: CommonHeader, fragLength: number, authLength: number): void {
  if (fragLength > 0xffff) throw new RangeError(`fragment of ${fragLength} bytes exceeds frag_length's 16 bits`);
  writeU16(pdu, h, 8, fragLength);
  writeU16(pdu, h, 10, authLength);
}

/**
 * Where the body (stub data) of a request or response starts: after alloc_hint, p_cont_id and
 * opnum (request) or cancel_count (response), and after the object UUID when PFC_OBJECT_UUID is set.
 */
export function bodyOffset(h: CommonHeader): number {
  if (h.ptype === PTYPE.request) return (h.pfcFlags & PFC.OBJECT_UUID) !== 0 ? 40 : 24;
  if (h.ptype === PTYPE.response) return 24;
  if (h.ptype === PTYPE.fault) return 32;
  // bind, bind_ack, alter_context(_resp), auth3...: the verifier is appended after the whole body.
  return COMMON_HEADER_LENGTH;
}

/** The verifier of a PDU, or undefined when auth_length is 0. */
export function readAuthVerifier(pdu: Buffer, where = WHERE): AuthVerifier | undefined {
  const h = readCommonHeader(pdu, where);
  if (h.authLength === 0) return undefined;
  const found = findSecTrailer(pdu, h.authLength, bodyOffset(h), h.littleEndian, (detail) => malformed(where, detail));
  return { trailer: found.trailer, authValue: found.authValue, trailerOffset: found.trailerOffset };
}

/**
 * Appends pad octets, a sec_trailer and auth_value to a PDU that has none (auth_length 0), and
 * patches frag_length and auth_length. The pad aligns the sec_trailer to `alignment` counted from
 * the start of the body; auth_pad_length in `trailer` is computed here.
 */
export function appendAuthVerifier(pdu: Buffer, trailer: Omit<SecTrailer, 'authPadLength'>, authValue: Buffer, alignment = 4): Buffer {
  const h = readCommonHeader(pdu);
  if (h.authLength !== 0) throw new AuthError('state', WHERE, 'the PDU already carries an auth verifier');
  const bodyLength = pdu.length - bodyOffset(h);
  const pad = authPadFor(bodyLength, alignment);
  const out = Buffer.concat([pdu, Buffer.alloc(pad), encodeSecTrailer({ ...trailer, authPadLength: pad }, h.littleEndian), authValue]);
  patchLengths(out, h, out.length, authValue.length);
  return out;
}

/** The PDU without its verifier and pad octets (auth_length 0, frag_length patched). */
export function stripAuthVerifier(pdu: Buffer): Buffer {
  const v = readAuthVerifier(pdu);
  if (!v) return pdu;
  const h = readCommonHeader(pdu);
  const out = Buffer.from(pdu.subarray(0, v.trailerOffset - v.trailer.authPadLength));
  patchLengths(out, h, out.length, 0);
  return out;
}
