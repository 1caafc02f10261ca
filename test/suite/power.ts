// The suite's proof of power: the reference keeps every clause the suite exercises, and every mutant of
// it fails each clause it claims to break, in each protocol version the claim applies to. The vectors
// and the interpreter are the ones the suites run; only the Jest glue is bypassed, for speed. One test
// file per protocol version (power-v2/-v3.test.ts) lets Jest run them on both cores.
import { loadCatalogue } from '../../harness/catalogue/load';
import type { Clause } from '../../harness/catalogue/types';
import { resolveTrips } from '../../harness/cli/mutants';
import { runAllSequences } from '../../harness/sequence/run-all';
import { defaultTimeouts, type Timeouts } from '../../harness/session/session';
import type { ProtocolVersion } from '../../cmrp/constants';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { listMutants } from '../../reference/mutants';
import { TRANSPORT_CLAUSES } from '../../harness/suite/transport-security';
import { judge } from '../../harness/verdict/judge';
import type { ClauseVerdict } from '../../harness/verdict/types';
import { limited, started } from '../support/limited';

export const catalogue = loadCatalogue();
const catalogueIds = new Set(catalogue.map((c) => c.id));
// The reference is in-process: a call answers within the same turn of the event loop, and an event a
// stimulus queued is there at once, so a read waits 20 ms for it (what a mutant's missing event costs).
// Calls keep half a second: the sequences' own version 2 Timeouts (up to 300 ms) must run out within it.
// Each pass has its own record of hangs (runAllSequences), so a mutant that hangs waits that half second
// once per method, not once per call.
const timeouts: Timeouts = { ...defaultTimeouts(0.1), readMs: 20 };
// Passes at once: a call to the in-process reference answers in the same turn of the event loop, before any
// timer, so others' work delays a pass's timers without ever running one out early.
const PASSES_AT_ONCE = 6;

export async function verdictsFor(mutant: string | undefined, version: ProtocolVersion): Promise<Map<string, ClauseVerdict>> {
  const target = createBuiltinTarget({ mutant });
  try {
    const observations = await runAllSequences(target, version, timeouts);
    const selection = catalogue.filter((c) => c.versions.includes(version));
    return new Map(judge(selection, observations, { catalogueIds }).map((v) => [v.id, v]));
  } finally {
    await target.dispose();
  }
}

// Clauses only a binding with an RPC runtime can judge are NOT-TESTED here (the wire tests judge them), and
// so are the transport clauses of 2.1 and 3.1.3 (suites/2.1-transport-security.spec.ts; their power is
// proven in test/suite/transport-security.test.ts).
// The clauses that need a restricted principal are left to the runs that have one (the builtin target's
// Read connection and descriptor: the CLI run; over dcerpc: test/wire/rpc/nodes-and-security.test.ts);
// their mutants are still proven here.
export const judged = (c: Clause) =>
  c.party === 'server' && c.testable && !c.untestedReason && !c.needs.includes('rpc-runtime') && !c.needs.includes('restricted-principal') && !TRANSPORT_CLAUSES.includes(c.id);

/** A clause of the catalogue by section ("3.1.4.x.66" for both protocol versions) and standard title. */
interface Neighbour {
  section: string;
  title: string;
}

/**
 * The clauses a mutant may FAIL beyond the ones it declares: the same broken behaviour seen by a
 * neighbouring clause that one check judges together with it. Each entry says why; a mutant absent
 * from this list FAILs its own clauses and nothing else.
 */
export const NEIGHBOURS: Readonly<Record<string, { why: string; clauses: Neighbour[] }>> = {
  'only-first-node-serves': {
    why: 'every sequence that reconnects to a second node meets the refusal at its first checked call there, whatever that call judges',
    clauses: [
      { section: '3.1.1.8', title: 'port is not persisted' },
      { section: '3.1.4.1', title: 'nonvolatile changes survive node failures' },
      { section: '3.1.4.2', title: 'nonvolatile changes survive node failures' },
      { section: '3.1.4.1', title: 'active node has Read/Write server state' },
      // A second node that refuses everything refuses reads once it is no longer active as well.
      { section: '3.1.4.1', title: 'non-active node accepts non-modifying requests' },
      { section: '3.1.4.2', title: 'non-active node accepts non-modifying requests' },
    ],
  },
  'node-activity-ignored': {
    why: 'a node whose activity is ignored stays active, so it carries out the change a node no longer active must refuse (one shutting down too)',
    clauses: [
      { section: '3.1.4.1', title: 'non-active node gives NODE_NOT_READY codes' },
      { section: '3.1.4.1', title: 'shutdown gives ERROR_SHUTDOWN_IN_PROGRESS codes' },
      { section: '3.1.4.2', title: 'non-active node gives NODE_NOT_READY codes' },
    ],
  },
  'catch-up-wrong-key': {
    why: 'the catch-up after a failover is read by a check that names no key clause: its key falls to ApiGetNotify\'s key clause',
    clauses: [{ section: '3.1.4.x.66', title: "dwNotifyKey is the matching registration's key" }],
  },
  'port2-early-events': {
    why: 'a 3.1.4.2.137 sequence creates its group between the port and the port\'s first registration: the early entry is read first, by that check',
    clauses: [{ section: '3.1.4.2.137', title: 'several event types in one registration' }],
  },
  'early-events': {
    why: 'the client-side sections restate the rule of 3.1.4.x.56 and share its check',
    clauses: [
      { section: '3.2.4.5.1', title: 'no events before the first filter' },
      { section: '3.2.4.5.2', title: 'no events before the first filter' },
    ],
  },
  'close-no-release': {
    why: '3.1.1.8 says the close of a port covers releasing its reads: the same check; on a version 2 port one await judges the release and its code',
    clauses: [
      { section: '3.1.1.8', title: 'closing a v1 port includes unblocking' },
      { section: '3.1.4.2.138', title: 'unblock or close elsewhere gives ERROR_INVALID_FUNCTION' },
    ],
  },
  'release-success': {
    why: '3.1.1.8 says the close of a port covers releasing its reads, whose code the same check judges; on a version 2 port one await judges that the read waited, was released, and its code',
    clauses: [
      { section: '3.1.1.8', title: 'closing a v1 port includes unblocking' },
      { section: '3.1.1.8', title: 'closing a v2 port includes unblocking' },
      { section: '3.1.4.2.138', title: 'blocks until an indication or a close' },
    ],
  },
  'add-wrong-sequence': {
    why: "a check compares the Add's sequence with the one an event carries: which of the two is wrong cannot be told from outside",
    clauses: [
      { section: '3.1.1.8', title: 'v1 indication carries a state value for stateful objects' },
      { section: '3.1.1.8', title: "v1 indication carries the object's current state value" },
      { section: '3.1.4.x.66', title: 'dwStateSequence returned with the indication' },
      // The start value of a new object and the rise on a move are seen only through what Add returns.
      { section: '3.1.4.x.10', title: 'state sequence starts at zero' },
      { section: '3.1.4.x.43', title: 'state sequence starts at zero' },
    ],
  },
  'subtree-ignored': {
    why: 'with no subtree watched, the count of subtree events is wrong too',
    clauses: [{ section: '3.1.4.x.62', title: 'one event per detected subtree change' }],
  },
  'no-reconnect-event': {
    why: '2.2.2.7 defines the value whose absence 3.1.4.2.66 judges: the same check',
    clauses: [{ section: '2.2.2.7', title: 'server CLUSTER_RECONNECT means events were dropped' }],
  },
  'invalid-hnotify-ok': {
    why: 'a closed port handle, or one from a connection lost in a failover, is a handle the server never issued on this connection, which the mutant accepts',
    clauses: [
      { section: '3.1.1.8', title: 'port is not persisted' },
      { section: '3.1.4.x.57', title: "frees the port's context" },
    ],
  },
  'report-subtree-bit': {
    why: 'the reported value has two CLUSTER_CHANGE bits set, which 2.2.2.7 forbids as well',
    clauses: [{ section: '2.2.2.7', title: 'no reserved CLUSTER_CHANGE values' }],
  },
  'v2-create-read-only': {
    why: 'the general rules of 3.1.1 and 3.1.4.1 and the NULL handle of a refused call share the check of the refusal',
    clauses: [
      { section: '3.1.1', title: 'server keeps a protocol server state' },
      { section: '3.1.4.1', title: 'method beyond server state not accepted' },
      { section: '3.1.4.1.56', title: 'NULL handle returned on failure' },
    ],
  },
  'port2-merge-registrations': {
    why: '3.1.1.8 restates, for every port, that each matching filter returns its context value, and the registration itself (a SHOULD) is judged by the same read',
    clauses: [
      { section: '3.1.4.2.137', title: 'registers a filter on a v2 port' },
      { section: '3.1.1.8', title: "v2 indication carries the client's context value" },
      { section: '3.1.1.8', title: 'filter targets a class of objects or one object' },
      { section: '3.1.1.8', title: 'context value comes back with matching indications' },
    ],
  },
  'port2-all-flags': {
    why: 'a FilterFlags holding every registered flag fails the reads that expect each event alone, and the check that only registered kinds come back',
    clauses: [
      { section: '3.1.4.2.137', title: 'several event types in one registration' },
      { section: '3.1.4.2.138', title: 'only registered event types returned' },
    ],
  },
  'port2-no-wait': {
    why: 'a read that never waits cannot be released: the checks of its release by an unblock or a close see its early ERROR_SUCCESS',
    clauses: [
      { section: '3.1.1.8', title: 'closing a v2 port includes unblocking' },
      { section: '3.1.4.2.57', title: 'outstanding ApiGetNotifyV2 calls completed' },
      { section: '3.1.4.2.107', title: 'pending ApiGetNotifyV2 calls completed' },
      { section: '3.1.4.2.138', title: 'unblock or close elsewhere gives ERROR_INVALID_FUNCTION' },
    ],
  },
  'port2-unblock-ignored': {
    why: 'one await judges that the read waited, was released by the unblock, and its code: a read still pending fails all three',
    clauses: [
      { section: '3.1.4.2.138', title: 'blocks until an indication or a close' },
      { section: '3.1.4.2.138', title: 'unblock or close elsewhere gives ERROR_INVALID_FUNCTION' },
    ],
  },
  'descriptor-ignored': {
    why: 'in version 2 the Read account granted All is served only by a server that consults the descriptor: the check that judges the grant judges where the identity is checked too',
    clauses: [{ section: '2.1', title: 'authorization checked against the cluster SD' }],
  },
  'read-access-changes-cluster': {
    why: "what the descriptor's Read grant gives is seen through the same refusal of a change at Read",
    clauses: [{ section: '3.1.4.2', title: 'level from cluster SD and backup privilege' }],
  },
  'refuse-read-access': {
    why: 'the general access-level rules are seen through the same calls: a Read principal refused ApiCreateNotify is not asked for the minimum level its notification methods need',
    clauses: [
      { section: '3.1.4.2', title: 'per-method access level required' },
      { section: '3.1.4.2', title: 'call is an implicit request for the minimum level' },
    ],
  },
  'v2-no-timeout': { why: 'the timer clauses of 3.1.2.4 and 3.1.5.4 share the timer check', clauses: timerClauses() },
  'v2-timeout-fault': { why: 'the timer clauses of 3.1.2.4 and 3.1.5.4 share the timer check', clauses: timerClauses() },
};

function timerClauses(): Neighbour[] {
  return [
    { section: '3.1.2.4', title: 'v2 server keeps a GetNotify timer per port' },
    { section: '3.1.2.4', title: 'timer bounds the wait for an event' },
    { section: '3.1.5.4', title: 'GetNotify timer starts with each call' },
    { section: '3.1.5.4', title: "Timeout sets the timer's expiry" },
  ];
}

/** The catalogue ids of a mutant's neighbours in one protocol version; throws for a neighbour the catalogue lacks. */
export function neighbourIds(mutant: string, version: ProtocolVersion): string[] {
  return (NEIGHBOURS[mutant]?.clauses ?? []).flatMap(({ section, title }) => {
    const sections = section.includes('.x.') ? [1, 2].map((v) => section.replace('.x.', `.${v}.`)) : [section];
    const found = catalogue.filter((c) => sections.includes(c.section) && c.title === title);
    if (!found.length) throw new Error(`neighbour of ${mutant}: no clause ${section} "${title}" in the catalogue`);
    return found.filter((c) => c.versions.includes(version)).map((c) => c.id);
  });
}

/** Declares the proofs for one protocol version. */
export function provePower(version: ProtocolVersion): void {
  describe(`protocol version ${version}`, () => {
    // Wire mutants break the transport, which only a served reference has: transport-security.test.ts proves those.
    // In-band mutants break a management method, which only in-band stimuli call: test/profile/inband-mutant.test.ts.
    const mutants = resolveTrips(listMutants().filter((m) => !m.wire && !m.inband), catalogue)
      .map((m) => ({ ...m, trips: m.trips.filter((t) => t.clause && catalogue.find((c) => c.id === t.clause)!.versions.includes(version)) }))
      .filter((m) => m.trips.length);

    // One pass over the sequences per server, the reference's and each mutant's: a pass mostly waits (the
    // 20 ms of each absent event, a version 2 Timeout running out), so several run at once, each on a target
    // of its own, and each test judges its own pass.
    const passes = new Map<string | undefined, Promise<Map<string, ClauseVerdict>>>();
    beforeAll(() => {
      const gate = limited(PASSES_AT_ONCE);
      for (const name of [undefined, ...mutants.map((m) => m.name)]) passes.set(name, started(gate, () => verdictsFor(name, version)));
    });

    it('the reference server keeps every clause the suite exercises, and every testable server clause is judged', async () => {
      const verdicts = await passes.get(undefined)!;
      const problems = [...verdicts.values()].filter((v) => v.verdict !== 'PASS' && v.verdict !== 'NOT-TESTED').map((v) => `${v.id} ${v.verdict}: ${v.message}`);
      expect(problems).toEqual([]);
      const unjudged = catalogue.filter((c) => c.versions.includes(version) && judged(c) && verdicts.get(c.id)?.verdict !== 'PASS').map((c) => `${c.id} ${c.title}`);
      expect(unjudged).toEqual([]);
    });

    it.each(mutants.map((m) => [m.name, m] as const))('mutant %s fails every clause it claims to break, and nothing else but its listed neighbours', async (name, mutant) => {
      const verdicts = await passes.get(name)!;
      const missed = mutant.trips
        .filter((t) => !['FAIL', 'NON-STRICT'].includes(verdicts.get(t.clause!)?.verdict ?? 'NOT-TESTED'))
        .map((t) => `${t.clause} (${t.title}) is ${verdicts.get(t.clause!)?.verdict}`);
      expect(missed).toEqual([]);
      // One bug, one clause: a clause that only lost a precondition is INCONCLUSIVE, never FAIL or ERROR.
      const allowed = new Set([...mutant.trips.map((t) => t.clause!), ...neighbourIds(name, version)]);
      const blamed = [...verdicts.values()]
        .filter((v) => ['FAIL', 'NON-STRICT', 'ERROR'].includes(v.verdict) && !allowed.has(v.id))
        .map((v) => `${v.id} (${v.title}) is ${v.verdict}: ${(v.message ?? '').split('\n')[0]}`);
      expect(blamed).toEqual([]);
    });
  });
}

/** Every clause a mutant claims to break, and every listed neighbour, is in the catalogue. */
export function checkClaims(): void {
  it('every neighbour names a catalogue clause and a mutant that exists', () => {
    const names = new Set(listMutants().map((m) => m.name));
    expect(Object.keys(NEIGHBOURS).filter((n) => !names.has(n))).toEqual([]);
    for (const name of Object.keys(NEIGHBOURS)) expect(() => neighbourIds(name, 2).concat(neighbourIds(name, 3))).not.toThrow();
  });

  it('every mutant claim names a catalogue clause', () => {
    const unresolved = resolveTrips(listMutants(), catalogue).flatMap((m) => m.trips.filter((t) => !t.clause).map((t) => `${m.name}: ${t.section} "${t.title}"`));
    expect(unresolved).toEqual([]);
  });
}
