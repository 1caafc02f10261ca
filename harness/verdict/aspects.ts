// One bug, one clause. A check often observes several things at once (an event's arrival, its key, its
// name, the order of two events). When exactly one of them is wrong, only the clauses about that one
// thing FAIL; the others lost a precondition and are INCONCLUSIVE, naming it. These are the things a
// check can single out, the catalogue clauses about each (found by their titles), and the ApiGetNotify
// clause that governs each when the check itself names no clause about it.
import { CLUSTER_CHANGE, type ProtocolVersion } from '../../cmrp/constants';
import { loadCatalogue } from '../catalogue/load';
import type { Clause } from '../catalogue/types';

/** An indication field, or the order in which a port hands indications out. */
export type Aspect = 'dwNotifyKey' | 'Name' | 'dwStateSequence' | 'dwFilter' | 'order';

/** Fields a read may get wrong on its own: tried in this order when a read does not match. */
export const FIELD_ASPECTS = ['dwNotifyKey', 'Name', 'dwStateSequence'] as const;

/** Titles of the clauses about each aspect (the catalogue's standard wording). */
const ABOUT: Readonly<Record<Aspect, RegExp>> = {
  dwNotifyKey: /dwNotifyKey|context value/,
  Name: /\bName\b/,
  dwStateSequence: /StateSequence|state sequence|state value/,
  dwFilter: /dwFilter|CLUSTER_CHANGE value|client-only|reserved CLUSTER_CHANGE/,
  order: /FIFO|first queued|head of the queue/,
};

/** Status-only clauses: a call whose status was as expected kept them, whatever its out values. */
const ABOUT_STATUS = /^(ERROR_SUCCESS on success|accepted in read\/write state|accepted in read-only state|accepted at access level Read)$/;

let titles: Map<string, string> | undefined;

function titleOf(id: string): string | undefined {
  titles ??= new Map(loadCatalogue().map((c: Clause) => [c.id, c.title]));
  return titles.get(id);
}

/** Is the clause about this aspect (so a wrong value FAILs it rather than leaving it INCONCLUSIVE)? */
export function isAbout(clauseId: string, aspect: Aspect): boolean {
  const title = titleOf(clauseId);
  return title !== undefined && ABOUT[aspect].test(title);
}

/** Is the clause only about the status a call returns? */
export function isAboutStatus(clauseId: string): boolean {
  const title = titleOf(clauseId);
  return title !== undefined && ABOUT_STATUS.test(title);
}

const getNotify = (version: ProtocolVersion, rule: number): string => `3.1.4.${version - 1}.66/R${rule}`;

/** The clause an aspect falls to when the check that saw it wrong names none about it. */
export function governor(aspect: Exclude<Aspect, 'dwFilter'>, version: ProtocolVersion): string {
  switch (aspect) {
    case 'dwNotifyKey':
      return getNotify(version, 9);
    case 'Name':
      return getNotify(version, 14);
    case 'dwStateSequence':
      return getNotify(version, 12);
    case 'order':
      return getNotify(version, 1);
  }
}

/** Values of 2.2.2.7 a server never returns, per protocol version (3.1.4.x.66). */
function forbidden(version: ProtocolVersion): number {
  const both = CLUSTER_CHANGE.REGISTRY_SUBTREE | CLUSTER_CHANGE.CLUSTER_STATE | CLUSTER_CHANGE.HANDLE_CLOSE;
  return (version === 2 ? both | CLUSTER_CHANGE.CLUSTER_RECONNECT : both) >>> 0;
}

/**
 * Why a returned dwFilter is no indication value at all, and the clause that forbids it; undefined for a
 * single defined, allowed value (a wrong but well-formed value is the event check's own business).
 */
export function malformedFilter(dwFilter: number, version: ProtocolVersion): { clause: string; why: string } | undefined {
  const value = dwFilter >>> 0;
  if ((value & forbidden(version)) !== 0) return { clause: getNotify(version, 3), why: 'it carries a value a server never returns' };
  if (value === 0) return { clause: '2.2.2.7/R3', why: 'it is 0, no CLUSTER_CHANGE value' };
  if ((value & (value - 1)) !== 0) return { clause: '2.2.2.7/R2', why: 'it has more than one CLUSTER_CHANGE bit set' };
  return undefined;
}

/** The accepted release code of an ApiGetNotify that ApiUnblockGetNotifyCall released (3.1.4.x.66 return table). */
export function releaseClause(version: ProtocolVersion): string {
  return version === 2 ? '3.1.4.1.66/R19' : '3.1.4.2.66/R20';
}

/** The clause of the version 2 GetNotify timer's answer on expiry: WAIT_TIMEOUT (3.1.4.1.66). */
export const EXPIRED_TIMER = '3.1.4.1.66/R21';
