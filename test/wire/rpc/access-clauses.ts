// The access-level clauses ([MS-CMRP] 3.1.4) the scripted sequences judge through a Read connection,
// shared by test/wire/rpc/access-levels.test.ts and test/wire/rpc/secrets-run.test.ts (whose whole runs
// with --read-user hold them PASS).
import { clausesIn } from '../../../harness/sequence/interpret';
import { loadAllSequences } from '../../../harness/sequence/load';
import type { Sequence } from '../../../harness/sequence/types';

/** Whether a sequence changes the cluster security descriptor (test/wire/rpc/nodes-and-security.test.ts judges those). */
const changesSecurity = (s: Sequence) => s.steps.some((step) => 'control' in step && step.control.verb === 'SetClusterSecurity');

/** The general access-level rules (3.1.4.2-access-levels.json), seen through a change asked at Read. */
const general = (s: Sequence) => s.id.startsWith('access/');

/** The clauses of the sequences that open a Read-level connection for the methods' own Read rules, per protocol version. */
export function accessLevelClauses(version: 2 | 3): string[] {
  return [...new Set(loadAllSequences().flatMap((s) => (s.accessLevel === 'read' && !changesSecurity(s) && !general(s) ? clausesIn(s, version) : [])))].sort();
}

/** The clauses of the general access-level rules a Read connection judges without changing the descriptor. */
export function generalClauses(version: 2 | 3): string[] {
  return [...new Set(loadAllSequences().flatMap((s) => (s.accessLevel === 'read' && !changesSecurity(s) && general(s) ? clausesIn(s, version) : [])))].sort();
}
