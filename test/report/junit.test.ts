import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildJUnit } from '../../harness/report/junit';
import type { RunResults } from '../../harness/report/results';
import { clause, obs } from '../support/cli-fixtures';
import { resultsOf } from '../support/results';

const pass = clause('3.1.4.2.66/R1', { title: 'blocks until an indication' });
const fail = clause('3.1.4.2.66/R2', { title: 'closed port gives ERROR_INVALID_HANDLE' });
const should = clause('3.1.4.2.66/R3', { level: 'SHOULD', title: 'answers promptly' });
const client = clause('3.1.4.2.66/R4', { party: 'client', testable: false, title: 'client retries' });
const error = clause('3.1.4.2.66/R5', { title: 'survives a malformed filter' });
const unsure = clause('3.1.4.2.66/R6', { title: 'event arrives in time' });
const all = [pass, fail, should, client, error, unsure];

const observations = [
  obs(pass.id, 'pass'),
  obs(pass.id, 'pass'),
  obs(fail.id, 'fail', {
    message: 'closed port: expected ERROR_INVALID_HANDLE (0x6), got ERROR_SUCCESS (0x0)',
    trace: ['ApiCreateNotify() -> ERROR_SUCCESS (0x0) hNotify=hNotify#1', 'ApiCloseNotify(hNotify=hNotify#1) -> ERROR_SUCCESS (0x0)', 'ApiGetNotify(hNotify=hNotify#1) -> ERROR_SUCCESS (0x0)'],
    replay: 'npx cmrp-notify-conformance run --clause 3.1.4.2.66/R2 --seed 7',
  }),
  obs(fail.id, 'fail', {
    test: 'property/ports',
    message: 'longer path: expected ERROR_INVALID_HANDLE (0x6), got ERROR_SUCCESS (0x0) after 5 calls',
    trace: ['a', 'b', 'c', 'd', 'e'],
    seed: 99,
  }),
  obs(should.id, 'fail', { message: 'answered after 3 s' }),
  obs(error.id, 'error', { message: 'target closed the connection' }),
  obs(unsure.id, 'inconclusive', { message: 'no event within 2 s' }),
];

type Node = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

function parse(xml: string): { suites: Node; cases: Node[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as { testsuites: Node };
  const suites = doc.testsuites;
  const cases = (suites.testsuite as Node[]).flatMap((s) => s.testcase as Node[]);
  return { suites, cases };
}

const byName = (cases: Node[], id: string) => cases.find((c) => String(c['@_name']).startsWith(`${id} `))!;
const text = (node: unknown) => (typeof node === 'string' ? node : String((node as Node)['#text'] ?? ''));

const HAVE_XMLLINT = spawnSync('xmllint', ['--version']).status === 0;
const SCHEMA = join(__dirname, 'junit-10.xsd');

/** xmllint's verdict on `xml` against the Jenkins xUnit junit-10.xsd: '' when valid, else its complaint. */
function schemaProblems(xml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cmrp-junit-')), 'junit.xml');
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
  return r.status === 0 ? '' : r.stderr;
}

describe('JUnit report', () => {
  const results = resultsOf(all, observations);
  const xml = buildJUnit(results);
  const { suites, cases } = parse(xml);

  it('has one test case per clause, named "<id> <title>", in a class Jenkins splits after "MS-CMRP v3"', () => {
    expect(cases.map((c) => c['@_name'])).toEqual(all.map((c) => `${c.id} ${c.title}`));
    for (const c of cases) {
      const classname = String(c['@_classname']);
      expect(classname).toBe('MS-CMRP v3.3\u20241\u20244\u20242\u202466 ApiGetNotify (Opnum 65)');
      // Jenkins: package = up to the last dot, class = after it.
      expect(classname.slice(0, classname.lastIndexOf('.'))).toBe('MS-CMRP v3');
    }
    expect(suites['@_tests']).toBe('6');
    expect(suites['@_failures']).toBe('1');
    expect(suites['@_errors']).toBe('1');
    expect(suites).not.toHaveProperty('@_skipped');
    expect((suites.testsuite as Node[])[0]['@_skipped']).toBe('2');
  });

  it('has times everywhere and no test-case properties; the run settings are suite properties', () => {
    expect(suites['@_time']).toBe('1.234');
    for (const s of suites.testsuite as Node[]) expect(s['@_time']).toBeDefined();
    for (const c of cases) {
      expect(c['@_time']).toBe('0');
      expect(c).not.toHaveProperty('properties');
    }
    const props = Object.fromEntries((((suites.testsuite as Node[])[0].properties as Node).property as Node[]).map((p) => [p['@_name'], p['@_value']]));
    expect(props).toMatchObject({ target: 'builtin', protocolVersion: '3', seed: '7', strict: 'false' });
  });

  it('makes a FAIL a <failure> with the clause, Expected vs Actual and the shortest call sequence', () => {
    const failure = byName(cases, fail.id).failure as Node;
    expect(failure['@_type']).toBe('FAIL');
    expect(failure['@_message']).toBe('closed port: expected ERROR_INVALID_HANDLE (0x6), got ERROR_SUCCESS (0x0)');
    const body = text(failure);
    expect(body).toContain(`FAIL: ${fail.id} ${fail.title}`);
    expect(body).toContain(`Requirement: ${fail.summary}`);
    expect(body).toContain('MUST');
    expect(body).toContain('Expected: ERROR_INVALID_HANDLE (0x6)');
    expect(body).toContain('Actual:   ERROR_SUCCESS (0x0)');
    expect(body).toContain('Calls (the shortest failing sequence, 3):');
    expect(body).toContain('  2. ApiCloseNotify(hNotify=hNotify#1) -> ERROR_SUCCESS (0x0)');
    expect(body).not.toContain('  4. d');
    expect(body).toContain('Replay: npx cmrp-notify-conformance run --clause 3.1.4.2.66/R2 --seed 7');
    expect(body).toContain('1 more distinct failing check(s)');
  });

  it('makes an ERROR an <error>, and NOT-TESTED and INCONCLUSIVE <skipped> with the reason in message and body', () => {
    expect((byName(cases, error.id).error as Node)['@_type']).toBe('ERROR');
    const skipped = byName(cases, client.id).skipped as Node;
    expect(skipped['@_type']).toBe('NOT-TESTED');
    expect(skipped['@_message']).toMatch(/^NOT-TESTED: client-side clause/);
    expect(text(skipped)).toContain('client-side clause');
    const inconclusive = byName(cases, unsure.id).skipped as Node;
    expect(inconclusive['@_message']).toContain('INCONCLUSIVE: no event within 2 s');
    expect(text(inconclusive)).toContain('no event within 2 s');
  });

  it('passes a NON-STRICT clause visibly (system-out and system-err say NON-STRICT), and fails it under --strict', () => {
    const lenient = byName(cases, should.id);
    expect(lenient).not.toHaveProperty('failure');
    expect(lenient).not.toHaveProperty('skipped');
    expect(text(lenient['system-out'])).toMatch(/^NON-STRICT \(not gating/);
    expect(text(lenient['system-out'])).toContain('answered after 3 s');
    expect(text(lenient['system-err'])).toBe('NON-STRICT (not gating): answered after 3 s');
    const strict = byName(parse(buildJUnit(resultsOf(all, observations, { strict: true }))).cases, should.id);
    expect((strict.failure as Node)['@_type']).toBe('NON-STRICT');
  });

  it('keeps test names stable across seeds', () => {
    const other = parse(buildJUnit(resultsOf(all, observations, { seed: 123456 }))).cases;
    expect(other.map((c) => c['@_name'])).toEqual(cases.map((c) => c['@_name']));
    for (const c of other) expect(String(c['@_name'])).not.toMatch(/seed/);
  });

  it('stays well-formed whatever the target sends back', () => {
    const nasty = 'name "\u0001\u001b[31m" <b>&amp; ]]> and again ]]> \uD800 end';
    const xmlNasty = buildJUnit(resultsOf([fail], [obs(fail.id, 'fail', { message: nasty, trace: [nasty] })]));
    const { cases: parsed } = parse(xmlNasty);
    const body = text(parsed[0].failure);
    expect(body).toContain('\\u0001\\u001b[31m');
    expect(xmlNasty).toContain('&lt;b&gt;&amp;amp; ]]&gt; and again ]]&gt; \\ud800 end');
  });

  it('turns baseline outcomes into consistent test cases', () => {
    const baseline = new Map([
      [fail.id, { reason: 'known bug #12', verdict: 'FAIL' as const }],
      [pass.id, { reason: 'was broken', verdict: 'FAIL' as const }],
      ['9.9/R1', { reason: 'gone', verdict: 'FAIL' as const }],
    ]);
    const { cases: parsed } = parse(buildJUnit(resultsOf(all, observations, { baseline })));
    const expected = byName(parsed, fail.id).skipped as Node;
    expect(expected['@_type']).toBe('EXPECTED-FAILURE');
    expect(expected['@_message']).toContain('known bug #12');
    expect((byName(parsed, pass.id).failure as Node)['@_type']).toBe('UNEXPECTED-PASS');
    const stale = parsed.find((c) => c['@_name'] === 'baseline stale entries')!;
    expect((stale.failure as Node)['@_type']).toBe('STALE-BASELINE');
    expect(text(stale.failure)).toContain('9.9/R1: gone');
  });

  it('reports harness problems as an <error> test case', () => {
    const { cases: parsed } = parse(buildJUnit(resultsOf([pass], [obs(pass.id, 'pass'), obs('3.1.4.2.66/R42', 'pass')], { catalogueIds: [pass.id] })));
    const harness = parsed.find((c) => String(c['@_name']).startsWith('harness '))!;
    expect(harness.error).toBeDefined();
    expect(text(harness.error as Node)).toContain("'3.1.4.2.66/R42'");
  });

  describe("valid against the Jenkins xUnit plugin's junit-10.xsd", () => {
    if (!HAVE_XMLLINT) {
      it.skip('skipped: xmllint is missing (Debian package libxml2-utils; .ci/run installs it)', () => undefined);
      return;
    }
    const baseline = new Map([[fail.id, { reason: 'known', verdict: 'FAIL' as const }], ['9.9/R1', { reason: 'gone', verdict: 'FAIL' as const }]]);
    const variants: [string, RunResults][] = [
      ['every verdict', results],
      ['strict', resultsOf(all, observations, { strict: true })],
      ['a baseline with stale entries', resultsOf(all, observations, { baseline })],
      ['harness errors and hostile text', resultsOf([fail], [obs(fail.id, 'fail', { message: '\u0001 ]]> "<&>"', trace: ['\uD800'] }), obs('9.9/R9', 'pass')], { catalogueIds: [fail.id] })],
    ];
    it.each(variants)('%s', (_label, r) => {
      expect(schemaProblems(buildJUnit(r))).toBe('');
    });
  });
});
