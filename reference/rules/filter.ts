// Filters ("event filter blocks", 3.1.1.8): what one Add*/ReAdd* registration asked for, and whether an
// internal event falls within it.
import { CLUSTER_CHANGE } from '../../cmrp/constants';
import type { ObjectType } from '../../cmrp/control';
import { isWithin, sameName, samePath } from './names';
import type { EventSubject } from './event';

export type Scope =
  /** ApiAddNotifyCluster: every object; registry bits watch the root key (the whole tree with REGISTRY_SUBTREE). */
  | { kind: 'cluster' }
  /** ApiAddNotifyNode/Group/Resource/Network/NetInterface and the ReAdd* forms: one object, by name. */
  | { kind: 'object'; type: ObjectType; name: string }
  /** ApiAddNotifyKey: one key, and its subtree when WatchSubTree was TRUE. */
  | { kind: 'key'; path: readonly string[]; watchSubTree: boolean };

export interface Filter {
  readonly scope: Scope;
  readonly dwFilter: number;
  readonly dwNotifyKey: number;
  /** The object handle the registration was made with (none for ApiAddNotifyCluster). */
  readonly handle?: string;
}

/**
 * Whether `subject` lies within a filter's scope (the CLUSTER_CHANGE bit is checked separately).
 * Object registrations match by type and name: the dwNotifyKey text of 3.1.4.x.59-100 returns the key
 * "if the name of the object ... matches the name of the object designated" by the handle.
 */
export function scopeContains(scope: Scope, dwFilter: number, subject: EventSubject): boolean {
  switch (scope.kind) {
    case 'cluster':
      // 3.1.4.x.58: registry bits watch the root key; REGISTRY_SUBTREE extends that to the whole tree.
      if (subject.kind !== 'registry') return true;
      return subject.path.length === 0 || (dwFilter & CLUSTER_CHANGE.REGISTRY_SUBTREE) !== 0;
    case 'object':
      return subject.kind === 'object' && subject.type === scope.type && sameName(subject.name, scope.name);
    case 'key':
      if (subject.kind !== 'registry') return false;
      return scope.watchSubTree ? isWithin(subject.path, scope.path) : samePath(subject.path, scope.path);
  }
}

/** True when the event reached this filter through a subtree watch rather than the watched key itself. */
export function viaSubtree(scope: Scope, subject: EventSubject): boolean {
  if (subject.kind !== 'registry') return false;
  if (scope.kind === 'cluster') return subject.path.length > 0;
  if (scope.kind === 'key') return !samePath(subject.path, scope.path);
  return false;
}
