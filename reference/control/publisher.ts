// How control verbs report what changed: one internal event per change, handed to the hub.
import type { ClusterObject } from '../model/types';
import type { InternalEvent } from '../rules/event';

export type Publish = (event: InternalEvent) => void;

/** The event about one object; Name is the object's name (3.1.4.x.66). */
export function objectEvent(object: ClusterObject, bit: number): InternalEvent {
  return {
    subject: { kind: 'object', type: object.type, name: object.name },
    bit,
    name: object.name,
    stateSequence: object.type === 'resourceType' ? 0 : object.stateSequence,
  };
}
