// The suite's proof of power: the reference keeps every clause the suite exercises, and every mutant of
// it fails each clause it claims to break, in each protocol version the claim applies to. The vectors
// and the interpreter are the ones the suites run; only the Jest glue is bypassed, for speed. One test
// file per protocol version (power-v2/-v3.test.ts) lets Jest run them on both cores.
import { loadCatalogue } from '../../harness/catalogue/load';
import type { Clause } from '../../harness/catalogue/types';
import { resolveTrips } from '../../harness/cli/mutants';
import { runAllSequences } from '../../harness/sequence/run-all';
import { defaultTimeouts, type Timeouts } from '../../harness/session/session';
import type { ProtocolVersion } from '../../cmrp/constants';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { listMutants } from '../../reference/mutants';
import { TRANSPORT_CLAUSES } from '../../harness/suite/transport-security';
import { judge } from '../../harness/verdict/judge';
import type { ClauseVerdict } from '../../harness/verdict/types';

export const catalogue = loadCatalogue();
const catalogueIds = new Set(catalogue.map((c) => c.id));
// The reference is in-process: a call answers within the same turn of the event loop, and an event a
// stimulus queued is there at once, so a read waits 20 ms for it (what a mutant's missing event costs).
// Calls keep half a second: the sequences' own version 2 Timeouts (up to 300 ms) must run out within it.
// Each pass has its own record of hangs (runAllSequences), so a mutant that hangs waits that half second
// once per method, not once per call.
const timeouts: Timeouts = { ...defaultTimeouts(0.1), readMs: 20 };

export async function verdictsFor(mutant: string | undefined, version: ProtocolVersion): Promise<Map<string, ClauseVerdict>> {
  const target = createBuiltinTarget({ mutant });
  try {
    const observations = await runAllSequences(target, version, timeouts);
    const selection = catalogue.filter((c) => c.versions.includes(version));
    return new Map(judge(selection, observations, { catalogueIds }).map((v) => [v.id, v]));
  } finally {
    await target.dispose();
  }
}

// Clauses only a binding with an RPC runtime can judge are NOT-TESTED here (the wire tests judge them), and
// so are the transport clauses of 2.1 and 3.1.3 (suites/2.1-transport-security.spec.ts; their power is
// proven in test/suite/transport-security.test.ts).
export const judged = (c: Clause) =>
  c.party === 'server' && c.testable && !c.untestedReason && !c.needs.includes('rpc-runtime') && !TRANSPORT_CLAUSES.includes(c.id);

/** Declares the proofs for one protocol version. */
export function provePower(version: ProtocolVersion): void {
  describe(`protocol version ${version}`, () => {
    it('the reference server keeps every clause the suite exercises, and every testable server clause is judged', async () => {
      const verdicts = await verdictsFor(undefined, version);
      const problems = [...verdicts.values()].filter((v) => v.verdict !== 'PASS' && v.verdict !== 'NOT-TESTED').map((v) => `${v.id} ${v.verdict}: ${v.message}`);
      expect(problems).toEqual([]);
      const unjudged = catalogue.filter((c) => c.versions.includes(version) && judged(c) && verdicts.get(c.id)?.verdict !== 'PASS').map((c) => `${c.id} ${c.title}`);
      expect(unjudged).toEqual([]);
    });

    // Wire mutants break the transport, which only a served reference has: transport-security.test.ts proves those.
    const mutants = resolveTrips(listMutants().filter((m) => !m.wire), catalogue)
      .map((m) => ({ ...m, trips: m.trips.filter((t) => t.clause && catalogue.find((c) => c.id === t.clause)!.versions.includes(version)) }))
      .filter((m) => m.trips.length);

    it.each(mutants.map((m) => [m.name, m] as const))('mutant %s fails every clause it claims to break', async (name, mutant) => {
      const verdicts = await verdictsFor(name, version);
      const missed = mutant.trips
        .filter((t) => !['FAIL', 'NON-STRICT'].includes(verdicts.get(t.clause!)?.verdict ?? 'NOT-TESTED'))
        .map((t) => `${t.clause} (${t.title}) is ${verdicts.get(t.clause!)?.verdict}`);
      expect(missed).toEqual([]);
    });
  });
}

/** Every clause a mutant claims to break is in the catalogue. */
export function checkClaims(): void {
  it('every mutant claim names a catalogue clause', () => {
    const unresolved = resolveTrips(listMutants(), catalogue).flatMap((m) => m.trips.filter((t) => !t.clause).map((t) => `${m.name}: ${t.section} "${t.title}"`));
    expect(unresolved).toEqual([]);
  });
}
