// Narrows the catalogue to what the user asked for. Every name the user typed must mean something:
// a mistyped section or id is a usage error rather than a silently smaller (and greener) run.
import { UsageError } from '../../cmrp/errors';
import { SECTION, sectionWithin } from './order';
import { CLAUSE_ID, type Clause, type Level } from './types';

export interface SelectionFlags {
  /** Sections, each selecting itself and its subsections. */
  sections?: string[];
  /** Exact clause ids. Sections and ids together select the union of both. */
  clauseIds?: string[];
  /** Levels to keep, as typed ("must not", "MUST_NOT", "should"). */
  levels?: string[];
  /** Clause ids or sections to drop. */
  exclude?: string[];
  /** Keeps the clauses that apply to this protocol version. */
  protocolVersion?: number;
}

const LEVELS: Level[] = ['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'MAY', 'descriptive'];

export function parseLevel(text: string): Level {
  const normal = text.trim().replace(/[\s_-]+/g, ' ').toUpperCase();
  const level = LEVELS.find((l) => l.toUpperCase() === normal);
  if (!level) throw new UsageError(`--level '${text}': unknown level (one of MUST, MUST NOT, SHOULD, SHOULD NOT, MAY, descriptive)`);
  return level;
}

function checkSection(flag: string, value: string, clauses: Clause[]): void {
  if (!SECTION.test(value)) throw new UsageError(`${flag} '${value}': not a section number (like 3.1.4.2.66)`);
  if (!clauses.some((c) => sectionWithin(c.section, value))) {
    throw new UsageError(`${flag} ${value}: no clause of the catalogue lies in that section`);
  }
}

function checkClauseId(flag: string, value: string, known: Set<string>): void {
  if (!CLAUSE_ID.test(value)) throw new UsageError(`${flag} '${value}': not a clause id (like 3.1.4.2.66/R3)`);
  if (!known.has(value)) throw new UsageError(`${flag} ${value}: no such clause in the catalogue`);
}

export function selectClauses(clauses: Clause[], flags: SelectionFlags = {}): Clause[] {
  const known = new Set(clauses.map((c) => c.id));
  const sections = flags.sections ?? [];
  const ids = flags.clauseIds ?? [];
  const exclude = flags.exclude ?? [];
  for (const s of sections) checkSection('--section', s, clauses);
  for (const id of ids) checkClauseId('--clause', id, known);
  const levels = new Set((flags.levels ?? []).map(parseLevel));
  const excludedIds = new Set<string>();
  const excludedSections: string[] = [];
  for (const x of exclude) {
    if (x.includes('/')) {
      checkClauseId('--exclude', x, known);
      excludedIds.add(x);
    } else {
      checkSection('--exclude', x, clauses);
      excludedSections.push(x);
    }
  }
  const version = flags.protocolVersion;
  if (version !== undefined && version !== 2 && version !== 3) {
    throw new UsageError(`--protocol-version '${version}': must be 2 or 3`);
  }
  const idSet = new Set(ids);
  const included = (c: Clause) =>
    (sections.length === 0 && ids.length === 0) || idSet.has(c.id) || sections.some((s) => sectionWithin(c.section, s));
  return clauses.filter(
    (c) =>
      included(c) &&
      (levels.size === 0 || levels.has(c.level)) &&
      !excludedIds.has(c.id) &&
      !excludedSections.some((s) => sectionWithin(c.section, s)) &&
      (version === undefined || (c.versions as number[]).includes(version)),
  );
}

/** The flags as a user would retype them, for messages about the selection. */
export function describeSelection(flags: SelectionFlags): string {
  const parts: string[] = [];
  for (const s of flags.sections ?? []) parts.push(`--section ${s}`);
  for (const id of flags.clauseIds ?? []) parts.push(`--clause ${id}`);
  for (const l of flags.levels ?? []) parts.push(`--level '${l}'`);
  for (const x of flags.exclude ?? []) parts.push(`--exclude ${x}`);
  if (flags.protocolVersion !== undefined) parts.push(`--protocol-version ${flags.protocolVersion}`);
  return parts.length ? parts.join(' ') : 'the whole catalogue';
}
