// Shared by the adapter tests: target specs for the served reference, the Python example and the
// fake adapters, a scripted session whose replies can be compared across targets, and a way to run
// every scripted sequence of vectors/sequences against a target.
import { join, resolve } from 'node:path';
import type { Observation } from '../../harness/recorder/observation';
import { clausesIn, runSequence } from '../../harness/sequence/interpret';
import { loadAllSequences } from '../../harness/sequence/load';
import { defaultTimeouts } from '../../harness/session/session';
import type { ProtocolVersion } from '../../cmrp/constants';
import { CLUSTER_CHANGE, ERROR } from '../../cmrp/constants';
import { FABRICATED_HANDLE, type ClusapiConnection, type Target } from '../../cmrp/contract';
import { timeScale } from '../support/time-scale';

export const ROOT = resolve(__dirname, '../..');

/**
 * Target options for adapters started from the TypeScript sources (or Python): their start is slow on a
 * loaded machine, so their timeouts get the machine's factor (the replies compared are unaffected).
 */
export const SLOW_START = { timeoutMultiplier: timeScale() };
export const FIXTURES = join(__dirname, 'fixtures');

/** A command word quoted for a stdio: spec (paths may hold spaces). */
export function quote(word: string): string {
  return `"${word.replace(/(["\\])/g, '\\$1')}"`;
}

export function nodeSpec(script: string, ...args: string[]): string {
  return `stdio:${[process.execPath, script, ...args].map(quote).join(' ')}`;
}

/** The reference served by the `serve` command from the sources, in a child process. */
export function servedReferenceSpec(...extra: string[]): string {
  return nodeSpec(join(FIXTURES, 'serve-reference.js'), '--listen', 'stdio', ...extra);
}

export const PYTHON = process.env.PYTHON ?? 'python3';
export const PYTHON_ADAPTER = join(ROOT, 'examples/python-adapter/adapter.py');

export function pythonSpec(): string {
  return `stdio:${quote(PYTHON)} ${quote(PYTHON_ADAPTER)}`;
}

/** Handles differ from target to target: name them by order of appearance instead. */
export class HandleNames {
  private readonly names = new Map<string, string>();
  normalize(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.normalize(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /^(h[A-Z]|phKey$)/.test(k) && typeof v === 'string' ? this.name(v) : this.normalize(v)]));
    }
    return value;
  }
  name(handle: string): string {
    if (/^0+$/.test(handle)) return 'NULL';
    if (!this.names.has(handle)) this.names.set(handle, `handle${this.names.size + 1}`);
    return this.names.get(handle)!;
  }
}

type Any = Record<string, unknown>;

/**
 * A fixed session touching every kind of call and stimulus: its transcript (replies with handles
 * named by order) must be the same whatever binding carries it.
 */
export async function scriptedSession(target: Target, version: ProtocolVersion): Promise<unknown[]> {
  const names = new HandleNames();
  const log: unknown[] = [];
  const control = target.control!;
  await control.apply({ verb: 'Reset' });
  const c: ClusapiConnection = await target.connect({ protocolVersion: version });
  const note = async <T>(what: string, p: Promise<T>): Promise<T> => {
    const reply = await p;
    log.push([what, names.normalize(reply)]);
    return reply;
  };
  const read = (h: string, timeout = 1000) => (version === 2 ? c.ApiGetNotify(h, timeout) : c.ApiGetNotify(h));

  const cluster = (await note('OpenCluster', c.ApiOpenCluster())) as Any;
  const group = (await note('OpenGroup', c.ApiOpenGroup('App Group'))) as Any;
  await note('OpenGroup missing', c.ApiOpenGroup('No Such Group'));
  await note('GetGroupState', c.ApiGetGroupState(group.hGroup as string));
  const resource = (await note('OpenResource', c.ApiOpenResource('App Service'))) as Any;
  await note('GetResourceState', c.ApiGetResourceState(resource.hResource as string));
  const port = ((await note('CreateNotify', c.ApiCreateNotify())) as Any).hNotify as string;
  const added = (await note('AddNotifyGroup', c.ApiAddNotifyGroup(port, group.hGroup as string, CLUSTER_CHANGE.GROUP_STATE, 11))) as Any;
  await note('AddNotifyCluster', c.ApiAddNotifyCluster(port, cluster.hCluster as string, CLUSTER_CHANGE.RESOURCE_STATE, 12));
  await control.apply({ verb: 'SetState', objectType: 'group', name: 'App Group', state: 1 });
  await control.apply({ verb: 'SetState', objectType: 'resource', name: 'App Service', state: 3 });
  await note('GetNotify 1', read(port));
  await note('GetNotify 2', read(port));
  if (version === 3) {
    // A blocked read, released by Unblock on the same connection while it is pending.
    const blocked = c.ApiGetNotify(port);
    await new Promise((r) => setTimeout(r, 50));
    await note('Unblock', c.ApiUnblockGetNotifyCall(port));
    await note('released read', blocked);
  } else {
    await note('GetNotify timeout', c.ApiGetNotify(port, 50));
  }
  await note('ReAddNotifyGroup', c.ApiReAddNotifyGroup(port, group.hGroup as string, CLUSTER_CHANGE.GROUP_STATE, 13, added.dwStateSequence as number));
  await note('catch-up', read(port));
  const root = (await note('GetRootKey', c.ApiGetRootKey(0x2000000))) as Any;
  const key = (await note('OpenKey', c.ApiOpenKey(root.hKey as string, 'Parameters', 0x2000000))) as Any;
  await note('AddNotifyKey', c.ApiAddNotifyKey(port, key.phKey as string, 14, CLUSTER_CHANGE.REGISTRY_VALUE, true));
  await control.apply({ verb: 'RegistrySetValue', path: 'Parameters\\Advanced', valueName: 'Level', data: 2 });
  await note('registry event', read(port));
  await note('fabricated port', c.ApiAddNotifyGroup(FABRICATED_HANDLE, group.hGroup as string, CLUSTER_CHANGE.GROUP_STATE, 1));
  await note('fabricated state', c.ApiGetNodeState(FABRICATED_HANDLE));
  await control.apply({ verb: 'SetServerState', state: 'read-only' });
  await note('CreateNotify read-only', c.ApiCreateNotify());
  await control.apply({ verb: 'SetServerState', state: 'read-write' });
  await control.apply({ verb: 'DropEvents' });
  await note('after DropEvents', version === 2 ? c.ApiGetNotify(port, 50) : read(port));
  await note('CloseNotify', c.ApiCloseNotify(port));
  await note('CloseNotify again', c.ApiCloseNotify(port));
  await control.apply({ verb: 'Failover' });
  await note('after Failover', c.ApiOpenCluster());
  await c.close();
  const again = await target.connect({ protocolVersion: version, accessLevel: 'read' });
  await note('read access CreateNotify', again.ApiCreateNotify());
  await again.close();
  return log;
}

/**
 * A read waits only for an event the settled stimulus has already queued, so a local target needs
 * little time; a short read timeout keeps the runs where an event is (rightly) missing fast.
 */
export const SEQUENCE_TIMEOUTS = { ...defaultTimeouts(timeScale()), readMs: Math.round(300 * timeScale()) };

/** Every scripted sequence of vectors/sequences against `target`, its observations in order. */
export async function runAllSequences(target: Target, version: ProtocolVersion): Promise<Observation[]> {
  const observations: Observation[] = [];
  for (const sequence of loadAllSequences()) {
    if (!clausesIn(sequence, version).length) continue;
    observations.push(
      ...(await runSequence(sequence, { target, protocolVersion: version, timeouts: SEQUENCE_TIMEOUTS, replay: (id) => `replay ${id}` })),
    );
  }
  return observations;
}

/** The part of an observation that must not depend on the binding. */
export function verdictOf(o: Observation): string {
  return `${o.test} ${o.clause} ${o.outcome}`;
}

export { ERROR };
