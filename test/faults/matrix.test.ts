// The fault matrix, in process: an adapter that crashes, hangs, answers garbage, writes an over-long
// line, answers a wrong id, answers too late, exits or closes its output, at each phase of a session
// (Hello, Connect, a call, a blocked read, a control verb, Reset, Disconnect). Each row runs real
// scripted sequences through the fault and judges them with the gate the CLI uses: never exit 0, never
// a PASS the reference itself does not earn, and an ERROR naming where the fault happened.
// test/faults/cli.test.ts runs rows of it through the built command line.
import { TargetUnreachableError } from '../../cmrp/errors';
import type { Target } from '../../cmrp/contract';
import { gate } from '../../harness/baseline/gate';
import { loadCatalogue } from '../../harness/catalogue/load';
import type { Observation } from '../../harness/recorder/observation';
import { clausesIn, runSequence } from '../../harness/sequence/interpret';
import { defaultPropertyTimeouts } from '../../harness/property/context';
import { MAX_CONSECUTIVE_FAULTS, runProperty, type PropertyResult } from '../../harness/property/runner';
import { defaultTimeouts } from '../../harness/session/session';
import { createTarget } from '../../harness/target/resolve';
import { judge } from '../../harness/verdict/judge';
import type { ClauseVerdict } from '../../harness/verdict/types';
import { FAULTS, MULTIPLIER, PHASE_CALL, PHASES, faultySpec, pooled, requireBuild, rowSequences, type Fault, type Phase } from './support';
import { resolve } from 'node:path';
import { RoleBindings } from '../../harness/profile/bindings';
import { loadProfileFile } from '../../harness/profile/load';

const catalogue = loadCatalogue();
const sequences = rowSequences();
/** The proxy serves the reference's default cluster: examples/profiles/builtin.json names its roles. */
const ROLES = RoleBindings.of(loadProfileFile(resolve(__dirname, '../../examples/profiles/builtin.json')), '--profile examples/profiles/builtin.json');
const selection = catalogue.filter((c) => sequences.some((s) => clausesIn(s, 3).includes(c.id)));

interface Row {
  phase: Phase;
  fault: Fault;
}

interface Outcome {
  verdicts: ClauseVerdict[];
  exitCode: number;
  observations: Observation[];
}

/**
 * The rows' faults come after Hello: a first handshake that times out is the machine's load, not the
 * row's fault, so the start is tried again (a few times) rather than the row failing.
 */
async function start(spec: string, tries = 3): Promise<Target> {
  try {
    return await createTarget(spec, { timeoutMultiplier: MULTIPLIER });
  } catch (error) {
    if (tries > 1 && error instanceof TargetUnreachableError && /did not answer Hello/.test(error.message)) return start(spec, tries - 1);
    throw error;
  }
}

async function runRow(spec: string): Promise<Outcome> {
  const target: Target = await start(spec);
  const observations: Observation[] = [];
  try {
    for (const sequence of sequences) {
      observations.push(
        ...(await runSequence(sequence, { target, protocolVersion: 3, timeouts: defaultTimeouts(MULTIPLIER), roles: ROLES, replay: (id) => `replay ${id}` })),
      );
    }
  } finally {
    await target.dispose();
  }
  const verdicts = judge(selection, observations, { catalogueIds: catalogue.map((c) => c.id) });
  return { verdicts, exitCode: gate(verdicts, { strict: false }).exitCode, observations };
}

beforeAll(requireBuild);

const ROWS: Row[] = PHASES.flatMap((phase) => FAULTS.map((fault) => ({ phase, fault })));
const outcomes = new Map<string, Outcome | Error>();
let clean: Outcome;

/** The property rows: phase, fault, trigger. */
const PROPERTY_ROWS = [
  ['reset', 'crash', 'nth:1'],
  ['call', 'hang', 'nth:2'],
  ['Disconnect', 'garbage', 'nth:1'],
  ['control', 'crash', 'nth:3'],
  ['Connect', 'exit', 'nth:1'],
  ['read', 'wrong-id', 'nth:1'],
] as const;
const PROPERTY_RUNS = 6;

async function propertyRow(spec: string): Promise<PropertyResult> {
  const target = await createTarget(spec, { timeoutMultiplier: MULTIPLIER });
  try {
    return await runProperty({ target, targetSpec: spec, version: 3, seed: 11, runs: PROPERTY_RUNS, maxCommands: 8, timeouts: defaultPropertyTimeouts(MULTIPLIER) });
  } finally {
    await target.dispose();
  }
}

/** What starting a target whose Hello fails gave: the error, or undefined when it started. */
async function helloRow(fault: Fault): Promise<unknown> {
  return createTarget(faultySpec('Hello', fault), { timeoutMultiplier: MULTIPLIER }).then(
    async (t) => {
      await t.dispose();
      return undefined;
    },
    (e: unknown) => e,
  );
}

const helloOutcomes = new Map<Fault, Promise<unknown>>();
const propertyOutcomes = new Map<string, Promise<PromiseSettledResult<PropertyResult>>>();

function settled<T>(outcome: PromiseSettledResult<T>): T {
  if (outcome.status === 'rejected') throw outcome.reason;
  return outcome.value;
}

// Every row of the file starts here, before any test judges one. The scripted rows are independent (each
// its own adapter and counters) and mostly wait: a few at once, after the clean run. The Hello rows (a
// handshake that fails, two of them waiting out its timeout) and the property rows (one at a time) go
// beside them rather than after them: together they were a third of the file's time, mostly waiting.
beforeAll(async () => {
  const scripted = (async () => {
    clean = await runRow(faultySpec('none', 'none'));
    await pooled(ROWS, 3, async (row) => {
      const key = `${row.phase} ${row.fault}`;
      outcomes.set(key, await runRow(faultySpec(row.phase, row.fault)).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
    });
  })();
  const hello = pooled(FAULTS, 2, async (fault) => {
    const outcome = helloRow(fault);
    helloOutcomes.set(fault, outcome);
    return outcome;
  });
  const property = pooled([...PROPERTY_ROWS, ['reset', 'crash', 'always'] as const], 1, async ([phase, fault, trigger]) => {
    const outcome = propertyRow(faultySpec(phase, fault, trigger)).then(
      (value): PromiseSettledResult<PropertyResult> => ({ status: 'fulfilled', value }),
      (reason: unknown): PromiseSettledResult<PropertyResult> => ({ status: 'rejected', reason }),
    );
    propertyOutcomes.set(`${phase} ${fault} ${trigger}`, outcome);
    return outcome;
  });
  // A clean run that failed fails the scripted rows' tests (below), not the Hello and property rows'.
  const [done] = await Promise.allSettled([scripted, hello, property]);
  if (done.status === 'rejected') scriptedFailure = done.reason;
}, 600_000);
let scriptedFailure: unknown;

describe('the fault matrix (scripted sequences through a faulty adapter)', () => {
  beforeAll(() => {
    if (scriptedFailure !== undefined) throw scriptedFailure;
  });

  it('passes the reference through the proxy when nothing is wrong (the baseline of every row)', () => {
    expect(clean.exitCode).toBe(0);
    expect(clean.verdicts.filter((v) => v.verdict === 'PASS').length).toBeGreaterThan(3);
    expect(clean.verdicts.filter((v) => v.verdict === 'ERROR' || v.verdict === 'FAIL')).toEqual([]);
  });

  it.each(ROWS.map((r) => [r.phase, r.fault] as const))('%s, %s: ERROR where it happened, exit 1, no unearned PASS', (phase, fault) => {
    const outcome = outcomes.get(`${phase} ${fault}`);
    if (outcome instanceof Error) throw outcome;
    const { verdicts, exitCode } = outcome!;
    const earned = new Set(clean.verdicts.filter((v) => v.verdict === 'PASS').map((v) => v.id));
    expect(verdicts.filter((v) => v.verdict === 'PASS' && !earned.has(v.id)).map((v) => v.id)).toEqual([]);
    expect(exitCode).toBe(1);
    // A read that is answered too late cannot be told from one that never completes: that is FAIL of the
    // read's clause, said with the same hint. Everything else is ERROR.
    const errors = verdicts.filter((v) => v.verdict === 'ERROR' || (phase === 'read' && fault === 'slow' && v.verdict === 'FAIL'));
    expect(errors.length).toBeGreaterThan(0);
    // The fault is named where it happened (or, for a fault that first shows as a broken stream, at the
    // next request that met it), and a slow reply is named as slowness with the flag that gives time.
    const text = errors.map((e) => e.message ?? '').join('\n');
    if (fault === 'slow' || fault === 'hang') expect(text).toContain('--timeout-multiplier');
    if (fault === 'crash') expect(text).toMatch(/exited with code 70/);
    if (fault === 'garbage') expect(text).toMatch(/not JSON/);
    if (fault === 'oversize') expect(text).toMatch(/longer than \d+ bytes/);
    if (fault === 'wrong-id') expect(text).toMatch(/answered id \d+, which no pending request has/);
    if (fault === 'exit') expect(text).toMatch(/exited with code 0/);
    if (fault === 'close-stdout') expect(text).toMatch(/closed its stdout/);
    if (fault !== 'hang' && fault !== 'slow' && fault !== 'close-stdout') expect(text).toMatch(PHASE_CALL[phase]);
  });
});

describe('the fault matrix at Hello: the run cannot start (exit 2), one line naming the cause', () => {
  it.each(FAULTS.map((f) => [f]))('%s', async (fault) => {
    const error = await helloOutcomes.get(fault);
    expect(error).toBeInstanceOf(TargetUnreachableError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/handshake/);
    if (fault === 'slow' || fault === 'hang') expect(message).toContain('--timeout-multiplier');
  });
});

describe('the fault matrix in property runs: a fault is ERROR of the clauses in flight, and the run goes on', () => {
  it.each(PROPERTY_ROWS)('%s, %s (%s): no counterexample, no harness pseudo-clause, the rest of the budget ran', async (phase, fault, trigger) => {
    const result = settled(await propertyOutcomes.get(`${phase} ${fault} ${trigger}`)!);
    expect(result.failure).toBeUndefined();
    expect(result.observations.filter((o) => o.clause === 'harness')).toEqual([]);
    const errors = result.observations.filter((o) => o.outcome === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].message).toMatch(/the target failed in sequence \d+ of 6 \(seed 11; the run went on with the rest of its budget\)/);
    expect(errors[0].message).toMatch(PHASE_CALL[phase]);
    expect(result.faults).toBe(1);
    expect(result.runs).toBe(PROPERTY_RUNS - 1);
    // The sequences that ran cleanly judged the server: passes alongside the fault.
    expect(result.observations.some((o) => o.outcome === 'pass')).toBe(true);
    expect(result.observations.some((o) => o.outcome === 'fail')).toBe(false);
  });

  it('a target that fails every sequence: the run stops after a few, and what it never reached is ERROR, not NOT-TESTED', async () => {
    const result = settled(await propertyOutcomes.get('reset crash always')!);
    expect(result.failure).toBeUndefined();
    expect(result.faults).toBe(MAX_CONSECUTIVE_FAULTS);
    expect(result.observations.some((o) => o.outcome === 'pass')).toBe(false);
    const stopped = result.observations.filter((o) => /the run stopped after the target failed 3 sequences in a row/.test(o.message ?? ''));
    expect(stopped.length).toBeGreaterThan(0);
    expect(stopped.every((o) => o.outcome === 'error')).toBe(true);
  });
});
