// The cluster model: objects, quorum, cluster properties and the cluster registry. It knows nothing of
// notifications; reference/control turns its changes into internal events.
import { sameName, splitPath } from '../rules/names';
import { DEFAULT_CLUSTER, initialObjects, type ClusterData } from './initial';
import { RegistryTree } from './registry';
import type { ClusterObject, ObjectType } from './types';

export class ClusterModel {
  readonly name: string;
  readonly properties = new Map<string, string | number>();
  readonly registry = new RegistryTree();
  quorumResource: string;
  private readonly objects: ClusterObject[] = [];

  /** A fresh model of `data` (checked beforehand: reference/model/load-cluster.ts). */
  constructor(data: ClusterData = DEFAULT_CLUSTER) {
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
    // Every object starts at sequence 1: the value only has to change on each state change.
    const object: ClusterObject = { ...init, stateSequence: 1, properties: new Map() };
    this.objects.push(object);
    return object;
  }

  remove(object: ClusterObject): void {
    const index = this.objects.indexOf(object);
    if (index >= 0) this.objects.splice(index, 1);
  }

  /** Records a state change; the state sequence changes even when the value is the same. */
  setState(object: ClusterObject, state: number): void {
    object.state = state;
    object.stateSequence = (object.stateSequence + 1) >>> 0;
  }
}
