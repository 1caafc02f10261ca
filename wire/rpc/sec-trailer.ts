// The auth verifier at the end of a PDU ([MS-RPCE] 2.2.2.11, C706 13.2.6.1): auth padding, the 8-byte
// sec_trailer (auth_type, auth_level, auth_pad_length, auth_reserved, auth_context_id) and auth_value.
// This layer only places and finds it; what goes into auth_value (NTLM/SPNEGO tokens, signatures) and
// whether the stub is sealed is the business of a security context (wire/auth/).
import { RpcProtocolError } from './errors';
import { HEADER_SIZE } from './constants';

export const SEC_TRAILER_SIZE = 8;

export interface AuthVerifier {
  authType: number;
  authLevel: number;
  /** Bytes of padding between the body and the sec_trailer (decoded PDUs report what they carried). */
  authPadLength: number;
  authContextId: number;
  authValue: Buffer;
}

/** What a sender chooses; the pad length is computed from the body it pads. */
export type AuthVerifierSpec = Omit<AuthVerifier, 'authPadLength'> & {
  /** The boundary the sec_trailer starts on, counted from the start of the PDU: 16 for stubs ([MS-RPCE] 3.3.1.5.2), 4 otherwise. */
  alignTo?: number;
};

export function authPadFor(headerAndBodyLength: number, alignTo: number): number {
  return (alignTo - (headerAndBodyLength % alignTo)) % alignTo;
}

/** The pad, sec_trailer and auth_value to append after a body that ends at `headerAndBodyLength`. */
export function encodeAuthVerifier(spec: AuthVerifierSpec, headerAndBodyLength: number): Buffer {
  const pad = authPadFor(headerAndBodyLength, spec.alignTo ?? 4);
  const trailer = Buffer.alloc(pad + SEC_TRAILER_SIZE);
  const at = pad;
  trailer.writeUInt8(spec.authType & 0xff, at);
  trailer.writeUInt8(spec.authLevel & 0xff, at + 1);
  trailer.writeUInt8(pad, at + 2);
  trailer.writeUInt8(0, at + 3);
  trailer.writeUInt32LE(spec.authContextId >>> 0, at + 4);
  return Buffer.concat([trailer, spec.authValue]);
}

/**
 * Splits a whole PDU whose header says `authLength` into the end of its body and its verifier.
 * Returns where the body ends (the auth pad excluded).
 */
export function decodeAuthVerifier(pdu: Buffer, authLength: number, bodyStart: number): { bodyEnd: number; verifier?: AuthVerifier } {
  if (authLength === 0) return { bodyEnd: pdu.length };
  const trailerAt = pdu.length - authLength - SEC_TRAILER_SIZE;
  if (trailerAt < bodyStart) {
    throw new RpcProtocolError(`auth_length ${authLength} leaves no room for the sec_trailer in a ${pdu.length}-byte PDU`);
  }
  const authPadLength = pdu.readUInt8(trailerAt + 2);
  const bodyEnd = trailerAt - authPadLength;
  if (bodyEnd < bodyStart) throw new RpcProtocolError(`auth_pad_length ${authPadLength} runs into the PDU header`);
  return {
    bodyEnd,
    verifier: {
      authType: pdu.readUInt8(trailerAt),
      authLevel: pdu.readUInt8(trailerAt + 1),
      authPadLength,
      authContextId: pdu.readUInt32LE(trailerAt + 4),
      authValue: Buffer.from(pdu.subarray(trailerAt + SEC_TRAILER_SIZE)),
    },
  };
}

/** Where auth_value starts in an encoded PDU: what a signing security context overwrites. */
export function authValueOffset(pdu: Buffer): number {
  if (pdu.length < HEADER_SIZE) throw new RpcProtocolError('a PDU shorter than its header');
  return pdu.length - pdu.readUInt16LE(10);
}
