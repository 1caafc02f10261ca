// The power of the transport checks (suites/2.1-transport-security.spec.ts): the reference served on
// the wire for one account passes every one of them in both protocol versions; the wire mutant that
// serves version 3.0 below packet privacy fails 2.1/R14 and nothing else; outside the wire, or
// without credentials, the clauses are NOT-TESTED with the reason. Then the same through the command
// line: `serve --mutant accept-low-auth` judged by `run --section 2.1` exits 1 with 2.1/R14 FAIL.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalogue } from '../../harness/catalogue/load';
import { resolveTrips } from '../../harness/cli/mutants';
import type { RunConfig } from '../../harness/run-config/config';
import { TRANSPORT_CHECKS, TRANSPORT_CLAUSES, runTransportChecks } from '../../harness/suite/transport-security';
import { listMutants } from '../../reference/mutants';
import { judge } from '../../harness/verdict/judge';
import { credentials } from '../../wire/auth';
import { startServe } from '../wire/rpc/served-process';
import { serveReference, type Served } from '../wire/rpc/support';
import { scaled } from '../support/time-scale';

const PASSWORD = 'Tr4nsport-Secret!';
const ACCOUNT = credentials({ domain: 'CLUSTER', user: 'tester' }, PASSWORD);
const ENV = { CMRP_PASSWORD: PASSWORD };
const catalogue = loadCatalogue();
const catalogueIds = catalogue.map((c) => c.id);

function config(served: Served | undefined, version: 2 | 3, more: Partial<RunConfig> = {}): RunConfig {
  return {
    // Outside the wire: the builtin reference without its wire face (plain builtin serves one for these checks).
    target: served ? `dcerpc:127.0.0.1:${served.port}` : 'builtin:inproc',
    ...(served ? { user: 'CLUSTER\\tester' } : {}),
    protocolVersion: version,
    timeoutMultiplier: 1,
    seed: 1,
    ...more,
  };
}

function verdicts(version: 2 | 3, observations: Awaited<ReturnType<typeof runTransportChecks>>): Map<string, string> {
  const selection = catalogue.filter((c) => TRANSPORT_CLAUSES.includes(c.id) && c.versions.includes(version));
  return new Map(judge(selection, observations, { catalogueIds }).map((v) => [v.id, v.verdict]));
}

describe('against the reference served for one account', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serveReference({ account: ACCOUNT });
  });
  afterAll(async () => {
    await served.close();
  });

  it.each([3, 2] as const)('version %i: every check passes (2.1/R1 is NOT-TESTED: the run names the port)', async (version) => {
    const observations = await runTransportChecks(config(served, version), { env: ENV });
    expect(observations.filter((o) => o.outcome !== 'pass' && o.clause !== '2.1/R1').map((o) => o.message)).toEqual([]);
    expect(observations.length).toBe(1 + TRANSPORT_CHECKS.filter((c) => c.versions.includes(version)).length);
    const judged = verdicts(version, observations);
    expect(judged.get('2.1/R1')).toBe('NOT-TESTED');
    expect([...judged].filter(([id, v]) => id !== '2.1/R1' && v !== 'PASS')).toEqual([]);
    if (version === 3) expect(judged.get('2.1/R14')).toBe('PASS');
  });

  it('with raw NTLM as the run auth type, the checks are the same (each names its own auth type)', async () => {
    const observations = await runTransportChecks(config(served, 3, { auth: 'ntlm', authLevel: 'integrity' }), { env: ENV });
    expect(observations.filter((o) => o.outcome === 'fail' || o.outcome === 'error')).toEqual([]);
  });

  it('keeps to the selection', async () => {
    const observations = await runTransportChecks(config(served, 3, { clauseIds: ['3.1.3/R4'] }), { env: ENV });
    expect(new Set(observations.map((o) => o.clause))).toEqual(new Set(['3.1.3/R4']));
  });

  it('without credentials (--auth none), the authentication checks are NOT-TESTED and the bind checks still run', async () => {
    const observations = await runTransportChecks({ ...config(served, 3), user: undefined, auth: 'none' }, { env: {} });
    const byClause = new Map(observations.map((o) => [o.clause, o]));
    expect(byClause.get('2.1/R3')?.outcome).toBe('pass');
    for (const id of ['2.1/R14', '2.1/R2', '2.1/R24', '3.1.3/R4']) {
      expect(byClause.get(id)).toMatchObject({ outcome: 'not-tested', message: expect.stringContaining('the run has no credentials (--auth none)') });
    }
  });
});

describe('the wire mutant accept-low-auth', () => {
  it('is listed by mutants with the clause it trips', () => {
    const [mutant] = resolveTrips(listMutants().filter((m) => m.name === 'accept-low-auth'), catalogue);
    expect(mutant).toMatchObject({ wire: true, trips: [{ clause: '2.1/R14' }] });
  });

  it('is caught by 2.1/R14, at connect and packet integrity, with both auth types, and trips nothing else', async () => {
    const served = await serveReference({ account: ACCOUNT, wireMutant: 'accept-low-auth' });
    try {
      const observations = await runTransportChecks(config(served, 3), { env: ENV });
      const failed = observations.filter((o) => o.outcome === 'fail');
      expect(failed.map((o) => o.test).sort()).toEqual(
        [
          'transport-security: NTLM at connect is refused',
          'transport-security: NTLM at packet integrity is refused',
          'transport-security: SPNEGO(NTLM) at connect is refused',
          'transport-security: SPNEGO(NTLM) at packet integrity is refused',
        ].sort(),
      );
      const judged = verdicts(3, observations);
      expect(judged.get('2.1/R14')).toBe('FAIL');
      expect([...judged].filter(([id, v]) => id !== '2.1/R14' && id !== '2.1/R1' && v !== 'PASS')).toEqual([]);
    } finally {
      await served.close();
    }
  });
});

it('outside the wire, every transport clause is NOT-TESTED with the reason', async () => {
  const observations = await runTransportChecks(config(undefined, 3));
  expect(observations.length).toBeGreaterThan(10);
  for (const o of observations) expect(o).toMatchObject({ outcome: 'not-tested', message: expect.stringContaining('only observable on the DCE/RPC wire') });
  expect(verdicts(3, observations).get('2.1/R14')).toBe('NOT-TESTED');
});

describe('through the command line', () => {
  const CLI = join(__dirname, '../wire/rpc/fixtures/cli.js');

  it('serve --user ... --mutant accept-low-auth, judged with run --section 2.1 --section 3.1.3: exit 1, 2.1/R14 FAIL', async () => {
    const served = await startServe(['--listen', 'dcerpc:127.0.0.1:0', '--user', 'CLUSTER\\tester', '--mutant', 'accept-low-auth'], scaled(20000), ENV);
    const dir = mkdtempSync(join(tmpdir(), 'cmrp-transport-'));
    try {
      const run = spawnSync(
        process.execPath,
        [CLI, 'run', '--target', `dcerpc:127.0.0.1:${served.port}`, '--user', 'CLUSTER\\tester', '--section', '2.1', '--section', '3.1.3', '--json', join(dir, 'r.json'), '--junit', join(dir, 'j.xml'), '--markdown', join(dir, 's.md'), '--html', join(dir, 'r.html')],
        { encoding: 'utf8', timeout: scaled(120_000), env: { ...process.env, ...ENV } },
      );
      expect(run.status).toBe(1);
      const results = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { clauses: { id: string; verdict: string }[] };
      const verdict = new Map(results.clauses.map((c) => [c.id, c.verdict]));
      expect(verdict.get('2.1/R14')).toBe('FAIL');
      expect(verdict.get('2.1/R24')).toBe('PASS');
      expect(verdict.get('3.1.3/R4')).toBe('PASS');
      expect(run.stdout).toContain('2.1/R14');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      expect(await served.stop()).toBe(0);
    }
  }, 150_000);
});
