// The NTLM server ([MS-NLMP] 3.2.5.1): NEGOTIATE_MESSAGE in, CHALLENGE_MESSAGE out,
// AUTHENTICATE_MESSAGE in and checked against the one account this server is given (a local
// account: DOMAIN\NAME and its password). NTLMv2 with extended session security only; anything
// weaker is refused as the spec allows ("not strong enough for the server security policy").
import { timingSafeEqual } from 'node:crypto';
import { randomBytesPooled } from '../crypto/random';
import type { Credentials } from '../core/credentials';
import { AuthError } from '../core/errors';
import { hmacMd5 } from '../crypto/hmac-md5';
import { rc4k } from '../crypto/rc4';
import { utf16 } from '../core/bytes';
import { MSV_AV_FLAG, MsvAv, decodeAvPairs, encodeAvPairs, findAv, textAv } from './av-pairs';
import { NTLMSSP, flagNames, hasFlag } from './flags';
import { filetime, filetimeMs, ntowfv2, upcase } from './keys';
import {
  DEFAULT_VERSION,
  type AuthenticateMessage,
  type Version,
  decodeAuthenticate,
  decodeNegotiate,
  encodeChallenge,
  withZeroMic,
} from './messages';
import { NtlmSession } from './session';

export interface NtlmServerOptions {
  /** The account that may log on. */
  account: Credentials;
  /** Further accounts that may log on (the client's user name says which one it proves). */
  accounts?: readonly Credentials[];
  /** Require signing (packet integrity and privacy). */
  integrity: boolean;
  /** Require sealing (packet privacy). */
  confidentiality: boolean;
  /** NbMachineName; default "CMRP-SERVER". */
  nbComputerName?: string;
  /** NbDomainName; default the account's domain, or the machine name when that is empty. */
  nbDomainName?: string;
  dnsComputerName?: string;
  dnsDomainName?: string;
  /** VERSION to send when the client asks for it; null never sends one. */
  version?: Version | null;
  /**
   * MaxLifetime: refuse an NTLMv2 TimeStamp further than this from the server's clock ([MS-NLMP]
   * 3.2.5.1.2, a SHOULD). Default 36 hours, as Windows; null turns the check off.
   */
  maxLifetimeMs?: number | null;
  /** Test hooks: NONCE(n) and Currenttime (ms since the Unix epoch). */
  random?: (n: number) => Buffer;
  now?: () => number;
}

export interface NtlmAcceptResult {
  /** The names the client sent (as it spelled them). */
  peer: { domain: string; user: string };
  session: NtlmSession;
  /** Whether the client's AUTHENTICATE_MESSAGE carried a MIC (then SPNEGO requires a mechListMIC). */
  micPresent: boolean;
  /** Kept for interop tests that compare keys with another implementation; never log it. */
  exportedSessionKey: Buffer;
}

/** Flags this server can honour; anything else the client asks for is dropped from the answer. */
const SUPPORTED =
  NTLMSSP.NEGOTIATE_UNICODE |
  NTLMSSP.REQUEST_TARGET |
  NTLMSSP.NEGOTIATE_SIGN |
  NTLMSSP.NEGOTIATE_SEAL |
  NTLMSSP.NEGOTIATE_NTLM |
  NTLMSSP.NEGOTIATE_ALWAYS_SIGN |
  NTLMSSP.NEGOTIATE_EXTENDED_SESSIONSECURITY |
  NTLMSSP.NEGOTIATE_TARGET_INFO |
  NTLMSSP.NEGOTIATE_VERSION |
  NTLMSSP.NEGOTIATE_128 |
  NTLMSSP.NEGOTIATE_KEY_EXCH |
  NTLMSSP.NEGOTIATE_56;

const DEFAULT_MAX_LIFETIME_MS = 36 * 3600 * 1000;

export class NtlmServer {
  private negotiateMessage?: Buffer;
  private challengeMessage?: Buffer;
  private serverChallenge?: Buffer;
  private challengeFlags = 0;
  private readonly random: (n: number) => Buffer;
  private readonly now: () => number;

  constructor(private readonly opts: NtlmServerOptions) {
    this.random = opts.random ?? randomBytesPooled;
    this.now = opts.now ?? Date.now;
  }

  private get nbComputerName(): string {
    return this.opts.nbComputerName ?? 'CMRP-SERVER';
  }
  private get nbDomainName(): string {
    return this.opts.nbDomainName ?? (this.opts.account.domain || this.nbComputerName);
  }

  /** The flags a client must offer for this server's policy, with what each one is for. */
  private required(): [number, string][] {
    const need: [number, string][] = [
      [NTLMSSP.NEGOTIATE_UNICODE, 'Unicode'],
      [NTLMSSP.NEGOTIATE_EXTENDED_SESSIONSECURITY, 'extended session security'],
    ];
    if (this.opts.integrity || this.opts.confidentiality) need.push([NTLMSSP.NEGOTIATE_SIGN, 'signing']);
    if (this.opts.confidentiality) need.push([NTLMSSP.NEGOTIATE_SEAL, 'sealing'], [NTLMSSP.NEGOTIATE_128, '128-bit keys']);
    return need;
  }

  private checkPolicy(flags: number, where: string): void {
    for (const [bit, what] of this.required()) {
      if (!hasFlag(flags, bit)) throw new AuthError('policy', where, `client did not offer ${what} (flags ${flagNames(flags)})`);
    }
  }

  /** NEGOTIATE_MESSAGE in, CHALLENGE_MESSAGE out ([MS-NLMP] 3.2.5.1.1). */
  challenge(negotiateMessage: Buffer): Buffer {
    if (this.negotiateMessage) throw new AuthError('state', 'NTLM server', 'a second NEGOTIATE_MESSAGE on one context');
    const where = 'NTLM NEGOTIATE_MESSAGE';
    const negotiate = decodeNegotiate(negotiateMessage);
    this.checkPolicy(negotiate.flags, where);
    let flags =
      (negotiate.flags & SUPPORTED) |
      NTLMSSP.REQUEST_TARGET |
      NTLMSSP.NEGOTIATE_NTLM |
      NTLMSSP.NEGOTIATE_ALWAYS_SIGN |
      NTLMSSP.NEGOTIATE_TARGET_INFO;
    const domainJoined = this.nbDomainName.toUpperCase() !== this.nbComputerName.toUpperCase();
    flags |= domainJoined ? NTLMSSP.TARGET_TYPE_DOMAIN : NTLMSSP.TARGET_TYPE_SERVER;
    if (this.opts.version === null) flags &= ~NTLMSSP.NEGOTIATE_VERSION;
    flags >>>= 0;

    const pairs = [textAv(MsvAv.NbComputerName, this.nbComputerName), textAv(MsvAv.NbDomainName, this.nbDomainName)];
    if (this.opts.dnsComputerName) pairs.push(textAv(MsvAv.DnsComputerName, this.opts.dnsComputerName));
    if (this.opts.dnsDomainName) pairs.push(textAv(MsvAv.DnsDomainName, this.opts.dnsDomainName));
    pairs.push({ id: MsvAv.Timestamp, value: filetime(this.now()) });

    this.serverChallenge = this.random(8);
    this.challengeFlags = flags;
    this.negotiateMessage = Buffer.from(negotiateMessage);
    this.challengeMessage = encodeChallenge({
      flags,
      targetName: utf16(domainJoined ? this.nbDomainName : this.nbComputerName),
      serverChallenge: this.serverChallenge,
      targetInfo: encodeAvPairs(pairs),
      version: hasFlag(flags, NTLMSSP.NEGOTIATE_VERSION) ? (this.opts.version ?? DEFAULT_VERSION) : undefined,
    });
    return this.challengeMessage;
  }

  /** AUTHENTICATE_MESSAGE in: proves the account or throws ([MS-NLMP] 3.2.5.1.2). */
  authenticate(authenticateMessage: Buffer): NtlmAcceptResult {
    if (!this.negotiateMessage || !this.challengeMessage || !this.serverChallenge) {
      throw new AuthError('state', 'NTLM server', 'AUTHENTICATE_MESSAGE before NEGOTIATE_MESSAGE');
    }
    return acceptAuthenticate({
      negotiateMessage: this.negotiateMessage,
      challengeMessage: this.challengeMessage,
      serverChallenge: this.serverChallenge,
      challengeFlags: this.challengeFlags,
      authenticateMessage,
      account: this.opts.account,
      ...(this.opts.accounts ? { accounts: this.opts.accounts } : {}),
      required: this.required(),
      maxLifetimeMs: this.opts.maxLifetimeMs === undefined ? DEFAULT_MAX_LIFETIME_MS : this.opts.maxLifetimeMs,
      now: this.now(),
    });
  }
}

export interface AcceptInput {
  negotiateMessage: Buffer;
  challengeMessage: Buffer;
  serverChallenge: Buffer;
  challengeFlags: number;
  authenticateMessage: Buffer;
  account: Credentials;
  /** Further accounts that may log on: the one whose user name the client sent is checked. */
  accounts?: readonly Credentials[];
  /** Flags the negotiated set must still hold, with what each is for. */
  required: [number, string][];
  maxLifetimeMs: number | null;
  now: number;
}

const WHERE = 'NTLM AUTHENTICATE_MESSAGE';

function logonFailure(detail: string): AuthError {
  return new AuthError('logon-failure', WHERE, detail);
}

/** Parsed NTLMv2_RESPONSE ([MS-NLMP] 2.2.2.8). */
function splitNtlmv2(auth: AuthenticateMessage): { ntProofStr: Buffer; temp: Buffer; timestamp: Buffer; avFlags: number } {
  const nt = auth.ntChallengeResponse;
  // 16 (NTProofStr) + 28 (NTLMv2_CLIENT_CHALLENGE fixed part) + 4 (MsvAvEOL) at least.
  if (nt.length < 48) throw new AuthError('malformed', WHERE, `NtChallengeResponse of ${nt.length} bytes is too short for NTLMv2`);
  const ntProofStr = nt.subarray(0, 16);
  const temp = nt.subarray(16);
  if (temp[0] !== 1 || temp[1] !== 1) throw new AuthError('malformed', WHERE, `NTLMv2 RespType/HiRespType are ${temp[0]}/${temp[1]}, expected 1/1`);
  const pairs = decodeAvPairs(temp.subarray(28), `${WHERE} NTLMv2_CLIENT_CHALLENGE AvPairs`);
  const f = findAv(pairs, MsvAv.Flags);
  return { ntProofStr, temp, timestamp: temp.subarray(8, 16), avFlags: f && f.length >= 4 ? f.readUInt32LE(0) : 0 };
}

/**
 * The server's check of an AUTHENTICATE_MESSAGE as a pure function of the exchange, so it can be
 * run on [MS-NLMP] 4.2.4's example messages.
 */
export function acceptAuthenticate(input: AcceptInput): NtlmAcceptResult {
  const auth = decodeAuthenticate(input.authenticateMessage);
  const negFlags = (input.challengeFlags & auth.flags) >>> 0;
  for (const [bit, what] of input.required) {
    if (!hasFlag(negFlags, bit)) throw new AuthError('policy', WHERE, `client dropped ${what} (flags ${flagNames(auth.flags)})`);
  }
  if (auth.userName === '' && auth.ntChallengeResponse.length === 0) throw logonFailure('anonymous logon is not accepted');
  if (auth.ntChallengeResponse.length <= 24) throw new AuthError('policy', WHERE, 'NTLMv1 responses are not accepted');

  const account = (input.accounts ?? []).find((a) => upcase(a.user) === upcase(auth.userName)) ?? input.account;
  // User names are case-insensitive ([MS-NLMP] 3.2.5.1.2 note); so are domain names. An empty
  // domain is the "incorrectly NIL UserDom" case the spec asks servers to support.
  if (upcase(auth.userName) !== upcase(account.user)) throw logonFailure('user name does not match the served account');
  if (auth.domainName !== '' && upcase(auth.domainName) !== upcase(account.domain)) {
    throw logonFailure('domain name does not match the served account');
  }

  const { ntProofStr, temp, timestamp, avFlags } = splitNtlmv2(auth);
  const password = account.password.reveal();
  // ResponseKeyNT as the client computed it: from the domain it sent, then with NIL for the domain.
  let sessionBaseKey: Buffer | undefined;
  for (const domain of auth.domainName === '' ? [''] : [auth.domainName, '']) {
    const key = ntowfv2(password, account.user, domain);
    const expected = hmacMd5(key, input.serverChallenge, temp);
    if (timingSafeEqual(expected, ntProofStr)) {
      sessionBaseKey = hmacMd5(key, ntProofStr);
      break;
    }
  }
  if (!sessionBaseKey) throw logonFailure('NTProofStr does not match the served account');

  const keyExchangeKey = sessionBaseKey;
  let exportedSessionKey = keyExchangeKey;
  if (hasFlag(negFlags, NTLMSSP.NEGOTIATE_KEY_EXCH) && hasFlag(negFlags, NTLMSSP.NEGOTIATE_SIGN | NTLMSSP.NEGOTIATE_SEAL)) {
    if (auth.encryptedRandomSessionKey.length !== 16) {
      throw new AuthError('malformed', WHERE, `EncryptedRandomSessionKey is ${auth.encryptedRandomSessionKey.length} bytes, expected 16`);
    }
    exportedSessionKey = rc4k(keyExchangeKey, auth.encryptedRandomSessionKey);
  }

  const micPresent = (avFlags & MSV_AV_FLAG.MIC_PRESENT) !== 0;
  if (micPresent) {
    if (!auth.mic) throw logonFailure('MsvAvFlags announces a MIC but the message has no MIC field');
    const mic = hmacMd5(exportedSessionKey, input.negotiateMessage, input.challengeMessage, withZeroMic(input.authenticateMessage));
    if (!timingSafeEqual(mic, auth.mic)) throw logonFailure('MIC does not match the exchanged messages');
  }

  if (input.maxLifetimeMs !== null) {
    const skew = Math.abs(filetimeMs(timestamp) - input.now);
    if (skew > input.maxLifetimeMs) throw logonFailure(`NTLMv2 TimeStamp is ${Math.round(skew / 1000)} s from the server's clock`);
  }

  return {
    peer: { domain: auth.domainName, user: auth.userName },
    session: new NtlmSession(negFlags, exportedSessionKey, 'server'),
    micPresent,
    exportedSessionKey,
  };
}
