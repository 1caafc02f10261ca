// Which clauses the property can observe and claims to reach, per protocol version. Kept apart from the
// runner: the CLI plans a run (harness/suite/plan.ts) from these lists before Jest starts, and needs
// neither fast-check nor the oracle model for it.
import type { ProtocolVersion } from '../../cmrp/constants';
import { ClauseBook } from '../model/clauses';
import { READING_DEPENDENT, REGISTRATION_SECTION, acceptanceRefs, allAcceptanceRefs, allRefs, registrationRefs } from '../model/refs';
import { V2_SECTIONS, allRefsV2 } from '../model/refs-v2';
import { loadCatalogue } from '../catalogue/load';

let book: ClauseBook | undefined;
export function clauseBook(): ClauseBook {
  book ??= new ClauseBook(loadCatalogue());
  return book;
}

/** Every clause id the property can observe in `version`. */
export function propertyClauseIds(version: ProtocolVersion, b: ClauseBook = clauseBook()): string[] {
  const refs = [...allRefs(), ...allAcceptanceRefs(), ...Object.values(REGISTRATION_SECTION).map((s) => registrationRefs(s).perFilter)];
  // Version 2 ports exist in protocol version 3 only; their sections resolve to nothing in version 2.
  if (version === 3) refs.push(...allRefsV2(), ...Object.values(V2_SECTIONS).flatMap((s) => [...acceptanceRefs(s, 'read-write', 'read'), ...acceptanceRefs(s, 'read-only', 'full')]));
  return b.ids(refs, version);
}

/** The clause ids only version 2 ports exercise (NOT-TESTED where the target has none). */
export function v2ClauseIds(b: ClauseBook): Set<string> {
  return new Set(b.ids([...allRefsV2(), ...Object.values(V2_SECTIONS).flatMap((s) => [...acceptanceRefs(s, 'read-write', 'read'), ...acceptanceRefs(s, 'read-only', 'full')])], 3));
}

/**
 * The clauses the property claims to reach on every correct server: those it may judge less the rows
 * only some of the spec's readings lead to (READING_DEPENDENT).
 */
export function claimedClauseIds(version: ProtocolVersion, b: ClauseBook = clauseBook()): string[] {
  const dependent = new Set(b.ids(READING_DEPENDENT[version], version));
  return propertyClauseIds(version, b).filter((id) => !dependent.has(id));
}
