// Values between their contract form (what ClusapiConnection methods take and return) and their JSON
// form on the wire, per the kinds of methods.ts. JSON has no 64-bit integers and no bigint, so uint64
// travels as a decimal string; everything else is a plain JSON value.
import type { NotificationV2 } from '../../cmrp/contract';
import type { ValueKind } from '../../cmrp/methods';

const UINT32_MAX = 0xffffffff;
const UINT64_MAX = (1n << 64n) - 1n;

/** What is wrong with a wire value of this kind, or undefined when it is fine. */
export function wireProblem(kind: ValueKind, value: unknown): string | undefined {
  switch (kind) {
    case 'handle':
      return typeof value === 'string' || value === null ? undefined : 'not a string or null (handles are opaque strings, null is NULL)';
    case 'string':
      return typeof value === 'string' ? undefined : 'not a string';
    case 'uint32':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= UINT32_MAX ? undefined : 'not an integer in 0..4294967295';
    case 'int32':
      return Number.isInteger(value) && (value as number) >= -0x80000000 && (value as number) <= UINT32_MAX
        ? undefined
        : 'not an integer in -2147483648..4294967295';
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'not true or false';
    case 'uint64':
      return typeof value === 'string' && /^(0|[1-9]\d{0,19})$/.test(value) && BigInt(value) <= UINT64_MAX
        ? undefined
        : 'not a decimal string of an unsigned 64-bit value';
    case 'notifications':
      return notificationsProblem(value);
  }
}

function notificationsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'not an array';
  for (const [i, item] of value.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return `item ${i} is not an object`;
    const n = item as Record<string, unknown>;
    const fields: [string, ValueKind][] = [
      ['dwNotifyKey', 'uint32'],
      ['dwObjectType', 'uint32'],
      ['FilterFlags', 'uint64'],
      ['Name', 'string'],
    ];
    for (const [field, kind] of fields) {
      const problem = wireProblem(kind, n[field]);
      if (problem) return `item ${i}: ${field} is ${problem}`;
    }
  }
  return undefined;
}

/** Contract value -> wire value. Values of an unexpected type go as they are: the far end judges them. */
export function toWire(kind: ValueKind, value: unknown): unknown {
  if (kind === 'uint64' && typeof value === 'bigint') return value.toString();
  // A BOOL is 32 bits in the IDL: any non-zero value is TRUE.
  if (kind === 'bool' && typeof value === 'number') return value !== 0;
  if (kind === 'notifications' && Array.isArray(value)) {
    return (value as NotificationV2[]).map((n) => ({ ...n, FilterFlags: toWire('uint64', n.FilterFlags) }));
  }
  return value;
}

/** Wire value (already checked with wireProblem) -> contract value. */
export function fromWire(kind: ValueKind, value: unknown): unknown {
  if (kind === 'uint64') return BigInt(value as string);
  if (kind === 'notifications') {
    return (value as Record<string, unknown>[]).map(
      (n): NotificationV2 => ({
        dwNotifyKey: n.dwNotifyKey as number,
        dwObjectType: n.dwObjectType as number,
        FilterFlags: BigInt(n.FilterFlags as string),
        Name: n.Name as string,
      }),
    );
  }
  return value;
}

/** A value as JSON (strings quoted), shortened: for naming one value an adapter sent. */
export function quoted(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return preview(json ?? String(value));
}

/** A short, safe rendering of something an adapter sent, for error messages. */
export function preview(value: unknown, max = 200): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  // Control characters would break the one-line messages reports print.
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text.length > max ? `${text.slice(0, max)}... (${text.length} characters)` : text;
}
