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
  /** What a version 2 port reports beyond a version 1 indication (its payload, IDs, parent). */
  detail?: EventDetail;
}

/** The object an event is about, as it was when the event happened (deleted objects included). */
export interface ObjectSnapshot {
  readonly type: ObjectType;
  readonly name: string;
  readonly state: number;
  readonly group?: string;
  readonly node?: string;
  readonly network?: string;
  readonly resourceType?: string;
}

export interface EventDetail {
  object?: ObjectSnapshot;
  /** SetProperty: the property that changed and its new value. */
  property?: { name: string; value: string | number };
  /** RegistrySetValue: the name of the value that changed. */
  valueName?: string;
  /** MoveResource: the resource left `from` for `to`. */
  move?: { resource: string; from?: string; to: string };
}

/** One event indication as ApiGetNotify returns it. */
export type Indication = GetNotifyOut;
