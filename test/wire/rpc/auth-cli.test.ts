// The command line of authentication: run's --auth, --auth-level and --user (password only from
// CMRP_PASSWORD, never a flag), serve's --user (or an explicit --auth none), the wire mutant, and what
// replay commands and files carry (the account, never the password). Every mistake is one line, exit 2.
import { main } from '../../../harness/cli/main';
import { replayCommand, reachFlags } from '../../../harness/run-config/config';
import { UsageError } from '../../../cmrp/errors';
import { createTarget, wireAuth } from '../../../harness/target/resolve';
import { RPC_C_AUTHN, RPC_C_AUTHN_LEVEL } from '../../../wire/auth';
import { capture } from '../../support/cli-fixtures';

async function cli(argv: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('run --target dcerpc: authentication options', () => {
  const spec = 'dcerpc:127.0.0.1:1';

  it('defaults to SPNEGO at packet privacy, with the password from CMRP_PASSWORD', () => {
    const auth = wireAuth(spec, { user: 'CLUSTER\\tester' }, { CMRP_PASSWORD: 'pw' });
    expect(auth).toMatchObject({ authType: RPC_C_AUTHN.GSS_NEGOTIATE, authLevel: RPC_C_AUTHN_LEVEL.PKT_PRIVACY, credentials: { domain: 'CLUSTER', user: 'tester' } });
    expect(auth!.credentials.password.reveal()).toBe('pw');
    expect(JSON.stringify(auth)).not.toContain('"pw"');
    expect(wireAuth(spec, { auth: 'ntlm', authLevel: 'integrity', user: 'tester' }, { CMRP_PASSWORD: 'pw' })).toMatchObject({
      authType: RPC_C_AUTHN.WINNT,
      authLevel: RPC_C_AUTHN_LEVEL.PKT_INTEGRITY,
      credentials: { domain: '', user: 'tester' },
    });
    expect(wireAuth(spec, { auth: 'none' }, {})).toBeUndefined();
  });

  it.each([
    [{ user: 'CLUSTER\\tester' }, {}, 'CMRP_PASSWORD is not set: the password of CLUSTER\\tester comes from that environment variable (there is no --password flag)'],
    [{ user: 'CLUSTER\\tester' }, { CMRP_PASSWORD: '' }, 'CMRP_PASSWORD is not set'],
    [{}, { CMRP_PASSWORD: 'pw' }, '--user DOMAIN\\NAME is required with --auth spnego (the password comes from CMRP_PASSWORD); --auth none connects unauthenticated'],
    [{ user: 'A\\B\\C' }, { CMRP_PASSWORD: 'pw' }, '--user: account must be DOMAIN\\NAME or NAME'],
    [{ auth: 'none', authLevel: 'privacy' }, {}, '--auth-level goes with --auth spnego or ntlm, not --auth none'],
    [{ auth: 'none', user: 'CLUSTER\\tester' }, {}, '--user goes with --auth spnego or ntlm, not --auth none'],
  ])('%j with %j: %s', (options, env, message) => {
    let error: unknown;
    try {
      wireAuth(spec, options, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
  });

  it.each([
    ['builtin', { user: 'CLUSTER\\tester' }, '--user goes with a dcerpc target, not --target builtin'],
    ['builtin', { authLevel: 'privacy' }, '--auth-level goes with a dcerpc target'],
    [spec, { authLevel: 'high' }, "--auth-level 'high': expected one of connect, integrity, privacy"],
  ])('%s %j is a usage error', async (target, options, message) => {
    const error = await createTarget(target, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
  });

  it('has no --password flag: the value given to one is never echoed', async () => {
    const { code, stderr } = await cli(['run', '--target', spec, '--user', 'CLUSTER\\tester', '--password=Hunter2-Secret']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown flag --password');
    expect(stderr).not.toContain('Hunter2-Secret');
    const spaced = await cli(['run', '--target', spec, '--password', 'Hunter2-Secret']);
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).not.toContain('Hunter2-Secret');
  });

  it('replay commands carry --auth, --auth-level and --user, never the password', () => {
    const config = { target: spec, auth: 'ntlm', authLevel: 'privacy', user: 'CLUSTER\\tester', protocolVersion: 3 as const, timeoutMultiplier: 1, seed: 9 };
    expect(replayCommand(config, '2.1/R14')).toBe(
      "npx cmrp-notify-conformance run --target 'dcerpc:127.0.0.1:1' --auth ntlm --auth-level privacy --user 'CLUSTER\\tester' --protocol-version 3 --clause 2.1/R14 --seed 9",
    );
    expect(reachFlags({})).toEqual([]);
  });
});

describe('serve --listen dcerpc: authentication options', () => {
  it.each([
    [['--listen', 'dcerpc:127.0.0.1:0', '--user', 'CLUSTER\\tester'], {}, 'CMRP_PASSWORD is not set: the password of CLUSTER\\tester comes from that environment variable'],
    [['--listen', 'dcerpc:127.0.0.1:0', '--user', 'CLUSTER\\tester', '--auth', 'none'], { CMRP_PASSWORD: 'pw' }, '--auth none and --user exclude each other'],
    [['--listen', 'dcerpc:127.0.0.1:0', '--auth', 'none', '--mutant', 'accept-low-auth'], {}, '--mutant accept-low-auth breaks a rule of authentication: serve it with --user'],
    [['--listen', 'stdio', '--mutant', 'accept-low-auth'], {}, '--mutant accept-low-auth is a mutant of the wire'],
    [['--listen', 'stdio', '--user', 'CLUSTER\\tester'], {}, '--user goes with --listen dcerpc:'],
    [['--listen', 'dcerpc:127.0.0.1:0', '--user', ''], { CMRP_PASSWORD: 'pw' }, '--user: empty value'],
    [['--listen', 'dcerpc:127.0.0.1:0', '--password', 'x'], {}, 'unknown flag --password'],
  ])('%j is a usage error', async (args, env, message) => {
    const { code, stderr } = await cli(['serve', ...args], env);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  });

  it('mutants lists the wire mutant with the clause it trips', async () => {
    const { code, stdout } = await cli(['mutants', '--json']);
    expect(code).toBe(0);
    const mutants = JSON.parse(stdout) as { name: string; wire?: boolean; trips: { clause: string | null }[] }[];
    expect(mutants.find((m) => m.name === 'accept-low-auth')).toEqual({
      name: 'accept-low-auth',
      description: expect.stringContaining('packet privacy'),
      wire: true,
      trips: [{ section: '2.1', title: 'v3.0 server refuses levels below PKT_PRIVACY', clause: '2.1/R14' }],
    });
    expect(mutants.filter((m) => m.trips.some((t) => t.clause === null))).toEqual([]);
    const text = await cli(['mutants']);
    expect(text.stdout).toContain('accept-low-auth (wire): ');
    expect(text.stdout).toContain('serve a (wire) one with serve --listen dcerpc:127.0.0.1:PORT --user DOMAIN\\NAME --mutant NAME');
  });
});
