// Turns a sequence file into concrete sequences: families expand once per row.
import type { Family, Sequence, SequenceFile, Value } from './types';

export function expandFile(file: SequenceFile): Sequence[] {
  return [...(file.sequences ?? []), ...(file.families ?? []).flatMap(expandFamily)];
}

function expandFamily(family: Family): Sequence[] {
  const { rows, ...shape } = family;
  return rows.map(({ clauses, ...params }) => ({ ...substitute(shape, params), clauses }) as Sequence);
}

/** Replaces {{name}} everywhere; a string that is exactly one placeholder takes the parameter's type. */
export function substitute<T>(value: T, params: Record<string, Value>): T {
  if (typeof value === 'string') {
    const whole = /^\{\{(\w+)\}\}$/.exec(value);
    if (whole) return lookup(params, whole[1]) as T;
    return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(lookup(params, name))) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, params)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, params)])) as T;
  }
  return value;
}

function lookup(params: Record<string, Value>, name: string): Value {
  if (!(name in params)) throw new Error(`placeholder {{${name}}} has no value in the family's row`);
  return params[name];
}
