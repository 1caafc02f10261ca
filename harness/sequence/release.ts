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

/** How a caller unblocks the read's port and waits on the read; shared by the scripted and the property runs. */
export interface ReleaseSteps<R> {
  /** One ApiUnblockGetNotifyCall (judged as the caller judges it); false: refused, stop repeating. */
  unblock: () => Promise<boolean>;
  /** The read's outcome within `ms`, or STILL_PENDING; `probe` is true for every slice but the last (see PendingCall.settle). */
  settle: (ms: number, probe: boolean) => Promise<R | typeof STILL_PENDING>;
}

/**
 * Unblocks, waits a slice, and unblocks again with a slice twice as long, until the read completes, the
 * server refuses an unblock (`refused`) or the budget runs out (STILL_PENDING).
 */
export async function repeatUnblock<R>(steps: ReleaseSteps<R>, budgetMs: number): Promise<{ refused: boolean; reply: R | typeof STILL_PENDING }> {
  const deadline = Date.now() + budgetMs;
  let slice = FIRST_SLICE_MS;
  for (;;) {
    if (!(await steps.unblock())) return { refused: true, reply: STILL_PENDING };
    const left = deadline - Date.now();
    const last = left <= slice;
    const reply = await steps.settle(Math.max(0, Math.min(slice, left)), !last);
    if (reply !== STILL_PENDING || last) return { refused: false, reply };
    slice *= 2;
  }
}

export async function unblockUntilReleased(session: Session, port: string, read: PendingCall, budgetMs: number): Promise<Release> {
  let refused: Reply<Record<string, unknown>> | undefined;
  const { reply } = await repeatUnblock(
    {
      unblock: async () => {
        const unblock = await session.call('ApiUnblockGetNotifyCall', [port]);
        if (unblock.fault === undefined && unblock.status === ERROR.SUCCESS) return true;
        refused = unblock;
        return false;
      },
      settle: (ms, probe) => read.settle(ms, probe),
    },
    budgetMs,
  );
  return refused ? { refused, reply: STILL_PENDING } : { reply };
}
