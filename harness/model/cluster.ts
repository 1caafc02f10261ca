// The model's view of the cluster a run owns: object states, what the model knows of each object's
// state sequence, the dynamic objects and keys, and which internal events each control stimulus
// causes. The state sequence is abstract: the model never assumes a counter's start, step or shape,
// only "a transition happened since" (3.1.4.x.46/.13: incremented on each transition; for nodes,
// networks and interfaces the sequence is the internal state), which is what "differs" needs.
import type { Stimulus } from '../../cmrp/control';
import { CLUSTER_CHANGE as C } from '../../cmrp/constants';
import { KIND_BITS, stateBit } from './bits';
import { DYNAMIC_KEYS, DYNAMIC_OBJECTS, FIXTURE_OBJECTS, splitPath } from './fixture';
import { ref, type ClauseRef } from './clauses';
import type { InternalEvent, ObjectKind } from './types';

/** 3.1.4.x.26: a resource's state sequence rises when it moves to another group. */
export const MOVE_RAISES_SEQUENCE: ClauseRef = ref('x.26', 'state sequence incremented on a move');

/** One state of an object: its value, whether entering it was a certain transition, and its sequence if seen. */
export interface Version {
  /**
   * undefined: the model cannot know it (a group whose state the server may have derived from its
   * resources): a later SetState to any value may or may not be a transition.
   */
  state: number | undefined;
  /** False for a change the stimulus did not promise (a group after its resource changed). */
  definite: boolean;
  /** Entered by a move to another group (3.1.4.x.26): the sequence rises although the state stays. */
  moved?: boolean;
  /** The dwStateSequence the server reported while the object was in this version. */
  value?: number;
  /** Who reported it: an Add* return value, an indication's dwStateSequence, or both. */
  sources?: Set<SequenceSource>;
}

export type SequenceSource = 'add' | 'indication';

/** A reported sequence the model cannot reconcile with what it knew. */
export interface SequenceConflict {
  message: string;
  /** Sources of the earlier and the new report: the clauses of both are suspects. */
  sources: SequenceSource[];
  /** Clauses the conflict breaks beyond the sources' own (a move that did not raise the sequence). */
  refs?: ClauseRef[];
}

export interface ObjectState {
  readonly kind: ObjectKind;
  readonly name: string;
  group?: string;
  /** Net interface: the node it is installed on, whose activity its state follows (3.1.4.x.94). */
  readonly node?: string;
  readonly network?: string;
  readonly versions: Version[];
}

/** Counter types (3.1.4.x.13/.46): every transition changes the sequence. Others compare the state itself. */
const COUNTER_KINDS: ReadonlySet<ObjectKind> = new Set(['group', 'resource']);

export function objectKey(kind: ObjectKind, name: string): string {
  return `${kind}:${name.toLowerCase()}`;
}

/** What a ReAdd's StateSequence is, relative to the object's current sequence. */
export interface SequenceChoice {
  value: number;
  /** true: differs (catch-up required); false: current, undefined: cannot tell (catch-up optional either way). */
  differs: boolean | undefined;
  how: string;
}

export class ClusterModel {
  private readonly objects = new Map<string, ObjectState>();
  readonly dynamicObjects: boolean[] = DYNAMIC_OBJECTS.map(() => false);
  readonly dynamicKeys: boolean[] = DYNAMIC_KEYS.map(() => false);

  constructor(initialStates: ReadonlyMap<string, number>) {
    for (const o of FIXTURE_OBJECTS) {
      const state = initialStates.get(objectKey(o.kind, o.name)) ?? 0;
      this.objects.set(objectKey(o.kind, o.name), { kind: o.kind, name: o.name, group: o.group, node: o.node, network: o.network, versions: [{ state, definite: true }] });
    }
  }

  object(kind: ObjectKind, name: string): ObjectState {
    const o = this.objects.get(objectKey(kind, name));
    if (!o) throw new Error(`the model has no ${kind} '${name}'`);
    return o;
  }

  current(o: ObjectState): Version {
    return o.versions[o.versions.length - 1];
  }

  versionIndex(kind: ObjectKind, name: string): number {
    return this.object(kind, name).versions.length - 1;
  }

  /**
   * Records a dwStateSequence the server reported for version `index` of an object. Returns a
   * sentence when it contradicts what the model already knows (same version, different value; or a
   * counter that did not change across a certain transition).
   */
  learn(kind: ObjectKind, name: string, index: number, value: number, source: SequenceSource): SequenceConflict | undefined {
    const o = this.object(kind, name);
    const v = o.versions[index];
    if (v.value !== undefined) {
      if (v.value === value) {
        v.sources!.add(source);
        return undefined;
      }
      return {
        message: `the state sequence of ${kind} '${name}' was reported as ${v.value} (by ${[...v.sources!].join(' and ')}) and now as ${value} (by ${source}), with no state transition in between`,
        sources: [...v.sources!, source],
      };
    }
    for (let j = 0; j < o.versions.length; j++) {
      const other = o.versions[j];
      if (j === index || other.value !== value) continue;
      const [a, b] = [Math.min(j, index), Math.max(j, index)];
      if (this.certainlyDiffer(o, a, b)) {
        const moveOnly = !this.certainlyDiffer(o, a, b, false);
        return {
          message: `the state sequence of ${kind} '${name}' is reported as ${value} (by ${source}) both before and after ${moveOnly ? 'a move to another group' : 'a state transition'}`,
          sources: [...other.sources!, source],
          ...(moveOnly ? { refs: [MOVE_RAISES_SEQUENCE] } : {}),
        };
      }
    }
    v.value = value;
    v.sources = new Set([source]);
    return undefined;
  }

  /** Whether the sequence must differ between versions a < b of `o` (`moves`: counting moves to another group). */
  private certainlyDiffer(o: ObjectState, a: number, b: number, moves = true): boolean {
    if (COUNTER_KINDS.has(o.kind)) return o.versions.slice(a + 1, b + 1).some((v) => v.definite && (moves || !v.moved));
    const [from, to] = [o.versions[a].state, o.versions[b].state];
    return from !== undefined && to !== undefined && from !== to && o.versions.slice(a + 1, b + 1).every((v) => v.definite);
  }

  /** The StateSequence a ReAdd passes, and whether it differs from the current one. */
  chooseSequence(kind: ObjectKind, name: string, mode: 'current' | 'stale'): SequenceChoice {
    const o = this.object(kind, name);
    const last = o.versions.length - 1;
    const cur = o.versions[last].value;
    if (mode === 'current') {
      if (cur !== undefined) return { value: cur, differs: false, how: 'the current sequence' };
      const known = this.latestKnown(o);
      if (known) return { value: known.value, differs: this.differsFrom(o, known.index), how: 'the last sequence seen, before a possible change' };
      return { value: 0, differs: undefined, how: 'no sequence known yet' };
    }
    for (let j = last - 1; j >= 0; j--) {
      const value = o.versions[j].value;
      if (value !== undefined && value !== cur && this.differsFrom(o, j) === true) return { value, differs: true, how: 'a stale sequence' };
    }
    if (cur !== undefined) return { value: (cur + 1) >>> 0, differs: true, how: 'a sequence other than the current one' };
    return { value: 0x5eed, differs: undefined, how: 'an arbitrary sequence (the current one is unknown)' };
  }

  private latestKnown(o: ObjectState): { index: number; value: number } | undefined {
    for (let j = o.versions.length - 1; j >= 0; j--) {
      const value = o.versions[j].value;
      if (value !== undefined) return { index: j, value };
    }
    return undefined;
  }

  private differsFrom(o: ObjectState, index: number): boolean | undefined {
    const last = o.versions.length - 1;
    if (index === last) return false;
    return this.certainlyDiffer(o, index, last) ? true : undefined;
  }

  /** The internal events a stimulus causes, in the model's reading of 2.2.2.7; mutates the model. */
  apply(s: Stimulus): InternalEvent[] {
    switch (s.verb) {
      case 'SetState':
        return this.setState(s.objectType as ObjectKind, s.name, s.state);
      case 'SetProperty': {
        if (s.objectType === 'cluster') return [{ subject: { kind: 'cluster' }, bit: C.CLUSTER_PROPERTY }];
        const kind = s.objectType as ObjectKind | 'resourceType';
        return [{ subject: { kind: 'object', objectKind: kind, name: s.name }, bit: KIND_BITS[kind].property!, name: s.name }];
      }
      case 'MoveResource':
        return this.moveResource(s.name, s.group);
      case 'SetQuorum':
        // About the cluster's quorum configuration: its Name form is not fixed (3.1.4.x.66 R14).
        return [{ subject: { kind: 'cluster' }, bit: C.QUORUM_STATE }];
      case 'AddObject':
      case 'DeleteObject': {
        const i = DYNAMIC_OBJECTS.findIndex((d) => d.name === s.name);
        if (i < 0) throw new Error(`the model only adds and deletes its dynamic objects, not '${s.name}'`);
        this.dynamicObjects[i] = s.verb === 'AddObject';
        const kind = DYNAMIC_OBJECTS[i].kind;
        const bit = s.verb === 'AddObject' ? KIND_BITS[kind].added : KIND_BITS[kind].deleted;
        return [{ subject: { kind: 'object', objectKind: kind, name: s.name }, bit, name: s.name }];
      }
      case 'RegistrySetValue':
        return [{ subject: { kind: 'registry', path: splitPath(s.path) }, bit: C.REGISTRY_VALUE }];
      case 'RegistrySetSecurity':
        return [{ subject: { kind: 'registry', path: splitPath(s.path) }, bit: C.REGISTRY_ATTRIBUTES }];
      case 'RegistryCreateKey':
      case 'RegistryDeleteKey': {
        const i = DYNAMIC_KEYS.indexOf(s.path);
        if (i < 0) throw new Error(`the model only creates and deletes its dynamic keys, not '${s.path}'`);
        this.dynamicKeys[i] = s.verb === 'RegistryCreateKey';
        return [{ subject: { kind: 'registry', path: splitPath(s.path) }, bit: C.REGISTRY_NAME }];
      }
      default:
        return [];
    }
  }

  /**
   * SetState: the object's *_STATE, a certain transition when the value changes. Related objects
   * whose state a real cluster derives from it (a group from its resources and back, an interface from
   * its node, a network from its interfaces) may change too: their *_STATE is optional and their sequence becomes uncertain.
   */
  private setState(kind: ObjectKind, name: string, state: number): InternalEvent[] {
    const o = this.object(kind, name);
    const before = this.current(o).state;
    // From a state the model cannot know, the change may be no transition at all.
    const changed = before !== undefined && before !== state;
    o.versions.push({ state, definite: changed });
    const events: InternalEvent[] = [{ subject: { kind: 'object', objectKind: kind, name: o.name }, bit: stateBit(kind), name: o.name, optional: !changed, state }];
    for (const related of this.derived(o)) events.push(this.maybeTransition(related));
    return events;
  }

  private derived(o: ObjectState): ObjectState[] {
    if (o.kind === 'resource' && o.group) return [this.object('group', o.group)];
    if (o.kind === 'group') return [...this.objects.values()].filter((r) => r.kind === 'resource' && r.group?.toLowerCase() === o.name.toLowerCase());
    if (o.kind === 'netInterface' && o.network) return [this.object('network', o.network)];
    if (o.kind === 'node') {
      // 3.1.4.x.94: an interface's state follows its node's activity (a server may re-derive it even when
      // the node's value is unchanged), and a network's follows its interfaces.
      const interfaces = [...this.objects.values()].filter((i) => i.kind === 'netInterface' && i.node?.toLowerCase() === o.name.toLowerCase());
      // Interfaces of one node may share a network: each related object once.
      return [...new Set([...interfaces, ...interfaces.flatMap((i) => this.derived(i))])];
    }
    return [];
  }

  private maybeTransition(o: ObjectState): InternalEvent {
    o.versions.push({ state: undefined, definite: false });
    return { subject: { kind: 'object', objectKind: o.kind, name: o.name }, bit: stateBit(o.kind), name: o.name, optional: true };
  }

  /**
   * MoveResource: GROUP_PROPERTY for the group it leaves and the one it joins (2.2.2.7: "a resource
   * moves into or out of it"). RESOURCE_PROPERTY is not promised (a move is none of property,
   * dependency or possible owners), nor RESOURCE_STATE, and both groups' states may follow the resource.
   */
  private moveResource(name: string, groupName: string): InternalEvent[] {
    const r = this.object('resource', name);
    const from = r.group ? this.object('group', r.group) : undefined;
    const to = this.object('group', groupName);
    r.group = to.name;
    // 3.1.4.x.26: the resource's sequence is incremented by the move, its state unchanged.
    r.versions.push({ state: this.current(r).state, definite: true, moved: true });
    const events: InternalEvent[] = [{ subject: { kind: 'object', objectKind: 'resource', name: r.name }, bit: C.RESOURCE_PROPERTY, name: r.name, optional: true }];
    // Whether the move is also reported as a state change is not said (3.1.4.x.26): optional.
    events.push({ subject: { kind: 'object', objectKind: 'resource', name: r.name }, bit: C.RESOURCE_STATE, name: r.name, optional: true });
    for (const g of from ? [from, to] : [to]) {
      events.push({ subject: { kind: 'object', objectKind: 'group', name: g.name }, bit: C.GROUP_PROPERTY, name: g.name, move: g === from ? 'lost' : 'gained' });
    }
    for (const g of from ? [from, to] : [to]) events.push(this.maybeTransition(g));
    return events;
  }
}
