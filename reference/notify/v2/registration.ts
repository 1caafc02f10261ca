// Registrations of ApiAddNotifyV2 ("event filters" of a version 2 port, 3.1.1.8): an object type, its
// *_V2 flags, the client's key, and what they watch: every object of the type (a cluster handle), one
// object (isTargetedAtObject with that object's handle), or a registry key and, with
// CLUSTER_CHANGE_REGISTRY_SUBTREE_V2, its subtree.
import { CLUSTER_CHANGE_REGISTRY_V2, CLUSTER_OBJECT_TYPE } from '../../../cmrp/constants';
import type { ObjectType } from '../../model/types';
import type { V2Registration } from '../../rules/behaviour-v2';
import type { V2Event } from '../../rules/event-v2';
import { isWithin, sameName, samePath } from '../../rules/names';

export type V2Scope = { kind: 'all' } | { kind: 'object'; type: ObjectType; name: string } | { kind: 'key'; path: readonly string[] };

export interface RegistrationV2 extends V2Registration {
  readonly scope: V2Scope;
}

const SUBTREE = BigInt(CLUSTER_CHANGE_REGISTRY_V2.SUBTREE);

export function watchesSubtree(r: RegistrationV2): boolean {
  return r.dwObjectType === CLUSTER_OBJECT_TYPE.REGISTRY && (r.FilterFlags & SUBTREE) !== 0n;
}

/** Whether the event is of the registration's type, carries one of its flags, and lies in its scope. */
export function matches(r: RegistrationV2, event: V2Event): boolean {
  if (r.dwObjectType !== event.dwObjectType || (r.FilterFlags & BigInt(event.flag)) === 0n) return false;
  const { scope } = r;
  const subject = event.subject;
  switch (scope.kind) {
    case 'all':
      return true;
    case 'object':
      return subject.kind === 'object' && subject.type === scope.type && sameName(subject.name, scope.name);
    case 'key':
      if (subject.kind !== 'registry') return false;
      return watchesSubtree(r) ? isWithin(subject.path, scope.path) : samePath(subject.path, scope.path);
  }
}

/** True when a registry event reached the registration through its subtree rather than its own key. */
export function throughSubtree(r: RegistrationV2, event: V2Event): boolean {
  return r.scope.kind === 'key' && event.subject.kind === 'registry' && !samePath(event.subject.path, r.scope.path);
}
