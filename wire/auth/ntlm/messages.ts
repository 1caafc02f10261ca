// The three NTLM messages ([MS-NLMP] 2.2.1): encoders that lay the payload out in the order Windows
// uses, and decoders for hostile input. A decoder checks the signature, the message type and every
// (length, offset) field against the message's end; anything else is left to the role that reads
// the message (which flags it requires, which fields must be present).
import { ByteReader, fromUtf16, sliceField, utf16 } from '../core/bytes';
import { malformed } from '../core/errors';
import { NTLMSSP, hasFlag } from './flags';

export const NTLMSSP_SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');
export const MessageType = { Negotiate: 1, Challenge: 2, Authenticate: 3 } as const;

/** The VERSION structure ([MS-NLMP] 2.2.2.10): debugging only, carried verbatim. */
export type Version = Buffer;

/** VERSION for Windows Server 2022 (10.0 build 20348), NTLMSSP_REVISION_W2K3. */
export const DEFAULT_VERSION: Version = Buffer.from([10, 0, 0x4c, 0x4f, 0, 0, 0, 0x0f]);

/** Longest message a decoder accepts: NTLM messages are a few hundred bytes; 64 KiB is generous. */
export const MAX_MESSAGE_LENGTH = 0xffff;

export interface NegotiateMessage {
  flags: number;
  domainName: string;
  workstation: string;
  version?: Version;
}

export interface ChallengeMessage {
  flags: number;
  targetName: Buffer;
  serverChallenge: Buffer;
  targetInfo: Buffer;
  version?: Version;
}

export interface AuthenticateMessage {
  flags: number;
  lmChallengeResponse: Buffer;
  ntChallengeResponse: Buffer;
  domainName: string;
  userName: string;
  workstation: string;
  encryptedRandomSessionKey: Buffer;
  version?: Version;
  /** The MIC field, when the layout has one (payload starts at or after offset 88). */
  mic?: Buffer;
}

interface Field {
  len: number;
  offset: number;
}

function readField(r: ByteReader, name: string): Field {
  const len = r.u16(`${name}Len`);
  r.u16(`${name}MaxLen`); // MUST be ignored on receipt
  const offset = r.u32(`${name}BufferOffset`);
  return { len, offset };
}

function readHeader(msg: Buffer, type: number, where: string): ByteReader {
  if (msg.length > MAX_MESSAGE_LENGTH) throw malformed(where, `message of ${msg.length} bytes is longer than ${MAX_MESSAGE_LENGTH}`);
  const r = new ByteReader(msg, where);
  if (!r.bytes(8, 'Signature').equals(NTLMSSP_SIGNATURE)) throw malformed(where, 'Signature is not "NTLMSSP\\0"');
  const t = r.u32('MessageType');
  if (t !== type) throw malformed(where, `MessageType is ${t}, expected ${type}`);
  return r;
}

/** Strings are Unicode when NTLMSSP_NEGOTIATE_UNICODE is set, else OEM (taken as Latin-1 here). */
function text(b: Buffer, flags: number, where: string, field: string): string {
  return hasFlag(flags, NTLMSSP.NEGOTIATE_UNICODE) ? fromUtf16(b, where, field) : b.toString('latin1');
}

function encodeText(s: string, flags: number): Buffer {
  return hasFlag(flags, NTLMSSP.NEGOTIATE_UNICODE) ? utf16(s) : Buffer.from(s, 'latin1');
}

/** Lays out header + payload, patching each (len, maxLen, offset) triple at its header position. */
class Layout {
  private readonly payload: Buffer[] = [];
  private cursor: number;
  constructor(private readonly header: Buffer) {
    this.cursor = header.length;
  }
  field(at: number, data: Buffer): void {
    if (data.length > 0xffff) throw new RangeError('NTLM payload field longer than 65535 bytes');
    this.header.writeUInt16LE(data.length, at);
    this.header.writeUInt16LE(data.length, at + 2);
    this.header.writeUInt32LE(this.cursor, at + 4);
    this.payload.push(data);
    this.cursor += data.length;
  }
  build(): Buffer {
    return Buffer.concat([this.header, ...this.payload]);
  }
}

function startHeader(size: number, type: number): Buffer {
  const h = Buffer.alloc(size);
  NTLMSSP_SIGNATURE.copy(h, 0);
  h.writeUInt32LE(type, 8);
  return h;
}

export function encodeNegotiate(m: NegotiateMessage): Buffer {
  const h = startHeader(40, MessageType.Negotiate);
  h.writeUInt32LE(m.flags >>> 0, 12);
  if (m.version) m.version.copy(h, 32);
  const l = new Layout(h);
  // NEGOTIATE_MESSAGE strings are always OEM ([MS-NLMP] 2.2).
  l.field(16, Buffer.from(m.domainName, 'latin1'));
  l.field(24, Buffer.from(m.workstation, 'latin1'));
  return l.build();
}

export function decodeNegotiate(msg: Buffer): NegotiateMessage {
  const where = 'NTLM NEGOTIATE_MESSAGE';
  const r = readHeader(msg, MessageType.Negotiate, where);
  const flags = r.u32('NegotiateFlags');
  let domainName = '';
  let workstation = '';
  let version: Version | undefined;
  // Early clients end the message after the flags or the two name fields: read what is there.
  if (r.remaining >= 16) {
    const d = readField(r, 'DomainName');
    const w = readField(r, 'Workstation');
    if (hasFlag(flags, NTLMSSP.NEGOTIATE_OEM_DOMAIN_SUPPLIED)) domainName = sliceField(msg, d.offset, d.len, where, 'DomainName').toString('latin1');
    if (hasFlag(flags, NTLMSSP.NEGOTIATE_OEM_WORKSTATION_SUPPLIED)) workstation = sliceField(msg, w.offset, w.len, where, 'Workstation').toString('latin1');
    if (hasFlag(flags, NTLMSSP.NEGOTIATE_VERSION) && r.remaining >= 8) version = Buffer.from(r.bytes(8, 'Version'));
  }
  return { flags, domainName, workstation, version };
}

export function encodeChallenge(m: ChallengeMessage): Buffer {
  const h = startHeader(56, MessageType.Challenge);
  h.writeUInt32LE(m.flags >>> 0, 20);
  if (m.serverChallenge.length !== 8) throw new RangeError('ServerChallenge must be 8 bytes');
  m.serverChallenge.copy(h, 24);
  if (m.version) m.version.copy(h, 48);
  const l = new Layout(h);
  l.field(12, m.targetName);
  l.field(40, m.targetInfo);
  return l.build();
}

export function decodeChallenge(msg: Buffer): ChallengeMessage {
  const where = 'NTLM CHALLENGE_MESSAGE';
  const r = readHeader(msg, MessageType.Challenge, where);
  const tn = readField(r, 'TargetName');
  const flags = r.u32('NegotiateFlags');
  const serverChallenge = Buffer.from(r.bytes(8, 'ServerChallenge'));
  let targetInfo = Buffer.alloc(0);
  let version: Version | undefined;
  if (r.remaining >= 16) {
    r.bytes(8, 'Reserved');
    const ti = readField(r, 'TargetInfo');
    if (hasFlag(flags, NTLMSSP.NEGOTIATE_TARGET_INFO)) targetInfo = Buffer.from(sliceField(msg, ti.offset, ti.len, where, 'TargetInfo'));
    if (hasFlag(flags, NTLMSSP.NEGOTIATE_VERSION) && r.remaining >= 8) version = Buffer.from(r.bytes(8, 'Version'));
  }
  // Without NTLMSSP_REQUEST_TARGET the fields MUST be ignored: then a lying pair is no error.
  let targetName = Buffer.alloc(0);
  if (hasFlag(flags, NTLMSSP.REQUEST_TARGET)) targetName = Buffer.from(sliceField(msg, tn.offset, tn.len, where, 'TargetName'));
  else if (tn.offset <= msg.length && tn.len <= msg.length - tn.offset) targetName = Buffer.from(msg.subarray(tn.offset, tn.offset + tn.len));
  return { flags, targetName, serverChallenge, targetInfo, version };
}

/** Offset of the MIC field in an AUTHENTICATE_MESSAGE, right after Version. */
export const MIC_OFFSET = 72;

export function encodeAuthenticate(m: AuthenticateMessage): Buffer {
  const size = m.mic ? 88 : 72;
  const h = startHeader(size, MessageType.Authenticate);
  h.writeUInt32LE(m.flags >>> 0, 60);
  if (m.version) m.version.copy(h, 64);
  if (m.mic) m.mic.copy(h, MIC_OFFSET);
  const l = new Layout(h);
  // Payload order as Windows writes it (and [MS-NLMP] 4.2.4.3 shows): names first, then responses.
  l.field(28, encodeText(m.domainName, m.flags));
  l.field(36, encodeText(m.userName, m.flags));
  l.field(44, encodeText(m.workstation, m.flags));
  l.field(12, m.lmChallengeResponse);
  l.field(20, m.ntChallengeResponse);
  l.field(52, m.encryptedRandomSessionKey);
  return l.build();
}

export function decodeAuthenticate(msg: Buffer): AuthenticateMessage {
  const where = 'NTLM AUTHENTICATE_MESSAGE';
  const r = readHeader(msg, MessageType.Authenticate, where);
  const lm = readField(r, 'LmChallengeResponse');
  const nt = readField(r, 'NtChallengeResponse');
  const dom = readField(r, 'DomainName');
  const usr = readField(r, 'UserName');
  const ws = readField(r, 'Workstation');
  const key = readField(r, 'EncryptedRandomSessionKey');
  const flags = r.u32('NegotiateFlags');
  // The payload may start anywhere after the fixed fields; Version and MIC exist only if it starts
  // after them (senders that omit them start the payload earlier).
  const used = [lm, nt, dom, usr, ws, key].filter((f) => f.len > 0).map((f) => f.offset);
  const payloadStart = used.length > 0 ? Math.min(...used) : msg.length;
  let version: Version | undefined;
  let mic: Buffer | undefined;
  if (payloadStart >= 72 && msg.length >= 72) version = Buffer.from(msg.subarray(64, 72));
  if (payloadStart >= 88 && msg.length >= 88) mic = Buffer.from(msg.subarray(MIC_OFFSET, MIC_OFFSET + 16));
  return {
    flags,
    lmChallengeResponse: Buffer.from(sliceField(msg, lm.offset, lm.len, where, 'LmChallengeResponse')),
    ntChallengeResponse: Buffer.from(sliceField(msg, nt.offset, nt.len, where, 'NtChallengeResponse')),
    domainName: text(sliceField(msg, dom.offset, dom.len, where, 'DomainName'), flags, where, 'DomainName'),
    userName: text(sliceField(msg, usr.offset, usr.len, where, 'UserName'), flags, where, 'UserName'),
    workstation: text(sliceField(msg, ws.offset, ws.len, where, 'Workstation'), flags, where, 'Workstation'),
    encryptedRandomSessionKey: Buffer.from(sliceField(msg, key.offset, key.len, where, 'EncryptedRandomSessionKey')),
    version,
    mic,
  };
}

/** A copy of an encoded AUTHENTICATE_MESSAGE with its MIC field zeroed, as the MIC is computed over. */
export function withZeroMic(msg: Buffer): Buffer {
  const copy = Buffer.from(msg);
  copy.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
  return copy;
}
