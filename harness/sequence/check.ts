// What the sequence schema cannot say, checked when the file loads: every clause name means a clause of
// a protocol version the sequence runs in, every label is declared and checked, a step checks no clause
// about the other kind of notification port, methods and control verbs exist with the fields they take,
// and every "$variable" is set by an earlier step. A problem names the step (0-based index) it is in.
import type { PortKind } from '../catalogue/types';
import type { ClauseNames } from '../catalogue/names';
import * as path from 'node:path';
import { describeSchemaErrors, schemaValidator } from '../catalogue/data-file';
import { packageRoot } from '../../cmrp/package-info';
import { precompiledRefValidator } from '../schema/validator';
import { CONTROL_VERBS, type ControlVerb } from '../../cmrp/control';
import { METHODS, isMethodName } from '../../cmrp/methods';
import type { ProtocolVersion } from '../../cmrp/constants';
import { creationProblem, parseRoleRef, roleRefsIn } from './roles';
import type { RepeatStep, SequenceSource, Step } from './types';

export interface SequenceProblem {
  /** Index of the step in `steps`; absent for a problem of the sequence as a whole. */
  step?: number;
  message: string;
}

/** The methods that make a notification port, and the kind they make. */
const PORT_MAKERS: Readonly<Record<string, PortKind>> = { ApiCreateNotify: 'v1', ApiCreateNotifyV2: 'v2' };
const PORT_MADE_BY: Readonly<Record<PortKind, string>> = { v1: 'ApiCreateNotify', v2: 'ApiCreateNotifyV2' };

/** Fields whose strings are names or labels, not values that may hold "$variable"s. */
const NOT_VALUES = new Set(['save', 'saveAs', 'async', 'await', 'check', 'call', 'control']);

function labelsOf(step: Step): string[] {
  if (!('check' in step) || step.check === undefined) return [];
  return Array.isArray(step.check) ? step.check : [step.check];
}

function variablesIn(value: unknown, key?: string): string[] {
  if (key && NOT_VALUES.has(key)) return [];
  if (typeof value === 'string') return value.startsWith('$') && value !== '$FABRICATED' ? [value.slice(1).split('.')[0]] : [];
  if (Array.isArray(value)) return value.flatMap((v) => variablesIn(v));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => variablesIn(v, k));
  return [];
}

const ADAPTER_SCHEMA = 'docs/adapter-protocol.schema.json';

function controlProblem(control: { verb: string } & Record<string, unknown>): string | undefined {
  if (!CONTROL_VERBS.includes(control.verb as ControlVerb)) return `control verb '${control.verb}' is not one of ${CONTROL_VERBS.join(', ')}`;
  const { verb, ...params } = control;
  // The build's validator of the verb's parameters (harness/schema/precompile.ts): compiling the adapter
  // protocol's schema with ajv costs more CPU than the whole scripted suite takes to run.
  const ref = `/$defs/params.Control.${verb}`;
  const validate = precompiledRefValidator(path.join(packageRoot(), ADAPTER_SCHEMA), ref) ?? schemaValidator(ADAPTER_SCHEMA, ref);
  if (validate(params)) return undefined;
  const { instancePath, detail } = describeSchemaErrors(validate.errors ?? []);
  return `control ${verb}${instancePath ? ` ${instancePath.slice(1)}` : ''} ${detail}`;
}

/** A copy of a step's data with `token` in every string replaced by `index`, as the interpreter does it. */
function substitute(value: unknown, token: string, index: number): unknown {
  if (typeof value === 'string') return value === token ? index : value.split(token).join(String(index));
  if (Array.isArray(value)) return value.map((v) => substitute(v, token, index));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, token, index)]));
  return value;
}

interface Flat {
  step: Step;
  /** Index of the top-level step it comes from. */
  index: number;
  /** Where inside a repeat: "(i = 3, inner step 2)". */
  within: string;
}

/** The steps as they run: repeat blocks unrolled (what `check`, variables and ports then see). */
function unroll(steps: readonly Step[], index?: number, within = ''): Flat[] | SequenceProblem {
  const out: Flat[] = [];
  for (const [i, step] of steps.entries()) {
    const top = index ?? i;
    if (!('repeat' in step)) {
      out.push({ step, index: top, within: index === undefined ? '' : `${within}, inner step ${i + 1})` });
      continue;
    }
    const { from, to, as } = (step as RepeatStep).repeat;
    if (from > to) return { step: top, message: `repeat from ${from} to ${to} runs nothing` };
    for (let n = from; n <= to; n++) {
      const inner = (step as RepeatStep).steps.map((s) => substitute(s, `{${as}}`, n) as Step);
      const flat = unroll(inner, top, `${within}${within ? ', ' : ' ('}${as} = ${n}`);
      if (!Array.isArray(flat)) return flat;
      out.push(...flat);
    }
  }
  return out;
}

export function checkSequence(sequence: SequenceSource, names: ClauseNames): SequenceProblem | undefined {
  const versions: ProtocolVersion[] = sequence.versions ?? [2, 3];
  for (const [label, name] of Object.entries(sequence.clauses)) {
    const problem = names.problem(name);
    if (problem) return { message: `clause label '${label}': ${problem}` };
    if (!versions.some((v) => names.resolve(name, v))) {
      return { message: `clause label '${label}': "${name}" is no clause of protocol version ${versions.join(' or ')}, which the sequence runs in` };
    }
  }
  const used = new Set<string>();
  const defined = new Set<string>();
  const ports = new Map<string, PortKind>();
  const steps = unroll(sequence.steps);
  if (!Array.isArray(steps)) return steps;
  for (const { step, index, within } of steps) {
    const fail = (message: string): SequenceProblem => ({ step: index, message: within ? `${within.trim()}: ${message}` : message });
    for (const label of labelsOf(step)) {
      if (!(label in sequence.clauses)) return fail(`checks '${label}', which is not in the sequence's clauses`);
      used.add(label);
    }
    const missing = variablesIn(step).find((v) => !defined.has(v));
    if (missing) return fail(`$${missing} is not set by an earlier step`);
    for (const ref of roleRefsIn([step])) {
      const parsed = parseRoleRef(ref);
      if ('problem' in parsed) return fail(parsed.problem);
    }
    const creation = 'control' in step ? creationProblem(step.control) : undefined;
    if (creation) return fail(creation);
    let port: { kind: PortKind; variable: string } | undefined;
    const portOf = (value: unknown) => {
      const variable = typeof value === 'string' && value.startsWith('$') ? value.slice(1).split('.')[0] : undefined;
      const kind = variable ? ports.get(variable) : undefined;
      return kind && variable ? { kind, variable } : undefined;
    };
    if ('call' in step) {
      if (!isMethodName(step.call)) return fail(`'${step.call}' is not a method of cmrp/methods.ts`);
      const params = METHODS[step.call].params;
      if ((step.args ?? []).length > params.length) return fail(`${step.call} takes ${params.length} argument(s) (${params.map((p) => p.name).join(', ')}), the step gives ${step.args!.length}`);
      const made = PORT_MAKERS[step.call];
      if (made) port = { kind: made, variable: step.save?.hNotify ?? '(unsaved)' };
      else if (params[0]?.name === 'hNotify') port = portOf(step.args?.[0]);
      for (const [out, variable] of Object.entries(step.save ?? {})) {
        defined.add(variable);
        if (made && out === 'hNotify') ports.set(variable, made);
      }
      if (step.async) {
        defined.add(step.async);
        if (port) ports.set(step.async, port.kind);
      }
    } else if ('await' in step) {
      if (!defined.has(step.await)) return fail(`awaits '${step.await}', which no earlier step started (async)`);
      port = portOf(`$${step.await}`);
      for (const variable of Object.values(step.save ?? {})) defined.add(variable);
    } else if ('control' in step) {
      const problem = controlProblem(step.control as unknown as { verb: string } & Record<string, unknown>);
      if (problem) return fail(problem);
    } else if ('read' in step) {
      port = portOf(step.read);
      for (const variable of step.saveAs ?? []) {
        defined.add(variable);
        if (port) ports.set(variable, port.kind);
      }
    } else if ('absent' in step) {
      port = portOf(step.absent);
    } else if ('readV2' in step) {
      port = portOf(step.readV2);
      for (const variable of step.saveAs ?? []) {
        defined.add(variable);
        if (port) ports.set(variable, port.kind);
      }
    } else if ('absentV2' in step) {
      port = portOf(step.absentV2);
    } else if ('assert' in step) {
      port = portOf(step.assert);
    }
    if (!port) continue;
    for (const label of labelsOf(step)) {
      for (const v of versions) {
        const clause = names.resolve(sequence.clauses[label], v);
        if (clause?.port && clause.port !== port.kind) {
          return fail(`checks '${label}' (${clause.id}), a clause about ${clause.port} ports, on $${port.variable}, a ${port.kind} port (made by ${PORT_MADE_BY[port.kind]})`);
        }
      }
    }
  }
  for (const label of Object.keys(sequence.clauses)) if (!used.has(label)) return { message: `clause label '${label}' is checked by no step` };
  return undefined;
}
