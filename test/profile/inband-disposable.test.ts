// Safe on a live cluster (docs/profiles.md, "Disposable roles"): the in-band stimuli offer a Reset that
// only undoes their own changes, so unlike a control adapter's Reset (a rebuilt cluster) it makes no role
// the suite's to change. A sequence that changes a role's state in-band is NOT-TESTED naming the role
// unless the profile marks the role disposable, and is run when it does.
import { RoleBindings } from '../../harness/profile/bindings';
import { runSequence } from '../../harness/sequence/interpret';
import type { Sequence } from '../../harness/sequence/types';
import { withInbandStimuli } from '../../harness/stimulus/inband';
import { createBuiltinTarget } from '../../harness/target/builtin';

const ADD = '3.1.4.2.61/R2';
const READ = '3.1.4.2.66/R1';

const SEQUENCE: Sequence = {
  id: 'test/inband-disposable',
  title: 'a role taken offline in-band',
  clauses: { add: { 3: ADD }, read: { 3: READ } },
  steps: [
    { call: 'ApiCreateNotify', save: { hNotify: 'port' } },
    { call: 'ApiOpenResource', args: ['@resource'], save: { hResource: 'r' } },
    { call: 'ApiAddNotifyResource', args: ['$port', '$r', 'RESOURCE_STATE', 2], check: 'add' },
    { control: { verb: 'SetState', objectType: 'resource', name: '@resource', state: 3 } },
    { read: '$port', expect: [{ dwNotifyKey: 2, dwFilter: 'RESOURCE_STATE', Name: '@resource' }], check: 'read' },
  ],
};

async function observe(disposable: readonly ('resource' | 'group')[]): Promise<Record<string, string>> {
  const target = createBuiltinTarget({});
  const inband = withInbandStimuli({ ...target, control: undefined }, { protocolVersion: 3, callMs: 2000 });
  // Names as a discovery or a profile would bind them, with only `disposable` the suite's to change.
  const roles = RoleBindings.of({ roles: { resource: 'App Service', group: 'App Group' }, disposable: [...disposable] }, 'a test profile');
  try {
    const observations = await runSequence(SEQUENCE, { target: inband, protocolVersion: 3, timeouts: { callMs: 2000, readMs: 200 }, replay: (id) => `--clause ${id}`, roles });
    return Object.fromEntries(observations.map((o) => [o.clause, `${o.outcome}: ${o.message}`]));
  } finally {
    await inband.dispose();
  }
}

test('without the role marked disposable, an in-band state change of it is not made: NOT-TESTED naming the role', async () => {
  const seen = await observe([]);
  for (const id of [ADD, READ]) expect(seen[id]).toMatch(/^not-tested: .*role @resource is not disposable/);
});

test('with the role marked disposable, the sequence runs and its checks are judged', async () => {
  const seen = await observe(['resource']);
  expect(seen[ADD]).toMatch(/^pass: /);
  expect(seen[READ]).toMatch(/^pass: .*\[stimuli in-band, through MS-CMRP\]$/);
});
