// Which clauses the project's tests reach, computed from what the tests name, never kept by hand: the
// sequence files' clause names resolved per version, the oracle model's names (what the property runs
// can judge) and the transport checks'. The catalogue's coverage gate (harness/catalogue/coverage.ts)
// compares this with the testable clauses.
import { relative } from 'node:path';
import type { Reference } from '../catalogue/coverage';
import { catalogueNames, type ClauseNames } from '../catalogue/names';
import { propertyClauseIds } from '../property/runner';
import { ClauseBook } from '../model/clauses';
import { SEQUENCES_DIR, loadAllSequences } from '../sequence/load';
import { TRANSPORT_CLAUSES } from '../suite/transport-security';
import { loadCatalogue } from '../catalogue/load';
import { packageRoot } from '../../cmrp/package-info';
import type { ProtocolVersion } from '../../cmrp/constants';

const VERSIONS: readonly ProtocolVersion[] = [2, 3];

export function collectReferences(names: ClauseNames = catalogueNames()): Reference[] {
  const refs: Reference[] = [];
  const sequencesDir = relative(packageRoot(), SEQUENCES_DIR);
  for (const sequence of loadAllSequences(SEQUENCES_DIR, names)) {
    for (const v of VERSIONS) {
      if (sequence.versions && !sequence.versions.includes(v)) continue;
      for (const byVersion of Object.values(sequence.clauses)) {
        const id = byVersion[String(v) as '2' | '3'];
        if (id) refs.push({ id, where: `${sequencesDir} (${sequence.id})` });
      }
    }
  }
  const book = new ClauseBook(loadCatalogue());
  for (const v of VERSIONS) for (const id of propertyClauseIds(v, book)) refs.push({ id, where: 'harness/model/refs.ts (property runs)' });
  for (const id of TRANSPORT_CLAUSES) refs.push({ id, where: 'harness/suite/transport-security.ts' });
  return refs;
}
