// Clause names ("x.64: catch-up GROUP_STATE on differing StateSequence", cmrp/clause-name.ts) resolved
// through the catalogue, per protocol version. Everything that names a clause goes through here, so a
// name that matches no clause is caught where it is written, and coverage is computed from the names.
import { neutralSection, parseClauseName, sectionIn, type ClauseName, type ClauseRef } from '../../cmrp/clause-name';
import type { ProtocolVersion } from '../../cmrp/constants';
import { dataChecked } from './data-file';
import { readCatalogue } from './load';
import type { Clause } from './types';

export const VERSIONS: readonly ProtocolVersion[] = [2, 3];

export class ClauseNames {
  private readonly byKey = new Map<string, Clause>();
  private readonly byId = new Map<string, Clause>();

  constructor(clauses: readonly Clause[]) {
    for (const c of clauses) {
      this.byKey.set(`${c.section}|${c.title}`, c);
      this.byId.set(c.id, c);
    }
  }

  /** The catalogue entry of an id. */
  clause(id: string): Clause | undefined {
    return this.byId.get(id);
  }

  /** The clause a name (or parsed reference) means in a version; undefined when that version has none. */
  resolve(name: ClauseName | ClauseRef, version: ProtocolVersion): Clause | undefined {
    const ref = typeof name === 'string' ? parseClauseName(name) : name;
    if (!ref) return undefined;
    const clause = this.byKey.get(`${sectionIn(ref.section, version)}|${ref.title}`);
    return clause && clause.versions.includes(version) ? clause : undefined;
  }

  /** Version -> id, for the versions the name has a clause in. */
  ids(name: ClauseName | ClauseRef): Partial<Record<'2' | '3', string>> {
    const out: Partial<Record<'2' | '3', string>> = {};
    for (const v of VERSIONS) {
      const id = this.resolve(name, v)?.id;
      if (id) out[String(v) as '2' | '3'] = id;
    }
    return out;
  }

  /** Why a name cannot be used (malformed, or no clause in any version); undefined when it resolves. */
  problem(name: unknown): string | undefined {
    if (typeof name !== 'string' || !parseClauseName(name)) {
      return `${JSON.stringify(name)} is not a clause name ("<section>: <title>", like "x.66: ERROR_SUCCESS on success")`;
    }
    if (!Object.keys(this.ids(name)).length) return `"${name}" names no clause of the catalogue`;
    return undefined;
  }

  /** The name of a clause: version-neutral ("x.66: ...") when the other version's section has the same title. */
  nameOf(id: string): ClauseName | undefined {
    const clause = this.byId.get(id);
    if (!clause) return undefined;
    const neutral = neutralSection(clause.section);
    if (neutral === clause.section) return `${clause.section}: ${clause.title}`;
    return `${neutral}: ${clause.title}`;
  }
}

let shipped: ClauseNames | undefined;

/** The names of the package's own catalogue (vectors/catalogue), read once. */
export function catalogueNames(): ClauseNames {
  shipped ??= new ClauseNames(readCatalogue(undefined, { trusted: dataChecked() }).clauses);
  return shipped;
}

/**
 * The one id of a name that means the same clause in every version it has (a shared section such as
 * 2.1 or 3.1.1.8, or an explicit one such as 3.1.4.2.56); for code that records observations by id.
 * Throws for a name that resolves to nothing or to different ids per version: a programming error.
 */
export function clauseIdOf(name: ClauseName, names: ClauseNames = catalogueNames()): string {
  const ids = [...new Set(Object.values(names.ids(name)))];
  if (ids.length !== 1) throw new Error(`clause name "${name}" ${ids.length ? `means ${ids.join(' and ')}` : 'names no clause of the catalogue'}`);
  return ids[0];
}
