// Internal events: what happened in the cluster, before the ports turn it into event indications.
import type { GetNotifyOut } from '../../cmrp/contract';
import type { ObjectType } from '../../cmrp/control';

export type EventSubject =
  /** The cluster object itself (CLUSTER_PROPERTY, QUORUM_STATE). */
  | { kind: 'cluster' }
  | { kind: 'object'; type: ObjectType; name: string }
  /** A cluster registry key, by its path under the root key. */
  | { kind: 'registry'; path: readonly string[] };

export interface InternalEvent {
  subject: EventSubject;
  /** Exactly one CLUSTER_CHANGE bit: each indication reports one kind of change (2.2.2.7). */
  bit: number;
  /** The Name an indication of this event carries (3.1.4.x.66: the object the event pertains to). */
  name: string;
  /** The object's state sequence after the change; 0 for subjects without one. */
  stateSequence: number;
}

/** One event indication as ApiGetNotify returns it. */
export type Indication = GetNotifyOut;
