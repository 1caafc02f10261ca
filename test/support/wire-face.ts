// What the builtin target judges over its own wire face and nowhere else: the clauses of the sequences
// that need the RPC runtime (less those another sequence judges in process too) and of the transport
// checks (2.1, 3.1.3). A target without an RPC runtime (builtin:inproc, an adapter) leaves them
// NOT-TESTED; the tests comparing such a target with builtin compare every other clause as it is and
// these as the face's difference.
import { clausesIn } from '../../harness/sequence/interpret';
import { loadAllSequences } from '../../harness/sequence/load';
import { plannedTransportChecks } from '../../harness/suite/transport-security';

/** The clauses builtin judges over its wire face alone in protocol version `version`, sorted. */
export function faceClauses(version: 2 | 3): string[] {
  const sequences = loadAllSequences();
  const inProcess = new Set(sequences.filter((s) => !s.rpcRuntime).flatMap((s) => clausesIn(s, version)));
  const overFace = sequences.filter((s) => s.rpcRuntime).flatMap((s) => clausesIn(s, version)).filter((id) => !inProcess.has(id));
  const transport = plannedTransportChecks({ protocolVersion: version }).map((c) => c.clause);
  return [...new Set([...overFace, ...transport])].sort();
}
