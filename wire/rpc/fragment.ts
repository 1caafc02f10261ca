// Fragmentation and reassembly of request and response stubs (C706 12.6.4.2): a stub larger than the
// peer's max_recv_frag is sent as several PDUs of one call id, FIRST_FRAG on the first, LAST_FRAG on
// the last; the receiver glues the stubs back together, bounded by a ceiling on the whole stub.
import { HEADER_SIZE, PFC } from './constants';
import { RpcProtocolError } from './errors';
import { encodePdu, type FaultPdu, type RequestPdu, type ResponsePdu } from './pdu';

/** Body bytes before the stub: alloc_hint, p_cont_id, opnum / cancel_count+reserved. */
const STUB_HEADER = 8;
/** Stub pieces are cut on 8-byte boundaries so every fragment keeps NDR's largest alignment. */
const STUB_ALIGN = 8;

export interface RequestCall {
  callId: number;
  contextId: number;
  opnum: number;
  object?: string;
  stub: Buffer;
}

export interface ResponseCall {
  callId: number;
  contextId: number;
  stub: Buffer;
}

function pieces(stub: Buffer, room: number): Buffer[] {
  const size = Math.floor(room / STUB_ALIGN) * STUB_ALIGN;
  if (size <= 0) throw new RangeError(`a fragment size leaves no room for stub data`);
  if (stub.length <= size) return [stub];
  const out: Buffer[] = [];
  for (let at = 0; at < stub.length; at += size) out.push(stub.subarray(at, Math.min(stub.length, at + size)));
  return out;
}

function flagsFor(i: number, n: number): number {
  return (i === 0 ? PFC.FIRST_FRAG : 0) | (i === n - 1 ? PFC.LAST_FRAG : 0);
}

/**
 * The request PDUs of one call, none longer than `maxFrag` (the server's max_recv_frag) once a
 * security context has added up to `reserve` bytes of auth verifier to each.
 */
export function fragmentRequest(call: RequestCall, maxFrag: number, reserve = 0): Buffer[] {
  const overhead = HEADER_SIZE + STUB_HEADER + (call.object !== undefined ? 16 : 0) + reserve;
  const parts = pieces(call.stub, maxFrag - overhead);
  let remaining = call.stub.length;
  return parts.map((stub, i) => {
    const pdu: RequestPdu = {
      type: 'request',
      callId: call.callId,
      flags: flagsFor(i, parts.length) | (call.object !== undefined ? PFC.OBJECT_UUID : 0),
      allocHint: remaining,
      contextId: call.contextId,
      opnum: call.opnum,
      ...(call.object !== undefined ? { object: call.object } : {}),
      stub,
    };
    remaining -= stub.length;
    return encodePdu(pdu);
  });
}

/** The response PDUs of one call, none longer than `maxFrag` (the client's max_recv_frag) with `reserve` bytes of verifier. */
export function fragmentResponse(call: ResponseCall, maxFrag: number, reserve = 0): Buffer[] {
  const parts = pieces(call.stub, maxFrag - HEADER_SIZE - STUB_HEADER - reserve);
  let remaining = call.stub.length;
  return parts.map((stub, i) => {
    const pdu: ResponsePdu = { type: 'response', callId: call.callId, flags: flagsFor(i, parts.length), allocHint: remaining, contextId: call.contextId, cancelCount: 0, stub };
    remaining -= stub.length;
    return encodePdu(pdu);
  });
}

type Fragment = RequestPdu | ResponsePdu | FaultPdu;

/**
 * Collects the fragments of one call. `add` returns the whole stub once LAST_FRAG arrives, undefined
 * while more are due; a fragment out of order, of another opnum or context, or a stub past `maxStub`
 * is an RpcProtocolError.
 */
export class Reassembly {
  private readonly parts: Buffer[] = [];
  private length = 0;
  private first?: Fragment;

  constructor(private readonly maxStub: number) {}

  get started(): boolean {
    return this.first !== undefined;
  }

  add(pdu: Fragment): Buffer | undefined {
    const flags = pdu.flags ?? 0;
    const what = `${pdu.type} call_id ${pdu.callId}`;
    if (!this.first) {
      if (!(flags & PFC.FIRST_FRAG)) throw new RpcProtocolError(`${what}: a fragment without PFC_FIRST_FRAG starts the call`);
      this.first = pdu;
    } else {
      if (flags & PFC.FIRST_FRAG) throw new RpcProtocolError(`${what}: PFC_FIRST_FRAG again in the middle of a call`);
      if (pdu.type !== this.first.type) throw new RpcProtocolError(`${what}: a ${pdu.type} fragment continues a ${this.first.type}`);
      if (pdu.contextId !== this.first.contextId) throw new RpcProtocolError(`${what}: p_cont_id changed from ${this.first.contextId} to ${pdu.contextId} between fragments`);
      if (pdu.type === 'request' && pdu.opnum !== (this.first as RequestPdu).opnum) {
        throw new RpcProtocolError(`${what}: opnum changed from ${(this.first as RequestPdu).opnum} to ${pdu.opnum} between fragments`);
      }
    }
    if (this.length + pdu.stub.length > this.maxStub) throw new RpcProtocolError(`${what}: the stub grows past ${this.maxStub} bytes`);
    this.parts.push(pdu.stub);
    this.length += pdu.stub.length;
    if (!(flags & PFC.LAST_FRAG)) return undefined;
    return Buffer.concat(this.parts, this.length);
  }
}
