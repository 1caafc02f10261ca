// The whole scripted suite over the wire gives the same verdicts as in process: against the served
// reference (both protocol versions; in process, and through the `serve` command with its control
// listener) and against a served mutant, which fails the clauses it fails in process. The only
// differences allowed are the sequences that need a Read-only connection (without authentication a
// dcerpc target cannot open one, and says so: NOT-TESTED with that reason) or a second node.
import type { Observation } from '../../../harness/recorder/observation';
import { runAllSequences } from '../../../harness/sequence/run-all';
import { loadAllSequences } from '../../../harness/sequence/load';
import { defaultTimeouts } from '../../../harness/session/session';
import { createBuiltinTarget } from '../../../harness/target/builtin';
import type { Target } from '../../../cmrp/contract';
import { createTarget } from '../../../harness/target/resolve';
import { outcomes, serveReference, severalNodeSequences, wireTarget } from './support';
import { startServe } from './served-process';
import { limited, started } from '../../support/limited';

const READ_ONLY_SEQUENCES = new Set(loadAllSequences().filter((s) => s.accessLevel === 'read').map((s) => s.id));
const READ_ONLY_REASON = 'the target cannot open a connection with read access only';
// What only a binding with an RPC runtime can judge: NOT-TESTED in process, judged over the wire (those
// that also need a Read-only connection are among the Read-only ones here: the wire runs unauthenticated).
const WIRE_ONLY_SEQUENCES = new Set(loadAllSequences().filter((s) => s.rpcRuntime && !READ_ONLY_SEQUENCES.has(s.id)).map((s) => s.id));
// What needs a second node: NOT-TESTED over one endpoint, naming --node-target.
const SEVERAL_NODE_SEQUENCES = severalNodeSequences();

async function judged(target: Target, version: 2 | 3): Promise<Observation[]> {
  try {
    return await runAllSequences(target, version, defaultTimeouts());
  } finally {
    await target.dispose();
  }
}

/** Compares two runs clause by clause; returns the differences that are not the Read-only or wire-only ones. */
function differences(inProcess: Observation[], wire: Observation[]): string[] {
  const expected = outcomes(inProcess);
  const actual = outcomes(wire);
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const o of wire.filter((w) => READ_ONLY_SEQUENCES.has(w.test))) {
    expect(o).toMatchObject({ outcome: 'not-tested', message: expect.stringContaining(READ_ONLY_REASON) });
  }
  for (const o of inProcess.filter((p) => WIRE_ONLY_SEQUENCES.has(p.test))) expect(o.outcome).toBe('not-tested');
  for (const o of wire.filter((w) => WIRE_ONLY_SEQUENCES.has(w.test))) expect(o.outcome).toBe('pass');
  for (const o of wire.filter((w) => SEVERAL_NODE_SEQUENCES.has(w.test))) expect(o).toMatchObject({ outcome: 'not-tested', message: expect.stringContaining('--node-target') });
  const unexplained: string[] = [];
  for (const [key, got] of actual) {
    const test = key.slice(key.indexOf(' ') + 1);
    if (READ_ONLY_SEQUENCES.has(test) || WIRE_ONLY_SEQUENCES.has(test) || SEVERAL_NODE_SEQUENCES.has(test)) continue;
    if (expected.get(key) !== got) unexplained.push(`${key}: ${expected.get(key)} in process, ${got} over dcerpc`);
  }
  return unexplained;
}

/**
 * The in-process runs, once per protocol version and mutant: a scripted run against builtin gives the
 * same outcomes each time (the comparisons below rely on that already), and three tests compare with
 * the same version 3 run.
 */
const inProcessRuns = new Map<string, Promise<Observation[]>>();
function inProcess(version: 2 | 3, mutant?: string): Promise<Observation[]> {
  const key = `${version} ${mutant ?? ''}`;
  let run = inProcessRuns.get(key);
  if (!run) inProcessRuns.set(key, (run = judged(createBuiltinTarget(mutant === undefined ? {} : { mutant }), version)));
  return run;
}

const MUTANT = 'close-keeps-handle';

/** The runs over the wire, each against a server of its own. */
const scenarios = {
  served3: () => servedRun(3),
  served2: () => servedRun(2),
  async serveCommand() {
    const served = await startServe(['--listen', 'dcerpc:127.0.0.1:0', '--control-listen', 'tcp:127.0.0.1:0', '--auth', 'none']);
    let judgedRun: { controlHasReset: boolean; wire: Observation[] };
    try {
      const target = await createTarget(`dcerpc:127.0.0.1:${served.port}`, { auth: 'none', control: `tcp:127.0.0.1:${served.controlPort}` });
      judgedRun = { controlHasReset: target.control?.verbs.has('Reset') === true, wire: await judged(target, 3) };
    } catch (error) {
      await served.stop();
      throw error;
    }
    // The exit code of the stop is judged too.
    return { ...judgedRun, stopped: await served.stop() };
  },
  async mutant() {
    const served = await startServe(['--listen', 'dcerpc:127.0.0.1:0', '--control-listen', 'tcp:127.0.0.1:0', '--auth', 'none', '--mutant', MUTANT]);
    try {
      return await judged(await createTarget(`dcerpc:127.0.0.1:${served.port}`, { auth: 'none', control: `tcp:127.0.0.1:${served.controlPort}` }), 3);
    } finally {
      await served.stop();
    }
  },
  async withoutControl() {
    const served = await serveReference();
    try {
      return await judged(await wireTarget(served, false), 3);
    } finally {
      await served.close();
    }
  },
};

async function servedRun(version: 2 | 3): Promise<Observation[]> {
  const served = await serveReference();
  try {
    return await judged(await wireTarget(served), version);
  } finally {
    await served.close();
  }
}

type Scenario = keyof typeof scenarios;
type Outcome<K extends Scenario> = Awaited<ReturnType<(typeof scenarios)[K]>>;
const running = new Map<Scenario, Promise<unknown>>();

/** A scenario's result (its error thrown into the test that judges it). */
async function result<K extends Scenario>(name: K): Promise<Outcome<K>> {
  const run = running.get(name);
  if (!run) throw new Error(`scenario ${name} was not started`);
  return (await run) as Outcome<K>;
}

// The runs over the wire spend about half their time waiting (a blocked read's ordering gap, the served
// end's replies): every scenario starts here, three at a time, each on its own server and target, and
// each test judges its own. The in-process runs they are compared with start beside them. A failure is
// kept for the test that awaits it (the catch only keeps it from being reported unheard before then).
beforeAll(async () => {
  const gate = limited(3);
  for (const [version, mutant] of [[3], [2], [3, MUTANT]] as const) inProcess(version, mutant).catch(() => undefined);
  for (const name of Object.keys(scenarios) as Scenario[]) running.set(name, started(gate, scenarios[name] as () => Promise<unknown>));
  await Promise.allSettled([...running.values()]);
}, 300_000);

describe.each([3, 2] as const)('protocol version %i', (version) => {
  it('the served reference gets the verdicts of the builtin one', async () => {
    const inProcessRun = await inProcess(version);
    expect(inProcessRun.filter((o) => o.outcome === 'fail' || o.outcome === 'error')).toEqual([]);
    const wire = await result(version === 3 ? 'served3' : 'served2');
    expect(differences(inProcessRun, wire)).toEqual([]);
    expect(wire.filter((o) => o.outcome === 'pass').length).toBeGreaterThan(300);
  });
});

describe('through the serve command', () => {
  it('serve --listen dcerpc: --control-listen tcp: --auth none, judged with run --target dcerpc: --auth none --control tcp:', async () => {
    const { controlHasReset, wire, stopped } = await result('serveCommand');
    expect(controlHasReset).toBe(true);
    expect(differences(await inProcess(3), wire)).toEqual([]);
    expect(stopped).toBe(0);
  });

  it('a served mutant fails the clauses it fails in process', async () => {
    const wire = await result('mutant');
    const failed = wire.filter((o) => o.outcome === 'fail').map((o) => o.clause);
    expect(failed).toContain('3.1.4.2.57/R9');
    expect(differences(await inProcess(3, MUTANT), wire)).toEqual([]);
  });
});

describe('without a control adapter', () => {
  it('stimulus clauses are NOT-TESTED with the reason, the others judged as in process', async () => {
    const wire = await result('withoutControl');
    const inProcessOutcomes = outcomes(await inProcess(3));
    const comparable = wire.filter((o) => !READ_ONLY_SEQUENCES.has(o.test) && !WIRE_ONLY_SEQUENCES.has(o.test) && !SEVERAL_NODE_SEQUENCES.has(o.test) && !/the target has no control adapter \(needs /.test(o.message ?? ''));
    for (const [key, got] of outcomes(comparable)) expect(`${key} ${got}`).toBe(`${key} ${inProcessOutcomes.get(key)}`);
    expect(wire.filter((o) => /no control adapter/.test(o.message ?? '')).length).toBeGreaterThan(50);
  });
});
