// Undoing what the suite created: the deletions that remove objects, keys and values of its own (named
// with its prefix, ../profile/own.ts), in an order a real cluster accepts (values, then keys deepest
// first, resources before their groups, interfaces before their nodes and networks). Used after each
// sequence (what it created and did not delete) and by the run's cleanup (what ListObjects finds).
import type { ClusterControl, ListedObject, ObjectType, Stimulus } from '../../cmrp/control';
import { TargetError } from '../../cmrp/contract';
import { isOwnName } from '../profile/own';
import { SLOW_HINT } from '../session/session';

/** Deletion order of object types: dependants first. */
const TYPE_ORDER: readonly ObjectType[] = ['resource', 'netInterface', 'group', 'resourceType', 'network', 'node'];

const lower = (s: string) => s.toLowerCase();

/** Whether a registry path ends below (or at) a key of the suite's own. */
function ownPath(path: string): boolean {
  return path.split('\\').some(isOwnName);
}

/**
 * What is left of the suite's own after these stimuli (applied in order, each one that succeeded): the
 * objects and keys they created and did not delete, and the values of its own they set on keys it does
 * not own. Keys and objects not of its own are never in the list.
 */
export function ownLeftovers(applied: readonly Stimulus[]): ListedObject[] {
  const objects = new Map<string, ListedObject>();
  const keys = new Map<string, ListedObject>();
  const values = new Map<string, ListedObject>();
  for (const s of applied) {
    if (s.verb === 'AddObject' && isOwnName(s.name)) objects.set(`${s.objectType}:${lower(s.name)}`, { objectType: s.objectType, name: s.name });
    else if (s.verb === 'DeleteObject') objects.delete(`${s.objectType}:${lower(s.name)}`);
    else if (s.verb === 'RegistryCreateKey' && ownPath(s.path)) {
      // The outermost component of its own is the one to delete: its subtree goes with it.
      const parts = s.path.split('\\');
      const top = parts.slice(0, parts.findIndex(isOwnName) + 1).join('\\');
      keys.set(lower(top), { objectType: 'key', path: top });
    } else if (s.verb === 'RegistryDeleteKey') {
      for (const k of [...keys.keys()]) if (k === lower(s.path) || k.startsWith(`${lower(s.path)}\\`)) keys.delete(k);
    } else if (s.verb === 'RegistrySetValue' && isOwnName(s.valueName) && !ownPath(s.path)) {
      values.set(`${lower(s.path)}|${lower(s.valueName)}`, { objectType: 'value', path: s.path, valueName: s.valueName });
    } else if (s.verb === 'RegistryDeleteValue') values.delete(`${lower(s.path)}|${lower(s.valueName)}`);
    else if (s.verb === 'Reset') {
      objects.clear();
      keys.clear();
      values.clear();
    }
  }
  return [...values.values(), ...keys.values(), ...objects.values()];
}

/** The stimuli that delete these, in an order a cluster accepts. */
export function deletionsOf(found: readonly ListedObject[]): Stimulus[] {
  const out: Stimulus[] = [];
  for (const o of found) if (o.objectType === 'value') out.push({ verb: 'RegistryDeleteValue', path: o.path, valueName: o.valueName });
  // Deepest first: a key listed inside another listed key goes before its parent (or with it).
  const keys = found.filter((o): o is Extract<ListedObject, { objectType: 'key' }> => o.objectType === 'key');
  keys.sort((a, b) => b.path.split('\\').length - a.path.split('\\').length);
  for (const k of keys) out.push({ verb: 'RegistryDeleteKey', path: k.path });
  for (const type of TYPE_ORDER) {
    for (const o of found) if (o.objectType === type) out.push({ verb: 'DeleteObject', objectType: type, name: o.name });
  }
  return out;
}

export interface Undone {
  deleted: string[];
  /** Deletions that failed, each with why (an object a group's deletion already took along, a fault...). */
  failed: string[];
  /**
   * Those of `failed` where the target failed (crashed, hung, answered garbage) rather than refused the
   * deletion: a fault of the session, which its caller reports (never only a trace line).
   */
  faults: string[];
}

/**
 * The target failed (no answer in time, a crash, garbage: a TargetError other than the adapter's error
 * reply), as opposed to refusing the deletion (an error reply, a status, a refusal the control raised).
 */
function isFault(error: unknown): boolean {
  return error instanceof DeletionTimeout || (error instanceof TargetError && error.fault !== 'protocol');
}

class DeletionTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms (${SLOW_HINT})`);
    this.name = 'DeletionTimeout';
  }
}

/** One line naming a deletion. */
export function describeDeletion(s: Stimulus): string {
  if (s.verb === 'DeleteObject') return `${s.objectType} '${s.name}'`;
  if (s.verb === 'RegistryDeleteKey') return `key '${s.path}'`;
  if (s.verb === 'RegistryDeleteValue') return `value '${s.valueName}' of key '${s.path || '(root)'}'`;
  return s.verb;
}

/**
 * Applies the deletions the control offers, each bounded by `ms`; a failure is recorded and the rest go
 * on (a resource deleted with its group, say, is already gone). A deletion whose verb the control lacks
 * is recorded as failed with that reason.
 */
export async function applyDeletions(control: ClusterControl, deletions: readonly Stimulus[], ms: number): Promise<Undone> {
  const done: Undone = { deleted: [], failed: [], faults: [] };
  for (const s of deletions) {
    const what = describeDeletion(s);
    if (!control.verbs.has(s.verb)) {
      done.failed.push(`${what}: the control offers no ${s.verb}`);
      continue;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        control.apply(s),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new DeletionTimeout(ms)), ms))),
      ]);
      done.deleted.push(what);
    } catch (error) {
      const why = `${what}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
      done.failed.push(why);
      if (isFault(error)) done.faults.push(why);
    } finally {
      clearTimeout(timer);
    }
  }
  return done;
}
