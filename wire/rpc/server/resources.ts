// What the server's connections share and must not let one client take: connection slots (in all,
// and per client address) and the bytes held for calls whose last fragment has not come. A hostile
// client (idle connections by the thousand, endless fragments) is held to its share, and what it
// held is given back when its connection goes, so other clients keep being served.
import type { ServerLimits } from './app';

/** One connection as the bookkeeping sees it. */
export interface Tracked {
  /** The client's IP address: what the per-client cap and the fair share count by. */
  readonly address: string;
  /** Bytes held for unfinished calls (charged through ServerResources.charge). */
  readonly held: number;
  /** When nothing was last received and no call was running; undefined while a call runs. */
  readonly idleSince: number | undefined;
  /** Ends the connection, logging `reason` under `kind` (summarised in bulk); it calls ServerResources.remove at once. */
  shed(kind: string, reason: string): void;
}

export type Admission = { admitted: true } | { admitted: false; reason: string };

export class ServerResources {
  private readonly byAddress = new Map<string, Set<Tracked>>();
  private count = 0;
  private heldTotal = 0;

  constructor(private readonly limits: ServerLimits) {}

  get connections(): number {
    return this.count;
  }

  /** Bytes held for unfinished calls by every connection together. */
  get held(): number {
    return this.heldTotal;
  }

  /**
   * Whether a new connection from `address` may open. At the total cap, a newcomer takes the place
   * of the longest-idle connection of the address holding the most connections, when that address
   * holds at least two more than the newcomer's (so a few addresses cannot lock the others out, and
   * two addresses at their fair share do not evict each other back and forth).
   */
  admit(address: string): Admission {
    const own = this.byAddress.get(address)?.size ?? 0;
    if (own >= this.limits.maxConnectionsPerClient) {
      return { admitted: false, reason: `${own} connections from ${address} already (the per-client limit)` };
    }
    if (this.count < this.limits.maxConnections) return { admitted: true };
    let crowded: Set<Tracked> | undefined;
    for (const set of this.byAddress.values()) if (!crowded || set.size > crowded.size) crowded = set;
    if (!crowded || crowded.size < own + 2) {
      return { admitted: false, reason: `${this.count} connections open (the limit), none beyond ${address}'s fair share` };
    }
    let victim: Tracked | undefined;
    for (const c of crowded) {
      if (c.idleSince !== undefined && (victim === undefined || c.idleSince < victim.idleSince!)) victim = c;
    }
    if (!victim) return { admitted: false, reason: `${this.count} connections open (the limit), all busy` };
    victim.shed('evicted', `making room for a client from ${address} (${this.count} connections open, ${crowded.size} of them from ${victim.address})`);
    return { admitted: true };
  }

  add(connection: Tracked): void {
    let set = this.byAddress.get(connection.address);
    if (!set) this.byAddress.set(connection.address, (set = new Set()));
    set.add(connection);
    this.count++;
  }

  /** The connection is gone: its slot and everything it held are given back. */
  remove(connection: Tracked): void {
    const set = this.byAddress.get(connection.address);
    if (!set?.delete(connection)) return;
    if (!set.size) this.byAddress.delete(connection.address);
    this.count--;
    this.heldTotal -= connection.held;
  }

  /**
   * Records `bytes` more held by `connection` (which has already counted them in its `held`). Past
   * the total, the connections holding the most are closed until it is back under. Returns false
   * when `connection` itself was closed.
   */
  charge(connection: Tracked, bytes: number): boolean {
    this.heldTotal += bytes;
    while (this.heldTotal > this.limits.maxHeldBytes) {
      let biggest: Tracked | undefined;
      for (const set of this.byAddress.values()) for (const c of set) if (!biggest || c.held > biggest.held) biggest = c;
      if (!biggest || biggest.held === 0) break;
      biggest.shed('held bytes', `${biggest.held} bytes held for unfinished calls while all connections hold more than ${this.limits.maxHeldBytes}`);
      if (biggest === connection) return false;
    }
    return true;
  }

  /** `bytes` held by a live connection were given back (its call completed or was abandoned). */
  release(bytes: number): void {
    this.heldTotal -= bytes;
  }
}
