// The model-based property: fast-check generates call sequences (fc.commands), runs each against a
// fresh fixture on the target with the oracle model alongside (fc.asyncModelRun), orders blocked-read
// races with fc.scheduler, and shrinks a failure to its shortest form. Every check becomes an
// observation in the same form the scripted suites produce, so hits add up in one report.
import { writeFileSync } from 'node:fs';
import { ensureDir } from '../report/atomic';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import type { Observation } from '../recorder/observation';
import type { ProtocolVersion } from '../../cmrp/constants';
import type { AccessLevel, Target } from '../../cmrp/contract';
import { reachOf, type TargetReach } from '../run-config/config';
import { objectKey } from '../model/cluster';
import { FIXTURE_OBJECTS, STATES } from '../model/fixture';
import { NotifyModel } from '../model/oracle';
import { ONLY_BY_METHOD, ONLY_THROUGH } from '../model/refs';
import { claimedClauseIds, clauseBook, propertyClauseIds, v2ClauseIds } from './clause-ids';
import { HARNESS_ID } from '../verdict/types';
import { commandArbitraries } from './arbitraries';
import { HarnessProblem, OpenRefusedInReadOnly, PropertyFailure, RunContext, TargetFault, environmentFor, targetFaultOf, type ExecutedStep, type PropertyEnvironment, type PropertyTimeouts } from './context';
import { runStep } from './execute';
import { applies, hasPortsV2 } from './resolve-v2';
import type { Step } from './steps';

/** The test name every property observation carries (stable: never a seed). */
export const PROPERTY_TEST = 'property/notification-ports';

// The clause lists live in a module of their own: planning a run needs them, not fast-check and the model.
export { claimedClauseIds, clauseBook, propertyClauseIds } from './clause-ids';

/** Default budget: sequences per protocol version and their length, a few seconds on two cores. */
export const DEFAULT_RUNS = 200;
export const DEFAULT_MAX_COMMANDS = 30;

/**
 * Sequences in a row the target may fail (crash, hang, garbage) before the run stops: a dead or hung
 * target would otherwise cost a timeout per remaining sequence. Faults before that are reported and the
 * run goes on with the rest of its budget.
 */
export const MAX_CONSECUTIVE_FAULTS = 3;

export interface PropertyRunOptions {
  target: Target;
  /** The target as given on the command line (what a replay file names). */
  targetSpec: string;
  /** --control, --auth, --auth-level and --user of the run, kept in replay files so a replay reaches the target the same way. */
  targetOptions?: TargetReach;
  version: ProtocolVersion;
  seed: number;
  runs?: number;
  maxCommands?: number;
  timeouts: PropertyTimeouts;
  /** Where a failure's replay file goes; none is written without it. */
  replayDir?: string;
  /** Keep only observations of these clauses (the run's selection). */
  clauseIds?: ReadonlySet<string>;
  /** fast-check's own replay of a known counterexample (with `replayPath`). */
  path?: string;
  replayPath?: string;
}

export interface FailureReport {
  clauseIds: string[];
  outcome: 'fail' | 'error';
  message: string;
  access: AccessLevel;
  steps: ExecutedStep[];
  trace: string[];
  seed: number;
  path: string;
  replayPath: string;
  replayFile?: string;
  replayCommand?: string;
  /** The shrunk sequence failed again, the same way, when rerun on its own. */
  reproduced: boolean;
  /** The rerun met a fault of the target instead (so it could not tell): what the fault was. */
  rerunFault?: string;
}

export interface PropertyResult {
  observations: Observation[];
  /** Sequences run before the first failure (all of them when none failed). */
  runs: number;
  failure?: FailureReport;
  /** The property could not run at all (recorded as a harness error observation). */
  problem?: string;
  /** Sequences the target failed (each recorded as ERROR of the clauses in flight). */
  faults?: number;
  /** Methods the target showed it does not offer (as the spec allows it): what only they show is NOT-TESTED. */
  absentMethods?: string[];
}

/** What one replay file holds: enough to rerun exactly the shrunk sequence. */
export interface ReplayFile {
  kind: 'cmrp-notify-conformance/property-replay';
  seed: number;
  path: string;
  replayPath: string;
  protocolVersion: ProtocolVersion;
  target: string;
  control?: string;
  auth?: string;
  authLevel?: string;
  /** DOMAIN\\NAME; the password is never written here (it comes from CMRP_PASSWORD). */
  user?: string;
  accessLevel: AccessLevel;
  commands: Step[];
  failure: { clauses: string[]; outcome: 'fail' | 'error'; message: string };
}

/**
 * What earlier sequences of a run learned about the target that later ones need not learn again: a SHOULD
 * shortfall already recorded (each sequence would otherwise wait out a read that a server keeping it answers).
 */
export interface Known {
  reconnectShortfall?: boolean;
  /** The server refused to open a handle in the read-only server state: open them all before it goes there. */
  openAllBeforeReadOnly?: boolean;
}

/** One sequence on a fresh fixture: setup, then each applicable step, stopping at the first failure. */
export class SequenceRun {
  readonly ctx: RunContext;

  constructor(env: PropertyEnvironment, readonly access: AccessLevel, interleave: (labels: string[]) => Promise<number[]>, known: Known = {}) {
    const initialStates = new Map<string, number>();
    if (env.fixture) for (const o of FIXTURE_OBJECTS) initialStates.set(objectKey(o.kind, o.name), STATES[o.kind][0]);
    this.ctx = new RunContext(env, new NotifyModel({ version: env.version, access, initialStates, reconnectShortfall: known.reconnectShortfall }), interleave, known.openAllBeforeReadOnly);
  }

  /** Runs the setup; fast-check (or the replay loop) then runs the steps. */
  async setUp(): Promise<void> {
    await this.ctx.setUp(this.access);
  }

  /**
   * Every generated sequence starts with a port: without one nearly every step is inapplicable. The
   * prelude is an ordinary step, so it is in the executed list a replay file holds.
   */
  async prelude(): Promise<void> {
    await runStep(this.ctx, { op: 'CreateNotify' });
  }

  /** The replay loop: the same check-then-run as fc.asyncModelRun. */
  async steps(steps: readonly Step[]): Promise<void> {
    for (const step of steps) if (applies(this.ctx.env, this.ctx.model, step)) await runStep(this.ctx, step);
  }

  /** Ends the sequence's connection; a fault at Disconnect is returned. */
  async tearDown(): Promise<TargetFault | undefined> {
    return this.ctx.tearDown();
  }

  /** Turns a thrown error into the run's failure record (a setup problem is a harness error). */
  static failureOf(error: unknown): PropertyFailure {
    if (error instanceof PropertyFailure) return error;
    const fault = targetFaultOf(error, 'setup');
    if (fault) return fault;
    if (error instanceof HarnessProblem) return new PropertyFailure([], error.message, 'error');
    return new PropertyFailure([], `harness error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 'error');
  }
}

/**
 * Runs `steps` once, exactly (blocked-read orders pinned), as a replay does. A fault at Disconnect is the
 * failure when there is no other; beside another, it is `closeFault`, for the caller to report too.
 */
export async function rerun(env: PropertyEnvironment, access: AccessLevel, steps: readonly Step[], known: Known = {}): Promise<{ run: SequenceRun; failure?: PropertyFailure; closeFault?: TargetFault }> {
  // A rerun must run every step it is given: no handle is left to open in the read-only state.
  const run = new SequenceRun(env, access, async (labels) => labels.map((_, i) => i), { ...known, openAllBeforeReadOnly: true });
  let failure: PropertyFailure | undefined;
  let closeFault: TargetFault | undefined;
  try {
    await run.setUp();
    await run.steps(steps);
  } catch (error) {
    failure = SequenceRun.failureOf(error);
  } finally {
    closeFault = await run.tearDown();
    failure ??= closeFault;
  }
  return { run, failure, ...(closeFault && closeFault !== failure ? { closeFault } : {}) };
}

/** ERROR of the clauses in flight for a fault at the Disconnect of a rerun (`when` says which). */
export function closeFaultObservations(fault: TargetFault, run: SequenceRun, env: PropertyEnvironment, when: string, options: Pick<PropertyRunOptions, 'version' | 'seed' | 'clauseIds'>): Observation[] {
  return faultObservations(fault, faultClauses(fault, run, env, options.clauseIds), run, when, options);
}

/** fast-check's scheduler picks the order racers run in; each completes before the next starts. */
function schedulerInterleave(s: fc.Scheduler): (labels: string[]) => Promise<number[]> {
  return async (labels) => {
    const order: number[] = [];
    const tasks = labels.map((label, i) => s.schedule(Promise.resolve(i), label).then(() => void order.push(i)));
    await s.waitAll();
    await Promise.all(tasks);
    return order;
  };
}

export async function runProperty(options: PropertyRunOptions): Promise<PropertyResult> {
  const b = clauseBook();
  const env = environmentFor(options.target, options.targetSpec, options.version, options.timeouts, b);
  const observations: Observation[] = [];
  const observed = new Set<string>();
  let failing = false;
  let runs = 0;
  let last: { run: SequenceRun; failure: PropertyFailure } | undefined;

  const access = env.accessLevels.includes('read')
    ? fc.oneof({ weight: 5, arbitrary: fc.constant<AccessLevel>('full') }, { weight: 1, arbitrary: fc.constant<AccessLevel>('read') })
    : fc.constant<AccessLevel>('full');
  const commands = fc.commands(commandArbitraries(env), { size: 'max', maxCommands: options.maxCommands ?? DEFAULT_MAX_COMMANDS, replayPath: options.replayPath });

  const faults: Faults = { inARow: 0, total: 0, sequences: 0 };
  // A SHOULD shortfall is reported once per clause (the first sequence that showed it), not once per sequence.
  const shortfallsSeen = new Set<string>();
  const absent = new Set<string>();
  const known: Known = {};

  const property = fc.asyncProperty(fc.scheduler(), access, commands, async (s, level, cmds) => {
    // A target that failed several sequences in a row is not driven on: the rest of the budget is skipped.
    if (faults.inARow >= MAX_CONSECUTIVE_FAULTS) return;
    if (!failing) faults.sequences++;
    const run = new SequenceRun(env, level, schedulerInterleave(s), { ...known });
    let fault: PropertyFailure | undefined;
    try {
      await run.setUp();
      await run.prelude();
      await fc.asyncModelRun(async () => ({ model: run.ctx.model, real: run.ctx }), cmds);
    } catch (error) {
      const failure = error instanceof OpenRefusedInReadOnly ? undefined : SequenceRun.failureOf(error);
      // An open refused in read-only (it is only a SHOULD there) ends the sequence where it is: what it
      // judged stands, and the later sequences open every handle before the server goes read-only.
      if (!failure) known.openAllBeforeReadOnly = true;
      // A fault of the target (not a disagreement with the model) is no counterexample to shrink: it is
      // ERROR of the clauses in flight, and the run goes on.
      else if (isTargetFault(failure)) fault = failure;
      else {
        // Every failing run overwrites this: the last one is the shrunk counterexample.
        last = { run, failure };
        failing = true;
        throw error;
      }
    } finally {
      absentMethodsOf(run, absent);
      // Only once a sequence that is reported (not one being shrunk) has recorded the shortfall.
      if (!failing && run.ctx.model.reconnectShortfall) known.reconnectShortfall = true;
      const closeFault = await run.tearDown();
      if (!failing) fault ??= closeFault;
      // While shrinking, the counterexample is the story, but a fault at Disconnect is still reported.
      else if (closeFault) observations.push(...faultObservations(closeFault, faultClauses(closeFault, run, env, options.clauseIds), run, 'while shrinking a counterexample', options));
    }
    if (fault) {
      faults.inARow++;
      faults.total++;
      faults.last = fault.message;
      observations.push(...passObservations(run.ctx.passes, options), ...shortfallObservations(run, shortfallsSeen, options));
      const ids = faultClauses(fault, run, env, options.clauseIds);
      observations.push(...faultObservations(fault, ids, run, failing ? 'while shrinking a counterexample' : `in sequence ${faults.sequences} of ${options.runs ?? DEFAULT_RUNS}`, options));
      for (const id of [...run.ctx.passes.keys(), ...run.ctx.shortfalls.flatMap((x) => x.ids), ...ids]) observed.add(id);
      return;
    }
    faults.inARow = 0;
    if (!failing) {
      runs++;
      observations.push(...passObservations(run.ctx.passes, options), ...shortfallObservations(run, shortfallsSeen, options));
      for (const id of [...run.ctx.passes.keys(), ...run.ctx.shortfalls.flatMap((x) => x.ids)]) observed.add(id);
    }
  });

  const details = await fc.check(property, { seed: options.seed, numRuns: options.runs ?? DEFAULT_RUNS, path: options.path });
  let failure: FailureReport | undefined;
  let problem: string | undefined;
  if (details.failed && last) {
    const reported = await reportFailure(env, last, details, options, known);
    failure = reported.report;
    observations.push(...passObservations(reported.again.run.ctx.passes, options), ...shortfallObservations(reported.again.run, shortfallsSeen, options));
    observations.push(...failObservations(failure, options));
    const { closeFault } = reported.again;
    if (closeFault) observations.push(...closeFaultObservations(closeFault, reported.again.run, env, 'when the shrunk counterexample was rerun alone', options));
    for (const id of [...reported.again.run.ctx.passes.keys(), ...failure.clauseIds]) observed.add(id);
  } else if (details.failed) {
    // fast-check itself gave up (a replay path that does not fit, say): a problem of the harness.
    const message = `fast-check could not run the property: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`;
    observations.push({ clause: 'harness', outcome: 'error', test: PROPERTY_TEST, protocolVersion: options.version, message, seed: options.seed });
    problem = message;
  }
  if (faults.inARow >= MAX_CONSECUTIVE_FAULTS) {
    // What the run did not get to judge is not NOT-TESTED (that would read as "nothing to test"): it is ERROR.
    const message = `model-based property: not exercised: the run stopped after the target failed ${faults.inARow} sequences in a row (last: ${faults.last}); ${faults.sequences} of its ${options.runs ?? DEFAULT_RUNS} sequences ran`;
    const passed = new Set(observations.filter((o) => o.outcome === 'pass').map((o) => o.clause));
    for (const id of propertyClauseIds(env.version, env.book)) {
      if (passed.has(id)) continue;
      observations.push({ clause: id, outcome: 'error', test: PROPERTY_TEST, protocolVersion: options.version, message, seed: options.seed });
      observed.add(id);
    }
  }
  observations.push(...notTested(env, observed, options, absent));
  return {
    observations: keep(observations, options.clauseIds),
    runs,
    failure,
    problem,
    ...(faults.total ? { faults: faults.total } : {}),
    ...(absent.size ? { absentMethods: [...absent] } : {}),
  };
}

interface Faults {
  inARow: number;
  total: number;
  /** Sequences started (the budget used). */
  sequences: number;
  last?: string;
}

/** A failure the target caused by failing (crash, hang, garbage), as opposed to a wrong answer. */
function isTargetFault(failure: PropertyFailure): boolean {
  return failure instanceof TargetFault;
}

/**
 * The clauses in flight when the target failed: those of the check being made; for a fault outside any
 * check (setup, a control verb, Connect, Disconnect), those the sequence had checked on that session;
 * before any check, every clause the property judges (the whole sequence was in flight). A sequence runs
 * for the run's selection: when none of those clauses is selected, the fault is the selected clauses'
 * (the selection keeps only their observations, and a fault must never vanish with the rest).
 */
function faultClauses(fault: PropertyFailure, run: SequenceRun, env: PropertyEnvironment, selection?: ReadonlySet<string>): string[] {
  const ids = inFlight(fault, run, env);
  if (!selection || ids.some((id) => selection.has(id))) return ids;
  const selected = propertyClauseIds(env.version, env.book).filter((id) => selection.has(id));
  return selected.length ? selected : [HARNESS_ID];
}

function inFlight(fault: PropertyFailure, run: SequenceRun, env: PropertyEnvironment): string[] {
  const ids = clauseIdsOf(fault, env.version);
  if (ids.length) return ids;
  if (run.ctx.passes.size) return [...run.ctx.passes.keys()];
  return propertyClauseIds(env.version, env.book);
}

function faultObservations(fault: PropertyFailure, ids: string[], run: SequenceRun, when: string, options: Pick<PropertyRunOptions, 'version' | 'seed'>): Observation[] {
  const wentOn = when.startsWith('in sequence') ? '; the run went on with the rest of its budget' : '';
  const message = `model-based property: the target failed ${when} (seed ${options.seed}${wentOn}): ${fault.message}`;
  const trace = [...run.ctx.executed.map((s, i) => `step ${i + 1}. ${s.text}`), 'calls:', ...run.ctx.stepTrace().map((l) => `  ${l}`)];
  return ids.map((clause) => ({ clause, outcome: 'error' as const, test: PROPERTY_TEST, protocolVersion: options.version, message, trace, seed: options.seed }));
}

async function reportFailure(
  env: PropertyEnvironment,
  last: { run: SequenceRun; failure: PropertyFailure },
  details: { seed: number; counterexamplePath: string | null; counterexample: unknown; errorInstance: unknown },
  options: PropertyRunOptions,
  known: Known,
): Promise<{ report: FailureReport; again: Awaited<ReturnType<typeof rerun>> }> {
  const steps = last.run.ctx.executed;
  const replayPath = /replayPath="([^"]*)"/.exec(String((details.counterexample as unknown[] | null)?.[2] ?? ''))?.[1] ?? '';
  const report: FailureReport = {
    clauseIds: clauseIdsOf(last.failure, env.version),
    outcome: last.failure.outcome,
    message: last.failure.message,
    access: last.run.access,
    steps,
    trace: last.run.ctx.stepTrace(),
    seed: details.seed,
    path: details.counterexamplePath ?? '',
    replayPath,
    reproduced: false,
  };
  // The shrunk sequence, rerun alone, must fail the same way: that is what a replay file promises.
  const again = await rerun(env, report.access, steps.map((s) => s.data), known);
  report.reproduced = again.failure !== undefined && sameIds(clauseIdsOf(again.failure, env.version), report.clauseIds);
  if (!report.reproduced && again.failure instanceof TargetFault) report.rerunFault = again.failure.message;
  if (again.failure) report.trace = again.run.ctx.stepTrace();
  if (options.replayDir) {
    ensureDir(options.replayDir);
    const file = join(options.replayDir, `property-v${env.version}-${options.targetSpec.replace(/[^\w.-]+/g, '_')}-seed${details.seed}.json`);
    const content: ReplayFile = {
      kind: 'cmrp-notify-conformance/property-replay',
      seed: details.seed,
      path: report.path,
      replayPath,
      protocolVersion: env.version,
      target: options.targetSpec,
      ...reachOf(options.targetOptions ?? {}),
      accessLevel: report.access,
      commands: steps.map((s) => s.data),
      failure: { clauses: report.clauseIds, outcome: report.outcome, message: report.message },
    };
    writeFileSync(file, JSON.stringify(content, null, 2) + '\n');
    report.replayFile = file;
    const shown = relative(process.cwd(), file);
    report.replayCommand = `npx cmrp-notify-conformance replay ${shown && !shown.startsWith('..') ? shown : file}`;
  }
  return { report, again };
}

export function clauseIdsOf(failure: PropertyFailure, version: ProtocolVersion): string[] {
  return clauseBook().ids(failure.refs, version);
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function passObservations(passes: ReadonlyMap<string, number>, options: Pick<PropertyRunOptions, 'version' | 'seed'>): Observation[] {
  return [...passes.keys()].map((clause) => ({
    clause,
    outcome: 'pass' as const,
    test: PROPERTY_TEST,
    protocolVersion: options.version,
    // One message for every pass: a report groups them and counts them, and a run's text stays stable.
    message: 'model-based property: the server agreed with the oracle model in a random call sequence',
    seed: options.seed,
  }));
}

/**
 * SHOULDs the server did not keep in a sequence that went on (RunContext.shortfalls): a failed check of
 * each clause, which the report shows NON-STRICT. Each clause once per run, with the first sequence's trace.
 */
export function shortfallObservations(run: SequenceRun, seen: Set<string>, options: Pick<PropertyRunOptions, 'version' | 'seed'>): Observation[] {
  const out: Observation[] = [];
  for (const s of run.ctx.shortfalls) {
    for (const clause of s.ids) {
      if (seen.has(clause)) continue;
      seen.add(clause);
      const message = `model-based property: a SHOULD not kept (seed ${options.seed}; the run went on): ${s.message}`;
      out.push({ clause, outcome: 'fail', test: PROPERTY_TEST, protocolVersion: options.version, message, trace: s.trace, seed: options.seed });
    }
  }
  return out;
}

/** The failure's observations: one per clause it names, with the shrunk steps and the call trace. */
export function failObservations(failure: FailureReport, options: Pick<PropertyRunOptions, 'version' | 'seed'>): Observation[] {
  const trace = [
    `shrunk sequence (${failure.steps.length} step(s), access level ${failure.access}, seed ${failure.seed}, path ${failure.path || '-'}, replayPath ${failure.replayPath || '-'}):`,
    ...failure.steps.map((s, i) => `  ${i + 1}. ${s.text}`),
    'calls:',
    ...failure.trace.map((l) => `  ${l}`),
  ];
  const note = failure.reproduced
    ? ''
    : failure.rerunFault
      ? ` (the shrunk sequence could not be confirmed alone: the target failed during the rerun: ${failure.rerunFault})`
      : ' (the shrunk sequence did not fail the same way when rerun alone: the target may be nondeterministic)';
  const message = `model-based property failed after shrinking to ${failure.steps.length} step(s): ${failure.message}${note}`;
  const ids = failure.clauseIds.length ? failure.clauseIds : ['harness'];
  return ids.map((clause) => ({
    clause,
    outcome: failure.outcome,
    test: PROPERTY_TEST,
    protocolVersion: options.version,
    message,
    trace,
    replay: failure.replayCommand,
    seed: options.seed,
  }));
}

/** Methods a sequence's model learned the target does not offer (as the spec allows). */
function absentMethodsOf(run: SequenceRun, into: Set<string>): void {
  if (!run.ctx.model.unblockSupported) into.add('ApiUnblockGetNotifyCall');
}

/** Clauses the target cannot exercise here (no control verb, no Read principal, no method): NOT-TESTED, never PASS. */
function notTested(env: PropertyEnvironment, observed: ReadonlySet<string>, options: Pick<PropertyRunOptions, 'version' | 'seed'>, absent: ReadonlySet<string>): Observation[] {
  const out: Observation[] = [];
  const lacks = targetLacks(env, absent);
  for (const id of propertyClauseIds(env.version, env.book)) {
    if (observed.has(id)) continue;
    const missing = lacks(id);
    if (!missing.length) continue;
    out.push({ clause: id, outcome: 'not-tested', test: PROPERTY_TEST, protocolVersion: options.version, message: `the target lacks ${missing.join(' and ')}`, seed: options.seed });
  }
  return out;
}

/**
 * What the target lacks to show a clause (empty: nothing): derived from its capabilities and the control
 * verbs it offers, never from its name. One answer for the claim and for the NOT-TESTED reasons.
 */
function targetLacks(env: PropertyEnvironment, absent: ReadonlySet<string> = new Set()): (id: string) => string[] {
  const v2Only = env.version === 3 && !hasPortsV2(env) ? v2ClauseIds(env.book) : new Set<string>();
  const methodGaps = new Map<string, string>();
  for (const row of ONLY_BY_METHOD) {
    if (!absent.has(row.method)) continue;
    for (const id of env.book.ids(row.refs, env.version)) methodGaps.set(id, `${row.method} (it answered RPC_S_PROCNUM_OUT_OF_RANGE, which a version 2 server may: 3.1.4.1.107)`);
  }
  const verbGaps = new Map<string, string>();
  for (const row of ONLY_THROUGH) {
    if (row.verbs.some((v) => env.verbs.has(v))) continue;
    const text = `the ${row.verbs.join(' or ')} control verb${row.verbs.length > 1 ? 's' : ''}`;
    for (const id of env.book.ids(row.refs, env.version)) verbGaps.set(id, text);
  }
  return (id) => {
    const clause = env.book.clause(id);
    if (!clause) return [];
    const missing: string[] = [];
    if (methodGaps.has(id)) missing.push(methodGaps.get(id)!);
    if (v2Only.has(id)) missing.push('version 2 notification ports (ApiCreateNotifyV2, ApiAddNotifyV2, ApiGetNotifyV2)');
    if (clause.needs.includes('stimulus') && !env.fixture) missing.push('control verbs to build and change its own objects (Reset, AddObject, SetState, RegistryCreateKey)');
    else if (verbGaps.has(id)) missing.push(verbGaps.get(id)!);
    if (clause.needs.includes('read-only-state') && !env.verbs.has('SetServerState')) missing.push('the SetServerState control verb');
    if (clause.needs.includes('fault-injection') && !env.verbs.has('DropEvents')) missing.push('the DropEvents control verb');
    if (clause.needs.includes('restricted-principal') && !env.accessLevels.includes('read')) missing.push('a connection with Read access only');
    return missing;
  };
}

/**
 * The clauses the property claims to reach on this target: the claim of the protocol version less what
 * the target cannot show (its NOT-TESTED rows), `absentMethods` being what a run learned it does not
 * offer (PropertyResult.absentMethods). tools/property-sweep.ts --hits holds a run to it.
 */
export function claimedFor(env: PropertyEnvironment, absentMethods: Iterable<string> = []): string[] {
  const lacks = targetLacks(env, new Set(absentMethods));
  return claimedClauseIds(env.version, env.book).filter((id) => !lacks(id).length);
}

function keep(observations: Observation[], ids: ReadonlySet<string> | undefined): Observation[] {
  return ids ? observations.filter((o) => o.clause === HARNESS_ID || ids.has(o.clause)) : observations;
}


