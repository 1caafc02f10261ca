// Bounds-checked reading of untrusted bytes (wire/bytes/reader.ts). Every read checks the remaining
// length first, so a truncated or lying message ends in one AuthError('malformed') naming the
// structure and offset, never in a RangeError, a silent short read or an allocation sized by the peer.
import { BoundedReader } from '../../bytes/reader';
import { malformed } from './errors';

/** NTLM's reads over the wire's one bounded reader (wire/bytes): its errors are AuthError('malformed'). */
export class ByteReader extends BoundedReader {
  constructor(
    buf: Buffer,
    /** Names the structure in error messages. */
    readonly where: string,
  ) {
    super(buf, (o) => malformed(where, `${o.field} at offset ${o.at} needs ${o.need} bytes, ${o.left} left`));
  }

  get buf(): Buffer {
    return this.source;
  }
  /** `n` bytes as a view of the message (no copy). */
  bytes(n: number, what: string): Buffer {
    return this.view(n, what);
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
