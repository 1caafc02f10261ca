// Hostile input: every decoder and both roles, fed random bytes and mutations of valid messages,
// either succeed or throw AuthError; never another exception, never a hang (fast-check runs each
// property a few hundred times within Jest's timeout).
import fc from 'fast-check';
import { AuthError, RPC_C_AUTHN, RPC_C_AUTHN_LEVEL, createServerSecurityContext, credentials, readAuthVerifier } from '../../../wire/auth';
import { decodeAuthenticate, decodeChallenge, decodeNegotiate } from '../../../wire/auth/ntlm/messages';
import { decodeAvPairs } from '../../../wire/auth/ntlm/av-pairs';
import { decodeNegotiationToken } from '../../../wire/auth/spnego/tokens';
import { ACCOUNT, SAMPLE_PASSWORD, clientContext, handshake, requestPdu } from './support';

function onlyAuthErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof AuthError)) throw e;
  }
}

/** A valid message with some bytes overwritten, truncated or extended. */
function mutated(valid: Buffer): fc.Arbitrary<Buffer> {
  return fc.oneof(
    fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((edits) => {
      const b = Buffer.from(valid);
      for (const [at, v] of edits) b[at] = v;
      return b;
    }),
    fc.nat(valid.length).map((n) => valid.subarray(0, n)),
    fc.uint8Array({ maxLength: 64 }).map((extra) => Buffer.concat([valid, Buffer.from(extra)])),
  );
}

const bytes = fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a));
const runs = { numRuns: 400 };

// Valid samples to mutate, from a real exchange.
const spnegoClient = clientContext(RPC_C_AUTHN.GSS_NEGOTIATE, RPC_C_AUTHN_LEVEL.PKT_PRIVACY);
const ntlmClient = clientContext(RPC_C_AUTHN.WINNT, RPC_C_AUTHN_LEVEL.PKT_PRIVACY);
const ntlmNegotiate = ntlmClient.next().token!;
const ntlmServer = createServerSecurityContext({
  trailer: { authType: 10, authLevel: 6, authContextId: 0 },
  account: credentials(ACCOUNT, SAMPLE_PASSWORD),
});
const ntlmChallenge = ntlmServer.next(ntlmNegotiate).token!;
const ntlmAuthenticate = ntlmClient.next(ntlmChallenge).token!;
const spnegoInit = spnegoClient.next().token!;

describe('decoders on hostile bytes', () => {
  it('NTLM messages and AV pairs', () => {
    fc.assert(
      fc.property(fc.oneof(bytes, mutated(ntlmNegotiate), mutated(ntlmChallenge), mutated(ntlmAuthenticate)), (b) => {
        onlyAuthErrors(() => decodeNegotiate(b));
        onlyAuthErrors(() => decodeChallenge(b));
        onlyAuthErrors(() => decodeAuthenticate(b));
        onlyAuthErrors(() => decodeAvPairs(b, 'fuzz'));
      }),
      runs,
    );
  });
  it('SPNEGO tokens', () => {
    fc.assert(
      fc.property(fc.oneof(bytes, mutated(spnegoInit)), (b) => onlyAuthErrors(() => decodeNegotiationToken(b))),
      runs,
    );
  });
  it('a DER length of 2^32-1 or a deep claim fails at once instead of allocating', () => {
    expect(() => decodeNegotiationToken(Buffer.from([0x60, 0x84, 0xff, 0xff, 0xff, 0xff, 0x06]))).toThrow(AuthError);
    expect(() => decodeNegotiationToken(Buffer.from([0xa1, 0x85, 1, 0, 0, 0, 0]))).toThrow(AuthError);
    expect(() => decodeNegotiationToken(Buffer.from([0xa1, 0x80, 0, 0]))).toThrow(/indefinite/);
  });
  it('RPC verifiers', () => {
    fc.assert(fc.property(bytes, (b) => onlyAuthErrors(() => readAuthVerifier(b))), runs);
  });
});

describe('roles on hostile tokens', () => {
  it('a server context fed garbage or mutated tokens at each step', () => {
    fc.assert(
      fc.property(fc.constantFrom(9, 10), fc.oneof(bytes, mutated(ntlmNegotiate), mutated(spnegoInit)), fc.oneof(bytes, mutated(ntlmAuthenticate)), (type, first, second) => {
        const server = createServerSecurityContext({
          trailer: { authType: type, authLevel: 6, authContextId: 0 },
          account: credentials(ACCOUNT, SAMPLE_PASSWORD),
        });
        onlyAuthErrors(() => {
          server.next(first);
          server.next(second);
        });
      }),
      { numRuns: 200 },
    );
  });
  it('a client context fed a garbage or mutated CHALLENGE_MESSAGE', () => {
    fc.assert(
      fc.property(fc.oneof(bytes, mutated(ntlmChallenge)), (challenge) => {
        const c = clientContext(RPC_C_AUTHN.WINNT, RPC_C_AUTHN_LEVEL.PKT_PRIVACY);
        c.next();
        onlyAuthErrors(() => c.next(challenge));
      }),
      { numRuns: 200 },
    );
  });
  it('unprotect on mutated protected PDUs: AuthError or (for unsigned bytes) the same plaintext', () => {
    fc.assert(
      fc.property(fc.constantFrom(5, 6) as fc.Arbitrary<5 | 6>, fc.uint8Array({ maxLength: 100 }), fc.nat(), (level, stub, seed) => {
        const { client, server } = handshake(clientContext(RPC_C_AUTHN.WINNT, level));
        const req = requestPdu(Buffer.from(stub));
        const wire = client.protect(req);
        const bad = Buffer.from(wire);
        bad[seed % bad.length] ^= 1 + (seed % 255);
        onlyAuthErrors(() => server.unprotect(bad));
      }),
      { numRuns: 200 },
    );
  });
});
