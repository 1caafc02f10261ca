// The structure inside a verdict's message. harness/verdict/message.ts composes it from the deciding
// observations as "[test] text", then "calls:" with numbered lines, "seed: N", "replay: ..."; the
// results file keeps only that text, so the HTML report, the JUnit body and annotations read it back
// here rather than each guessing at it. Anything that does not parse stays in `text`, never dropped.
import type { ClauseResult } from './results';

export interface Evidence {
  /** The test (sequence id or property name) that made the check; '' when the message had no tag. */
  test: string;
  /** What the test said, without its trace, seed and replay lines. */
  text: string;
  /** How many observations said the same ("seen N times"). */
  repeats: number;
  /** The calls, one line each, in order (handles by symbolic name, as the trace recorded them). */
  trace: string[];
  seed: number | null;
  replay: string | null;
}

const PART_START = /\n\n(?=\[[^\]\n]+\] )/;

function parsePart(part: string): Evidence {
  const lines = part.split('\n');
  const head = /^\[([^\]\n]+)\] ?(.*)$/.exec(lines[0]);
  const evidence: Evidence = { test: head ? head[1] : '', text: '', repeats: 1, trace: [], seed: null, replay: null };
  const text: string[] = [head ? head[2] : lines[0]];
  let inCalls = false;
  for (const line of lines.slice(1)) {
    const numbered = /^ {2}\d+\. (.*)$/.exec(line);
    if (inCalls && numbered) {
      evidence.trace.push(numbered[1]);
      continue;
    }
    inCalls = false;
    const seen = /^\(seen (\d+) times\)$/.exec(line);
    const seed = /^seed: (\d+)$/.exec(line);
    if (line === 'calls:') inCalls = true;
    else if (seen) evidence.repeats = Number(seen[1]);
    else if (seed) evidence.seed = Number(seed[1]);
    else if (line.startsWith('replay: ')) evidence.replay = line.slice('replay: '.length);
    else text.push(line);
  }
  evidence.text = text.join('\n').trim();
  return evidence;
}

/** The observations' evidence behind a verdict, in the order the message lists them. */
export function evidenceOf(c: Pick<ClauseResult, 'message' | 'verdict'>): Evidence[] {
  if (!c.message || c.verdict === 'NOT-TESTED') return [];
  return c.message
    .split(PART_START)
    .filter((p) => !/^\(and \d+ more distinct messages\)$/.test(p.trim()))
    .map(parsePart);
}

/** The evidence with the shortest call sequence (the easiest to follow), the first one on a tie. */
export function shortestEvidence(c: Pick<ClauseResult, 'message' | 'verdict'>): Evidence | undefined {
  const all = evidenceOf(c);
  const traced = all.filter((e) => e.trace.length > 0);
  if (traced.length === 0) return all[0];
  return traced.reduce((best, e) => (e.trace.length < best.trace.length ? e : best));
}

export interface ExpectedActual {
  expected: string;
  actual: string;
}

// Tests phrase a failure as "<what> : expected X, got Y" (or "observed", "but"): split there when the
// text does; otherwise the requirement is what was expected and the text is what was seen.
const SPLIT = /\bexpected\s+([\s\S]+?)[;,]?\s+(?:but\s+)?(?:got|observed|received|answered|returned|saw)\s+([\s\S]+)$/i;

export function expectedActual(c: Pick<ClauseResult, 'summary'>, e: Evidence | undefined): ExpectedActual {
  if (!e) return { expected: c.summary, actual: '' };
  const m = SPLIT.exec(e.text);
  if (m) return { expected: m[1].trim(), actual: m[2].trim() };
  return { expected: c.summary, actual: e.text };
}
