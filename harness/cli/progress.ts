// Progress on stderr while a run goes, in the units a report uses: clauses, not Jest tests, and
// sections named as the spec names them (from the catalogue, never a suite file's title). On a
// terminal one line is rewritten in place; when stderr is not a terminal (a CI log, a pipe) progress
// stays quiet, since the summary and the reports say everything and rewritten lines are noise there.
import type { Clause } from '../catalogue/types';
import type { Progress } from '../runner/progress';
import { judge } from '../verdict/judge';
import type { Verdict } from '../verdict/types';
import type { Output } from './deps';

export interface ProgressPrinter {
  update(p: Progress): void;
  /** Ends the live line (TTY). */
  finish(): void;
}

export interface ProgressContext {
  /** The clauses the run judges: progress counts these and names only their sections. */
  selection: readonly Clause[];
  headings: ReadonlyMap<string, string>;
  /** Terminal width; lines are cut to it so a rewrite never wraps. */
  columns?: number;
}

const SHOWN: Verdict[] = ['PASS', 'FAIL', 'NON-STRICT', 'INCONCLUSIVE', 'ERROR'];

/** The progress line: clauses decided so far, their verdicts, and the sections just heard from. */
export function progressLine(p: Progress, context: ProgressContext, seen: Set<string>): string {
  const total = context.selection.length;
  const parts = [`[${p.done}/${p.total} suite files]`];
  if (p.observations) {
    const touched = new Set(p.observations.map((o) => o.clause));
    const decided = judge(context.selection.filter((c) => touched.has(c.id)), p.observations);
    const counts = SHOWN.map((v) => ({ v, n: decided.filter((d) => d.verdict === v).length })).filter((x) => x.n > 0);
    parts.push(`${decided.length}/${total} clauses judged${counts.length ? ` (${counts.map((x) => `${x.n} ${x.v}`).join(', ')})` : ''}`);
    const sections = [...new Set(context.selection.filter((c) => touched.has(c.id) && !seen.has(c.id)).map((c) => c.section))];
    for (const id of touched) seen.add(id);
    if (sections.length) {
      const first = `${sections[0]} ${context.headings.get(sections[0]) ?? ''}`.trim();
      parts.push(sections.length > 1 ? `${first} (+${sections.length - 1} more)` : first);
    }
  } else {
    parts.push(`${total} clauses selected`);
  }
  return parts.join('  ');
}

export function progressPrinter(stream: Output & { columns?: number }, context: ProgressContext): ProgressPrinter {
  if (!stream.isTTY) return { update() {}, finish() {} };
  let live = false;
  const seen = new Set<string>();
  return {
    update(p) {
      const width = Math.max(40, (context.columns ?? stream.columns ?? 100) - 1);
      const text = progressLine(p, context, seen);
      stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      live = true;
    },
    finish() {
      if (live) stream.write('\r\x1b[K');
      live = false;
    },
  };
}
