// A `reconnect` step opens a new connection; the one it leaves behind must still be closed when the
// sequence ends, or every reconnect leaks a connection (a socket and a server session on a wire target).
import type { ClusapiConnection, Target } from '../../cmrp/contract';
import { RoleBindings } from '../../harness/profile/bindings';
import { profileFromCluster } from '../../harness/profile/derive';
import { runSequence, type SequenceContext } from '../../harness/sequence/interpret';
import { loadAllSequences } from '../../harness/sequence/load';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { DEFAULT_CLUSTER } from '../../reference';
import { scaled } from '../support/time-scale';

/** The builtin target, counting the connections it hands out that are never closed. */
function countingTarget(): { target: Target; open: Set<ClusapiConnection>; opened: () => number } {
  const target = createBuiltinTarget({});
  const open = new Set<ClusapiConnection>();
  let opened = 0;
  const connect = target.connect.bind(target);
  target.connect = async (options) => {
    const connection = await connect(options);
    opened++;
    open.add(connection);
    const close = connection.close.bind(connection);
    connection.close = async () => {
      open.delete(connection);
      await close();
    };
    return connection;
  };
  return { target, open, opened: () => opened };
}

describe('reconnect steps', () => {
  it.each([3, 2] as const)('protocol version %s: every connection a sequence opens is closed by its end', async (version) => {
    // What the in-process target runs: a sequence of the other version, or one needing the RPC runtime, opens nothing here.
    const sequences = loadAllSequences().filter((s) => s.steps.some((step) => 'reconnect' in step) && !s.rpcRuntime && (s.versions ?? [version]).includes(version));
    expect(sequences.length).toBeGreaterThan(0);
    const { target, open, opened } = countingTarget();
    const roles = RoleBindings.of(profileFromCluster(DEFAULT_CLUSTER), "the builtin target's default cluster");
    const ctx: SequenceContext = { target, protocolVersion: version, timeouts: { callMs: scaled(500), readMs: scaled(200) }, roles, replay: (id) => `--clause ${id}` };
    try {
      for (const sequence of sequences) {
        const before = opened();
        await runSequence(sequence, ctx);
        expect([sequence.id, open.size]).toEqual([sequence.id, 0]);
        expect(opened() - before).toBeGreaterThan(1);
      }
    } finally {
      await target.dispose();
    }
  });
});
