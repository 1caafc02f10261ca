// A fault in every kind of session a run opens, made deterministic: the target fails at one chosen
// point (Connect, Disconnect, Reset, ListObjects, a deletion, its disposal) of one chosen session kind,
// and the fault must show where it happened. The kinds: the cleanup's session (leftovers of earlier
// runs, then this run's objects), the preflight, role discovery, a scripted sequence (and the deletion
// of what it created), a property sequence. A session with clauses in flight makes them ERROR; one with
// none makes a run-level ERROR (the preflight: exit 2, the run cannot start). Never exit 0.
//
// The fault is injected by a wrapper around the in-process reference (not by counting requests across
// processes as the fault proxy does): which session meets it does not depend on how Jest workers race.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TargetError, type ClusapiConnection, type Target } from '../../cmrp/contract';
import type { ClusterControl, Stimulus } from '../../cmrp/control';
import { TargetUnreachableError } from '../../cmrp/errors';
import { gate } from '../../harness/baseline/gate';
import { loadCatalogue } from '../../harness/catalogue/load';
import { bindRoles } from '../../harness/profile/resolve';
import { OWN_PREFIX_ROOT } from '../../harness/profile/own';
import { defaultPropertyTimeouts } from '../../harness/property/context';
import { replayFile } from '../../harness/property/replay';
import { propertyClauseIds, runProperty } from '../../harness/property/runner';
import type { Observation } from '../../harness/recorder/observation';
import { preflight } from '../../harness/runner/run';
import { clausesIn, runSequence } from '../../harness/sequence/interpret';
import { loadAllSequences } from '../../harness/sequence/load';
import { defaultTimeouts } from '../../harness/session/session';
import { runUnit } from '../../harness/suite/accounting';
import { withCleanup } from '../../harness/suite/cleanup';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { judge } from '../../harness/verdict/judge';
import { HARNESS_ID } from '../../harness/verdict/types';
import { MULTIPLIER, faultySpec, requireBuild } from './support';
import { scaled, timeScale } from '../support/time-scale';

type Point = 'Connect' | 'Disconnect' | 'Reset' | 'ListObjects' | 'Delete' | 'dispose';

const catalogue = loadCatalogue();
const catalogueIds = catalogue.map((c) => c.id);
const DELETIONS = new Set(['DeleteObject', 'RegistryDeleteKey', 'RegistryDeleteValue']);

/** What the wrapper throws: what an adapter that crashed there makes the binding throw. */
function injected(label: string): TargetError {
  return new TargetError(label, 'crash', 'injected fault: the adapter exited with code 70');
}

interface Faulty extends Target {
  /** How many times the fault fired (it fires once, at the nth occurrence of its point). */
  fired: number;
  /** How many times its point occurred. */
  occurred: number;
}

/** The reference in process, failing once at the `nth` (from 0) occurrence of `point` (`every`: at each from the nth on). */
function faulty(point: Point, nth = 0, base: Target = createBuiltinTarget(), every = false): Faulty {
  let seen = 0;
  const target: Faulty = {
    description: `${base.description} failing at ${point} #${nth}`,
    capabilities: base.capabilities,
    fired: 0,
    occurred: 0,
    connect: async (options) => {
      if (at('Connect')) throw injected('Connect');
      const connection: ClusapiConnection = await base.connect(options);
      const close = connection.close.bind(connection);
      connection.close = async () => {
        await close();
        if (at('Disconnect')) throw injected('Disconnect');
      };
      return connection;
    },
    dispose: async () => {
      await base.dispose();
      if (at('dispose')) throw injected('dispose');
    },
  };
  const at = (p: Point): boolean => {
    if (p !== point) return false;
    const n = seen++;
    target.occurred++;
    if (every ? n < nth : n !== nth) return false;
    target.fired++;
    return true;
  };
  const control = base.control!;
  const wrapped: ClusterControl = {
    verbs: control.verbs,
    apply: async (s: Stimulus) => {
      if (s.verb === 'Reset' && at('Reset')) throw injected('Control.Reset');
      if (DELETIONS.has(s.verb) && at('Delete')) throw injected(`Control.${s.verb}`);
      return control.apply(s);
    },
    listObjects: async (prefix: string) => {
      if (at('ListObjects')) throw injected('Control.ListObjects');
      return control.listObjects!(prefix);
    },
  };
  return Object.assign(target, { control: wrapped });
}

/** The exit code a run with these observations (of these selected clauses) gets. */
function exitOf(selected: readonly string[], observations: readonly Observation[]): number {
  const selection = catalogue.filter((c) => selected.includes(c.id));
  return gate(judge(selection, observations, { catalogueIds }), { strict: false }).exitCode;
}

const errorsNaming = (observations: readonly Observation[], call: RegExp) => observations.filter((o) => o.outcome === 'error' && call.test(o.message ?? ''));

describe('the cleanup session (leftovers of earlier runs, then this run\'s objects): a run-level ERROR', () => {
  async function cleanupRun(target: Faulty, seed?: (t: Target) => Promise<void>): Promise<{ faults: string[]; log: string[]; result: string }> {
    await seed?.(target);
    const faults: string[] = [];
    const log: string[] = [];
    const result = await withCleanup({ targets: [async () => target], ms: scaled(5000), log: (l) => log.push(l), fault: (m) => faults.push(m), signals: [] }, async () => 'the run');
    return { faults, log, result };
  }
  const leftover = async (t: Target) => t.control!.apply({ verb: 'AddObject', objectType: 'group', name: `${OWN_PREFIX_ROOT}old001-stray group` });

  it.each([
    ['ListObjects before the run', 'ListObjects', 0, /before the run .*Control\.ListObjects: crash/],
    ['the deletion of a leftover of an earlier run', 'Delete', 0, /before the run \(deleting leftovers.*Control\.DeleteObject: crash/],
    ['ListObjects after the run', 'ListObjects', 1, /after the run .*Control\.ListObjects: crash/],
    ['closing the target after the run', 'dispose', 0, /after the run: the target failed to close: dispose: crash/],
  ] as const)('a fault at %s is reported, and the run still gets its result', async (_what, point, nth, named) => {
    const target = faulty(point, nth);
    const { faults, log, result } = await cleanupRun(target, point === 'Delete' ? leftover : undefined);
    expect(target.fired).toBe(1);
    expect(result).toBe('the run');
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatch(named);
    expect(log.join('\n')).toContain(faults[0]);
    // The CLI makes each a harness ERROR of the run (harness/cli/deps.ts): never exit 0.
    const observations: Observation[] = [
      { clause: catalogueIds[0], outcome: 'pass', test: 't', protocolVersion: 3, message: 'judged' },
      ...faults.map((message) => ({ clause: HARNESS_ID, outcome: 'error' as const, test: 'cleanup', protocolVersion: 3 as const, message })),
    ];
    expect(exitOf([catalogueIds[0]], observations)).toBe(1);
  });

  it('a deletion the target refuses (an answer, not a fault) is logged, not a fault of the run', async () => {
    const base = createBuiltinTarget();
    await leftover(base);
    const refusing: Target = {
      ...base,
      control: {
        verbs: base.control!.verbs,
        apply: async (s) => {
          if (s.verb === 'DeleteObject') throw new TargetError('Control.DeleteObject', 'protocol', 'the adapter answered with error -32000: in use');
          return base.control!.apply(s);
        },
        listObjects: (p) => base.control!.listObjects!(p),
      },
      connect: (o) => base.connect(o),
      dispose: () => base.dispose(),
    };
    const faults: string[] = [];
    const log: string[] = [];
    await withCleanup({ targets: [async () => refusing], ms: scaled(5000), log: (l) => log.push(l), fault: (m) => faults.push(m), signals: [] }, async () => undefined);
    expect(faults).toEqual([]);
    expect(log.join('\n')).toMatch(/could not delete 1: group 'cmrp-conf-old001-stray group'/);
  });

  it('a target that cannot be started for the cleanup is left to the preflight when the run does not start', async () => {
    const faults: string[] = [];
    const log: string[] = [];
    const body = withCleanup({ targets: [() => Promise.reject(new Error('no handshake'))], ms: 1000, log: (l) => log.push(l), fault: (m) => faults.push(m), signals: [] }, () =>
      Promise.reject(new TargetUnreachableError('target x: cannot connect')),
    );
    await expect(body).rejects.toThrow('cannot connect');
    // Only the preflight's one line (exit 2): nothing more on stderr.
    expect(faults).toEqual([]);
    expect(log).toEqual([]);
    // When the run does start, the cleanup's failed start is a fault of the run.
    await withCleanup({ targets: [() => Promise.reject(new Error('no handshake'))], ms: 1000, log: (l) => log.push(l), fault: (m) => faults.push(m), signals: [] }, async () => undefined);
    expect(faults).toEqual(['the target failed in the cleanup session before the run (looking for leftovers of earlier runs): the target could not be started: no handshake']);
  });
});

describe('the preflight: the run cannot start (exit 2), its line naming where', () => {
  beforeAll(requireBuild);
  it.each([
    ['Connect', /cannot connect: Connect: crash/],
    ['Disconnect', /the first session failed when it was closed: Disconnect: crash/],
  ] as const)('a crash at its %s', async (phase, named) => {
    const error = await preflight({ target: faultySpec(phase, 'crash', 'nth:0'), protocolVersion: 3, timeoutMultiplier: MULTIPLIER }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TargetUnreachableError);
    // Its first line (what the CLI prints) names the step; the adapter's stderr follows.
    expect((error as Error).message.split('\n')[0]).toMatch(named);
  });
});

describe('role discovery (a suite file binds its roles first): ERROR of every clause of the file', () => {
  const sequence = loadAllSequences().find((s) => s.id === 'create-notify/usable-port')!;
  const clauseIds = clausesIn(sequence, 3);

  it.each([
    ['Connect', undefined],
    ['Disconnect', undefined],
    ['Connect', 'examples/profiles/builtin.json'],
    ['Disconnect', 'examples/profiles/builtin.json'],
  ] as const)('a crash at its %s (profile: %s)', async (point, profile) => {
    const target = faulty(point);
    // Not the builtin spec: its roles would come from its cluster without a session.
    const roles = bindRoles({ targetSpec: 'stdio:adapter', profile, target, protocolVersion: 3, callMs: scaled(5000) });
    // What sequences.ts does with it: the file's tests await the binding inside their unit.
    const observations = await runUnit({
      file: 'f',
      unit: { test: sequence.id, clauseIds },
      protocolVersion: 3,
      deadlineMs: scaled(60_000),
      slowHint: '',
      work: async () => runSequence(sequence, { target, protocolVersion: 3, timeouts: defaultTimeouts(timeScale()), roles: await roles, replay: () => '' }),
    });
    expect(target.fired).toBe(1);
    expect(observations.map((o) => [o.clause, o.outcome])).toEqual(clauseIds.map((c) => [c, 'error']));
    expect(observations[0].message).toContain(`${point}: crash`);
    expect(exitOf(clauseIds, observations)).toBe(1);
    await target.dispose();
  });
});

describe('a scripted sequence: ERROR of its clauses, wherever in its session the target fails', () => {
  const all = loadAllSequences();
  const roles = () => bindRoles({ targetSpec: 'builtin', target: createBuiltinTarget(), protocolVersion: 3, callMs: scaled(5000) });

  it.each([
    ['Reset', 'create-notify/usable-port', 0, /Control\.Reset: crash/],
    ['Connect', 'create-notify/usable-port', 0, /Connect: crash/],
    ['Disconnect', 'create-notify/usable-port', 0, /the target failed when the session was closed: Disconnect: crash/],
    // The group the sequence created and left is deleted after it, in its session.
    ['Delete', 'create-group/sequence-starts-at-zero', 0, /when the sequence's own objects were deleted after it: group 'cmrp-conf-[^']+Seq Group': Control\.DeleteObject: crash/],
  ] as const)('a crash at %s (%s)', async (point, id, nth, named) => {
    const sequence = all.find((s) => s.id === id)!;
    const clauseIds = clausesIn(sequence, 3);
    const target = faulty(point, nth);
    const observations = await runSequence(sequence, { target, protocolVersion: 3, timeouts: defaultTimeouts(timeScale()), roles: await roles(), replay: () => '' });
    expect(target.fired).toBe(1);
    const errors = errorsNaming(observations, named);
    expect(new Set(errors.map((o) => o.clause))).toEqual(new Set(clauseIds));
    expect(exitOf(clauseIds, observations)).toBe(1);
    await target.dispose();
  });
});

describe('a property sequence: ERROR of the selected clauses in flight, the run goes on', () => {
  // A selection of one section: the sequence that meets the fault may have checked only other clauses.
  const selected = new Set(catalogue.filter((c) => c.section === '3.1.4.2.57').map((c) => c.id));
  const propertySelected = propertyClauseIds(3).filter((id) => selected.has(id));

  it.each([
    ['Reset', 0],
    ['Connect', 0],
    ['Disconnect', 0],
    ['Disconnect', 2],
  ] as const)('a crash at %s #%d', async (point, nth) => {
    const target = faulty(point, nth);
    const result = await runProperty({ target, targetSpec: 'builtin', version: 3, seed: 5, runs: 4, maxCommands: 8, timeouts: defaultPropertyTimeouts(timeScale()), clauseIds: selected });
    expect(target.fired).toBe(1);
    expect(result.faults).toBe(1);
    const errors = result.observations.filter((o) => o.outcome === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((o) => selected.has(o.clause))).toBe(true);
    expect(errors[0].message).toMatch(new RegExp(`${point === 'Reset' ? 'Control\\.Reset' : point}: crash`));
    expect(exitOf(propertySelected, result.observations)).toBe(1);
    await target.dispose();
  });

  // The two counterexample scenarios below mostly wait (the settle time of each absence proof, scaled for
  // a loaded machine, over a run, its shrinking and a rerun): both start together in the hook, each on a
  // target of its own with counters of its own, and each test judges its own.
  const propertyRun = (target: Target, replayDir?: string) =>
    runProperty({ target, targetSpec: 'builtin:mutant=merge-filters', version: 3, seed: 5, runs: 20, maxCommands: 8, timeouts: defaultPropertyTimeouts(timeScale()), replayDir });

  const shrinking = async () => {
    // merge-filters fails the model after `runs` good sequences (one session each): from the failing
    // sequence's Disconnect on, every Disconnect crashes, the shrinking's included.
    const first = await propertyRun(createBuiltinTarget({ mutant: 'merge-filters' }));
    const target = faulty('Disconnect', first.runs, createBuiltinTarget({ mutant: 'merge-filters' }), true);
    try {
      return await propertyRun(target);
    } finally {
      await target.dispose();
    }
  };

  const rerunAndReplay = async () => {
    const replayDir = mkdtempSync(join(tmpdir(), 'cmrp-replay-'));
    // The rerun alone is the run's last session: count them on a first run that never fails.
    const counting = faulty('Disconnect', Number.MAX_SAFE_INTEGER, createBuiltinTarget({ mutant: 'merge-filters' }));
    await propertyRun(counting, replayDir);
    await counting.dispose();
    const target = faulty('Disconnect', counting.occurred - 1, createBuiltinTarget({ mutant: 'merge-filters' }));
    const result = await propertyRun(target, replayDir);
    await target.dispose();
    const replayed = result.failure?.replayFile === undefined ? undefined : await replayAgainstFaulty(result.failure.replayFile);
    return { fired: target.fired, result, replayed };
  };

  const replayAgainstFaulty = async (file: string) => {
    const again = faulty('Disconnect', 0, createBuiltinTarget({ mutant: 'merge-filters' }));
    try {
      return await replayFile(file, { target: again });
    } finally {
      await again.dispose();
    }
  };

  // Settled into values or errors, so neither rejects unheard while the other is awaited.
  let counterexamples: Promise<[PromiseSettledResult<Awaited<ReturnType<typeof shrinking>>>, PromiseSettledResult<Awaited<ReturnType<typeof rerunAndReplay>>>]>;
  beforeAll(() => {
    counterexamples = Promise.allSettled([shrinking(), rerunAndReplay()]);
  });
  const settled = <T>(outcome: PromiseSettledResult<T>): T => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  };

  it('a fault at Disconnect while a counterexample is shrunk is reported beside the counterexample', async () => {
    const result = settled((await counterexamples)[0]);
    expect(result.failure).toBeDefined();
    const during = result.observations.filter((o) => o.outcome === 'error' && /while shrinking a counterexample.*Disconnect: crash/.test(o.message ?? ''));
    expect(during.length).toBeGreaterThan(0);
  });

  it('a fault at Disconnect when a counterexample is rerun alone, or replayed, is reported beside the failure', async () => {
    const { fired, result, replayed } = settled((await counterexamples)[1]);
    expect(fired).toBe(1);
    expect(result.failure?.reproduced).toBe(true);
    expect(result.observations.filter((o) => o.outcome === 'error' && /when the shrunk counterexample was rerun alone \(seed 5\): Disconnect: crash/.test(o.message ?? '')).length).toBeGreaterThan(0);
    expect(replayed).toBeDefined();
    expect(replayed!.some((o) => o.outcome === 'fail')).toBe(true);
    expect(replayed!.filter((o) => o.outcome === 'error' && /when the replay of .* ended \(seed 5\): Disconnect: crash/.test(o.message ?? '')).length).toBeGreaterThan(0);
  });
});
