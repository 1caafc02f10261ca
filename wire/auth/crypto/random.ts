// Random bytes for the NTLM handshake (challenges, exported session keys) from a pool that one
// system call refills: every connection of a run authenticates, and a call into OpenSSL per value
// cost more than the handshake's hashing. The bytes are the same CSPRNG's; each is handed out once.
import { randomFillSync } from 'node:crypto';

const POOL = Buffer.alloc(4096);
let used = POOL.length;

/** `n` fresh random bytes (a copy, never shared with another caller). */
export function randomBytesPooled(n: number): Buffer {
  if (n > POOL.length) return randomFillSync(Buffer.alloc(n));
  if (used + n > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const out = Buffer.from(POOL.subarray(used, used + n));
  // Spent bytes are wiped, so no copy of a key lingers in the pool.
  POOL.fill(0, used, used + n);
  used += n;
  return out;
}
