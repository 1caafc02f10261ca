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

/** The progress line: clauses judged so far and their verdicts, the suite files done, the sections just heard from. */
export function progressLine(p: Progress, context: ProgressContext, seen: Set<string>): string {
  const total = context.selection.length;
  const files = `(suite file ${p.done}/${p.total})`;
  if (!p.observations) return `${total} clauses selected ${files}`;
  // Judged as the summary counts it (exercised): a not-tested observation decides nothing yet.
  const touched = new Set(p.observations.filter((o) => o.outcome !== 'not-tested').map((o) => o.clause));
  const decided = judge(context.selection.filter((c) => touched.has(c.id)), p.observations);
  const counts = SHOWN.map((v) => ({ v, n: decided.filter((d) => d.verdict === v).length })).filter((x) => x.n > 0);
  const parts = [`${decided.length}/${total} clauses judged${counts.length ? `: ${counts.map((x) => `${x.n} ${x.v}`).join(', ')}` : ''}`, files];
  const sections = [...new Set(context.selection.filter((c) => touched.has(c.id) && !seen.has(c.id)).map((c) => c.section))];
  for (const id of touched) seen.add(id);
  if (sections.length) {
    const first = `${sections[0]} ${context.headings.get(sections[0]) ?? ''}`.trim();
    parts.push(sections.length > 1 ? `${first} (+${sections.length - 1} more)` : first);
  }
  return parts.join('  ');
}

/**
 * While the suites run, whatever else writes to this process's stdout and stderr (Jest's "Determining
 * test suites to run...", its worker warnings) is held back: the person reads our progress and summary,
 * not the engine's. Held text is shown after the run only under CMRP_DEBUG=1. `restore` ends it.
 */
export function holdEngineOutput(env: Record<string, string | undefined>): { stderr: Output & { columns?: number }; restore(): void } {
  const out = process.stdout;
  const err = process.stderr;
  const writeOut = out.write;
  const writeErr = err.write;
  const held: string[] = [];
  const hold = ((chunk: unknown, ...rest: unknown[]) => {
    held.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  out.write = hold;
  err.write = hold;
  return {
    stderr: { write: (text: string) => writeErr.call(err, text), isTTY: err.isTTY, columns: err.columns },
    restore() {
      out.write = writeOut;
      err.write = writeErr;
      if (env.CMRP_DEBUG === '1' && held.length) err.write(`[engine output held during the run]\n${held.join('')}\n`);
    },
  };
}

export function progressPrinter(stream: Output & { columns?: number }, context: ProgressContext): ProgressPrinter {
  if (!stream.isTTY) return { update() {}, finish() {} };
  let live = false;
  const seen = new Set<string>();
  return {
    update(p) {
      const width = Math.max(40, (context.columns ?? (stream.columns || undefined) ?? 100) - 1);
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
