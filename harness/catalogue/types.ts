// The clause catalogue's entry, as vectors/catalogue.schema.json publishes it.
import type { ProtocolVersion } from '../../cmrp/constants';

export type Level = 'MUST' | 'MUST NOT' | 'SHOULD' | 'SHOULD NOT' | 'MAY' | 'descriptive';
export type Party = 'server' | 'client';

/** What a test needs before it can exercise the clause. */
export type Need =
  | 'calls'
  | 'concurrency'
  | 'stimulus'
  | 'read-only-state'
  | 'restricted-principal'
  | 'fault-injection'
  | 'authentication'
  | 'rpc-runtime';

export interface Ambiguity {
  /** What the text leaves open, in our own words. */
  note: string;
  /** Every reading the text allows; a test must accept each. */
  readings: string[];
}

export interface Clause {
  /** `<section>/R<n>`, e.g. "3.1.4.2.100/R3": stable, never renumbered once published. */
  id: string;
  section: string;
  /** Short title for reports (JUnit test names): a few words. */
  title: string;
  versions: ProtocolVersion[];
  level: Level;
  party: Party;
  /** One sentence, our own paraphrase of the statement (never the spec's wording). */
  summary: string;
  /** Win32 error code names involved ("ERROR_INVALID_HANDLE"). */
  errors: string[];
  testable: boolean;
  needs: Need[];
  /** Why a server clause is left untested (required when it is not testable, or has no test). */
  untestedReason?: string;
  ambiguity?: Ambiguity;
  /** The kind of notification port the clause is about, when it is about one kind only (the section's when unset). */
  port?: PortKind;
}

/** v1: a port made by ApiCreateNotify; v2: one made by ApiCreateNotifyV2. */
export type PortKind = 'v1' | 'v2';

/** One file of vectors/catalogue/: the clauses of one spec section. */
export interface CatalogueSection {
  section: string;
  /** The section heading as the spec has it, e.g. "ApiReAddNotifyNetInterface (Opnum 100)". */
  heading: string;
  /** Every clause of the section is about this kind of port (unless a clause says otherwise). */
  port?: PortKind;
  clauses: Clause[];
}

export const CLAUSE_ID = /^\d+(?:\.\d+)+\/R\d+$/;
