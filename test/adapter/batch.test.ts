// Control.Batch (docs/adapter-protocol.md): several stimuli in one request, applied in order, each settled
// before the next, stopping at the first that fails and saying which (error.data.index). An adapter that
// does not offer it gets one request per stimulus, as before. The served reference is driven in-process
// through its own stream server (reference/serve/session.ts), so every line both ways can be counted.
import { PassThrough } from 'node:stream';
import { CLUSTER_CHANGE, ERROR } from '../../cmrp/constants';
import { TargetError, type Target } from '../../cmrp/contract';
import { StimulusFailed, applyStimuli, type ClusterControl, type ControlVerb, type Stimulus } from '../../cmrp/control';
import { clauseBook } from '../../harness/property/clause-ids';
import { defaultPropertyTimeouts, environmentFor } from '../../harness/property/context';
import { rerun } from '../../harness/property/runner';
import { AdapterControl, BATCH_TIMEOUTS_MAX } from '../../harness/target/adapter/control';
import { createAdapterTarget } from '../../harness/target/adapter/target';
import type { TransportFactory } from '../../harness/target/adapter/transport';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { serveStream } from '../../reference/serve/session';
import { LineSplitter } from '../../wire/adapter/framing';
import { MAX_LINE_BYTES, RPC_ERROR } from '../../wire/adapter/protocol';
import { SLOW_START, servedReferenceSpec } from './helpers';
import { splitCommandLine, stdioTransport } from '../../harness/target/adapter/stdio';

interface Line {
  from: 'harness' | 'adapter';
  message: { id?: number; method?: string; params?: { stimuli?: Stimulus[] }; result?: unknown; error?: { code: number; message: string; data?: unknown } };
}

interface ServeOptions {
  /** The adapter's Hello without Batch: an adapter of before Batch existed. */
  noBatch?: boolean;
  /** Rewrites (or drops, with undefined) a reply line before the harness sees it. */
  reply?: (message: Line['message']) => Line['message'] | undefined;
  /** The served target's control, if not the reference's own. */
  control?: (inner: ClusterControl) => ClusterControl;
}

/** The reference served in this process over a pair of streams; `lines` keeps every message both ways. */
function served(lines: Line[], options: ServeOptions = {}): TransportFactory {
  return async (events) => {
    const base = createBuiltinTarget();
    const target: Target = options.control ? { ...base, control: options.control(base.control!), connect: (o) => base.connect(o), dispose: () => base.dispose() } : base;
    const input = new PassThrough();
    const output = new PassThrough();
    const splitter = new LineSplitter(
      {
        line: (text) => {
          let message = JSON.parse(text) as Line['message'];
          const result = message.result as { protocol?: string; control?: string[] } | undefined;
          if (options.noBatch && result?.protocol && Array.isArray(result.control)) message = { ...message, result: { ...result, control: result.control.filter((c) => c !== 'Batch') } };
          const shown = options.reply ? options.reply(message) : message;
          if (!shown) return;
          lines.push({ from: 'adapter', message: shown });
          events.data(Buffer.from(`${JSON.stringify(shown)}\n`));
        },
        oversize: () => undefined,
      },
      MAX_LINE_BYTES,
    );
    output.on('data', (chunk: Buffer) => splitter.push(chunk));
    const done = serveStream(input, output, target, 'batch test');
    return {
      send: (line) => {
        lines.push({ from: 'harness', message: JSON.parse(line) as Line['message'] });
        input.write(`${line}\n`);
      },
      close: async () => {
        input.end();
        await done;
        await target.dispose();
      },
      stderrTail: () => '',
    };
  };
}

const targets: Target[] = [];
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.dispose()));
});

async function adapter(lines: Line[], options: ServeOptions = {}, multiplier = 1): Promise<Target> {
  const target = await createAdapterTarget('in-process', served(lines, options), { timeoutMultiplier: multiplier });
  targets.push(target);
  return target;
}

const controlRequests = (lines: Line[]) => lines.filter((l) => l.from === 'harness' && l.message.method?.startsWith('Control.')).map((l) => l.message.method!);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

const GROUP_ADDED = CLUSTER_CHANGE.GROUP_ADDED;
const GROUP_STATE = CLUSTER_CHANGE.GROUP_STATE;

describe('an adapter offering Batch', () => {
  it('gets one request for the list, applies it in order and has every event queued by the reply', async () => {
    const lines: Line[] = [];
    const target = await adapter(lines);
    const control = target.control as AdapterControl;
    expect(control.batches).toBe(true);
    await control.apply({ verb: 'Reset' });
    const c = await target.connect({ protocolVersion: 3 });
    const { hCluster } = (await c.ApiOpenCluster()) as { hCluster: string };
    const { hNotify } = (await c.ApiCreateNotify()) as { hNotify: string };
    expect((await c.ApiAddNotifyCluster(hNotify, hCluster, GROUP_ADDED | GROUP_STATE, 7)).status).toBe(ERROR.SUCCESS);
    lines.length = 0;
    // The resource needs its group: out of order, the second item would fail.
    const stimuli: Stimulus[] = [
      { verb: 'AddObject', objectType: 'group', name: 'batch-a' },
      { verb: 'AddObject', objectType: 'resource', name: 'batch-r', group: 'batch-a' },
      { verb: 'AddObject', objectType: 'group', name: 'batch-b' },
      { verb: 'SetState', objectType: 'group', name: 'batch-a', state: 1 },
    ];
    await applyStimuli(control, stimuli);
    expect(controlRequests(lines)).toEqual(['Control.Batch']);
    expect(lines[0].message.params).toEqual({ stimuli });
    // Settled: every indication is queued by the time the reply came, in the order of the items.
    const seen: [number, string][] = [];
    for (let i = 0; i < 3; i++) {
      const r = (await c.ApiGetNotify(hNotify)) as { status: number; dwFilter: number; Name: string };
      expect(r.status).toBe(ERROR.SUCCESS);
      seen.push([r.dwFilter, r.Name]);
    }
    expect(seen).toEqual([
      [GROUP_ADDED, 'batch-a'],
      [GROUP_ADDED, 'batch-b'],
      [GROUP_STATE, 'batch-a'],
    ]);
    expect(((await c.ApiOpenResource('batch-r')) as { status: number }).status).toBe(ERROR.SUCCESS);
    await c.close();
  });

  it('stops at the first stimulus that fails and says which: error.data.index, and a StimulusFailed naming it', async () => {
    const lines: Line[] = [];
    const target = await adapter(lines);
    await target.control!.apply({ verb: 'Reset' });
    lines.length = 0;
    const stimuli: Stimulus[] = [
      { verb: 'AddObject', objectType: 'group', name: 'batch-before' },
      { verb: 'SetState', objectType: 'group', name: 'batch-no-such-group', state: 1 },
      { verb: 'AddObject', objectType: 'group', name: 'batch-after' },
    ];
    const error = await rejection(applyStimuli(target.control!, stimuli));
    expect(error).toBeInstanceOf(StimulusFailed);
    const failed = error as StimulusFailed;
    expect([failed.index, failed.stimulus]).toEqual([1, stimuli[1]]);
    // Said as the item alone would have been, with where it stood.
    expect(failed.cause).toBeInstanceOf(TargetError);
    expect((failed.cause as TargetError).message).toMatch(/^Control\.SetState: protocol: the adapter answered with error -32000: .*batch-no-such-group.*\(item 2 of 3 of a Control\.Batch; the ones before it were applied\)$/);
    const reply = lines.find((l) => l.from === 'adapter')!.message;
    expect(reply.error).toMatchObject({ code: RPC_ERROR.STIMULUS_FAILED, data: { index: 1 } });
    expect(controlRequests(lines)).toEqual(['Control.Batch']);
    const c = await target.connect({ protocolVersion: 3 });
    expect(((await c.ApiOpenGroup('batch-before')) as { status: number }).status).toBe(ERROR.SUCCESS);
    expect(((await c.ApiOpenGroup('batch-after')) as { status: number }).status).not.toBe(ERROR.SUCCESS);
    await c.close();
  });

  it('refuses an unknown verb inside a batch as it refuses one alone (-32601), naming the item', async () => {
    const lines: Line[] = [];
    const target = await adapter(lines);
    const { channel } = await (target as unknown as { supervisor: { live(l: string): Promise<{ channel: { request(m: string, p: object, l: string): Promise<unknown> } }> } }).supervisor.live('test');
    const alone = await rejection(channel.request('Control.Explode', {}, 'Control.Explode'));
    const inside = await rejection(channel.request('Control.Batch', { stimuli: [{ verb: 'Reset' }, { verb: 'Explode' }, { verb: 'Reset' }] }, 'Control.Batch'));
    for (const e of [alone, inside]) expect((e as Error).message).toMatch(/error -32601: this adapter does not offer the control verb "Explode"/);
    // Neither a query nor Batch itself is a stimulus.
    for (const verb of ['ListObjects', 'Batch']) await rejection(channel.request('Control.Batch', { stimuli: [{ verb }] }, 'Control.Batch'));
    const errors = lines.filter((l) => l.from === 'adapter' && l.message.error).map((l) => l.message.error);
    expect(errors.map((e) => [e!.code, e!.data])).toEqual([
      [RPC_ERROR.METHOD_NOT_FOUND, undefined],
      [RPC_ERROR.METHOD_NOT_FOUND, { index: 1 }],
      [RPC_ERROR.METHOD_NOT_FOUND, { index: 0 }],
      [RPC_ERROR.METHOD_NOT_FOUND, { index: 0 }],
    ]);
    // A malformed list or item is invalid params, the item's index given.
    await rejection(channel.request('Control.Batch', { stimuli: 'Reset' }, 'Control.Batch'));
    await rejection(channel.request('Control.Batch', { stimuli: [{ verb: 'Reset' }, { name: 'x' }] }, 'Control.Batch'));
    const last = lines.filter((l) => l.from === 'adapter' && l.message.error).slice(-2).map((l) => [l.message.error!.code, l.message.error!.data]);
    expect(last).toEqual([
      [RPC_ERROR.INVALID_PARAMS, undefined],
      [RPC_ERROR.INVALID_PARAMS, { index: 1 }],
    ]);
  });

  it('refuses a verb the adapter does not offer before sending anything of it, as apply() alone does', async () => {
    const lines: Line[] = [];
    const without = (inner: ClusterControl): ClusterControl => ({ verbs: new Set([...inner.verbs].filter((v) => v !== 'Failover')), apply: (s) => inner.apply(s) });
    const target = await adapter(lines, { control: without });
    expect(target.control!.verbs.has('Failover')).toBe(false);
    lines.length = 0;
    const error = await rejection(applyStimuli(target.control!, [{ verb: 'Reset' }, { verb: 'DropEvents' }, { verb: 'Failover' }, { verb: 'Reset' }]));
    expect(error).toBeInstanceOf(StimulusFailed);
    expect((error as StimulusFailed).index).toBe(2);
    expect(((error as StimulusFailed).cause as Error).message).toBe('Control.Failover: protocol: the adapter does not offer this control verb');
    // The ones before it were applied (one at a time: a batch is never sent with an item it would refuse).
    expect(controlRequests(lines)).toEqual(['Control.Reset', 'Control.DropEvents']);
  });

  it('is bounded: the control timeout once per stimulus, and a hung batch names what was in flight', async () => {
    const lines: Line[] = [];
    // 0.02: a control timeout of 100 ms; the batch of three gets 300 ms.
    const target = await adapter(lines, { reply: (m) => (lines.some((l) => l.message.id === m.id && l.message.method === 'Control.Batch') ? undefined : m) }, 0.02);
    const error = await rejection(applyStimuli(target.control!, [{ verb: 'Reset' }, { verb: 'AddObject', objectType: 'group', name: 'g' }, { verb: 'AddObject', objectType: 'group', name: 'h' }]));
    expect(error).toBeInstanceOf(TargetError);
    expect((error as TargetError).message).toMatch(/^Control\.Batch \(3 stimuli: Reset, AddObject x2\): timeout: the adapter did not answer Control\.Batch \(3 stimuli: Reset, AddObject x2\) within 300 ms/);
    // A fixture's 23 stimuli wait at most BATCH_TIMEOUTS_MAX control timeouts, not 23 in turn.
    const fixture: Stimulus[] = [{ verb: 'Reset' }, ...Array.from({ length: 22 }, (_, i): Stimulus => ({ verb: 'AddObject', objectType: 'group', name: `g${i}` }))];
    const long = await rejection(applyStimuli(target.control!, fixture));
    expect((long as TargetError).message).toMatch(new RegExp(`within ${100 * BATCH_TIMEOUTS_MAX} ms`));
  });

  it('an error that names no item is the adapter breaking the protocol, not a stimulus failing', async () => {
    const lines: Line[] = [];
    const target = await adapter(lines, { reply: (m) => (m.error ? { ...m, error: { code: m.error.code, message: m.error.message } } : m) });
    const error = await rejection(applyStimuli(target.control!, [{ verb: 'Reset' }, { verb: 'SetState', objectType: 'group', name: 'none', state: 1 }]));
    expect(error).toBeInstanceOf(TargetError);
    expect((error as TargetError).message).toMatch(/^Control\.Batch \(2 stimuli: Reset, SetState\): malformed: the error names no item of the batch in "data\.index" \(0\.\.1\)/);
  });
});

describe('an adapter without Batch', () => {
  it('gets one request per stimulus, in order, and the same StimulusFailed on a failure', async () => {
    const lines: Line[] = [];
    const target = await adapter(lines, { noBatch: true });
    expect((target.control as AdapterControl).batches).toBe(false);
    const stimuli: Stimulus[] = [{ verb: 'Reset' }, { verb: 'AddObject', objectType: 'group', name: 'g1' }, { verb: 'SetState', objectType: 'group', name: 'g1', state: 1 }, { verb: 'RegistryCreateKey', path: 'k1' }];
    await applyStimuli(target.control!, stimuli);
    expect(controlRequests(lines)).toEqual(['Control.Reset', 'Control.AddObject', 'Control.SetState', 'Control.RegistryCreateKey']);
    lines.length = 0;
    const error = await rejection(applyStimuli(target.control!, [{ verb: 'Reset' }, { verb: 'SetState', objectType: 'group', name: 'g1', state: 1 }, { verb: 'Reset' }]));
    expect([(error as StimulusFailed).index, ((error as StimulusFailed).cause as Error).message]).toEqual([1, expect.stringMatching(/^Control\.SetState: protocol: the adapter answered with error -32000: /)]);
    expect(controlRequests(lines)).toEqual(['Control.Reset', 'Control.SetState']);
  });
});

describe('a property sequence builds its fixture in one round trip', () => {
  const env = (target: Target) => environmentFor(target, 'in-process', 3, defaultPropertyTimeouts(), clauseBook());

  for (const noBatch of [false, true]) {
    it(`${noBatch ? 'without' : 'with'} Batch: ${noBatch ? 'one request per stimulus' : 'one Control.Batch'}, the same setup trace`, async () => {
      const lines: Line[] = [];
      const target = await adapter(lines, { noBatch });
      const { run, failure } = await rerun(env(target), 'full', []);
      expect(failure).toBeUndefined();
      const requests = controlRequests(lines);
      const setup = run.ctx.trace.lines.filter((l) => l.startsWith('setup control '));
      expect(setup.length).toBe(23);
      if (noBatch) expect(requests.length).toBe(23);
      else {
        expect(requests).toEqual(['Control.Batch']);
        const sent = lines.find((l) => l.message.method === 'Control.Batch')!.message.params!.stimuli!;
        expect(setup).toEqual(sent.map((s) => `setup control ${JSON.stringify(s)}`));
      }
    });
  }

  it('a failing stimulus of the fixture is named, and the trace stops at it', async () => {
    const lines: Line[] = [];
    // A cluster that refuses the fourth AddObject (its own refusal, not the harness's).
    let adds = 0;
    const refusing = (inner: ClusterControl): ClusterControl => ({
      verbs: inner.verbs,
      apply: async (s) => {
        if (s.verb === 'AddObject' && ++adds === 4) throw new Error(`no room for ${s.name}`);
        return inner.apply(s);
      },
    });
    const target = await adapter(lines, { control: refusing });
    const { run, failure } = await rerun(env(target), 'full', []);
    expect(failure?.outcome).toBe('error');
    expect(failure?.message).toMatch(/^setup: Control\.AddObject: protocol: the adapter answered with error -32000: no room for \S+ \(item 6 of 23 of a Control\.Batch; the ones before it were applied\)$/);
    const setup = run.ctx.trace.lines.filter((l) => l.startsWith('setup control '));
    expect(setup.length).toBe(6);
    expect(setup[5]).toMatch(/"verb":"AddObject"/);
  });

  it('through a control without applyAll (the builtin reference): one apply per stimulus, a failure named by its stimulus', async () => {
    const base = createBuiltinTarget();
    targets.push(base);
    const applied: ControlVerb[] = [];
    const inner = base.control!;
    let adds = 0;
    const control: ClusterControl = {
      verbs: inner.verbs,
      apply: async (s) => {
        applied.push(s.verb);
        if (s.verb === 'AddObject' && ++adds === 2) throw new Error('refused');
        return inner.apply(s);
      },
    };
    const target: Target = { ...base, control, connect: (o) => base.connect(o), dispose: async () => undefined };
    const { failure } = await rerun(env(target), 'full', []);
    expect(applied).toEqual(['Reset', 'SetServerState', 'AddObject', 'AddObject']);
    expect(failure?.message).toMatch(/^setup: the control adapter failed \{"verb":"AddObject",.*\}: refused$/);
  });
});

describe('the served reference', () => {
  it('offers Batch in its Hello and applies one', async () => {
    const command = servedReferenceSpec().slice('stdio:'.length);
    const target = await createAdapterTarget('served', stdioTransport(splitCommandLine(command)), SLOW_START);
    targets.push(target);
    expect((target.control as AdapterControl).batches).toBe(true);
    await applyStimuli(target.control!, [{ verb: 'Reset' }, { verb: 'AddObject', objectType: 'group', name: 'served-g' }, { verb: 'SetState', objectType: 'group', name: 'served-g', state: 1 }]);
    const c = await target.connect({ protocolVersion: 3 });
    const { hGroup } = (await c.ApiOpenGroup('served-g')) as { hGroup: string };
    expect(((await c.ApiGetGroupState(hGroup)) as { State: number }).State).toBe(1);
    await c.close();
  });
});
