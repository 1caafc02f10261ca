// The steps of a sequence that read a version 2 port ([MS-CMRP] 3.1.4.2.138): `readV2` collects
// NOTIFICATION_RPC entries with ApiGetNotifyV2 (one read may return several) and compares them with
// patterns, payload included; `absentV2` proves the port holds nothing more. Entries a read returned
// beyond what a step expected are kept for the next step on that port, never dropped.
import type { NotificationV2 } from '../../cmrp/contract';
import { ERROR, clusterObjectTypeName, v2FlagName } from '../../cmrp/constants';
import { readDwordPayload, readPropertyList, readStringPayload } from '../../wire/clusapi/payload';
import type { Outcome } from '../recorder/observation';
import { STILL_PENDING, type Session, type Timeouts } from '../session/session';
import type { AbsentV2Step, NotificationPattern, ReadV2Step, ValueSpec } from './types';
import { describeValue, kindOf, matches, type Variables } from './values';
import { unblockUntilReleased } from './release';

/** What the interpreter lends these steps. */
export interface V2StepHost {
  readonly session: Session;
  readonly vars: Variables;
  readonly timeouts: Timeouts;
  readonly labels: string[];
  record(outcome: Outcome, detail: string): void;
  /** Records FAIL for the step's labels and ends the sequence. */
  fail(detail: string): never;
  /** The check cannot be reached (setup went wrong): ends the sequence, INCONCLUSIVE. */
  notReached(detail: string): never;
}

/** Entries read but not yet consumed, per port handle. */
const carried = new WeakMap<Variables, Map<string, NotificationV2[]>>();

function backlog(vars: Variables, port: string): NotificationV2[] {
  let byPort = carried.get(vars);
  if (!byPort) carried.set(vars, (byPort = new Map()));
  let list = byPort.get(port);
  if (!list) byPort.set(port, (list = []));
  return list;
}

export async function readV2Step(host: V2StepHost, step: ReadV2Step): Promise<void> {
  const port = host.vars.resolve(step.readV2) as string;
  const got = backlog(host.vars, port);
  while (got.length < step.expect.length) {
    const more = await readOnce(host, port);
    if (typeof more === 'string') {
      host.fail(`expected ${step.expect.length} notification(s); got ${got.length} (${describe(got)}), then ${more}`);
    }
    got.push(...more);
  }
  const entries = got.splice(0, step.expect.length);
  const ok = (p: NotificationPattern, n: NotificationV2) => problemOf(host, p, n) === undefined;
  const good = step.order === 'fifo' ? step.expect.every((p, i) => ok(p, entries[i]!)) : matchAll(step.expect, entries, ok);
  if (!good) {
    const why = step.expect.map((p, i) => problemOf(host, p, entries[i]!)).find((x) => x !== undefined);
    host.fail(`observed ${describe(entries)}${why ? `; e.g. ${why}` : ''}`);
  }
  host.record('pass', `read ${describe(entries)} as expected`);
  step.saveAs?.forEach((name, i) => host.vars.set(name, entries[i]));
}

/**
 * `unsettled` (the reason, after an in-band stimulus: docs/stimuli.md): nothing proves the port empty, so
 * the step is INCONCLUSIVE whatever it shows. The read is still made and released, and when it was released
 * empty the sequence goes on (no later step reads this port: interpret.ts refuses it); an entry stops the
 * sequence, named, never FAIL.
 */
export async function absentV2Step(host: V2StepHost, step: AbsentV2Step, unsettled?: string): Promise<void> {
  const port = host.vars.resolve(step.absentV2) as string;
  const unproven = `absence of further events not proven${unsettled ? `: ${unsettled}` : ''}`;
  const met: (list: readonly NotificationV2[], source: string) => never = (list, source) => {
    if (!unsettled) host.fail(`expected no further notification, but ${source} ${describe(list)}`);
    host.record('inconclusive', `${unproven}; ${source} ${describe(list)}, which a settled stimulus would make a failure, not judged after an in-band one`);
    host.notReached(unproven);
  };
  const left = backlog(host.vars, port);
  if (left.length) met(left, 'the last read also returned');
  const read = host.session.start('ApiGetNotifyV2', [port]);
  const { refused, reply } = await unblockUntilReleased(host.session, port, read, host.timeouts.callMs);
  const stop: (detail: string) => never = (detail) => {
    if (unsettled) host.record('inconclusive', `${unproven}: ${detail}`);
    host.notReached(`${detail}: absence not proven`);
  };
  if (refused) stop('ApiUnblockGetNotifyCall did not succeed');
  if (reply === STILL_PENDING) stop(`${read.label} was not released by ApiUnblockGetNotifyCall`);
  if (reply.fault === undefined && reply.status === ERROR.SUCCESS) {
    const list = (reply.Notifications as NotificationV2[] | undefined) ?? [];
    if (list.length) met(list, 'ApiGetNotifyV2 returned');
  }
  if (unsettled) host.record('inconclusive', `${unproven} (the port showed none when looked at: the read was released by ApiUnblockGetNotifyCall)`);
  else host.record('pass', 'no further notification: the read was released by ApiUnblockGetNotifyCall');
}

/** One ApiGetNotifyV2: its entries, or a sentence saying why there were none. */
async function readOnce(host: V2StepHost, port: string): Promise<NotificationV2[] | string> {
  const { readMs, callMs } = host.timeouts;
  const read = host.session.start('ApiGetNotifyV2', [port]);
  let reply = await read.settle(readMs);
  if (reply === STILL_PENDING) {
    ({ reply } = await unblockUntilReleased(host.session, port, read, callMs));
    if (reply === STILL_PENDING) host.notReached(`${read.label} blocked with nothing queued, and ApiUnblockGetNotifyCall did not release it`);
    if (reply.fault === undefined && reply.status === ERROR.SUCCESS) return entriesOf(host, reply.Notifications);
    return 'the port held nothing: the read blocked until ApiUnblockGetNotifyCall released it';
  }
  if (reply.fault !== undefined) return `ApiGetNotifyV2 failed with RPC fault ${describeValue(reply.fault, 'status')}`;
  if (reply.status !== ERROR.SUCCESS) return `ApiGetNotifyV2 returned ${describeValue(reply.status, 'status')}`;
  return entriesOf(host, reply.Notifications);
}

/** 3.1.4.2.138: a completed read carries one or more entries; an empty success did not wait for one. */
function entriesOf(host: V2StepHost, value: unknown): NotificationV2[] {
  const list = (value as NotificationV2[] | undefined) ?? [];
  if (!list.length) host.fail('ApiGetNotifyV2 completed with ERROR_SUCCESS and no notification: it did not wait for one');
  return list;
}

function problemOf(host: V2StepHost, pattern: NotificationPattern, n: NotificationV2): string | undefined {
  for (const [field, spec] of Object.entries(pattern) as [keyof NotificationPattern, unknown][]) {
    if (field === 'payload') {
      const p = payloadProblem(host, spec as NotificationPattern['payload'], n.buffer);
      if (p) return p;
      continue;
    }
    if (!matches(spec as ValueSpec, n[field], kindOf(field), host.vars)) return `${field} is ${JSON.stringify(show(n[field]))}`;
  }
  return undefined;
}

function payloadProblem(host: V2StepHost, spec: NotificationPattern['payload'], buffer: string | null): string | undefined {
  if (spec === undefined) return undefined;
  if (spec === 'empty') return buffer === null || buffer === '' ? undefined : `the buffer holds ${buffer.length / 2} bytes, not none`;
  if ('dword' in spec) {
    const want = host.vars.resolve(spec.dword);
    const got = readDwordPayload(buffer);
    return got !== undefined && got === Number(want) >>> 0 ? undefined : `the buffer is ${show(buffer)}, not the DWORD ${String(want)}`;
  }
  if ('string' in spec) {
    const want = host.vars.resolve(spec.string);
    const got = readStringPayload(buffer);
    return got !== undefined && got === want ? undefined : `the buffer is ${show(buffer)}, not the string ${JSON.stringify(want)}`;
  }
  let list;
  try {
    list = readPropertyList(buffer);
  } catch (error) {
    return `the buffer is not a property list: ${(error as Error).message}`;
  }
  for (const [name, value] of Object.entries(spec.properties)) {
    const want = host.vars.resolve(value);
    if (!list.some((p) => p.name === name && p.value === want)) return `the property list ${JSON.stringify(list)} lacks ${name} = ${JSON.stringify(want)}`;
  }
  return undefined;
}

function show(value: unknown): unknown {
  return typeof value === 'bigint' ? `0x${value.toString(16)}` : value;
}

function describe(list: readonly NotificationV2[]): string {
  return `[${list
    .map((n) => {
      const type = clusterObjectTypeName(n.dwObjectType) ?? String(n.dwObjectType);
      return `{dwNotifyKey: ${n.dwNotifyKey}, ${type} ${v2FlagName(n.dwObjectType, n.FilterFlags)}, Name: ${JSON.stringify(n.Name)}, ObjectId: ${JSON.stringify(n.ObjectId)}, ParentId: ${JSON.stringify(n.ParentId)}, Type: ${JSON.stringify(n.Type)}, buffer: ${JSON.stringify(n.buffer)}}`;
    })
    .join(', ')}]`;
}

/** A perfect matching of patterns to entries (multiset comparison). */
function matchAll<P, E>(patterns: P[], entries: E[], ok: (p: P, e: E) => boolean): boolean {
  const used = new Set<number>();
  const assign = (i: number): boolean => {
    if (i === patterns.length) return true;
    for (let j = 0; j < entries.length; j++) {
      if (used.has(j) || !ok(patterns[i]!, entries[j]!)) continue;
      used.add(j);
      if (assign(i + 1)) return true;
      used.delete(j);
    }
    return false;
  };
  return assign(0);
}
