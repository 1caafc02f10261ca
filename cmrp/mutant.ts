// The Mutant type: what the reference's mutants (reference/mutants/) declare and what the CLI, the
// power proofs and the reports read. It lives here, with the rest of the shared vocabulary, so that the
// harness can name mutants without importing the reference's internals.

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
  /**
   * A mutant of a management method: it shows only when stimuli are caused in-band, through MS-CMRP
   * (--stimuli inband), not through a control adapter; test/profile/inband-mutant.test.ts proves it.
   */
  inband?: boolean;
}
