// Ordering of spec sections and clause ids. Sections sort numerically per dotted component, so
// 3.1.4.2.9 comes before 3.1.4.2.66 and reports read in the spec's own order.
import { CLAUSE_ID } from './types';

export const SECTION = /^\d+(?:\.\d+)*$/;

export function compareSections(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i] - pb[i];
  }
  return pa.length - pb.length;
}

/** Splits "3.1.4.2.66/R3" into its section and R number; undefined when the id is malformed. */
export function parseClauseId(id: string): { section: string; r: number } | undefined {
  if (!CLAUSE_ID.test(id)) return undefined;
  const [section, r] = id.split('/R');
  return { section, r: Number(r) };
}

/**
 * An id's section numbers and R number, parsed once per id: sorting the catalogue and a run's verdicts
 * compares each id many times (null: not a clause id).
 */
const sortKeys = new Map<string, { parts: number[]; r: number } | null>();
function sortKey(id: string): { parts: number[]; r: number } | null {
  let key = sortKeys.get(id);
  if (key === undefined) {
    const parsed = parseClauseId(id);
    key = parsed ? { parts: parsed.section.split('.').map(Number), r: parsed.r } : null;
    sortKeys.set(id, key);
  }
  return key;
}

/** Section order first, then R number; ids that are not clause ids (e.g. "harness") sort last. */
export function compareClauseIds(a: string, b: string): number {
  const pa = sortKey(a);
  const pb = sortKey(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : a.localeCompare(b);
  for (let i = 0; i < Math.min(pa.parts.length, pb.parts.length); i++) {
    if (pa.parts[i] !== pb.parts[i]) return pa.parts[i] - pb.parts[i];
  }
  return pa.parts.length - pb.parts.length || pa.r - pb.r;
}

/** True when `section` is `ancestor` or lies below it, on dotted boundaries only. */
export function sectionWithin(section: string, ancestor: string): boolean {
  return section === ancestor || section.startsWith(`${ancestor}.`);
}
