// The password never shows: not in any error text this package produces (message, stack, JSON,
// util.inspect), not in tokens on the wire, not when credentials are printed.
import { inspect } from 'node:util';
import fc from 'fast-check';
import {
  AuthError,
  RPC_C_AUTHN,
  RPC_C_AUTHN_LEVEL,
  createServerSecurityContext,
  credentials,
  parseAccount,
} from '../../../wire/auth';
import { ACCOUNT, SAMPLE_PASSWORD, clientContext, handshake, requestPdu } from './support';

const utf16 = Buffer.from(SAMPLE_PASSWORD, 'utf16le');

function texts(e: unknown): string[] {
  const err = e as Error;
  return [String(err.message), String(err.stack), JSON.stringify(err), inspect(err, { depth: 5 }), String(err)];
}

function expectClean(e: unknown): void {
  for (const t of texts(e)) {
    expect(t).not.toContain(SAMPLE_PASSWORD);
    expect(t.toLowerCase()).not.toContain(SAMPLE_PASSWORD.toLowerCase());
  }
}

/** Runs fn, which must throw, and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('secrets', () => {
  it('credentials print as [secret] everywhere', () => {
    const c = credentials(ACCOUNT, SAMPLE_PASSWORD);
    for (const t of [JSON.stringify(c), inspect(c, { depth: 5 }), String(c.password), `${c.password}`, inspect({ nested: { c } }, { depth: 9 })]) {
      expect(t).not.toContain(SAMPLE_PASSWORD);
    }
    expect(c.password.reveal()).toBe(SAMPLE_PASSWORD);
  });

  it('parseAccount errors never echo the text (a pasted password)', () => {
    for (const text of [`a\\b\\${SAMPLE_PASSWORD}`, `${SAMPLE_PASSWORD}\\`]) expectClean(thrown(() => parseAccount(text)));
  });

  it('no error text of any failure path holds the password', () => {
    const errors: unknown[] = [];
    for (const authType of [RPC_C_AUTHN.GSS_NEGOTIATE, RPC_C_AUTHN.WINNT] as const) {
      // Wrong password on either side, the server's password being the sample one and vice versa.
      errors.push(thrown(() => handshake(clientContext(authType, 6), {}, 'not-the-password')));
      errors.push(
        thrown(() => handshake(clientContext(authType, 6, { credentials: credentials(ACCOUNT, 'not-the-password') }), {}, SAMPLE_PASSWORD)),
      );
      errors.push(thrown(() => handshake(clientContext(authType, 5), { minimumAuthLevel: RPC_C_AUTHN_LEVEL.PKT_PRIVACY })));
      // Verification failures after a good handshake.
      const { client, server } = handshake(clientContext(authType, 6));
      const wire = client.protect(requestPdu(Buffer.from(SAMPLE_PASSWORD)));
      const bad = Buffer.from(wire);
      bad[bad.length - 9] ^= 1;
      errors.push(thrown(() => server.unprotect(bad)));
      errors.push(thrown(() => server.unprotect(requestPdu(Buffer.alloc(3)))));
      errors.push(thrown(() => client.next(Buffer.alloc(2))));
    }
    // Garbage into every role.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(9, 10), (b, t) => {
        const s = createServerSecurityContext({ trailer: { authType: t, authLevel: 6, authContextId: 0 }, account: credentials(ACCOUNT, SAMPLE_PASSWORD) });
        try {
          s.next(Buffer.from(b));
        } catch (e) {
          errors.push(e);
        }
      }),
      { numRuns: 100 },
    );
    expect(errors.length).toBeGreaterThan(10);
    for (const e of errors) {
      expect(e).toBeInstanceOf(AuthError);
      expectClean(e);
    }
  });

  it('no token on the wire carries the password, in any encoding', () => {
    for (const authType of [RPC_C_AUTHN.GSS_NEGOTIATE, RPC_C_AUTHN.WINNT] as const) {
      const client = clientContext(authType, 6);
      const server = createServerSecurityContext({ trailer: { authType, authLevel: 6, authContextId: 7 }, account: credentials(ACCOUNT, SAMPLE_PASSWORD) });
      const tokens: Buffer[] = [];
      let out = client.next();
      while (out.token) {
        tokens.push(out.token);
        const back = server.next(out.token);
        if (back.token) tokens.push(back.token);
        if (client.established) break;
        out = client.next(back.token);
        if (out.done && out.token) {
          tokens.push(out.token);
          server.next(out.token);
          break;
        }
      }
      for (const t of tokens) {
        expect(t.includes(Buffer.from(SAMPLE_PASSWORD))).toBe(false);
        expect(t.includes(utf16)).toBe(false);
      }
    }
  });
});
