// A bounds-checked NDR20 reader (C706 chapter 14, little-endian integers, ASCII characters, IEEE
// floats: the data representation every Windows peer sends). Every read checks the remaining
// length first, every conformant or varying count is checked against the bytes actually left
// before anything is allocated, and every failure is an NdrError naming the offset, so a hostile
// stub can neither crash the caller nor make it allocate more than the stub's own size. The bounds
// checks are the wire's one reader (wire/bytes/reader.ts); NDR adds alignment and its constructed types.
import { BoundedReader } from '../bytes/reader';
import { NdrError } from './errors';

/** Bytes of a context handle on the wire: 4 attribute bytes and a 16-byte uuid (C706 14.3.10.1). */
export const CONTEXT_HANDLE_SIZE = 20;

export class NdrReader extends BoundedReader {
  constructor(
    buf: Buffer,
    /** Names the call in errors: "ApiGetNotify response". */
    readonly where: string,
  ) {
    super(buf, (o) => new NdrError(where, o.at, `${o.field} needs ${o.need} bytes, ${o.left} left`));
  }

  fail(detail: string, at: number = this.pos): never {
    throw new NdrError(this.where, at, detail);
  }

  /** Skips the padding that puts the next item on an n-byte boundary of the stub (C706 14.2.2). */
  align(n: 2 | 4 | 8): void {
    const pad = (n - (this.pos % n)) % n;
    // Padding past the end is only an error if something is read after it.
    this.pos += pad;
  }

  override u8(what = 'byte'): number {
    return super.u8(what);
  }

  override u16(what = 'unsigned short'): number {
    this.align(2);
    return super.u16(what);
  }

  override u32(what = 'unsigned long'): number {
    this.align(4);
    return super.u32(what);
  }

  /** hyper / LONGLONG: 8-byte aligned, signed. */
  override i64(what = 'hyper'): bigint {
    this.align(8);
    return super.i64(what);
  }

  /** BOOL is a 32-bit long in MS-DTYP (not Samba's boolean8): any non-zero value is TRUE. */
  bool32(what = 'BOOL'): boolean {
    return this.u32(what) !== 0;
  }

  /** A context handle as 40 lowercase hex digits; the NULL handle (all zero) as null. */
  contextHandle(what = 'context handle'): string | null {
    this.align(4);
    const bytes = this.view(CONTEXT_HANDLE_SIZE, what);
    return bytes.every((b) => b === 0) ? null : bytes.toString('hex');
  }

  /** A unique or full pointer's referent id: 0 is NULL, anything else says a referent follows. */
  referent(what = 'pointer'): number {
    return this.u32(`${what} referent id`);
  }

  /**
   * A [string] wchar_t array (conformant and varying: max_count, offset, actual_count, then
   * actual_count UTF-16LE units, the last being the terminating NUL). MIDL always sends offset 0
   * and a terminator; anything else is malformed.
   */
  wstring(what = 'string'): string {
    const at = this.pos;
    const maxCount = this.u32(`${what} max_count`);
    const offset = this.u32(`${what} offset`);
    const actual = this.u32(`${what} actual_count`);
    if (offset !== 0) this.fail(`${what}: offset ${offset}, a [string] starts at 0`, at);
    if (actual > maxCount) this.fail(`${what}: actual_count ${actual} exceeds max_count ${maxCount}`, at);
    if (actual === 0) this.fail(`${what}: actual_count 0 leaves no terminating NUL`, at);
    // Checked before slicing: a count can never reach past the stub, so nothing is over-allocated.
    if (actual * 2 > this.remaining) this.fail(`${what}: ${actual} characters, only ${this.remaining} bytes left`, at);
    const start = this.pos;
    this.pos += actual * 2;
    if (this.source.readUInt16LE(this.pos - 2) !== 0) this.fail(`${what}: last character is not NUL`, this.pos - 2);
    return this.source.toString('utf16le', start, this.pos - 2);
  }

  /** A unique pointer to a [string]: the referent id, then the string when it is not NULL. */
  uniqueWstring(what = 'string'): string | null {
    return this.referent(what) === 0 ? null : this.wstring(what);
  }

  /** A conformant byte array (size_is): max_count then the bytes, the count capped by the stub. */
  conformantBytes(what = 'byte array', expected?: number): Buffer {
    const at = this.pos;
    const count = this.u32(`${what} max_count`);
    if (expected !== undefined && count !== expected) this.fail(`${what}: max_count ${count} differs from its size_is value ${expected}`, at);
    if (count > this.remaining) this.fail(`${what}: ${count} bytes, only ${this.remaining} left`, at);
    return this.copy(count, what);
  }
}
