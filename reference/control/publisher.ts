// How control verbs report what changed: one internal event per change, handed to the hub.
import type { ClusterObject } from '../model/types';
import type { EventDetail, InternalEvent, ObjectSnapshot } from '../rules/event';

export type Publish = (event: InternalEvent) => void;

/** The event about one object; Name is the object's name (3.1.4.x.66). */
export function objectEvent(object: ClusterObject, bit: number, detail: Omit<EventDetail, 'object'> = {}): InternalEvent {
  return {
    subject: { kind: 'object', type: object.type, name: object.name },
    bit,
    name: object.name,
    stateSequence: object.type === 'resourceType' ? 0 : object.stateSequence,
    detail: { object: snapshot(object), ...detail },
  };
}

/** The object's fields a version 2 event reports, copied: later changes must not rewrite a queued event. */
export function snapshot(object: ClusterObject): ObjectSnapshot {
  const { type, name, state, group, node, network, resourceType } = object;
  return { type, name, state, group, node, network, resourceType };
}
