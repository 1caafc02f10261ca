// Leftovers without a control adapter (issue 14, "safe on a live cluster"): the in-band binding lists the
// groups and resources of the suite's own (any run's prefix) with ApiCreateEnum and deletes them through
// MS-CMRP; it deletes nothing else, and a leftover group holding a resource of the cluster's is not
// deleted with it.
import * as path from 'node:path';
import type { ClusterControl, ListedObject } from '../../cmrp/control';
import type { Target } from '../../cmrp/contract';
import { OWN_PREFIX_ROOT } from '../../harness/profile/own';
import { withInbandStimuli, StimulusRefused } from '../../harness/stimulus/inband';
import { sweep } from '../../harness/suite/cleanup';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { loadClusterFile } from '../../reference';

const CLUSTER = loadClusterFile(path.resolve(__dirname, '../../examples/clusters/other-names.json'));
const STRAY = `${OWN_PREFIX_ROOT}kill02-`;

describe.each([3, 2] as const)('protocol version %i', (version) => {
  let served: Target;
  /** The reference's own control: what seeds the leftovers and looks at the result. */
  let truth: ClusterControl;
  let inband: Target;

  beforeEach(() => {
    served = createBuiltinTarget({ cluster: CLUSTER });
    truth = served.control!;
    // The same cluster without its control adapter: only MS-CMRP.
    inband = withInbandStimuli({ ...served, control: undefined, dispose: async () => undefined }, { protocolVersion: version, callMs: 5000 });
  });
  afterEach(async () => {
    await inband.dispose();
    await served.dispose();
  });

  const names = (found: ListedObject[]) => found.map((o) => ('name' in o ? `${o.objectType}:${o.name}` : o.objectType)).sort();

  test('ListObjects finds the groups and resources of an earlier run by prefix, and the sweep deletes them and nothing else', async () => {
    await truth.apply({ verb: 'AddObject', objectType: 'group', name: `${STRAY}group` });
    await truth.apply({ verb: 'AddObject', objectType: 'resource', name: `${STRAY}res`, group: `${STRAY}group`, resourceType: 'Address' });
    await truth.apply({ verb: 'AddObject', objectType: 'group', name: 'cmrp-conformance-lookalike' });
    expect(names(await inband.control!.listObjects!(OWN_PREFIX_ROOT))).toEqual([`group:${STRAY}group`, `resource:${STRAY}res`]);

    const swept = await sweep(inband.control, OWN_PREFIX_ROOT, 5000);
    expect(swept.failed).toEqual([]);
    expect(swept.deleted).toHaveLength(2);
    expect(await truth.listObjects!(OWN_PREFIX_ROOT)).toEqual([]);
    // What is not the suite's own stays.
    expect(names(await truth.listObjects!('cmrp-conformance-lookalike'))).toEqual(['group:cmrp-conformance-lookalike']);
  });

  test('an object not of the suite\'s own is never deleted in-band', async () => {
    await expect(inband.control!.apply({ verb: 'DeleteObject', objectType: 'group', name: 'Ledger Role' })).rejects.toThrow(StimulusRefused);
    expect(names(await truth.listObjects!('Ledger Role'))).toEqual(['group:Ledger Role']);
  });

  test('a leftover group holding a resource of the cluster\'s is not deleted, nor the resource with it', async () => {
    await truth.apply({ verb: 'AddObject', objectType: 'group', name: `${STRAY}holder` });
    await truth.apply({ verb: 'MoveResource', name: 'Ledger Writer', group: `${STRAY}holder` });
    const swept = await sweep(inband.control, OWN_PREFIX_ROOT, 5000);
    expect(swept.failed).toHaveLength(1);
    expect(names(await truth.listObjects!('Ledger Writer'))).toEqual(['resource:Ledger Writer']);
  });
});
