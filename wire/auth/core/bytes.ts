// Bounds-checked reading of untrusted bytes. Every read checks the remaining length first, so a
// truncated or lying message ends in one AuthError('malformed') naming the structure and offset,
// never in a RangeError, a silent short read or an allocation sized by the peer.
import { malformed } from './errors';

export class ByteReader {
  private pos = 0;
  constructor(
    readonly buf: Buffer,
    /** Names the structure in error messages. */
    readonly where: string,
  ) {}

  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, what: string): void {
    if (n > this.remaining) throw malformed(this.where, `${what} at offset ${this.pos} needs ${n} bytes, ${this.remaining} left`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number, what: string): Buffer {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}

/**
 * A slice [offset, offset+length) of a message, checked against its end. NTLM payload fields are
 * (length, offset) pairs chosen by the sender: a lying pair must fail here, not read past the end.
 */
export function sliceField(msg: Buffer, offset: number, length: number, where: string, field: string): Buffer {
  if (length === 0) return Buffer.alloc(0);
  if (offset > msg.length || length > msg.length - offset) {
    throw malformed(where, `${field} (offset ${offset}, length ${length}) lies outside the ${msg.length}-byte message`);
  }
  return msg.subarray(offset, offset + length);
}

/** UNICODE(string) of [MS-NLMP] 6: UTF-16LE without BOM or terminator. */
export function utf16(s: string): Buffer {
  return Buffer.from(s, 'utf16le');
}

/** Decodes UTF-16LE; an odd length is a malformed Unicode field ([MS-NLMP] 2.2.1.3: multiples of 2). */
export function fromUtf16(b: Buffer, where: string, field: string): string {
  if (b.length % 2 !== 0) throw malformed(where, `${field} has odd length ${b.length} for a Unicode string`);
  return b.toString('utf16le');
}

export function concat(...parts: Buffer[]): Buffer {
  return Buffer.concat(parts);
}

export function u32le(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0, 0);
  return b;
}
