// Bounded little-endian reading and writing of PDU fields. Every read checks the remaining length
// first (wire/bytes/reader.ts), so a truncated or lying PDU becomes an RpcProtocolError naming the
// field, never a RangeError or a read past the end.
import { BoundedReader } from '../bytes/reader';
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

export class FieldWriter {
  private readonly parts: Buffer[] = [];
  private length = 0;

  get offset(): number {
    return this.length;
  }

  private push(b: Buffer): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }
  u8(v: number): this {
    const b = Buffer.alloc(1);
    b.writeUInt8(v & 0xff);
    return this.push(b);
  }
  u16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v & 0xffff);
    return this.push(b);
  }
  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    return this.push(b);
  }
  raw(b: Buffer): this {
    return this.push(b);
  }
  uuid(text: string): this {
    return this.push(encodeUuid(text));
  }
  syntax(s: SyntaxId): this {
    return this.uuid(s.uuid).u16(s.major).u16(s.minor);
  }
  align(n: number): this {
    const pad = (n - (this.length % n)) % n;
    return pad ? this.push(Buffer.alloc(pad)) : this;
  }
  done(): Buffer {
    return Buffer.concat(this.parts, this.length);
  }
}
