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
    case 'bytes':
      return value === null || (typeof value === 'string' && /^([0-9a-f]{2})*$/.test(value)) ? undefined : 'not lowercase hex bytes or null';
    case 'enumList':
      return enumListProblem(value);
  }
}

/** ApiCreateEnum's ENUM_LIST in JSON: [{ "Type": DWORD, "Name": string }, ...]. */
function enumListProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'not an array';
  for (const [i, item] of value.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return `item ${i} is not an object`;
    const e = item as Record<string, unknown>;
    const extra = Object.keys(e).find((k) => k !== 'Type' && k !== 'Name');
    if (extra !== undefined) return `item ${i} has the unknown field "${extra}"`;
    const type = wireProblem('uint32', e.Type);
    if (type) return `item ${i}: Type is ${type}`;
    if (typeof e.Name !== 'string') return `item ${i}: Name is not a string`;
  }
  return undefined;
}

/** The fields of one NOTIFICATION_RPC in JSON, in the IDL's order (docs/adapter-protocol.md). */
const NOTIFICATION_FIELDS = ['dwNotifyKey', 'dwObjectType', 'FilterFlags', 'buffer', 'ObjectId', 'ParentId', 'Name', 'Type'] as const;
const NULLABLE_STRINGS: ReadonlySet<string> = new Set(['ObjectId', 'ParentId', 'Name', 'Type']);

function notificationsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'not an array';
  for (const [i, item] of value.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return `item ${i} is not an object`;
    const n = item as Record<string, unknown>;
    const extra = Object.keys(n).find((k) => !(NOTIFICATION_FIELDS as readonly string[]).includes(k));
    if (extra !== undefined) return `item ${i} has the unknown field "${extra}"`;
    for (const field of NOTIFICATION_FIELDS) {
      const v = n[field];
      let problem: string | undefined;
      if (field === 'dwNotifyKey' || field === 'dwObjectType') problem = wireProblem('uint32', v);
      else if (field === 'FilterFlags') problem = wireProblem('uint64', v);
      else if (field === 'buffer') problem = v === null || (typeof v === 'string' && /^([0-9a-f]{2})*$/.test(v)) ? undefined : 'not lowercase hex bytes or null';
      else if (NULLABLE_STRINGS.has(field)) problem = v === null || typeof v === 'string' ? undefined : 'not a string or null';
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
        buffer: n.buffer as string | null,
        ObjectId: n.ObjectId as string | null,
        ParentId: n.ParentId as string | null,
        Name: n.Name as string | null,
        Type: n.Type as string | null,
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
