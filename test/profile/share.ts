// The measure of issue 14's done-when: which clauses the control-adapter run judges and the in-band run does
// not, why (grouped by the reason the in-band verdict gives), and the best share reachable if only what the
// issue lets stay control-only is lost. Used by inband.test.ts, which prints the table docs/stimuli.md quotes.
import type { Stimulus } from '../../cmrp/control';
import type { ProtocolVersion } from '../../cmrp/constants';
import { clausesIn } from '../../harness/sequence/interpret';
import type { Sequence, Step } from '../../harness/sequence/types';

export interface Verdict {
  verdict: string;
  message: string;
}

export const JUDGED = new Set(['PASS', 'FAIL', 'NON-STRICT']);

/**
 * What the issue lets stay control-only (MS-CMRP cannot cause it): a node or network failure, lost events,
 * the protocol server state, a failover; and, with them, objects no MS-CMRP method creates or deletes
 * (nodes, networks, interfaces). Everything else has a management method (the table in docs/stimuli.md).
 */
export function beyondMsCmrp(s: Stimulus): string | undefined {
  switch (s.verb) {
    case 'SetServerState':
    case 'SetNodeServerState':
      return 'the protocol server state';
    case 'DropEvents':
      return 'dropped events';
    case 'Failover':
      return 'a failover';
    case 'NodeDown':
    case 'NodeUp':
    case 'NodeShutdown':
      return 'a node failure';
    case 'SetNodeActivity':
      return s.activity === 'paused' ? undefined : 'a node failure';
    case 'SetInterfaceLink':
      return 'a network failure';
    case 'SetState':
      if (s.objectType === 'network' || s.objectType === 'netInterface') return 'a network failure';
      if (s.objectType === 'node' && s.state !== 0 && s.state !== 2) return 'a node failure';
      return undefined;
    case 'AddObject':
    case 'DeleteObject':
      return s.objectType === 'node' || s.objectType === 'network' || s.objectType === 'netInterface' ? `creating or deleting a ${s.objectType}` : undefined;
    default:
      return undefined;
  }
}

function flatten(steps: Step[]): Step[] {
  return steps.flatMap((step) => ('repeat' in step ? flatten(step.steps) : [step]));
}

function labelsOf(step: Step): string[] {
  const check = (step as { check?: string | string[] }).check;
  return check === undefined ? [] : Array.isArray(check) ? check : [check];
}

/**
 * The clauses whose every check, in every sequence of this version, comes after a stimulus MS-CMRP cannot
 * cause (beyondMsCmrp), with that reason: these may stay control-only. A static bound: a check after such a
 * stimulus may not depend on it, so the ceiling it gives is a lower bound of the true one.
 */
export function controlOnly(sequences: readonly Sequence[], version: ProtocolVersion): Map<string, string> {
  const reason = new Map<string, string | undefined>();
  for (const sequence of sequences) {
    if (!clausesIn(sequence, version).length) continue;
    let beyond: string | undefined;
    for (const step of flatten(sequence.steps)) {
      if ('control' in step) beyond ??= beyondMsCmrp(step.control);
      for (const label of labelsOf(step)) {
        const id = sequence.clauses[label]?.[String(version) as '2' | '3'];
        if (!id) continue;
        // One check reachable without a control-only stimulus makes the clause reachable in-band.
        reason.set(id, reason.has(id) && reason.get(id) === undefined ? undefined : beyond);
      }
    }
  }
  return new Map([...reason].filter((e): e is [string, string] => e[1] !== undefined));
}

const ABSENCE = 'absence after an in-band stimulus (not proven by design)';

/** The group a clause lost in-band falls in, from the in-band verdict's message. */
export function lossGroup(v: Verdict | undefined): string {
  if (!v) return 'not observed in-band';
  const m = v.message.replace(/ \(the sequence stops at step \d+; the checks before it were judged\)/, '').replace(/ \[stimuli in-band, through MS-CMRP\]$/, '');
  const lack = /in-band stimuli lack ([A-Za-z, ]+)/.exec(m);
  if (lack) return `needs ${lack[1]!.trim()} (not offered in-band)`;
  const cannot = /stimuli cannot apply (\w+): (.*)$/.exec(m);
  if (cannot) return `needs ${cannot[1]} (${cannot[2]!.replace(/'[^']*'/g, "'…'").replace(/state \d+/, 'state N')})`;
  if (/not reached: step \d+: absence of further events not proven/.test(m)) return 'not reached: the sequence stopped at an unproven absence';
  if (/absence of further events not proven/.test(m)) return ABSENCE;
  if (/was not applied/.test(m)) return `an in-band stimulus was refused: ${/was not applied: (.*)$/.exec(m)?.[1]?.slice(0, 90) ?? ''}`;
  return `${v.verdict}: ${m.replace(/^[^:]*: /, '').slice(0, 100)}`;
}

export interface Share {
  judgedWithControl: string[];
  judgedInband: string[];
  lost: { id: string; group: string; verdict: Verdict | undefined }[];
  /** Clauses the issue lets stay control-only, of those judged with control. */
  allowedLoss: string[];
}

export function share(control: Map<string, Verdict>, inband: Map<string, Verdict>, sequences: readonly Sequence[], version: ProtocolVersion): Share {
  const judgedWithControl = [...control].filter(([, v]) => JUDGED.has(v.verdict)).map(([id]) => id);
  const judgedInband = judgedWithControl.filter((id) => JUDGED.has(inband.get(id)?.verdict ?? ''));
  const lost = judgedWithControl.filter((id) => !judgedInband.includes(id)).map((id) => ({ id, verdict: inband.get(id), group: lossGroup(inband.get(id)) }));
  const only = controlOnly(sequences, version);
  return { judgedWithControl, judgedInband, lost, allowedLoss: judgedWithControl.filter((id) => only.has(id)) };
}

/** The table the test prints: each group with its count and clauses, then the ceiling. */
export function describeShare(s: Share, version: ProtocolVersion): string {
  const groups = new Map<string, string[]>();
  for (const l of s.lost) groups.set(l.group, [...(groups.get(l.group) ?? []), l.id]);
  const allowed = new Set(s.allowedLoss);
  const absences = s.lost.filter((l) => l.group === ABSENCE && !allowed.has(l.id)).length;
  const pct = (n: number) => `${((n / s.judgedWithControl.length) * 100).toFixed(1)} %`;
  const lines = [
    `protocol version ${version}: in-band judges ${s.judgedInband.length} of the ${s.judgedWithControl.length} clauses judged with the control adapter (${pct(s.judgedInband.length)})`,
    `ceiling if only what MS-CMRP cannot cause is lost: ${s.judgedWithControl.length - s.allowedLoss.length} of ${s.judgedWithControl.length} (${pct(s.judgedWithControl.length - s.allowedLoss.length)}); lost now and allowed: ${s.lost.filter((l) => allowed.has(l.id)).length}`,
    `ceiling if the unproven absences are lost too: ${s.judgedWithControl.length - s.allowedLoss.length - absences} of ${s.judgedWithControl.length} (${pct(s.judgedWithControl.length - s.allowedLoss.length - absences)})`,
  ];
  for (const [group, ids] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    const ok = ids.filter((id) => allowed.has(id)).length;
    lines.push(`  ${ids.length} (${ok} allowed) ${group}: ${ids.join(' ')}`);
  }
  return lines.join('\n');
}
