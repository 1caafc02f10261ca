// Clause references of the oracle model. A prediction names the clauses it embodies by section and
// standardised title, never by id: the R-numbers differ between the protocol version 2 and 3 sections
// of one method, so ids are resolved per version from the catalogue (a clause a version lacks, like
// the v3-only rpc_status rows, simply does not apply there).
import type { Clause, Level } from '../catalogue/types';
import type { ProtocolVersion } from '../../cmrp/constants';

/**
 * `section` is a catalogue section ('3.1.1.8', '2.2.2.7'), or a method section relative to the
 * protocol version: 'x.66' is 3.1.4.1.66 in version 2 and 3.1.4.2.66 in version 3, and 'x' alone is
 * 3.1.4.1 / 3.1.4.2.
 */
export interface ClauseRef {
  readonly section: string;
  readonly title: string;
}

export function ref(section: string, title: string): ClauseRef {
  return { section, title };
}

export function sectionFor(section: string, version: ProtocolVersion): string {
  if (section === 'x') return `3.1.4.${version - 1}`;
  if (section.startsWith('x.')) return `3.1.4.${version - 1}.${section.slice(2)}`;
  return section;
}

export function describeRef(r: ClauseRef): string {
  return `${r.section.replace(/^x/, '3.1.4.x')} "${r.title}"`;
}

export interface ResolvedClause {
  id: string;
  level: Level;
}

/** Section + title -> clause id and level, per protocol version. */
export class ClauseBook {
  private readonly byKey = new Map<string, Clause>();
  private readonly byId = new Map<string, Clause>();

  constructor(clauses: readonly Clause[]) {
    for (const c of clauses) {
      this.byKey.set(`${c.section}|${c.title}`, c);
      this.byId.set(c.id, c);
    }
  }

  /** The catalogue entry of an id (any section), for levels and needs. */
  clause(id: string): Clause | undefined {
    return this.byId.get(id);
  }

  resolve(r: ClauseRef, version: ProtocolVersion): ResolvedClause | undefined {
    const clause = this.byKey.get(`${sectionFor(r.section, version)}|${r.title}`);
    if (!clause || !clause.versions.includes(version)) return undefined;
    return { id: clause.id, level: clause.level };
  }

  /** Ids of `refs` in `version`, deduplicated, in the order given. */
  ids(refs: readonly ClauseRef[], version: ProtocolVersion): string[] {
    const out: string[] = [];
    for (const r of refs) {
      const id = this.resolve(r, version)?.id;
      if (id && !out.includes(id)) out.push(id);
    }
    return out;
  }
}

/** Dedupes clause references (same section and title) keeping the first occurrence's order. */
export function uniqueRefs(refs: readonly ClauseRef[]): ClauseRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.section}|${r.title}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
