// Encoding and decoding of the connection-oriented PDUs (C706 12.6, [MS-RPCE] 2.2.2): one PDU is one
// fragment, exactly frag_length bytes. Decoding is hostile-input safe: every field is bounds checked,
// counts are bounded by the bytes actually present, and anything malformed is an RpcProtocolError
// saying which PDU and which field.
import { FieldReader, FieldWriter } from './bytes';
import { DREP_LITTLE_ENDIAN, HEADER_SIZE, PFC, PTYPE, RPC_VERSION, RPC_VERSION_MINOR, ptypeName, type SyntaxId } from './constants';
import { RpcProtocolError } from './errors';
import { decodeAuthVerifier, encodeAuthVerifier, type AuthVerifier, type AuthVerifierSpec } from './sec-trailer';

interface Common {
  callId: number;
  /** pfc_flags; encoders default to FIRST_FRAG | LAST_FRAG (an unfragmented PDU). */
  flags?: number;
  /** Decoded PDUs carry what they had; encoders take a spec and compute the pad. */
  auth?: AuthVerifier | AuthVerifierSpec;
}

export interface PresentationContext {
  contextId: number;
  abstractSyntax: SyntaxId;
  transferSyntaxes: SyntaxId[];
}

export interface ContextResult {
  result: number;
  reason: number;
  transferSyntax: SyntaxId;
}

export interface BindPdu extends Common {
  type: 'bind' | 'alter_context';
  maxXmitFrag: number;
  maxRecvFrag: number;
  assocGroupId: number;
  contexts: PresentationContext[];
}

export interface BindAckPdu extends Common {
  type: 'bind_ack' | 'alter_context_resp';
  maxXmitFrag: number;
  maxRecvFrag: number;
  assocGroupId: number;
  /** sec_addr: the port the server answered on, as a string ("" in alter_context_resp). */
  secondaryAddress: string;
  results: ContextResult[];
}

export interface BindNakPdu extends Common {
  type: 'bind_nak';
  rejectReason: number;
  versions: { major: number; minor: number }[];
}

export interface RequestPdu extends Common {
  type: 'request';
  allocHint: number;
  contextId: number;
  opnum: number;
  /** Present when PFC_OBJECT_UUID is set. */
  object?: string;
  stub: Buffer;
}

export interface ResponsePdu extends Common {
  type: 'response';
  allocHint: number;
  contextId: number;
  cancelCount: number;
  stub: Buffer;
}

export interface FaultPdu extends Common {
  type: 'fault';
  allocHint: number;
  contextId: number;
  cancelCount: number;
  /** [MS-RPCE] 2.2.2.9: 0x01 = extended error information follows. */
  faultFlags: number;
  status: number;
  stub: Buffer;
}

/** Header-only PDUs (an auth3 carries 4 pad bytes before its verifier). */
export interface BarePdu extends Common {
  type: 'auth3' | 'shutdown' | 'co_cancel' | 'orphaned';
}

export type Pdu = BindPdu | BindAckPdu | BindNakPdu | RequestPdu | ResponsePdu | FaultPdu | BarePdu;

export const UNFRAGMENTED = PFC.FIRST_FRAG | PFC.LAST_FRAG;

/** The common header fields, readable from the first 16 bytes alone (what the framing needs). */
export interface Header {
  rpcVersion: number;
  rpcVersionMinor: number;
  ptype: number;
  flags: number;
  /** The four data representation octets in their wire order, as one number (0x10000000: little-endian NDR, ASCII, IEEE). */
  drep: number;
  fragLength: number;
  authLength: number;
  callId: number;
}

export function decodeHeader(bytes: Buffer): Header {
  if (bytes.length < HEADER_SIZE) throw new RpcProtocolError(`a PDU header needs ${HEADER_SIZE} bytes, got ${bytes.length}`);
  const drep = bytes.readUInt32BE(4);
  // Integer representation in the high nibble of drep[0]: 1 = little-endian, 0 = big-endian.
  const little = bytes[4] >> 4 === 1;
  return {
    rpcVersion: bytes[0],
    rpcVersionMinor: bytes[1],
    ptype: bytes[2],
    flags: bytes[3],
    drep,
    fragLength: little ? bytes.readUInt16LE(8) : bytes.readUInt16BE(8),
    authLength: little ? bytes.readUInt16LE(10) : bytes.readUInt16BE(10),
    callId: little ? bytes.readUInt32LE(12) : bytes.readUInt32BE(12),
  };
}

/** Problems with a header that make the rest unreadable (wrong version, big-endian data, sizes). */
export function headerProblem(h: Header): string | undefined {
  if (h.rpcVersion !== RPC_VERSION || (h.rpcVersionMinor !== 0 && h.rpcVersionMinor !== 1)) {
    return `rpc_vers ${h.rpcVersion}.${h.rpcVersionMinor} (expected 5.0 or 5.1)`;
  }
  if (h.drep >>> 28 !== 1) return `data representation ${h.drep.toString(16).padStart(8, '0')} is not little-endian NDR`;
  if (h.fragLength < HEADER_SIZE) return `frag_length ${h.fragLength} is shorter than the header`;
  if (h.authLength > h.fragLength - HEADER_SIZE) return `auth_length ${h.authLength} exceeds frag_length ${h.fragLength}`;
  return undefined;
}

export function encodePdu(pdu: Pdu): Buffer {
  // Header, body and verifier in one buffer: the header's lengths are filled in last.
  const w = new FieldWriter(HEADER_SIZE + 64 + ('stub' in pdu ? pdu.stub.length : 0) + (pdu.auth ? pdu.auth.authValue.length + 16 : 0));
  w.skip(HEADER_SIZE);
  encodeBody(pdu, w);
  const bodyLength = w.offset - HEADER_SIZE;
  const auth = pdu.auth;
  if (auth) {
    w.raw(
      encodeAuthVerifier(
        { alignTo: 'alignTo' in auth ? auth.alignTo : undefined, authType: auth.authType, authLevel: auth.authLevel, authContextId: auth.authContextId, authValue: auth.authValue },
        HEADER_SIZE + bodyLength,
      ),
    );
  }
  const fragLength = w.offset;
  if (fragLength > 0xffff) throw new RangeError(`a ${ptypeName(PTYPE[pdu.type])} PDU of ${fragLength} bytes does not fit frag_length`);
  const out = w.written();
  out.writeUInt8(RPC_VERSION, 0);
  out.writeUInt8(RPC_VERSION_MINOR, 1);
  out.writeUInt8(PTYPE[pdu.type], 2);
  out.writeUInt8((pdu.flags ?? UNFRAGMENTED) & 0xff, 3);
  DREP_LITTLE_ENDIAN.copy(out, 4);
  out.writeUInt16LE(fragLength, 8);
  out.writeUInt16LE(auth ? auth.authValue.length : 0, 10);
  out.writeUInt32LE(pdu.callId >>> 0, 12);
  return out;
}

function encodeBody(pdu: Pdu, w: FieldWriter): void {
  switch (pdu.type) {
    case 'bind':
    case 'alter_context':
      w.u16(pdu.maxXmitFrag).u16(pdu.maxRecvFrag).u32(pdu.assocGroupId);
      w.u8(pdu.contexts.length).u8(0).u16(0);
      for (const c of pdu.contexts) {
        w.u16(c.contextId).u8(c.transferSyntaxes.length).u8(0).syntax(c.abstractSyntax);
        for (const t of c.transferSyntaxes) w.syntax(t);
      }
      return;
    case 'bind_ack':
    case 'alter_context_resp': {
      w.u16(pdu.maxXmitFrag).u16(pdu.maxRecvFrag).u32(pdu.assocGroupId);
      const addr = pdu.secondaryAddress ? Buffer.from(`${pdu.secondaryAddress}\0`, 'latin1') : Buffer.alloc(0);
      w.u16(addr.length).raw(addr);
      // The result list starts 4-byte aligned from the start of the PDU (the header is 16 bytes).
      alignFromPdu(w, 4);
      w.u8(pdu.results.length).u8(0).u16(0);
      for (const r of pdu.results) w.u16(r.result).u16(r.reason).syntax(r.transferSyntax);
      return;
    }
    case 'bind_nak':
      w.u16(pdu.rejectReason).u8(pdu.versions.length);
      for (const v of pdu.versions) w.u8(v.major).u8(v.minor);
      return;
    case 'request':
      w.u32(pdu.allocHint).u16(pdu.contextId).u16(pdu.opnum);
      if (pdu.object !== undefined) w.uuid(pdu.object);
      w.raw(pdu.stub);
      return;
    case 'response':
      w.u32(pdu.allocHint).u16(pdu.contextId).u8(pdu.cancelCount).u8(0).raw(pdu.stub);
      return;
    case 'fault':
      w.u32(pdu.allocHint).u16(pdu.contextId).u8(pdu.cancelCount).u8(pdu.faultFlags).u32(pdu.status).u32(0).raw(pdu.stub);
      return;
    case 'auth3':
      w.u32(0);
      return;
    case 'shutdown':
    case 'co_cancel':
    case 'orphaned':
      return;
  }
}

/** Pads to a multiple of `n` from the start of the PDU (the writer holds the header too). */
function alignFromPdu(w: FieldWriter, n: number): void {
  w.align(n);
}

/**
 * Decodes one whole PDU (exactly frag_length bytes). The request's OBJECT_UUID flag is honoured; every
 * other flag is reported as is.
 */
export function decodePdu(bytes: Buffer): Pdu {
  const h = decodeHeader(bytes);
  const problem = headerProblem(h);
  if (problem) throw new RpcProtocolError(`${ptypeName(h.ptype)} PDU: ${problem}`);
  if (h.fragLength !== bytes.length) throw new RpcProtocolError(`${ptypeName(h.ptype)} PDU: frag_length ${h.fragLength} but ${bytes.length} byte(s) given`);
  const name = ptypeName(h.ptype);
  const { bodyEnd, verifier } = decodeAuthVerifier(bytes, h.authLength, HEADER_SIZE);
  const r = new FieldReader(bytes, `${name} PDU`, HEADER_SIZE, bodyEnd);
  const common = { callId: h.callId, flags: h.flags, ...(verifier ? { auth: verifier } : {}) };
  switch (h.ptype) {
    case PTYPE.bind:
    case PTYPE.alter_context: {
      const type = h.ptype === PTYPE.bind ? 'bind' : 'alter_context';
      const maxXmitFrag = r.u16('max_xmit_frag');
      const maxRecvFrag = r.u16('max_recv_frag');
      const assocGroupId = r.u32('assoc_group_id');
      const n = r.u8('n_context_elem');
      r.u8('reserved');
      r.u16('reserved2');
      const contexts: PresentationContext[] = [];
      for (let i = 0; i < n; i++) {
        const contextId = r.u16(`p_cont_elem[${i}].p_cont_id`);
        const nSyntaxes = r.u8(`p_cont_elem[${i}].n_transfer_syn`);
        r.u8(`p_cont_elem[${i}].reserved`);
        const abstractSyntax = r.syntax(`p_cont_elem[${i}].abstract_syntax`);
        const transferSyntaxes: SyntaxId[] = [];
        for (let j = 0; j < nSyntaxes; j++) transferSyntaxes.push(r.syntax(`p_cont_elem[${i}].transfer_syntaxes[${j}]`));
        contexts.push({ contextId, abstractSyntax, transferSyntaxes });
      }
      return { type, ...common, maxXmitFrag, maxRecvFrag, assocGroupId, contexts };
    }
    case PTYPE.bind_ack:
    case PTYPE.alter_context_resp: {
      const type = h.ptype === PTYPE.bind_ack ? 'bind_ack' : 'alter_context_resp';
      const maxXmitFrag = r.u16('max_xmit_frag');
      const maxRecvFrag = r.u16('max_recv_frag');
      const assocGroupId = r.u32('assoc_group_id');
      const addrLength = r.u16('sec_addr.length');
      const addr = r.bytesOf(addrLength, 'sec_addr.port_spec');
      r.align(4, 'pad');
      const n = r.u8('p_result_list.n_results');
      r.u8('reserved');
      r.u16('reserved2');
      const results: ContextResult[] = [];
      for (let i = 0; i < n; i++) {
        const result = r.u16(`p_results[${i}].result`);
        const reason = r.u16(`p_results[${i}].reason`);
        results.push({ result, reason, transferSyntax: r.syntax(`p_results[${i}].transfer_syntax`) });
      }
      const nul = addr.indexOf(0);
      const secondaryAddress = addr.subarray(0, nul < 0 ? addr.length : nul).toString('latin1');
      return { type, ...common, maxXmitFrag, maxRecvFrag, assocGroupId, secondaryAddress, results };
    }
    case PTYPE.bind_nak: {
      const rejectReason = r.u16('provider_reject_reason');
      // [MS-RPCE] 2.2.2.5: the version list may be absent in a bare 18-byte bind_nak.
      const versions: { major: number; minor: number }[] = [];
      if (r.remaining > 0) {
        const n = r.u8('n_protocols');
        for (let i = 0; i < n; i++) versions.push({ major: r.u8(`p_protocols[${i}].major`), minor: r.u8(`p_protocols[${i}].minor`) });
      }
      return { type: 'bind_nak', ...common, rejectReason, versions };
    }
    case PTYPE.request: {
      const allocHint = r.u32('alloc_hint');
      const contextId = r.u16('p_cont_id');
      const opnum = r.u16('opnum');
      const object = h.flags & PFC.OBJECT_UUID ? r.uuid('object') : undefined;
      return { type: 'request', ...common, allocHint, contextId, opnum, ...(object !== undefined ? { object } : {}), stub: r.rest() };
    }
    case PTYPE.response: {
      const allocHint = r.u32('alloc_hint');
      const contextId = r.u16('p_cont_id');
      const cancelCount = r.u8('cancel_count');
      r.u8('reserved');
      return { type: 'response', ...common, allocHint, contextId, cancelCount, stub: r.rest() };
    }
    case PTYPE.fault: {
      const allocHint = r.u32('alloc_hint');
      const contextId = r.u16('p_cont_id');
      const cancelCount = r.u8('cancel_count');
      const faultFlags = r.u8('fault_flags');
      const status = r.u32('status');
      r.u32('reserved');
      return { type: 'fault', ...common, allocHint, contextId, cancelCount, faultFlags, status, stub: r.rest() };
    }
    case PTYPE.auth3:
      r.u32('pad');
      return { type: 'auth3', ...common };
    case PTYPE.shutdown:
    case PTYPE.co_cancel:
    case PTYPE.orphaned:
      return { type: ptypeName(h.ptype) as 'shutdown' | 'co_cancel' | 'orphaned', ...common };
    default:
      throw new RpcProtocolError(`${name}: not a connection-oriented PDU type`);
  }
}
