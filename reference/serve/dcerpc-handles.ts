// Context handles of one served association group and protocol version: the 20 wire bytes the client
// holds (attributes 0 + a random UUID, as a Windows runtime makes them) mapped to the Target's own
// opaque handles. A wire handle that was never issued here, or was closed, maps to nothing: the RPC
// runtime rejects it before the method runs ([MS-RPCE] 3.3.3.2.1).
import { randomBytes } from 'node:crypto';

/** Whether a Target handle stands for NULL (a failed Open*, a closed port): null or 40 zeros. */
export function isNullTargetHandle(handle: unknown): boolean {
  return handle === null || handle === undefined || (typeof handle === 'string' && /^0{40}$/.test(handle));
}

/**
 * 16 random bytes from a pool filled 4 KiB at a time: a handle is issued on nearly every call, and one
 * randomBytes call each cost the served reference more than the rest of issuing it.
 */
const POOL_UUIDS = 256;
let pool = Buffer.alloc(0);
let used = 0;
function randomUuidBytes(): Buffer {
  if (used + 16 > pool.length) {
    pool = randomBytes(16 * POOL_UUIDS);
    used = 0;
  }
  used += 16;
  return pool.subarray(used - 16, used);
}

export class ContextHandleMap {
  private readonly byWire = new Map<string, string>();
  private readonly byTarget = new Map<string, string>();

  /** The Target handle a wire handle (40 hex digits) stands for, if it was issued and not closed. */
  toTarget(wire: string): string | undefined {
    return this.byWire.get(wire.toLowerCase());
  }

  /** The wire handle for a Target handle: the one already issued for it, or a fresh one; null for NULL. */
  toWire(target: unknown): string | null {
    if (isNullTargetHandle(target)) return null;
    const key = String(target);
    const known = this.byTarget.get(key);
    if (known) return known;
    const uuid = Buffer.from(randomUuidBytes());
    uuid[6] = (uuid[6] & 0x0f) | 0x40;
    uuid[8] = (uuid[8] & 0x3f) | 0x80;
    const wire = `00000000${uuid.toString('hex')}`;
    this.byWire.set(wire, key);
    this.byTarget.set(key, wire);
    return wire;
  }

  /** The client's context is gone (a close method returned NULL for it). */
  release(wire: string): void {
    const target = this.byWire.get(wire.toLowerCase());
    this.byWire.delete(wire.toLowerCase());
    if (target !== undefined) this.byTarget.delete(target);
  }
}
