// MD5 (RFC 1321) as a resumable state, for HMAC-MD5 with a key used many times: NTLM signs and checks
// every PDU of a connection with one signing key, so RFC 2104's two padded key blocks are hashed once
// per key (HmacMd5Key) and each MAC resumes from those states. One MAC of a PDU is then a few block
// compressions in JavaScript, where Node's crypto builds an object (or runs a one-shot call) whose
// fixed cost is several times the hashing itself for messages this short.

/** The 64 additive constants: the integer part of 2^32 * |sin(i + 1)|. */
const K = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);
/** The left-rotation amounts, four per round. */
const S = Uint8Array.from({ length: 64 }, (_, i) => [[7, 12, 17, 22], [5, 9, 14, 20], [4, 11, 16, 23], [6, 10, 15, 21]][i >> 4][i & 3]);
/** The message word each step adds. */
const G = Uint8Array.from({ length: 64 }, (_, i) => (i < 16 ? i : i < 32 ? 5 * i + 1 : i < 48 ? 3 * i + 5 : 7 * i) & 15);

const X = new Int32Array(16);

/** One 64-byte block of `data` at `at` into `h`. */
function compress(h: Int32Array, data: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) X[i] = data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24);
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d = h[3];
  // The four rounds, each with its own function: no branch inside a step.
  for (let i = 0; i < 16; i++) {
    const sum = (a + ((b & c) | (~b & d)) + K[i] + X[i]) | 0;
    a = d;
    d = c;
    c = b;
    b = (b + ((sum << S[i]) | (sum >>> (32 - S[i])))) | 0;
  }
  for (let i = 16; i < 32; i++) {
    const sum = (a + ((d & b) | (~d & c)) + K[i] + X[G[i]]) | 0;
    a = d;
    d = c;
    c = b;
    b = (b + ((sum << S[i]) | (sum >>> (32 - S[i])))) | 0;
  }
  for (let i = 32; i < 48; i++) {
    const sum = (a + (b ^ c ^ d) + K[i] + X[G[i]]) | 0;
    a = d;
    d = c;
    c = b;
    b = (b + ((sum << S[i]) | (sum >>> (32 - S[i])))) | 0;
  }
  for (let i = 48; i < 64; i++) {
    const sum = (a + (c ^ (b | ~d)) + K[i] + X[G[i]]) | 0;
    a = d;
    d = c;
    c = b;
    b = (b + ((sum << S[i]) | (sum >>> (32 - S[i])))) | 0;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
}

export class Md5 {
  private readonly h = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
  /** Bytes of an unfinished block. */
  private readonly pending = new Uint8Array(64);
  private used = 0;
  /** Bytes hashed so far. */
  private length = 0;

  /** A state that goes on from this one (this one is left as it is). */
  clone(): Md5 {
    return new Md5().resume(this);
  }

  /** Takes `other`'s state (a key's padded state, say) in place of this one's: no allocation. */
  resume(other: Md5): this {
    this.h.set(other.h);
    for (let i = 0; i < other.used; i++) this.pending[i] = other.pending[i];
    this.used = other.used;
    this.length = other.length;
    return this;
  }

  update(data: Uint8Array): this {
    const n = data.length;
    this.length += n;
    let i = 0;
    if (this.used > 0) {
      i = Math.min(64 - this.used, n);
      // Byte by byte: these are at most 63 bytes, and a subarray view would cost more than copying them.
      for (let k = 0; k < i; k++) this.pending[this.used + k] = data[k];
      this.used += i;
      if (this.used < 64) return this;
      compress(this.h, this.pending, 0);
      this.used = 0;
    }
    for (; i + 64 <= n; i += 64) compress(this.h, data, i);
    if (i < n) {
      for (let k = i; k < n; k++) this.pending[k - i] = data[k];
      this.used = n - i;
    }
    return this;
  }

  /** The digest; the state is spent (padding has been added to it). */
  digest(): Buffer {
    const bits = this.length * 8;
    // A 1 bit, zeros to 56 mod 64, then the length in bits as a 64-bit little-endian number.
    const p = this.pending;
    p[this.used++] = 0x80;
    if (this.used > 56) {
      p.fill(0, this.used);
      compress(this.h, p, 0);
      this.used = 0;
    }
    p.fill(0, this.used, 56);
    const low = bits >>> 0;
    const high = Math.floor(bits / 2 ** 32) >>> 0;
    for (let i = 0; i < 4; i++) {
      p[56 + i] = (low >>> (8 * i)) & 0xff;
      p[60 + i] = (high >>> (8 * i)) & 0xff;
    }
    compress(this.h, p, 0);
    this.used = 0;
    const out = Buffer.allocUnsafe(16);
    for (let i = 0; i < 4; i++) out.writeInt32LE(this.h[i], i * 4);
    return out;
  }
}
