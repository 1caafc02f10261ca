// Bounded little-endian reading and writing of PDU fields. Every read checks the remaining length
// first (wire/bytes/reader.ts), so a truncated or lying PDU becomes an RpcProtocolError naming the
// field, never a RangeError or a read past the end.
import { BoundedReader } from '../bytes/reader';
import { ByteWriter } from '../bytes/writer';
import { RpcProtocolError } from './errors';
import { decodeUuid, encodeUuid } from './uuid';
import type { SyntaxId } from './constants';

/** The PDU layer's reads over the wire's one bounded reader (wire/bytes): its errors are RpcProtocolErrors. */
export class FieldReader extends BoundedReader {
  constructor(
    bytes: Buffer,
    readonly what: string,
    offset = 0,
    end = bytes.length,
  ) {
    super(bytes, (o) => new RpcProtocolError(`${what}: ${o.field} at offset ${o.at} needs ${o.need} byte(s), ${o.left} left`), offset, end);
  }

  get bytes(): Buffer {
    return this.source;
  }

  bytesOf(n: number, field: string): Buffer {
    return this.copy(n, field);
  }
  uuid(field: string): string {
    return decodeUuid(this.source, this.claim(16, field));
  }
  syntax(field: string): SyntaxId {
    const uuid = this.uuid(`${field}.if_uuid`);
    const major = this.u16(`${field}.if_vers_major`);
    const minor = this.u16(`${field}.if_vers_minor`);
    return { uuid, major, minor };
  }
  /** Skips to the next multiple of `n` counted from the start of the PDU (C706 alignment rule). */
  align(n: number, field: string): void {
    const pad = (n - (this.pos % n)) % n;
    this.claim(pad, field);
  }
  rest(): Buffer {
    return this.bytesOf(this.remaining, 'rest');
  }
}

/** PDU fields, packed (C706 12.6: each already falls on its natural boundary, or the PDU pads it). */
export class FieldWriter extends ByteWriter {
  constructor(initialBytes = 128) {
    super(initialBytes);
  }

  u8(v: number): this {
    const at = this.claim(1);
    this.buf[at] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    const at = this.claim(2);
    this.buf.writeUInt16LE(v & 0xffff, at);
    return this;
  }
  u32(v: number): this {
    const at = this.claim(4);
    this.buf.writeUInt32LE(v >>> 0, at);
    return this;
  }
  raw(b: Buffer): this {
    this.put(b);
    return this;
  }
  /** `n` zero bytes: a placeholder filled in later, or reserved fields. */
  skip(n: number): this {
    this.zeros(n);
    return this;
  }
  uuid(text: string): this {
    return this.raw(encodeUuid(text));
  }
  syntax(s: SyntaxId): this {
    return this.uuid(s.uuid).u16(s.major).u16(s.minor);
  }
  align(n: number): this {
    this.pad(n);
    return this;
  }
}
