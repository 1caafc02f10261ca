import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { resultsValidator } from '../../harness/report/read-results';
import type { RunResults } from '../../harness/report/results';
import { fakeRunner, runCli, tempDir } from '../support/cli-fixtures';

const FIRST_HALF = { '3.1.4.2.6/R1': 'pass', '3.1.4.2.6/R2': 'pass' } as const;
const SECOND_HALF = { '3.1.4.2.66/R1': 'pass', '3.1.4.2.66/R2': 'fail', '3.1.4.2.66/R3': 'pass', '3.1.4.2.66/R10': 'pass' } as const;

async function shard(dir: string, name: string, argv: string[], outcomes: Parameters<typeof fakeRunner>[0]): Promise<void> {
  const r = await runCli(['run', ...argv, '--json', name, '--junit', `${name}.xml`, '--markdown', `${name}.md`], { dir, executeRun: fakeRunner(outcomes) });
  expect(r.code).not.toBe(undefined);
}

describe('merge', () => {
  it('combines shards of one selection into one report and gate', async () => {
    const dir = tempDir();
    await shard(dir, 'a.json', ['--shard', '1/2'], FIRST_HALF);
    await shard(dir, 'b.json', ['--shard', '2/2'], SECOND_HALF);
    const r = await runCli(['merge', 'a.json', 'b.json', '--junit', 'm.xml', '--json', 'm.json', '--markdown', 'm.md'], { dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0); // the only miss is a SHOULD
    const merged = JSON.parse(fs.readFileSync(path.join(dir, 'm.json'), 'utf8')) as RunResults;
    expect(resultsValidator()(merged)).toBe(true);
    expect(merged.summary).toMatchObject({ pass: 5, nonStrict: 1, notTested: 1, fail: 0, total: 7 });
    expect(merged.shards!.map((s) => s.file)).toEqual(['a.json', 'b.json']);
    expect(merged.clauses.find((c) => c.id === '3.1.4.2.66/R4')!.message).toMatch(/client-side/);
    expect(XMLValidator.validate(fs.readFileSync(path.join(dir, 'm.xml'), 'utf8'))).toBe(true);
    expect(r.stdout).toContain('merged 2 shard(s): a.json, b.json');
  });

  it('gates the merged verdicts like a single run', async () => {
    const dir = tempDir();
    await shard(dir, 'a.json', ['--shard', '1/2'], { ...FIRST_HALF, '3.1.4.2.6/R2': 'fail' });
    await shard(dir, 'b.json', ['--shard', '2/2'], SECOND_HALF);
    const r = await runCli(['merge', 'a.json', 'b.json'], { dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NOT CONFORMANT (exit 1): 1 FAIL');
    expect(fs.existsSync(path.join(dir, 'reports/junit.xml'))).toBe(true);
  });

  it('fails with one line when the shards did not cover the selection', async () => {
    const dir = tempDir();
    await shard(dir, 'a.json', ['--section', '3.1.4.2.6'], FIRST_HALF);
    await shard(dir, 'b.json', ['--clause', '3.1.4.2.66/R1'], SECOND_HALF);
    const r = await runCli(['merge', 'a.json', 'b.json'], { dir });
    expect(r).toMatchObject({
      code: 1,
      stderr: 'cmrp-notify-conformance: merge failed: the shards do not cover the selection: 4 clause(s) in no shard: 3.1.4.2.66/R2, 3.1.4.2.66/R3, 3.1.4.2.66/R4, 3.1.4.2.66/R10\n',
    });
    // Given the selection the shards were meant to cover, the same shards are complete.
    expect((await runCli(['merge', 'a.json', 'b.json', '--section', '3.1.4.2.6', '--clause', '3.1.4.2.66/R1'], { dir })).code).toBe(0);
  });

  it('fails with one line when two shards gave one clause different verdicts', async () => {
    const dir = tempDir();
    await shard(dir, 'a.json', ['--shard', '1/2'], { ...FIRST_HALF, ...SECOND_HALF });
    await shard(dir, 'b.json', ['--shard', '2/2'], { '3.1.4.2.66/R1': 'fail' });
    const r = await runCli(['merge', 'a.json', 'b.json'], { dir });
    expect(r).toMatchObject({
      code: 1,
      stderr: 'cmrp-notify-conformance: merge failed: clause 3.1.4.2.66/R1 was covered by several shards with different verdicts: PASS in a.json, FAIL in b.json\n',
    });
  });

  it('sums the hits of a clause two shards agree on', async () => {
    const dir = tempDir();
    await shard(dir, 'a.json', ['--shard', '1/2'], { ...FIRST_HALF, ...SECOND_HALF });
    await shard(dir, 'b.json', ['--shard', '2/2'], { '3.1.4.2.66/R1': ['pass', 'pass'] });
    expect((await runCli(['merge', 'a.json', 'b.json', '--json', 'm.json'], { dir })).code).toBe(0);
    const merged = JSON.parse(fs.readFileSync(path.join(dir, 'm.json'), 'utf8')) as RunResults;
    expect(merged.clauses.find((c) => c.id === '3.1.4.2.66/R1')!.hits).toBe(3);
  });

  it.each([
    [[], 'cmrp-notify-conformance: merge: name the results files of the shards (merge A.json B.json ... --junit OUT --json OUT)\n'],
    [['missing.json'], 'cmrp-notify-conformance: missing.json: cannot read it (ENOENT)\n'],
    [['bad.json'], "cmrp-notify-conformance: bad.json: not a cmrp-notify-conformance results file: (top level) must have required property 'format'\n"],
  ])('refuses %j with one line (exit 2)', async (files, stderr) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"clauses": []}');
    expect(await runCli(['merge', ...files], { dir })).toEqual({ code: 2, stdout: '', stderr });
  });

  it('refuses shards of different runs (exit 2)', async () => {
    const dir = tempDir();
    await shard(dir, 'a.json', [], FIRST_HALF);
    await shard(dir, 'b.json', ['--strict'], SECOND_HALF);
    const r = await runCli(['merge', 'a.json', 'b.json'], { dir });
    expect(r).toMatchObject({ code: 2, stderr: 'cmrp-notify-conformance: b.json: strict is true, but a.json has false: these are not shards of one run\n' });
  });
});

describe('merge: a sharded run is merged whole or not at all', () => {
  const THIRDS: Record<string, Parameters<typeof fakeRunner>[0]> = {
    '1/3': FIRST_HALF,
    '2/3': { '3.1.4.2.66/R1': 'pass', '3.1.4.2.66/R2': 'fail' },
    '3/3': { '3.1.4.2.66/R3': 'pass', '3.1.4.2.66/R10': 'pass' },
  };

  async function thirds(dir: string, extra: Record<string, string[]> = {}): Promise<void> {
    for (const [i, outcomes] of Object.entries(THIRDS)) {
      await shard(dir, `s${i[0]}.json`, ['--shard', i, '--seed', '9', ...(extra[i] ?? [])], outcomes);
    }
  }

  const read = (dir: string, file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as RunResults;

  it('records in each shard its share and the clauses it owned', async () => {
    const dir = tempDir();
    await thirds(dir);
    expect(read(dir, 's2.json').shard).toEqual({ index: 2, count: 3, owned: ['3.1.4.2.66/R1', '3.1.4.2.66/R2'] });
    expect(resultsValidator()(read(dir, 's2.json'))).toBe(true);
    const r = await runCli(['merge', 's1.json', 's2.json', 's3.json', '--json', 'm.json'], { dir });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(read(dir, 'm.json').shards!.map((s) => [s.index, s.count, s.owned])).toEqual([[1, 3, 2], [2, 3, 2], [3, 3, 2]]);
    expect(read(dir, 'm.json').summary).toMatchObject({ pass: 5, nonStrict: 1, notTested: 1 });
  });

  it.each([
    [['s1.json'], 'shard 2/3, 3/3 missing: the run had 3 shards, merge was given 1/3 s1.json'],
    [['s1.json', 's3.json'], 'shard 2/3 missing: the run had 3 shards, merge was given 1/3 s1.json, 3/3 s3.json'],
    [['s1.json', 's2.json', 's3.json', 's2.json'], "s2.json: the same results as s2.json: each shard's results must be given once"],
    [['s1.json', 's2.json', 's3.json', './s3.json'], "./s3.json: the same results as s3.json: each shard's results must be given once"],
    [['s1.json', 's2.json', 's3.json', 'copy.json'], "copy.json: the same results as s1.json: each shard's results must be given once"],
    [['s1.json', 's2.json', 's3.json', 'again1.json'], 'again1.json: claims shard 1/3, as s1.json does: each shard must be given once'],
    [['s1.json', 's2.json', 's3.json', 'half.json'], 'half.json: the shard count is 2, but s1.json has 3: these are not shards of one run'],
    [['s1.json', 's2.json', 'seed.json'], 'seed.json: the seed is 10, but s1.json has 9: these are not shards of one run (give every shard the same --seed)'],
    [['s1.json', 's2.json', 'sel.json'], 'sel.json: the selection is "2 clause(s)", but s1.json has "7 clause(s)": these are not shards of one run (give every shard the same selection flags)'],
    [['s1.json', 's2.json', 'v2.json'], 'v2.json: protocolVersion is 2, but s1.json has 3: these are not shards of one run'],
    [['s1.json', 's2.json', 'other.json'], 'other.json: target is "tcp:127.0.0.1:9", but s1.json has "builtin": these are not shards of one run'],
    [['s1.json', 's2.json', 's3.json', 'whole.json'], 'whole.json: the results of a whole run, but s1.json is shard 1/3: these are not shards of one run'],
    [['s1.json', 's2.json', 'edited.json'], 'edited.json: clause 3.1.4.2.6/R1 is PASS but not among the clauses the shard owned: the file is not a shard\'s results as written'],
  ])('refuses %j with one line (exit 2)', async (files, message) => {
    const dir = tempDir();
    await thirds(dir);
    fs.copyFileSync(path.join(dir, 's1.json'), path.join(dir, 'copy.json'));
    await shard(dir, 'again1.json', ['--shard', '1/3', '--seed', '9'], { '3.1.4.2.6/R1': 'pass' });
    await shard(dir, 'half.json', ['--shard', '2/2', '--seed', '9'], THIRDS['3/3']);
    await shard(dir, 'seed.json', ['--shard', '3/3', '--seed', '10'], THIRDS['3/3']);
    await shard(dir, 'sel.json', ['--shard', '3/3', '--seed', '9', '--section', '3.1.4.2.6'], THIRDS['3/3']);
    await shard(dir, 'v2.json', ['--shard', '3/3', '--seed', '9', '--protocol-version', '2'], {});
    await shard(dir, 'other.json', ['--shard', '3/3', '--seed', '9', '--target', 'tcp:127.0.0.1:9'], THIRDS['3/3']);
    await shard(dir, 'whole.json', ['--seed', '9'], THIRDS['3/3']);
    const edited = read(dir, 's3.json');
    edited.clauses.find((c) => c.id === '3.1.4.2.6/R1')!.verdict = 'PASS';
    fs.writeFileSync(path.join(dir, 'edited.json'), JSON.stringify(edited));
    const r = await runCli(['merge', ...files, '--json', 'm.json'], { dir });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `cmrp-notify-conformance: ${message}\n` });
    expect(fs.existsSync(path.join(dir, 'm.json'))).toBe(false);
  });

  it('says, when a shard is run without --seed, that the shards need one seed', async () => {
    const dir = tempDir();
    const r = await runCli(['run', '--shard', '1/2', '--json', 'a.json'], { dir, executeRun: fakeRunner(FIRST_HALF) });
    expect(r.stderr).toContain('give every shard the same --seed');
  });
});

describe('a run over several clusters', () => {
  // The first cluster is `target` and `control`, as in a run of one; the others were missing from the
  // results (only the description named them). They are recorded in order, and a merge keeps them.
  const clusters = [1, 2, 3].flatMap((n) => ['--target', `dcerpc:127.0.0.1:100${n}`, '--control', `tcp:127.0.0.1:200${n}`]);

  it('names every cluster in results.json and JUnit, and a merge of its shards keeps them', async () => {
    const dir = tempDir();
    await shard(dir, 'a.json', [...clusters, '--auth', 'none', '--seed', '5', '--shard', '1/2'], FIRST_HALF);
    await shard(dir, 'b.json', [...clusters, '--auth', 'none', '--seed', '5', '--shard', '2/2'], SECOND_HALF);
    const a = JSON.parse(fs.readFileSync(path.join(dir, 'a.json'), 'utf8')) as RunResults;
    expect(resultsValidator()(a)).toBe(true);
    expect(a).toMatchObject({ target: 'dcerpc:127.0.0.1:1001', control: 'tcp:127.0.0.1:2001' });
    const more = [
      { target: 'dcerpc:127.0.0.1:1002', control: 'tcp:127.0.0.1:2002' },
      { target: 'dcerpc:127.0.0.1:1003', control: 'tcp:127.0.0.1:2003' },
    ];
    expect(a.moreClusters).toEqual(more);
    const junit = fs.readFileSync(path.join(dir, 'a.json.xml'), 'utf8');
    expect(junit).toContain('<property name="target2" value="dcerpc:127.0.0.1:1002 (control tcp:127.0.0.1:2002)"');
    expect(junit).toContain('<property name="target3" value="dcerpc:127.0.0.1:1003 (control tcp:127.0.0.1:2003)"');
    const r = await runCli(['merge', 'a.json', 'b.json', '--json', 'm.json'], { dir });
    expect(r.stderr).toBe('');
    const merged = JSON.parse(fs.readFileSync(path.join(dir, 'm.json'), 'utf8')) as RunResults;
    expect(resultsValidator()(merged)).toBe(true);
    expect(merged.moreClusters).toEqual(more);
  });

  it('has no moreClusters with one cluster, and null controls where a cluster has none', async () => {
    const dir = tempDir();
    await shard(dir, 'one.json', ['--target', 'dcerpc:127.0.0.1:1001', '--auth', 'none'], FIRST_HALF);
    const one = JSON.parse(fs.readFileSync(path.join(dir, 'one.json'), 'utf8')) as RunResults;
    expect(one).not.toHaveProperty('moreClusters');
    await shard(dir, 'two.json', ['--target', 'dcerpc:127.0.0.1:1001', '--target', 'dcerpc:127.0.0.1:1002', '--auth', 'none'], FIRST_HALF);
    const two = JSON.parse(fs.readFileSync(path.join(dir, 'two.json'), 'utf8')) as RunResults;
    expect(resultsValidator()(two)).toBe(true);
    expect(two).toMatchObject({ control: null, moreClusters: [{ target: 'dcerpc:127.0.0.1:1002', control: null }] });
    expect(fs.readFileSync(path.join(dir, 'two.json.xml'), 'utf8')).toContain('<property name="target2" value="dcerpc:127.0.0.1:1002"');
  });
});
