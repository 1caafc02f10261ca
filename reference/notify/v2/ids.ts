// Object IDs of version 2 events (ObjectId, ParentId, IDs in buffers). The spec leaves their form to
// the server; the reference derives a GUID from the object's type and name, so an object keeps its ID
// for its life and across Reset, and two objects never share one.
import { createHash } from 'node:crypto';
import type { ObjectType } from '../../model/types';

export function objectId(type: ObjectType, name: string): string {
  const source = `${type}\0${name.toLowerCase()}`;
  let id = known.get(source);
  if (id === undefined) {
    const h = createHash('sha1').update(source).digest('hex');
    id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    // A cache, not state: the ID is a function of type and name. Bounded, for a long-lived server.
    if (known.size >= 4096) known.clear();
    known.set(source, id);
  }
  return id;
}

/** IDs already derived: every version 2 event names its object's ID, a hash each time otherwise. */
const known = new Map<string, string>();
