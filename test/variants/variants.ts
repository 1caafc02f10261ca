// The suite's proof of fairness, the dual of the mutants' proof of power: every variant of the
// reference (reference/variants: another choice the spec leaves open) runs the scripted sequences and
// the property on a few seeds, and gets no FAIL and no ERROR; NON-STRICT only where the variant declares
// that it departs from a SHOULD. One test file per protocol version lets Jest use both cores.
import type { ProtocolVersion } from '../../cmrp/constants';
import { loadCatalogue } from '../../harness/catalogue/load';
import { ClauseBook } from '../../harness/model/clauses';
import { runProperty } from '../../harness/property/runner';
import { runAllSequences } from '../../harness/sequence/run-all';
import { defaultTimeouts } from '../../harness/session/session';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { judge } from '../../harness/verdict/judge';
import type { ClauseVerdict } from '../../harness/verdict/types';
import { VARIANT_DEFINITIONS, type VariantDefinition } from '../../reference/variants';
import { TEST_TIMEOUTS, withTarget } from '../property/support';

const catalogue = loadCatalogue();
const catalogueIds = new Set(catalogue.map((c) => c.id));
const book = new ClauseBook(catalogue);

/** The scripted sequences against one variant, judged as a run judges them (as test/suite/power.ts does for mutants). */
async function verdictsFor(variant: string, version: ProtocolVersion): Promise<ClauseVerdict[]> {
  const target = createBuiltinTarget({ variant });
  try {
    const observations = await runAllSequences(target, version, defaultTimeouts(0.1));
    return judge(catalogue.filter((c) => c.versions.includes(version)), observations, { catalogueIds });
  } finally {
    await target.dispose();
  }
}

/**
 * Property runs per variant and version: different seeds for each variant, so the variants together
 * cover many; the long sweep (tools/property-sweep.ts) runs hundreds.
 */
const SEEDS = 2;
const RUNS = 30;

function declared(variant: VariantDefinition, version: ProtocolVersion): Set<string> {
  return new Set(book.ids(variant.nonStrict, version));
}

export function proveFairness(version: ProtocolVersion): void {
  const variants = VARIANT_DEFINITIONS.filter((v) => v.versions.includes(version));

  it('every variant names clauses the catalogue holds', () => {
    const unknown = VARIANT_DEFINITIONS.flatMap((v) =>
      [...v.readings, ...v.nonStrict].filter((c) => !catalogue.some((x) => x.section === c.section && x.title === c.title)).map((c) => `${v.name}: ${c.section} "${c.title}"`),
    );
    expect(unknown).toEqual([]);
  });

  // Every variant at once: the in-process servers are independent, and most of the time is version 2
  // GetNotify timers running out, which overlap.
  it('every variant passes the scripted sequences: no FAIL, no ERROR, NON-STRICT only where it declares it', async () => {
    const wrong = await Promise.all(
      variants.map(async (variant) => {
        const allowed = declared(variant, version);
        const verdicts = await verdictsFor(variant.name, version);
        return verdicts
          .filter((v) => v.verdict === 'FAIL' || v.verdict === 'ERROR' || (v.verdict === 'NON-STRICT' && !allowed.has(v.id)))
          .map((v) => `${variant.name}: ${v.id} ${v.verdict}: ${v.message}`);
      }),
    );
    expect(wrong.flat()).toEqual([]);
  }, 60000);

  // One variant after the other: the property's reads are judged against short timers that load would stretch.
  it.each(variants.map((v, i) => [v.name, v, i] as const))(`variant %s agrees with the oracle model on ${SEEDS} property seeds`, async (_name, variant, index) => {
    expect(await propertyFailures(variant, version, index)).toEqual([]);
  }, 60000);
}

/** The property on SEEDS seeds of its own (1000k + index) against one variant: failures beyond its declared NON-STRICT. */
async function propertyFailures(variant: VariantDefinition, version: ProtocolVersion, index: number): Promise<string[]> {
  const spec = `builtin:variant=${variant.name}`;
  const allowed = declared(variant, version);
  const failures: string[] = [];
  await withTarget(spec, async (target) => {
    for (let k = 0; k < SEEDS; k++) {
      const seed = 1000 * (k + 1) + index;
      const result = await runProperty({ target, targetSpec: spec, version, seed, runs: RUNS, timeouts: TEST_TIMEOUTS });
      const f = result.failure;
      if (result.problem) failures.push(`${variant.name} seed ${seed}: ${result.problem}`);
      else if (f && !(f.clauseIds.length && f.clauseIds.every((id) => allowed.has(id)))) {
        failures.push(`${variant.name} seed ${seed}: ${f.clauseIds.join(', ')}: ${f.message}\n${f.steps.map((s) => `  ${s.text}`).join('\n')}`);
      }
      // A SHOULD shortfall the run went on after (harness/property: Verdict.shortfall) counts only where declared.
      for (const o of result.observations) if (o.outcome === 'fail' && !allowed.has(o.clause) && !f?.clauseIds.includes(o.clause)) failures.push(`${variant.name} seed ${seed}: ${o.clause}: ${o.message}`);
    }
  });
  return failures;
}
