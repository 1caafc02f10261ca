// Whether a registration must, may or must not turn an internal event into an indication, and which
// clauses say so. This is the heart of the oracle: each branch below is one reading of a registration
// section (3.1.4.x.58-62, .90/.91, .99/.100), and a "maybe" is where the spec allows both.
import { CLUSTER_CHANGE as C, type ProtocolVersion } from '../../cmrp/constants';
import type { ClauseRef } from './clauses';
import { CHANGE, CLUSTER, KEY, OBJECT, PORT } from './refs';
import type { FilterModel, InternalEvent, ObjectKind } from './types';

export type Match =
  | { kind: 'yes' | 'maybe'; why: ClauseRef[]; keyWhy: ClauseRef[] }
  /** `claim`: the clauses a delivery would break (absent when nothing specific forbids it). */
  | { kind: 'no'; claim?: ClauseRef[] };

const NO: Match = { kind: 'no' };

export function objectKindOf(method: FilterModel['method']): ObjectKind | undefined {
  const m = /^Api(?:Re)?AddNotify(Node|Group|Resource|Network|NetInterface)$/.exec(method);
  if (!m) return undefined;
  return (m[1][0].toLowerCase() + m[1].slice(1)) as ObjectKind;
}

function objectRefs(filter: FilterModel) {
  const kind = objectKindOf(filter.method)!;
  return filter.method.startsWith('ApiReAdd') ? OBJECT[kind].reAdd : OBJECT[kind].add;
}

function isBelow(path: readonly string[], ancestor: readonly string[]): boolean {
  return path.length > ancestor.length && ancestor.every((p, i) => p.toLowerCase() === path[i].toLowerCase());
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => p.toLowerCase() === b[i].toLowerCase());
}

export function match(filter: FilterModel, event: InternalEvent, version: ProtocolVersion): Match {
  const scope = filter.scope;
  const s = event.subject;
  const bitIn = (filter.bits & event.bit) !== 0;
  const hedge = (m: Match): Match => (m.kind === 'yes' && event.optional ? { ...m, kind: 'maybe' } : m);

  if (scope.kind === 'cluster') {
    if (event.bit === C.QUORUM_STATE && version === 2) return bitIn ? { kind: 'no', claim: [CHANGE.v2NoQuorum] } : NO;
    if (s.kind !== 'registry') {
      if (!bitIn) return NO;
      return hedge({ kind: 'yes', why: [CLUSTER.everyObject, PORT.classOrObject], keyWhy: [CLUSTER.key] });
    }
    const subtree = (filter.bits & C.REGISTRY_SUBTREE) !== 0;
    if (s.path.length === 0) return bitIn ? hedge({ kind: 'yes', why: [CLUSTER.rootKey], keyWhy: [CLUSTER.key] }) : NO;
    if (subtree) {
      // 2.2.2.7/R12 allows SUBTREE to make every kind of change below the root reportable.
      if (!bitIn) return { kind: 'maybe', why: [CLUSTER.subtree, CHANGE.subtreeWidens], keyWhy: [CLUSTER.key] };
      return hedge({ kind: 'yes', why: [CLUSTER.subtree, CLUSTER.underSubkeys, CHANGE.subtreeWidens], keyWhy: [CLUSTER.key] });
    }
    if (!bitIn) return NO;
    // A key created or deleted directly under the root may count as a change of the root (3.1.4.x.58 R3).
    if (s.path.length === 1 && event.bit === C.REGISTRY_NAME) return { kind: 'maybe', why: [CLUSTER.rootKey], keyWhy: [CLUSTER.key] };
    return { kind: 'no', claim: [CLUSTER.rootKey] };
  }

  if (scope.kind === 'object') {
    if (s.kind !== 'object' || s.objectKind !== scope.objectKind || !bitIn) return NO;
    const refs = objectRefs(filter);
    if (s.name.toLowerCase() !== scope.name.toLowerCase()) return { kind: 'no', claim: [refs.only] };
    return hedge({ kind: 'yes', why: [refs.only, PORT.classOrObject], keyWhy: [refs.key] });
  }

  // Key registration (3.1.4.x.62).
  if (s.kind !== 'registry' || !bitIn) return NO;
  if (samePath(s.path, scope.path)) return hedge({ kind: 'yes', why: [KEY.monitored, KEY.only], keyWhy: [KEY.key] });
  if (!isBelow(s.path, scope.path)) return { kind: 'no', claim: [KEY.only] };
  if (scope.subtree) return hedge({ kind: 'yes', why: [KEY.subtree, KEY.perChange], keyWhy: [KEY.key] });
  // A direct subkey created or deleted may or may not count as a change of the key itself.
  if (s.path.length === scope.path.length + 1 && event.bit === C.REGISTRY_NAME) return { kind: 'maybe', why: [KEY.monitored], keyWhy: [KEY.key] };
  return { kind: 'no', claim: [KEY.only] };
}
