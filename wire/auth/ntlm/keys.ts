// NTLMv2 response and key computations ([MS-NLMP] 3.3.2, 3.4.5), as pure functions of their inputs
// so each one can be checked against the spec's worked example (section 4.2.4).
import { md4 } from '../crypto/md4';
import { hmacMd5, md5 } from '../crypto/hmac-md5';
import { utf16 } from '../core/bytes';
import { NTLMSSP, hasFlag } from './flags';

/**
 * UpperCase(string) as Windows applies it to user names: code unit by code unit, keeping a
 * character whose upper case is longer than one unit (JavaScript's "ß" -> "SS" is not what Windows
 * does, and the length of the name must not change).
 */
export function upcase(s: string): string {
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    out += up.length === ch.length ? up : ch;
  }
  return out;
}

/** NTOWFv1 = MD4(UNICODE(Passwd)): the NT hash that NTOWFv2 is keyed with. */
export function ntowfv1(password: string): Buffer {
  return md4(utf16(password));
}

/** NTOWFv2(Passwd, User, UserDom) = HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(Uppercase(User) || UserDom)). */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  return hmacMd5(ntowfv1(password), utf16(upcase(user) + domain));
}

/**
 * temp of [MS-NLMP] 3.3.2: Responserversion, HiResponserversion, Z(6), Time, ClientChallenge, Z(4),
 * ServerName (the encoded AV_PAIR list), Z(4). It is the NTLMv2_CLIENT_CHALLENGE (2.2.2.7) plus a
 * trailing Z(4).
 */
export function ntlmv2Temp(time: Buffer, clientChallenge: Buffer, avPairs: Buffer): Buffer {
  const head = Buffer.alloc(28);
  head[0] = 1;
  head[1] = 1;
  time.copy(head, 8);
  clientChallenge.copy(head, 16);
  return Buffer.concat([head, avPairs, Buffer.alloc(4)]);
}

export interface Ntlmv2Response {
  ntProofStr: Buffer;
  ntChallengeResponse: Buffer;
  sessionBaseKey: Buffer;
}

/** NTProofStr = HMAC_MD5(ResponseKeyNT, ServerChallenge || temp); SessionBaseKey = HMAC_MD5(ResponseKeyNT, NTProofStr). */
export function ntlmv2Response(responseKeyNT: Buffer, serverChallenge: Buffer, temp: Buffer): Ntlmv2Response {
  const ntProofStr = hmacMd5(responseKeyNT, serverChallenge, temp);
  return { ntProofStr, ntChallengeResponse: Buffer.concat([ntProofStr, temp]), sessionBaseKey: hmacMd5(responseKeyNT, ntProofStr) };
}

/** LMv2 response: HMAC_MD5(ResponseKeyLM, ServerChallenge || ClientChallenge) || ClientChallenge. */
export function lmv2Response(responseKeyLM: Buffer, serverChallenge: Buffer, clientChallenge: Buffer): Buffer {
  return Buffer.concat([hmacMd5(responseKeyLM, serverChallenge, clientChallenge), clientChallenge]);
}

export type Mode = 'Client' | 'Server';

const SIGN_MAGIC: Record<Mode, Buffer> = {
  Client: Buffer.from('session key to client-to-server signing key magic constant\0', 'latin1'),
  Server: Buffer.from('session key to server-to-client signing key magic constant\0', 'latin1'),
};
const SEAL_MAGIC: Record<Mode, Buffer> = {
  Client: Buffer.from('session key to client-to-server sealing key magic constant\0', 'latin1'),
  Server: Buffer.from('session key to server-to-client sealing key magic constant\0', 'latin1'),
};

/** SIGNKEY with extended session security ([MS-NLMP] 3.4.5.2). */
export function signKey(exportedSessionKey: Buffer, mode: Mode): Buffer {
  return md5(exportedSessionKey, SIGN_MAGIC[mode]);
}

/** SEALKEY with extended session security ([MS-NLMP] 3.4.5.3): 128, 56 or 40 bits of the key, hashed. */
export function sealKey(flags: number, exportedSessionKey: Buffer, mode: Mode): Buffer {
  const cut = hasFlag(flags, NTLMSSP.NEGOTIATE_128) ? 16 : hasFlag(flags, NTLMSSP.NEGOTIATE_56) ? 7 : 5;
  return md5(exportedSessionKey.subarray(0, cut), SEAL_MAGIC[mode]);
}

/** 100-ns ticks between 1601-01-01 and 1970-01-01. */
const EPOCH_DIFF = 116444736000000000n;

/** A FILETIME (8 bytes little-endian) for a time in milliseconds since the Unix epoch. */
export function filetime(ms: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(Math.floor(ms)) * 10000n + EPOCH_DIFF);
  return b;
}

/** Milliseconds since the Unix epoch of a FILETIME. */
export function filetimeMs(ft: Buffer): number {
  return Number((ft.readBigUInt64LE(0) - EPOCH_DIFF) / 10000n);
}
