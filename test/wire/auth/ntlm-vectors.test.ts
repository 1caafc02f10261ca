// [MS-NLMP] 4.2.4 (NTLMv2 authentication) and 4.2.3.4 (extended session security without key
// exchange): every published value, the two example messages byte for byte, and both roles run
// on them (the client reproduces the responses; the server accepts the example AUTHENTICATE).
import { credentials } from '../../../wire/auth/core/credentials';
import { MsvAv, decodeAvPairs, encodeAvPairs, textAv } from '../../../wire/auth/ntlm/av-pairs';
import { NtlmClient } from '../../../wire/auth/ntlm/client';
import { NTLMSSP } from '../../../wire/auth/ntlm/flags';
import { lmv2Response, ntlmv2Response, ntlmv2Temp, ntowfv1, ntowfv2, sealKey, signKey } from '../../../wire/auth/ntlm/keys';
import {
  decodeAuthenticate,
  decodeChallenge,
  encodeAuthenticate,
  encodeChallenge,
  encodeNegotiate,
} from '../../../wire/auth/ntlm/messages';
import { acceptAuthenticate } from '../../../wire/auth/ntlm/server';
import { NtlmSession } from '../../../wire/auth/ntlm/session';
import { rc4k } from '../../../wire/auth/crypto/rc4';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// 4.2.1 common values
const USER = 'User';
const DOMAIN = 'Domain';
const PASSWORD = 'Password';
const RANDOM_SESSION_KEY = Buffer.alloc(16, 0x55);
const TIME = Buffer.alloc(8);
const CLIENT_CHALLENGE = Buffer.alloc(8, 0xaa);
const SERVER_CHALLENGE = hex('0123456789abcdef');
const PLAINTEXT = Buffer.from('Plaintext', 'utf16le');

// 4.2.4.3
const CHALLENGE_4243 = hex(`
  4e544c4d53535000 02000000 0c000c00 38000000 33828ae2 0123456789abcdef 0000000000000000
  24002400 44000000 060070170000000f
  530065007200760065007200 02000c00 44006f006d00610069006e00 01000c00 530065007200760065007200 00000000`);
const AUTHENTICATE_4243 = hex(`
  4e544c4d53535000 03000000 18001800 6c000000 54005400 84000000 0c000c00 48000000
  08000800 54000000 10001000 5c000000 10001000 d8000000 358288e2 0501280a0000000f
  44006f006d00610069006e00 5500730065007200 43004f004d0050005500540045005200
  86c35097ac9cec102554764a57cccc19 aaaaaaaaaaaaaaaa
  68cd0ab851e51c96aabc927bebef6a1c 0101000000000000 0000000000000000 aaaaaaaaaaaaaaaa 00000000
  02000c00 44006f006d00610069006e00 01000c00 530065007200760065007200 00000000 00000000
  c5dad2544fc9799094ce1ce90bc9d03e`);
const AV_PAIRS_4243 = encodeAvPairs([textAv(MsvAv.NbDomainName, 'Domain'), textAv(MsvAv.NbComputerName, 'Server')]);

describe('[MS-NLMP] 4.2.4 NTLMv2 calculations', () => {
  const responseKey = ntowfv2(PASSWORD, USER, DOMAIN);
  const temp = ntlmv2Temp(TIME, CLIENT_CHALLENGE, AV_PAIRS_4243);
  const resp = ntlmv2Response(responseKey, SERVER_CHALLENGE, temp);

  it('NTOWFv1 (4.2.2.1.2) and NTOWFv2 (4.2.4.1.1)', () => {
    expect(ntowfv1(PASSWORD).toString('hex')).toBe('a4f49c406510bdcab6824ee7c30fd852');
    expect(responseKey.toString('hex')).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
  });
  it('temp (4.2.4.1.3)', () => {
    expect(temp).toEqual(
      hex(`0101000000000000 0000000000000000 aaaaaaaaaaaaaaaa 00000000
           02000c00 44006f006d00610069006e00 01000c00 530065007200760065007200 00000000 00000000`),
    );
  });
  it('session base key (4.2.4.1.2), NTProofStr (4.2.4.2.2), LMv2 response (4.2.4.2.1)', () => {
    expect(resp.sessionBaseKey.toString('hex')).toBe('8de40ccadbc14a82f15cb0ad0de95ca3');
    expect(resp.ntProofStr.toString('hex')).toBe('68cd0ab851e51c96aabc927bebef6a1c');
    expect(lmv2Response(responseKey, SERVER_CHALLENGE, CLIENT_CHALLENGE).toString('hex')).toBe(
      '86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa',
    );
  });
  it('encrypted session key (4.2.4.2.3): RC4K(KeyExchangeKey = SessionBaseKey, RandomSessionKey)', () => {
    expect(rc4k(resp.sessionBaseKey, RANDOM_SESSION_KEY).toString('hex')).toBe('c5dad2544fc9799094ce1ce90bc9d03e');
  });
  it('sealing and signing keys (4.2.4.4)', () => {
    expect(sealKey(0xe28a8233, RANDOM_SESSION_KEY, 'Client').toString('hex')).toBe('59f600973cc4960a25480a7c196e4c58');
    expect(signKey(RANDOM_SESSION_KEY, 'Client').toString('hex')).toBe('4788dc861b4782f35d43fd98fe1a2d39');
  });
  it('GSS_WrapEx (4.2.4.4): sealed data and signature with key exchange', () => {
    const session = new NtlmSession(0xe28a8233, RANDOM_SESSION_KEY, 'client');
    const { sealed, signature } = session.seal(PLAINTEXT, PLAINTEXT);
    expect(sealed.toString('hex')).toBe('54e50165bf1936dc996020c1811b0f06fb5f');
    expect(signature.toString('hex')).toBe('010000007fb38ec5c55d497600000000');
    // The server end, holding the same key, unseals and verifies it.
    const server = new NtlmSession(0xe28a8233, RANDOM_SESSION_KEY, 'server');
    expect(server.unseal(sealed, signature, (plain) => plain)).toEqual(PLAINTEXT);
  });
});

describe('[MS-NLMP] 4.2.3.4 extended session security, 56-bit, no key exchange', () => {
  const kxkey = hex('eb93429a8bd952f8b89c55b87f475edc');
  const flags = 0x820a8233;
  it('sealing key from 56 bits and signing key', () => {
    expect(sealKey(flags, kxkey, 'Client').toString('hex')).toBe('04dd7f014d8504d265a25cc86a3a7c06');
    expect(signKey(kxkey, 'Client').toString('hex')).toBe('60e799be5c72fc92922ae8ebe961fb8d');
  });
  it('sealed data and a signature whose checksum is not RC4-encrypted', () => {
    const { sealed, signature } = new NtlmSession(flags, kxkey, 'client').seal(PLAINTEXT, PLAINTEXT);
    expect(sealed.toString('hex')).toBe('a02372f6530273f3aa1eb90190ce5200c99d');
    expect(signature.toString('hex')).toBe('01000000ff2aeb52f681793a00000000');
  });
});

describe('[MS-NLMP] 4.2.4.3 messages', () => {
  it('decodes the CHALLENGE_MESSAGE and encodes it back byte for byte', () => {
    const c = decodeChallenge(CHALLENGE_4243);
    expect(c.flags).toBe(0xe28a8233);
    expect(c.serverChallenge).toEqual(SERVER_CHALLENGE);
    expect(c.targetName.toString('utf16le')).toBe('Server');
    expect(decodeAvPairs(c.targetInfo, 'test')).toEqual([
      { id: MsvAv.NbDomainName, value: Buffer.from('Domain', 'utf16le') },
      { id: MsvAv.NbComputerName, value: Buffer.from('Server', 'utf16le') },
    ]);
    expect(c.version).toEqual(hex('060070170000000f'));
    expect(encodeChallenge(c)).toEqual(CHALLENGE_4243);
  });
  it('decodes the AUTHENTICATE_MESSAGE and encodes it back byte for byte', () => {
    const a = decodeAuthenticate(AUTHENTICATE_4243);
    expect(a).toMatchObject({ flags: 0xe2888235, domainName: 'Domain', userName: 'User', workstation: 'COMPUTER' });
    expect(a.mic).toBeUndefined();
    expect(a.version).toEqual(hex('0501280a0000000f'));
    expect(a.encryptedRandomSessionKey.toString('hex')).toBe('c5dad2544fc9799094ce1ce90bc9d03e');
    expect(encodeAuthenticate(a)).toEqual(AUTHENTICATE_4243);
  });
  it('the client role computes the example responses from the example CHALLENGE_MESSAGE', () => {
    // The example has no MsvAvTimestamp and Time = Z(8): a clock reading the FILETIME epoch (1601).
    const at1601 = -11644473600000;
    const client = new NtlmClient({
      credentials: credentials({ domain: DOMAIN, user: USER }, PASSWORD),
      integrity: true,
      confidentiality: true,
      workstation: 'COMPUTER',
      targetName: null,
      channelBindings: false,
      version: hex('0501280a0000000f'),
      random: (n) => (n === 8 ? CLIENT_CHALLENGE : RANDOM_SESSION_KEY),
      now: () => at1601,
    });
    client.negotiate();
    const { authenticate } = client.authenticate(CHALLENGE_4243);
    const a = decodeAuthenticate(authenticate);
    const expected = decodeAuthenticate(AUTHENTICATE_4243);
    expect(a.lmChallengeResponse).toEqual(expected.lmChallengeResponse);
    expect(a.ntChallengeResponse).toEqual(expected.ntChallengeResponse);
    expect(a.encryptedRandomSessionKey).toEqual(expected.encryptedRandomSessionKey);
    expect(a.mic).toBeUndefined();
  });
  it('the server role accepts the example AUTHENTICATE_MESSAGE and recovers the random session key', () => {
    const negotiate = encodeNegotiate({ flags: 0xe2888235, domainName: '', workstation: '' });
    const result = acceptAuthenticate({
      negotiateMessage: negotiate,
      challengeMessage: CHALLENGE_4243,
      serverChallenge: SERVER_CHALLENGE,
      challengeFlags: 0xe28a8233,
      authenticateMessage: AUTHENTICATE_4243,
      account: credentials({ domain: DOMAIN, user: USER }, PASSWORD),
      required: [[NTLMSSP.NEGOTIATE_SEAL, 'sealing']],
      maxLifetimeMs: null,
      now: 0,
    });
    expect(result.exportedSessionKey).toEqual(RANDOM_SESSION_KEY);
    expect(result.peer).toEqual({ domain: 'Domain', user: 'User' });
    // The server's session unseals what the 4.2.4.4 client sealed.
    const sealed = hex('54e50165bf1936dc996020c1811b0f06fb5f');
    expect(result.session.unseal(sealed, hex('010000007fb38ec5c55d497600000000'), (p) => p)).toEqual(PLAINTEXT);
  });
  it('the server role refuses the example with a wrong password, another user, or the MaxLifetime check', () => {
    const base = {
      negotiateMessage: encodeNegotiate({ flags: 0xe2888235, domainName: '', workstation: '' }),
      challengeMessage: CHALLENGE_4243,
      serverChallenge: SERVER_CHALLENGE,
      challengeFlags: 0xe28a8233,
      authenticateMessage: AUTHENTICATE_4243,
      required: [] as [number, string][],
      maxLifetimeMs: null,
      now: 0,
    };
    expect(() => acceptAuthenticate({ ...base, account: credentials({ domain: DOMAIN, user: USER }, 'password') })).toThrow(/NTProofStr/);
    expect(() => acceptAuthenticate({ ...base, account: credentials({ domain: DOMAIN, user: 'Other' }, PASSWORD) })).toThrow(/user name/);
    expect(() =>
      acceptAuthenticate({ ...base, account: credentials({ domain: DOMAIN, user: USER }, PASSWORD), maxLifetimeMs: 1000, now: Date.now() }),
    ).toThrow(/TimeStamp/);
  });
});
