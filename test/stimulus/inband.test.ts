// The in-band stimulus binding (harness/stimulus/inband.ts) against the reference in process: each verb it
// offers posts, through the management methods, the events the control verb posts; what it cannot cause it
// says (cannot); a refusal is a StimulusRefused (checks after it INCONCLUSIVE), never a silent success; its
// Reset gives the cluster back as it found it; and --stimuli chooses the path as documented.
import { CLUSTER_CHANGE } from '../../cmrp/constants';
import type { ClusapiConnection, Target } from '../../cmrp/contract';
import { UsageError } from '../../cmrp/errors';
import { InbandStimuli, StimulusRefused, UNSETTLED_REASON, withInbandStimuli } from '../../harness/stimulus/inband';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { createTarget } from '../../harness/target/resolve';

const CALL_MS = 2000;

/** The builtin reference without its control adapter: only the management methods can change it. */
function bare(): Target {
  const t = createBuiltinTarget();
  return { ...t, control: undefined, connect: (o) => t.connect(o), dispose: () => t.dispose() };
}

async function groupState(c: ClusapiConnection, name: string): Promise<number> {
  const { hGroup } = (await c.ApiOpenGroup(name)) as { hGroup: string };
  const { State } = (await c.ApiGetGroupState(hGroup)) as { State: number };
  await c.ApiCloseGroup(hGroup);
  return State;
}

describe.each([2, 3] as const)('protocol version %i', (version) => {
  let target: Target;
  let stimuli: InbandStimuli;
  let c: ClusapiConnection;
  beforeEach(async () => {
    target = bare();
    stimuli = new InbandStimuli(target, { protocolVersion: version, callMs: CALL_MS });
    c = await target.connect({ protocolVersion: version });
  });
  afterEach(async () => {
    await c.close();
    await stimuli.dispose();
    await target.dispose();
  });

  it('takes a group offline with ApiOfflineGroup: the watching port gets GROUP_STATE, and Reset brings it back online', async () => {
    const { hNotify } = (await c.ApiCreateNotify()) as { hNotify: string };
    const { hGroup } = (await c.ApiOpenGroup('App Group')) as { hGroup: string };
    await c.ApiAddNotifyGroup(hNotify, hGroup, CLUSTER_CHANGE.GROUP_STATE, 7);
    await stimuli.apply({ verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 });
    const read = (await c.ApiGetNotify(hNotify, 1000)) as { status: number; dwFilter: number; Name: string; dwNotifyKey: number };
    expect(read).toMatchObject({ status: 0, dwFilter: CLUSTER_CHANGE.GROUP_STATE, Name: 'App Group', dwNotifyKey: 7 });
    expect(await groupState(c, 'App Group')).toBe(1);
    await stimuli.apply({ verb: 'Reset' });
    expect(await groupState(c, 'App Group')).toBe(0);
  });

  it('creates and deletes only its own objects and keys, and Reset removes what is left', async () => {
    await stimuli.apply({ verb: 'AddObject', objectType: 'group', name: 'cmrp-conformance g', node: 'node1' });
    await stimuli.apply({ verb: 'AddObject', objectType: 'resource', name: 'cmrp-conformance r', group: 'cmrp-conformance g' });
    await stimuli.apply({ verb: 'RegistryCreateKey', path: 'Parameters\\cmrp-conformance k' });
    await expect(stimuli.apply({ verb: 'DeleteObject', objectType: 'resource', name: 'App Service' })).rejects.toBeInstanceOf(StimulusRefused);
    await expect(stimuli.apply({ verb: 'RegistryDeleteKey', path: 'Parameters' })).rejects.toThrow(/deletes only keys of its own, not 'Parameters'/);
    await stimuli.apply({ verb: 'Reset' });
    expect((await c.ApiOpenGroup('cmrp-conformance g')).status).not.toBe(0);
    expect((await c.ApiOpenResource('cmrp-conformance r')).status).not.toBe(0);
    const { hKey } = (await c.ApiGetRootKey(0x20019)) as { hKey: string };
    expect((await c.ApiOpenKey(hKey, 'Parameters\\cmrp-conformance k', 0x20019)).status).not.toBe(0);
    expect((await c.ApiOpenKey(hKey, 'Parameters', 0x20019)).status).toBe(0);
  });

  it('a refusal of the server is a StimulusRefused naming the call and the status', async () => {
    // node2 is up: there is nothing to resume.
    await expect(stimuli.apply({ verb: 'SetState', objectType: 'node', name: 'node2', state: 0 })).rejects.toThrow(/ApiResumeNode returned status 0x13c2/);
    await expect(stimuli.apply({ verb: 'AddObject', objectType: 'group', name: 'App Group' })).rejects.toThrow(/already exists/);
  });
});

it('says what MS-CMRP cannot cause, and that it keeps no settled rule', () => {
  const stimuli = new InbandStimuli(bare(), { protocolVersion: 3, callMs: CALL_MS });
  expect(stimuli.unsettled).toBe(UNSETTLED_REASON);
  expect(stimuli.verbs.has('SetServerState')).toBe(false);
  expect(stimuli.verbs.has('DropEvents')).toBe(false);
  expect(stimuli.verbs.has('Failover')).toBe(false);
  expect(stimuli.cannot({ verb: 'SetState', objectType: 'network', name: 'n', state: 1 }, [])).toMatch(/no method that changes a network's state/);
  expect(stimuli.cannot({ verb: 'SetState', objectType: 'group', name: 'g', state: 2 }, [])).toMatch(/no method that puts a group in state 2/);
  expect(stimuli.cannot({ verb: 'AddObject', objectType: 'node', name: 'n' }, [])).toMatch(/creates a node/);
  expect(stimuli.cannot({ verb: 'DeleteObject', objectType: 'group', name: 'g' }, [])).toMatch(/deletes only objects of its own, not the group 'g'/);
  expect(stimuli.cannot({ verb: 'DeleteObject', objectType: 'group', name: 'g' }, [{ verb: 'AddObject', objectType: 'group', name: 'G' }])).toBeUndefined();
  expect(stimuli.cannot({ verb: 'SetState', objectType: 'resource', name: 'r', state: 4 }, [])).toBeUndefined();
});

describe('--stimuli', () => {
  it('auto keeps the control adapter where the target has one; inband replaces it; a bad value is a usage error', async () => {
    const auto = await createTarget('builtin');
    expect(auto.control?.unsettled).toBeUndefined();
    await auto.dispose();
    const inband = await createTarget('builtin', { stimuli: 'inband' });
    expect(inband.control?.unsettled).toBe(UNSETTLED_REASON);
    expect(inband.description).toContain('stimuli in-band');
    await inband.dispose();
    await expect(createTarget('builtin', { stimuli: 'sometimes' })).rejects.toBeInstanceOf(UsageError);
  });

  it('withInbandStimuli closes its own connection with the target', async () => {
    const base = bare();
    const wrapped = withInbandStimuli(base, { protocolVersion: 3, callMs: CALL_MS });
    await wrapped.control!.apply({ verb: 'RegistrySetValue', path: 'Parameters', valueName: 'cmrp-conformance', data: 1 });
    await expect(wrapped.dispose()).resolves.toBeUndefined();
  });
});
