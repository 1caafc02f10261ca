// `plan`: what a run with these flags would do to the target, without doing it: per suite file and
// sequence, each call with its arguments and each control stimulus with the server's names (roles bound
// through --profile or the builtin cluster; objects of the suite's own with their prefix), the cleanup
// around it, the transport checks and the property budget. It connects to nothing.
import * as path from 'node:path';
import type { Stimulus } from '../../cmrp/control';
import { OWN_PREFIX_ROOT, ownPrefix } from '../profile/own';
import { staticBindings } from '../profile/resolve';
import type { RoleBindings } from '../profile/bindings';
import { loadProfileFile } from '../profile/load';
import { keptRole, resolveRoleRef, resolveStimulus, unboundRole } from '../sequence/roles';
import type { Step } from '../sequence/types';
import { planRun, propertyShare, sequenceFiles, PROPERTY_PARTS } from '../suite/plan';
import { DEFAULT_RUNS as DEFAULT_PROPERTY_RUNS } from '../property/runner';
import { parseArgs } from './args';
import { loadCatalogueFor, requireSelection } from './catalogue';
import type { CliDeps } from './deps';
import { RUN_FLAGS, selectionFlags, targetFlags, targetText } from './flags';
import { DEFAULT_PROTOCOL_VERSION, DEFAULT_TARGET } from './run';

/** A value as the plan prints it: a role or own name resolved where the run's bindings are known. */
function shown(value: unknown, roles: RoleBindings | undefined): string {
  if (typeof value === 'string' && value.startsWith('@')) {
    try {
      return JSON.stringify(resolveRoleRef(value, roles));
    } catch {
      return `${value} (bound at run time)`;
    }
  }
  if (typeof value === 'string') return value.startsWith('$') ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

function stimulusLine(s: Stimulus, roles: RoleBindings | undefined): string {
  let resolved: Stimulus = s;
  try {
    resolved = resolveStimulus(s, roles);
  } catch {
    // An unbound role: print the references as they are.
  }
  const { verb, ...fields } = resolved;
  return `control ${verb}${Object.entries(fields).map(([k, v]) => ` ${k}=${shown(v, roles)}`).join('')}`;
}

function stepLines(steps: readonly Step[], roles: RoleBindings | undefined, indent: string): string[] {
  const out: string[] = [];
  for (const step of steps) {
    if ('call' in step) {
      const args = (step.args ?? []).map((a) => shown(a, roles)).join(', ');
      out.push(`${indent}${step.async ? `start (as ${step.async}) ` : ''}${step.call}(${args})`);
    } else if ('control' in step) out.push(`${indent}${stimulusLine(step.control, roles)}`);
    else if ('await' in step) out.push(`${indent}await the call started as ${step.await}`);
    else if ('read' in step) out.push(`${indent}ApiGetNotify on ${step.read}: ${step.expect.length} event(s)`);
    else if ('absent' in step) out.push(`${indent}prove ${step.absent} holds no further event (ApiGetNotify, released by ApiUnblockGetNotifyCall in version 3)`);
    else if ('readV2' in step) out.push(`${indent}ApiGetNotifyV2 on ${step.readV2}: ${step.expect.length} notification(s)`);
    else if ('absentV2' in step) out.push(`${indent}prove ${step.absentV2} holds no further notification (ApiGetNotifyV2)`);
    else if ('reconnect' in step) out.push(`${indent}a new connection`);
    else if ('repeat' in step) {
      out.push(`${indent}for ${step.repeat.as} = ${step.repeat.from}..${step.repeat.to}:`);
      out.push(...stepLines(step.steps, roles, `${indent}  `));
    }
    // assert steps make no call: nothing to print.
  }
  return out;
}

export async function planCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { flags } = parseArgs('plan', argv, RUN_FLAGS);
  const protocolVersion = ((flags['protocol-version'] as number | undefined) ?? DEFAULT_PROTOCOL_VERSION) as 2 | 3;
  const { target, moreClusters } = targetFlags(flags, DEFAULT_TARGET);
  const catalogue = loadCatalogueFor(deps);
  const selection = requireSelection(catalogue, { ...selectionFlags(flags), protocolVersion });
  const profileFile = flags.profile !== undefined ? path.resolve(deps.cwd, flags.profile as string) : undefined;
  // A broken profile refuses the plan as it would the run (exit 2).
  if (profileFile !== undefined) loadProfileFile(profileFile);
  const roles = staticBindings(target, profileFile);
  const runs = flags.runs as number | undefined;
  const files = planRun({ protocolVersion, clauseIds: selection.map((c) => c.id), runs, clausesOnly: Boolean(flags.clause) && !flags.section });
  const builtin = target === 'builtin' || target.startsWith('builtin:');
  const lines: string[] = [
    `plan: ${selection.length} clause(s), ${files.length} suite file(s), ${targetText(target, moreClusters)}, protocol version ${protocolVersion}; nothing below is done by plan`,
    `roles: ${roles ? roles.source : 'bound in-band when the run starts (ApiOpen* of each candidate name): shown as @role'}`,
    `objects of the suite's own: named ${OWN_PREFIX_ROOT}<runid>-... (<runid> new for each run; shown here as ${ownPrefix()})`,
  ];
  if (!builtin) lines.push(`before the run: control ListObjects prefix="${OWN_PREFIX_ROOT}", then delete what it finds (leftovers of an earlier run)`);
  const byName = new Map(sequenceFiles().map((f) => [f.name, f.sequences]));
  for (const file of files) {
    if (file.kind === 'sequences') {
      lines.push(`vectors/sequences/${file.name}.json`);
      const sequences = byName.get(file.name) ?? [];
      for (const unit of file.units) {
        const sequence = sequences.find((s) => s.id === unit.test);
        if (!sequence) continue;
        lines.push(`  ${sequence.id}: ${sequence.title} [${unit.clauseIds.join(' ')}]`);
        const unbound = roles ? unboundRole(sequence.steps, roles) : undefined;
        if (unbound) {
          lines.push(`    NOT-TESTED: ${unbound}`);
          continue;
        }
        const kept = roles ? keptRole(sequence.steps, roles) : undefined;
        lines.push(`    control Reset (only where the control offers it${kept ? `; without it NOT-TESTED: ${kept}` : ''})`);
        lines.push(`    connect (protocol version ${protocolVersion}${sequence.accessLevel ? `, ${sequence.accessLevel} access` : ''})`);
        lines.push(...stepLines(sequence.steps, roles, '    '));
        lines.push('    close the connection; delete what the sequence left of its own');
      }
    } else if (file.kind === 'transport') {
      lines.push('transport checks (2.1, 3.1.3): binds and calls at each authentication level');
      for (const unit of file.units) lines.push(`  ${unit.test}`);
    } else {
      const part = Number(file.name.split('-').pop());
      const share = propertyShare(runs ?? DEFAULT_PROPERTY_RUNS, part);
      lines.push(`${file.name}: ${share} random call sequence(s) of ${PROPERTY_PARTS} part(s), drawn at run time from the seed; each on a fixture of its own (control Reset where offered, then AddObject of ${ownPrefix()}pbt-* nodes, networks, interfaces, groups, resources, and key ${ownPrefix()}pbt below the root)`);
    }
  }
  if (!builtin) lines.push(`after the run (also after a fault, SIGINT or SIGTERM): control ListObjects prefix="${ownPrefix()}", then delete what it finds`);
  deps.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
