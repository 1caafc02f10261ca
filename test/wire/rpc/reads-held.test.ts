// ReadsHeld: the served reference counts, per port, the reads it has received and not answered; its
// control adapter offers that count as a query; and a dcerpc target whose control offers it asks before
// it releases a blocked read by another connection (the proof that replaces the ordering gap), falling
// back to the gap where the answer proves nothing, fails, or does not come before the gap has passed.
import { REFERENCE_IDENTITY } from '../../../harness/cli/serve';
import { createBuiltinTarget } from '../../../harness/target/builtin';
import { createDcerpcTarget } from '../../../harness/target/dcerpc';
import type { ClusterControl } from '../../../cmrp/control';
import type { ClusapiConnection, Target } from '../../../cmrp/contract';
import { HeldReads, serveDcerpc } from '../../../reference/serve/dcerpc';
import { NodeListeners, servedClusterTarget } from '../../../reference/serve/cluster-nodes';
import { Dispatcher, RpcError } from '../../../reference/serve/dispatch';
import { ADAPTER_PROTOCOL, RPC_ERROR } from '../../../wire/adapter/protocol';
import type { RpcListener } from '../../../wire/rpc/server/listener';

let reference: Target;
let heldReads: HeldReads;
let listener: RpcListener;
beforeAll(async () => {
  reference = createBuiltinTarget();
  heldReads = new HeldReads();
  listener = await serveDcerpc(reference, { port: 0, identity: REFERENCE_IDENTITY, heldReads });
});
afterAll(async () => {
  await listener.close();
  await reference.dispose();
});

/** The dcerpc target with the reference's control, its ReadsHeld answering `answer`; records each port asked about and the answer. */
async function targetWith(answer: (hNotify: string) => Promise<number>, orderingGapMs: number): Promise<{ target: Target; asked: [string, number | string][] }> {
  const base = reference.control!;
  const asked: [string, number | string][] = [];
  const control: ClusterControl = {
    verbs: base.verbs,
    apply: (s) => base.apply(s),
    readsHeld: async (hNotify) => {
      const entry: [string, number | string] = [hNotify, 'no answer'];
      asked.push(entry);
      try {
        const held = await answer(hNotify);
        entry[1] = held;
        return held;
      } catch (error) {
        entry[1] = (error as Error).message;
        throw error;
      }
    },
  };
  const target = await createDcerpcTarget(`dcerpc:127.0.0.1:${listener.address.port}`, { host: '127.0.0.1', port: listener.address.port }, { control, orderingGapMs });
  return { target, asked };
}

/** A port, a read left blocked on it, then the unblock that releases it (on another connection of the group). */
async function blockedThenReleased(connection: ClusapiConnection): Promise<{ hNotify: string; released: { status?: number } }> {
  const created = (await connection.ApiCreateNotify()) as { hNotify: string };
  const read = connection.ApiGetNotify(created.hNotify);
  const unblocked = await connection.ApiUnblockGetNotifyCall(created.hNotify);
  expect(unblocked.status).toBe(0);
  return { hNotify: created.hNotify, released: await read };
}

test('a read the server holds is counted on its port until it is answered; the target asks before releasing it', async () => {
  // A gap no test waits out: the unblock can only have gone at once, on the proof.
  const { target, asked } = await targetWith(async (hNotify) => heldReads.count(hNotify), 3_600_000);
  const connection = await target.connect({ protocolVersion: 3 });
  try {
    const { hNotify, released } = await blockedThenReleased(connection);
    // Asked about this port, by its context handle as the wire carries it, before the unblock went out:
    // the server held the one read.
    expect(asked).toEqual([[hNotify.toLowerCase(), 1]]);
    expect(released.status).not.toBe(0);
    expect(heldReads.count(hNotify)).toBe(0);
  } finally {
    await target.dispose();
  }
});

test.each([
  ['answers fewer reads than were sent', async () => 0, 0],
  ['fails', async () => Promise.reject(new Error('the control is gone')), 'the control is gone'],
  // Were the call to wait for the answer, it would hang until its own timeout (120 s).
  ['never answers', () => new Promise<number>(() => undefined), 'no answer'],
])('where ReadsHeld %s, the ordering gap orders the calls as before', async (_, answer, answered) => {
  // A gap long enough that the query goes out before it ends, short enough to be waited out here.
  const { target, asked } = await targetWith(answer, 300);
  const connection = await target.connect({ protocolVersion: 3 });
  try {
    const { hNotify, released } = await blockedThenReleased(connection);
    expect(released.status).not.toBe(0);
    expect(asked).toEqual([[hNotify.toLowerCase(), answered]]);
  } finally {
    await target.dispose();
  }
});

test('the served control offers ReadsHeld in its Hello and answers it, refusing a malformed handle', async () => {
  const served = servedClusterTarget(reference, new NodeListeners([], async () => listener), undefined, heldReads);
  const dispatcher = new Dispatcher(served, 'test');
  const hello = (await dispatcher.handle('Hello', { protocol: ADAPTER_PROTOCOL })) as { control: string[] };
  expect(hello.control).toContain('ReadsHeld');
  expect(await dispatcher.handle('Control.ReadsHeld', { hNotify: '00'.repeat(20) })).toEqual({ held: 0 });
  const refused = await dispatcher.handle('Control.ReadsHeld', { hNotify: 'not a handle' }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(RpcError);
  expect((refused as RpcError).code).toBe(RPC_ERROR.INVALID_PARAMS);
});
