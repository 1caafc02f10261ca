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

describe.each([3, 2] as const)('protocol version %i', (version) => {
  it('the served reference gets the verdicts of the builtin one', async () => {
    const inProcess = await judged(createBuiltinTarget(), version);
    expect(inProcess.filter((o) => o.outcome === 'fail' || o.outcome === 'error')).toEqual([]);
    const served = await serveReference();
    try {
      const wire = await judged(await wireTarget(served), version);
      expect(differences(inProcess, wire)).toEqual([]);
      expect(wire.filter((o) => o.outcome === 'pass').length).toBeGreaterThan(300);
    } finally {
      await served.close();
    }
  });
});

describe('through the serve command', () => {
  it('serve --listen dcerpc: --control-listen tcp: --auth none, judged with run --target dcerpc: --auth none --control tcp:', async () => {
    const served = await startServe(['--listen', 'dcerpc:127.0.0.1:0', '--control-listen', 'tcp:127.0.0.1:0', '--auth', 'none']);
    try {
      const target = await createTarget(`dcerpc:127.0.0.1:${served.port}`, { auth: 'none', control: `tcp:127.0.0.1:${served.controlPort}` });
      expect(target.control?.verbs.has('Reset')).toBe(true);
      const wire = await judged(target, 3);
      expect(differences(await judged(createBuiltinTarget(), 3), wire)).toEqual([]);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });

  it('a served mutant fails the clauses it fails in process', async () => {
    const mutant = 'close-keeps-handle';
    const served = await startServe(['--listen', 'dcerpc:127.0.0.1:0', '--control-listen', 'tcp:127.0.0.1:0', '--auth', 'none', '--mutant', mutant]);
    try {
      const wire = await judged(await createTarget(`dcerpc:127.0.0.1:${served.port}`, { auth: 'none', control: `tcp:127.0.0.1:${served.controlPort}` }), 3);
      const inProcess = await judged(createBuiltinTarget({ mutant }), 3);
      const failed = wire.filter((o) => o.outcome === 'fail').map((o) => o.clause);
      expect(failed).toContain('3.1.4.2.57/R9');
      expect(differences(inProcess, wire)).toEqual([]);
    } finally {
      await served.stop();
    }
  });
});

describe('without a control adapter', () => {
  it('stimulus clauses are NOT-TESTED with the reason, the others judged as in process', async () => {
    const served = await serveReference();
    try {
      const wire = await judged(await wireTarget(served, false), 3);
      const inProcess = outcomes(await judged(createBuiltinTarget(), 3));
      const comparable = wire.filter((o) => !READ_ONLY_SEQUENCES.has(o.test) && !WIRE_ONLY_SEQUENCES.has(o.test) && !SEVERAL_NODE_SEQUENCES.has(o.test) && !/the target has no control adapter \(needs /.test(o.message ?? ''));
      for (const [key, got] of outcomes(comparable)) expect(`${key} ${got}`).toBe(`${key} ${inProcess.get(key)}`);
      expect(wire.filter((o) => /no control adapter/.test(o.message ?? '')).length).toBeGreaterThan(50);
    } finally {
      await served.close();
    }
  });
});
