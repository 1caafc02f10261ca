// The passwords never leave CMRP_PASSWORD and CMRP_READ_PASSWORD (the --read-user account, whose Read
// connections the runs open too): whole authenticated suite runs through the command line
// (against the served reference, and against a served mutant so that property runs leave replay
// files, which are then replayed), a run with a wrong password and one with none, and the serving end's
// own output. Every file the runs wrote (reports, replay files, anything left in their temporary
// directory) and every stdout and stderr is searched for both passwords, as UTF-8, UTF-16LE and base64:
// no hit. Error messages name the account instead.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessLevelClauses, generalClauses } from './access-clauses';
import { startServe, type ServedProcess } from './served-process';

const CLI = join(__dirname, 'fixtures/cli.js');
const PASSWORD = `S3cret-${randomBytes(9).toString('base64url')}`;
const USER = 'CLUSTER\\tester';
/** The second account (Read access), whose password comes from CMRP_READ_PASSWORD: searched for too. */
const READ_PASSWORD = `R3ad-${randomBytes(9).toString('base64url')}`;
const READER = 'CLUSTER\\reader';
const SERVE_ENV = { CMRP_PASSWORD: PASSWORD, CMRP_READ_PASSWORD: READ_PASSWORD };

function forms(secret: string): Buffer[] {
  return [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le'), Buffer.from(Buffer.from(secret).toString('base64'))];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Where `secret` appears (file names or output labels); empty when nowhere. */
function leaks(secret: string, dir: string, outputs: Record<string, string>): string[] {
  const hits: string[] = [];
  for (const file of filesUnder(dir)) {
    const bytes = readFileSync(file);
    if (forms(secret).some((f) => bytes.includes(f))) hits.push(file);
  }
  for (const [label, text] of Object.entries(outputs)) {
    if (forms(secret).some((f) => Buffer.from(text).includes(f) || Buffer.from(text, 'latin1').includes(f))) hits.push(label);
  }
  return hits;
}

describe('a whole authenticated run writes the password nowhere', () => {
  let dir: string;
  let reference: ServedProcess;
  let mutant: ServedProcess;
  const outputs: Record<string, string> = {};

  const cli = (label: string, args: string[], password: string | null = PASSWORD): SpawnSyncReturns<string> => {
    const env: Record<string, string | undefined> = { ...process.env, TMPDIR: join(dir, 'tmp'), CMRP_DEBUG: '1' };
    delete env.CMRP_PASSWORD;
    env.CMRP_READ_PASSWORD = READ_PASSWORD;
    if (password !== null) env.CMRP_PASSWORD = password;
    const run = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 240_000, env });
    outputs[`${label} stdout`] = run.stdout;
    outputs[`${label} stderr`] = run.stderr;
    return run;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cmrp-secrets-'));
    mkdirSync(join(dir, 'tmp'));
    [reference, mutant] = await Promise.all([
      startServe(['--listen', 'dcerpc:127.0.0.1:0', '--control-listen', 'tcp:127.0.0.1:0', '--user', USER, '--read-user', READER], 60000, SERVE_ENV),
      startServe(['--listen', 'dcerpc:127.0.0.1:0', '--control-listen', 'tcp:127.0.0.1:0', '--user', USER, '--read-user', READER, '--mutant', 'lifo-queue'], 60000, SERVE_ENV),
    ]);
  }, 150_000);

  afterAll(async () => {
    await Promise.all([reference?.stop(), mutant?.stop()]);
    for (const [name, served] of [['reference', reference], ['mutant', mutant]] as const) {
      if (!served) continue;
      outputs[`serve ${name} stdout`] = served.stdout();
      outputs[`serve ${name} stderr`] = served.stderr();
    }
    const hits = [...leaks(PASSWORD, dir, outputs), ...leaks(READ_PASSWORD, dir, outputs)];
    rmSync(dir, { recursive: true, force: true });
    expect(hits).toEqual([]);
  });

  const target = (served: ServedProcess) => ['--target', `dcerpc:127.0.0.1:${served.port}`, '--control', `tcp:127.0.0.1:${served.controlPort}`, '--user', USER, '--read-user', READER];

  // Every suite file and the property run, each with the password; the property's budget is cut to a few
  // sequences (--runs 4): it decides nothing this test looks at (its power is test/property's), and 200
  // sequences over dcerpc: were most of these runs' time.
  it('the whole suite at packet privacy against the served reference: conformant, every access-level clause PASS, in both protocol versions', () => {
    for (const version of [3, 2] as const) {
      const run = cli(`run v${version}`, ['run', ...target(reference), '--protocol-version', String(version), '--runs', '4', '--json', `reports/v${version}.json`, '--junit', `reports/v${version}.xml`, '--markdown', `reports/v${version}.md`]);
      expect(run.stdout).toContain('CONFORMANT (exit 0)');
      expect(run.status).toBe(0);
      const results = JSON.parse(readFileSync(join(dir, `reports/v${version}.json`), 'utf8')) as { targetDescription: string; clauses: { id: string; verdict: string; message?: string }[] };
      expect(results.clauses.filter((c) => c.verdict === 'FAIL' || c.verdict === 'ERROR')).toEqual([]);
      expect(results.clauses.find((c) => c.id === '3.1.3/R4')?.verdict).toBe('PASS');
      // The runs open Read connections as READER: every access-level clause is judged, and PASS (the rest
      // of the access-level tests are test/wire/rpc/access-levels.test.ts's).
      expect(results.targetDescription).toContain(`SPNEGO(NTLM) at packet privacy as ${USER}; Read access as ${READER}`);
      const ids = [...accessLevelClauses(version), ...generalClauses(version)];
      expect(results.clauses.filter((c) => ids.includes(c.id) && c.verdict !== 'PASS').map((c) => `${c.id} ${c.verdict}: ${c.message}`)).toEqual([]);
      expect(Object.fromEntries(ids.map((id) => [id, results.clauses.find((c) => c.id === id)?.verdict]))).toEqual(Object.fromEntries(ids.map((id) => [id, 'PASS'])));
    }
  }, 300_000);

  it('a failing run against a served mutant leaves replay files, and replaying one reaches the target the same way', () => {
    // One section the mutant breaks (its queue order): the property's counterexample leaves the replay file.
    const run = cli('run mutant', ['run', ...target(mutant), '--section', '3.1.4.2.66', '--seed', '7']);
    expect(run.status).toBe(1);
    const replays = filesUnder(join(dir, 'reports/replays'));
    expect(replays.length).toBeGreaterThan(0);
    const file = JSON.parse(readFileSync(replays[0], 'utf8')) as Record<string, unknown>;
    expect(file).toMatchObject({ user: USER, target: `dcerpc:127.0.0.1:${mutant.port}` });
    const replay = cli('replay', ['replay', replays[0]]);
    expect(replay.stdout).toContain('reproduced');
    expect(replay.status).toBe(1);
  }, 300_000);

  it('a wrong password: exit 2, one line that names the account and not the password', () => {
    const wrong = `Wr0ng-${randomBytes(9).toString('base64url')}`;
    const run = cli('wrong password', ['run', ...target(reference), '--section', '3.1.4.2.56'], wrong);
    expect(run.status).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('CLUSTER\\tester');
    expect(lines[0]).toContain('CMRP_PASSWORD');
    expect(leaks(wrong, dir, { stdout: run.stdout, stderr: run.stderr })).toEqual([]);
  }, 120_000);

  it('no password: exit 2, one line saying where the password comes from', () => {
    const run = cli('no password', ['run', ...target(reference)], null);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual(['cmrp-notify-conformance: CMRP_PASSWORD is not set: the password of CLUSTER\\tester comes from that environment variable (there is no --password flag)']);
  });

  it('there is no --password flag, and the value given to it is not echoed', () => {
    const run = cli('password flag', ['run', ...target(reference), `--password=${PASSWORD}`]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown flag --password');
  });
});
