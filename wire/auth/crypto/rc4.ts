// RC4 stream cipher. NTLM session security seals with it and Node's OpenSSL 3 lacks it. The state
// object is the "handle" of [MS-NLMP] 3.1.5.1: one key stream runs over every message of a session
// in order, so a sealing side and an unsealing side stay in step only if they process the same
// bytes in the same order.

export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  constructor(key: Buffer) {
    if (key.length === 0 || key.length > 256) throw new RangeError('RC4 key must be 1 to 256 bytes');
    for (let n = 0; n < 256; n++) this.s[n] = n;
    let j = 0;
    for (let n = 0; n < 256; n++) {
      j = (j + this.s[n] + key[n % key.length]) & 0xff;
      const t = this.s[n];
      this.s[n] = this.s[j];
      this.s[j] = t;
    }
  }

  /** A copy of the current key state: [MS-SPNG] 3.3.5.1 restores a handle after the mechListMIC. */
  clone(): Rc4 {
    const copy = Object.create(Rc4.prototype) as Rc4;
    (copy as unknown as { s: Uint8Array }).s = new Uint8Array(this.s);
    copy.i = this.i;
    copy.j = this.j;
    return copy;
  }

  /** XORs data with the next data.length bytes of key stream (encrypts and decrypts alike). */
  update(data: Buffer): Buffer {
    // Every byte is written below: no zero-fill needed (and small ones come from Node's pool).
    const out = Buffer.allocUnsafe(data.length);
    const s = this.s;
    let i = this.i;
    let j = this.j;
    for (let n = 0; n < data.length; n++) {
      i = (i + 1) & 0xff;
      j = (j + s[i]) & 0xff;
      const t = s[i];
      s[i] = s[j];
      s[j] = t;
      out[n] = data[n] ^ s[(s[i] + s[j]) & 0xff];
    }
    this.i = i;
    this.j = j;
    return out;
  }
}

/** RC4K(K, D) of [MS-NLMP] 6: a one-time RC4 instance keyed with K applied to D. */
export function rc4k(key: Buffer, data: Buffer): Buffer {
  return new Rc4(key).update(data);
}
