// Runs one scripted sequence against a target and turns every check into an observation. A check's
// verdict comes only from what the target answered; a sequence that cannot reach a check says why.
import type { Observation, Outcome } from '../recorder/observation';
import { StimulusFailed, applyStimuli, type ControlVerb, type Stimulus } from '../../cmrp/control';
import { TargetError, type ClusapiConnection, type GetNotifyOut, type MethodName, type Reply, type Target } from '../../cmrp/contract';
import { ERROR, type ProtocolVersion } from '../../cmrp/constants';
import { PARAMETERS } from '../session/parameters';
import { Session, STILL_PENDING, type PendingCall, type Timeouts, SLOW_HINT } from '../session/session';
import { Trace } from '../session/trace';
import { SequenceDataError, Variables, describeSpec, describeValue, kindOf, matches } from './values';
import type { RoleBindings } from '../profile/bindings';
import { isRoleRef, keptRole, resolveRoleRef, resolveStimulus, unboundRole } from './roles';
import { applyDeletions, deletionsOf, ownLeftovers } from './own-objects';
import type { AbsentStep, AssertStep, AwaitStep, CallStep, EventPattern, Expectation, ReadStep, RepeatStep, Sequence, Step } from './types';
import { HARNESS_ID } from '../verdict/types';
import { catalogueNames } from '../catalogue/names';
import { EXPIRED_TIMER, FIELD_ASPECTS, governor, isAbout, isAboutStatus, malformedFilter, releaseClause, type Aspect } from '../verdict/aspects';
import { absentV2Step, readV2Step, type V2StepHost } from './v2-steps';
import { unblockUntilReleased } from './release';
import { StimulusRefused } from '../stimulus/inband';
import { METHODS, isMethodName } from '../../cmrp/methods';

export interface SequenceContext {
  target: Target;
  protocolVersion: ProtocolVersion;
  timeouts: Timeouts;
  /** How to rerun this sequence's clause (a command line), for the failure text. */
  replay(clauseId: string): string;
  /** The server's names for the roles the sequences use ("@group"); a sequence needing an unbound role is NOT-TESTED. */
  roles?: RoleBindings;
}

/** The clause ids a sequence checks in a protocol version (empty: it does not apply there). */
export function clausesIn(sequence: Sequence, version: ProtocolVersion): string[] {
  if (sequence.versions && !sequence.versions.includes(version)) return [];
  return Object.values(sequence.clauses).flatMap((byVersion) => byVersion[String(version) as '2' | '3'] ?? []);
}

/**
 * The version 2 Timeout of an absence proof: the shortest the spec lets a client choose. The stimulus has
 * settled, so whatever it caused is queued already and the timer need not wait (3.1.4.1.66: the timer is
 * set to Timeout, WAIT_TIMEOUT when no indication came before it expired).
 */
export const ABSENCE_TIMEOUT_MS = 0;

/** What one read established: an event, the documented proof that none was queued, or neither. */
type ReadResult =
  | { kind: 'event'; event: GetNotifyOut }
  | { kind: 'missing'; detail: string }
  /** No proof either way; `blame` is the clause the answer itself broke, if any. */
  | { kind: 'unproven'; detail: string; blame?: string };

/** A check that saw the target break its clause: the sequence stops there. */
class CheckFailed extends Error {}
/** A setup step went wrong: the checks after it cannot be judged. */
class NotReached extends Error {}
/** A stimulus the target's stimuli cannot apply: the checks from there on are NOT-TESTED, with the reason. */
class Unavailable extends Error {}
/**
 * A setup step of a Read-level sequence was refused for want of access: a Read client cannot get what the
 * checks need, which the "SHOULD accept at Read" clauses those sequences judge do not expect (NON-STRICT).
 */
class RefusedAtRead extends Error {}

/** The RPC fault of a method the server does not implement. */
const RPC_S_PROCNUM_OUT_OF_RANGE = 0x6d1;

export async function runSequence(sequence: Sequence, ctx: SequenceContext): Promise<Observation[]> {
  return new SequenceRun(sequence, ctx).run();
}

class SequenceRun {
  private readonly observations: Observation[] = [];
  private readonly observed = new Set<string>();
  private readonly vars = new Variables();
  private readonly pending = new Map<string, PendingCall>();
  /** Ports an absence proof unblocked: the spec lets a server close them for retrieval, so no later read proves anything. */
  private readonly unblocked = new Set<string>();
  /** The same for version 2 ports (absentV2). */
  private readonly unblockedV2 = new Set<string>();
  private readonly trace = new Trace();
  private session!: Session;
  /**
   * Sessions a `reconnect` step left behind. They stay open to the end (the step is a new connection,
   * not a Disconnect of the old one) and are closed then, so no run leaks a connection per reconnect.
   */
  private readonly earlierSessions: Session[] = [];
  private stepIndex = 0;
  /** The stimuli applied (a creation as soon as it is attempted): what the sequence leaves of its own is undone after it. */
  private readonly applied: Stimulus[] = [];
  /** Set once a stimulus that does not keep the settled rule (an in-band one) was applied: no absence is proven after it. */
  private unsettled: string | undefined;
  /** A stimulus of this sequence came in-band: every verdict it gives says so (docs/stimuli.md). */
  private inband = false;
  /** Every stimulus met so far (what a binding's `cannot` weighs a deletion against). */
  private readonly stimuli: Stimulus[] = [];

  constructor(
    private readonly sequence: Sequence,
    private readonly ctx: SequenceContext,
  ) {}

  async run(): Promise<Observation[]> {
    const missing = this.missingCapability();
    if (missing) {
      this.recordRest('not-tested', missing);
      return this.observations;
    }
    this.vars.resolveRole = (ref) => resolveRoleRef(ref, this.ctx.roles);
    try {
      if (this.ctx.target.control?.verbs.has('Reset')) await this.reset(this.ctx.target.control);
      await this.connect();
      for (const step of this.sequence.steps) {
        this.stepIndex++;
        await this.step(step);
      }
    } catch (error) {
      this.recordAbort(error);
    } finally {
      await this.close();
      await this.undoOwn();
    }
    return this.observations;
  }

  /** The Reset before a sequence; an in-band one that could not restore the cluster leaves the sequence not reached. */
  private async reset(control: NonNullable<Target['control']>): Promise<void> {
    try {
      // Nothing is observed between them: one round trip where the control offers Batch.
      await applyStimuli(control, [{ verb: 'Reset' }, ...(this.ctx.roles?.createdKeys ?? []).map((path): Stimulus => ({ verb: 'RegistryCreateKey', path }))]);
    } catch (error) {
      // Thrown as apply() would have thrown it for that stimulus alone.
      const cause = error instanceof StimulusFailed ? error.cause : error;
      if (cause instanceof StimulusRefused) throw new NotReached(cause.message);
      throw cause;
    }
  }

  private missingCapability(): string | undefined {
    const { target } = this.ctx;
    if (this.sequence.accessLevel && !target.capabilities.accessLevels.includes(this.sequence.accessLevel)) {
      return `the target cannot open a connection with ${this.sequence.accessLevel} access only (a dcerpc: target needs --read-user, password in CMRP_READ_PASSWORD)`;
    }
    if (this.sequence.rpcRuntime && !target.capabilities.rpcRuntime) {
      return 'needs a binding that sees the RPC runtime (the dcerpc: target): rpc_status and the wire form of context handles';
    }
    if (flatten(this.sequence.steps).some((step) => 'reconnect' in step && typeof step.reconnect === 'string') && (target.capabilities.nodeEndpoints ?? 1) < 2) {
      return 'needs connections to two nodes of the cluster, each at its own endpoint (builtin, or dcerpc: with --node-target)';
    }
    const unbound = unboundRole(this.sequence.steps, this.ctx.roles);
    if (unbound) return unbound;
    const verbs = new Set<ControlVerb>();
    let usesV2Ports = false;
    for (const step of flatten(this.sequence.steps)) {
      if ('control' in step) verbs.add(step.control.verb);
      if ('call' in step && /NotifyV2$/.test(step.call)) usesV2Ports = true;
    }
    if (usesV2Ports && !target.capabilities.notifyV2) return 'the target does not offer version 2 notification ports';
    // The access-level and server-state rules are seen through a method that changes the cluster (no notification method needs All or is refused in read-only state in version 3).
    const management = flatten(this.sequence.steps).find((step): step is CallStep => 'call' in step && isMethodName(step.call) && METHODS[step.call].management === true);
    if (management && !target.capabilities.management) return `the target does not serve the management methods (${management.call}), through which the sequence asks for a change of the cluster`;
    if (verbs.size && !target.control) return `the target has no control adapter (needs ${[...verbs].join(', ')})`;
    // Checked after the verbs, so a target with no stimuli at all says that first. A control adapter whose Reset
    // rebuilds the cluster declares the whole cluster the suite's to change; otherwise (no Reset, or the in-band
    // stimuli's Reset, which only undoes their own changes) only the roles the profile marks disposable are.
    if (!target.control?.verbs.has('Reset') || target.control.resetUndoesOwnOnly) {
      const kept = keptRole(this.sequence.steps, this.ctx.roles);
      if (kept) return kept;
    }
    // A stimulus the binding cannot apply stops the sequence there (NOT-TESTED from that step on, saying why):
    // the checks before it do not depend on it. Only when no check comes before it is the whole sequence left.
    const earlier: Stimulus[] = [];
    for (const step of flatten(this.sequence.steps)) {
      if (labels(step as { check?: string | string[] }).length) return undefined;
      if (!('control' in step)) continue;
      const stimulus = resolveStimulus(step.control, this.ctx.roles);
      const why = this.unavailable(stimulus, earlier);
      if (why) return why;
      earlier.push(stimulus);
    }
    return undefined;
  }

  /** Why the target's stimuli cannot apply this one, after `earlier` (a verb it lacks, or one stimulus of a verb it offers). */
  private unavailable(stimulus: Stimulus, earlier: readonly Stimulus[]): string | undefined {
    const control = this.ctx.target.control!;
    if (!control.verbs.has(stimulus.verb)) return `the target's ${control.unsettled ? 'in-band stimuli lack' : 'control adapter lacks'} ${stimulus.verb}`;
    // A binding may offer a verb but not every stimulus of it (the in-band stimuli: groups and resources only).
    const why = control.cannot?.(stimulus, earlier);
    return why ? `the target's stimuli cannot apply ${stimulus.verb}: ${why}` : undefined;
  }

  /** `node`: the name of the node to connect to; absent, the node the target is pointed at. */
  private async connect(node?: string): Promise<void> {
    if (this.session) this.earlierSessions.push(this.session);
    const connection: ClusapiConnection = await this.ctx.target.connect({
      protocolVersion: this.ctx.protocolVersion,
      accessLevel: this.sequence.accessLevel ?? 'full',
      ...(node === undefined ? {} : { node }),
    });
    this.session = new Session(connection, this.trace, this.ctx.timeouts);
  }

  private async step(step: Step): Promise<void> {
    if ('call' in step) return this.callStep(step);
    if ('await' in step) return this.awaitStep(step);
    if ('control' in step) {
      const control = this.ctx.target.control!;
      const stimulus = resolveStimulus(step.control, this.ctx.roles);
      const why = this.unavailable(stimulus, this.stimuli);
      if (why) throw new Unavailable(`${why} (the sequence stops at step ${this.stepIndex}; the checks before it were judged)`);
      this.stimuli.push(stimulus);
      this.trace.add(`${control.unsettled ? 'stimulus in-band' : 'control'} ${JSON.stringify(stimulus)}`);
      const creates = stimulus.verb === 'AddObject' || stimulus.verb === 'RegistryCreateKey' || stimulus.verb === 'RegistrySetValue';
      if (creates) this.applied.push(stimulus);
      try {
        await control.apply(stimulus);
      } catch (error) {
        if (error instanceof StimulusRefused) throw new NotReached(`step ${this.stepIndex}: the in-band stimulus ${stimulus.verb} was not applied: ${error.message}`);
        throw error;
      }
      if (!creates) this.applied.push(stimulus);
      if (control.unsettled) this.unsettled = control.unsettled;
      this.inband ||= Boolean(control.unsettled);
      return;
    }
    if ('absent' in step && this.unsettled) return this.unsettledAbsentStep(step, this.unsettled);
    if ('read' in step) return this.readStep(step);
    if ('absent' in step) return this.absentStep(step);
    if ('assert' in step) return this.assertStep(step);
    if ('readV2' in step) {
      this.readableV2Port(step.readV2);
      return readV2Step(this.v2Host(labels(step)), step);
    }
    if ('absentV2' in step) {
      this.unblockedV2.add(this.readableV2Port(step.absentV2));
      return absentV2Step(this.v2Host(labels(step)), step, this.unsettled);
    }
    if ('reconnect' in step) {
      const node = typeof step.reconnect === 'string' ? (isRoleRef(step.reconnect) ? resolveRoleRef(step.reconnect, this.ctx.roles) : step.reconnect) : undefined;
      this.trace.add(node === undefined ? 'reconnect' : `reconnect to node ${node}`);
      return this.connect(node);
    }
    if ('repeat' in step) return this.repeatStep(step);
    throw new SequenceDataError(`step ${this.stepIndex} has no known kind`);
  }

  /** What the version 2 port steps (v2-steps.ts) may use of this run. */
  private v2Host(checks: string[]): V2StepHost {
    return {
      session: this.session,
      vars: this.vars,
      timeouts: this.ctx.timeouts,
      labels: checks,
      record: (outcome, detail) => this.record(checks, outcome, detail),
      fail: (detail) => {
        this.record(checks, 'fail', detail);
        throw new CheckFailed(detail);
      },
      notReached: (detail) => {
        throw new NotReached(detail);
      },
    };
  }

  private async callStep(step: CallStep): Promise<void> {
    const names = PARAMETERS[step.call] ?? [];
    const args = (step.args ?? []).map((a, i) => this.vars.resolve(a, kindOf(names[i] ?? '')));
    if (step.async) {
      this.pending.set(step.async, this.session.start(step.call, args));
      return;
    }
    let reply: Reply<Record<string, unknown>>;
    try {
      reply = await this.session.call(step.call, args);
    } catch (error) {
      // A connection the server ended, where the step expects just that: an observation, not a crash.
      if (error instanceof TargetError && error.fault === 'crash' && step.expect && acceptsEnded(step.expect)) {
        this.record(labels(step), 'pass', `${step.call}: the server had ended the connection (${error.message})`);
        return;
      }
      throw error;
    }
    this.judge(step, step.call, reply, step.expect);
  }

  private async awaitStep(step: AwaitStep): Promise<void> {
    const call = this.pending.get(step.await);
    if (!call) throw new SequenceDataError(`no call was started as '${step.await}'`);
    const reply = await call.settle(this.ctx.timeouts.callMs);
    if (reply === STILL_PENDING) {
      const detail = `${call.label} was still pending ${this.ctx.timeouts.callMs} ms later (${SLOW_HINT})`;
      if (step.ifPending === 'inconclusive') {
        this.record(labels(step), 'inconclusive', detail);
        throw new NotReached(detail);
      }
      this.record(labels(step), 'fail', detail);
      throw new CheckFailed(detail);
    }
    this.judge(step, call.label, reply, step.expect);
  }

  /** Compares a reply with the step's expectation; a step without checks is setup and must succeed. */
  private judge(step: CallStep | AwaitStep, call: string, reply: Reply<Record<string, unknown>>, expect: Expectation | undefined): void {
    if (this.ctx.protocolVersion === 2 && call === 'ApiUnblockGetNotifyCall' && reply.fault === RPC_S_PROCNUM_OUT_OF_RANGE) {
      // 3.1.4.1.107 (footnote): a version 2 server may lack the method; what needs it cannot be judged.
      const detail = 'the version 2 server does not implement ApiUnblockGetNotifyCall (RPC_S_PROCNUM_OUT_OF_RANGE)';
      this.record(labels(step), 'not-tested', detail);
      throw new NotReached(detail);
    }
    const problem = this.mismatch(reply, expect ?? { status: 'ERROR_SUCCESS' });
    const checks = labels(step);
    if (problem) {
      const detail = `${call}: ${problem.text}`;
      if (!checks.length && this.sequence.accessLevel === 'read' && (reply.status === ERROR.ACCESS_DENIED || reply.fault === ERROR.ACCESS_DENIED)) {
        throw new RefusedAtRead(`setup step ${this.stepIndex} was refused: ${detail}`);
      }
      if (!checks.length) throw new NotReached(`setup step ${this.stepIndex} failed: ${detail}`);
      const ids = this.ids(checks);
      // The status was as expected and only an out value was wrong: the clauses about the status were kept.
      const kept = problem.statusKept ? ids.filter(isAboutStatus) : [];
      const broken = ids.filter((id) => !kept.includes(id));
      if (!broken.length) {
        for (const id of kept) this.observe(id, 'pass', `${call} returned the expected status`);
        throw new NotReached(`step ${this.stepIndex}: ${detail}`);
      }
      for (const id of kept) this.observe(id, 'pass', `${call} returned the expected status (an out value is judged by ${broken.join(', ')})`);
      for (const id of broken) this.observe(id, 'fail', detail);
      throw new CheckFailed(detail);
    }
    this.record(checks, 'pass', `${call} as expected`);
    for (const [out, name] of Object.entries(step.save ?? {})) {
      if (reply.fault !== undefined || !(out in reply)) throw new NotReached(`${call} returned no ${out} to keep`);
      this.vars.set(name, (reply as Record<string, unknown>)[out]);
    }
  }

  /** Why a reply does not meet an expectation (any of `anyOf`); `statusKept` when only an out value is wrong. */
  private mismatch(reply: Reply<Record<string, unknown>>, expect: Expectation): { text: string; statusKept: boolean } | undefined {
    if (expect.anyOf) {
      const problems = expect.anyOf.map((alternative) => this.mismatch(reply, alternative));
      if (problems.some((p) => p === undefined)) return undefined;
      return { text: `none of the accepted readings holds: ${problems.map((p) => p!.text).join('; or ')}`, statusKept: false };
    }
    if (expect.ended) {
      const observed = reply.fault !== undefined ? `RPC fault ${describeValue(reply.fault, 'status')}` : `status ${describeValue(reply.status, 'status')}`;
      return { text: `expected the server to have ended the connection (the call failing at the transport), observed a reply: ${observed}`, statusKept: false };
    }
    if (reply.fault !== undefined) {
      if (expect.faultAllowed) return undefined;
      return {
        text: `expected status ${expect.status === undefined ? 'any' : describeSpec(expect.status, 'status', this.vars)}, observed RPC fault ${describeValue(reply.fault, 'status')}`,
        statusKept: false,
      };
    }
    if (expect.status !== undefined && !matches(expect.status, reply.status, 'status', this.vars)) {
      return { text: `expected status ${describeSpec(expect.status, 'status', this.vars)}, observed ${describeValue(reply.status, 'status')}`, statusKept: false };
    }
    for (const [out, spec] of Object.entries(expect.out ?? {})) {
      const kind = kindOf(out);
      if (!matches(spec, reply[out], kind, this.vars)) {
        return { text: `expected ${out} ${describeSpec(spec, kind, this.vars)}, observed ${describeValue(reply[out], kind)}`, statusKept: expect.status !== undefined };
      }
    }
    return undefined;
  }

  private async readStep(step: ReadStep): Promise<void> {
    const port = this.readablePort(step.read);
    const events: GetNotifyOut[] = [];
    for (let i = 0; i < step.expect.length; i++) {
      const read = await this.readOne(port);
      if (read.kind === 'event') {
        events.push(read.event);
        continue;
      }
      const detail = `expected ${step.expect.length} event(s) ${this.describePatterns(step.expect)}; got ${events.length} (${this.describeEvents(events)}), then ${read.detail}`;
      if (read.kind === 'missing') {
        this.record(labels(step), 'fail', detail);
        throw new CheckFailed(detail);
      }
      // No proof either way: the clause that governs the answer FAILs, the read's own clauses are not judged.
      if (read.blame) this.observe(read.blame, 'fail', read.detail);
      this.record(labels(step), 'inconclusive', `${detail}: whether the event was queued is not proven`);
      throw new NotReached(`step ${this.stepIndex}: ${read.detail}`);
    }
    const problem = this.compareEvents(step, events);
    if (problem) {
      this.blame(labels(step), this.aspectOf(step, events), problem);
      throw new CheckFailed(problem);
    }
    this.record(labels(step), 'pass', `read ${this.describeEvents(events)} as expected`);
    step.saveAs?.forEach((name, i) => this.vars.set(name, events[i]));
  }

  /**
   * A check that saw one thing wrong: when that one thing is known (`aspect`), only the clauses about it
   * FAIL (or, if the check names none, the clause that governs it) and the others are INCONCLUSIVE,
   * naming the broken precondition; otherwise every clause of the check FAILs.
   */
  private blame(checkLabels: string[], aspect: { aspect: Aspect; governor: string; what: string } | undefined, detail: string): void {
    const ids = this.ids(checkLabels);
    if (!aspect) {
      for (const id of ids) this.observe(id, 'fail', detail);
      return;
    }
    const about = ids.filter((id) => isAbout(id, aspect.aspect));
    const culprits = about.length ? about : [aspect.governor];
    for (const id of culprits) this.observe(id, 'fail', detail);
    for (const id of ids.filter((i) => !about.includes(i))) {
      this.observe(id, 'inconclusive', `not judged: ${aspect.what}, which ${culprits.join(', ')} judges; everything else this check needs was as expected (${detail})`);
    }
  }

  /** The one aspect that explains a mismatch of events that did arrive: their order, or one field. */
  private aspectOf(step: ReadStep, events: GetNotifyOut[]): { aspect: Aspect; governor: string; what: string } | undefined {
    const version = this.ctx.protocolVersion;
    if (events.length !== step.expect.length) return undefined;
    if (step.order === 'fifo' && this.eventsMatch(step.expect, events, 'any')) {
      return { aspect: 'order', governor: governor('order', version), what: 'the events came in another order' };
    }
    for (const field of FIELD_ASPECTS) {
      const relaxed = step.expect.map(({ [field]: _ignored, ...rest }) => rest);
      if (this.eventsMatch(relaxed, events, step.order ?? 'any')) {
        return { aspect: field, governor: governor(field, version), what: `the events carried a wrong ${field}` };
      }
    }
    const malformed = events.map((e) => malformedFilter(e.dwFilter, version)).find((m) => m !== undefined);
    if (malformed) {
      const relaxed = step.expect.map(({ dwFilter: _ignored, ...rest }) => rest);
      if (this.eventsMatch(relaxed, events, step.order ?? 'any')) {
        return { aspect: 'dwFilter', governor: malformed.clause, what: `an event's dwFilter is malformed (${malformed.why})` };
      }
    }
    return undefined;
  }

  /** One event, the proof that none was queued, or why neither could be established. */
  private async readOne(port: string): Promise<ReadResult> {
    const { readMs, callMs } = this.ctx.timeouts;
    const version = this.ctx.protocolVersion;
    if (version === 2) {
      const reply = await this.session.call('ApiGetNotify', [port, readMs]);
      if (reply.fault === undefined && reply.status === ERROR.SUCCESS) return { kind: 'event', event: asEvent(reply) };
      if (reply.fault === undefined && reply.status === ERROR.WAIT_TIMEOUT) return { kind: 'missing', detail: `ApiGetNotify timed out (WAIT_TIMEOUT): no event was queued` };
      // An answer at once that is neither: the read was refused, which is what its check observes.
      return { kind: 'missing', detail: `ApiGetNotify returned ${this.describeAnswer(reply)}` };
    }
    const read = this.session.start('ApiGetNotify', [port]);
    const reply = await read.settle(readMs);
    if (reply === STILL_PENDING) {
      // Nothing came although the stimulus had settled: release the read to learn whether the port was empty.
      const { refused, reply: released } = await unblockUntilReleased(this.session, port, read, callMs);
      if (refused) {
        throw new NotReached(`${read.label} blocked with no event, and ApiUnblockGetNotifyCall answered ${this.describeAnswer(refused)}: absence not proven`);
      }
      if (released === STILL_PENDING) throw new NotReached(`${read.label} blocked with no event, and ApiUnblockGetNotifyCall did not release it`);
      return this.releasedRead(released, 'the port held no event: the read blocked until ApiUnblockGetNotifyCall released it');
    }
    if (reply.fault === undefined && reply.status === ERROR.SUCCESS) return { kind: 'event', event: asEvent(reply) };
    return { kind: 'missing', detail: `ApiGetNotify returned ${this.describeAnswer(reply)}` };
  }

  /**
   * A version 3 read that ApiUnblockGetNotifyCall released: only the documented release code
   * (ERROR_INVALID_FUNCTION) proves the port was empty; an indication had arrived meanwhile; ERROR_SUCCESS
   * without one, a fault or another code break the release rule, and ERROR_NO_MORE_ITEMS (the read met
   * a port the unblock had already closed for retrieval, an allowed reading) proves nothing.
   */
  private releasedRead(reply: Reply<Record<string, unknown>>, emptyDetail: string): ReadResult {
    const release = releaseClause(this.ctx.protocolVersion);
    if (reply.fault === undefined && reply.status === ERROR.INVALID_FUNCTION) return { kind: 'missing', detail: emptyDetail };
    if (reply.fault === undefined && reply.status === ERROR.SUCCESS) {
      const event = asEvent(reply, true);
      if (event.dwFilter !== 0) return { kind: 'event', event };
      return { kind: 'unproven', detail: 'the ApiGetNotify that ApiUnblockGetNotifyCall released completed with ERROR_SUCCESS and no indication (dwFilter 0), not ERROR_INVALID_FUNCTION', blame: release };
    }
    if (reply.fault === undefined && reply.status === ERROR.NO_MORE_ITEMS) {
      return { kind: 'unproven', detail: 'the read met a port that ApiUnblockGetNotifyCall had closed for retrieval (ERROR_NO_MORE_ITEMS)' };
    }
    return { kind: 'unproven', detail: `the ApiGetNotify that ApiUnblockGetNotifyCall released answered ${this.describeAnswer(reply)}, not ERROR_INVALID_FUNCTION`, blame: release };
  }

  /**
   * Proves that the port holds no further event, by the documented proof only: version 2, the server's
   * own WAIT_TIMEOUT for the shortest Timeout (0 ms: the stimulus has settled, so anything it caused is
   * queued already); version 3, ERROR_INVALID_FUNCTION from the read that ApiUnblockGetNotifyCall
   * released. Any other answer leaves the step's clauses INCONCLUSIVE, and FAILs the clause that governs
   * that answer when it breaks one.
   */
  private async absentStep(step: AbsentStep): Promise<void> {
    const port = this.readablePort(step.absent);
    this.unblocked.add(port);
    const result = this.ctx.protocolVersion === 2 ? await this.expireTimer(port) : await this.unblockRead(port);
    if (result.kind === 'missing') {
      this.record(labels(step), 'pass', `no further event: ${result.detail}`);
      return;
    }
    if (result.kind === 'event') {
      const detail = `expected no further event, but ApiGetNotify returned ${this.describeEvents([result.event])}`;
      this.record(labels(step), 'fail', detail);
      throw new CheckFailed(detail);
    }
    if (result.blame) this.observe(result.blame, 'fail', result.detail);
    this.record(labels(step), 'inconclusive', `absence of further events not proven: ${result.detail}`);
    throw new NotReached(`step ${this.stepIndex}: absence not proven: ${result.detail}`);
  }

  /**
   * An absence step after an in-band stimulus: nothing proves the port empty (docs/stimuli.md), so its
   * clauses are INCONCLUSIVE whatever the port shows. The read is still made and released as with a settled
   * stimulus, so the port is left as the sequence expects, and when it was released empty the sequence goes
   * on: no later step reads this port (readablePort), so an event that was only late cannot reach a later
   * check. An event, or an answer that proves nothing, stops the sequence there (the port is not as the
   * steps after it expect).
   */
  private async unsettledAbsentStep(step: AbsentStep, unsettled: string): Promise<void> {
    const port = this.readablePort(step.absent);
    this.unblocked.add(port);
    const result = this.ctx.protocolVersion === 2 ? await this.expireTimer(port) : await this.unblockRead(port);
    const detail = `absence of further events not proven: ${unsettled}`;
    if (result.kind === 'missing') {
      this.record(labels(step), 'inconclusive', `${detail} (the port showed none when looked at: ${result.detail})`);
      return;
    }
    if (result.kind === 'event') {
      this.record(labels(step), 'inconclusive', `${detail}; ApiGetNotify returned ${this.describeEvents([result.event])}, which a settled stimulus would make a failure, not judged after an in-band one`);
      throw new NotReached(`step ${this.stepIndex}: ${detail}`);
    }
    if (result.blame) this.observe(result.blame, 'fail', result.detail);
    this.record(labels(step), 'inconclusive', `${detail}: ${result.detail}`);
    throw new NotReached(`step ${this.stepIndex}: ${detail}`);
  }

  private async expireTimer(port: string): Promise<ReadResult> {
    const read = this.session.start('ApiGetNotify', [port, ABSENCE_TIMEOUT_MS]);
    const reply = await read.settle(this.ctx.timeouts.callMs);
    if (reply === STILL_PENDING) {
      return { kind: 'unproven', detail: `${read.label} was still pending ${this.ctx.timeouts.callMs} ms later: the expired GetNotify timer did not complete it with WAIT_TIMEOUT`, blame: EXPIRED_TIMER };
    }
    if (reply.fault === undefined && reply.status === ERROR.WAIT_TIMEOUT) return { kind: 'missing', detail: `ApiGetNotify with a ${ABSENCE_TIMEOUT_MS} ms Timeout returned WAIT_TIMEOUT` };
    if (reply.fault === undefined && reply.status === ERROR.SUCCESS) return { kind: 'event', event: asEvent(reply) };
    if (reply.fault === undefined && (reply.status === ERROR.NO_MORE_ITEMS || reply.status === ERROR.INVALID_FUNCTION)) {
      return { kind: 'unproven', detail: `ApiGetNotify answered ${this.describeAnswer(reply)}: the port reports itself closed for retrieval` };
    }
    return { kind: 'unproven', detail: `ApiGetNotify with a ${ABSENCE_TIMEOUT_MS} ms Timeout answered ${this.describeAnswer(reply)}, not WAIT_TIMEOUT, when its GetNotify timer expired`, blame: EXPIRED_TIMER };
  }

  /**
   * A version 2 port a readV2 or absentV2 step may use: never one an absentV2 step has unblocked (as
   * readablePort for version 1 ports), so an entry that was only late after an in-band stimulus cannot
   * reach a later check.
   */
  private readableV2Port(ref: string): string {
    const port = this.vars.resolve(ref) as string;
    if (this.unblockedV2.has(port)) {
      throw new SequenceDataError(`step ${this.stepIndex} reads ${ref} after an absence proof on it: an unblock may close a port for retrieval, so nothing read there afterwards is proof`);
    }
    return port;
  }

  /** A port a read or absence step may use: never one an absence proof has unblocked (in either protocol version, so a sequence means the same in both). */
  private readablePort(ref: string): string {
    const port = this.vars.resolve(ref) as string;
    if (this.unblocked.has(port)) {
      throw new SequenceDataError(`step ${this.stepIndex} reads ${ref} after an absence proof on it: an unblock may close a port for retrieval (3.1.4.x.107), so nothing read there afterwards is proof`);
    }
    return port;
  }

  private async unblockRead(port: string): Promise<ReadResult> {
    this.unblocked.add(port);
    const read = this.session.start('ApiGetNotify', [port]);
    const { refused, reply } = await unblockUntilReleased(this.session, port, read, this.ctx.timeouts.callMs);
    if (refused) return { kind: 'unproven', detail: `ApiUnblockGetNotifyCall answered ${this.describeAnswer(refused)}` };
    if (reply === STILL_PENDING) return { kind: 'unproven', detail: `${read.label} was not released by ApiUnblockGetNotifyCall` };
    return this.releasedRead(reply, 'the read was released by ApiUnblockGetNotifyCall with ERROR_INVALID_FUNCTION');
  }

  private describeAnswer(reply: Reply<Record<string, unknown>>): string {
    return reply.fault !== undefined ? `RPC fault ${describeValue(reply.fault, 'status')}` : describeValue(reply.status, 'status');
  }

  private assertStep(step: AssertStep): void {
    const field = step.assert.split('.').pop() ?? step.assert;
    const kind = kindOf(field);
    const actual = this.vars.resolve(step.assert);
    if (matches(step.is, actual, kind, this.vars)) {
      this.record(labels(step), 'pass', `${step.assert} is ${describeValue(actual, kind)} as expected`);
      return;
    }
    // Only a kept value was inspected: the steps after it still stand on what the target did.
    const detail = `expected ${step.assert} ${describeSpec(step.is, kind, this.vars)}, observed ${describeValue(actual, kind)}`;
    const version = this.ctx.protocolVersion;
    let aspect: { aspect: Aspect; governor: string; what: string } | undefined;
    if ((FIELD_ASPECTS as readonly string[]).includes(field)) {
      const f = field as (typeof FIELD_ASPECTS)[number];
      aspect = { aspect: f, governor: governor(f, version), what: `${step.assert} is wrong` };
    } else if (field === 'dwFilter' && typeof actual === 'number') {
      const malformed = malformedFilter(actual, version);
      if (malformed) aspect = { aspect: 'dwFilter', governor: malformed.clause, what: `${step.assert} is malformed (${malformed.why})` };
    }
    this.blame(labels(step), aspect, detail);
  }

  /** Runs the nested steps once per index, "{name}" in their strings standing for the index. */
  private async repeatStep(step: RepeatStep): Promise<void> {
    const { from, to, as } = step.repeat;
    if (!Number.isInteger(from) || !Number.isInteger(to) || to < from || !/^[a-z]\w*$/i.test(as)) {
      throw new SequenceDataError(`step ${this.stepIndex}: repeat needs integer from <= to and a name`);
    }
    for (let index = from; index <= to; index++) {
      for (const inner of step.steps) await this.step(substitute(inner, `{${as}}`, index) as Step);
    }
  }

  private eventsMatch(patterns: EventPattern[], events: GetNotifyOut[], order: 'fifo' | 'any'): boolean {
    const ok = (pattern: EventPattern, event: GetNotifyOut) =>
      Object.entries(pattern).every(([field, spec]) => matches(spec, event[field as keyof GetNotifyOut], kindOf(field), this.vars));
    if (patterns.length !== events.length) return false;
    return order === 'fifo' ? patterns.every((pattern, i) => ok(pattern, events[i])) : matchAll(patterns, events, ok);
  }

  private compareEvents(step: ReadStep, events: GetNotifyOut[]): string | undefined {
    if (this.eventsMatch(step.expect, events, step.order ?? 'any')) return undefined;
    return `expected ${step.order === 'fifo' ? 'in this order ' : ''}${this.describePatterns(step.expect)}, observed ${this.describeEvents(events)}`;
  }

  private describePatterns(patterns: EventPattern[]): string {
    return `[${patterns
      .map((p) => `{${Object.entries(p).map(([f, s]) => `${f}: ${describeSpec(s, kindOf(f), this.vars)}`).join(', ')}}`)
      .join(', ')}]`;
  }

  private describeEvents(events: GetNotifyOut[]): string {
    return `[${events
      .map((e) => `{dwNotifyKey: ${e.dwNotifyKey}, dwFilter: ${describeValue(e.dwFilter, 'filter')}, dwStateSequence: ${e.dwStateSequence}, Name: ${JSON.stringify(e.Name)}}`)
      .join(', ')}]`;
  }

  /** Labels -> clause ids of this protocol version; labels a version lacks are skipped. */
  private ids(checkLabels: string[]): string[] {
    const version = String(this.ctx.protocolVersion) as '2' | '3';
    return checkLabels.flatMap((label) => {
      const byVersion = this.sequence.clauses[label];
      if (!byVersion) throw new SequenceDataError(`check label '${label}' is not in the sequence's clauses`);
      return byVersion[version] ?? [];
    });
  }

  private record(checkLabels: string[], outcome: Outcome, detail: string): void {
    for (const clause of this.ids(checkLabels)) this.observe(clause, outcome, detail);
  }

  private observe(clause: string, outcome: Outcome, detail: string): void {
    this.observed.add(clause);
    const observation: Observation = {
      clause,
      outcome,
      test: this.sequence.id,
      protocolVersion: this.ctx.protocolVersion,
      message: `${this.sequence.title}: ${detail}${this.inband ? ' [stimuli in-band, through MS-CMRP]' : ''}`,
    };
    if (outcome !== 'pass' && outcome !== 'not-tested') {
      observation.trace = [...this.trace.lines];
      observation.replay = this.ctx.replay(clause);
    }
    this.observations.push(observation);
  }

  /** Every clause of the sequence not yet observed gets the same outcome (capability missing, run cut short). */
  private recordRest(outcome: Outcome, detail: string): void {
    for (const clause of clausesIn(this.sequence, this.ctx.protocolVersion)) {
      if (!this.observed.has(clause)) this.observe(clause, outcome, detail);
    }
  }

  /**
   * A Read client refused at setup falls short of each recommendation ("SHOULD accept at Read") the
   * sequence checks; a MUST it checks was only not reached: the refused step's own clause judges the refusal.
   */
  private recordRefusedAtRead(detail: string): void {
    for (const clause of clausesIn(this.sequence, this.ctx.protocolVersion)) {
      if (this.observed.has(clause)) continue;
      const level = catalogueNames().clause(clause)?.level;
      if (level === 'SHOULD' || level === 'SHOULD NOT' || level === 'MAY') this.observe(clause, 'fail', `the server refused the Read-level client: ${detail}; a Read client cannot reach this check`);
      else this.observe(clause, 'inconclusive', `not reached: the server refused the Read-level client: ${detail}`);
    }
  }

  private recordAbort(error: unknown): void {
    if (error instanceof CheckFailed) return this.recordRest('inconclusive', `not reached: step ${this.stepIndex} failed earlier in the sequence`);
    if (error instanceof NotReached) return this.recordRest('inconclusive', `not reached: ${error.message}`);
    if (error instanceof Unavailable) return this.recordRest('not-tested', error.message);
    if (error instanceof RefusedAtRead) return this.recordRefusedAtRead(error.message);
    if (error instanceof TargetError) return this.recordRest('error', `the target failed at step ${this.stepIndex}: ${error.message}`);
    const message = error instanceof Error ? error.message : String(error);
    // A fault of the sequence data is the harness's own: it must show even when every clause was already judged.
    if (error instanceof SequenceDataError) this.observe(HARNESS_ID, 'error', `sequence data error at step ${this.stepIndex}: ${message}`);
    this.recordRest('error', `harness error at step ${this.stepIndex}: ${message}`);
  }

  /**
   * Deletes what the sequence created of its own and left (docs/profiles.md): a live cluster keeps only
   * its own objects. Not a verdict: a deletion the target refuses is traced, and the run's cleanup tries
   * again; but a target that fails there (crash, hang, garbage) failed in this sequence's session: that is
   * ERROR of its clauses, as at Disconnect.
   */
  private async undoOwn(): Promise<void> {
    const control = this.ctx.target.control;
    const left = ownLeftovers(this.applied);
    if (!control || !left.length) return;
    const undone = await applyDeletions(control, deletionsOf(left), this.ctx.timeouts.callMs);
    for (const what of undone.deleted) this.trace.add(`cleanup: deleted ${what}`);
    for (const why of undone.failed) this.trace.add(`cleanup: could not delete ${why}`);
    if (undone.faults.length) this.blameRest(`the target failed when the sequence's own objects were deleted after it: ${undone.faults[0]}`);
  }

  /** ERROR on every clause of the sequence that does not already carry an error or a failure. */
  private blameRest(detail: string): void {
    const blamed = new Set(this.observations.filter((o) => o.outcome === 'error' || o.outcome === 'fail').map((o) => o.clause));
    for (const clause of clausesIn(this.sequence, this.ctx.protocolVersion)) {
      if (!blamed.has(clause)) this.observe(clause, 'error', detail);
    }
  }

  /**
   * Ends the session. A target that fails there (hangs, crashes, answers garbage to Disconnect) is
   * ERROR of the sequence's clauses (the ones in flight), unless they already carry an error or failure.
   */
  private async close(): Promise<void> {
    // A connection left behind may already be gone (a node the sequence took down ends its
    // connections): how its Disconnect ends judges nothing, so only the last session's is blamed.
    // Side by side, so one that hangs costs no more than the last session's own timeout.
    await Promise.all([...this.earlierSessions.map((session) => this.closeSession(session, false)), this.session && this.closeSession(this.session, true)]);
  }

  private async closeSession(session: Session, blame: boolean): Promise<void> {
    const ms = this.ctx.timeouts.callMs;
    const closing = session.connection.close().then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`Disconnect: timeout: no reply within ${ms} ms (${SLOW_HINT})`), ms)));
    const fault = await Promise.race([closing, late]);
    clearTimeout(timer);
    if (fault === undefined) return;
    this.trace.add(`Disconnect -> ${fault}`);
    if (blame) this.blameRest(`the target failed when the session was closed: ${fault}`);
  }
}

/** Every step, those inside repeat blocks included. */
function flatten(steps: Step[]): Step[] {
  return steps.flatMap((step) => ('repeat' in step ? flatten(step.steps) : [step]));
}

function labels(step: { check?: string | string[] }): string[] {
  return step.check === undefined ? [] : Array.isArray(step.check) ? step.check : [step.check];
}

/**
 * The event of a successful ApiGetNotify; out values of the wrong type are garbage from the target.
 * `released`: the read was released by ApiUnblockGetNotifyCall, whose out values are unspecified (a NULL
 * Name is then no garbage).
 */
function asEvent(reply: Reply<Record<string, unknown>>, released = false): GetNotifyOut {
  const r = reply as Record<string, unknown>;
  if (released && (r.Name === null || r.Name === undefined)) return asEvent({ ...reply, Name: '' } as Reply<Record<string, unknown>>);
  for (const field of ['dwNotifyKey', 'dwFilter', 'dwStateSequence']) {
    const v = r[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new TargetError('ApiGetNotify', 'malformed', `${field} is ${JSON.stringify(v)}`);
    }
  }
  if (typeof r.Name !== 'string') throw new TargetError('ApiGetNotify', 'malformed', `Name is ${JSON.stringify(r.Name)}`);
  return { dwNotifyKey: r.dwNotifyKey as number, dwFilter: r.dwFilter as number, dwStateSequence: r.dwStateSequence as number, Name: r.Name };
}

/** A copy of a step's data with `token` in every string replaced by `index` (a string that is only the token becomes the number). */
function substitute(value: unknown, token: string, index: number): unknown {
  if (typeof value === 'string') return value === token ? index : value.split(token).join(String(index));
  if (Array.isArray(value)) return value.map((v) => substitute(v, token, index));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, token, index)]));
  }
  return value;
}

/** Is there a one-to-one pairing of patterns and events? (Small n: backtracking is fine.) */
function matchAll<P, E>(patterns: P[], events: E[], ok: (p: P, e: E) => boolean): boolean {
  if (patterns.length !== events.length) return false;
  const used = new Array<boolean>(events.length).fill(false);
  const place = (i: number): boolean => {
    if (i === patterns.length) return true;
    for (let j = 0; j < events.length; j++) {
      if (!used[j] && ok(patterns[i], events[j])) {
        used[j] = true;
        if (place(i + 1)) return true;
        used[j] = false;
      }
    }
    return false;
  };
  return place(0);
}

export type { MethodName };

/** Whether an expectation (or one of its readings) is met by the server having ended the connection. */
function acceptsEnded(expect: Expectation): boolean {
  return expect.ended === true || (expect.anyOf ?? []).some(acceptsEnded);
}
