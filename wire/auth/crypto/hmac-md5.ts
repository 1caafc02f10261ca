// MD5 and HMAC-MD5 (RFC 2104 with MD5). Node's OpenSSL 3 keeps both in its default provider, so
// these are thin wrappers: one place that names the algorithms NTLM uses.
import { createHash, createHmac } from 'node:crypto';

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
