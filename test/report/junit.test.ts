import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildJUnit } from '../../harness/report/junit';
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
    message: 'expected ERROR_INVALID_HANDLE (0x6), got ERROR_SUCCESS (0x0)',
    trace: ['ApiCreateNotify(hCluster) -> hNotify', 'ApiCloseNotify(hNotify) -> ERROR_SUCCESS', 'ApiGetNotify(hNotify) -> ERROR_SUCCESS'],
    replay: 'npx cmrp-notify-conformance run --clause 3.1.4.2.66/R2 --seed 7',
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
  cdataPropName: '#cdata',
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
const text = (node: unknown) => String((node as Node)['#cdata'] ?? '');
const props = (c: Node) => Object.fromEntries(((c.properties as Node).property as Node[]).map((p) => [p['@_name'], p['@_value']]));

describe('JUnit report', () => {
  const xml = buildJUnit(resultsOf(all, observations));
  const { suites, cases } = parse(xml);

  it('has one test case per clause, named "<id> <title>", class "MS-CMRP <section> <heading>"', () => {
    expect(cases.map((c) => c['@_name'])).toEqual(all.map((c) => `${c.id} ${c.title}`));
    for (const c of cases) expect(c['@_classname']).toBe('MS-CMRP 3.1.4.2.66 ApiGetNotify (Opnum 65)');
    expect(suites['@_tests']).toBe('6');
    expect(suites['@_failures']).toBe('1');
    expect(suites['@_errors']).toBe('1');
    expect(suites['@_skipped']).toBe('2');
  });

  it('carries level, section, protocol version, hits and seed as properties', () => {
    expect(props(byName(cases, pass.id))).toEqual({ verdict: 'PASS', level: 'MUST', section: '3.1.4.2.66', protocolVersion: '3', hits: '2', seed: '7' });
  });

  it('makes a FAIL a <failure> whose text stands on its own', () => {
    const failure = byName(cases, fail.id).failure as Node;
    expect(failure['@_type']).toBe('FAIL');
    expect(failure['@_message']).toContain('expected ERROR_INVALID_HANDLE (0x6), got ERROR_SUCCESS (0x0)');
    const body = text(failure);
    expect(body).toContain(fail.id);
    expect(body).toContain(`Requirement: ${fail.summary}`);
    expect(body).toContain('MUST');
    expect(body).toContain('  2. ApiCloseNotify(hNotify) -> ERROR_SUCCESS');
    expect(body).toContain('replay: npx cmrp-notify-conformance run --clause 3.1.4.2.66/R2 --seed 7');
  });

  it('makes an ERROR an <error>, and NOT-TESTED and INCONCLUSIVE skipped with the reason in system-out', () => {
    expect((byName(cases, error.id).error as Node)['@_type']).toBe('ERROR');
    const skipped = byName(cases, client.id);
    expect(skipped).toHaveProperty('skipped');
    expect(text(skipped['system-out'])).toMatch(/NOT-TESTED.*\n[\s\S]*client-side/);
    const inconclusive = byName(cases, unsure.id);
    expect(inconclusive).toHaveProperty('skipped');
    expect(text(inconclusive['system-out'])).toContain('INCONCLUSIVE');
    expect(text(inconclusive['system-out'])).toContain('no event within 2 s');
  });

  it('passes a NON-STRICT clause with the shortfall in system-out, and fails it under --strict', () => {
    const lenient = byName(cases, should.id);
    expect(lenient).not.toHaveProperty('failure');
    expect(text(lenient['system-out'])).toContain('answered after 3 s');
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
    expect(body).toContain('<b>&amp; ]]&gt; and again ]]&gt; \\ud800 end');
  });

  it('turns baseline outcomes into consistent test cases', () => {
    const baseline = new Map([
      [fail.id, { reason: 'known bug #12', verdict: 'FAIL' as const }],
      [pass.id, { reason: 'was broken', verdict: 'FAIL' as const }],
      ['9.9/R1', { reason: 'gone', verdict: 'FAIL' as const }],
    ]);
    const { cases: parsed } = parse(buildJUnit(resultsOf(all, observations, { baseline })));
    const expected = byName(parsed, fail.id);
    expect(expected).toHaveProperty('skipped');
    expect(text(expected['system-out'])).toMatch(/^EXPECTED FAILURE \(baseline\)/);
    expect(text(expected['system-out'])).toContain('known bug #12');
    expect((byName(parsed, pass.id).failure as Node)['@_type']).toBe('UNEXPECTED-PASS');
    const stale = parsed.find((c) => c['@_name'] === 'baseline stale entries')!;
    expect((stale.failure as Node)['@_type']).toBe('STALE-BASELINE');
    expect(text(stale.failure)).toContain('9.9/R1: gone');
  });

  it('reports harness problems as an <error> test case', () => {
    const { cases: parsed } = parse(buildJUnit(resultsOf([pass], [obs(pass.id, 'pass'), obs('3.1.4.2.66/R42', 'pass')], { catalogueIds: [pass.id] })));
    const harness = parsed.find((c) => String(c['@_name']).startsWith('harness '))!;
    expect(harness.error).toBeDefined();
    expect(text((harness.error as Node))).toContain("'3.1.4.2.66/R42'");
  });
});
