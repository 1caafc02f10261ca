// The part of ASN.1 DER (X.690) that SPNEGO tokens use: single-byte tags, definite lengths of at
// most four bytes, OBJECT IDENTIFIER, OCTET STRING, ENUMERATED, SEQUENCE and context tags. The
// reader walks a known structure only (no recursion driven by the input), checks every length
// against what is left, and fails with AuthError('malformed') naming the token and the offset.
import { malformed } from '../core/errors';

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  ENUMERATED: 0x0a,
  GENERAL_STRING: 0x1b,
  SEQUENCE: 0x30,
  APPLICATION_0: 0x60,
} as const;

/** [n] constructed context tag (0xa0 + n). */
export function ctx(n: number): number {
  return 0xa0 + n;
}

export interface Tlv {
  tag: number;
  /** The contents octets. */
  value: Buffer;
  /** The whole element, tag and length included (the mechListMIC is computed over such bytes). */
  raw: Buffer;
}

/** Longest token accepted: SPNEGO-wrapped NTLM messages are well under 4 KiB. */
export const MAX_TOKEN_LENGTH = 0xffff;

export class DerReader {
  private pos = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly where: string,
    /** Offset of buf in the whole token, for error messages. */
    private readonly base = 0,
  ) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  peekTag(): number | undefined {
    return this.done ? undefined : this.buf[this.pos];
  }

  next(): Tlv {
    const start = this.pos;
    const at = (): string => `offset ${this.base + start}`;
    if (this.buf.length - this.pos < 2) throw malformed(this.where, `truncated element at ${at()}`);
    const tag = this.buf[this.pos++];
    if ((tag & 0x1f) === 0x1f) throw malformed(this.where, `multi-byte tag at ${at()}`);
    let len = this.buf[this.pos++];
    if (len === 0x80) throw malformed(this.where, `indefinite length at ${at()} (not DER)`);
    if (len > 0x80) {
      const n = len & 0x7f;
      if (n > 4) throw malformed(this.where, `length of ${n} octets at ${at()}`);
      if (this.buf.length - this.pos < n) throw malformed(this.where, `truncated length at ${at()}`);
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + this.buf[this.pos++];
    }
    if (len > this.buf.length - this.pos) {
      throw malformed(this.where, `element at ${at()} claims ${len} bytes, ${this.buf.length - this.pos} left`);
    }
    const value = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return { tag, value, raw: this.buf.subarray(start, this.pos) };
  }

  /** The next element, which must have this tag. */
  expect(tag: number, what: string): Tlv {
    const t = this.next();
    if (t.tag !== tag) throw malformed(this.where, `${what}: tag 0x${t.tag.toString(16)}, expected 0x${tag.toString(16)}`);
    return t;
  }

  /** A reader over an element's contents, keeping offsets relative to the whole token. */
  inner(t: Tlv): DerReader {
    return new DerReader(t.value, this.where, this.base + (t.value.byteOffset - this.buf.byteOffset));
  }
}

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const value = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

/** Encoded OIDs by dotted form: a handshake encodes the same few mechanism OIDs every time. */
const encodedOids = new Map<string, Buffer>();

/** The OBJECT IDENTIFIER element of `dotted` (shared: callers copy it into their token, never write it). */
export function encodeOid(dotted: string): Buffer {
  let encoded = encodedOids.get(dotted);
  if (!encoded) {
    encoded = encodeOidOnce(dotted);
    if (encodedOids.size < 64) encodedOids.set(dotted, encoded);
  }
  return encoded;
}

function encodeOidOnce(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new RangeError(`bad OID ${dotted}`);
  const bytes: number[] = [];
  // The first two arcs share one subidentifier (X.690 8.19.4), itself base-128 like the others.
  for (const arc of [arcs[0] * 40 + arcs[1], ...arcs.slice(2)]) {
    const groups: number[] = [];
    let v = arc;
    do {
      groups.unshift(v % 128);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < groups.length - 1; i++) groups[i] |= 0x80;
    bytes.push(...groups);
  }
  return tlv(TAG.OID, Buffer.from(bytes));
}

/** Dotted form of an OBJECT IDENTIFIER's contents; the arcs must fit a safe integer. */
export function decodeOid(value: Buffer, where: string): string {
  if (value.length === 0 || value.length > 64) throw malformed(where, `OBJECT IDENTIFIER of ${value.length} bytes`);
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < value.length; i++) {
    v = v * 128 + (value[i] & 0x7f);
    if (!Number.isSafeInteger(v)) throw malformed(where, 'OBJECT IDENTIFIER arc too large');
    if ((value[i] & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    } else if (i === value.length - 1) {
      throw malformed(where, 'OBJECT IDENTIFIER ends inside an arc');
    }
  }
  return arcs.join('.');
}
