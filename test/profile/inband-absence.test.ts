// After an in-band stimulus (docs/stimuli.md, "the settled rule"): an absence is INCONCLUSIVE whatever the
// port shows, never PASS and never FAIL; when the port was released empty the sequence goes on, so a later
// check on another port is judged; an event at the absence stops the sequence, naming the event. And a
// stimulus the binding cannot apply ends the sequence there, the checks before it judged.
import { runSequence, type SequenceContext } from '../../harness/sequence/interpret';
import type { Sequence } from '../../harness/sequence/types';
import { withInbandStimuli } from '../../harness/stimulus/inband';
import { createBuiltinTarget } from '../../harness/target/builtin';
import type { Target } from '../../cmrp/contract';

const ADD = '3.1.4.2.60/R2';
const READ = '3.1.4.2.66/R1';
const ABSENT = '3.1.4.2.66/R2';
const LATER = '3.1.4.2.61/R2';

/** `filter`: what the first port watches cluster-wide; `stimulus`: the in-band change. */
function sequence(filter: string, stimulus: Sequence['steps'][number]): Sequence {
  return {
    id: 'test/inband-absence',
    title: 'in-band change, read, absence, then another port',
    clauses: { add: { 3: ADD }, read: { 3: READ }, absent: { 3: ABSENT }, later: { 3: LATER } },
    steps: [
      { call: 'ApiCreateNotify', save: { hNotify: 'port' } },
      { call: 'ApiOpenCluster', save: { hCluster: 'cluster' } },
      { call: 'ApiAddNotifyCluster', args: ['$port', '$cluster', filter, 1] },
      { call: 'ApiCreateNotify', save: { hNotify: 'port2' } },
      { call: 'ApiOpenResource', args: ['App Service'], save: { hResource: 'r' } },
      { call: 'ApiAddNotifyResource', args: ['$port2', '$r', 'RESOURCE_STATE', 2], check: 'add' },
      stimulus,
      { read: '$port', expect: [{ dwNotifyKey: 1, Name: 'App Service' }], check: 'read' },
      { absent: '$port', check: 'absent' },
      { read: '$port2', expect: [{ dwNotifyKey: 2, dwFilter: 'RESOURCE_STATE', Name: 'App Service' }], check: 'later' },
    ],
  };
}

const OFFLINE = { control: { verb: 'SetState', objectType: 'resource', name: 'App Service', state: 3 } } as const;

async function observe(seq: Sequence, target: Target = createBuiltinTarget({})): Promise<Record<string, string>> {
  const inband = withInbandStimuli({ ...target, control: undefined }, { protocolVersion: 3, callMs: 2000 });
  const ctx: SequenceContext = { target: inband, protocolVersion: 3, timeouts: { callMs: 2000, readMs: 200 }, replay: (id) => `--clause ${id}` };
  try {
    const observations = await runSequence(seq, ctx);
    return Object.fromEntries(observations.map((o) => [o.clause, `${o.outcome}: ${o.message}`]));
  } finally {
    await inband.dispose();
  }
}

test('an absence released empty is INCONCLUSIVE and the sequence goes on to the other port', async () => {
  const seen = await observe(sequence('RESOURCE_STATE', OFFLINE));
  expect(seen[READ]).toMatch(/^pass: /);
  expect(seen[ABSENT]).toMatch(/^inconclusive: .*absence of further events not proven.*showed none/);
  expect(seen[LATER]).toMatch(/^pass: .*\[stimuli in-band, through MS-CMRP\]$/);
});

test('an event at the absence is INCONCLUSIVE naming it, never FAIL, and stops the sequence', async () => {
  // Watching group states too: taking the resource offline also takes its group offline, an event the
  // read does not expect, so the absence meets it.
  const seen = await observe(sequence('RESOURCE_STATE|GROUP_STATE', OFFLINE));
  expect(seen[ABSENT]).toMatch(/^inconclusive: .*ApiGetNotify returned \[.*App Group.*not judged after an in-band one/);
  expect(seen[LATER]).toMatch(/^inconclusive: .*not reached: step 9: absence of further events not proven/);
});

test('a stimulus MS-CMRP cannot cause ends the sequence there: the checks before it are judged, the rest NOT-TESTED', async () => {
  const seen = await observe(sequence('RESOURCE_STATE', { control: { verb: 'SetServerState', state: 'read-only' } }));
  expect(seen[ADD]).toMatch(/^pass: /);
  for (const id of [READ, ABSENT, LATER]) expect(seen[id]).toMatch(/^not-tested: .*the target's in-band stimuli lack SetServerState \(the sequence stops at step 7/);
});

/** The same for a version 2 port: absentV2 after an in-band stimulus. */
function sequenceV2(stimulus: Sequence['steps'][number]): Sequence {
  return {
    id: 'test/inband-absence-v2',
    title: 'in-band change, v2 read, v2 absence, then another port',
    clauses: { read: { 3: READ }, absent: { 3: ABSENT }, later: { 3: LATER } },
    steps: [
      { call: 'ApiCreateNotifyV2', save: { hNotify: 'port' } },
      { call: 'ApiOpenGroup', args: ['App Group'], save: { hGroup: 'group' } },
      { call: 'ApiAddNotifyV2', args: ['$port', '$group', 'CLUSTER_OBJECT_TYPE_GROUP', 'CLUSTER_CHANGE_GROUP_STATE_V2', 4, 2, true] },
      { call: 'ApiCreateNotify', save: { hNotify: 'port2' } },
      { call: 'ApiOpenResource', args: ['App Service'], save: { hResource: 'r' } },
      { call: 'ApiAddNotifyResource', args: ['$port2', '$r', 'RESOURCE_STATE', 2] },
      stimulus,
      { readV2: '$port', expect: [{ dwNotifyKey: 4, FilterFlags: 'CLUSTER_CHANGE_GROUP_STATE_V2' }], check: 'read' },
      { absentV2: '$port', check: 'absent' },
      { read: '$port2', expect: [{ dwNotifyKey: 2, dwFilter: 'RESOURCE_STATE', Name: 'App Service' }], check: 'later' },
    ],
  };
}

test('a version 2 absence released empty is INCONCLUSIVE and the sequence goes on', async () => {
  // Taking the resource offline takes its group offline too: one GROUP_STATE entry on the v2 port.
  const seen = await observe(sequenceV2(OFFLINE));
  expect(seen[READ]).toMatch(/^pass: /);
  expect(seen[ABSENT]).toMatch(/^inconclusive: .*absence of further events not proven.*showed none/);
  expect(seen[LATER]).toMatch(/^pass: .*\[stimuli in-band, through MS-CMRP\]$/);
});

test('an entry at a version 2 absence is INCONCLUSIVE naming it, never FAIL, and stops the sequence', async () => {
  // The group offline, then online again: two GROUP_STATE entries; the read takes one, the absence meets the other.
  const seq = sequenceV2({ control: { verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 } });
  seq.steps.splice(7, 0, { control: { verb: 'SetState', objectType: 'group', name: 'App Group', state: 0 } });
  const seen = await observe(seq);
  expect(seen[ABSENT]).toMatch(/^inconclusive: .*returned \[.*GROUP_STATE_V2, Name: "App Group".*not judged after an in-band one/);
  expect(seen[LATER]).toMatch(/^inconclusive: .*not reached/);
});
