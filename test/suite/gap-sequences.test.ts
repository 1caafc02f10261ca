// Issue 12's gap sequences add power of their own: each one's mutant FAILs a clause it declares when that
// file runs, and no other sequence of the package FAILs anything against it (test/suite/power-*.test.ts
// proves the mutant FAILs its clauses over the whole package; this proves the gap file is what does it).
import { join } from 'node:path';
import type { ProtocolVersion } from '../../cmrp/constants';
import { loadCatalogue } from '../../harness/catalogue/load';
import { clausesIn, runSequence } from '../../harness/sequence/interpret';
import { SEQUENCES_DIR, loadAllSequences, loadSequenceFile } from '../../harness/sequence/load';
import type { Sequence } from '../../harness/sequence/types';
import { RoleBindings } from '../../harness/profile/bindings';
import { profileFromCluster } from '../../harness/profile/derive';
import { memoryHangs } from '../../harness/session/hangs';
import { defaultTimeouts, type Timeouts } from '../../harness/session/session';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { judge } from '../../harness/verdict/judge';
import { DEFAULT_CLUSTER } from '../../reference';
import { listMutants } from '../../reference/mutants';

/** The gap, the file that closes it, and the mutant only that file catches. */
const GAPS = [
  { gap: 'an object deleted while it has a registration of its own', file: '3.1.4.x.59-99-object-deletion.json', mutant: 'deletion-skips-own-registration' },
  { gap: 'more than 64 ports; one change reaching every port whose filter matches and no other', file: '3.1.1.8-many-ports.json', mutant: 'port-table-64' },
  { gap: 'a port used after ApiUnblockGetNotifyCall', file: '3.1.4.x.107-port-after-unblock.json', mutant: 'unblock-closes-port' },
] as const;

const catalogue = loadCatalogue();
const catalogueIds = new Set(catalogue.map((c) => c.id));
const timeouts: Timeouts = { ...defaultTimeouts(0.1), readMs: 20 };
const roles = RoleBindings.of(profileFromCluster(DEFAULT_CLUSTER), "the builtin target's default cluster");

/** The FAIL verdicts of `sequences` against the mutant, as "id: message". */
async function fails(mutant: string, version: ProtocolVersion, sequences: readonly Sequence[]): Promise<{ id: string; message: string }[]> {
  const target = createBuiltinTarget({ mutant });
  try {
    const guarded: Timeouts = { ...timeouts, hangs: memoryHangs() };
    const observations = [];
    for (const sequence of sequences) {
      if (!clausesIn(sequence, version).length) continue;
      observations.push(...(await runSequence(sequence, { target, protocolVersion: version, timeouts: guarded, roles, replay: (id) => `--clause ${id}` })));
    }
    const selection = catalogue.filter((c) => c.versions.includes(version));
    return judge(selection, observations, { catalogueIds })
      .filter((v) => v.verdict === 'FAIL')
      .map((v) => ({ id: v.id, message: v.message ?? '' }));
  } finally {
    await target.dispose();
  }
}

const all = loadAllSequences();

describe.each(GAPS)('$gap ($file)', ({ file, mutant }) => {
  const own = loadSequenceFile(join(SEQUENCES_DIR, file)).sequences;
  const ownIds = new Set(own.map((s) => s.id));
  const definition = listMutants().find((m) => m.name === mutant)!;

  test.each([2, 3] as const)(`protocol version %i: ${mutant} FAILs a clause it declares through this file, and through no other sequence`, async (version) => {
    const trips = new Set(
      definition.trips.flatMap((t) => catalogue.filter((c) => c.section === t.section && c.title === t.title && c.versions.includes(version)).map((c) => c.id)),
    );
    const judged = own.flatMap((s) => clausesIn(s, version));
    if (!judged.some((id) => trips.has(id))) {
      // The file judges none of the mutant's clauses in this version: nothing to prove here.
      expect([...trips].filter((id) => judged.includes(id))).toEqual([]);
      return;
    }
    const byFile = await fails(mutant, version, own);
    expect(byFile.filter((f) => trips.has(f.id))).not.toEqual([]);
    const byOthers = await fails(mutant, version, all.filter((s) => !ownIds.has(s.id)));
    expect(byOthers).toEqual([]);
  }, 120000);
});
