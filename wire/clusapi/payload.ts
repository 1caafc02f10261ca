// The payload buffers of NOTIFICATION_DATA_RPC ([MS-CMRP] 3.1.4.2.138): a DWORD (a state, a group
// type), a null-terminated UTF-16 string (an ID), a MULTI_SZ, or a PROPERTY_LIST (2.2.3.10) of
// changed properties. Both ends use them: the reference builds its buffers here and the harness reads
// the buffers a server returns. Buffers travel as lowercase hex, as the contract carries them.

/** CLUSTER_PROPERTY_SYNTAX values (2.2.2.3) that a property list of the reference uses. */
export const CLUSPROP_SYNTAX = {
  ENDMARK: 0x00000000,
  NAME: 0x00040003,
  LIST_VALUE_SZ: 0x00010003,
  LIST_VALUE_DWORD: 0x00010002,
} as const;

export function dwordPayload(value: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b.toString('hex');
}

/** A little-endian DWORD from exactly 4 bytes, or undefined for any other length. */
export function readDwordPayload(hex: string | null): number | undefined {
  if (hex === null || hex.length !== 8) return undefined;
  return Buffer.from(hex, 'hex').readUInt32LE(0);
}

/** A null-terminated UTF-16LE string (an ID in a buffer). */
export function stringPayload(value: string): string {
  return Buffer.from(`${value}\0`, 'utf16le').toString('hex');
}

/** The string of a null-terminated UTF-16LE buffer, or undefined when it is not one. */
export function readStringPayload(hex: string | null): string | undefined {
  if (hex === null || hex.length % 4 !== 0 || hex.length === 0) return undefined;
  const text = Buffer.from(hex, 'hex').toString('utf16le');
  if (!text.endsWith('\0')) return undefined;
  return text.slice(0, -1);
}

export interface PropertyValue {
  name: string;
  value: string | number;
}

function padded(b: Buffer): Buffer {
  const pad = (4 - (b.length % 4)) % 4;
  return pad ? Buffer.concat([b, Buffer.alloc(pad)]) : b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/** A PROPERTY_LIST: the count, then per property its name, one value (SZ or DWORD) and the end mark. */
export function propertyListPayload(properties: readonly PropertyValue[]): string {
  const parts: Buffer[] = [u32(properties.length)];
  for (const { name, value } of properties) {
    const nameBytes = Buffer.from(`${name}\0`, 'utf16le');
    parts.push(u32(CLUSPROP_SYNTAX.NAME), u32(nameBytes.length), padded(nameBytes));
    if (typeof value === 'number') {
      parts.push(u32(CLUSPROP_SYNTAX.LIST_VALUE_DWORD), u32(4), u32(value));
    } else {
      const valueBytes = Buffer.from(`${value}\0`, 'utf16le');
      parts.push(u32(CLUSPROP_SYNTAX.LIST_VALUE_SZ), u32(valueBytes.length), padded(valueBytes));
    }
    parts.push(u32(CLUSPROP_SYNTAX.ENDMARK));
  }
  return Buffer.concat(parts).toString('hex');
}

/**
 * Reads a PROPERTY_LIST: each property's name and its first value (a string for SZ syntaxes, a number
 * for DWORD, the hex bytes otherwise). Throws, saying where, when the buffer is not a property list.
 */
export function readPropertyList(hex: string | null): PropertyValue[] {
  if (hex === null) throw new Error('a NULL buffer is not a property list');
  const b = Buffer.from(hex, 'hex');
  let at = 0;
  const need = (n: number, what: string) => {
    if (at + n > b.length) throw new Error(`the property list ends inside ${what} at byte ${at}`);
  };
  const word = (what: string): number => {
    need(4, what);
    const v = b.readUInt32LE(at);
    at += 4;
    return v;
  };
  const count = word('propertyCount');
  const out: PropertyValue[] = [];
  for (let i = 0; i < count; i++) {
    if (word(`property ${i}'s name syntax`) !== CLUSPROP_SYNTAX.NAME) throw new Error(`property ${i} does not start with CLUSPROP_SYNTAX_NAME`);
    const size = word(`property ${i}'s name size`);
    need(size, `property ${i}'s name`);
    const name = b.subarray(at, at + size).toString('utf16le').replace(/\0+$/, '');
    at += size + ((4 - (size % 4)) % 4);
    let value: string | number | undefined;
    for (;;) {
      const syntax = word(`property ${i}'s value syntax`);
      if (syntax === CLUSPROP_SYNTAX.ENDMARK) break;
      const length = word(`property ${i}'s value size`);
      need(length, `property ${i}'s value`);
      const data = b.subarray(at, at + length);
      at += length + ((4 - (length % 4)) % 4);
      // The low word of a syntax is its format: 2 = DWORD, 3 = SZ (2.2.2.3).
      const format = syntax & 0xffff;
      const read = format === 2 && length === 4 ? data.readUInt32LE(0) : format === 3 ? data.toString('utf16le').replace(/\0+$/, '') : data.toString('hex');
      value ??= read;
    }
    if (value === undefined) throw new Error(`property ${i} ('${name}') has no value`);
    out.push({ name, value });
  }
  return out;
}
