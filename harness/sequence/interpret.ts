// Runs one scripted sequence against a target and turns every check into an observation. A check's
// verdict comes only from what the target answered; a sequence that cannot reach a check says why.
import type { Observation, Outcome } from '../recorder/observation';
import type { ControlVerb } from '../../cmrp/control';
import { TargetError, type ClusapiConnection, type GetNotifyOut, type MethodName, type Reply, type Target } from '../../cmrp/contract';
import { ERROR, type ProtocolVersion } from '../../cmrp/constants';
import { PARAMETERS } from '../session/parameters';
import { Session, STILL_PENDING, type PendingCall, type Timeouts } from '../session/session';
import { Trace } from '../session/trace';
import { SequenceDataError, Variables, describeSpec, describeValue, kindOf, matches } from './values';
import type { AbsentStep, AssertStep, AwaitStep, CallStep, EventPattern, Expectation, ReadStep, Sequence, Step } from './types';

export interface SequenceContext {
  target: Target;
  protocolVersion: ProtocolVersion;
  timeouts: Timeouts;
  /** How to rerun this sequence's clause (a command line), for the failure text. */
  replay(clauseId: string): string;
}

/** The clause ids a sequence checks in a protocol version (empty: it does not apply there). */
export function clausesIn(sequence: Sequence, version: ProtocolVersion): string[] {
  if (sequence.versions && !sequence.versions.includes(version)) return [];
  return Object.values(sequence.clauses).flatMap((byVersion) => byVersion[String(version) as '2' | '3'] ?? []);
}

/** A check that saw the target break its clause: the sequence stops there. */
class CheckFailed extends Error {}
/** A setup step went wrong: the checks after it cannot be judged. */
class NotReached extends Error {}

export async function runSequence(sequence: Sequence, ctx: SequenceContext): Promise<Observation[]> {
  return new SequenceRun(sequence, ctx).run();
}

class SequenceRun {
  private readonly observations: Observation[] = [];
  private readonly observed = new Set<string>();
  private readonly vars = new Variables();
  private readonly pending = new Map<string, PendingCall>();
  private readonly trace = new Trace();
  private session!: Session;
  private stepIndex = 0;

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
    try {
      if (this.ctx.target.control?.verbs.has('Reset')) await this.ctx.target.control.apply({ verb: 'Reset' });
      await this.connect();
      for (const step of this.sequence.steps) {
        this.stepIndex++;
        await this.step(step);
      }
    } catch (error) {
      this.recordAbort(error);
    } finally {
      await this.closeQuietly();
    }
    return this.observations;
  }

  private missingCapability(): string | undefined {
    const { target } = this.ctx;
    if (this.sequence.accessLevel && !target.capabilities.accessLevels.includes(this.sequence.accessLevel)) {
      return `the target cannot open a connection with ${this.sequence.accessLevel} access only`;
    }
    if (this.sequence.rpcRuntime && !target.capabilities.rpcRuntime) {
      return 'needs a binding that sees the RPC runtime (the dcerpc: target): rpc_status and the wire form of context handles';
    }
    const verbs = new Set<ControlVerb>();
    let usesV2Ports = false;
    for (const step of this.sequence.steps) {
      if ('control' in step) verbs.add(step.control.verb);
      if ('call' in step && /NotifyV2$/.test(step.call)) usesV2Ports = true;
    }
    if (usesV2Ports && !target.capabilities.notifyV2) return 'the target does not offer version 2 notification ports';
    if (verbs.size && !target.control) return `the target has no control adapter (needs ${[...verbs].join(', ')})`;
    const lacking = [...verbs].filter((v) => !target.control!.verbs.has(v));
    if (lacking.length) return `the target's control adapter lacks ${lacking.join(', ')}`;
    return undefined;
  }

  private async connect(): Promise<void> {
    const connection: ClusapiConnection = await this.ctx.target.connect({
      protocolVersion: this.ctx.protocolVersion,
      accessLevel: this.sequence.accessLevel ?? 'full',
    });
    this.session = new Session(connection, this.trace, this.ctx.timeouts);
  }

  private async step(step: Step): Promise<void> {
    if ('call' in step) return this.callStep(step);
    if ('await' in step) return this.awaitStep(step);
    if ('control' in step) {
      this.trace.add(`control ${JSON.stringify(step.control)}`);
      return this.ctx.target.control!.apply(step.control);
    }
    if ('read' in step) return this.readStep(step);
    if ('absent' in step) return this.absentStep(step);
    if ('assert' in step) return this.assertStep(step);
    if ('reconnect' in step) {
      this.trace.add('reconnect');
      return this.connect();
    }
    throw new SequenceDataError(`step ${this.stepIndex} has no known kind`);
  }

  private async callStep(step: CallStep): Promise<void> {
    const names = PARAMETERS[step.call] ?? [];
    const args = (step.args ?? []).map((a, i) => this.vars.resolve(a, kindOf(names[i] ?? '')));
    if (step.async) {
      this.pending.set(step.async, this.session.start(step.call, args));
      return;
    }
    const reply = await this.session.call(step.call, args);
    this.judge(step, step.call, reply, step.expect);
  }

  private async awaitStep(step: AwaitStep): Promise<void> {
    const call = this.pending.get(step.await);
    if (!call) throw new SequenceDataError(`no call was started as '${step.await}'`);
    const reply = await call.settle(this.ctx.timeouts.callMs);
    if (reply === STILL_PENDING) {
      const detail = `${call.label} was still pending ${this.ctx.timeouts.callMs} ms later`;
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
    const problem = this.mismatch(reply, expect ?? { status: 'ERROR_SUCCESS' });
    const checks = labels(step);
    if (problem) {
      const detail = `${call}: ${problem}`;
      if (!checks.length) throw new NotReached(`setup step ${this.stepIndex} failed: ${detail}`);
      this.record(checks, 'fail', detail);
      throw new CheckFailed(detail);
    }
    this.record(checks, 'pass', `${call} as expected`);
    for (const [out, name] of Object.entries(step.save ?? {})) {
      if (reply.fault !== undefined || !(out in reply)) throw new NotReached(`${call} returned no ${out} to keep`);
      this.vars.set(name, (reply as Record<string, unknown>)[out]);
    }
  }

  private mismatch(reply: Reply<Record<string, unknown>>, expect: Expectation): string | undefined {
    if (reply.fault !== undefined) {
      if (expect.faultAllowed) return undefined;
      return `expected status ${expect.status === undefined ? 'any' : describeSpec(expect.status, 'status', this.vars)}, observed RPC fault ${describeValue(reply.fault, 'status')}`;
    }
    if (expect.status !== undefined && !matches(expect.status, reply.status, 'status', this.vars)) {
      return `expected status ${describeSpec(expect.status, 'status', this.vars)}, observed ${describeValue(reply.status, 'status')}`;
    }
    for (const [out, spec] of Object.entries(expect.out ?? {})) {
      const kind = kindOf(out);
      if (!matches(spec, reply[out], kind, this.vars)) {
        return `expected ${out} ${describeSpec(spec, kind, this.vars)}, observed ${describeValue(reply[out], kind)}`;
      }
    }
    return undefined;
  }

  private async readStep(step: ReadStep): Promise<void> {
    const port = this.vars.resolve(step.read) as string;
    const events: GetNotifyOut[] = [];
    for (let i = 0; i < step.expect.length; i++) {
      const event = await this.readOne(port);
      if (typeof event === 'string') {
        const detail = `expected ${step.expect.length} event(s) ${this.describePatterns(step.expect)}; got ${events.length} (${this.describeEvents(events)}), then ${event}`;
        this.record(labels(step), 'fail', detail);
        throw new CheckFailed(detail);
      }
      events.push(event);
    }
    const problem = this.compareEvents(step, events);
    if (problem) {
      this.record(labels(step), 'fail', problem);
      throw new CheckFailed(problem);
    }
    this.record(labels(step), 'pass', `read ${this.describeEvents(events)} as expected`);
    step.saveAs?.forEach((name, i) => this.vars.set(name, events[i]));
  }

  /** One event, or a sentence saying why there was none. The stimulus has settled: a missing event is missing. */
  private async readOne(port: string): Promise<GetNotifyOut | string> {
    const { readMs, callMs } = this.ctx.timeouts;
    if (this.ctx.protocolVersion === 2) {
      const reply = await this.session.call('ApiGetNotify', [port, readMs]);
      if (reply.fault !== undefined) return `ApiGetNotify failed with RPC fault ${describeValue(reply.fault, 'status')}`;
      if (reply.status === ERROR.WAIT_TIMEOUT) return `ApiGetNotify timed out (WAIT_TIMEOUT): no event was queued`;
      if (reply.status !== ERROR.SUCCESS) return `ApiGetNotify returned ${describeValue(reply.status, 'status')}`;
      return asEvent(reply);
    }
    const read = this.session.start('ApiGetNotify', [port]);
    let reply = await read.settle(readMs);
    if (reply === STILL_PENDING) {
      // Nothing came although the stimulus had settled: release the read to learn whether the port was empty.
      await this.session.call('ApiUnblockGetNotifyCall', [port]);
      reply = await read.settle(callMs);
      if (reply === STILL_PENDING) throw new NotReached(`${read.label} blocked with no event, and ApiUnblockGetNotifyCall did not release it`);
      if (reply.fault === undefined && reply.status === ERROR.SUCCESS) return asEvent(reply);
      return `the port held no event: the read blocked until ApiUnblockGetNotifyCall released it`;
    }
    if (reply.fault !== undefined) return `ApiGetNotify failed with RPC fault ${describeValue(reply.fault, 'status')}`;
    if (reply.status !== ERROR.SUCCESS) return `ApiGetNotify returned ${describeValue(reply.status, 'status')}`;
    return asEvent(reply);
  }

  private async absentStep(step: AbsentStep): Promise<void> {
    const port = this.vars.resolve(step.absent) as string;
    const { callMs } = this.ctx.timeouts;
    let reply: Reply<Record<string, unknown>> | typeof STILL_PENDING;
    let how: string;
    if (this.ctx.protocolVersion === 2) {
      // The server's own GetNotify timer proves the queue empty: the stimulus had settled before, so
      // the shortest Timeout the spec leaves no doubt about (1 ms; 0 may be read otherwise) will do.
      const timeout = 1;
      reply = await this.session.call('ApiGetNotify', [port, timeout]);
      how = 'timed out';
      if (reply.fault === undefined && reply.status !== ERROR.SUCCESS && reply.status !== ERROR.WAIT_TIMEOUT) {
        throw new NotReached(`ApiGetNotify with a ${timeout} ms Timeout returned ${describeValue(reply.status, 'status')}, not WAIT_TIMEOUT: absence not proven`);
      }
    } else {
      const read = this.session.start('ApiGetNotify', [port]);
      const unblock = await this.session.call('ApiUnblockGetNotifyCall', [port]);
      if (unblock.fault !== undefined || unblock.status !== ERROR.SUCCESS) {
        throw new NotReached('ApiUnblockGetNotifyCall did not succeed: absence of events not proven');
      }
      reply = await read.settle(callMs);
      how = 'was released by ApiUnblockGetNotifyCall';
      if (reply === STILL_PENDING) throw new NotReached(`${read.label} was not released by ApiUnblockGetNotifyCall: absence not proven`);
    }
    if (reply.fault === undefined && reply.status === ERROR.SUCCESS) {
      const detail = `expected no further event, but ApiGetNotify returned ${this.describeEvents([asEvent(reply)])}`;
      this.record(labels(step), 'fail', detail);
      throw new CheckFailed(detail);
    }
    this.record(labels(step), 'pass', `no further event: the read ${how}`);
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
    this.record(labels(step), 'fail', `expected ${step.assert} ${describeSpec(step.is, kind, this.vars)}, observed ${describeValue(actual, kind)}`);
  }

  private compareEvents(step: ReadStep, events: GetNotifyOut[]): string | undefined {
    const ok = (pattern: EventPattern, event: GetNotifyOut) =>
      Object.entries(pattern).every(([field, spec]) => matches(spec, event[field as keyof GetNotifyOut], kindOf(field), this.vars));
    let good: boolean;
    if (step.order === 'fifo') {
      good = step.expect.every((pattern, i) => ok(pattern, events[i]));
    } else {
      good = matchAll(step.expect, events, ok);
    }
    if (good) return undefined;
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
      message: `${this.sequence.title}: ${detail}`,
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

  private recordAbort(error: unknown): void {
    if (error instanceof CheckFailed) return this.recordRest('inconclusive', `not reached: step ${this.stepIndex} failed earlier in the sequence`);
    if (error instanceof NotReached) return this.recordRest('inconclusive', `not reached: ${error.message}`);
    if (error instanceof TargetError) return this.recordRest('error', `the target failed at step ${this.stepIndex}: ${error.message}`);
    const message = error instanceof Error ? error.message : String(error);
    this.recordRest('error', `harness error at step ${this.stepIndex}: ${message}`);
  }

  private async closeQuietly(): Promise<void> {
    if (!this.session) return;
    const closing = this.session.connection.close().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closing, new Promise((resolve) => (timer = setTimeout(resolve, this.ctx.timeouts.callMs)))]);
    clearTimeout(timer);
  }
}

function labels(step: { check?: string | string[] }): string[] {
  return step.check === undefined ? [] : Array.isArray(step.check) ? step.check : [step.check];
}

/** The event of a successful ApiGetNotify; out values of the wrong type are garbage from the target. */
function asEvent(reply: Reply<Record<string, unknown>>): GetNotifyOut {
  const r = reply as Record<string, unknown>;
  for (const field of ['dwNotifyKey', 'dwFilter', 'dwStateSequence']) {
    const v = r[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new TargetError('ApiGetNotify', 'malformed', `${field} is ${JSON.stringify(v)}`);
    }
  }
  if (typeof r.Name !== 'string') throw new TargetError('ApiGetNotify', 'malformed', `Name is ${JSON.stringify(r.Name)}`);
  return { dwNotifyKey: r.dwNotifyKey as number, dwFilter: r.dwFilter as number, dwStateSequence: r.dwStateSequence as number, Name: r.Name };
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
