// Runs one step: the model predicts, the target answers through the session, the model judges, and
// the run records the verdict. A choice made while running (a blocked read's order) is pinned in the
// run's list of executed steps, so a replay makes it again.
import type { PortModel } from '../model/oracle';
import { CLOSE, CREATE, GET, REGISTRATION_SECTION, UNBLOCK, registrationRefs } from '../model/refs';
import type { HandleKind, ObjectKind, RegistrationMethod } from '../model/types';
import type { Observed, Verdict } from '../model/observed';
import { ERROR } from '../../cmrp/constants';
import type { MethodName } from '../../cmrp/contract';
import { STILL_PENDING, type PendingCall } from '../session/session';
import { BLOCKING_TIMEOUT_MS, HarnessProblem, yieldToServer, type RunContext } from './context';
import { repeatUnblock } from '../sequence/release';
import { badCallKind, freshPortBefore, keyPath, methodFor, objectTarget, plainBits, resolveBad, resolveStimulus, stepPort } from './resolve';
import { runStepV2 } from './execute-v2';
import { GET2, V2_SECTIONS } from '../model/refs-v2';
import type { ClauseRef } from '../model/clauses';
import { describeStep, describeStimulus, type Racer, type Step, type StimulusChoice } from './steps';

/** Runs one step, keeping it (as it ran) in the run's list of executed steps, failing or not. */
export async function runStep(ctx: RunContext, step: Step): Promise<void> {
  // A registration on a port whose retrieval has ended would be a step nothing reads: a fresh port first
  // (an ordinary step, so a replay makes it too).
  const fresh = freshPortBefore(ctx.model, step);
  if (fresh) await runStep(ctx, fresh);
  const text = describeStep(step);
  ctx.trace.add(`## step ${ctx.executed.length + 1}: ${text}`);
  ctx.executed.push({ text, data: step });
  await executeStep(ctx, step);
}

async function executeStep(ctx: RunContext, step: Step): Promise<void> {
  const m = ctx.model;
  switch (step.op) {
    case 'CreateNotify': {
      const o = await ctx.call('ApiCreateNotify', [], [CREATE.success]);
      const handle = o.kind === 'reply' && typeof o.out.hNotify === 'string' ? o.out.hNotify : undefined;
      const verdict = m.judgeCreate(o, handle ? ctx.trace.known(handle) : undefined);
      if (verdict.port && handle) ctx.bind(verdict.port.handle, handle);
      ctx.judge(verdict);
      return;
    }
    case 'CloseNotify':
      await closePort(ctx, stepPort(m, step)!);
      return;
    case 'AddNotifyCluster': {
      const port = stepPort(m, step)!;
      const cluster = m.currentHandle('cluster')!;
      const o = await ctx.call('ApiAddNotifyCluster', [ctx.handle(port.handle), ctx.handle(cluster), step.bits, step.key], [registrationRefs('x.58').success]);
      ctx.judge(m.judgeRegistration('ApiAddNotifyCluster', port.handle, cluster, step.bits, step.key, o));
      return;
    }
    case 'AddNotifyKey': {
      const port = stepPort(m, step)!;
      const key = m.currentHandle(`key:${keyPath(ctx.env, step.keyIndex)}`)!;
      const o = await ctx.call('ApiAddNotifyKey', [ctx.handle(port.handle), ctx.handle(key), step.key, step.bits, step.subtree], [registrationRefs('x.62').success]);
      ctx.judge(m.judgeRegistration('ApiAddNotifyKey', port.handle, key, step.bits, step.key, o, { subtree: step.subtree }));
      return;
    }
    case 'AddNotifyObject':
    case 'ReAddNotifyObject': {
      const reAdd = step.op === 'ReAddNotifyObject';
      const method = methodFor(step.kind, reAdd) as RegistrationMethod;
      const port = stepPort(m, step)!;
      const { name, target } = objectTarget(step.kind, step.object);
      const object = m.currentHandle(target)!;
      const args: unknown[] = [ctx.handle(port.handle), ctx.handle(object), step.bits, step.key];
      let sequence;
      if (step.op === 'ReAddNotifyObject') {
        sequence = m.cluster.chooseSequence(step.kind, name, step.sequence);
        args.push(sequence.value);
        ctx.trace.add(`# StateSequence ${sequence.value} is ${sequence.how}`);
      }
      const o = await ctx.call(method as MethodName, args, [registrationRefs(REGISTRATION_SECTION[method]).success]);
      ctx.judge(m.judgeRegistration(method, port.handle, object, step.bits, step.key, o, { sequence }));
      return;
    }
    case 'GetNotify':
      await read(ctx, stepPort(m, step)!);
      return;
    case 'Unblock':
      await unblockPort(ctx, stepPort(m, step)!);
      return;
    case 'Stimulus':
      await stimulate(ctx, step.stimulus);
      return;
    case 'BlockedRead':
      return blockedRead(ctx, step);
    case 'BadHandle':
      await badHandle(ctx, step);
      return;
    case 'CloseObjectHandle':
      await closeObjectHandle(ctx, step.target, step.index);
      return;
    default:
      return runStepV2(ctx, step);
  }
}

async function closePort(ctx: RunContext, port: PortModel): Promise<void> {
  const o = await ctx.call('ApiCloseNotify', [ctx.handle(port.handle)], [CLOSE.success]);
  ctx.judge(ctx.model.judgeClose(port.handle, o));
}

/** Returns true when the server refused the unblock in read-only state (tolerated). */
async function unblockPort(ctx: RunContext, port: PortModel): Promise<boolean> {
  const o = await ctx.call('ApiUnblockGetNotifyCall', [ctx.handle(port.handle)], [UNBLOCK.success]);
  const verdict = ctx.model.judgeUnblock(port.handle, o);
  ctx.judge(verdict);
  return verdict.refused === true;
}

function readArgs(ctx: RunContext, port: PortModel, timeoutMs: number): unknown[] {
  return ctx.env.version === 2 ? [ctx.handle(port.handle), timeoutMs] : [ctx.handle(port.handle)];
}

/** ApiGetNotify, or ApiGetNotifyV2 on a version 2 port (which takes no Timeout: protocol version 3 only). */
function readMethod(port: PortModel): 'ApiGetNotify' | 'ApiGetNotifyV2' {
  return port.version === 2 ? 'ApiGetNotifyV2' : 'ApiGetNotify';
}

/** The clauses a read's completion is for: a hang is an ERROR of these. */
function readRefs(port: PortModel): ClauseRef[] {
  return port.version === 2 ? [GET2.success] : [GET.success];
}

/**
 * A read that must complete. Version 2 gives a short Timeout: the server's GetNotify timer proves an
 * empty port. Version 3 blocks on an empty port: a read that may block is released with
 * ApiUnblockGetNotifyCall (and the model judges what that returns); one the model expects to return
 * a queued indication at once is left alone, unless it is still pending after settleMs.
 */
async function read(ctx: RunContext, port: PortModel): Promise<void> {
  const m = ctx.model;
  const { readMs, probeMs } = ctx.env.timeouts;
  if (!port.live) {
    const pending = ctx.start(readMethod(port), readArgs(ctx, port, probeMs));
    const bad = port.version === 2 ? { refs: [GET2.badNotify], section: V2_SECTIONS.get } : { refs: [GET.badNotify], section: 'x.66' };
    const o = await ctx.settle(pending, readMs, bad.refs);
    ctx.judge(m.badCall(o, [{ id: port.handle, expected: 'notify', refs: bad.refs }], bad.section)!);
    return;
  }
  const timed = ctx.env.version === 2;
  m.startRead(port.handle, timed);
  const pending = ctx.start(readMethod(port), readArgs(ctx, port, probeMs));
  const o = timed ? await ctx.settle(pending, readMs + probeMs, readRefs(port)) : await release(ctx, port, pending);
  ctx.judge(await settleSkipped(ctx, port, m.judgeRead(port.handle, o)));
}

/**
 * Waits for a read that no timer ends. One the model expects to complete is given settleMs; one that
 * may block (or overstays) is released with an unblock, or, where the server refuses that in
 * read-only state, by closing the port. A read that has already completed is left alone.
 */
async function release(ctx: RunContext, port: PortModel, pending: PendingCall): Promise<Observed> {
  const { readMs, settleMs } = ctx.env.timeouts;
  if (!ctx.model.readMayBlock()) {
    const o = await ctx.settle(pending, settleMs, readRefs(port));
    if (o.kind !== 'pending') return o;
  }
  await yieldToServer();
  if (!port.live || pending.settled) return ctx.settle(pending, readMs, readRefs(port));
  // Unblocked again in widening slices, as the scripted suites do (harness/sequence/release.ts): on the
  // wire an unblock can reach the server before the read it is meant to release.
  const { refused, reply } = await repeatUnblock<Observed>(
    {
      unblock: async () => !(await unblockPort(ctx, port)),
      settle: async (ms, probe) => {
        const o = probe ? await ctx.probe(pending, ms, readRefs(port)) : await ctx.settle(pending, ms, readRefs(port));
        return o.kind === 'pending' ? STILL_PENDING : o;
      },
    },
    readMs,
  );
  if (reply !== STILL_PENDING) return reply;
  if (refused && port.live) {
    await closePort(ctx, port);
    return ctx.settle(pending, readMs, readRefs(port));
  }
  return { kind: 'pending' };
}

/** Most indications a failing out-of-order read drains to tell a reordered queue from a lost indication. */
const DRAIN_LIMIT = 16;

async function settleSkipped(ctx: RunContext, port: PortModel, verdict: ReturnType<RunContext['model']['judgeRead']>): Promise<Verdict> {
  if (!verdict.skipped) return verdict;
  ctx.trace.add('# reading on: was the expected indication reordered or lost?');
  const later: Observed[] = [];
  for (let i = 0; i < DRAIN_LIMIT; i++) {
    const pending = ctx.start('ApiGetNotify', readArgs(ctx, port, ctx.env.timeouts.probeMs));
    if (ctx.env.version === 3) {
      await yieldToServer();
      await ctx.call('ApiUnblockGetNotifyCall', [ctx.handle(port.handle)], [UNBLOCK.success]);
    }
    const o = await ctx.settle(pending, ctx.env.timeouts.readMs, [GET.success]);
    if (o.kind !== 'reply' || o.status !== ERROR.SUCCESS) break;
    later.push(o);
  }
  return ctx.model.settleSkipped(verdict, later);
}

/**
 * A read left blocked while other calls run: the scheduler chooses the order of the racers (an
 * unblock, a close, stimuli), each completing before the next starts. If the read may still be
 * pending afterwards it is released by an unblock, then judged.
 */
async function blockedRead(ctx: RunContext, step: Extract<Step, { op: 'BlockedRead' }>): Promise<void> {
  const m = ctx.model;
  const port = stepPort(m, step)!;
  m.startRead(port.handle, false);
  const pending = ctx.start(readMethod(port), readArgs(ctx, port, BLOCKING_TIMEOUT_MS));
  await yieldToServer();
  const order = step.order ?? (await ctx.interleave(step.racers.map(racerLabel)));
  const pinned = { ...step, order };
  ctx.pinLast(pinned, describeStep(pinned));
  ctx.trace.add(`# racers in order: ${order.map((i) => racerLabel(step.racers[i])).join(', ') || '(none)'}`);
  for (const i of order) {
    await race(ctx, port, step.racers[i]);
    await yieldToServer();
  }
  const o = await release(ctx, port, pending);
  ctx.judge(await settleSkipped(ctx, port, m.judgeRead(port.handle, o)));
}

function racerLabel(r: Racer): string {
  return r.op === 'Stimulus' ? describeStimulus(r.stimulus) : r.op;
}

async function race(ctx: RunContext, port: PortModel, r: Racer): Promise<void> {
  if (r.op === 'Unblock') return void (await unblockPort(ctx, port));
  if (r.op === 'Close') return closePort(ctx, port);
  return stimulate(ctx, r.stimulus);
}

async function stimulate(ctx: RunContext, choice: StimulusChoice): Promise<void> {
  const s = resolveStimulus(ctx.env, ctx.model, choice, ctx.next());
  if (!s) {
    ctx.trace.add(`# ${describeStimulus(choice)}: not applicable here, skipped`);
    return;
  }
  await ctx.apply(s);
}

async function badHandle(ctx: RunContext, step: Extract<Step, { op: 'BadHandle' }>): Promise<void> {
  const m = ctx.model;
  const r = resolveBad(ctx.env, m, step)!;
  const h = (id: string) => ctx.handle(id);
  switch (r.call) {
    case 'ApiCloseNotify': {
      const o = await ctx.call('ApiCloseNotify', [h(r.notifyId)], [CLOSE.badNotify]);
      return ctx.judge(m.judgeClose(r.notifyId, o));
    }
    case 'ApiUnblockGetNotifyCall': {
      const o = await ctx.call('ApiUnblockGetNotifyCall', [h(r.notifyId)], [UNBLOCK.badNotify]);
      return ctx.judge(m.judgeUnblock(r.notifyId, o));
    }
    case 'ApiGetNotify': {
      // The wrong-type handle may be a fixture handle not opened yet.
      const args = await ctx.ready(ctx.env.version === 2 ? [h(r.notifyId), ctx.env.timeouts.probeMs] : [h(r.notifyId)]);
      const o = await ctx.settle(ctx.start('ApiGetNotify', args), ctx.env.timeouts.readMs, [GET.badNotify]);
      return ctx.judge(m.badCall(o, [{ id: r.notifyId, expected: 'notify', refs: [GET.badNotify] }], 'x.66')!);
    }
  }
  const kind = badCallKind(r.call)!;
  const objectId = r.objectId!;
  const bits = plainBits(kind);
  if (r.call === 'ApiAddNotifyCluster' || r.call === 'ApiAddNotifyKey') {
    const args = r.call === 'ApiAddNotifyKey' ? [h(r.notifyId), h(objectId), 1, bits, false] : [h(r.notifyId), h(objectId), bits, 1];
    const o = await ctx.call(r.call, args, [registrationRefs(REGISTRATION_SECTION[r.call]).badNotify]);
    return ctx.judge(m.judgeRegistration(r.call, r.notifyId, objectId, bits, 1, o));
  }
  const reAdd = r.call.startsWith('ReAdd:');
  const method = methodFor(kind as ObjectKind, reAdd) as RegistrationMethod;
  const args: unknown[] = [h(r.notifyId), h(objectId), bits, 1];
  if (reAdd) args.push(0);
  const o = await ctx.call(method as MethodName, args, [registrationRefs(REGISTRATION_SECTION[method]).badNotify]);
  ctx.judge(m.judgeRegistration(method, r.notifyId, objectId, bits, 1, o));
}

const CLOSE_METHOD: Readonly<Record<Exclude<HandleKind, 'notify'>, MethodName>> = {
  cluster: 'ApiCloseCluster',
  node: 'ApiCloseNode',
  group: 'ApiCloseGroup',
  resource: 'ApiCloseResource',
  network: 'ApiCloseNetwork',
  netInterface: 'ApiCloseNetInterface',
  key: 'ApiCloseKey',
};

/**
 * Closes the handle registrations were made with (2.2.2.7 R38: whether they survive is open; either
 * way HANDLE_CLOSE is never posted), then opens a fresh one for later steps.
 */
async function closeObjectHandle(ctx: RunContext, kind: 'cluster' | 'key' | ObjectKind, index: number): Promise<void> {
  const m = ctx.model;
  const target = kind === 'cluster' ? 'cluster' : kind === 'key' ? `key:${keyPath(ctx.env, index)}` : objectTarget(kind, index).target;
  const id = m.currentHandle(target);
  if (!id) throw new HarnessProblem(`no live handle for ${target}`);
  await ctx.setupCall(CLOSE_METHOD[kind], [ctx.handle(id)]);
  m.handleClosed(id);
  await ctx.open(kind, target);
}
