// Context handles of one served association group and protocol version: the 20 wire bytes the client
// holds (attributes 0 + a random UUID, as a Windows runtime makes them) mapped to the Target's own
// opaque handles. A wire handle that was never issued here, or was closed, maps to nothing: the RPC
// runtime rejects it before the method runs ([MS-RPCE] 3.3.3.2.1).
import { pooledRandomBytes } from '../session/random-pool';

/** Whether a Target handle stands for NULL (a failed Open*, a closed port): null or 40 zeros. */
export function isNullTargetHandle(handle: unknown): boolean {
  return handle === null || handle === undefined || (typeof handle === 'string' && /^0{40}$/.test(handle));
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
    const uuid = Buffer.from(pooledRandomBytes(16));
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
