// Object IDs of version 2 events (ObjectId, ParentId, IDs in buffers). The spec leaves their form to
// the server; the reference derives a GUID from the object's type and name, so an object keeps its ID
// for its life and across Reset, and two objects never share one.
import { createHash } from 'node:crypto';
import type { ObjectType } from '../../model/types';

export function objectId(type: ObjectType, name: string): string {
  const h = createHash('sha1').update(`${type}\0${name.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
