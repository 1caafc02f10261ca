// JUnit XML for CI consumers, valid against the Jenkins xUnit plugin's junit-10.xsd (a copy is in
// test/report/junit-10.xsd and CI validates every report against it). Written by hand rather than
// through a builder, because the schema's limits decide the shape:
// - no <properties> on a test case (the schema has none there): level, section, hits live in the
//   test case's system-out; the run's settings are <properties> of each test suite;
// - no `skipped` attribute on <testsuites>; `time` on every element (seconds). A clause is judged by
//   many tests running in parallel, so per-clause and per-section times are not measured: test cases
//   and suites say 0 (Jenkins adds suite times up) and the run's wall time is on <testsuites>;
// - Jenkins splits a classname at its last dot into package and class: the classname is
//   "MS-CMRP v3.<section label>", with the section label's dots written as U+2024 (one dot leader,
//   which reads as a dot), so the package is "MS-CMRP v3" and the class the whole section.
// Verdicts (the report and the exit code never disagree; Jenkins turns a build unstable on <failure>):
// - FAIL: <failure type="FAIL">, ERROR: <error type="ERROR">, with the clause, Expected vs Actual, the
//   shortest failing call sequence and the replay command in the body;
// - NON-STRICT: passes unless --strict, with "NON-STRICT (not gating)" in system-out and system-err;
//   with --strict a <failure type="NON-STRICT">;
// - INCONCLUSIVE, NOT-TESTED, and a failure the baseline expects: <skipped> whose message and body
//   say why (GitLab shows the body, Jenkins the message);
// - a baseline entry whose clause passed: <failure type="UNEXPECTED-PASS">; stale entries: one pseudo
//   test case "baseline" with <failure type="STALE-BASELINE">.
// Test names are "<id> <title>" and never carry a seed, so CI history follows a clause across runs.
import { TOOL_NAME } from '../../cmrp/package-info';
import { expectedActual, evidenceOf, shortestEvidence } from './evidence';
import type { ClauseResult, RunResults } from './results';
import { className, clauseText, testName } from './text';
import { attributeLine, xmlSafe } from './xml-text';

const ONE_DOT_LEADER = '\u2024';

function escapeText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join('');
}

function element(name: string, values: Record<string, string | number | undefined>, body?: string): string {
  return body === undefined ? `<${name}${attrs(values)}/>` : `<${name}${attrs(values)}>${escapeText(body)}</${name}>`;
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** "MS-CMRP v3.3․1․4․2․66 ApiGetNotify (Opnum 65)": one dot, the one Jenkins splits at. */
export function junitClassName(c: Pick<ClauseResult, 'section' | 'heading'>, protocolVersion: number): string {
  return `MS-CMRP v${protocolVersion}.${className(c).replace(/^MS-CMRP /, '').replace(/\./g, ONE_DOT_LEADER)}`;
}

/** The failure's one-line message attribute: the shortest evidence's own words, without its "[test]" tag. */
function describe(c: ClauseResult): string {
  const e = shortestEvidence(c);
  return attributeLine(e?.text || c.summary);
}

/**
 * The body of a failure or error: the clause, Expected vs Actual, the shortest call sequence and its
 * replay, then a count of the other distinct failures (their full texts are in the JSON and HTML).
 */
export function failureBody(c: ClauseResult, protocolVersion: number): string {
  const e = shortestEvidence(c);
  const { expected, actual } = expectedActual(c, e);
  const lines = [
    `${c.verdict}: ${testName(c)}`,
    `[${className(c)}]${c.level ? ` ${c.level}` : ''}${c.party ? `, ${c.party}-side` : ''}, protocol version ${protocolVersion}, ${c.hits} hit${c.hits === 1 ? '' : 's'}`,
    `Requirement: ${c.summary}`,
  ];
  if (c.baseline) lines.push(`Baseline: expects ${c.baseline.expected} (${c.baseline.status}): ${c.baseline.reason}`);
  if (!e) return lines.join('\n');
  lines.push('', `Expected: ${expected}`, `Actual:   ${actual}`);
  if (e.test) lines.push(`Test: ${e.test}${e.repeats > 1 ? ` (seen ${e.repeats} times)` : ''}`);
  if (e.text && !actual.includes(e.text) && !e.text.includes(actual)) lines.push(`Said: ${e.text}`);
  if (e.trace.length) lines.push(`Calls (the shortest failing sequence, ${e.trace.length}):`, ...e.trace.map((t, i) => `  ${i + 1}. ${t}`));
  if (e.seed !== null) lines.push(`Seed: ${e.seed}`);
  if (e.replay) lines.push(`Replay: ${e.replay}`);
  const others = evidenceOf(c).length - 1;
  if (others > 0) lines.push('', `${others} more distinct failing check(s) of this clause: see results.json or report.html`);
  return lines.join('\n');
}

interface Case {
  name: string;
  classname: string;
  /** failure | error | skipped, or nothing for a pass. */
  outcome?: { kind: 'failure' | 'error' | 'skipped'; type: string; message: string; body: string };
  out: string;
  err?: string;
}

function caseOf(c: ClauseResult, results: RunResults): Case {
  const pv = results.protocolVersion;
  const base = { name: testName(c), classname: junitClassName(c, pv), out: clauseText(c, pv) };
  if (c.baseline?.status === 'expected') {
    return { ...base, outcome: { kind: 'skipped', type: 'EXPECTED-FAILURE', message: attributeLine(`EXPECTED FAILURE (baseline): ${c.baseline.reason}`), body: failureBody(c, pv) } };
  }
  if (c.baseline?.status === 'unexpected-pass') {
    const message = attributeLine(`passed, but the baseline expects ${c.baseline.expected}: remove its entry`);
    return { ...base, outcome: { kind: 'failure', type: 'UNEXPECTED-PASS', message, body: clauseText(c, pv) } };
  }
  switch (c.verdict) {
    case 'FAIL':
      return { ...base, outcome: { kind: 'failure', type: 'FAIL', message: describe(c), body: failureBody(c, pv) } };
    case 'ERROR':
      return { ...base, outcome: { kind: 'error', type: 'ERROR', message: describe(c), body: failureBody(c, pv) } };
    case 'NON-STRICT':
      if (results.strict) return { ...base, outcome: { kind: 'failure', type: 'NON-STRICT', message: describe(c), body: failureBody(c, pv) } };
      return {
        ...base,
        out: `NON-STRICT (not gating: a ${c.level ?? 'recommendation'} not kept; --strict makes it fail)\n${failureBody(c, pv)}`,
        err: `NON-STRICT (not gating): ${describe(c)}`,
      };
    case 'INCONCLUSIVE':
      return { ...base, outcome: { kind: 'skipped', type: 'INCONCLUSIVE', message: attributeLine(`INCONCLUSIVE: ${describe(c)}`), body: failureBody(c, pv) } };
    case 'NOT-TESTED':
      return { ...base, outcome: { kind: 'skipped', type: 'NOT-TESTED', message: attributeLine(`NOT-TESTED: ${c.message ?? 'no reason recorded'}`), body: clauseText(c, pv) } };
    case 'PASS':
      return base;
  }
}

function caseXml(k: Case): string {
  const parts = [`    <testcase${attrs({ name: k.name, classname: k.classname, time: '0' })}>`];
  if (k.outcome) parts.push(`      ${element(k.outcome.kind, { type: k.outcome.type, message: k.outcome.message }, k.outcome.body)}`);
  parts.push(`      ${element('system-out', {}, k.out)}`);
  if (k.err) parts.push(`      ${element('system-err', {}, k.err)}`);
  parts.push('    </testcase>');
  return parts.join('\n');
}

interface Suite {
  name: string;
  cases: Case[];
}

function count(cases: Case[], kind: string): number {
  return cases.filter((k) => k.outcome?.kind === kind).length;
}

export function buildJUnit(results: RunResults): string {
  const suites = new Map<string, Suite>();
  const suiteFor = (name: string) => {
    let s = suites.get(name);
    if (!s) suites.set(name, (s = { name, cases: [] }));
    return s;
  };
  for (const c of results.clauses) suiteFor(className(c)).cases.push(caseOf(c, results));
  const stale = results.baseline?.entries.filter((e) => e.status === 'stale') ?? [];
  if (stale.length > 0) {
    const lines = stale.map((e) => `- ${e.id}: ${e.reason}`);
    const message = `${stale.length} baseline entr${stale.length === 1 ? 'y names a clause' : 'ies name clauses'} the catalogue does not have`;
    suiteFor('baseline').cases.push({
      name: 'baseline stale entries',
      classname: 'baseline',
      outcome: { kind: 'failure', type: 'STALE-BASELINE', message, body: `Remove these entries from ${results.baseline!.file}:\n${lines.join('\n')}` },
      out: message,
    });
  }
  const all = [...suites.values()].flatMap((s) => s.cases);
  const time = seconds(results.durationMs);
  const properties = [
    ['target', results.target],
    ['targetDescription', results.targetDescription],
    ...(results.moreClusters ?? []).map((c, i) => [`target${i + 2}`, c.control === null ? c.target : `${c.target} (control ${c.control})`]),
    ['protocolVersion', String(results.protocolVersion)],
    ['seed', String(results.seed)],
    ['strict', String(results.strict)],
    ['toolVersion', results.tool.version],
  ];
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({
      name: `${TOOL_NAME} ${results.target} v${results.protocolVersion}`,
      tests: all.length,
      failures: count(all, 'failure'),
      errors: count(all, 'error'),
      time,
    })}>`,
  ];
  [...suites.values()].forEach((s, i) => {
    out.push(
      `  <testsuite${attrs({
        name: s.name,
        id: i,
        tests: s.cases.length,
        failures: count(s.cases, 'failure'),
        errors: count(s.cases, 'error'),
        skipped: count(s.cases, 'skipped'),
        time: '0',
        timestamp: results.startedAt.slice(0, 19), // the usual JUnit dateTime has no zone: this is UTC
      })}>`,
      '    <properties>',
      ...properties.map(([name, value]) => `      ${element('property', { name, value })}`),
      '    </properties>',
      ...s.cases.map(caseXml),
      '  </testsuite>',
    );
  });
  out.push('</testsuites>', '');
  return out.join('\n');
}
