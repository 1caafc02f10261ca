// The NTLM client ([MS-NLMP] 3.1.5.1): NEGOTIATE_MESSAGE out, CHALLENGE_MESSAGE in,
// AUTHENTICATE_MESSAGE out, NTLMv2 only and with extended session security. The result is an
// NtlmSession for signing and sealing.
import { randomBytesPooled } from '../crypto/random';
import type { Credentials } from '../core/credentials';
import { AuthError } from '../core/errors';
import { hmacMd5 } from '../crypto/hmac-md5';
import { rc4k } from '../crypto/rc4';
import { utf16 } from '../core/bytes';
import { type AvPair, MSV_AV_FLAG, MsvAv, decodeAvPairs, encodeAvPairs, findAv } from './av-pairs';
import { NTLMSSP, flagNames, hasFlag } from './flags';
import { lmv2Response, ntlmv2Response, ntlmv2Temp, ntowfv2, filetime } from './keys';
import { DEFAULT_VERSION, type Version, decodeChallenge, encodeAuthenticate, encodeNegotiate } from './messages';
import { NtlmSession } from './session';

export interface NtlmClientOptions {
  credentials: Credentials;
  /** Ask for signing (packet integrity and privacy). */
  integrity: boolean;
  /** Ask for sealing (packet privacy). */
  confidentiality: boolean;
  /** NbMachineName sent as Workstation. */
  workstation?: string;
  /**
   * MsvAvTargetName (the SPN of the server). Omitted: an empty MsvAvTargetName is sent, as
   * [MS-NLMP] 3.1.5.1.2 says when the application gives none; null: no MsvAvTargetName at all.
   */
  targetName?: string | null;
  /** Send MsvAvChannelBindings = Z(16) (no channel binding). Default true. */
  channelBindings?: boolean;
  /** VERSION to send; null sends none (and does not set NTLMSSP_NEGOTIATE_VERSION). */
  version?: Version | null;
  /** Test hooks: NONCE(n) and Currenttime (ms since the Unix epoch). */
  random?: (n: number) => Buffer;
  now?: () => number;
}

export interface NtlmClientResult {
  authenticate: Buffer;
  session: NtlmSession;
  /** Whether the AUTHENTICATE_MESSAGE carries a MIC (then SPNEGO must send a mechListMIC). */
  micSent: boolean;
}

const WHERE = 'NTLM CHALLENGE_MESSAGE';

export class NtlmClient {
  private negotiateMessage?: Buffer;
  private readonly random: (n: number) => Buffer;
  private readonly now: () => number;

  constructor(private readonly opts: NtlmClientOptions) {
    this.random = opts.random ?? randomBytesPooled;
    this.now = opts.now ?? Date.now;
  }

  /** The flags this client asks for ([MS-NLMP] 3.1.5.1.1 plus the application's choices). */
  get requestedFlags(): number {
    let f =
      NTLMSSP.NEGOTIATE_UNICODE |
      NTLMSSP.REQUEST_TARGET |
      NTLMSSP.NEGOTIATE_NTLM |
      NTLMSSP.NEGOTIATE_ALWAYS_SIGN |
      NTLMSSP.NEGOTIATE_EXTENDED_SESSIONSECURITY |
      NTLMSSP.NEGOTIATE_TARGET_INFO |
      NTLMSSP.NEGOTIATE_128 |
      NTLMSSP.NEGOTIATE_56 |
      NTLMSSP.NEGOTIATE_KEY_EXCH;
    if (this.opts.integrity || this.opts.confidentiality) f |= NTLMSSP.NEGOTIATE_SIGN;
    if (this.opts.confidentiality) f |= NTLMSSP.NEGOTIATE_SEAL;
    if (this.opts.version !== null) f |= NTLMSSP.NEGOTIATE_VERSION;
    return f >>> 0;
  }

  negotiate(): Buffer {
    this.negotiateMessage = encodeNegotiate({
      flags: this.requestedFlags,
      domainName: '',
      workstation: '',
      version: this.opts.version === null ? undefined : (this.opts.version ?? DEFAULT_VERSION),
    });
    return this.negotiateMessage;
  }

  /** Checks that the server's choices meet this client's policy ([MS-NLMP] 3.1.5.1.2, first paragraph). */
  private checkChallengeFlags(flags: number): void {
    const need: [number, string][] = [
      [NTLMSSP.NEGOTIATE_UNICODE, 'Unicode'],
      [NTLMSSP.NEGOTIATE_EXTENDED_SESSIONSECURITY, 'extended session security'],
    ];
    if (this.opts.integrity || this.opts.confidentiality) need.push([NTLMSSP.NEGOTIATE_SIGN, 'signing']);
    if (this.opts.confidentiality) need.push([NTLMSSP.NEGOTIATE_SEAL, 'sealing'], [NTLMSSP.NEGOTIATE_128, '128-bit keys']);
    for (const [bit, what] of need) {
      if (!hasFlag(flags, bit)) throw new AuthError('policy', WHERE, `server did not agree to ${what} (flags ${flagNames(flags)})`);
    }
  }

  authenticate(challengeMessage: Buffer): NtlmClientResult {
    if (!this.negotiateMessage) throw new AuthError('state', 'NTLM client', 'authenticate() before negotiate()');
    const challenge = decodeChallenge(challengeMessage);
    this.checkChallengeFlags(challenge.flags);
    const serverPairs = decodeAvPairs(challenge.targetInfo, `${WHERE} TargetInfo`);
    if (
      (this.opts.integrity || this.opts.confidentiality) &&
      (!findAv(serverPairs, MsvAv.NbComputerName) || !findAv(serverPairs, MsvAv.NbDomainName))
    ) {
      throw new AuthError('logon-failure', WHERE, 'TargetInfo lacks MsvAvNbComputerName or MsvAvNbDomainName');
    }

    const negFlags = (challenge.flags & this.requestedFlags) >>> 0;
    const timestamp = findAv(serverPairs, MsvAv.Timestamp);
    if (timestamp && timestamp.length !== 8) throw new AuthError('malformed', `${WHERE} TargetInfo`, 'MsvAvTimestamp is not 8 bytes');
    const time = timestamp ? Buffer.from(timestamp) : filetime(this.now());
    const clientChallenge = this.random(8);

    // The AV pairs the client returns: the server's, then MsvAvFlags (MIC present, when the server
    // sent a timestamp), channel bindings and target name ([MS-NLMP] 3.1.5.1.2).
    const pairs: AvPair[] = serverPairs.filter((p) => p.id !== MsvAv.Flags);
    const micSent = timestamp !== undefined;
    const serverAvFlags = findAv(serverPairs, MsvAv.Flags);
    let avFlags = serverAvFlags && serverAvFlags.length === 4 ? serverAvFlags.readUInt32LE(0) : 0;
    if (micSent) avFlags |= MSV_AV_FLAG.MIC_PRESENT;
    if (avFlags !== 0 || serverAvFlags) {
      const v = Buffer.alloc(4);
      v.writeUInt32LE(avFlags >>> 0, 0);
      pairs.push({ id: MsvAv.Flags, value: v });
    }
    if (this.opts.channelBindings !== false) pairs.push({ id: MsvAv.ChannelBindings, value: Buffer.alloc(16) });
    if (this.opts.targetName !== null) pairs.push({ id: MsvAv.TargetName, value: utf16(this.opts.targetName ?? '') });

    const { user, domain } = this.opts.credentials;
    const responseKey = ntowfv2(this.opts.credentials.password.reveal(), user, domain);
    const temp = ntlmv2Temp(time, clientChallenge, encodeAvPairs(pairs));
    const { ntChallengeResponse, sessionBaseKey } = ntlmv2Response(responseKey, challenge.serverChallenge, temp);
    // With a server timestamp the LM response SHOULD be Z(24) ([MS-NLMP] 3.1.5.1.2).
    const lmChallengeResponse = micSent ? Buffer.alloc(24) : lmv2Response(responseKey, challenge.serverChallenge, clientChallenge);

    // NTLMv2: KeyExchangeKey = SessionBaseKey (3.4.5.1).
    const keyExchangeKey = sessionBaseKey;
    let exportedSessionKey = keyExchangeKey;
    let encryptedRandomSessionKey: Buffer = Buffer.alloc(0);
    if (hasFlag(negFlags, NTLMSSP.NEGOTIATE_KEY_EXCH) && hasFlag(negFlags, NTLMSSP.NEGOTIATE_SIGN | NTLMSSP.NEGOTIATE_SEAL)) {
      exportedSessionKey = this.random(16);
      encryptedRandomSessionKey = rc4k(keyExchangeKey, exportedSessionKey);
    }

    const fields = {
      flags: negFlags,
      lmChallengeResponse,
      ntChallengeResponse,
      domainName: domain,
      userName: user,
      workstation: this.opts.workstation ?? '',
      encryptedRandomSessionKey,
      version: hasFlag(negFlags, NTLMSSP.NEGOTIATE_VERSION) ? (this.opts.version ?? DEFAULT_VERSION) : undefined,
    };
    let authenticate = encodeAuthenticate({ ...fields, mic: micSent ? Buffer.alloc(16) : undefined });
    if (micSent) {
      const mic = hmacMd5(exportedSessionKey, this.negotiateMessage, challengeMessage, authenticate);
      authenticate = encodeAuthenticate({ ...fields, mic });
    }
    return { authenticate, session: new NtlmSession(negFlags, exportedSessionKey, 'client'), micSent };
  }
}
