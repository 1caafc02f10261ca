// Bounded time on a broken server: once a due call of a method outlived its wait, later due calls of it
// get only a short grace, and every one of them still ends as a timeout (never a reply). Calls that may
// rightly block (a version 3 read of an empty port) are never cut short, until an unblock makes them due.
import { TargetError, type ClusapiConnection } from '../../cmrp/contract';
import { fileHangs, memoryHangs } from '../../harness/session/hangs';
import { STILL_PENDING, Session, type Timeouts } from '../../harness/session/session';
import { Trace } from '../../harness/session/trace';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scaled } from '../support/time-scale';

const never = () => new Promise<never>(() => undefined);

/** A connection whose ApiGetNotify never answers; everything else answers ERROR_SUCCESS at once. */
function hanging(protocolVersion: 2 | 3, overrides: Record<string, (...a: unknown[]) => Promise<unknown>> = {}): ClusapiConnection {
  const base: Record<string, unknown> = {
    protocolVersion,
    ApiGetNotify: never,
    ApiUnblockGetNotifyCall: async () => ({ status: 0 }),
    ApiCreateNotify: async () => ({ status: 0, hNotify: 'p1' }),
    close: async () => undefined,
    ...overrides,
  };
  return base as unknown as ClusapiConnection;
}


describe('the session with a record of hangs', () => {
  // The full wait and the grace are told apart by the clock: both scale with the machine (a loaded one
  // may stall a grace past a fixed bound), and the bounds with them.
  const timeouts = (): Timeouts => ({ callMs: scaled(400), readMs: scaled(100), hangs: memoryHangs() });

  it('waits the full call timeout once, then gives later calls of the hung method only a grace; all are timeouts', async () => {
    const t = timeouts();
    const session = new Session(hanging(2), new Trace(), t);
    const times: number[] = [];
    const errors: TargetError[] = [];
    for (let i = 0; i < 4; i++) {
      const start = Date.now();
      await session.call('ApiGetNotify', ['p1', 1]).then(
        () => undefined,
        (e: TargetError) => errors.push(e),
      );
      times.push(Date.now() - start);
    }
    expect(errors.map((e) => e.fault)).toEqual(['timeout', 'timeout', 'timeout', 'timeout']);
    expect(times[0]).toBeGreaterThanOrEqual(scaled(400) - 10);
    for (const ms of times.slice(1)) expect(ms).toBeLessThan(scaled(300));
    expect(errors[1].message).toMatch(/already hung on this target \(ApiGetNotify\(hNotify=.*Timeout=1\)\)/);
  });

  it('never cuts short a read that may rightly block, and cuts a released one that stays blocked', async () => {
    const t = timeouts();
    t.hangs!.record('ApiGetNotify', 'an earlier read');
    const session = new Session(hanging(3), new Trace(), t);
    const read = session.start('ApiGetNotify', ['p1']);
    let start = Date.now();
    expect(await read.settle(scaled(400))).toBe(STILL_PENDING);
    expect(Date.now() - start).toBeGreaterThanOrEqual(scaled(400) - 10);
    await session.call('ApiUnblockGetNotifyCall', ['p1']);
    start = Date.now();
    expect(await read.settle(scaled(400))).toBe(STILL_PENDING);
    expect(Date.now() - start).toBeLessThan(scaled(300));
    expect(read.lateText).toMatch(/already hung/);
  });

  it('treats the target as hanging once two methods hung: any due call then gets only the grace', async () => {
    const t = timeouts();
    t.hangs!.record('ApiGetNotify', 'a read');
    t.hangs!.record('ApiCloseNotify', 'a close');
    const session = new Session(hanging(3, { ApiCreateNotify: never }), new Trace(), t);
    const start = Date.now();
    await expect(session.call('ApiCreateNotify', [])).rejects.toMatchObject({ fault: 'timeout' });
    expect(Date.now() - start).toBeLessThan(scaled(300));
  });

  it('does not touch calls that answer: a healthy call is never judged by the record', async () => {
    const t = timeouts();
    t.hangs!.record('ApiCreateNotify', 'an earlier create');
    const session = new Session(hanging(3), new Trace(), t);
    await expect(session.call('ApiCreateNotify', [])).resolves.toMatchObject({ status: 0, hNotify: 'p1' });
  });

  it('forgets a hang when the call answers after all: a slow target is not a hung one', async () => {
    const t = timeouts();
    const slow = () => new Promise((resolve) => setTimeout(() => resolve({ status: 0, hNotify: 'p1' }), scaled(600)));
    const session = new Session(hanging(3, { ApiCreateNotify: slow }), new Trace(), t);
    await expect(session.call('ApiCreateNotify', [])).rejects.toMatchObject({ fault: 'timeout' });
    expect(t.hangs!.earlier('ApiCreateNotify')).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, scaled(400)));
    expect(t.hangs!.earlier('ApiCreateNotify')).toBeUndefined();
  });

  it('does not take a read the harness released for a late answer of its own', async () => {
    const t = timeouts();
    let release: (reply: unknown) => void = () => undefined;
    const session = new Session(
      hanging(3, {
        ApiGetNotify: () => new Promise((resolve) => (release = resolve)),
        // Acknowledges, but the read stays blocked until the port is closed.
        ApiCloseNotify: async () => ({ status: 0 }),
      }),
      new Trace(),
      t,
    );
    const read = session.start('ApiGetNotify', ['p1']);
    await session.call('ApiUnblockGetNotifyCall', ['p1']);
    expect(await read.settle(scaled(400))).toBe(STILL_PENDING);
    expect(t.hangs!.earlier('ApiGetNotify')).toBeDefined();
    await session.call('ApiCloseNotify', ['p1']);
    release({ status: 6 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.hangs!.earlier('ApiGetNotify')).toBeDefined();
  });

  it('shares the record between the workers of a run through a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmrp-hangs-'));
    const one = fileHangs(dir);
    const other = fileHangs(dir);
    expect(other.earlier('ApiGetNotify')).toBeUndefined();
    one.record('ApiGetNotify', 'ApiGetNotify(hNotify=hNotify#1, Timeout=1)');
    expect(other.earlier('ApiGetNotify')).toBe('ApiGetNotify(hNotify=hNotify#1, Timeout=1)');
    expect(other.earlier('ApiCloseNotify')).toBeUndefined();
    one.forget('ApiGetNotify');
    expect(other.earlier('ApiGetNotify')).toBeUndefined();
  });
});


describe('a wait starved by its own event loop', () => {
  // The deadline fires late because this process was busy, and the call's own timer is only armed once
  // the loop runs again (as an in-process target's GetNotify timer is): the wait is extended once instead
  // of calling a reply that was never given time "still pending".
  it('gives the call the time it lost, then takes its reply', async () => {
    const session = new Session(hanging(2, { ApiGetNotify: () => new Promise((resolve) => setImmediate(() => setTimeout(() => resolve({ status: 258 }), 5))) }), new Trace(), { callMs: 1000 } as Timeouts);
    const pending = session.start('ApiGetNotify', ['p1', 5]);
    const settled = pending.settle(30);
    const until = Date.now() + 150;
    while (Date.now() < until) {
      // busy: the loop is starved past the wait's deadline
    }
    expect(await settled).toMatchObject({ status: 258 });
  });

  it('still gives up on a call that never answers', async () => {
    const session = new Session(hanging(2), new Trace(), { callMs: 1000 } as Timeouts);
    const pending = session.start('ApiGetNotify', ['p1', 5]);
    const settled = pending.settle(30);
    const until = Date.now() + 150;
    while (Date.now() < until) {
      // busy
    }
    expect(await settled).toBe(STILL_PENDING);
  });
});
