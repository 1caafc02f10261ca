// The vocabulary of the oracle model: what happens in the cluster (internal events), what a port
// registered (filters), and what the model expects a port to hold (entries, in batches).
import type { ClauseRef } from './clauses';
import type { MethodName } from '../../cmrp/contract';

/** Object types a version 1 port can register for one object of (3.1.4.x.59-61, .90, .99). */
export type ObjectKind = 'node' | 'group' | 'resource' | 'network' | 'netInterface';

export const OBJECT_KINDS: readonly ObjectKind[] = ['node', 'group', 'resource', 'network', 'netInterface'];

/** Context handle types (2.2.1.x) the notification methods take. */
export type HandleKind = 'cluster' | ObjectKind | 'key' | 'notify';

/** What an internal event is about. */
export type Subject =
  | { kind: 'object'; objectKind: ObjectKind | 'resourceType'; name: string }
  | { kind: 'cluster' }
  /** A cluster registry key by its path under the root; `created`/`deleted` for REGISTRY_NAME. */
  | { kind: 'registry'; path: readonly string[] };

/** One change in the cluster, before any port turns it into indications. */
export interface InternalEvent {
  subject: Subject;
  /** The single CLUSTER_CHANGE value reporting it (2.2.2.7). */
  bit: number;
  /** The Name an indication must carry; undefined where the spec leaves the form open. */
  name?: string;
  /**
   * A side effect the stimulus does not promise (a resource's state change may or may not change its
   * group's state): indications of it may or may not appear.
   */
  optional?: boolean;
  /** SetState: the state the object entered (a version 2 *_STATE event's DWORD buffer). */
  state?: number;
  /** MoveResource: the group lost or gained the resource (version 2 RESOURCE_LOST/GAINED). */
  move?: 'lost' | 'gained';
}

export type Scope =
  /** ApiAddNotifyCluster. */
  | { kind: 'cluster' }
  /** ApiAddNotify<Object> / ApiReAddNotify<Object>: one object, by name. */
  | { kind: 'object'; objectKind: ObjectKind; name: string }
  /** ApiAddNotifyKey: one key, and its subtree with WatchSubTree. */
  | { kind: 'key'; path: readonly string[]; subtree: boolean };

/** A registration the server accepted on a port. */
export interface FilterModel {
  /** Registration order on its port, from 1. */
  id: number;
  method: RegistrationMethod;
  scope: Scope;
  bits: number;
  key: number;
}

/** The version 1 registrations: every ApiAddNotify* and ApiReAddNotify* of the contract. */
export type RegistrationMethod = Exclude<Extract<MethodName, `ApiAddNotify${string}` | `ApiReAddNotify${string}`>, 'ApiAddNotifyV2'>;

/** One indication the model expects a port to hold. */
export interface Entry {
  bit: number;
  /** undefined: not checked (CLUSTER_RECONNECT has no registration of its own). */
  key?: number;
  /** undefined: not checked (registry and cluster-wide events, whose Name form is open). */
  name?: string;
  /** A stateful object's state sequence goes with it: object identity and its version when queued. */
  sequenceOf?: { objectKey: string; version: number };
  /** The spec allows the server not to queue it. */
  optional: boolean;
  /** Clauses that make the server queue it: each passes when it is read, fails when it is missing. */
  why: readonly ClauseRef[];
  /** Clauses about its dwNotifyKey. */
  keyWhy: readonly ClauseRef[];
  /** For messages: "GROUP_STATE of 'PBT-group1' via filter #2 (key 7)". */
  origin: string;
  /** A version 2 port's entry: the NOTIFICATION_RPC it must be read as (v2.ts). */
  v2?: V2Expect;
  /** A version 2 entry's event: entries of one event (one per matching registration) share it. */
  event?: number;
}

/** The indications one stimulus (or one catch-up) queued on one port: FIFO between batches, any order within. */
export type Batch = readonly Entry[];

/**
 * A registration's promise not to deliver something: when a read proves the port empty the claim
 * passes; when the forbidden indication shows up the claim names the clause broken.
 */
export interface Claim {
  bit: number;
  name?: string;
  /** The key a delivery through the registration would carry; undefined: any. */
  key?: number;
  refs: readonly ClauseRef[];
  what: string;
}

/** An ID field's expectation: the ID of a model object (learned on first sight), empty, or anything. */
export type IdExpect = { of: readonly string[] } | 'empty' | 'any';

/** What the model expects of one NOTIFICATION_RPC. */
export interface V2Expect {
  dwObjectType: number;
  /** The flags that may report the event (one of them, exactly one bit). */
  flags: readonly number[];
  /** Name, compared without case; undefined where its form is open. */
  name?: string;
  objectId: IdExpect;
  parentId: IdExpect;
  /** Type: the resource's type (learned per resource), empty, or anything. */
  type: { resourceOf: string } | 'empty' | 'any';
  /** The DWORD buffer of a *_STATE event, when the model knows the state. */
  state?: number;
  /** The registry value a VALUE event names in ObjectId. */
  valueName?: string;
  /** A resource's event: its ParentId may name the group it was in when queued or the one it is in when read. */
  resource?: string;
}
