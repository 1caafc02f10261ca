// The cluster model: objects, quorum, cluster properties and the cluster registry. It knows nothing of
// notifications; reference/control turns its changes into internal events.
import { sameName, splitPath } from '../rules/names';
import { DEFAULT_CLUSTER, initialObjects, type ClusterData } from './initial';
import { LinkTable } from './links';
import { RegistryTree } from './registry';
import type { ClusterObject, ObjectType } from './types';

/** How state sequences start and move (reference/rules/behaviour.ts: initialSequence, nextSequence). */
export interface SequencePolicy {
  initialSequence(type: ObjectType, state: number): number;
  nextSequence(type: ObjectType, current: number, state: number): number;
}

const FROM_ZERO: SequencePolicy = { initialSequence: () => 0, nextSequence: (_t, current) => (current + 1) >>> 0 };

export class ClusterModel {
  readonly name: string;
  readonly properties = new Map<string, string | number>();
  readonly registry = new RegistryTree();
  /** Link-level connectivity of the net interfaces (SetInterfaceLink). */
  readonly links = new LinkTable();
  /**
   * Nodes that run the cluster software but are not active (SetNodeActivity 'inactive', 3.1.1): unlike a
   * lost node (NodeDown) they still answer clients. Lowercase names.
   */
  readonly running = new Set<string>();
  /** Of those, the nodes whose computer is shutting down (NodeShutdown, 3.1.4.1). Lowercase names. */
  readonly shuttingDown = new Set<string>();
  quorumResource: string;
  private readonly objects: ClusterObject[] = [];

  /** A fresh model of `data` (checked beforehand: reference/model/load-cluster.ts). */
  constructor(
    data: ClusterData = DEFAULT_CLUSTER,
    private readonly sequences: SequencePolicy = FROM_ZERO,
  ) {
    this.name = data.name;
    this.quorumResource = data.quorumResource;
    for (const o of initialObjects(data)) this.add({ ...o });
    for (const { path, values } of data.registry) {
      const parts = splitPath(path);
      this.registry.create(parts);
      const key = this.registry.find(parts);
      for (const [name, data] of Object.entries(values)) key?.values.set(name, data);
    }
  }

  find(type: ObjectType, name: string): ClusterObject | undefined {
    return this.objects.find((o) => o.type === type && sameName(o.name, name));
  }

  all(type: ObjectType): ClusterObject[] {
    return this.objects.filter((o) => o.type === type);
  }

  add(init: Omit<ClusterObject, 'stateSequence' | 'properties'>): ClusterObject {
    // 3.1.4.x.10 / .43: a created resource's and group's sequence starts at zero (the policy's start).
    const object: ClusterObject = { ...init, stateSequence: this.sequences.initialSequence(init.type, init.state) >>> 0, properties: new Map() };
    this.objects.push(object);
    return object;
  }

  remove(object: ClusterObject): void {
    const index = this.objects.indexOf(object);
    if (index >= 0) this.objects.splice(index, 1);
  }

  /** Records a state transition: the state sequence moves on (3.1.4.x.13, .46). */
  setState(object: ClusterObject, state: number): void {
    object.state = state;
    object.stateSequence = this.sequences.nextSequence(object.type, object.stateSequence, state) >>> 0;
  }

  /** 3.1.4.x.26: a resource transferred to another group has its state sequence incremented. */
  moveToGroup(resource: ClusterObject, group: string): void {
    resource.group = group;
    resource.stateSequence = this.sequences.nextSequence(resource.type, resource.stateSequence, resource.state) >>> 0;
  }
}
