// An interrupted run halts the suites' controls before its cleanup looks for what to delete
// (harness/target/halt.ts): nothing is created behind the sweep.
import type { ClusterControl, Stimulus } from '../../cmrp/control';
import { haltControls, haltable, resumeControls } from '../../harness/target/halt';

afterEach(() => resumeControls());

function recording(delayMs = 0): ClusterControl & { applied: string[] } {
  const applied: string[] = [];
  return {
    applied,
    verbs: new Set(['AddObject', 'DeleteObject']),
    apply: async (s: Stimulus) => {
      await new Promise((r) => setTimeout(r, delayMs));
      applied.push(s.verb);
    },
  };
}

const add: Stimulus = { verb: 'AddObject', objectType: 'group', name: 'cmrp-conf-x' };

test('once halted, a suite control refuses; the cleanup control still acts', async () => {
  const suite = haltable(recording());
  const cleanup = haltable(recording());
  await suite.apply(add);
  await haltControls('SIGTERM', [cleanup], 1000);
  await expect(suite.apply(add)).rejects.toThrow(/^Control\.AddObject: not sent, the run is ending \(SIGTERM\)/);
  await cleanup.apply({ verb: 'DeleteObject', objectType: 'group', name: 'cmrp-conf-x' });
  expect((cleanup as unknown as { applied: string[] }).applied).toEqual(['DeleteObject']);
  expect((suite as unknown as { applied: string[] }).applied).toEqual(['AddObject']);
});

test('the halt settles only once the stimuli already sent are answered', async () => {
  const inner = recording(50);
  const suite = haltable(inner);
  const sent = suite.apply(add);
  await haltControls('SIGINT', [], 5000);
  expect(inner.applied).toEqual(['AddObject']);
  await sent;
});

test('a stimulus that never settles holds the halt no longer than its bound', async () => {
  const suite = haltable({ verbs: new Set(['AddObject']), apply: () => new Promise<void>(() => undefined) });
  void suite.apply(add);
  const start = Date.now();
  await haltControls('SIGTERM', [], 50);
  expect(Date.now() - start).toBeLessThan(2000);
});
