// A connection's context handles (2.2.1.x). A handle is valid only on the connection that created it,
// only until it is closed, and only as the type it was created as; anything else is a bad handle.
import { pooledRandomBytes } from './random-pool';
import { FABRICATED_HANDLE, type Handle } from '../../cmrp/contract';
import type { HandleFault, HandleKind } from '../rules/behaviour';
import { NULL_HANDLE } from '../rules/codes';
import type { ObjectType } from '../model/types';
import type { NotificationPort } from '../notify/port';
import type { NotificationPortV2 } from '../notify/v2/port';

export type HandleTarget =
  | { kind: 'cluster' }
  | { kind: Exclude<ObjectType, 'resourceType'>; name: string }
  | { kind: 'key'; path: readonly string[] }
  | { kind: 'notify'; port: NotificationPort }
  /** A version 2 port (ApiCreateNotifyV2): the same HNOTIFY_RPC on the wire, another kind here. */
  | { kind: 'notifyV2'; port: NotificationPortV2 };

export type TargetOf<K extends HandleKind> = Extract<HandleTarget, { kind: K }>;

export type Resolution<K extends HandleKind> = { ok: true; target: TargetOf<K> } | { ok: false; fault: HandleFault };

export class HandleTable {
  private readonly entries = new Map<Handle, HandleTarget>();

  /** A fresh handle in the wire form (20 bytes as 40 hex digits), never NULL or the fabricated one. */
  issue(target: HandleTarget): Handle {
    let handle: Handle;
    do handle = pooledRandomBytes(20).toString('hex');
    while (handle === NULL_HANDLE || handle === FABRICATED_HANDLE || this.entries.has(handle));
    this.entries.set(handle, target);
    return handle;
  }

  resolve<K extends HandleKind>(handle: Handle, kind: K): Resolution<K> {
    const target = this.entries.get(String(handle).toLowerCase());
    if (!target) return { ok: false, fault: 'unknown' };
    if (target.kind !== kind) return { ok: false, fault: 'wrong-type' };
    return { ok: true, target: target as TargetOf<K> };
  }

  /** Whatever the handle designates, of any kind (ApiAddNotifyV2's HGENERIC_RPC hObject). */
  lookup(handle: Handle): HandleTarget | undefined {
    return this.entries.get(String(handle).toLowerCase());
  }

  /** The live targets of one kind (a connection's ports, for instance). */
  targets<K extends HandleKind>(kind: K): TargetOf<K>[] {
    return [...this.entries.values()].filter((t): t is TargetOf<K> => t.kind === kind);
  }

  release(handle: Handle): void {
    this.entries.delete(String(handle).toLowerCase());
  }

  /** Drops every handle of one kind (Reset closes all ports) and returns their targets. */
  releaseAll<K extends HandleKind>(kind: K): TargetOf<K>[] {
    const released: TargetOf<K>[] = [];
    for (const [handle, target] of this.entries) {
      if (target.kind === kind) {
        released.push(target as TargetOf<K>);
        this.entries.delete(handle);
      }
    }
    return released;
  }

  /** Drops every handle (the connection is gone). */
  clear(): HandleTarget[] {
    const all = [...this.entries.values()];
    this.entries.clear();
    return all;
  }
}
