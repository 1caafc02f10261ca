// Per-PDU protection of request and response PDUs ([MS-RPCE] 3.3.1.5.2, C706 13.2.6) with an NTLM
// session with extended session security. Signed: every byte before the auth_value, header and
// sec_trailer included (NTLMv2 checksums all buffers, [MS-NLMP] 3.4.6.1, whether or not
// PFC_SUPPORT_HEADER_SIGN was negotiated). Sealed: the body and its pad octets are encrypted, and
// the signature covers the same bytes as above with the body in clear.
import { AuthError } from '../core/errors';
import type { NtlmSession } from '../ntlm/session';
import {
  AUTH_LEVEL_NAMES,
  NTLM_VERIFIER_LENGTH,
  PTYPE,
  RPC_C_AUTHN_LEVEL,
  SEC_TRAILER_LENGTH,
  STUB_PAD_ALIGNMENT,
} from './constants';
import { authPadFor, encodeSecTrailer } from '../../rpc/sec-trailer';
import { bodyOffset, patchLengths, readAuthVerifier, readCommonHeader } from './pdu';

export interface VerifierParams {
  authType: number;
  authLevel: number;
  contextId: number;
}

function ptypeName(ptype: number): string {
  return ptype === PTYPE.request ? 'request' : ptype === PTYPE.response ? 'response' : ptype === PTYPE.fault ? 'fault' : `PTYPE ${ptype}`;
}

/**
 * Adds the auth verifier to an outgoing request or response fragment built without one, signing
 * (integrity) or sealing (privacy) it. At connect level the PDU goes out unchanged.
 */
export function protectPdu(session: NtlmSession, pdu: Buffer, p: VerifierParams): Buffer {
  if (p.authLevel === RPC_C_AUTHN_LEVEL.CONNECT) return pdu;
  const h = readCommonHeader(pdu);
  const where = `outgoing ${ptypeName(h.ptype)} PDU`;
  if (h.ptype !== PTYPE.request && h.ptype !== PTYPE.response) throw new AuthError('state', where, 'only request and response PDUs are protected');
  if (h.authLength !== 0) throw new AuthError('state', where, 'the PDU already carries an auth verifier');
  const start = bodyOffset(h);
  if (pdu.length < start) throw new AuthError('malformed', where, `${pdu.length} bytes is shorter than its ${start}-byte header`);
  const body = pdu.subarray(start);
  const pad = authPadFor(body.length, STUB_PAD_ALIGNMENT);
  const paddedBody = Buffer.concat([body, Buffer.alloc(pad)]);
  const trailer = encodeSecTrailer({ authType: p.authType, authLevel: p.authLevel, authPadLength: pad, authContextId: p.contextId }, h.littleEndian);
  const out = Buffer.concat([pdu.subarray(0, start), paddedBody, trailer, Buffer.alloc(NTLM_VERIFIER_LENGTH)]);
  patchLengths(out, h, out.length, NTLM_VERIFIER_LENGTH);
  // sign() and seal() read `signed` before they return, and `out` changes only after: no copy needed.
  const signed = out.subarray(0, out.length - NTLM_VERIFIER_LENGTH);
  let signature: Buffer;
  if (p.authLevel === RPC_C_AUTHN_LEVEL.PKT_INTEGRITY) {
    signature = session.sign(signed);
  } else if (p.authLevel === RPC_C_AUTHN_LEVEL.PKT_PRIVACY) {
    const r = session.seal(paddedBody, signed);
    r.sealed.copy(out, start);
    signature = r.signature;
  } else {
    throw new AuthError('policy', where, `auth level ${p.authLevel} is not supported`);
  }
  signature.copy(out, out.length - NTLM_VERIFIER_LENGTH);
  return out;
}

/**
 * Checks and removes the auth verifier of an incoming request or response fragment: returns the
 * fragment as if it had been sent without authentication (body in clear, no pad, auth_length 0).
 * Throws AuthError when the verifier is missing at integrity or privacy, names another context or
 * level, or fails verification. A fault PDU's verifier is removed unchecked: the call has ended.
 */
export function unprotectPdu(session: NtlmSession, pdu: Buffer, p: VerifierParams): Buffer {
  const h = readCommonHeader(pdu);
  const where = `incoming ${ptypeName(h.ptype)} PDU`;
  const v = readAuthVerifier(pdu, where);
  const strip = (body: Buffer, bodyEnd: number): Buffer => {
    const out = Buffer.concat([pdu.subarray(0, bodyOffset(h)), body.subarray(0, bodyEnd)]);
    patchLengths(out, h, out.length, 0);
    return out;
  };
  if (h.ptype === PTYPE.fault || p.authLevel === RPC_C_AUTHN_LEVEL.CONNECT) {
    if (!v) return pdu;
    const start = bodyOffset(h);
    const body = pdu.subarray(start, v.trailerOffset);
    return strip(body, body.length - v.trailer.authPadLength);
  }
  if (h.ptype !== PTYPE.request && h.ptype !== PTYPE.response) throw new AuthError('state', where, 'only request and response PDUs are verified');
  if (!v) {
    throw new AuthError('policy', where, `no auth verifier on a connection at level ${AUTH_LEVEL_NAMES[p.authLevel] ?? p.authLevel}`);
  }
  const t = v.trailer;
  if (t.authLevel !== p.authLevel) {
    throw new AuthError('policy', where, `auth_level ${AUTH_LEVEL_NAMES[t.authLevel] ?? t.authLevel} differs from the context's ${AUTH_LEVEL_NAMES[p.authLevel]}`);
  }
  if (t.authType !== p.authType) throw new AuthError('malformed', where, `auth_type ${t.authType} differs from the context's ${p.authType}`);
  if (t.authContextId !== p.contextId) throw new AuthError('malformed', where, `auth_context_id ${t.authContextId} names no context on this connection`);
  if (v.authValue.length !== NTLM_VERIFIER_LENGTH) {
    throw new AuthError('malformed', where, `auth_length ${v.authValue.length}, expected ${NTLM_VERIFIER_LENGTH}`);
  }
  const start = bodyOffset(h);
  const signedEnd = v.trailerOffset + SEC_TRAILER_LENGTH;
  const body = pdu.subarray(start, v.trailerOffset);
  const bodyEnd = body.length - t.authPadLength;
  if (p.authLevel === RPC_C_AUTHN_LEVEL.PKT_INTEGRITY) {
    session.verify(pdu.subarray(0, signedEnd), v.authValue, `${where} verifier`);
    return strip(body, bodyEnd);
  }
  if (p.authLevel === RPC_C_AUTHN_LEVEL.PKT_PRIVACY) {
    // unseal() decrypts into a buffer of its own: the PDU is left as it came.
    const plain = session.unseal(
      body,
      v.authValue,
      (clear) => Buffer.concat([pdu.subarray(0, start), clear, pdu.subarray(v.trailerOffset, signedEnd)]),
      `${where} verifier`,
    );
    return strip(plain, bodyEnd);
  }
  throw new AuthError('policy', where, `auth level ${p.authLevel} is not supported`);
}
