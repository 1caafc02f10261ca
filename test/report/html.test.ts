import { githubAnnotations } from '../../harness/report/annotations';
import { evidenceOf, expectedActual, shortestEvidence } from '../../harness/report/evidence';
import { buildHtml, clauseAnchor } from '../../harness/report/html';
import { clause, obs } from '../support/cli-fixtures';
import { resultsOf } from '../support/results';

const pass = clause('3.1.4.2.66/R1', { title: 'blocks until an indication' });
const fail = clause('3.1.4.2.66/R2', { title: 'closed port gives <ERROR_INVALID_HANDLE>' });
const should = clause('3.1.4.2.66/R3', { level: 'SHOULD', title: 'answers promptly' });
const client = clause('3.1.4.2.66/R4', { party: 'client', testable: false });
const all = [pass, fail, should, client];
const RAW_HANDLE = '00000000' + 'ab'.repeat(16);

const observations = [
  obs(pass.id, 'pass'),
  obs(fail.id, 'fail', {
    message: `closed port: expected ERROR_INVALID_HANDLE (0x6), got ERROR_SUCCESS (0x0) for handle ${RAW_HANDLE} <script>alert(1)</script>`,
    trace: ['ApiCreateNotify() -> ERROR_SUCCESS (0x0) hNotify=hNotify#1', 'ApiCloseNotify(hNotify=hNotify#1) -> ERROR_SUCCESS (0x0)'],
    replay: "npx cmrp-notify-conformance run --target 'builtin' --clause 3.1.4.2.66/R2 --seed 7",
  }),
  obs(should.id, 'fail', { message: 'answered after 3 s' }),
];

describe('evidence read back from a verdict message', () => {
  const results = resultsOf(all, [...observations, obs(fail.id, 'fail', { test: 'other', message: 'second: expected A, observed B', trace: ['x', 'y', 'z'], seed: 5 })]);
  const failed = results.clauses.find((c) => c.id === fail.id)!;

  it('splits test, text, calls, seed and replay of each distinct check', () => {
    const evidence = evidenceOf(failed);
    expect(evidence).toHaveLength(2);
    expect(evidence[0]).toMatchObject({ test: `test of ${fail.id}`, trace: observations[1].trace, replay: observations[1].replay, seed: null });
    expect(evidence[1]).toMatchObject({ test: 'other', text: 'second: expected A, observed B', trace: ['x', 'y', 'z'], seed: 5, replay: null });
    expect(shortestEvidence(failed)).toEqual(evidence[0]);
    expect(expectedActual(failed, evidence[1])).toEqual({ expected: 'A', actual: 'B' });
  });

  it('takes the requirement as what was expected when the text does not say', () => {
    const c = results.clauses.find((x) => x.id === should.id)!;
    expect(expectedActual(c, shortestEvidence(c))).toEqual({ expected: should.summary, actual: 'answered after 3 s' });
  });

  it('has none for a NOT-TESTED clause (its message is the reason)', () => {
    expect(evidenceOf(results.clauses.find((x) => x.id === client.id)!)).toEqual([]);
  });
});

describe('HTML report', () => {
  const html = buildHtml(resultsOf(all, observations));

  it('is self-contained: no external script, style, image or font', () => {
    expect(html).not.toMatch(/\b(src|href)="(?!#)/);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('has a matrix cell and a section for every clause, with totals', () => {
    for (const c of all) {
      expect(html).toContain(`id="${clauseAnchor(c.id)}"`);
      expect(html).toContain(`data-open="${clauseAnchor(c.id)}"`);
    }
    expect(html).toMatch(/<tr><th>total<\/th><th>1<\/th><th>1<\/th><th>1<\/th><th>1<\/th>/);
  });

  it('escapes what the target said and never shows a raw handle', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).not.toContain(RAW_HANDLE);
    expect(html).toContain('&#60;handle&#62;');
    expect(html).toContain('closed port gives &#60;ERROR_INVALID_HANDLE&#62;');
  });

  it('shows Expected vs Actual, the calls and the replay command of a failure', () => {
    expect(html).toContain('<pre class="expected">ERROR_INVALID_HANDLE (0x6)</pre>');
    expect(html).toMatch(/<pre class="actual">ERROR_SUCCESS \(0x0\) for handle/);
    expect(html).toContain('<li>ApiCloseNotify(hNotify=hNotify#1) -&#62; ERROR_SUCCESS (0x0)</li>');
    expect(html).toContain('<pre class="replay">npx cmrp-notify-conformance run --target &#39;builtin&#39; --clause 3.1.4.2.66/R2 --seed 7</pre>');
  });

  it('never shows the password, even when a target echoes it', () => {
    const secret = 'Sw0rdfish-xyz';
    const previous = process.env.CMRP_PASSWORD;
    process.env.CMRP_PASSWORD = secret;
    try {
      const leaky = resultsOf([fail], [obs(fail.id, 'fail', { message: `logon as bob with ${secret} refused`, trace: [`bind ${secret}`] })]);
      expect(buildHtml(leaky)).not.toContain(secret);
      expect(githubAnnotations(leaky)).not.toContain(secret);
    } finally {
      if (previous === undefined) delete process.env.CMRP_PASSWORD;
      else process.env.CMRP_PASSWORD = previous;
    }
  });
});

describe('GitHub Actions annotations', () => {
  it('makes a FAIL an error and a non-gating NON-STRICT a warning, one line each, escaped', () => {
    const lines = githubAnnotations(resultsOf(all, observations)).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error title=MS-CMRP FAIL 3\.1\.4\.2\.66\/R2::3\.1\.4\.2\.66\/R2 closed port/);
    expect(lines[0]).toContain('%0AExpected: ERROR_INVALID_HANDLE (0x6)%0AActual: ERROR_SUCCESS (0x0)');
    expect(lines[1]).toMatch(/^::warning title=MS-CMRP NON-STRICT \(not gating\) 3\.1\.4\.2\.66\/R3::/);
  });

  it('keeps within GitHub’s ten per kind, counting the rest', () => {
    const many = Array.from({ length: 14 }, (_, i) => clause(`3.1.4.2.66/R${i + 1}`));
    const lines = githubAnnotations(resultsOf(many, many.map((c) => obs(c.id, 'fail', { message: 'no' })))).trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[9]).toMatch(/^::error title=MS-CMRP 5 more::FAIL 3\.1\.4\.2\.66\/R10, /);
  });

  it('says nothing for a clean run', () => {
    expect(githubAnnotations(resultsOf([pass], [obs(pass.id, 'pass')]))).toBe('');
  });
});
