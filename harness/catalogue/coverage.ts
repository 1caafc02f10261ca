// The catalogue's enforcement (test262's metadata lint): every clause id a test reaches exists, ids are
// unique, and every testable server clause has a test or a written reason why it has none. What the
// tests reach is computed from the names they use (harness/coverage/references.ts).
import type { Clause } from './types';

export interface Reference {
  id: string;
  /** File (and where known, the sequence) that names it. */
  where: string;
}

/** Problems, one line each; empty when the catalogue and the tests agree. */
export function checkCoverage(clauses: Clause[], references: Reference[]): string[] {
  const problems: string[] = [];
  const byId = new Map<string, Clause>();
  for (const clause of clauses) {
    if (byId.has(clause.id)) problems.push(`${clause.id}: id is used twice in the catalogue`);
    byId.set(clause.id, clause);
  }
  const referenced = new Set<string>();
  for (const ref of references) {
    if (!byId.has(ref.id)) problems.push(`${ref.where}: names ${ref.id}, which is not in the catalogue`);
    referenced.add(ref.id);
  }
  for (const clause of clauses) {
    if (clause.party !== 'server' || !clause.testable) continue;
    if (!referenced.has(clause.id) && !clause.untestedReason) {
      problems.push(`${clause.id} (${clause.title}): testable server clause with no test and no untestedReason`);
    }
  }
  return problems;
}
