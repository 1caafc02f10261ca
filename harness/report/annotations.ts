// GitHub Actions workflow commands: one annotation per clause that needs attention, so a red job shows
// the failing clauses on its summary page without opening an artifact. FAIL, ERROR and an unexpected
// pass are errors; NON-STRICT, INCONCLUSIVE and a failure the baseline expects are warnings (notices
// would be lost among them). GitHub keeps at most 10 of each kind per step, so the worst come first and
// the rest are counted in one last annotation.
import { attentionList } from './counts';
import { expectedActual, shortestEvidence } from './evidence';
import { redact } from './redact';
import type { ClauseResult, RunResults } from './results';

/** GitHub's per-step limit for error and for warning annotations. */
const PER_KIND = 10;

/** Escapes for a workflow command's message (data) part. */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes for a workflow command's property values (title=...). */
function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function message(c: ClauseResult, results: RunResults): string {
  const e = shortestEvidence(c);
  const { expected, actual } = expectedActual(c, e);
  const lines = [`${c.id} ${c.title} (${c.level ?? 'n/a'}, protocol version ${results.protocolVersion})`, `Requirement: ${c.summary}`];
  if (actual) lines.push(`Expected: ${expected}`, `Actual: ${actual}`);
  if (e?.replay) lines.push(`Replay: ${e.replay}`);
  return redact(lines.join('\n'));
}

export function githubAnnotations(results: RunResults): string {
  const items: { kind: 'error' | 'warning'; c: ClauseResult; label: string }[] = [];
  for (const c of results.clauses.filter((x) => x.baseline?.status === 'unexpected-pass')) items.push({ kind: 'error', c, label: 'UNEXPECTED-PASS' });
  for (const c of attentionList(results.clauses)) {
    const gating = c.verdict === 'FAIL' || c.verdict === 'ERROR' || (c.verdict === 'NON-STRICT' && results.strict);
    items.push({ kind: gating ? 'error' : 'warning', c, label: c.verdict === 'NON-STRICT' && !results.strict ? 'NON-STRICT (not gating)' : c.verdict });
  }
  for (const c of results.clauses.filter((x) => x.baseline?.status === 'expected')) items.push({ kind: 'warning', c, label: 'EXPECTED FAILURE (baseline)' });
  const out: string[] = [];
  for (const kind of ['error', 'warning'] as const) {
    const mine = items.filter((i) => i.kind === kind);
    const shown = mine.length > PER_KIND ? mine.slice(0, PER_KIND - 1) : mine;
    for (const i of shown) out.push(`::${kind} title=${property(`MS-CMRP ${i.label} ${i.c.id}`)}::${data(message(i.c, results))}`);
    if (mine.length > shown.length) {
      const rest = mine.slice(shown.length);
      out.push(`::${kind} title=${property(`MS-CMRP ${rest.length} more`)}::${data(`${rest.map((i) => `${i.label} ${i.c.id}`).join(', ')}: see the JUnit, JSON or HTML report`)}`);
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
