// The in-band stimuli's power: a server whose management methods change the cluster without announcing
// it (mutant management-state-unannounced: ApiOfflineGroup, ApiOnlineResource, ... post no indication,
// while a control adapter's changes are announced as usual) is caught, in-band, by the clauses it claims
// to break; the same in-band run against the reference gives those clauses no FAIL.
import { resolveTrips } from '../../harness/cli/mutants';
import { loadCatalogue } from '../../harness/catalogue/load';
import { runAllSequences } from '../../harness/sequence/run-all';
import { defaultTimeouts } from '../../harness/session/session';
import { withInbandStimuli } from '../../harness/stimulus/inband';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { judge } from '../../harness/verdict/judge';
import { listMutants } from '../../reference/mutants';
import type { ProtocolVersion } from '../../cmrp/constants';

const MUTANT = 'management-state-unannounced';
const catalogue = loadCatalogue();
const timeouts = { ...defaultTimeouts(0.1), readMs: 50 };

async function inbandVerdicts(mutant: string | undefined, version: ProtocolVersion): Promise<Map<string, { verdict: string; message: string }>> {
  const builtin = createBuiltinTarget(mutant ? { mutant } : {});
  // The builtin target without its control adapter: every stimulus goes through MS-CMRP.
  const target = withInbandStimuli({ ...builtin, control: undefined }, { protocolVersion: version, callMs: timeouts.callMs });
  try {
    const observations = await runAllSequences(target, version, timeouts);
    const selection = catalogue.filter((c) => c.versions.includes(version));
    return new Map(judge(selection, observations).map((v) => [v.id, { verdict: v.verdict, message: (v.message ?? '').split('\n')[0]! }]));
  } finally {
    await target.dispose();
  }
}

test('the mutant is declared in-band only (the control-adapter power proofs leave it to this file)', () => {
  expect(listMutants().find((m) => m.name === MUTANT)?.inband).toBe(true);
});

describe.each([3, 2] as const)('protocol version %i', (version) => {
  const [mutant] = resolveTrips(listMutants().filter((m) => m.name === MUTANT), catalogue);
  const trips = mutant!.trips.filter((t) => catalogue.find((c) => c.id === t.clause)?.versions.includes(version)).map((t) => t.clause!);

  test('caught in-band by each clause it claims to break; the reference keeps them in the same run', async () => {
    expect(trips.length).toBeGreaterThan(0);
    const caught = await inbandVerdicts(MUTANT, version);
    expect(trips.map((id) => [id, caught.get(id)?.verdict])).toEqual(trips.map((id) => [id, 'FAIL']));
    for (const id of trips) expect(caught.get(id)?.message).toMatch(/stimuli in-band/);
    const reference = await inbandVerdicts(undefined, version);
    expect(trips.filter((id) => ['FAIL', 'ERROR'].includes(reference.get(id)?.verdict ?? ''))).toEqual([]);
  }, 120_000);
});
