// The one growing writer of the wire stack, beside its one bounded reader (./reader.ts): bytes go into a
// single buffer that doubles as it fills, so a message is written without an allocation per field and
// handed out whole at the end. Every byte up to `offset` is written by the caller or as padding zeros,
// so the buffer need not start zeroed. Each layer adds its own fields on top: rpc/bytes.ts (PDU fields,
// packed) and ndr/writer.ts (NDR20 primitives, aligned).

export class ByteWriter {
  /** Read it after a claim, never before: a claim may replace it with a bigger one. */
  protected buf: Buffer;
  private len = 0;

  constructor(initialBytes: number) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get offset(): number {
    return this.len;
  }

  /** Claims `n` bytes at the end (growing the buffer as needed); returns where they start in `buf`. */
  protected claim(n: number): number {
    const at = this.len;
    if (at + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < at + n) size *= 2;
      const grown = Buffer.allocUnsafe(size);
      this.buf.copy(grown, 0, 0, at);
      this.buf = grown;
    }
    this.len = at + n;
    return at;
  }

  /** `n` zero bytes. */
  protected zeros(n: number): void {
    const at = this.claim(n);
    this.buf.fill(0, at, at + n);
  }

  /** Zero padding up to the next multiple of `n` bytes from the start. */
  protected pad(n: number): void {
    this.zeros((n - (this.len % n)) % n);
  }

  protected put(bytes: Buffer): void {
    const at = this.claim(bytes.length);
    bytes.copy(this.buf, at);
  }

  /** What was written: a view of the writer's buffer (the writer is not used after). */
  written(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}
