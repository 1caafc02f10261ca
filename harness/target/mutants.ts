// The mutant list for `cmrp-notify-conformance mutants`. The data lives with the reference server
// (server/mutants.ts); this is the one place the CLI reads it from.
import { MUTANTS } from '../../server/mutants';

/** A deliberately broken variant of the reference server, and the clauses it is meant to trip. */
export interface Mutant {
  name: string;
  description: string;
  /** Named by section and clause title, resolved to clause ids by the CLI through the catalogue. */
  trips: { section: string; title: string }[];
}

export function listMutants(): Mutant[] {
  return [...MUTANTS];
}
