// SPNEGO tokens (RFC 4178 section 4.2, [MS-SPNG] 2.2): NegTokenInit (with the GSS-API
// InitialContextToken framing of RFC 2743 3.1 around the first token) and NegTokenResp.
import { AuthError, malformed } from '../core/errors';
import { DerReader, MAX_TOKEN_LENGTH, TAG, type Tlv, ctx, decodeOid, encodeOid, tlv } from './der';

export const OID = {
  SPNEGO: '1.3.6.1.5.5.2',
  /** [MS-NLMP] 1.9: the NTLMSSP mechanism. */
  NTLMSSP: '1.3.6.1.4.1.311.2.2.10',
} as const;

export const NegState = {
  ACCEPT_COMPLETED: 0,
  ACCEPT_INCOMPLETE: 1,
  REJECT: 2,
  REQUEST_MIC: 3,
} as const;

export interface NegTokenInit {
  mechTypes: string[];
  /** The DER of the MechTypeList as sent: the mechListMIC is computed over exactly these bytes. */
  mechTypesDer: Buffer;
  mechToken?: Buffer;
  mechListMIC?: Buffer;
}

export interface NegTokenResp {
  negState?: number;
  supportedMech?: string;
  responseToken?: Buffer;
  mechListMIC?: Buffer;
}

export type NegotiationToken = { kind: 'init'; init: NegTokenInit } | { kind: 'resp'; resp: NegTokenResp };

/** At most this many mechanisms in a list: Windows offers four or five. */
const MAX_MECHS = 32;

export function encodeMechTypes(mechTypes: readonly string[]): Buffer {
  return tlv(TAG.SEQUENCE, ...mechTypes.map(encodeOid));
}

/** The first token of a context: InitialContextToken { thisMech SPNEGO, [0] NegTokenInit }. */
export function encodeInitialToken(init: { mechTypes: readonly string[]; mechToken?: Buffer; mechListMIC?: Buffer }): Buffer {
  const fields = [tlv(ctx(0), encodeMechTypes(init.mechTypes))];
  if (init.mechToken) fields.push(tlv(ctx(2), tlv(TAG.OCTET_STRING, init.mechToken)));
  if (init.mechListMIC) fields.push(tlv(ctx(3), tlv(TAG.OCTET_STRING, init.mechListMIC)));
  return tlv(TAG.APPLICATION_0, encodeOid(OID.SPNEGO), tlv(ctx(0), tlv(TAG.SEQUENCE, ...fields)));
}

export function encodeNegTokenResp(resp: NegTokenResp): Buffer {
  const fields: Buffer[] = [];
  if (resp.negState !== undefined) fields.push(tlv(ctx(0), tlv(TAG.ENUMERATED, Buffer.from([resp.negState]))));
  if (resp.supportedMech) fields.push(tlv(ctx(1), encodeOid(resp.supportedMech)));
  if (resp.responseToken) fields.push(tlv(ctx(2), tlv(TAG.OCTET_STRING, resp.responseToken)));
  if (resp.mechListMIC) fields.push(tlv(ctx(3), tlv(TAG.OCTET_STRING, resp.mechListMIC)));
  return tlv(ctx(1), tlv(TAG.SEQUENCE, ...fields));
}

/** Reads a SEQUENCE of context-tagged fields, each tag at most once, unknown tags skipped. */
function fields(r: DerReader, seq: Tlv, where: string): Map<number, { r: DerReader; t: Tlv }> {
  const inner = r.inner(seq);
  const out = new Map<number, { r: DerReader; t: Tlv }>();
  while (!inner.done) {
    const t = inner.next();
    if (t.tag < 0xa0 || t.tag > 0xbe) throw malformed(where, `field with tag 0x${t.tag.toString(16)} is not context-specific`);
    if (out.has(t.tag)) throw malformed(where, `field [${t.tag - 0xa0}] appears twice`);
    out.set(t.tag, { r: inner, t });
  }
  return out;
}

function single(f: { r: DerReader; t: Tlv } | undefined, tag: number, what: string): Tlv | undefined {
  if (!f) return undefined;
  const r = f.r.inner(f.t);
  const t = r.expect(tag, what);
  if (!r.done) throw malformed('SPNEGO token', `${what}: trailing bytes`);
  return t;
}

function decodeInit(r: DerReader, seq: Tlv, where: string): NegTokenInit {
  const f = fields(r, seq, where);
  const mt = f.get(ctx(0));
  if (!mt) throw malformed(where, 'mechTypes is missing');
  const list = single(mt, TAG.SEQUENCE, 'mechTypes')!;
  const lr = mt.r.inner(mt.t).inner(list);
  const mechTypes: string[] = [];
  while (!lr.done) {
    if (mechTypes.length >= MAX_MECHS) throw malformed(where, `more than ${MAX_MECHS} mechTypes`);
    mechTypes.push(decodeOid(lr.expect(TAG.OID, 'mechType').value, where));
  }
  const init: NegTokenInit = { mechTypes, mechTypesDer: Buffer.from(list.raw) };
  const tok = single(f.get(ctx(2)), TAG.OCTET_STRING, 'mechToken');
  if (tok) init.mechToken = Buffer.from(tok.value);
  // [3] is mechListMIC in RFC 4178's NegTokenInit and negHints (a SEQUENCE) in [MS-SPNG]'s
  // NegTokenInit2, where the MIC moves to [4].
  const f3 = f.get(ctx(3));
  if (f3 && f3.r.inner(f3.t).peekTag() === TAG.OCTET_STRING) init.mechListMIC = Buffer.from(single(f3, TAG.OCTET_STRING, 'mechListMIC')!.value);
  const f4 = single(f.get(ctx(4)), TAG.OCTET_STRING, 'mechListMIC');
  if (f4) init.mechListMIC = Buffer.from(f4.value);
  return init;
}

function decodeResp(r: DerReader, seq: Tlv, where: string): NegTokenResp {
  const f = fields(r, seq, where);
  const resp: NegTokenResp = {};
  const state = single(f.get(ctx(0)), TAG.ENUMERATED, 'negState');
  if (state) {
    if (state.value.length !== 1 || state.value[0] > 3) throw malformed(where, 'negState is not one of 0..3');
    resp.negState = state.value[0];
  }
  const mech = single(f.get(ctx(1)), TAG.OID, 'supportedMech');
  if (mech) resp.supportedMech = decodeOid(mech.value, where);
  const tok = single(f.get(ctx(2)), TAG.OCTET_STRING, 'responseToken');
  if (tok) resp.responseToken = Buffer.from(tok.value);
  const mic = single(f.get(ctx(3)), TAG.OCTET_STRING, 'mechListMIC');
  if (mic) resp.mechListMIC = Buffer.from(mic.value);
  return resp;
}

/**
 * Decodes any SPNEGO token: an InitialContextToken (0x60) holding a NegTokenInit, a bare
 * NegTokenInit ([0]) or a NegTokenResp ([1]). Trailing bytes after the token are an error.
 */
export function decodeNegotiationToken(token: Buffer): NegotiationToken {
  const where = 'SPNEGO token';
  if (token.length > MAX_TOKEN_LENGTH) throw malformed(where, `token of ${token.length} bytes is longer than ${MAX_TOKEN_LENGTH}`);
  const top = new DerReader(token, where);
  let outer = top.next();
  if (!top.done) throw malformed(where, 'trailing bytes after the token');
  let r = top;
  if (outer.tag === TAG.APPLICATION_0) {
    r = top.inner(outer);
    const mech = decodeOid(r.expect(TAG.OID, 'thisMech').value, where);
    if (mech !== OID.SPNEGO) throw new AuthError('policy', where, `InitialContextToken is for mechanism ${mech}, not SPNEGO`);
    outer = r.next();
    if (!r.done) throw malformed(where, 'trailing bytes in the InitialContextToken');
    if (outer.tag !== ctx(0)) throw malformed(where, 'InitialContextToken does not hold a NegTokenInit');
  }
  const inner = r.inner(outer);
  const seq = inner.expect(TAG.SEQUENCE, outer.tag === ctx(0) ? 'NegTokenInit' : 'NegTokenResp');
  if (!inner.done) throw malformed(where, 'trailing bytes after the SEQUENCE');
  if (outer.tag === ctx(0)) return { kind: 'init', init: decodeInit(inner, seq, 'SPNEGO NegTokenInit') };
  if (outer.tag === ctx(1)) return { kind: 'resp', resp: decodeResp(inner, seq, 'SPNEGO NegTokenResp') };
  throw malformed(where, `token starts with tag 0x${outer.tag.toString(16)}, not a NegotiationToken`);
}
