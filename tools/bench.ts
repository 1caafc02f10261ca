// `npm run bench`: what the harness costs per call, as ratios against a baseline measured in the same
// run (raw calls on the in-process reference, no session, no trace), so machine speed cancels out.
import { performance } from 'node:perf_hooks';
import { runAllSequences } from '../harness/sequence/run-all';
import { Session, defaultTimeouts } from '../harness/session/session';
import { Trace } from '../harness/session/trace';
import { CLUSTER_CHANGE } from '../cmrp/constants';
import type { ClusapiConnection, Target } from '../cmrp/contract';
import { createBuiltinTarget } from '../harness/target/builtin';

const ROUNDS = 200;
const REPEATS = 7;

/** One round: create a port, register, cause an event, read it, close: five calls and a stimulus. */
type Caller = (method: string, args: unknown[]) => Promise<Record<string, unknown>>;

async function round(call: Caller, target: Target): Promise<void> {
  const port = (await call('ApiCreateNotify', [])).hNotify as string;
  const group = (await call('ApiOpenGroup', ['App Group'])).hGroup as string;
  await call('ApiAddNotifyGroup', [port, group, CLUSTER_CHANGE.GROUP_STATE, 1]);
  await target.control!.apply({ verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 });
  await call('ApiGetNotify', [port]);
  await call('ApiCloseNotify', [port]);
  await call('ApiCloseGroup', [group]);
  await target.control!.apply({ verb: 'SetState', objectType: 'group', name: 'App Group', state: 0 });
}

async function median(run: () => Promise<void>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(REPEATS / 2)];
}

async function main(): Promise<void> {
  const target = createBuiltinTarget({});
  const connection: ClusapiConnection = await target.connect({ protocolVersion: 3 });
  const raw: Caller = (method, args) => (connection as unknown as Record<string, (...a: unknown[]) => Promise<Record<string, unknown>>>)[method](...args);
  const baseline = await median(async () => {
    for (let i = 0; i < ROUNDS; i++) await round(raw, target);
  });
  const session = await median(async () => {
    const s = new Session(connection, new Trace(), defaultTimeouts());
    const viaSession: Caller = (method, args) => s.call(method as never, args) as Promise<Record<string, unknown>>;
    for (let i = 0; i < ROUNDS; i++) await round(viaSession, target);
  });
  await connection.close();
  const suite = await median(async () => {
    await runAllSequences(target, 3, defaultTimeouts(0.1));
  });
  await target.dispose();

  const perRound = baseline / ROUNDS;
  console.log(`baseline: ${ROUNDS} raw rounds (7 calls, 2 stimuli each) on builtin: ${baseline.toFixed(1)} ms, ${perRound.toFixed(3)} ms a round`);
  console.log(`session overhead      ${(session / baseline).toFixed(2)}x baseline  (timeouts, trace, reply checks)`);
  console.log(`scripted suite (v3)   ${(suite / perRound).toFixed(0)} baseline rounds  (every sequence, interpreter and judging)`);
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
