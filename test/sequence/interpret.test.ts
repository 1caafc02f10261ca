// The interpreter's promises, each against a target that breaks them on purpose: a hang, garbage, a
// crash, a missing control verb, a failed setup step. None may ever come out as PASS.
import { runSequence, type SequenceContext } from '../../harness/sequence/interpret';
import type { Sequence } from '../../harness/sequence/types';
import { createBuiltinTarget } from '../../harness/target/builtin';
import type { ClusapiConnection, Target } from '../../cmrp/contract';

const ADD = '3.1.4.2.60/R2';
const READ = '3.1.4.2.66/R1';

const sequence: Sequence = {
  id: 'test/add-and-read',
  title: 'register, change, read',
  clauses: { add: { 3: ADD }, read: { 3: READ } },
  steps: [
    { call: 'ApiCreateNotify', save: { hNotify: 'port' } },
    { call: 'ApiOpenGroup', args: ['App Group'], save: { hGroup: 'g' } },
    { call: 'ApiAddNotifyGroup', args: ['$port', '$g', 'GROUP_STATE', 1], expect: { status: 'ERROR_SUCCESS' }, check: 'add' },
    { control: { verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 } },
    { read: '$port', expect: [{ dwNotifyKey: 1, dwFilter: 'GROUP_STATE', Name: 'App Group' }], check: 'read' },
  ],
};

/** The reference with one method replaced. */
function breaking(method: keyof ClusapiConnection, replacement: (...args: unknown[]) => Promise<unknown>, options: { dropVerb?: string } = {}): Target {
  const target = createBuiltinTarget({});
  const control = options.dropVerb && target.control
    ? { verbs: new Set([...target.control.verbs].filter((v) => v !== options.dropVerb)), apply: target.control.apply.bind(target.control) }
    : target.control;
  return {
    description: 'broken',
    capabilities: target.capabilities,
    control,
    dispose: () => target.dispose(),
    connect: async (o) => {
      const connection = await target.connect(o);
      return new Proxy(connection, { get: (c, key) => (key === method ? replacement : Reflect.get(c, key)) });
    },
  } as Target;
}

async function observe(target: Target): Promise<Record<string, string>> {
  const ctx: SequenceContext = { target, protocolVersion: 3, timeouts: { callMs: 200, readMs: 100 }, replay: (id) => `--clause ${id}` };
  try {
    const observations = await runSequence(sequence, ctx);
    return Object.fromEntries(observations.map((o) => [o.clause, `${o.outcome}: ${o.message}`]));
  } finally {
    await target.dispose();
  }
}

describe('the interpreter', () => {
  it('passes the reference on both checks', async () => {
    const seen = await observe(createBuiltinTarget({}));
    expect(seen[ADD]).toMatch(/^pass/);
    expect(seen[READ]).toMatch(/^pass/);
  });

  it('turns a hung call into ERROR naming the call, never PASS', async () => {
    const seen = await observe(breaking('ApiAddNotifyGroup', () => new Promise(() => undefined)));
    expect(seen[ADD]).toMatch(/^error: .*ApiAddNotifyGroup\(.*timeout/);
    expect(seen[READ]).toMatch(/^error/);
  });

  it('turns a garbage reply into ERROR (malformed)', async () => {
    const seen = await observe(breaking('ApiAddNotifyGroup', async () => ({ status: 'yes' })));
    expect(seen[ADD]).toMatch(/^error: .*malformed/);
  });

  it('turns a crash into ERROR', async () => {
    const seen = await observe(breaking('ApiAddNotifyGroup', async () => { throw new Error('adapter died'); }));
    expect(seen[ADD]).toMatch(/^error: .*adapter died/);
  });

  it('turns a malformed event into ERROR, not a comparison failure', async () => {
    const seen = await observe(breaking('ApiGetNotify', async () => ({ status: 0, dwNotifyKey: 'one', dwFilter: 0x1000, dwStateSequence: 1, Name: 'App Group' })));
    expect(seen[READ]).toMatch(/^error: .*dwNotifyKey/);
  });

  it('makes the checks after a failed setup step INCONCLUSIVE', async () => {
    const seen = await observe(breaking('ApiOpenGroup', async () => ({ status: 5 })));
    expect(seen[ADD]).toMatch(/^inconclusive: .*setup step 2/);
    expect(seen[READ]).toMatch(/^inconclusive/);
  });

  it('proves a missing event missing: FAIL once Unblock releases the empty read', async () => {
    const target = createBuiltinTarget({});
    const quiet = { ...target, control: { verbs: target.control!.verbs, apply: async () => undefined }, connect: target.connect.bind(target), dispose: () => target.dispose() } as Target;
    const seen = await observe(quiet);
    expect(seen[READ]).toMatch(/^fail: .*released it/);
  });

  it('reports NOT-TESTED, with the reason, when the target lacks a control verb', async () => {
    const seen = await observe(breaking('ApiCloseNotify', (...a) => Promise.resolve(a), { dropVerb: 'SetState' }));
    expect(seen[ADD]).toMatch(/^not-tested: .*lacks SetState/);
    expect(seen[READ]).toMatch(/^not-tested/);
  });
});
