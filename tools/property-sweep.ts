// The property over many seeds: against the reference, its variants and any other target, per protocol
// version, how many seeds FAILed (with the first messages) and, for each clause the property claims, in
// how many seeds it was exercised (a PASS observation). A developer script, not part of `npm test`:
//
//   npx tsc -p tools/tsconfig.json && node dist/tools/property-sweep.js [--seeds N] [--first S]
//     [--runs R] [--versions 2,3] [--targets builtin,variants,python,SPEC...] [--hits] [--min 0.95]
//     [--lanes N] [--multiplier M]
//
// `variants` stands for every builtin:variant=NAME, `python` for the Python example adapter. Exit 1
// when any seed FAILed beyond the NON-STRICT a variant declares (a SHOULD shortfall the run went on after
// counts too), or (with --hits) a claimed clause was exercised (PASS, or a declared shortfall) in fewer
// than --min of the seeds. The claim follows the target: its control verbs, and the methods its runs
// showed it does not offer (PropertyResult.absentMethods).
import { join } from 'node:path';
import type { ProtocolVersion } from '../cmrp/constants';
import { defaultPropertyTimeouts, environmentFor } from '../harness/property/context';
import { claimedFor, clauseBook, runProperty } from '../harness/property/runner';
import { createTarget } from '../harness/target/resolve';
import { VARIANT_DEFINITIONS } from '../reference/variants';

interface Options {
  seeds: number;
  first: number;
  runs?: number;
  versions: ProtocolVersion[];
  targets: string[];
  hits: boolean;
  min: number;
  /** Targets swept at once: version 2 runs mostly wait on GetNotify timers, which overlap. */
  lanes: number;
  /** Timeout multiplier of in-process targets (adapters get at least 0.5). */
  multiplier: number;
}

const PYTHON_SPEC = `stdio:python3 ${join(__dirname, '..', '..', 'examples', 'python-adapter', 'adapter.py')}`;

function parse(argv: readonly string[]): Options {
  const o: Options = { seeds: 20, first: 1, versions: [2, 3], targets: ['builtin'], hits: false, min: 0.95, lanes: 1, multiplier: 0.1 };
  for (let i = 0; i < argv.length; i++) {
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    switch (argv[i]) {
      case '--seeds': o.seeds = Number(value()); break;
      case '--first': o.first = Number(value()); break;
      case '--runs': o.runs = Number(value()); break;
      case '--versions': o.versions = value().split(',').map((v) => Number(v) as ProtocolVersion); break;
      case '--targets': o.targets = value().split(','); break;
      case '--hits': o.hits = true; break;
      case '--min': o.min = Number(value()); break;
      case '--lanes': o.lanes = Number(value()); break;
      case '--multiplier': o.multiplier = Number(value()); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  o.targets = o.targets.flatMap((t) => (t === 'variants' ? VARIANT_DEFINITIONS.map((v) => `builtin:variant=${v.name}`) : t === 'python' ? [PYTHON_SPEC] : [t]));
  return o;
}

/** Clause ids a variant may leave NON-STRICT in `version`. */
function declaredNonStrict(spec: string, version: ProtocolVersion): Set<string> {
  const name = /^builtin:variant=(.+)$/.exec(spec)?.[1];
  const variant = VARIANT_DEFINITIONS.find((v) => v.name === name);
  const ids = new Set<string>();
  for (const c of variant?.nonStrict ?? []) {
    const id = clauseBook().resolve(c, version)?.id;
    if (id) ids.add(id);
  }
  return ids;
}

async function sweep(spec: string, version: ProtocolVersion, o: Options): Promise<{ failed: number; lines: string[]; hits: Map<string, number>; claimed: string[] }> {
  const timeouts = defaultPropertyTimeouts(spec.startsWith('builtin') ? o.multiplier : Math.max(0.5, o.multiplier));
  const allowed = declaredNonStrict(spec, version);
  const hits = new Map<string, number>();
  const lines: string[] = [];
  let failed = 0;
  const target = await createTarget(spec);
  // The claim follows the target: what it cannot show (no SetQuorum, no version 2 ports, ...) it is not held to.
  const env = environmentFor(target, spec, version, timeouts, clauseBook());
  // ... and what the runs learned it does not offer (a version 2 server without ApiUnblockGetNotifyCall).
  const absent = new Set<string>();
  try {
    for (let seed = o.first; seed < o.first + o.seeds; seed++) {
      const result = await runProperty({ target, targetSpec: spec, version, seed, runs: o.runs, timeouts });
      for (const m of result.absentMethods ?? []) absent.add(m);
      // Exercised: judged, PASS or a recorded SHOULD shortfall (NON-STRICT).
      for (const id of new Set(result.observations.filter((x) => x.outcome === 'pass' || (x.outcome === 'fail' && allowed.has(x.clause))).map((x) => x.clause))) hits.set(id, (hits.get(id) ?? 0) + 1);
      const f = result.failure;
      if (result.problem) {
        failed++;
        lines.push(`  seed ${seed}: ${result.problem}`);
      } else if (f && !(f.clauseIds.length && f.clauseIds.every((id) => allowed.has(id)))) {
        failed++;
        lines.push(`  seed ${seed}: ${f.outcome.toUpperCase()} ${f.clauseIds.join(', ')}: ${f.message.slice(0, 400)}`);
        lines.push(...f.steps.map((s, i) => `      ${i + 1}. ${s.text}`));
      } else {
        // A SHOULD shortfall the run went on after (no failure report) counts unless the target declares it.
        const undeclared = result.observations.filter((x) => x.outcome === 'fail' && !allowed.has(x.clause) && !f?.clauseIds.includes(x.clause));
        if (undeclared.length) {
          failed++;
          lines.push(`  seed ${seed}: undeclared SHOULD shortfall ${[...new Set(undeclared.map((x) => x.clause))].join(', ')}: ${(undeclared[0].message ?? "").slice(0, 400)}`);
        }
      }
    }
  } finally {
    await target.dispose();
  }
  return { failed, lines, hits, claimed: claimedFor(env, absent) };
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  let bad = false;
  for (const version of o.versions) {
    const queue = [...o.targets];
    const lane = async (): Promise<void> => {
      for (let spec = queue.shift(); spec !== undefined; spec = queue.shift()) {
        const started = Date.now();
        const { failed, lines, hits, claimed } = await sweep(spec, version, o);
        const shown = spec === PYTHON_SPEC ? 'python example' : spec;
        const out = [`v${version} ${shown}: ${o.seeds} seeds, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`, ...lines];
        if (failed) bad = true;
        if (o.hits) {
          const low = claimed.filter((id) => (hits.get(id) ?? 0) < o.min * o.seeds);
          out.push(...low.map((id) => `  hit ${hits.get(id) ?? 0}/${o.seeds} ${id} ${clauseBook().clause(id)?.title ?? ''}`));
          if (low.length) bad = true;
        }
        console.log(out.join('\n'));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, o.lanes) }, lane));
  }
  process.exitCode = bad ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
});
