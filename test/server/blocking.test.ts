// ApiGetNotify's completions: an indication, a release by ApiUnblockGetNotifyCall or ApiCloseNotify
// (ERROR_INVALID_FUNCTION), the version 2 GetNotify timer (WAIT_TIMEOUT), and CLUSTER_RECONNECT after
// the server lost indications (version 3 only).
import { CLUSTER_CHANGE as C, ERROR } from '../../cmrp/constants';
import type { ClusapiConnection } from '../../cmrp/contract';
import { disposeAll, drain, ok, openPort, PENDING, rig, status, within } from './helpers';

afterEach(disposeAll);

async function clusterPort(conn: ClusapiConnection, filter: number, key = 1): Promise<string> {
  const h = await openPort(conn);
  ok(await conn.ApiAddNotifyCluster(h, ok(await conn.ApiOpenCluster()).hCluster, filter, key));
  return h;
}

describe.each([2, 3] as const)('protocol version %i', (version) => {
  const wait = (conn: ClusapiConnection, h: string) => (version === 2 ? conn.ApiGetNotify(h, 0xffffffff) : conn.ApiGetNotify(h));

  it('blocks on an empty port until an indication is queued', async () => {
    const { conn, apply } = rig(version);
    const h = await clusterPort(conn, C.GROUP_ADDED, 8);
    const read = wait(conn, h);
    expect(await within(read)).toBe(PENDING);
    await apply({ verb: 'AddObject', objectType: 'group', name: 'New' });
    expect(await read).toEqual({ status: 0, dwNotifyKey: 8, dwFilter: C.GROUP_ADDED, dwStateSequence: 0, Name: 'New' });
  });

  it('releases a blocked read on ApiUnblockGetNotifyCall; the port stays usable', async () => {
    const { conn, apply } = rig(version);
    const h = await clusterPort(conn, C.GROUP_ADDED);
    const [a, b] = [wait(conn, h), wait(conn, h)];
    ok(await conn.ApiUnblockGetNotifyCall(h));
    expect([status(await a), status(await b)]).toEqual([ERROR.INVALID_FUNCTION, ERROR.INVALID_FUNCTION]);
    ok(await conn.ApiUnblockGetNotifyCall(h)); // nothing pending: still success
    await apply({ verb: 'AddObject', objectType: 'group', name: 'After' });
    expect((await drain(conn, h)).map((e) => e.Name)).toEqual(['After']);
  });

  it('releases a blocked read on ApiCloseNotify, flushes the queue and invalidates the handle', async () => {
    const { conn } = rig(version);
    const h = await clusterPort(conn, C.GROUP_ADDED);
    const read = wait(conn, h);
    expect(await conn.ApiCloseNotify(h)).toEqual({ status: 0, hNotify: null });
    expect(status(await read)).toBe(ERROR.INVALID_FUNCTION);
    expect(status(await conn.ApiGetNotify(h, 0))).toBe(ERROR.INVALID_HANDLE);
  });

  it('after DropEvents, version 3 reports CLUSTER_RECONNECT once; version 2 never does', async () => {
    const { conn, apply } = rig(version);
    const h = await clusterPort(conn, C.GROUP_ADDED, 5);
    const silent = await openPort(conn); // no filter: lost nothing, reports nothing
    await apply({ verb: 'AddObject', objectType: 'group', name: 'Lost' });
    await apply({ verb: 'DropEvents' });
    await apply({ verb: 'AddObject', objectType: 'group', name: 'Kept' });
    const events = await drain(conn, h);
    const expected = version === 3 ? [[C.CLUSTER_RECONNECT, 5], [C.GROUP_ADDED, 5]] : [[C.GROUP_ADDED, 5]];
    expect(events.map((e) => [e.dwFilter, e.dwNotifyKey])).toEqual(expected);
    expect(events.map((e) => e.Name)).not.toContain('Lost');
    expect(await drain(conn, silent)).toEqual([]);
  });
});

describe('version 2 GetNotify timer', () => {
  it('completes with WAIT_TIMEOUT after Timeout ms, at once for 0', async () => {
    const { conn } = rig(2);
    const h = await clusterPort(conn, C.GROUP_ADDED);
    expect(status(await conn.ApiGetNotify(h, 0))).toBe(ERROR.WAIT_TIMEOUT);
    const started = Date.now();
    expect(status(await conn.ApiGetNotify(h, 60))).toBe(ERROR.WAIT_TIMEOUT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('cancels the timer when an indication arrives first', async () => {
    const { conn, apply } = rig(2);
    const h = await clusterPort(conn, C.GROUP_ADDED);
    const read = conn.ApiGetNotify(h, 80);
    await apply({ verb: 'AddObject', objectType: 'group', name: 'Fast' });
    expect(ok(await read).Name).toBe('Fast');
    // A later read is not ended early by the first call's timer.
    const next = conn.ApiGetNotify(h, 0xffffffff);
    expect(await within(next, 120)).toBe(PENDING);
    ok(await conn.ApiUnblockGetNotifyCall(h));
    expect(status(await next)).toBe(ERROR.INVALID_FUNCTION);
  });

  it('version 3 has no Timeout: a Timeout argument is ignored', async () => {
    const { conn } = rig(3);
    const h = await clusterPort(conn, C.GROUP_ADDED);
    const read = conn.ApiGetNotify(h, 0);
    expect(await within(read)).toBe(PENDING);
    ok(await conn.ApiUnblockGetNotifyCall(h));
    expect(status(await read)).toBe(ERROR.INVALID_FUNCTION);
  });
});
