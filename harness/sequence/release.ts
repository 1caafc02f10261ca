// Releasing a blocked read with ApiUnblockGetNotifyCall, without depending on which of two calls reaches
// the server first. On the wire the read and the unblock travel on different connections (a blocked
// call holds its own), so under load the unblock can be served before the read has arrived: the server
// then rightly completes nothing, and the read blocks on. A correct server releases every read pending
// when the unblock runs, so the harness unblocks again, in widening slices, until the read completes or
// the call timeout runs out. A server that ignores the unblock still never releases the read, and the
// clause that governs the release still fails after the same call timeout as before.
import type { Reply } from '../../cmrp/contract';
import { ERROR } from '../../cmrp/constants';
import { STILL_PENDING, type PendingCall, type Session } from '../session/session';

/** The first slice a released read is given before the unblock is repeated; it doubles each time. */
const FIRST_SLICE_MS = 25;

export interface Release {
  /** The unblock that failed (fault or non-success), if one did: the release was then not attempted further. */
  refused?: Reply<Record<string, unknown>>;
  /** The released read's reply, or STILL_PENDING if the budget ran out first. */
  reply: Reply<Record<string, unknown>> | typeof STILL_PENDING;
}

export async function unblockUntilReleased(session: Session, port: string, read: PendingCall, budgetMs: number): Promise<Release> {
  const deadline = Date.now() + budgetMs;
  let slice = FIRST_SLICE_MS;
  for (;;) {
    const unblock = await session.call('ApiUnblockGetNotifyCall', [port]);
    if (unblock.fault !== undefined || unblock.status !== ERROR.SUCCESS) return { refused: unblock, reply: STILL_PENDING };
    const left = deadline - Date.now();
    const reply = await read.settle(Math.max(0, Math.min(slice, left)));
    if (reply !== STILL_PENDING || left <= slice) return { reply };
    slice *= 2;
  }
}
