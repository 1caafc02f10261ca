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
function breaking(
  method: keyof ClusapiConnection,
  replacement: (...args: unknown[]) => Promise<unknown>,
  options: { dropVerb?: string } = {},
  spy?: (args: unknown[]) => void,
): Target {
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
      const replaced = spy ? (...args: unknown[]) => (spy(args), replacement(...args)) : replacement;
      return new Proxy(connection, { get: (c, key) => (key === method ? replaced : Reflect.get(c, key)) });
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

  it('reports NOT-TESTED, with the reason, from the stimulus the target lacks on; the checks before it are judged', async () => {
    const seen = await observe(breaking('ApiCloseNotify', (...a) => Promise.resolve(a), { dropVerb: 'SetState' }));
    expect(seen[ADD]).toMatch(/^pass: /);
    expect(seen[READ]).toMatch(/^not-tested: .*lacks SetState \(the sequence stops at step \d+/);
  });
});

/** Runs a sequence against a target in one protocol version; clause -> "outcome: message" (the worst outcome kept). */
async function observeIn(version: 2 | 3, target: Target, seq: Sequence): Promise<Record<string, string>> {
  const rank = ['not-tested', 'pass', 'inconclusive', 'error', 'fail'];
  const ctx: SequenceContext = { target, protocolVersion: version, timeouts: { callMs: 300, readMs: 100 }, replay: (id) => `--clause ${id}` };
  try {
    const seen: Record<string, string> = {};
    for (const o of await runSequence(seq, ctx)) {
      const before = seen[o.clause]?.split(':')[0];
      if (!before || rank.indexOf(o.outcome) > rank.indexOf(before)) seen[o.clause] = `${o.outcome}: ${o.message}`;
    }
    return seen;
  } finally {
    await target.dispose();
  }
}

const ONCE = { 2: '3.1.4.1.60/R2', 3: '3.1.4.2.60/R2' };
const KEY_CLAUSE = { 2: '3.1.4.1.60/R6', 3: '3.1.4.2.60/R7' };
const EVENT = { 2: '3.1.4.1.60/R1', 3: '3.1.4.2.60/R1' };

/** One registration, one change, the event read (with its key in the pattern), then no further event. */
const readThenAbsent: Sequence = {
  id: 'test/read-then-absent',
  title: 'register, change, read, nothing more',
  clauses: { event: EVENT, once: ONCE },
  steps: [
    { call: 'ApiCreateNotify', save: { hNotify: 'port' } },
    { call: 'ApiOpenGroup', args: ['App Group'], save: { hGroup: 'g' } },
    { call: 'ApiAddNotifyGroup', args: ['$port', '$g', 'GROUP_STATE|GROUP_PROPERTY', 1] },
    { control: { verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 } },
    { read: '$port', expect: [{ dwNotifyKey: 1, dwFilter: 'GROUP_STATE', Name: 'App Group' }], check: 'event' },
    { absent: '$port', check: 'once' },
  ],
};

describe('absence is proven or not judged', () => {
  it.each([2, 3] as const)('version %s: the reference proves it, and the proof PASSes', async (v) => {
    const seen = await observeIn(v, createBuiltinTarget({}), readThenAbsent);
    expect(seen[ONCE[v]]).toMatch(/^pass: .*no further event/);
  });

  it('version 2: an expired timer answered with a fault is a FAIL of the timer clause, never a PASS of "no further event"', async () => {
    const seen = await observeIn(2, createBuiltinTarget({ mutant: 'v2-timeout-fault' }), readThenAbsent);
    expect(seen['3.1.4.1.66/R21']).toMatch(/^fail: .*RPC fault.*not WAIT_TIMEOUT/);
    expect(seen[ONCE[2]]).toMatch(/^inconclusive: .*not proven/);
    expect(seen[EVENT[2]]).toMatch(/^pass/);
  });

  it('version 2: a timer that never expires is a FAIL of the timer clause, the absence INCONCLUSIVE', async () => {
    const seen = await observeIn(2, createBuiltinTarget({ mutant: 'v2-no-timeout' }), readThenAbsent);
    expect(seen['3.1.4.1.66/R21']).toMatch(/^fail: .*still pending/);
    expect(seen[ONCE[2]]).toMatch(/^inconclusive/);
  });

  it('version 2: the proof uses the shortest Timeout, 0', async () => {
    const timeouts: unknown[] = [];
    const seen = await observeIn(2, breaking('ApiGetNotify', async () => ({ status: 0x102 }), {}, (args) => timeouts.push(args[1])), {
      ...readThenAbsent,
      steps: readThenAbsent.steps.filter((s) => !('read' in s)),
      clauses: { once: ONCE },
    });
    expect(seen[ONCE[2]]).toMatch(/^pass/);
    expect(timeouts).toEqual([0]);
  });

  it('version 3: a released read answering ERROR_SUCCESS without an indication FAILs the release clause only', async () => {
    const seen = await observeIn(3, createBuiltinTarget({ mutant: 'release-success' }), readThenAbsent);
    expect(seen['3.1.4.2.66/R20']).toMatch(/^fail: .*ERROR_SUCCESS and no indication/);
    expect(seen[ONCE[3]]).toMatch(/^inconclusive/);
    expect(seen[EVENT[3]]).toMatch(/^pass/);
  });

  it.each([
    ['an RPC fault', { fault: 0x6bf }, /^fail: .*RPC fault/],
    ['ERROR_INVALID_HANDLE', { status: 6 }, /^fail: .*ERROR_INVALID_HANDLE/],
  ])('version 3: a released read answering %s FAILs the release clause; the absence is INCONCLUSIVE', async (_what, answer, expected) => {
    let reads = 0;
    const target = breaking('ApiGetNotify', async (...args: unknown[]) => (++reads === 1 ? realRead(args) : answer));
    const seen = await observeIn(3, target, readThenAbsent);
    expect(seen['3.1.4.2.66/R20']).toMatch(expected);
    expect(seen[ONCE[3]]).toMatch(/^inconclusive/);
  });

  it.each([2, 3] as const)('version %s: a read after an absence proof on the same port is a harness error, never a verdict', async (v) => {
    const seen = await observeIn(v, createBuiltinTarget({}), { ...readThenAbsent, steps: [...readThenAbsent.steps, { absent: '$port', check: 'once' }] });
    expect(seen.harness).toMatch(/^error: .*step 7 reads \$port after an absence proof/);
    expect(seen[ONCE[v]]).toMatch(/^pass/);
  });

  it('version 3: ERROR_NO_MORE_ITEMS (a port closed for retrieval by the unblock) proves nothing and blames nothing', async () => {
    let reads = 0;
    const seen = await observeIn(3, breaking('ApiGetNotify', async (...args: unknown[]) => (++reads === 1 ? realRead(args) : { status: 0x103 })), readThenAbsent);
    expect(seen[ONCE[3]]).toMatch(/^inconclusive: .*ERROR_NO_MORE_ITEMS/);
    expect(seen['3.1.4.2.66/R20']).toBeUndefined();
  });
});

/** The event the reference's first read returns, for targets that break only the later reads. */
function realRead(_args: unknown[]): unknown {
  return { status: 0, dwNotifyKey: 1, dwFilter: 0x1000, dwStateSequence: 1, Name: 'App Group' };
}

describe('one bug, one clause', () => {
  it('a wrong key FAILs only the key clause; the clauses of the event itself are INCONCLUSIVE', async () => {
    const seen = await observeIn(3, createBuiltinTarget({ mutant: 'wrong-key' }), readThenAbsent);
    expect(seen['3.1.4.2.66/R9']).toMatch(/^fail: .*dwNotifyKey/);
    expect(seen[EVENT[3]]).toMatch(/^inconclusive: .*not judged: the events carried a wrong dwNotifyKey, which 3\.1\.4\.2\.66\/R9 judges/);
  });

  it('a wrong key FAILs the key clause the check names, not the general one', async () => {
    const seen = await observeIn(3, createBuiltinTarget({ mutant: 'wrong-key' }), { ...readThenAbsent, clauses: { event: EVENT, key: KEY_CLAUSE, once: ONCE }, steps: readThenAbsent.steps.map((s) => ('read' in s ? { ...s, check: ['event', 'key'] } : s)) });
    expect(seen[KEY_CLAUSE[3]]).toMatch(/^fail/);
    expect(seen['3.1.4.2.66/R9']).toBeUndefined();
    expect(seen[EVENT[3]]).toMatch(/^inconclusive/);
  });

  it('events in the wrong order FAIL the order clause; the clauses of the events are INCONCLUSIVE', async () => {
    const seq: Sequence = {
      ...readThenAbsent,
      steps: [
        ...readThenAbsent.steps.slice(0, 4),
        { control: { verb: 'SetProperty', objectType: 'group', name: 'App Group', property: 'p', value: 1 } },
        { read: '$port', order: 'fifo', expect: [{ dwFilter: 'GROUP_STATE' }, { dwFilter: 'GROUP_PROPERTY' }], check: 'event' },
        { absent: '$port', check: 'once' },
      ],
    };
    const seen = await observeIn(3, createBuiltinTarget({ mutant: 'lifo-queue' }), seq);
    expect(seen['3.1.4.2.66/R1']).toMatch(/^fail: .*in this order/);
    expect(seen[EVENT[3]]).toMatch(/^inconclusive: .*not judged: the events came in another order/);
  });

  it('a missing event still FAILs the clauses of the check', async () => {
    const seen = await observeIn(3, createBuiltinTarget({ mutant: 'scope-leak' }), { ...readThenAbsent, steps: [...readThenAbsent.steps.slice(0, 5), { control: { verb: 'SetState', objectType: 'group', name: 'Available Storage', state: 1 } }, { absent: '$port', check: 'once' }] });
    expect(seen[ONCE[3]]).toMatch(/^fail: .*expected no further event/);
  });

  it('a call whose status was right and whose out value was wrong keeps its status clauses', async () => {
    const seq: Sequence = {
      id: 'test/close',
      title: 'close',
      clauses: { success: { 3: '3.1.4.2.57/R10' }, nulled: { 3: '3.1.4.2.57/R9' } },
      steps: [
        { call: 'ApiCreateNotify', save: { hNotify: 'port' } },
        { call: 'ApiCloseNotify', args: ['$port'], expect: { status: 'ERROR_SUCCESS', out: { hNotify: null } }, check: ['success', 'nulled'] },
      ],
    };
    const seen = await observeIn(3, createBuiltinTarget({ mutant: 'close-keeps-handle' }), seq);
    expect(seen['3.1.4.2.57/R10']).toMatch(/^pass/);
    expect(seen['3.1.4.2.57/R9']).toMatch(/^fail: .*hNotify/);
  });
});

describe('repeat and anyOf', () => {
  it('repeats steps over an index, "{i}" standing for it in names and, alone, as the number', async () => {
    const seq: Sequence = {
      id: 'test/repeat',
      title: 'three ports, each with its own key',
      clauses: { event: EVENT },
      steps: [
        { call: 'ApiOpenGroup', args: ['App Group'], save: { hGroup: 'g' } },
        { repeat: { from: 1, to: 3, as: 'i' }, steps: [
          { call: 'ApiCreateNotify', save: { hNotify: 'port{i}' } },
          { call: 'ApiAddNotifyGroup', args: ['$port{i}', '$g', 'GROUP_STATE', '{i}'] },
        ] },
        { control: { verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 } },
        { repeat: { from: 1, to: 3, as: 'i' }, steps: [{ read: '$port{i}', expect: [{ dwNotifyKey: '{i}' }], check: 'event' }] },
      ],
    };
    const target = createBuiltinTarget({});
    const ctx: SequenceContext = { target, protocolVersion: 3, timeouts: { callMs: 300, readMs: 100 }, replay: (id) => id };
    const observations = await runSequence(seq, ctx);
    await target.dispose();
    expect(observations.map((o) => `${o.clause} ${o.outcome}`)).toEqual(Array(3).fill(`${EVENT[3]} pass`));
  });

  it('anyOf accepts a reply that meets one of the readings, and says all of them when none holds', async () => {
    const seq = (status: string): Sequence => ({
      id: 'test/any-of',
      title: 'any of',
      clauses: { ok: { 3: '3.1.4.2.57/R10' } },
      steps: [
        { call: 'ApiCreateNotify', save: { hNotify: 'port' } },
        { call: 'ApiCloseNotify', args: ['$port'], expect: { anyOf: [{ status: 'ERROR_NO_MORE_ITEMS' }, { status }] }, check: 'ok' },
      ],
    });
    expect((await observeIn(3, createBuiltinTarget({}), seq('ERROR_SUCCESS')))['3.1.4.2.57/R10']).toMatch(/^pass/);
    expect((await observeIn(3, createBuiltinTarget({}), seq('ERROR_INVALID_HANDLE')))['3.1.4.2.57/R10']).toMatch(
      /^fail: .*none of the accepted readings holds: expected status ERROR_NO_MORE_ITEMS.*; or expected status ERROR_INVALID_HANDLE/,
    );
  });
});
