// Turns observations into the text a reader of a red CI job gets. It has to stand on its own: people
// read it in a JUnit viewer with no access to the run, so each message carries its calls and replay.
import type { Observation } from '../recorder/observation';

export const MAX_MESSAGES = 3;

function formatOne(obs: Observation, repeats: number): string {
  const lines = [`[${obs.test}] ${obs.message?.trim() || `(the test recorded '${obs.outcome}' without a message)`}`];
  if (repeats > 1) lines.push(`(seen ${repeats} times)`);
  if (obs.trace && obs.trace.length > 0) {
    lines.push('calls:');
    obs.trace.forEach((call, i) => lines.push(`  ${i + 1}. ${call}`));
  }
  if (obs.seed !== undefined) lines.push(`seed: ${obs.seed}`);
  if (obs.replay) lines.push(`replay: ${obs.replay}`);
  return lines.join('\n');
}

/**
 * The distinct messages of `observations` (all of one verdict), at most MAX_MESSAGES, each with the
 * trace and replay of its first occurrence: many property runs tripping over one bug read as one.
 */
export function composeMessage(observations: readonly Observation[], max = MAX_MESSAGES): string | null {
  const groups = new Map<string, { first: Observation; count: number }>();
  for (const obs of observations) {
    const key = obs.message?.trim() ?? '';
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { first: obs, count: 1 });
  }
  const distinct = [...groups.values()];
  if (distinct.length === 1 && !distinct[0].first.message && !distinct[0].first.trace?.length && !distinct[0].first.replay) {
    // A bare outcome with nothing to show: say nothing rather than an empty frame.
    return distinct[0].first.outcome === 'pass' ? null : formatOne(distinct[0].first, distinct[0].count);
  }
  const parts = distinct.slice(0, max).map((g) => formatOne(g.first, g.count));
  if (distinct.length > max) parts.push(`(and ${distinct.length - max} more distinct messages)`);
  return parts.join('\n\n');
}
