// Shared by the in-band mutant proofs (inband-mutant, inband-property): every sequence run against the
// builtin reference (or one of its mutants) with its control adapter taken away, so that every stimulus
// goes through MS-CMRP's own management methods, and the clauses a mutant claims to break.
import { resolveTrips } from '../../harness/cli/mutants';
import { loadCatalogue } from '../../harness/catalogue/load';
import type { PropertyPolicy } from '../../harness/profile/properties';
import { runAllSequences } from '../../harness/sequence/run-all';
import { defaultTimeouts } from '../../harness/session/session';
import { withInbandStimuli } from '../../harness/stimulus/inband';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { judge } from '../../harness/verdict/judge';
import { listMutants } from '../../reference/mutants';
import type { ProtocolVersion } from '../../cmrp/constants';

const catalogue = loadCatalogue();
const timeouts = { ...defaultTimeouts(0.1), readMs: 50 };

/** Each clause's verdict (and the first line of its message) of an in-band run; `properties`: what SetProperty may set. */
export async function inbandVerdicts(mutant: string | undefined, version: ProtocolVersion, properties?: PropertyPolicy): Promise<Map<string, { verdict: string; message: string }>> {
  const builtin = createBuiltinTarget(mutant ? { mutant } : {});
  const target = withInbandStimuli({ ...builtin, control: undefined }, { protocolVersion: version, callMs: timeouts.callMs, ...(properties ? { properties } : {}) });
  try {
    const observations = await runAllSequences(target, version, timeouts);
    const selection = catalogue.filter((c) => c.versions.includes(version));
    return new Map(judge(selection, observations).map((v) => [v.id, { verdict: v.verdict, message: (v.message ?? '').split('\n')[0]! }]));
  } finally {
    await target.dispose();
  }
}

/** The clauses of `version` the mutant claims to break. */
export function tripsOf(name: string, version: ProtocolVersion): string[] {
  const [mutant] = resolveTrips(listMutants().filter((m) => m.name === name), catalogue);
  return mutant!.trips.filter((t) => catalogue.find((c) => c.id === t.clause)?.versions.includes(version)).map((t) => t.clause!);
}
