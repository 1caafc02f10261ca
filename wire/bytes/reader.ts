// The one bounds-checked reader of untrusted bytes in the wire stack: every read checks the bytes
// left first, so a truncated or lying message ends in an error naming the field and the offset,
// never in a RangeError, a silent short read or an allocation sized by the peer. Each layer says what
// its error is (RpcProtocolError for PDUs, AuthError for NTLM/SPNEGO, NdrError for stubs) and adds
// its own reads on top: rpc/bytes.ts (PDU fields), auth/core/bytes.ts (NTLM messages), ndr/reader.ts.

/** What a read past the end was: the layer turns it into its own error. */
export interface Overrun {
  field: string;
  /** Offset of the read that did not fit. */
  at: number;
  need: number;
  left: number;
}

export class BoundedReader {
  protected pos: number;

  constructor(
    /** The bytes read; reads stop at `end`. */
    protected readonly source: Buffer,
    private readonly overrun: (o: Overrun) => Error,
    offset = 0,
    readonly end = source.length,
  ) {
    this.pos = offset;
  }

  get offset(): number {
    return this.pos;
  }

  /** Bytes left before `end` (0 when an alignment skipped past it). */
  get remaining(): number {
    return Math.max(0, this.end - this.pos);
  }

  /** Checks that `n` bytes are left, moves past them, and returns where they start. */
  protected claim(n: number, field: string): number {
    if (!(n >= 0) || n > this.end - this.pos) throw this.overrun({ field, at: this.pos, need: n, left: this.remaining });
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(field: string): number {
    return this.source.readUInt8(this.claim(1, field));
  }
  u16(field: string): number {
    return this.source.readUInt16LE(this.claim(2, field));
  }
  u32(field: string): number {
    return this.source.readUInt32LE(this.claim(4, field));
  }
  i64(field: string): bigint {
    return this.source.readBigInt64LE(this.claim(8, field));
  }
  /** `n` bytes as a view of the source (no copy). */
  view(n: number, field: string): Buffer {
    const at = this.claim(n, field);
    return this.source.subarray(at, at + n);
  }
  /** `n` bytes copied out, so that keeping them does not keep the whole source alive. */
  copy(n: number, field: string): Buffer {
    return Buffer.from(this.view(n, field));
  }
}
