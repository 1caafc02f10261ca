// JUnit XML for CI consumers (GitLab, Jenkins, GitHub actions). Decisions, so the report and the exit
// code never disagree (Jenkins turns a build unstable on any <failure>):
// - FAIL: <failure type="FAIL">; ERROR: <error type="ERROR">.
// - NON-STRICT: a passing test case with the shortfall in system-out; with --strict a <failure>.
// - INCONCLUSIVE and NOT-TESTED: <skipped/> with the verdict and reason in system-out (junit-report-
//   builder's skipped() takes no message, and system-out is what all three consumers show).
// - A failure the baseline expects: <skipped/> too ("expected failure", as pytest's xfail does).
// - A baseline entry whose clause passed: <failure type="UNEXPECTED-PASS">; stale entries: one
//   pseudo test case "baseline" with <failure type="STALE-BASELINE">.
// Test names are "<id> <title>" and never carry a seed, so CI history follows a clause across runs.
import junitBuilder from 'junit-report-builder';
import type { TestCase } from 'junit-report-builder';
import { TOOL_NAME } from '../../cmrp/package-info';
import type { ClauseResult, RunResults } from './results';
import { className, clauseText, testName } from './text';
import { attributeLine, cdataSafe, xmlSafe } from './xml-text';

/** The failure's one-line message attribute: the first observation's own words, without its "[test]" tag. */
function describe(c: ClauseResult): string {
  return attributeLine((c.message ?? c.summary).replace(/^\[[^\]\n]*\] /, ''));
}

function fillCase(tc: TestCase, c: ClauseResult, results: RunResults): void {
  const text = cdataSafe(clauseText(c, results.protocolVersion));
  if (c.baseline?.status === 'expected') {
    tc.skipped().standardOutput(`EXPECTED FAILURE (baseline)\n${text}`);
    return;
  }
  if (c.baseline?.status === 'unexpected-pass') {
    tc.failure(attributeLine(`passed, but the baseline expects ${c.baseline.expected}: remove its entry`), 'UNEXPECTED-PASS').stacktrace(text);
    return;
  }
  switch (c.verdict) {
    case 'FAIL':
      tc.failure(describe(c), 'FAIL').stacktrace(text);
      break;
    case 'ERROR':
      tc.error(describe(c), 'ERROR', text);
      break;
    case 'NON-STRICT':
      if (results.strict) tc.failure(describe(c), 'NON-STRICT').stacktrace(text);
      else tc.standardOutput(text);
      break;
    case 'INCONCLUSIVE':
    case 'NOT-TESTED':
      tc.skipped().standardOutput(text);
      break;
    case 'PASS':
      if (c.message) tc.standardOutput(text);
      break;
  }
}

export function buildJUnit(results: RunResults): string {
  const builder = junitBuilder.newBuilder(); // the default export is a shared singleton: never add to it
  builder.name(xmlSafe(`${TOOL_NAME} ${results.target} v${results.protocolVersion}`));
  const suites = new Map<string, ReturnType<typeof builder.testSuite>>();
  const suiteFor = (name: string) => {
    let suite = suites.get(name);
    if (!suite) {
      suite = builder
        .testSuite()
        .name(xmlSafe(name))
        .timestamp(results.startedAt.slice(0, 19)) // the JUnit schema's dateTime has no zone: UTC
        .property('target', xmlSafe(results.target))
        .property('protocolVersion', String(results.protocolVersion))
        .property('seed', String(results.seed))
        .property('toolVersion', results.tool.version);
      suites.set(name, suite);
    }
    return suite;
  };
  for (const c of results.clauses) {
    const tc = suiteFor(className(c))
      .testCase()
      .className(xmlSafe(className(c)))
      .name(xmlSafe(testName(c)))
      .property('verdict', c.verdict)
      .property('level', c.level ?? 'n/a')
      .property('section', c.section)
      .property('protocolVersion', String(results.protocolVersion))
      .property('hits', String(c.hits))
      .property('seed', String(results.seed));
    fillCase(tc, c, results);
  }
  const stale = results.baseline?.entries.filter((e) => e.status === 'stale') ?? [];
  if (stale.length > 0) {
    const lines = stale.map((e) => `- ${e.id}: ${e.reason}`);
    suiteFor('baseline')
      .testCase()
      .className('baseline')
      .name('baseline stale entries')
      .failure(attributeLine(`${stale.length} baseline entr${stale.length === 1 ? 'y names a clause' : 'ies name clauses'} the catalogue does not have`), 'STALE-BASELINE')
      .stacktrace(cdataSafe(`Remove these entries from ${results.baseline!.file}:\n${lines.join('\n')}`));
  }
  return builder.build();
}
