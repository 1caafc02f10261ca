// The Read account on the wire, in process: the reference served with two accounts gives the second one
// Read (a version 2 Read client is refused; a version 3 one is served), and the wire mutant
// read-account-all, which gives it All, is caught by the clauses it declares (3.1.4.1/R19, R20) over
// SPNEGO(NTLM) at packet privacy. Both accounts log on to the one endpoint; the server tells them apart
// by the user name NTLM proved.
import { loadCatalogue } from '../../../harness/catalogue/load';
import { loadAllSequences } from '../../../harness/sequence/load';
import type { Sequence } from '../../../harness/sequence/types';
import { runSequence, type SequenceContext } from '../../../harness/sequence/interpret';
import { defaultTimeouts } from '../../../harness/session/session';
import { createDcerpcTarget, type DcerpcAuth } from '../../../harness/target/dcerpc';
import { judge } from '../../../harness/verdict/judge';
import { resolveTrips } from '../../../harness/cli/mutants';
import { listMutants } from '../../../reference/mutants';
import { RPC_C_AUTHN, RPC_C_AUTHN_LEVEL, credentials } from '../../../wire/auth';
import type { Target } from '../../../cmrp/contract';
import { serveDcerpc } from '../../../reference/serve/dcerpc';
import { createBuiltinTarget } from '../../../harness/target/builtin';
import { REFERENCE_IDENTITY } from '../../../harness/cli/serve';
import type { WireMutantName } from '../../../reference/mutants/wire';
import { DEFAULT_CLUSTER } from '../../../reference';
import { RoleBindings } from '../../../harness/profile/bindings';
import { profileFromCluster } from '../../../harness/profile/derive';

const ACCOUNT = credentials({ domain: 'CLUSTER', user: 'tester' }, 'Acc3ss-Full-Pa55');
const READER = credentials({ domain: 'CLUSTER', user: 'reader' }, 'Acc3ss-Read-Pa55');
const auth = (c: typeof ACCOUNT): DcerpcAuth => ({ authType: RPC_C_AUTHN.GSS_NEGOTIATE, authLevel: RPC_C_AUTHN_LEVEL.PKT_PRIVACY, credentials: c });

/** Serves the reference (or a wire mutant) for both accounts, runs every Read sequence of `version` over the wire, and judges them. */
async function readVerdicts(version: 2 | 3, wireMutant?: WireMutantName): Promise<Record<string, string>> {
  const reference = createBuiltinTarget({});
  const listener = await serveDcerpc(reference, { port: 0, identity: REFERENCE_IDENTITY, account: ACCOUNT, readAccount: READER, ...(wireMutant ? { wireMutant } : {}) });
  let target: Target | undefined;
  try {
    const port = listener.address.port;
    target = await createDcerpcTarget(`dcerpc:127.0.0.1:${port}`, { host: '127.0.0.1', port }, { control: reference.control, auth: auth(ACCOUNT), readAuth: auth(READER) });
    expect(target.capabilities.accessLevels).toEqual(['full', 'read']);
    expect(target.description).toContain('SPNEGO(NTLM) at packet privacy as CLUSTER\\tester; Read access as CLUSTER\\reader');
    // The served reference keeps the default cluster: its roles come from that cluster.
    const roles = RoleBindings.of(profileFromCluster(DEFAULT_CLUSTER), "the builtin target's default cluster");
    const ctx: SequenceContext = { target, protocolVersion: version, timeouts: defaultTimeouts(), roles, replay: (id) => `--clause ${id}` };
    const observations = [];
    // The cluster security descriptor's sequences need its control verb, which only the served process
    // offers: test/wire/rpc/nodes-and-security.test.ts judges them.
    const changesSecurity = (s: Sequence) => s.steps.some((step) => 'control' in step && step.control.verb === 'SetClusterSecurity');
    for (const sequence of loadAllSequences().filter((s) => s.accessLevel === 'read' && !changesSecurity(s))) observations.push(...(await runSequence(sequence, ctx)));
    const ids = new Set(observations.map((o) => o.clause));
    return Object.fromEntries(judge(loadCatalogue().filter((c) => ids.has(c.id)), observations).filter((v) => ids.has(v.id)).map((v) => [v.id, v.verdict]));
  } finally {
    await target?.dispose();
    await listener.close();
    await reference.dispose();
  }
}

describe('the Read account served on the wire', () => {
  it('version 2: the reference refuses the Read account (PASS), the mutant read-account-all serves it (its declared clauses FAIL)', async () => {
    expect(await readVerdicts(2)).toEqual({ '3.1.4.1/R18': 'PASS', '3.1.4.1/R19': 'PASS', '3.1.4.1/R20': 'PASS', '3.1.4.1/R21': 'PASS', '3.1.4.1/R22': 'PASS', '3.1.4.1/R24': 'PASS' });
    const [mutant] = resolveTrips(listMutants().filter((m) => m.name === 'read-account-all'), loadCatalogue());
    expect(mutant).toMatchObject({ wire: true, trips: [{ clause: '3.1.4.1/R19' }, { clause: '3.1.4.1/R20' }, { clause: '3.1.4.1/R18' }, { clause: '3.1.4.1/R21' }, { clause: '3.1.4.1/R22' }] });
    const seen = await readVerdicts(2, 'read-account-all');
    for (const trip of mutant.trips) expect([trip.clause, seen[trip.clause!]]).toEqual([trip.clause, 'FAIL']);
  }, 180_000);

  it('version 3: the Read account is served by the reference: every access-level clause PASS', async () => {
    const seen = await readVerdicts(3);
    expect(Object.keys(seen).length).toBeGreaterThanOrEqual(20);
    expect(Object.values(seen).filter((v) => v !== 'PASS')).toEqual([]);
  }, 180_000);
});
