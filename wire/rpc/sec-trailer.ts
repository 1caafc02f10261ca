// The auth verifier at the end of a PDU ([MS-RPCE] 2.2.2.11, C706 13.2.6.1): auth padding, the 8-byte
// sec_trailer (auth_type, auth_level, auth_pad_length, auth_reserved, auth_context_id) and auth_value.
// The wire's one codec of it: the PDU layer (pdu.ts) and the security contexts (wire/auth/rpc/) both
// place, find and split verifiers here. This layer only places and finds it; what goes into auth_value
// (NTLM/SPNEGO tokens, signatures) and whether the stub is sealed is the business of a security
// context (wire/auth/).
import { RpcProtocolError } from './errors';
import { HEADER_SIZE } from './constants';

export const SEC_TRAILER_SIZE = 8;

/** The sec_trailer's fields (auth_reserved is always written 0 and not reported). */
export interface SecTrailer {
  authType: number;
  authLevel: number;
  authPadLength: number;
  authContextId: number;
}

export interface AuthVerifier extends SecTrailer {
  /** authPadLength: bytes of padding between the body and the sec_trailer (decoded PDUs report what they carried). */
  authValue: Buffer;
}

/** What a sender chooses; the pad length is computed from the body it pads. */
export type AuthVerifierSpec = Omit<AuthVerifier, 'authPadLength'> & {
  /** The boundary the sec_trailer starts on, counted from the start of the PDU: 16 for stubs ([MS-RPCE] 3.3.1.5.2), 4 otherwise. */
  alignTo?: number;
};

/** Pad octets that bring `length` bytes (counted from wherever the caller's alignment counts) to a multiple of `alignTo`. */
export function authPadFor(length: number, alignTo: number): number {
  return (alignTo - (length % alignTo)) % alignTo;
}

/** The 8-byte sec_trailer; auth_context_id in the PDU's byte order. */
export function encodeSecTrailer(t: SecTrailer, littleEndian = true): Buffer {
  const b = Buffer.alloc(SEC_TRAILER_SIZE);
  b.writeUInt8(t.authType & 0xff, 0);
  b.writeUInt8(t.authLevel & 0xff, 1);
  b.writeUInt8(t.authPadLength & 0xff, 2);
  b.writeUInt8(0, 3);
  if (littleEndian) b.writeUInt32LE(t.authContextId >>> 0, 4);
  else b.writeUInt32BE(t.authContextId >>> 0, 4);
  return b;
}

/** Where a PDU's verifier lies, checked: what both decoders below return. */
export interface FoundVerifier {
  trailer: SecTrailer;
  authValue: Buffer;
  /** Offset of the sec_trailer in the PDU. */
  trailerOffset: number;
  /** Where the body ends (the auth pad excluded). */
  bodyEnd: number;
}

/**
 * Finds the sec_trailer of a whole PDU whose header says `authLength` (non-zero): it starts at
 * frag_length - auth_length - 8, and neither it nor its pad may reach back before `bodyStart`.
 * A PDU that breaks either rule is reported through `fail` (each layer has its own error).
 */
export function findSecTrailer(pdu: Buffer, authLength: number, bodyStart: number, littleEndian: boolean, fail: (detail: string) => Error): FoundVerifier {
  const trailerOffset = pdu.length - authLength - SEC_TRAILER_SIZE;
  if (trailerOffset < bodyStart) {
    throw fail(`auth_length ${authLength} leaves no room for the sec_trailer in a ${pdu.length}-byte PDU (it would start at ${trailerOffset}, before the body at ${bodyStart})`);
  }
  const authPadLength = pdu.readUInt8(trailerOffset + 2);
  if (authPadLength > trailerOffset - bodyStart) {
    throw fail(`auth_pad_length ${authPadLength} exceeds the ${trailerOffset - bodyStart}-byte body and runs into the PDU header`);
  }
  return {
    trailer: {
      authType: pdu.readUInt8(trailerOffset),
      authLevel: pdu.readUInt8(trailerOffset + 1),
      authPadLength,
      authContextId: littleEndian ? pdu.readUInt32LE(trailerOffset + 4) : pdu.readUInt32BE(trailerOffset + 4),
    },
    authValue: Buffer.from(pdu.subarray(trailerOffset + SEC_TRAILER_SIZE)),
    trailerOffset,
    bodyEnd: trailerOffset - authPadLength,
  };
}

/** The pad, sec_trailer and auth_value to append after a body that ends at `headerAndBodyLength`. */
export function encodeAuthVerifier(spec: AuthVerifierSpec, headerAndBodyLength: number): Buffer {
  const pad = authPadFor(headerAndBodyLength, spec.alignTo ?? 4);
  return Buffer.concat([Buffer.alloc(pad), encodeSecTrailer({ ...spec, authPadLength: pad }), spec.authValue]);
}

/**
 * Splits a whole (little-endian) PDU whose header says `authLength` into the end of its body and its
 * verifier. Returns where the body ends (the auth pad excluded).
 */
export function decodeAuthVerifier(pdu: Buffer, authLength: number, bodyStart: number): { bodyEnd: number; verifier?: AuthVerifier } {
  if (authLength === 0) return { bodyEnd: pdu.length };
  const found = findSecTrailer(pdu, authLength, bodyStart, true, (detail) => new RpcProtocolError(detail));
  return { bodyEnd: found.bodyEnd, verifier: { ...found.trailer, authValue: found.authValue } };
}

/** Where auth_value starts in an encoded PDU: what a signing security context overwrites. */
export function authValueOffset(pdu: Buffer): number {
  if (pdu.length < HEADER_SIZE) throw new RpcProtocolError('a PDU shorter than its header');
  return pdu.length - pdu.readUInt16LE(10);
}
