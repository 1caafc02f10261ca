// What the harness saw a call do, reduced to what the model judges: a reply (status and out values),
// an RPC fault, or nothing yet (a call still pending when the harness stopped waiting).
import type { GetNotifyOut } from '../../cmrp/contract';
import { clusterChangeName, ERROR, statusName } from '../../cmrp/constants';
import type { ClauseRef } from './clauses';

export type Observed =
  | { kind: 'reply'; status: number; out: Readonly<Record<string, unknown>> }
  | { kind: 'fault'; fault: number }
  | { kind: 'pending' };

/** What a prediction concluded: the clauses it checked and saw kept, or the ones it saw broken. */
export interface Verdict {
  pass: ClauseRef[];
  fail?: { refs: ClauseRef[]; message: string };
  /**
   * A SHOULD the server did not keep, seen while what it did is otherwise allowed: recorded as a failed
   * check of those (SHOULD) clauses, which a report shows NON-STRICT, and the run goes on.
   */
  shortfall?: { refs: ClauseRef[]; message: string };
}

export function passed(refs: ClauseRef[]): Verdict {
  return { pass: refs };
}

export function failed(refs: ClauseRef[], message: string): Verdict {
  return { pass: [], fail: { refs, message } };
}

export function describeObserved(o: Observed): string {
  if (o.kind === 'pending') return 'no completion (the call was still pending)';
  if (o.kind === 'fault') return `RPC fault ${statusName(o.fault)}`;
  if (o.status === ERROR.SUCCESS && 'dwFilter' in o.out) {
    const e = eventOf(o);
    return `ERROR_SUCCESS with {dwNotifyKey: ${e.dwNotifyKey}, dwFilter: ${bitText(e.dwFilter)}, dwStateSequence: ${e.dwStateSequence}, Name: ${JSON.stringify(e.Name)}}`;
  }
  return statusName(o.status);
}

export function eventOf(o: Observed): GetNotifyOut {
  const out = o.kind === 'reply' ? o.out : {};
  return {
    dwNotifyKey: Number(out.dwNotifyKey ?? 0) >>> 0,
    dwFilter: Number(out.dwFilter ?? 0) >>> 0,
    dwStateSequence: Number(out.dwStateSequence ?? 0) >>> 0,
    Name: typeof out.Name === 'string' ? out.Name : '',
  };
}

export function bitText(value: number): string {
  const parts: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    const v = (1 << bit) >>> 0;
    if ((value >>> 0) & v) parts.push(clusterChangeName(v));
  }
  return parts.length ? parts.join('|') : '0';
}

/** The NULL context handle: 20 zero bytes (or a binding's null). */
export function isNullHandle(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (typeof value === 'string' && /^0{40}$/.test(value));
}
