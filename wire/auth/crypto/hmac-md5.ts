// MD5 and HMAC-MD5 (RFC 2104 with MD5). Node's OpenSSL 3 keeps both in its default provider, so
// these are thin wrappers: one place that names the algorithms NTLM uses.
import * as crypto from 'node:crypto';

/** MD5 (RFC 2104's H) with its block size: the pads are that long. */
const BLOCK = 64;

/**
 * Node's one-shot digest (20.12 and later): no Hash object per digest, which is most of the cost of an
 * MD5 of a PDU. Older Node versions build the object.
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: Buffer, encoding: 'buffer') => Buffer }).hash;

export function md5(...parts: Buffer[]): Buffer {
  if (oneShot) return oneShot('md5', parts.length === 1 ? parts[0] : Buffer.concat(parts), 'buffer');
  const h = crypto.createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** HMAC_MD5(K, M) of [MS-NLMP] 6, M given as the parts of ConcatenationOf(...). */
export function hmacMd5(key: Buffer, ...parts: Buffer[]): Buffer {
  const h = crypto.createHmac('md5', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/**
 * A key that makes many HMAC_MD5s (a signing key signs or checks every PDU of a connection): RFC 2104's
 * padded keys are made once, and each MAC is then two MD5s, H(K ^ opad, H(K ^ ipad, M)).
 */
export class HmacMd5Key {
  private readonly inner = Buffer.alloc(BLOCK, 0x36);
  private readonly outer = Buffer.alloc(BLOCK, 0x5c);

  constructor(key: Buffer) {
    const k = key.length > BLOCK ? md5(key) : key;
    for (let i = 0; i < k.length; i++) {
      this.inner[i] ^= k[i];
      this.outer[i] ^= k[i];
    }
  }

  /** HMAC_MD5(K, M), M given as its parts. */
  mac(...parts: Buffer[]): Buffer {
    return md5(this.outer, md5(this.inner, ...parts));
  }
}
