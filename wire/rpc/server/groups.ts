// Association groups on the server side ([MS-RPCE] 3.3.1.1.x): a bind with assoc_group_id 0 starts
// one, a bind naming an existing id joins it, and when its last connection closes its state (the
// context handles) is run down.
export class GroupRegistry<G> {
  private readonly groups = new Map<number, { state: G; connections: number }>();
  private next = (Math.floor(Math.random() * 0x7fff) << 16) | 0x1000;

  create(state: G): number {
    let id: number;
    do id = this.next++ >>> 0;
    while (id === 0 || this.groups.has(id));
    this.groups.set(id, { state, connections: 1 });
    return id;
  }

  /** Adds a connection to a known group; undefined when the id names no live group. */
  join(id: number): G | undefined {
    const group = this.groups.get(id);
    if (!group) return undefined;
    group.connections++;
    return group.state;
  }

  /** A connection left; returns the state when it was the group's last (time to run it down). */
  leave(id: number): G | undefined {
    const group = this.groups.get(id);
    if (!group) return undefined;
    if (--group.connections > 0) return undefined;
    this.groups.delete(id);
    return group.state;
  }

  get size(): number {
    return this.groups.size;
  }
}
