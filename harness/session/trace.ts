// The call trace of one test: what a failure message shows as "the call sequence that led there".
// Handles appear by symbolic name (hNotify#1), never by value: traces stay stable from run to run and
// say nothing a server would rather keep to itself.
import type { Handle } from '../../cmrp/contract';
import { clusterChangeName, hex, statusName } from '../../cmrp/constants';

const FILTER_PARAMS = new Set(['dwFilter', 'Filter']);

export class Trace {
  readonly lines: string[] = [];
  private readonly names = new Map<Handle, string>();
  private readonly counts = new Map<string, number>();
  private readonly used = new Set<string>();
  private readonly reserved = new Map<string, string>();

  /** Gives a handle its symbolic name the first time it is seen, from the parameter it came in. */
  name(handle: Handle, kind: string): string {
    let name = this.names.get(handle);
    if (!name) {
      name = this.reserved.get(kind);
      if (name) this.reserved.delete(kind);
      else {
        // Past any name reserve() gave out of turn.
        let n = this.counts.get(kind) ?? 0;
        do name = `${kind}#${++n}`;
        while (this.used.has(name));
        this.counts.set(kind, n);
      }
      this.names.set(handle, name);
      this.used.add(name);
    }
    return name;
  }

  /**
   * The next new handle of the kind `name` is of (its part before '#') gets `name`: a handle the run
   * named before the server returned it (a fixture handle opened on its first use).
   */
  reserve(name: string): void {
    this.reserved.set(name.slice(0, name.indexOf('#')), name);
  }

  known(handle: Handle): string | undefined {
    return this.names.get(handle);
  }

  add(line: string): void {
    this.lines.push(line);
  }

  formatValue(param: string, value: unknown): string {
    if (typeof value === 'string' && this.names.has(value)) return this.names.get(value)!;
    if (typeof value === 'number' && FILTER_PARAMS.has(param)) return filterText(value);
    if (typeof value === 'number' && /^(dw|State)/.test(param)) return String(value >>> 0);
    if (typeof value === 'string') return JSON.stringify(value);
    if (typeof value === 'bigint') return `0x${value.toString(16)}`;
    // ApiGetNotifyV2's NOTIFICATION_RPC list: key, object type, flags and name of each entry.
    if (Array.isArray(value)) {
      return `[${value.map((n: Record<string, unknown>) => `{${n.dwNotifyKey} type ${n.dwObjectType} flags ${this.formatValue('FilterFlags', n.FilterFlags)} ${JSON.stringify(n.Name)}}`).join(', ')}]`;
    }
    return String(value);
  }
}

/** "GROUP_STATE|GROUP_DELETED" for a filter mask. */
export function filterText(mask: number): string {
  const parts: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    const value = (1 << bit) >>> 0;
    if ((mask >>> 0) & value) parts.push(clusterChangeName(value));
  }
  return parts.length ? parts.join('|') : hex(0);
}

export function statusText(status: number): string {
  return statusName(status);
}
