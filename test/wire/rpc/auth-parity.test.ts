// The whole scripted suite over the wire at packet privacy (SPNEGO(NTLM), and raw NTLM) gives the
// verdicts of the unauthenticated wire and of the builtin reference, in both protocol versions: the
// authentication changes the bytes, never what a clause sees. Where the builtin binding cannot judge a
// sequence (the RPC runtime) the wire may judge it, but never fail it; the sequences that need a
// Read-only connection are NOT-TESTED over the wire, which has one account with full access.
import type { Observation } from '../../../harness/recorder/observation';
import { loadAllSequences } from '../../../harness/sequence/load';
import { runAllSequences } from '../../../harness/sequence/run-all';
import { defaultTimeouts } from '../../../harness/session/session';
import { createBuiltinTarget } from '../../../harness/target/builtin';
import type { Target } from '../../../cmrp/contract';
import { RPC_C_AUTHN, RPC_C_AUTHN_LEVEL, credentials, type RpcAuthType } from '../../../wire/auth';
import { outcomes, serveReference, severalNodeSequences, wireTarget } from './support';

const ACCOUNT = credentials({ domain: 'CLUSTER', user: 'tester' }, 'Par1ty-Pa55word');

async function judged(target: Target, version: 2 | 3): Promise<Observation[]> {
  try {
    return await runAllSequences(target, version, defaultTimeouts());
  } finally {
    await target.dispose();
  }
}

/** Sequences that need a Read-only connection: a run with one account cannot open one (NOT-TESTED, saying so). */
const READ_ONLY_SEQUENCES = new Set(loadAllSequences().filter((s) => s.accessLevel === 'read').map((s) => s.id));
// What needs a second node: NOT-TESTED over one endpoint, naming --node-target.
const SEVERAL_NODE_SEQUENCES = severalNodeSequences();

function compare(reference: Observation[], wire: Observation[]): string[] {
  const expected = outcomes(reference);
  const actual = outcomes(wire);
  const problems: string[] = [];
  for (const o of wire.filter((w) => READ_ONLY_SEQUENCES.has(w.test))) {
    if (o.outcome !== 'not-tested' || !o.message?.includes('the target cannot open a connection with read access only')) problems.push(`${o.clause} ${o.test}: ${o.outcome}`);
  }
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(key);
    const got = actual.get(key);
    const test = key.slice(key.indexOf(' ') + 1);
    if (want === got || READ_ONLY_SEQUENCES.has(test)) continue;
    if (SEVERAL_NODE_SEQUENCES.has(test) && got === 'not-tested') continue;
    // A binding that cannot judge a sequence says so; a wire that can must not fail it.
    if (want !== undefined && /^(not-tested,?)+$/.test(want) && got !== undefined && !/fail|error/.test(got)) continue;
    problems.push(`${key}: ${want} expected, ${got} at packet privacy`);
  }
  return problems;
}

describe.each([
  [3, 'SPNEGO(NTLM)', RPC_C_AUTHN.GSS_NEGOTIATE],
  [2, 'SPNEGO(NTLM)', RPC_C_AUTHN.GSS_NEGOTIATE],
  [3, 'NTLM', RPC_C_AUTHN.WINNT],
] as [2 | 3, string, RpcAuthType][])('protocol version %i, %s at packet privacy', (version, _name, authType) => {
  it('gets the verdicts of the unauthenticated wire and of the builtin reference', async () => {
    const plain = await serveReference();
    const sealed = await serveReference({ account: ACCOUNT });
    try {
      const auth = { authType, authLevel: RPC_C_AUTHN_LEVEL.PKT_PRIVACY, credentials: ACCOUNT } as const;
      const [inProcess, unauthenticated, privacy] = await Promise.all([
        judged(createBuiltinTarget(), version),
        judged(await wireTarget(plain), version),
        judged(await wireTarget(sealed, true, auth), version),
      ]);
      expect(privacy.filter((o) => o.outcome === 'fail' || o.outcome === 'error')).toEqual([]);
      expect(privacy.filter((o) => o.outcome === 'pass').length).toBeGreaterThan(300);
      expect([...outcomes(privacy)].filter(([k, v]) => outcomes(unauthenticated).get(k) !== v)).toEqual([]);
      expect(compare(inProcess, privacy)).toEqual([]);
      // The calls went through the authenticated server: nothing it logged says a call was refused.
      expect(sealed.logs.filter((l) => /refusing|authentication failed/.test(l))).toEqual([]);
    } finally {
      await Promise.all([plain.close(), sealed.close()]);
    }
  });
});
