// An NDR20 writer (little-endian, C706 chapter 14): aligned primitives, context handles, [string]
// wchar arrays and unique pointers. Referent ids count up from 0x00020000 in steps of 4, the way
// Microsoft's stubs number them, so our stubs look like a Windows peer's in a capture.
import { NdrError } from './errors';
import { CONTEXT_HANDLE_SIZE } from './reader';
import { ByteWriter } from '../bytes/writer';

const FIRST_REFERENT = 0x00020000;
const HANDLE_HEX = /^[0-9a-fA-F]{40}$/;

export class NdrWriter extends ByteWriter {
  private nextReferent = FIRST_REFERENT;

  constructor(
    /** Names the call in errors: "ApiGetNotify request". */
    readonly where: string,
  ) {
    // Most stubs fit the first buffer.
    super(256);
  }

  fail(detail: string): never {
    throw new NdrError(this.where, this.offset, detail);
  }

  /** Zero padding up to the next n-byte boundary of the stub. */
  align(n: 2 | 4 | 8): void {
    this.pad(n);
  }

  u16(value: unknown, what = 'unsigned short'): void {
    const v = this.integer(value, 0xffff, what);
    this.align(2);
    const at = this.claim(2);
    this.buf.writeUInt16LE(v, at);
  }

  u32(value: unknown, what = 'unsigned long'): void {
    const v = this.integer(value, 0xffffffff, what);
    this.align(4);
    const at = this.claim(4);
    this.buf.writeUInt32LE(v, at);
  }

  i64(value: unknown, what = 'hyper'): void {
    if (typeof value !== 'bigint') this.fail(`${what}: expected a bigint, got ${typeof value}`);
    if (value < -(1n << 63n) || value >= 1n << 64n) this.fail(`${what}: ${value} does not fit 64 bits`);
    this.align(8);
    const at = this.claim(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, value), at);
  }

  /** BOOL: a 32-bit long, TRUE written as 1. */
  bool32(value: unknown, what = 'BOOL'): void {
    if (typeof value !== 'boolean') this.fail(`${what}: expected a boolean, got ${typeof value}`);
    this.u32(value ? 1 : 0, what);
  }

  contextHandle(value: unknown, what = 'context handle'): void {
    if (value !== null && (typeof value !== 'string' || !HANDLE_HEX.test(value))) {
      this.fail(`${what}: expected 40 hex digits or null, got ${JSON.stringify(value)}`);
    }
    this.align(4);
    if (value === null) return this.zeros(CONTEXT_HANDLE_SIZE);
    const at = this.claim(CONTEXT_HANDLE_SIZE);
    this.buf.write(value, at, 'hex');
  }

  /** A unique pointer's referent id: 0 for NULL, a fresh id otherwise. Returns whether non-NULL. */
  referent(present: boolean): boolean {
    if (!present) {
      this.u32(0);
      return false;
    }
    this.u32(this.nextReferent);
    this.nextReferent += 4;
    return true;
  }

  /** A [string] wchar_t array: max_count = actual_count = characters + NUL, offset 0. */
  wstring(value: unknown, what = 'string'): void {
    if (typeof value !== 'string') this.fail(`${what}: expected a string, got ${typeof value}`);
    const units = Buffer.from(value + '\0', 'utf16le');
    const count = units.length / 2;
    this.u32(count);
    this.u32(0);
    this.u32(count);
    this.bytes(units);
  }

  /** A unique pointer to a [string]: null writes the NULL referent and nothing else. */
  uniqueWstring(value: unknown, what = 'string'): void {
    if (value !== null && typeof value !== 'string') this.fail(`${what}: expected a string or null, got ${typeof value}`);
    if (this.referent(value !== null)) this.wstring(value, what);
  }

  /** A conformant byte array: max_count then the bytes. */
  conformantBytes(value: Buffer): void {
    this.u32(value.length);
    this.bytes(value);
  }

  bytes(value: Buffer): void {
    this.put(value);
  }

  toBuffer(): Buffer {
    return Buffer.from(this.written());
  }

  private integer(value: unknown, max: number, what: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(`${what}: expected an integer, got ${JSON.stringify(value)}`);
    // Negative values are taken as their two's complement (a status of -1 is 0xFFFFFFFF).
    const v = value < 0 ? value + max + 1 : value;
    if (v < 0 || v > max) this.fail(`${what}: ${value} out of range`);
    return v;
  }
}
