// Random bytes for handles, drawn from a pool filled 4 KiB at a time: a handle is issued on nearly every
// call, and one randomBytes call per handle cost more than the rest of issuing it (in process and served).
import { randomBytes } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

/** `size` fresh random bytes (at most the pool's size), never handed out before. */
export function pooledRandomBytes(size: number): Buffer {
  if (used + size > pool.length) {
    pool = randomBytes(Math.max(POOL_BYTES, size));
    used = 0;
  }
  used += size;
  return pool.subarray(used - size, used);
}
