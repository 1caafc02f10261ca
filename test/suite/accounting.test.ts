// One unit (a test of a suite file) run to completion or to its own deadline: what it keeps and reports.
// A unit that overran or threw is ERROR on its clauses, saying why (slowness with the flag that gives
// time); what an overrun unit observes afterwards is dropped; every unit reports done once its
// observations are on disk, so the runner can tell it from one that never ran.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observation } from '../../harness/recorder/observation';
import { readObservations } from '../../harness/recorder/sink';
import { isDone, readDone, runUnit } from '../../harness/suite/accounting';

const unit = { test: 'a/sequence', clauseIds: ['3.1.4.2.57/R1', '3.1.4.2.57/R2'] };
const pass = (clause: string): Observation => ({ clause, outcome: 'pass', test: unit.test, protocolVersion: 3, message: 'ok' });

function run(work: () => Promise<Observation[]>, deadlineMs = 60_000) {
  const dir = mkdtempSync(join(tmpdir(), 'cmrp-unit-'));
  return { dir, kept: runUnit({ file: 'f', unit, protocolVersion: 3, dir, deadlineMs, slowHint: 'a slow target needs a larger --timeout-multiplier', work }) };
}

it('keeps what a unit observed and reports it done', async () => {
  const { dir, kept } = run(async () => unit.clauseIds.map(pass));
  expect((await kept).map((o) => o.outcome)).toEqual(['pass', 'pass']);
  expect(readObservations(dir).map((o) => o.clause)).toEqual(unit.clauseIds);
  expect(isDone(readDone(dir), 'f', unit.test)).toBe(true);
});

it('makes every clause of a unit past its deadline ERROR, naming slowness and the flag, and drops what it says later', async () => {
  let finish: (o: Observation[]) => void = () => undefined;
  const late = new Promise<Observation[]>((resolve) => (finish = resolve));
  // The deadline is the unit's own (the run's timeouts, scaled by --timeout-multiplier), not a test bound.
  const { dir, kept } = run(() => late, 20);
  const observations = await kept;
  expect(observations.map((o) => [o.clause, o.outcome])).toEqual(unit.clauseIds.map((c) => [c, 'error']));
  expect(observations[0].message).toBe("suite file f, test 'a/sequence': did not finish within 20 ms (a slow target needs a larger --timeout-multiplier)");
  finish(unit.clauseIds.map(pass));
  await new Promise((r) => setImmediate(r));
  expect(readObservations(dir).map((o) => o.outcome)).toEqual(['error', 'error']);
  expect(isDone(readDone(dir), 'f', unit.test)).toBe(true);
});

it('makes every clause of a unit that threw ERROR, with what it threw', async () => {
  const { dir, kept } = run(async () => {
    throw new Error('Disconnect: crash: the adapter exited with code 70');
  });
  expect((await kept).map((o) => [o.outcome, o.message])).toEqual(
    unit.clauseIds.map(() => ['error', "suite file f, test 'a/sequence': Disconnect: crash: the adapter exited with code 70"]),
  );
  expect(isDone(readDone(dir), 'f', unit.test)).toBe(true);
});
