// The catalogue's enforcement (test262's metadata lint): every clause id a test names exists, ids are
// unique, and every testable server clause has a test or a written reason why it has none.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CLAUSE_ID, type Clause } from './types';

export interface Reference {
  id: string;
  /** File (and where known, the sequence) that names it. */
  where: string;
}

/** Clause ids named by the scripted vectors, the suites, the property model and the suites' own check tables. */
export function collectReferences(root: string): Reference[] {
  const refs: Reference[] = [];
  for (const file of walk(join(root, 'vectors/sequences'), '.json')) {
    for (const id of idsIn(readFileSync(file, 'utf8'))) refs.push({ id, where: relative(root, file) });
  }
  for (const dir of ['suites', 'harness/model', 'harness/suite']) {
    for (const file of walk(join(root, dir), '.ts')) {
      for (const id of idsIn(readFileSync(file, 'utf8'))) refs.push({ id, where: relative(root, file) });
    }
  }
  return refs;
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

function idsIn(text: string): string[] {
  const pattern = new RegExp(`["'\`](${CLAUSE_ID.source.slice(1, -1)})["'\`]`, 'g');
  return [...text.matchAll(pattern)].map((m) => m[1]);
}

function walk(dir: string, ext: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path, ext);
    return name.endsWith(ext) ? [path] : [];
  });
}
