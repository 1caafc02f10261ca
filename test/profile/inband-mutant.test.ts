// The in-band stimuli's power: a server whose management methods change the cluster without announcing
// it (mutant management-state-unannounced: ApiOfflineGroup, ApiOnlineResource, ... post no indication,
// while a control adapter's changes are announced as usual) is caught, in-band, by the clauses it claims
// to break; the same in-band run against the reference gives those clauses no FAIL.
import { listMutants } from '../../reference/mutants';
import { inbandVerdicts, tripsOf } from './inband-verdicts';

const MUTANT = 'management-state-unannounced';

test('the mutant is declared in-band only (the control-adapter power proofs leave it to this file)', () => {
  expect(listMutants().find((m) => m.name === MUTANT)?.inband).toBe(true);
});

describe.each([3, 2] as const)('protocol version %i', (version) => {
  const trips = tripsOf(MUTANT, version);

  test('caught in-band by each clause it claims to break; the reference keeps them in the same run', async () => {
    expect(trips.length).toBeGreaterThan(0);
    const caught = await inbandVerdicts(MUTANT, version);
    expect(trips.map((id) => [id, caught.get(id)?.verdict])).toEqual(trips.map((id) => [id, 'FAIL']));
    for (const id of trips) expect(caught.get(id)?.message).toMatch(/stimuli in-band/);
    const reference = await inbandVerdicts(undefined, version);
    expect(trips.filter((id) => ['FAIL', 'ERROR'].includes(reference.get(id)?.verdict ?? ''))).toEqual([]);
  }, 120_000);
});
