// The one way to name a clause, in every place a clause is named: sequence files, mutants, the oracle
// model, the transport checks. A clause name is "<section>: <title>", the catalogue's section and its
// standard title, never an R-number: the R-numbers of one rule differ between the version 2 section
// (3.1.4.1.N) and the version 3 section (3.1.4.2.N), the titles do not.
//
//   "x.64: catch-up GROUP_STATE on differing StateSequence"  3.1.4.1.64 in version 2, 3.1.4.2.64 in 3
//   "x: method beyond server state not accepted"              3.1.4.1 in version 2, 3.1.4.2 in 3
//   "3.1.4.2.56: accepted in read-only state"                 version 3 only (an explicit section)
//   "2.1: v3.0 server refuses levels below PKT_PRIVACY"       a section both versions share
//
// A name is resolved per protocol version through the catalogue (harness/catalogue/names.ts); one that
// resolves in no version is an error wherever it is written.

/** "<section>: <title>"; see the notes above. */
export type ClauseName = string;

/** A parsed clause name. `section` may be version-neutral ("x", "x.66"). */
export interface ClauseRef {
  readonly section: string;
  readonly title: string;
}

export const CLAUSE_NAME = /^(x(?:\.\d+)*|\d+(?:\.\d+)*): (\S(?:.*\S)?)$/;

export function parseClauseName(name: string): ClauseRef | undefined {
  const m = CLAUSE_NAME.exec(name);
  return m ? { section: m[1], title: m[2] } : undefined;
}

export function clauseName(ref: ClauseRef): ClauseName {
  return `${ref.section}: ${ref.title}`;
}

/** The catalogue section a (possibly version-neutral) section means in a protocol version. */
export function sectionIn(section: string, version: 2 | 3): string {
  if (section === 'x') return `3.1.4.${version - 1}`;
  if (section.startsWith('x.')) return `3.1.4.${version - 1}.${section.slice(2)}`;
  return section;
}

/** The version-neutral spelling of a catalogue section (3.1.4.2.66 -> x.66); other sections as they are. */
export function neutralSection(section: string): string {
  return section.replace(/^3\.1\.4\.[12](?=\.|$)/, 'x');
}

/**
 * The catalogue sections and title a name stands for, one per version it can mean: what a mutant's
 * `trips` lists (cmrp/mutant.ts), so a mutant written with one name trips the rule in both versions.
 */
export function clauseSections(name: ClauseName): ClauseRef[] {
  const ref = parseClauseName(name);
  if (!ref) throw new Error(`'${name}' is not a clause name ("<section>: <title>", e.g. "x.66: ERROR_SUCCESS on success")`);
  if (!ref.section.startsWith('x')) return [ref];
  return ([2, 3] as const).map((v) => ({ section: sectionIn(ref.section, v), title: ref.title }));
}
