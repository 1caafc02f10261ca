// The objects of the simulated cluster. Names are the identity clients see (events carry them, and the
// registrations match on them, per the dwNotifyKey text of 3.1.4.x.59-100), so the model is keyed by
// type and case-insensitive name.
import type { ObjectType } from '../../cmrp/control';

export type { ObjectType };

/** Object types that have a state (and so a state sequence and *_STATE events). */
export type StatefulType = Exclude<ObjectType, 'resourceType'>;

export interface ClusterObject {
  readonly type: ObjectType;
  readonly name: string;
  /** Value of the type's state enumeration (reference/rules/states.ts); resource types have none (0). */
  state: number;
  /**
   * The state sequence ([MS-CMRP] 3.1.4.x.13/.46 for groups and resources; the "internal state" of
   * 3.1.4.x.69/.83/.94 for the others). One counter for every type: it changes on every state change,
   * which is all a client (and a test) may rely on.
   */
  stateSequence: number;
  readonly properties: Map<string, string | number>;
  /** Resource: its group. */
  group?: string;
  /** Group: its owner node. Net interface: its node. */
  node?: string;
  /** Net interface: its network. Resource: its resource type. */
  network?: string;
  resourceType?: string;
}

export function isStateful(type: ObjectType): type is StatefulType {
  return type !== 'resourceType';
}
