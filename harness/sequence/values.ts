// How a step's literal values become call arguments and how observed values are compared with specs.
import { ERROR, hex, parseFilter, parseObjectType, parseV2Flags, statusName } from '../../cmrp/constants';
import { FABRICATED_HANDLE } from '../../cmrp/contract';
import { filterText } from '../session/trace';
import type { Value, ValueSpec } from './types';

/** Raised for a fault in the sequence data itself (unknown variable, bad name): a harness ERROR. */
export class SequenceDataError extends Error {
  override name = 'SequenceDataError';
}

/** `flags64`: a version 2 FilterFlags (bigint); `objectType`: a CLUSTER_OBJECT_TYPE. */
export type Kind = 'status' | 'filter' | 'plain' | 'flags64' | 'objectType';

const FILTER_PARAMS = new Set(['dwFilter', 'Filter']);

export function kindOf(param: string): Kind {
  if (param === 'status') return 'status';
  if (param === 'FilterFlags') return 'flags64';
  if (param === 'dwObjectType') return 'objectType';
  return FILTER_PARAMS.has(param) ? 'filter' : 'plain';
}

export class Variables {
  private readonly values = new Map<string, unknown>();

  set(name: string, value: unknown): void {
    this.values.set(name, value);
  }

  /** Resolves "$name", "$name.field" and "$FABRICATED"; other values pass through, typed by kind. */
  resolve(value: Value, kind: Kind = 'plain'): unknown {
    if (typeof value === 'string' && value.startsWith('$')) {
      if (value === '$FABRICATED') return FABRICATED_HANDLE;
      const [name, ...path] = value.slice(1).split('.');
      if (!this.values.has(name)) throw new SequenceDataError(`variable $${name} is not set`);
      let current: unknown = this.values.get(name);
      for (const field of path) current = (current as Record<string, unknown> | undefined)?.[field];
      if (current === undefined) throw new SequenceDataError(`${value} has no value`);
      return current;
    }
    if (typeof value === 'string' && kind === 'filter') return parseFilter(value);
    if (kind === 'flags64' && (typeof value === 'string' || typeof value === 'number')) return v2(() => parseV2Flags(value));
    if (kind === 'objectType' && (typeof value === 'string' || typeof value === 'number')) return v2(() => parseObjectType(value));
    if (typeof value === 'string' && kind === 'status') return parseStatus(value);
    return value;
  }
}

function v2<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new SequenceDataError((error as Error).message);
  }
}

export function parseStatus(name: string): number {
  if (/^(0x[0-9a-f]+|\d+)$/i.test(name)) return Number(name);
  const key = name.replace(/^ERROR_/, '');
  if (key in ERROR) return ERROR[key as keyof typeof ERROR];
  throw new SequenceDataError(`unknown status name '${name}'`);
}

/** Does `actual` satisfy `spec`? */
export function matches(spec: ValueSpec | string[], actual: unknown, kind: Kind, vars: Variables): boolean {
  if (Array.isArray(spec)) return spec.some((s) => matches(s, actual, kind, vars));
  if (spec !== null && typeof spec === 'object') {
    if ('ne' in spec) return !same(vars.resolve(spec.ne, kind), actual);
    if ('bitsClear' in spec) return typeof actual === 'number' && ((actual >>> 0) & (vars.resolve(spec.bitsClear, kind) as number)) === 0;
    return spec.oneOf.some((s) => matches(s, actual, kind, vars));
  }
  if (typeof spec === 'string' && spec.startsWith('!')) return !same(vars.resolve(spec.slice(1), kind), actual);
  return same(vars.resolve(spec, kind), actual);
}

function same(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') return expected >>> 0 === actual >>> 0;
  if (typeof expected === 'bigint' || typeof actual === 'bigint') return typeof expected === typeof actual && expected === actual;
  return expected === actual;
}

/** A spec in words, for failure messages ("ERROR_INVALID_HANDLE (0x6)", "not 17", "one of ..."). */
export function describeSpec(spec: ValueSpec | string[], kind: Kind, vars: Variables): string {
  if (Array.isArray(spec)) return `one of ${spec.map((s) => describeSpec(s, kind, vars)).join(', ')}`;
  if (spec !== null && typeof spec === 'object') {
    if ('ne' in spec) return `anything but ${describeSpec(spec.ne, kind, vars)}`;
    if ('bitsClear' in spec) return `none of the bits ${describeSpec(spec.bitsClear, kind, vars)}`;
    return `one of ${spec.oneOf.map((s) => describeSpec(s, kind, vars)).join(', ')}`;
  }
  if (typeof spec === 'string' && spec.startsWith('!')) return `anything but ${describeSpec(spec.slice(1), kind, vars)}`;
  return describeValue(vars.resolve(spec, kind), kind);
}

export function describeValue(value: unknown, kind: Kind): string {
  if (typeof value === 'number' && kind === 'status') return statusName(value);
  if (typeof value === 'number' && kind === 'filter') return filterText(value);
  if (typeof value === 'number') return `${value >>> 0} (${hex(value)})`;
  if (typeof value === 'bigint') return `0x${value.toString(16)}`;
  return JSON.stringify(value);
}
