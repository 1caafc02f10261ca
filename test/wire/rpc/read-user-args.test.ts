// --read-user on the run side: where its password comes from (CMRP_READ_PASSWORD only), and every
// mistake a one-line usage error naming the flag or the variable and the account, never a password.
import { UsageError } from '../../../cmrp/errors';
import { createTarget, wireAuth, wireReadAuth } from '../../../harness/target/resolve';
import { reachFlags, reachOf } from '../../../harness/run-config/config';

const ENV = { CMRP_PASSWORD: 'Full-Pa55word', CMRP_READ_PASSWORD: 'Read-Pa55word' };
const SPEC = 'dcerpc:127.0.0.1:1';

describe('--read-user', () => {
  it('authenticates the Read account as the full one does, with the password of CMRP_READ_PASSWORD', () => {
    const options = { user: 'CLUSTER\\tester', readUser: 'CLUSTER\\reader', auth: 'ntlm', authLevel: 'integrity' };
    const auth = wireAuth(SPEC, options, ENV)!;
    const read = wireReadAuth(auth, options, ENV)!;
    expect({ type: read.authType, level: read.authLevel }).toEqual({ type: auth.authType, level: auth.authLevel });
    expect({ domain: read.credentials.domain, user: read.credentials.user, password: read.credentials.password.reveal() }).toEqual({
      domain: 'CLUSTER',
      user: 'reader',
      password: 'Read-Pa55word',
    });
    expect(wireReadAuth(auth, { user: 'CLUSTER\\tester' }, ENV)).toBeUndefined();
  });

  it.each([
    [{ readUser: 'CLUSTER\\reader' }, { CMRP_PASSWORD: 'Full-Pa55word' }, 'CMRP_READ_PASSWORD is not set: the password of CLUSTER\\reader (--read-user) comes from that environment variable (there is no flag for it)'],
    [{ readUser: 'CLUSTER\\tester' }, ENV, '--read-user CLUSTER\\tester is the --user account: give an account the server grants Read access only'],
    [{ readUser: 'a\\b\\c' }, ENV, '--read-user: '],
  ])('refuses %j with one line', (extra, env, message) => {
    const options = { user: 'CLUSTER\\tester', ...extra };
    const auth = wireAuth(SPEC, options, env)!;
    let error: unknown;
    try {
      wireReadAuth(auth, options, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toMatch(/Pa55word/);
  });

  it('goes with an authenticated dcerpc target only', async () => {
    await expect(createTarget('builtin', { readUser: 'CLUSTER\\reader' })).rejects.toThrow(new UsageError('--read-user goes with a dcerpc target, not --target builtin'));
    expect(() => wireAuth(SPEC, { auth: 'none', readUser: 'CLUSTER\\reader' }, ENV)).toThrow(new UsageError('--read-user goes with --auth spnego or ntlm, not --auth none'));
  });

  it('reaches the suites, replay files and replay commands, without a password', () => {
    const reach = reachOf({ user: 'CLUSTER\\tester', readUser: 'CLUSTER\\reader', password: 'x' } as never);
    expect(reach).toEqual({ user: 'CLUSTER\\tester', readUser: 'CLUSTER\\reader' });
    expect(reachFlags(reach)).toEqual(["--user 'CLUSTER\\tester'", "--read-user 'CLUSTER\\reader'"]);
  });
});
