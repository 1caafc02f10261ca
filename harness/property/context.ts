// One property run against a target: the fresh cluster fixture and connection it works on, the model
// it judges by, the call trace, and the clause checks it made. Every call goes through a Session, so
// it is bounded in time and traced with symbolic handle names.
import { StimulusFailed, applyStimuli, type ClusterControl, type ControlVerb, type Stimulus } from '../../cmrp/control';
import type { ClauseBook, ClauseRef } from '../model/clauses';
import { FIXTURE_KEYS, FIXTURE_OBJECTS, STATES } from '../model/fixture';
import { objectKey } from '../model/cluster';
import { FABRICATED, handleParam } from '../model/handles';
import { NotifyModel } from '../model/oracle';
import type { Observed, Verdict } from '../model/observed';
import type { HandleKind, ObjectKind } from '../model/types';
import type { ProtocolVersion } from '../../cmrp/constants';
import { ERROR } from '../../cmrp/constants';
import type { HangRegistry } from '../session/hangs';
import { Session, SLOW_HINT, STILL_PENDING, type PendingCall } from '../session/session';
import { Trace } from '../session/trace';
import { FABRICATED_HANDLE, TargetError, type AccessLevel, type Handle, type MethodName, type Reply, type Target } from '../../cmrp/contract';

export interface PropertyTimeouts {
  /** A call that must complete (and a read the model says has completed). */
  callMs: number;
  readMs: number;
  /** Version 2: the Timeout of a read that proves a port empty (the server's GetNotify timer does the waiting). */
  probeMs: number;
  /**
   * How long a read the model expects to complete at once (its indication is already queued) may
   * take before the harness releases it with ApiUnblockGetNotifyCall and judges what comes back.
   */
  settleMs: number;
  /** The run's record of calls that hung (Timeouts.hangs, harness/session/session.ts). */
  hangs?: HangRegistry;
}

export function defaultPropertyTimeouts(multiplier = 1): PropertyTimeouts {
  const scaled = (ms: number, min: number) => Math.max(min, Math.round(ms * multiplier));
  return { callMs: scaled(5000, 50), readMs: scaled(2000, 20), probeMs: 2, settleMs: scaled(250, 20) };
}

/** A version 2 blocked read's Timeout: long enough never to expire while its racers run. */
export const BLOCKING_TIMEOUT_MS = 60000;

/** KEY_READ: enough to watch a key (KEY_NOTIFY is part of it). */
export const KEY_READ = 0x20019;

/** What a run may do against this target, fixed for a whole property run. */
export interface PropertyEnvironment {
  readonly target: Target;
  readonly targetSpec: string;
  readonly version: ProtocolVersion;
  readonly timeouts: PropertyTimeouts;
  readonly book: ClauseBook;
  readonly verbs: ReadonlySet<ControlVerb>;
  /** The target can build the run's own objects and keys (Reset, AddObject, SetState, RegistryCreateKey). */
  readonly fixture: boolean;
  readonly accessLevels: readonly AccessLevel[];
}

export const FIXTURE_VERBS: readonly ControlVerb[] = ['Reset', 'AddObject', 'SetState', 'RegistryCreateKey'];

export function environmentFor(target: Target, targetSpec: string, version: ProtocolVersion, timeouts: PropertyTimeouts, book: ClauseBook): PropertyEnvironment {
  // A property run's oracle needs settled stimuli: in-band ones (harness/stimulus/) do not settle, so the
  // run has no verbs, and its stimulus clauses are NOT-TESTED saying so.
  const verbs = target.control && !target.control.unsettled ? target.control.verbs : new Set<ControlVerb>();
  return {
    target,
    targetSpec,
    version,
    timeouts,
    book,
    verbs,
    fixture: FIXTURE_VERBS.every((v) => verbs.has(v)),
    accessLevels: target.capabilities.accessLevels,
  };
}

/** Catalogue levels whose shortfall a report shows NON-STRICT (harness/verdict/judge.ts). */
const RECOMMENDATION: ReadonlySet<string> = new Set(['SHOULD', 'SHOULD NOT', 'MAY']);

/** A check the run could not pass: it ends the run (and fails the property). */
export class PropertyFailure extends Error {
  constructor(
    readonly refs: ClauseRef[],
    message: string,
    readonly outcome: 'fail' | 'error' = 'fail',
  ) {
    super(message);
    this.name = 'PropertyFailure';
  }
}

/**
 * The target failed (crashed, hung, answered garbage): ERROR of the clauses in flight, `refs` when a
 * check was being made; else (setup, a control verb, Connect, Disconnect) the runner finds them.
 */
export class TargetFault extends PropertyFailure {
  constructor(
    /** What the harness was doing: "setup", "stimulus", "Connect", "Disconnect", or a call's label. */
    readonly phase: string,
    message: string,
    refs: ClauseRef[] = [],
  ) {
    super(refs, message.startsWith(phase) ? message : `${phase}: ${message}`, 'error');
    this.name = 'TargetFault';
  }
}

/** A target fault in any of the forms a step can throw it, or undefined. */
export function targetFaultOf(error: unknown, phase: string): PropertyFailure | undefined {
  if (error instanceof TargetFault) return error;
  if (error instanceof TargetError) return new TargetFault(phase, error.message);
  return undefined;
}

/** The harness could not drive the target (a setup call failed): not a verdict on any clause. */
export class HarnessProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessProblem';
  }
}

/** A setup call the server answered, but not with ERROR_SUCCESS (a status or a fault). */
class SetupRefused extends HarnessProblem {}

/**
 * The server refused to open a fixture handle in the read-only server state, where each ApiOpen* (and
 * ApiGetRootKey) only SHOULD be accepted. Not a verdict: the sequence ends where it is (what it judged so
 * far stands), and the run's later sequences open every handle before the server goes read-only.
 */
export class OpenRefusedInReadOnly extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpenRefusedInReadOnly';
  }
}

/**
 * What RunContext.handle() gives for a fixture handle the model holds but the server has not returned
 * yet: the calls that take handles open it (ApiOpen*) first, and put its wire value in its place.
 */
class Unopened {
  constructor(readonly id: string) {}
}

export interface ExecutedStep {
  text: string;
  /** The step as data, with every choice the run made pinned (the BlockedRead order). */
  data: import('./steps').Step;
}

export class RunContext {
  readonly trace = new Trace();
  readonly passes = new Map<string, number>();
  /** SHOULDs the server was seen not to keep while the run went on (Verdict.shortfall): failed checks, never passes. */
  readonly shortfalls: { ids: string[]; message: string; trace: string[] }[] = [];
  readonly executed: ExecutedStep[] = [];
  failure?: PropertyFailure;
  session!: Session;
  /** Trace lines of the setup (fixture, connection, handles): failure reports summarise them. */
  setupLines = 0;
  private readonly wire = new Map<string, Handle>();
  /** Fixture handles the model holds that are opened on the wire when a call first passes them. */
  private readonly unopened = new Map<string, { kind: Exclude<HandleKind, 'notify'>; target: string }>();
  private counter = 0;

  constructor(
    readonly env: PropertyEnvironment,
    readonly model: NotifyModel,
    /** Orders racers: fast-check's scheduler in property runs, the recorded order in replays. */
    readonly interleave: (labels: string[]) => Promise<number[]>,
    /**
     * Opens every fixture handle not opened yet before the server goes read-only: where the server was seen
     * to refuse an open there, and in reruns, which must not end early. Otherwise each is opened on its
     * first use, read-only or not (most sequences use few of them).
     */
    private readonly openAllBeforeReadOnly = false,
  ) {}

  get control(): ClusterControl | undefined {
    return this.env.target.control;
  }

  /** Replaces the record of the step running now: once a choice is made, a replay must make it again. */
  pinLast(step: import('./steps').Step, text: string): void {
    this.executed[this.executed.length - 1] = { text, data: step };
  }

  /** A number that changes at each use, for property values and registry data. */
  next(): number {
    return ++this.counter;
  }

  /** The wire handle behind a model handle id (for a fixture handle not opened yet, what stands for it until a call opens it). */
  handle(id: string): Handle {
    if (id === FABRICATED) return FABRICATED_HANDLE;
    if (this.unopened.has(id)) return new Unopened(id) as unknown as Handle;
    const h = this.wire.get(id);
    if (h === undefined) throw new Error(`no wire handle for ${id}`);
    return h;
  }

  bind(id: string, handle: Handle): void {
    this.wire.set(id, handle);
  }

  // ---- calls -----------------------------------------------------------------------------------

  /** Calls a method that must complete; a hang or crash of the target is an ERROR for `refs`. */
  async call(method: MethodName, args: unknown[], refs: ClauseRef[]): Promise<Observed> {
    const ready = await this.ready(args);
    try {
      return toObserved(await this.session.call(method, ready));
    } catch (error) {
      if (error instanceof TargetError) throw new TargetFault(error.call, error.message, refs);
      throw error;
    }
  }

  /** Starts a call without waiting for it: its handles must be opened already (ready()). */
  start(method: MethodName, args: unknown[]): PendingCall {
    if (args.some((a) => a instanceof Unopened)) throw new HarnessProblem(`${method}: a handle it takes was not opened (ready() first)`);
    return this.session.start(method, args);
  }

  /**
   * `args` with each fixture handle not opened yet opened now, in order. Opening changes nothing the
   * model judges: no event follows an ApiOpen*, and the fixture's objects and keys are never deleted.
   */
  async ready(args: unknown[]): Promise<unknown[]> {
    if (!args.some((a) => a instanceof Unopened)) return args;
    const out: unknown[] = [];
    for (const a of args) out.push(a instanceof Unopened ? await this.openDeferred(a.id) : a);
    return out;
  }

  private async openDeferred(id: string): Promise<Handle> {
    const deferred = this.unopened.get(id);
    if (!deferred) return this.handle(id);
    this.unopened.delete(id);
    let handle: unknown;
    try {
      handle = await this.openOnWire(deferred.kind, deferred.target, id);
    } catch (error) {
      if (error instanceof SetupRefused && this.model.serverState === 'read-only') throw new OpenRefusedInReadOnly(`in the read-only server state, ${error.message}`);
      throw error;
    }
    if (typeof handle !== 'string') throw new HarnessProblem(`setup: no ${handleParam(deferred.kind)} came back for ${deferred.target}`);
    this.bind(id, handle);
    return handle;
  }

  /** Opens every fixture handle not opened yet (see openAllBeforeReadOnly). */
  async openAll(): Promise<void> {
    for (const id of [...this.unopened.keys()]) await this.openDeferred(id);
  }

  async settle(pending: PendingCall, ms: number, refs: ClauseRef[]): Promise<Observed> {
    return this.settleAs(pending, ms, refs, false);
  }

  /** settle() for one slice of a longer wait: giving up on it records no hang (see PendingCall.settle). */
  async probe(pending: PendingCall, ms: number, refs: ClauseRef[]): Promise<Observed> {
    return this.settleAs(pending, ms, refs, true);
  }

  private async settleAs(pending: PendingCall, ms: number, refs: ClauseRef[], probe: boolean): Promise<Observed> {
    try {
      const reply = await pending.settle(ms, probe);
      if (reply === STILL_PENDING) {
        this.trace.add(`${pending.label} -> still pending after ${ms} ms`);
        return { kind: 'pending' };
      }
      return toObserved(reply);
    } catch (error) {
      if (error instanceof TargetError) throw new TargetFault(error.call, error.message, refs);
      throw error;
    }
  }

  /** Records a verdict; a failed one ends the run. */
  judge(verdict: Verdict): void {
    for (const id of this.env.book.ids(verdict.pass, this.env.version)) this.passes.set(id, (this.passes.get(id) ?? 0) + 1);
    if (verdict.fail) throw new PropertyFailure(verdict.fail.refs, verdict.fail.message);
    if (verdict.shortfall) {
      const { refs, message } = verdict.shortfall;
      const ids = this.env.book.ids(refs, this.env.version);
      // Only a recommendation may be missed and the run go on: anything stronger ends it as a failure.
      if (!ids.length || !ids.every((id) => RECOMMENDATION.has(this.env.book.clause(id)?.level ?? ''))) throw new PropertyFailure(refs, message);
      this.trace.add(`# SHOULD not kept (the run goes on): ${message}`);
      this.shortfalls.push({ ids, message, trace: [...this.executed.map((s, i) => `step ${i + 1}. ${s.text}`), 'calls:', ...this.stepTrace().map((l) => `  ${l}`)] });
    }
  }

  async apply(stimulus: Stimulus): Promise<void> {
    if (stimulus.verb === 'SetServerState' && stimulus.state === 'read-only' && this.openAllBeforeReadOnly) await this.openAll();
    this.trace.add(`control ${JSON.stringify(stimulus)}`);
    try {
      await this.control!.apply(stimulus);
    } catch (error) {
      if (error instanceof TargetError) throw new TargetFault('stimulus', error.message);
      throw new HarnessProblem(`the control adapter failed ${stimulus.verb}: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.model.stimulus(stimulus);
  }

  // ---- setup -----------------------------------------------------------------------------------

  /**
   * A fresh cluster (Reset) with the run's own objects and keys, set to known states before any
   * port exists, then a new connection with a handle to each.
   */
  async setUp(access: AccessLevel): Promise<void> {
    const control = this.control;
    const fixture: Stimulus[] = [];
    if (control?.verbs.has('Reset')) fixture.push({ verb: 'Reset' });
    // The model starts in read/write; a Reset need not say anything about the server state.
    if (control?.verbs.has('SetServerState')) fixture.push({ verb: 'SetServerState', state: 'read-write' });
    if (this.env.fixture) {
      for (const o of FIXTURE_OBJECTS) fixture.push({ verb: 'AddObject', objectType: o.kind, name: o.name, group: o.group, node: o.node, network: o.network });
      const order: ObjectKind[] = ['node', 'netInterface', 'network', 'resource', 'group'];
      for (const kind of order) {
        for (const o of FIXTURE_OBJECTS.filter((f) => f.kind === kind)) fixture.push({ verb: 'SetState', objectType: kind, name: o.name, state: STATES[kind][0] });
      }
      fixture.push({ verb: 'RegistryCreateKey', path: FIXTURE_KEYS[FIXTURE_KEYS.length - 1] });
    }
    // Nothing is observed between these: they travel together (one Control.Batch where the adapter offers it).
    if (fixture.length) await this.setupApply(fixture);
    let connection;
    try {
      connection = await this.env.target.connect({ protocolVersion: this.env.version, accessLevel: access });
    } catch (error) {
      throw targetFaultOf(error, 'Connect') ?? error;
    }
    this.session = new Session(connection, this.trace, this.env.timeouts);
    if (this.model.deniedEverything) return;
    // The model holds a handle to the cluster and to each of the run's objects and keys from here on; each
    // is opened on the wire when a call first takes it (ready()), and most sequences take few of them.
    this.defer('cluster', 'cluster');
    if (this.env.fixture) for (const o of FIXTURE_OBJECTS) this.defer(o.kind, objectKey(o.kind, o.name));
    this.defer('key', 'key:');
    if (this.env.fixture) for (const path of FIXTURE_KEYS.slice(1)) this.defer('key', `key:${path}`);
    this.setupLines = this.trace.lines.length;
  }

  private defer(kind: Exclude<HandleKind, 'notify'>, target: string): void {
    this.unopened.set(this.model.addHandle(kind, target), { kind, target });
  }

  /** The call trace from the first step on, the setup summed up in one line. */
  stepTrace(): string[] {
    const handles = this.model.handles.all().filter((h) => h.kind !== 'notify').length;
    const summary = this.env.fixture
      ? `(setup: Reset; the run's ${FIXTURE_OBJECTS.length} objects and ${FIXTURE_KEYS.length - 1} keys created and set to known states; ${handles} handle(s), each opened on its first use)`
      : `(setup: ${handles} handle(s), each opened on its first use)`;
    return [summary, ...this.trace.lines.slice(this.setupLines)];
  }

  /** The fixture's stimuli in order; a failure names the stimulus that failed (those after it were not applied). */
  private async setupApply(stimuli: readonly Stimulus[]): Promise<void> {
    try {
      await applyStimuli(this.control!, stimuli);
    } catch (error) {
      const failed = error instanceof StimulusFailed ? error : undefined;
      // The trace shows what was applied, then the one that failed: nothing after it was sent or applied.
      for (const s of failed ? stimuli.slice(0, failed.index + 1) : stimuli) this.trace.add(`setup control ${JSON.stringify(s)}`);
      const cause: unknown = failed ? failed.cause : error;
      const what = failed ? JSON.stringify(failed.stimulus) : `the fixture's ${stimuli.length} stimuli (${stimuli.map((s) => s.verb).join(', ')})`;
      // A fault of the whole batch (the adapter hung or crashed with it in flight) is named by its label, which lists the verbs.
      if (cause instanceof TargetError) throw new TargetFault('setup', cause.message);
      throw new HarnessProblem(`setup: the control adapter failed ${what}: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    for (const s of stimuli) this.trace.add(`setup control ${JSON.stringify(s)}`);
  }

  /** Opens (or reopens) the handle of the cluster, an object ('kind:name') or a key ('key:path'); the model records it as current. */
  async open(kind: Exclude<HandleKind, 'notify'>, target: string): Promise<string> {
    return this.keep(kind, target, await this.openOnWire(kind, target));
  }

  /** The ApiOpen* (ApiGetRootKey, ApiOpenKey) that returns a handle to `target`; `name` is the handle's name, where the model gave it one already. */
  private async openOnWire(kind: Exclude<HandleKind, 'notify'>, target: string, name?: string): Promise<unknown> {
    if (kind === 'key') {
      const path = target.slice('key:'.length);
      if (path === '') return (await this.setupCall('ApiGetRootKey', [KEY_READ], name)).hKey;
      const root = this.model.currentHandle('key:');
      if (!root) throw new HarnessProblem('no live root key handle to open a subkey from');
      return (await this.setupCall('ApiOpenKey', [this.handle(root), path, KEY_READ], name)).phKey;
    }
    const object = target.includes(':') ? FIXTURE_OBJECTS.find((o) => objectKey(o.kind, o.name) === target)!.name : '';
    const method = `ApiOpen${kind === 'netInterface' ? 'NetInterface' : kind[0].toUpperCase() + kind.slice(1)}` as MethodName;
    return (await this.setupCall(method, kind === 'cluster' ? [] : [object], name))[handleParam(kind)];
  }

  private keep(kind: HandleKind, target: string, handle: unknown): string {
    if (typeof handle !== 'string') throw new HarnessProblem(`setup: no ${handleParam(kind)} came back for ${target}`);
    // The trace named the handle when it came back; the model uses the same name.
    const id = this.model.addHandle(kind, target, this.trace.known(handle));
    this.bind(id, handle);
    return id;
  }

  /**
   * A call the run needs to succeed that no clause of ours is about (Open*, Close* of objects). `name`:
   * what the trace calls the handle it returns (the model named it before it was opened).
   */
  async setupCall(method: MethodName, args: unknown[], name?: string): Promise<Record<string, unknown>> {
    let reply: Reply<Record<string, unknown>>;
    const ready = await this.ready(args);
    if (name) this.trace.reserve(name);
    try {
      reply = await this.session.call(method, ready);
    } catch (error) {
      if (error instanceof TargetError) throw new TargetFault('setup', error.message);
      throw new HarnessProblem(`${method} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (reply.fault !== undefined || reply.status !== ERROR.SUCCESS) {
      throw new SetupRefused(`${method} did not succeed (${reply.fault !== undefined ? `fault ${reply.fault}` : `status ${reply.status}`})`);
    }
    return reply as Record<string, unknown>;
  }

  /**
   * Ends the connection: every pending call is released, every handle dropped. A target that fails
   * there (hangs, crashes, answers garbage to Disconnect) is a fault of the run, returned, not swallowed.
   */
  async tearDown(): Promise<TargetFault | undefined> {
    if (!this.session) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const ms = this.env.timeouts.callMs;
    const closing = this.session.connection.close().then(
      () => undefined,
      (error: unknown) => new TargetFault('Disconnect', error instanceof Error ? error.message : String(error)),
    );
    const late = new Promise<TargetFault>((resolve) => {
      timer = setTimeout(() => resolve(new TargetFault('Disconnect', `timeout: no reply within ${ms} ms (${SLOW_HINT})`)), ms);
    });
    const fault = await Promise.race([closing, late]);
    clearTimeout(timer);
    if (fault) this.trace.add(`Disconnect -> ${fault.message}`);
    return fault;
  }
}

export function toObserved(reply: Reply<Record<string, unknown>>): Observed {
  if (reply.fault !== undefined) return { kind: 'fault', fault: reply.fault };
  return { kind: 'reply', status: reply.status, out: reply };
}

/** Lets a call just started reach the server before the next one is issued. */
export async function yieldToServer(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}
