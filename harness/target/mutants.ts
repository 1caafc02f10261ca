// The mutant list for `cmrp-notify-conformance mutants`. The data lives with the reference server
// (server/mutants.ts) and, for the transport's own rules, with the wire server
// (harness/serve/wire-mutants.ts); this is the one place the CLI reads it from.
import { MUTANTS } from '../../server/mutants';
import { WIRE_MUTANTS } from '../serve/wire-mutants';

/** A deliberately broken variant of the reference server, and the clauses it is meant to trip. */
export interface Mutant {
  name: string;
  description: string;
  /** Named by section and clause title, resolved to clause ids by the CLI through the catalogue. */
  trips: readonly { section: string; title: string }[];
  /**
   * A mutant of the wire server rather than of the reference's behaviour: served with
   * `serve --listen dcerpc:127.0.0.1:PORT --user DOMAIN\NAME --mutant NAME`, not as builtin:mutant=NAME.
   */
  wire?: boolean;
}

export function listMutants(): Mutant[] {
  return [...MUTANTS, ...WIRE_MUTANTS];
}
