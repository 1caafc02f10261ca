// In-band SetProperty (Api*Control with CLUSCTL_*_SET_COMMON_PROPERTIES): its power and its limits.
// - The mutant management-property-unannounced (a property set through Api*Control posts no indication; a
//   control adapter's changes are announced) is caught in-band by GROUP_PROPERTY; the reference is not failed.
// - Without a profile allowing it, a property of an object not of the suite's own is not set: the clause is
//   NOT-TESTED naming the profile's "properties"; the value set is restored by the in-band Reset.
import { RoleBindings } from '../../harness/profile/bindings';
import { ANY_PROPERTY, propertyPolicy } from '../../harness/profile/properties';
import { InbandStimuli } from '../../harness/stimulus/inband';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { listMutants } from '../../reference/mutants';
import { readPropertyList } from '../../wire/clusapi/payload';
import { inbandVerdicts, tripsOf } from './inband-verdicts';

const MUTANT = 'management-property-unannounced';

test('the mutant is declared in-band only', () => {
  expect(listMutants().find((m) => m.name === MUTANT)?.inband).toBe(true);
});

describe.each([3, 2] as const)('protocol version %i', (version) => {
  const trips = tripsOf(MUTANT, version);

  test('caught in-band by the clause it breaks; the reference keeps it; without a policy the clause is NOT-TESTED saying why', async () => {
    expect(trips.length).toBeGreaterThan(0);
    const caught = await inbandVerdicts(MUTANT, version, ANY_PROPERTY);
    expect(trips.map((id) => [id, caught.get(id)?.verdict])).toEqual(trips.map((id) => [id, 'FAIL']));
    const reference = await inbandVerdicts(undefined, version, ANY_PROPERTY);
    // The reference is not failed (GROUP_PROPERTY's sequence ends in an absence: INCONCLUSIVE in-band, by design).
    expect(trips.filter((id) => ['FAIL', 'ERROR'].includes(reference.get(id)?.verdict ?? ''))).toEqual([]);
    expect([...reference.values()].filter((v) => v.verdict === 'FAIL' || v.verdict === 'ERROR')).toEqual([]);
    const unallowed = await inbandVerdicts(undefined, version);
    for (const id of trips) expect(unallowed.get(id)).toEqual({ verdict: 'NOT-TESTED', message: expect.stringMatching(/"properties"/) });
  }, 180_000);
});

test('the in-band Reset sets a property back to the value the server listed before', async () => {
  const builtin = createBuiltinTarget({});
  const stimuli = new InbandStimuli({ ...builtin, control: undefined }, { protocolVersion: 3, callMs: 2000, properties: ANY_PROPERTY });
  const c = await builtin.connect({ protocolVersion: 3, accessLevel: 'full' });
  const description = async () => {
    const { hGroup } = (await c.ApiOpenGroup('App Group')) as { hGroup: string };
    const reply = (await c.ApiGroupControl!(hGroup, 0x03000059, null, 0, 4096)) as { lpOutBuffer: string };
    await c.ApiCloseGroup(hGroup);
    return readPropertyList(reply.lpOutBuffer).find((p) => p.name === 'Description')?.value;
  };
  try {
    await stimuli.apply({ verb: 'SetProperty', objectType: 'group', name: 'App Group', property: 'Description', value: 'first' });
    expect(await description()).toBe('first');
    await stimuli.apply({ verb: 'Reset' });
    await stimuli.apply({ verb: 'SetProperty', objectType: 'group', name: 'App Group', property: 'Description', value: 'second' });
    await stimuli.apply({ verb: 'SetProperty', objectType: 'group', name: 'App Group', property: 'Description', value: 'third' });
    await stimuli.apply({ verb: 'Reset' });
    // The group listed no Description before the first change: an empty string is what it goes back to.
    expect(await description()).toBe('');
  } finally {
    await c.close();
    await stimuli.dispose();
    await builtin.dispose();
  }
});

test('a profile allows a listed property of a role, a disposable group or resource, and nothing else', () => {
  const bindings = RoleBindings.of({ roles: { cluster: 'C', node: 'N1', group: 'G', resource: 'R' }, disposable: ['group'], properties: { node: ['Description'] } }, '--profile p.json');
  const policy = propertyPolicy(bindings);
  expect(policy({ verb: 'SetProperty', objectType: 'node', name: 'n1', property: 'description', value: 'x' })).toBeUndefined();
  expect(policy({ verb: 'SetProperty', objectType: 'group', name: 'G', property: 'Anything', value: 1 })).toBeUndefined();
  expect(policy({ verb: 'SetProperty', objectType: 'node', name: 'N1', property: 'NodeWeight', value: 1 })).toMatch(/--profile p.json does not let the suite set NodeWeight of role @node/);
  expect(policy({ verb: 'SetProperty', objectType: 'resource', name: 'R', property: 'Description', value: 'x' })).toMatch(/"disposable"/);
  expect(policy({ verb: 'SetProperty', objectType: 'cluster', name: 'C', property: 'Description', value: 'x' })).toMatch(/role @cluster/);
});
