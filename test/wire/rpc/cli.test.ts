// The command line of the wire: `serve --listen dcerpc:...` and `run --target dcerpc:...`, their
// usage errors (serve needs --user or an explicit --auth none; run needs --user and CMRP_PASSWORD unless
// --auth none), and one real unauthenticated run against the served reference with its control
// listener, from the sources in a child process. test/wire/rpc/auth-cli.test.ts has the authenticated runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../harness/cli/main';
import { TargetUnreachableError, UsageError } from '../../../cmrp/errors';
import { createTarget } from '../../../harness/target/resolve';
import { parseDcerpcAddress } from '../../../harness/target/dcerpc';
import { capture } from '../../support/cli-fixtures';
import { startServe } from './served-process';
import { rawExchange } from './support';
import { context } from '../../../wire/rpc/client/association';
import { encodePdu } from '../../../wire/rpc/pdu';
import { clusapiSyntax } from '../../../harness/target/dcerpc';
import { scaled } from '../../support/time-scale';

const CLI = join(__dirname, 'fixtures/cli.js');

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('serve --listen dcerpc:', () => {
  it.each([
    [['--listen', 'dcerpc:127.0.0.1:0'], '--user DOMAIN\\NAME (password in CMRP_PASSWORD) or --auth none is required'],
    [['--listen', 'dcerpc:127.0.0.1:0', '--auth', 'ntlm'], "--auth 'ntlm': serve takes --auth none or --user DOMAIN\\NAME"],
    [['--listen', 'dcerpc:0.0.0.0:0', '--auth', 'none'], 'serve binds only to 127.0.0.1'],
    [['--listen', 'stdio', '--control-listen', 'tcp:127.0.0.1:0'], '--control-listen goes with --listen dcerpc:'],
    [['--listen', 'dcerpc:127.0.0.1:0', '--auth', 'none', '--control-listen', 'dcerpc:127.0.0.1:0'], "--control-listen 'dcerpc:127.0.0.1:0': expected tcp:127.0.0.1:PORT"],
    [['--listen', 'dcerpc:127.0.0.1:0', '--auth', 'none', '--mutant', 'no-such'], '--mutant no-such'],
    [['--listen', 'dcerpc:127.0.0.1:0', '--auth', 'none', '--idle-timeout', '-1'], "--idle-timeout '-1': must be 0 (never) to 86400 seconds"],
    [['--listen', 'stdio', '--idle-timeout', '5'], '--idle-timeout goes with --listen dcerpc:'],
  ])('%j is a usage error', async (args, message) => {
    const { code, stderr } = await cli(['serve', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('--idle-timeout closes a bound connection that does nothing', async () => {
    const served = await startServe(['--listen', 'dcerpc:127.0.0.1:0', '--auth', 'none', '--idle-timeout', '0.3']);
    try {
      const bind = encodePdu({ type: 'bind', callId: 1, maxXmitFrag: 4280, maxRecvFrag: 4280, assocGroupId: 0, contexts: [context(clusapiSyntax(3))] });
      const { received, closedByPeer } = await rawExchange(served.port, [bind], 5000);
      expect(received.length).toBeGreaterThan(0);
      expect(closedByPeer).toBe(true);
    } finally {
      await served.stop();
    }
  });

  it('a port in use is a usage error saying so', async () => {
    const served = await startServe(['--listen', 'dcerpc:127.0.0.1:0', '--auth', 'none']);
    try {
      const { code, stderr } = await cli(['serve', '--listen', `dcerpc:127.0.0.1:${served.port}`, '--auth', 'none']);
      expect(code).toBe(2);
      expect(stderr).toContain(`--listen dcerpc:127.0.0.1:${served.port}: the port is in use`);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });
});

describe('--target dcerpc:', () => {
  it('parses HOST, HOST:PORT and IPv6 literals', () => {
    expect(parseDcerpcAddress('10.0.0.5')).toEqual({ host: '10.0.0.5' });
    expect(parseDcerpcAddress('srv.example:49152')).toEqual({ host: 'srv.example', port: 49152 });
    expect(parseDcerpcAddress('[::1]:135')).toEqual({ host: '::1', port: 135 });
    expect(() => parseDcerpcAddress('a:b:c')).toThrow("'a:b:c' is not HOST or HOST:PORT");
    expect(() => parseDcerpcAddress('host:0')).toThrow('port 0 is not in 1..65535');
  });

  it.each([
    ['dcerpc:127.0.0.1:1', {}, UsageError, '--user DOMAIN\\NAME is required with --auth spnego'],
    ['dcerpc:127.0.0.1:1', { auth: 'ntlm' }, UsageError, '--user DOMAIN\\NAME is required with --auth ntlm'],
    ['dcerpc:127.0.0.1:1', { auth: 'kerberos' }, UsageError, "--auth 'kerberos': expected one of spnego, ntlm, none"],
    ['dcerpc:a:b:c', { auth: 'none' }, UsageError, "--target dcerpc:a:b:c: 'a:b:c' is not HOST or HOST:PORT"],
    ['builtin', { auth: 'none' }, UsageError, '--auth goes with a dcerpc target'],
    ['builtin', { control: 'tcp:127.0.0.1:1' }, UsageError, '--control goes with a dcerpc target'],
    ['dcerpc:127.0.0.1:1', { auth: 'none' }, TargetUnreachableError, 'target dcerpc:127.0.0.1:1: bind: unreachable: cannot connect to 127.0.0.1:1'],
    ['dcerpc:127.0.0.1:1', { auth: 'none', control: 'builtin' }, UsageError, '--control builtin: expected an adapter spec'],
  ] as const)('%s %j: %p', async (spec, options, type, message) => {
    const error = await createTarget(spec, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toContain(message);
  });
});

describe('run --target dcerpc: against the served reference', () => {
  it('judges a section with the control adapter, and NOT-TESTED stimulus clauses without it', async () => {
    const served = await startServe(['--listen', 'dcerpc:127.0.0.1:0', '--control-listen', 'tcp:127.0.0.1:0', '--auth', 'none']);
    const dir = mkdtempSync(join(tmpdir(), 'cmrp-wire-cli-'));
    try {
      // The test is about the section's scripted clauses and where their stimuli come from: the property
      // (whose power test/property proves) runs with a small budget, which over dcerpc: was most of each
      // run's time (the blocked reads' ordering gaps of 200 sequences), and still reaches the wire.
      const run = (...extra: string[]) => {
        const out = spawnSync(
          process.execPath,
          [CLI, 'run', '--target', `dcerpc:127.0.0.1:${served.port}`, '--auth', 'none', '--section', '3.1.4.2.100', '--runs', '4', '--json', join(dir, 'r.json'), '--junit', join(dir, 'j.xml'), '--markdown', join(dir, 's.md'), '--html', join(dir, 'r.html'), ...extra],
          { encoding: 'utf8', timeout: scaled(120_000) },
        );
        const results = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { clauses: { id: string; verdict: string; observations?: { message?: string }[] }[] };
        return { status: out.status, stdout: out.stdout, results };
      };
      const withControl = run('--control', `tcp:127.0.0.1:${served.controlPort}`);
      expect(withControl.status).toBe(0);
      expect(withControl.stdout).toContain('CONFORMANT (exit 0)');
      const verdicts = (r: typeof withControl.results) => new Map(r.clauses.map((c) => [c.id, c.verdict]));
      const controlled = verdicts(withControl.results);
      expect([...controlled.values()].filter((v) => v === 'PASS').length).toBeGreaterThanOrEqual(8);

      const without = run('--stimuli', 'control');
      expect(without.status).toBe(0);
      const bare = verdicts(without.results);
      // Fewer clauses judged: the stimulus-bound ones are NOT-TESTED, and none fails.
      expect([...bare.values()].filter((v) => v === 'PASS').length).toBeLessThan([...controlled.values()].filter((v) => v === 'PASS').length);
      expect([...bare.values()].filter((v) => v === 'FAIL' || v === 'ERROR')).toEqual([]);
      expect(readFileSync(join(dir, 'r.json'), 'utf8')).toContain('the target has no control adapter');

      // By default (--stimuli auto) a target without a control adapter gets its stimuli in-band: no FAIL.
      const inband = run();
      expect(inband.status).toBe(0);
      expect([...verdicts(inband.results).values()].filter((v) => v === 'FAIL' || v === 'ERROR')).toEqual([]);
      expect(readFileSync(join(dir, 'r.json'), 'utf8')).toContain('stimuli in-band');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await served.stop();
    }
  });
});
