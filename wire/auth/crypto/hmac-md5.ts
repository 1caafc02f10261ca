// MD5 and HMAC-MD5 (RFC 2104 with MD5). Node's OpenSSL 3 keeps both in its default provider, so the
// one-off digests are thin wrappers: one place that names the algorithms NTLM uses.
import { createHash, createHmac } from 'node:crypto';
import { Md5 } from './md5';

/** MD5 (RFC 2104's H) with its block size: the pads are that long. */
const BLOCK = 64;

export function md5(...parts: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** HMAC_MD5(K, M) of [MS-NLMP] 6, M given as the parts of ConcatenationOf(...). */
export function hmacMd5(key: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac('md5', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/**
 * A key that makes many HMAC_MD5s (a signing key signs or checks every PDU of a connection): the MD5
 * states after RFC 2104's padded keys, K ^ ipad and K ^ opad, are made once, and each MAC resumes them.
 */
export class HmacMd5Key {
  private readonly inner: Md5;
  private readonly outer: Md5;
  /** Where each MAC is worked out (JavaScript runs one at a time): no state is allocated per MAC. */
  private readonly work = new Md5();

  constructor(key: Buffer) {
    const k = key.length > BLOCK ? md5(key) : key;
    const ipad = Buffer.alloc(BLOCK, 0x36);
    const opad = Buffer.alloc(BLOCK, 0x5c);
    for (let i = 0; i < k.length; i++) {
      ipad[i] ^= k[i];
      opad[i] ^= k[i];
    }
    this.inner = new Md5().update(ipad);
    this.outer = new Md5().update(opad);
  }

  /** HMAC_MD5(K, M), M given as its parts. */
  mac(...parts: Buffer[]): Buffer {
    const w = this.work.resume(this.inner);
    for (const p of parts) w.update(p);
    const innerDigest = w.digest();
    return w.resume(this.outer).update(innerDigest).digest();
  }
}
