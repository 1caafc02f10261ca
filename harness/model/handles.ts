// Context handles as the model knows them (2.2.1.x): what each designates, its type, whether it is
// still open. A handle is named by an id (the trace's symbolic name, "hGroup#2"); the harness keeps
// the wire value. Validity is what the invalid-handle rows judge: fabricated, closed, wrong type.
import type { HandleKind } from './types';

/** The id of a handle no server gave out (the harness sends FABRICATED_HANDLE for it). */
export const FABRICATED = 'fabricated';

/** Why a handle argument is bad, or undefined when it is a live handle of the right type. */
export type Badness = 'fabricated' | 'closed' | 'wrong-type';

export interface HandleInfo {
  readonly id: string;
  readonly kind: HandleKind;
  /** What it designates: 'cluster', an objectKey(), 'key:<path>', or 'port:<index>'. */
  readonly target: string;
  live: boolean;
}

export function handleParam(kind: HandleKind): string {
  switch (kind) {
    case 'notify':
      return 'hNotify';
    case 'key':
      return 'hKey';
    case 'netInterface':
      return 'hNetInterface';
    default:
      return `h${kind[0].toUpperCase()}${kind.slice(1)}`;
  }
}

export class HandleBook {
  private readonly byId = new Map<string, HandleInfo>();
  /** Target -> the handle the harness uses for it now (the last one opened). */
  private readonly current = new Map<string, string>();
  private readonly counts = new Map<HandleKind, number>();

  /** Records a handle the harness obtained; `name` is the trace's name for it when it has one. */
  add(kind: HandleKind, target: string, name?: string): string {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    const id = name && !this.byId.has(name) ? name : `${handleParam(kind)}#${n}`;
    this.byId.set(id, { id, kind, target, live: true });
    this.current.set(target, id);
    return id;
  }

  get(id: string): HandleInfo | undefined {
    return this.byId.get(id);
  }

  all(): HandleInfo[] {
    return [...this.byId.values()];
  }

  /** The live handle for a target ('cluster', objectKey(), 'key:<path>'). */
  currentFor(target: string): string | undefined {
    const id = this.current.get(target);
    return id && this.byId.get(id)?.live ? id : undefined;
  }

  /** A closed handle of `kind`, for the invalid-handle checks. */
  stale(kind: HandleKind): string | undefined {
    return this.all().find((h) => h.kind === kind && !h.live)?.id;
  }

  /** A live handle of another kind than `kind` (the wrong-type checks), chosen by `pick`. */
  wrongType(kind: HandleKind, pick: number): string | undefined {
    const live = this.all().filter((h) => h.live && h.kind !== kind);
    return live.length ? live[pick % live.length].id : undefined;
  }

  badness(id: string, expected: HandleKind): Badness | undefined {
    const h = id === FABRICATED ? undefined : this.byId.get(id);
    if (!h) return 'fabricated';
    if (!h.live) return 'closed';
    return h.kind === expected ? undefined : 'wrong-type';
  }

  close(id: string): void {
    const h = this.byId.get(id);
    if (h) h.live = false;
  }
}
