// Access levels over the wire ([MS-CMRP] 3.1.4): the reference served with two accounts, CLUSTER\tester
// (All) and CLUSTER\reader (Read, password in CMRP_READ_PASSWORD), judged by the command line with
// --read-user at packet privacy. Every access-level clause the sequences judge (those of the sequences
// opened at Read) comes out PASS in both protocol versions (judged in the whole runs of
// test/wire/rpc/secrets-run.test.ts, served and run exactly so); without --read-user they are NOT-TESTED and
// say why; a served mutant refusing Read clients is a shortfall (NON-STRICT), never INCONCLUSIVE. Neither
// password appears in any output or file.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessLevelClauses, generalClauses } from './access-clauses';
import { startServe, type ServedProcess } from './served-process';
import { expectNotTestedNaming } from './support';
import { scaled } from '../../support/time-scale';

const CLI = join(__dirname, 'fixtures/cli.js');
const PASSWORD = `S3cret-${randomBytes(9).toString('base64url')}`;
const READ_PASSWORD = `R3ad-${randomBytes(9).toString('base64url')}`;
const USER = 'CLUSTER\\tester';
const READER = 'CLUSTER\\reader';
const ENV = { CMRP_PASSWORD: PASSWORD, CMRP_READ_PASSWORD: READ_PASSWORD };
const SERVE_ARGS = ['--listen', 'dcerpc:127.0.0.1:0', '--control-listen', 'tcp:127.0.0.1:0', '--user', USER, '--read-user', READER];

interface Results {
  clauses: { id: string; verdict: string; message?: string }[];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const forms = (secret: string) => [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le'), Buffer.from(Buffer.from(secret).toString('base64'))];

describe('access levels judged over dcerpc: with a Read account', () => {
  let dir: string;
  let reference: ServedProcess;
  let mutant: ServedProcess;
  const outputs: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cmrp-access-'));
    [reference, mutant] = await Promise.all([startServe(SERVE_ARGS, scaled(90000), ENV), startServe([...SERVE_ARGS, '--mutant', 'refuse-read-access'], scaled(90000), ENV)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([reference?.stop(), mutant?.stop()]);
    for (const [name, served] of [['reference', reference], ['mutant', mutant]] as const) {
      if (!served) continue;
      outputs[`serve ${name} stdout`] = served.stdout();
      outputs[`serve ${name} stderr`] = served.stderr();
    }
    const hits: string[] = [];
    for (const secret of [PASSWORD, READ_PASSWORD]) {
      for (const file of filesUnder(dir)) if (forms(secret).some((f) => readFileSync(file).includes(f))) hits.push(file);
      for (const [label, text] of Object.entries(outputs)) if (forms(secret).some((f) => Buffer.from(text).includes(f))) hits.push(label);
    }
    rmSync(dir, { recursive: true, force: true });
    expect(hits).toEqual([]);
  });

  const run = (label: string, served: ServedProcess, args: string[], env: Record<string, string> = ENV): { run: SpawnSyncReturns<string>; results: Results } => {
    const json = join(dir, `${label}.json`);
    const target = ['--target', `dcerpc:127.0.0.1:${served.port}`, '--control', `tcp:127.0.0.1:${served.controlPort}`, '--user', USER];
    const childEnv: Record<string, string | undefined> = { ...process.env, CMRP_DEBUG: '1' };
    delete childEnv.CMRP_PASSWORD;
    delete childEnv.CMRP_READ_PASSWORD;
    const result = spawnSync(process.execPath, [CLI, 'run', ...target, ...args, '--json', json, '--junit', join(dir, `${label}.xml`), '--markdown', join(dir, `${label}.md`)], {
      cwd: dir,
      encoding: 'utf8',
      timeout: scaled(600_000),
      env: { ...childEnv, ...env },
    });
    outputs[`${label} stdout`] = result.stdout;
    outputs[`${label} stderr`] = result.stderr;
    if (result.status !== 0 && result.status !== 1) throw new Error(`run ${label} ended with ${result.status ?? result.signal}: ${result.stderr}`);
    return { run: result, results: JSON.parse(readFileSync(json, 'utf8')) as Results };
  };
  const verdicts = (results: Results, ids: string[]) => Object.fromEntries(ids.map((id) => [id, results.clauses.find((c) => c.id === id)?.verdict]));

  it('finds the access-level clauses: every sequence opened at Read', () => {
    // 20 about the version 1 ports and the state methods, and those of the version 2 ports.
    expect(accessLevelClauses(3).length).toBeGreaterThanOrEqual(20);
    expect(accessLevelClauses(2)).toEqual(['3.1.4.1/R19', '3.1.4.1/R20', '3.1.4.1/R24']);
    for (const version of [3, 2] as const) expect(generalClauses(version).length).toBeGreaterThanOrEqual(3);
  });

  it('without --read-user: the access-level clauses are NOT-TESTED, saying what is missing', () => {
    const ids = accessLevelClauses(3);
    // One clause a full-access connection judges, so that the run checks something.
    const { results } = run('no-read-user', reference, ['--clause', '3.1.4.2.56/R8', ...ids.flatMap((id) => ['--clause', id])], { CMRP_PASSWORD: PASSWORD });
    expect(verdicts(results, ['3.1.4.2.56/R8'])).toEqual({ '3.1.4.2.56/R8': 'PASS' });
    expectNotTestedNaming(results, ids, '--read-user');
  }, 700_000);

  it('a served mutant that refuses the notification methods to Read clients: their SHOULDs NON-STRICT, not INCONCLUSIVE', () => {
    const ids = accessLevelClauses(3);
    const { results } = run('refuse-read', mutant, ['--read-user', READER, ...ids.flatMap((id) => ['--clause', id])]);
    const seen = verdicts(results, ids);
    // The state methods stay open to Read clients; every clause about a notification method is a shortfall.
    const stateClauses = ['3.1.4.2.13/R7', '3.1.4.2.46/R13', '3.1.4.2.69/R6', '3.1.4.2.83/R6', '3.1.4.2.94/R6'];
    // The MUST of 3.1.4.2.138 is not reached: the refused ApiCreateNotifyV2 is judged by its own clause.
    const expected = (id: string) => (stateClauses.includes(id) ? 'PASS' : id === '3.1.4.2.138/R7' ? 'INCONCLUSIVE' : 'NON-STRICT');
    expect(seen).toEqual(Object.fromEntries(ids.map((id) => [id, expected(id)])));
    expect(results.clauses.find((c) => c.id === '3.1.4.2.57/R8')?.message).toContain('refused the Read-level client');
  }, 700_000);
});
