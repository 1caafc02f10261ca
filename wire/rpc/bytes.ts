// Bounded little-endian reading and writing of PDU fields. Every read checks the remaining length
// first, so a truncated or lying PDU becomes an RpcProtocolError naming the field, never a RangeError
// or a read past the end.
import { RpcProtocolError } from './errors';
import { decodeUuid, encodeUuid } from './uuid';
import type { SyntaxId } from './constants';

export class FieldReader {
  offset: number;

  constructor(
    readonly bytes: Buffer,
    readonly what: string,
    offset = 0,
    readonly end = bytes.length,
  ) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number, field: string): number {
    if (n < 0 || this.offset + n > this.end) {
      throw new RpcProtocolError(`${this.what}: ${field} at offset ${this.offset} needs ${n} byte(s), ${Math.max(0, this.end - this.offset)} left`);
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(field: string): number {
    return this.bytes.readUInt8(this.need(1, field));
  }
  u16(field: string): number {
    return this.bytes.readUInt16LE(this.need(2, field));
  }
  u32(field: string): number {
    return this.bytes.readUInt32LE(this.need(4, field));
  }
  bytesOf(n: number, field: string): Buffer {
    const at = this.need(n, field);
    return Buffer.from(this.bytes.subarray(at, at + n));
  }
  uuid(field: string): string {
    return decodeUuid(this.bytes, this.need(16, field));
  }
  syntax(field: string): SyntaxId {
    const uuid = this.uuid(`${field}.if_uuid`);
    const major = this.u16(`${field}.if_vers_major`);
    const minor = this.u16(`${field}.if_vers_minor`);
    return { uuid, major, minor };
  }
  /** Skips to the next multiple of `n` counted from the start of the PDU (C706 alignment rule). */
  align(n: number, field: string): void {
    const pad = (n - (this.offset % n)) % n;
    this.need(pad, field);
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
