// A notification port as the model knows it: its kind (3.1.1.8), its registrations and the promises
// not to deliver that reads have yet to vindicate.
import type { Claim, FilterModel } from './types';
import type { V2Filter } from './v2';

export interface PortFilter extends FilterModel {
  /** The object handle the registration was made with. */
  handle: string;
  /**
   * That handle has since been closed: 2.2.2.7 R38 leaves open whether the registration survives,
   * so its later indications are optional.
   */
  orphaned: boolean;
}

export interface PortModel {
  readonly index: number;
  readonly handle: string;
  /** 1: ApiCreateNotify's port; 2: ApiCreateNotifyV2's (3.1.1.8: the creating method sets it). */
  readonly version: 1 | 2;
  live: boolean;
  readonly filters: PortFilter[];
  /** A version 2 port's registrations (ApiAddNotifyV2). */
  readonly filtersV2: V2Filter[];
  /** Promises not to deliver, since the last read that proved the port empty. */
  claims: Claim[];
  /**
   * A version 2 server refused a registration on this port because its filter held QUORUM_STATE (2.2.2.7
   * R35 allows that reading): a quorum change must still never be reported here, as the scripted suite
   * judges it (vectors/sequences/2.2.2.7-CLUSTER_CHANGE.json, no-quorum-state-in-v2).
   */
  refusedQuorum?: boolean;
}

