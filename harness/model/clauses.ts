// Clause references of the oracle model. A prediction names the clauses it embodies by clause name
// ("x.66: returns the first queued indication", cmrp/clause-name.ts), never by id: the R-numbers differ
// between the protocol version 2 and 3 sections of one method, so ids are resolved per version from
// the catalogue (a clause a version lacks, like the v3-only rpc_status rows, simply does not apply there).
import { ClauseNames } from '../catalogue/names';
import type { Clause, Level } from '../catalogue/types';
import { clauseName, parseClauseName, sectionIn, type ClauseName, type ClauseRef } from '../../cmrp/clause-name';
import type { ProtocolVersion } from '../../cmrp/constants';

export type { ClauseRef };

/**
 * A clause reference from its name: ref('x.66: returns the first queued indication'). The two-argument
 * form ref('x.66', 'returns the first queued indication') means the same and is kept for callers
 * written before names.
 */
export function ref(name: ClauseName): ClauseRef;
export function ref(section: string, title: string): ClauseRef;
export function ref(nameOrSection: string, title?: string): ClauseRef {
  // One object per name: the model makes some refs per call (registrationRefs, acceptanceRefs), and a
  // ref it has seen before is then resolved by identity (ClauseBook.resolve), not parsed and keyed again.
  const key = title === undefined ? nameOrSection : `${nameOrSection}\u0000${title}`;
  let made = interned.get(key);
  if (made) return made;
  if (title !== undefined) made = { section: nameOrSection, title };
  else {
    made = parseClauseName(nameOrSection);
    if (!made) throw new Error(`'${nameOrSection}' is not a clause name ("<section>: <title>")`);
  }
  interned.set(key, made);
  return made;
}

/** The refs made so far, by name (a few hundred: the model's names are fixed text per section). */
const interned = new Map<string, ClauseRef>();

export function sectionFor(section: string, version: ProtocolVersion): string {
  return sectionIn(section, version);
}

export function describeRef(r: ClauseRef): string {
  return clauseName(r);
}

export interface ResolvedClause {
  id: string;
  level: Level;
}

/** Clause names -> clause id and level, per protocol version. */
export class ClauseBook {
  private readonly names: ClauseNames;

  constructor(clauses: readonly Clause[]) {
    this.names = new ClauseNames(clauses);
  }

  /** The catalogue entry of an id (any section), for levels and needs. */
  clause(id: string): Clause | undefined {
    return this.names.clause(id);
  }

  /** Resolutions already made: a property run resolves the same few hundred names thousands of times. */
  private readonly resolved = new Map<string, ResolvedClause | undefined>();

  /**
   * The same, by reference object: the model's refs are module constants (readonly), so most look-ups
   * need not build the text key at all.
   */
  private readonly byRef = new WeakMap<ClauseRef, Map<ProtocolVersion, ResolvedClause | undefined>>();

  resolve(r: ClauseRef, version: ProtocolVersion): ResolvedClause | undefined {
    let versions = this.byRef.get(r);
    if (versions?.has(version)) return versions.get(version);
    const key = `${version}\u0000${r.section}\u0000${r.title}`;
    let out: ResolvedClause | undefined;
    if (this.resolved.has(key)) out = this.resolved.get(key);
    else {
      const clause = this.names.resolve(r, version);
      out = clause ? { id: clause.id, level: clause.level } : undefined;
      this.resolved.set(key, out);
    }
    if (!versions) this.byRef.set(r, (versions = new Map()));
    versions.set(version, out);
    return out;
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
    const key = clauseName(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
