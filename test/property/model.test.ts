// The oracle model on its own: no target, observations made up to probe each prediction and each place
// where the spec allows more than one answer.
import { loadCatalogue } from '../../harness/catalogue/load';
import { collectReferences } from '../../harness/coverage/references';
import { ClauseBook, describeRef, type ClauseRef } from '../../harness/model/clauses';
import { claimedClauseIds, propertyClauseIds } from '../../harness/property/runner';
import { ClusterModel, objectKey } from '../../harness/model/cluster';
import { FIXTURE_OBJECTS, STATES } from '../../harness/model/fixture';
import type { Observed } from '../../harness/model/observed';
import { FABRICATED } from '../../harness/model/handles';
import { NotifyModel } from '../../harness/model/oracle';
import { CHANGE, CLUSTER, CREATE, GET, KEY, OBJECT, PORT, READING_DEPENDENT, allAcceptanceRefs, allRefs, registrationRefs, REGISTRATION_SECTION } from '../../harness/model/refs';
import { match } from '../../harness/model/scope';
import type { Entry, FilterModel } from '../../harness/model/types';
import { World, heads, post, startRead } from '../../harness/model/world';
import { CLUSTER_CHANGE as C, ERROR, type ProtocolVersion } from '../../cmrp/constants';
import { ownName as own } from '../../harness/profile/own';

const PBT = own('pbt');

const book = new ClauseBook(loadCatalogue());

const ok = (out: Record<string, unknown> = {}): Observed => ({ kind: 'reply', status: ERROR.SUCCESS, out });
const status = (s: number): Observed => ({ kind: 'reply', status: s, out: {} });
const event = (dwNotifyKey: number, dwFilter: number, Name: string, dwStateSequence = 0): Observed => ok({ dwNotifyKey, dwFilter, Name, dwStateSequence });
const ids = (refs: ClauseRef[], v: ProtocolVersion) => book.ids(refs, v);

function initialStates(): Map<string, number> {
  return new Map(FIXTURE_OBJECTS.map((o) => [objectKey(o.kind, o.name), STATES[o.kind][0]]));
}

/** A model with the run's handles, one port (hNotify#1) and a read helper in either protocol version. */
function fixture(version: ProtocolVersion, reading?: 'usable' | 'closed') {
  const m = new NotifyModel({ version, initialStates: initialStates(), reading });
  m.addHandle('cluster', 'cluster');
  for (const o of FIXTURE_OBJECTS) m.addHandle(o.kind, objectKey(o.kind, o.name));
  m.addHandle('key', 'key:');
  m.addHandle('key', `key:${PBT}`);
  const port = m.judgeCreate(ok({ hNotify: 'h' }), 'hNotify#1').port!;
  const group1 = m.currentHandle(objectKey('group', own('pbt-group1')))!;
  /** As the harness reads: a v3 read that may block is released by an unblock first. */
  const read = (o: Observed) => {
    m.startRead(port.handle, version === 2);
    if (version === 3 && (m.readMayBlock() || o.kind !== 'reply' || o.status !== ERROR.SUCCESS)) m.judgeUnblock(port.handle, ok());
    return m.judgeRead(port.handle, o);
  };
  const released = version === 2 ? status(ERROR.WAIT_TIMEOUT) : status(ERROR.INVALID_FUNCTION);
  return { m, port, group1, read, released };
}

describe('clause references', () => {
  test('every reference the model makes names a catalogue clause in at least one protocol version', () => {
    const missing = [...allRefs(), ...allAcceptanceRefs(), ...Object.values(REGISTRATION_SECTION).map((s) => registrationRefs(s).perFilter)]
      .filter((r) => !book.resolve(r, 2) && !book.resolve(r, 3))
      // ApiUnblockGetNotifyCall and the v2 ApiCreateNotify have no rows for some acceptance readings.
      .filter((r) => !(r.section === 'x.107' && r.title.startsWith('accepted in')))
      .filter((r) => !(r.section === 'x.56' && r.title === 'accepted in read-only state' && book.resolve(r, 3)))
      // ApiReAddNotifyNetwork's section has no access-level row in either version.
      .filter((r) => !(r.section === 'x.91' && r.title === 'accepted at access level Read'))
      .map(describeRef);
    expect(missing).toEqual([]);
  });

  test('the coverage check credits the property runs with what the references resolve to', () => {
    const resolved = new Set([...propertyClauseIds(2, book), ...propertyClauseIds(3, book)]);
    const credited = new Set(collectReferences().filter((r) => r.where.startsWith('harness/model/')).map((r) => r.id));
    expect([...credited].sort()).toEqual([...resolved].sort());
  });

  test('the claim leaves out exactly the rows only some readings reach, each of which the property may still judge', () => {
    for (const version of [2, 3] as const) {
      const dependent = READING_DEPENDENT[version].map((r) => book.resolve(r, version)?.id);
      expect(dependent.every((id) => id && propertyClauseIds(version, book).includes(id))).toBe(true);
      const claimed = new Set(claimedClauseIds(version, book));
      expect(propertyClauseIds(version, book).filter((id) => !claimed.has(id)).sort()).toEqual([...dependent].sort());
    }
  });

  test('version-specific rows resolve only in their version', () => {
    expect(book.resolve(CREATE.onlyReadWrite, 2)?.id).toBe('3.1.4.1.56/R5');
    expect(book.resolve(CREATE.onlyReadWrite, 3)).toBeUndefined();
    expect(book.resolve(CREATE.readOnly, 3)?.id).toBe('3.1.4.2.56/R5');
    expect(book.resolve(GET.timerStarts, 3)).toBeUndefined();
    expect(book.resolve(GET.reconnect, 2)).toBeUndefined();
    expect(book.resolve(CHANGE.v2NoQuorum, 2)).toBeDefined();
  });

  test('one prediction names each version its own clause id', () => {
    expect(ids([GET.released], 2)).toEqual(['3.1.4.1.66/R19']);
    expect(ids([GET.released], 3)).toEqual(['3.1.4.2.66/R20']);
    expect(ids([OBJECT.group.reAdd.catchUp], 2)).toEqual(['3.1.4.1.64/R3']);
    expect(ids([OBJECT.netInterface.reAdd.key], 3)).toEqual(['3.1.4.2.100/R8']);
  });
});

describe('worlds: queues the model cannot see', () => {
  const e = (bit: number, optional = false): Entry => ({ bit, key: 1, name: 'x', optional, why: [], keyWhy: [], origin: `e${bit}${optional ? '?' : ''}` });

  test('the head is any entry of the first batch, or of a later one when all before it may be absent', () => {
    expect(heads([[e(1), e(2)], [e(4)]]).map((h) => h.entry.bit)).toEqual([1, 2]);
    expect(heads([[e(1, true)], [e(4)], [e(8)]]).map((h) => h.entry.bit)).toEqual([1, 4]);
  });

  test('a pending read takes one entry of a posted batch; an all-optional batch may leave it pending', () => {
    const w = new World('usable').withReader({ port: 0, timed: false });
    expect(post(w, 0, [e(1), e(2)]).map((x) => x.reader?.done?.kind)).toEqual(['event', 'event']);
    const outcomes = post(w, 0, [e(1, true)]).map((x) => (x.reader?.done ? 'event' : 'pending'));
    expect(outcomes.sort()).toEqual(['event', 'pending']);
  });

  test('a read on a port holding only optional entries may return one or block', () => {
    const w = new World('usable').withQueue(0, [[e(1, true)]]);
    const next = startRead(w, 0, false);
    expect(next.map((x) => (x.reader?.done ? x.reader.done.kind : 'pending')).sort()).toEqual(['event', 'pending']);
  });
});

describe('scopes: must, may, must not', () => {
  const filter = (f: Partial<FilterModel>): FilterModel => ({ id: 1, method: 'ApiAddNotifyCluster', scope: { kind: 'cluster' }, bits: 0, key: 1, ...f });
  const reg = (path: string[], bit: number) => ({ subject: { kind: 'registry' as const, path }, bit });

  test('a cluster-wide filter watches the root key; REGISTRY_SUBTREE the whole tree', () => {
    const root = filter({ bits: C.REGISTRY_VALUE | C.REGISTRY_NAME });
    expect(match(root, reg([], C.REGISTRY_VALUE), 3).kind).toBe('yes');
    expect(match(root, reg([own('pbt-dyn')], C.REGISTRY_NAME), 3).kind).toBe('maybe');
    expect(match(root, reg([PBT, 'Sub'], C.REGISTRY_VALUE), 3)).toEqual({ kind: 'no', claim: [CLUSTER.rootKey] });
    const tree = filter({ bits: C.REGISTRY_VALUE | C.REGISTRY_SUBTREE });
    expect(match(tree, reg([PBT, 'Sub'], C.REGISTRY_VALUE), 3).kind).toBe('yes');
    // 2.2.2.7 R12: SUBTREE may or may not widen the other registry values too.
    expect(match(tree, reg([PBT, 'Sub'], C.REGISTRY_ATTRIBUTES), 3).kind).toBe('maybe');
  });

  test('a key filter sees its key, its subtree only with WatchSubTree', () => {
    const flat = filter({ method: 'ApiAddNotifyKey', scope: { kind: 'key', path: [PBT], subtree: false }, bits: C.REGISTRY_VALUE | C.REGISTRY_NAME });
    expect(match(flat, reg([PBT], C.REGISTRY_VALUE), 3).kind).toBe('yes');
    expect(match(flat, reg([PBT, 'Dyn'], C.REGISTRY_NAME), 3).kind).toBe('maybe');
    expect(match(flat, reg([PBT, 'Sub'], C.REGISTRY_VALUE), 3)).toEqual({ kind: 'no', claim: [KEY.only] });
    const deep = filter({ method: 'ApiAddNotifyKey', scope: { kind: 'key', path: [PBT], subtree: true }, bits: C.REGISTRY_VALUE });
    expect(match(deep, reg([PBT, 'Sub', 'Leaf'], C.REGISTRY_VALUE), 3).kind).toBe('yes');
    expect(match(deep, reg([], C.REGISTRY_VALUE), 3)).toEqual({ kind: 'no', claim: [KEY.only] });
  });

  test('an object filter sees its own object only; a v2 server never reports QUORUM_STATE', () => {
    const g = filter({ method: 'ApiAddNotifyGroup', scope: { kind: 'object', objectKind: 'group', name: own('pbt-group1') }, bits: C.GROUP_STATE });
    const about = (name: string) => ({ subject: { kind: 'object' as const, objectKind: 'group' as const, name }, bit: C.GROUP_STATE, name });
    expect(match(g, about(own('pbt-group1').toUpperCase()), 3).kind).toBe('yes');
    expect(match(g, about(own('pbt-group2')), 3)).toEqual({ kind: 'no', claim: [OBJECT.group.add.only] });
    const quorum = { subject: { kind: 'cluster' as const }, bit: C.QUORUM_STATE };
    expect(match(filter({ bits: C.QUORUM_STATE }), quorum, 2)).toEqual({ kind: 'no', claim: [CHANGE.v2NoQuorum] });
    expect(match(filter({ bits: C.QUORUM_STATE }), quorum, 3).kind).toBe('yes');
  });
});

describe('state sequences: only "differs" matters', () => {
  test('a value seen before a certain transition is stale; the current one is current', () => {
    const c = new ClusterModel(initialStates());
    expect(c.learn('group', own('pbt-group1'), 0, 7, 'add')).toBeUndefined();
    expect(c.chooseSequence('group', own('pbt-group1'), 'current')).toMatchObject({ value: 7, differs: false });
    c.apply({ verb: 'SetState', objectType: 'group', name: own('pbt-group1'), state: STATES.group[1] });
    expect(c.chooseSequence('group', own('pbt-group1'), 'stale')).toMatchObject({ value: 7, differs: true });
    // The current value is unknown now: "current" can only offer the old one, which certainly differs.
    expect(c.chooseSequence('group', own('pbt-group1'), 'current')).toMatchObject({ value: 7, differs: true });
  });

  test('a counter reported unchanged across a transition, or changed without one, is a contradiction', () => {
    const c = new ClusterModel(initialStates());
    c.learn('resource', own('pbt-res1'), 0, 3, 'add');
    expect(c.learn('resource', own('pbt-res1'), 0, 4, 'indication')?.sources).toEqual(['add', 'indication']);
    c.apply({ verb: 'SetState', objectType: 'resource', name: own('pbt-res1'), state: STATES.resource[1] });
    expect(c.learn('resource', own('pbt-res1'), 1, 3, 'add')).toBeDefined();
  });

  test('a change the stimulus does not promise leaves "differs" open', () => {
    const c = new ClusterModel(initialStates());
    c.learn('group', own('pbt-group1'), 0, 5, 'add');
    // A resource's state change may or may not change its group's state (3.1.4.x.46).
    const events = c.apply({ verb: 'SetState', objectType: 'resource', name: own('pbt-res1'), state: STATES.resource[1] });
    expect(events.find((e) => e.bit === C.GROUP_STATE)?.optional).toBe(true);
    expect(c.chooseSequence('group', own('pbt-group1'), 'current').differs).toBeUndefined();
  });
});

describe('state sequences: what the spec leaves to the server', () => {
  test('a move to another group raises the resource\'s sequence (3.1.4.x.26): the same value after it names that clause', () => {
    const c = new ClusterModel(initialStates());
    c.learn('resource', own('pbt-res1'), 0, 0, 'add');
    const events = c.apply({ verb: 'MoveResource', name: own('pbt-res1'), group: own('pbt-group2') });
    // Neither RESOURCE_PROPERTY nor RESOURCE_STATE is promised by a move.
    expect(events.filter((e) => e.subject.kind === 'object' && e.subject.objectKind === 'resource').every((e) => e.optional)).toBe(true);
    const index = c.versionIndex('resource', own('pbt-res1'));
    const conflict = c.learn('resource', own('pbt-res1'), index, 0, 'indication');
    expect(ids(conflict?.refs ?? [], 3)).toEqual(['3.1.4.2.26/R1']);
    expect(c.learn('resource', own('pbt-res1'), index, 1, 'indication')).toBeUndefined();
    expect(c.chooseSequence('resource', own('pbt-res1'), 'stale')).toMatchObject({ value: 0, differs: true });
  });

  test('once a group\'s state may have been derived from its resources, a SetState to any value may be no transition', () => {
    const c = new ClusterModel(initialStates());
    c.learn('group', own('pbt-group1'), 0, 5, 'add');
    c.apply({ verb: 'SetState', objectType: 'resource', name: own('pbt-res1'), state: STATES.resource[1] });
    const events = c.apply({ verb: 'SetState', objectType: 'group', name: own('pbt-group1'), state: STATES.group[1] });
    expect(events.find((e) => e.bit === C.GROUP_STATE && e.subject.kind === 'object' && e.subject.name === own('pbt-group1'))?.optional).toBe(true);
    // The same value as before both changes is no contradiction: the server may have made no transition at all.
    expect(c.learn('group', own('pbt-group1'), c.versionIndex('group', own('pbt-group1')), 5, 'indication')).toBeUndefined();
  });

  test('a node\'s "internal state" may be its state code: the same code after a round trip is no contradiction', () => {
    const c = new ClusterModel(initialStates());
    c.learn('node', own('pbt-node1'), 0, STATES.node[0], 'add');
    c.apply({ verb: 'SetState', objectType: 'node', name: own('pbt-node1'), state: STATES.node[1] });
    c.apply({ verb: 'SetState', objectType: 'node', name: own('pbt-node1'), state: STATES.node[0] });
    expect(c.learn('node', own('pbt-node1'), 2, STATES.node[0], 'indication')).toBeUndefined();
  });
});

describe('the oracle', () => {
  test.each([2, 3] as const)('v%i: two matching filters give two indications; one alone fails "one event per matching filter"', (v) => {
    const { m, port, group1, read, released } = fixture(v);
    m.judgeRegistration('ApiAddNotifyCluster', port.handle, m.currentHandle('cluster')!, C.GROUP_STATE, 1, ok());
    m.judgeRegistration('ApiAddNotifyGroup', port.handle, group1, C.GROUP_STATE, 2, ok({ dwStateSequence: 9 }));
    m.stimulus({ verb: 'SetState', objectType: 'group', name: own('pbt-group1'), state: STATES.group[1] });
    expect(read(event(2, C.GROUP_STATE, own('pbt-group1'), 10)).fail).toBeUndefined();
    const verdict = read(released);
    expect(ids(verdict.fail!.refs, v)).toEqual(expect.arrayContaining(ids([CLUSTER.perFilter], v)));
  });

  test.each([2, 3] as const)('v%i: indications come first-in first-out, in any order within one stimulus', (v) => {
    const { m, port, read } = fixture(v);
    m.judgeRegistration('ApiAddNotifyCluster', port.handle, m.currentHandle('cluster')!, C.GROUP_PROPERTY | C.RESOURCE_PROPERTY, 1, ok());
    m.stimulus({ verb: 'MoveResource', name: own('pbt-res1'), group: own('pbt-group2') });
    m.stimulus({ verb: 'SetProperty', objectType: 'group', name: own('pbt-group2'), property: 'p', value: 1 });
    // Within the move: the groups' GROUP_PROPERTY in either order, RESOURCE_PROPERTY optional.
    expect(read(event(1, C.GROUP_PROPERTY, own('pbt-group2'))).fail).toBeUndefined();
    expect(read(event(1, C.GROUP_PROPERTY, own('pbt-group1'))).fail).toBeUndefined();
    // The resource's optional indication may be skipped; the next stimulus's may not be overtaken.
    expect(read(event(1, C.GROUP_PROPERTY, own('pbt-group2'))).fail).toBeUndefined();
  });

  test('v3: a catch-up for a current sequence is tolerated, whether Add or an indication reported it', () => {
    const fromAdd = fixture(3);
    fromAdd.m.judgeRegistration('ApiAddNotifyGroup', fromAdd.port.handle, fromAdd.group1, C.GROUP_STATE, 1, ok({ dwStateSequence: 4 }));
    const seq = fromAdd.m.cluster.chooseSequence('group', own('pbt-group1'), 'current');
    fromAdd.m.judgeRegistration('ApiReAddNotifyGroup', fromAdd.port.handle, fromAdd.group1, C.GROUP_STATE, 2, ok(), { sequence: seq });
    expect(fromAdd.read(event(2, C.GROUP_STATE, own('pbt-group1'), 4)).fail).toBeUndefined();

    const { m, port, group1, read, released } = fixture(3);
    m.judgeRegistration('ApiAddNotifyGroup', port.handle, group1, C.GROUP_STATE, 1, ok({ dwStateSequence: 4 }));
    m.stimulus({ verb: 'SetState', objectType: 'group', name: own('pbt-group1'), state: STATES.group[1] });
    expect(read(event(1, C.GROUP_STATE, own('pbt-group1'), 5)).fail).toBeUndefined();
    const current = m.cluster.chooseSequence('group', own('pbt-group1'), 'current');
    expect(current).toMatchObject({ value: 5, differs: false });
    m.judgeRegistration('ApiReAddNotifyGroup', port.handle, group1, C.GROUP_STATE, 2, ok(), { sequence: current });
    expect(read(released).fail).toBeUndefined();
  });

  test('v2: an indication\'s dwStateSequence is the current sequence: what Add returns while the object is unchanged', () => {
    const { m, port, group1, read } = fixture(2);
    m.judgeRegistration('ApiAddNotifyCluster', port.handle, m.currentHandle('cluster')!, C.GROUP_PROPERTY, 1, ok());
    m.stimulus({ verb: 'SetProperty', objectType: 'group', name: own('pbt-group1'), property: 'p', value: 1 });
    expect(read(event(1, C.GROUP_PROPERTY, own('pbt-group1'), 8)).fail).toBeUndefined();
    const verdict = m.judgeRegistration('ApiAddNotifyGroup', port.handle, group1, C.GROUP_STATE, 2, ok({ dwStateSequence: 9 }));
    expect(ids(verdict.fail!.refs, 2)).toEqual(ids([OBJECT.group.add.sequence, GET.sequence, PORT.currentState], 2));
  });

  test('v3: a stale sequence must raise the catch-up, with the ReAdd key', () => {
    const { m, port, group1, read, released } = fixture(3);
    m.judgeRegistration('ApiAddNotifyGroup', port.handle, group1, C.GROUP_STATE, 1, ok({ dwStateSequence: 4 }));
    const stale = m.cluster.chooseSequence('group', own('pbt-group1'), 'stale');
    expect(stale.differs).toBe(true);
    m.judgeRegistration('ApiReAddNotifyGroup', port.handle, group1, C.GROUP_STATE, 6, ok(), { sequence: stale });
    const wrongKey = read(event(7, C.GROUP_STATE, own('pbt-group1'), 4));
    expect(ids(wrongKey.fail!.refs, 3)).toEqual(expect.arrayContaining(ids([OBJECT.group.reAdd.catchUp, OBJECT.group.reAdd.key], 3)));
    const { m: m2, port: p2, group1: g2, read: read2 } = fixture(3);
    m2.judgeRegistration('ApiAddNotifyGroup', p2.handle, g2, C.GROUP_STATE, 1, ok({ dwStateSequence: 4 }));
    m2.judgeRegistration('ApiReAddNotifyGroup', p2.handle, g2, C.GROUP_STATE, 6, ok(), { sequence: m2.cluster.chooseSequence('group', own('pbt-group1'), 'stale') });
    expect(ids(read2(released).fail!.refs, 3)).toEqual(ids([OBJECT.group.reAdd.catchUp], 3));
  });

  test.each(['usable', 'closed'] as const)('v3: after an unblock the port may stay usable or count as closed (%s)', (reading) => {
    const { m, port, read } = fixture(3);
    m.judgeRegistration('ApiAddNotifyCluster', port.handle, m.currentHandle('cluster')!, C.CLUSTER_PROPERTY, 1, ok());
    expect(read(status(ERROR.INVALID_FUNCTION)).fail).toBeUndefined();
    m.stimulus({ verb: 'SetProperty', objectType: 'cluster', name: '', property: 'p', value: 1 });
    const o = reading === 'usable' ? event(1, C.CLUSTER_PROPERTY, 'CLUSTER1') : status(ERROR.NO_MORE_ITEMS);
    expect(read(o).fail).toBeUndefined();
    // The observation pinned the reading: the other answer is now a failure.
    m.stimulus({ verb: 'SetProperty', objectType: 'cluster', name: '', property: 'p', value: 2 });
    const other = reading === 'usable' ? status(ERROR.NO_MORE_ITEMS) : event(1, C.CLUSTER_PROPERTY, 'CLUSTER1');
    expect(read(other).fail).toBeDefined();
  });

  test.each([2, 3] as const)('v%i: a fabricated or closed handle may get an RPC fault; a wrong-type one must get ERROR_INVALID_HANDLE', (v) => {
    const { m, port, group1 } = fixture(v);
    const fault: Observed = { kind: 'fault', fault: 0x6be };
    expect(m.judgeUnblock(FABRICATED, fault).fail).toBeUndefined();
    expect(m.judgeUnblock(FABRICATED, status(ERROR.INVALID_HANDLE)).fail).toBeUndefined();
    expect(m.judgeUnblock(group1, status(ERROR.INVALID_HANDLE)).pass).not.toHaveLength(0);
    expect(m.judgeUnblock(group1, fault).fail).toBeDefined();
    const wrong = m.judgeRegistration('ApiAddNotifyGroup', port.handle, port.handle, C.GROUP_STATE, 1, ok({ dwStateSequence: 1 }));
    expect(ids(wrong.fail!.refs, v)).toEqual(ids([OBJECT.group.add.badObject], v));
    expect(m.judgeClose(port.handle, ok({ hNotify: null })).fail).toBeUndefined();
    expect(m.judgeClose(port.handle, fault).fail).toBeUndefined();
  });

  test('v2: ApiCreateNotify is refused in read-only (NULL handle); v3 should accept it', () => {
    const v2 = new NotifyModel({ version: 2 });
    v2.stimulus({ verb: 'SetServerState', state: 'read-only' });
    const refused = v2.judgeCreate({ kind: 'reply', status: ERROR.SHARING_PAUSED, out: { hNotify: '0'.repeat(40) } });
    expect(ids(refused.pass, 2)).toEqual(expect.arrayContaining(['3.1.4.1.56/R5', '3.1.4.1.56/R10', '3.1.4.1/R14']));
    expect(ids(v2.judgeCreate(ok({ hNotify: 'h' })).fail!.refs, 2)).toContain('3.1.4.1.56/R5');
    const v3 = new NotifyModel({ version: 3 });
    v3.stimulus({ verb: 'SetServerState', state: 'read-only' });
    expect(ids(v3.judgeCreate(ok({ hNotify: 'h' })).pass, 3)).toContain('3.1.4.2.56/R5');
  });

  test('v3: lost indications should be followed by CLUSTER_RECONNECT; v2 must never report it', () => {
    const v3 = fixture(3);
    v3.m.judgeRegistration('ApiAddNotifyCluster', v3.port.handle, v3.m.currentHandle('cluster')!, C.CLUSTER_PROPERTY, 1, ok());
    v3.m.stimulus({ verb: 'SetProperty', objectType: 'cluster', name: '', property: 'p', value: 1 });
    v3.m.stimulus({ verb: 'DropEvents' });
    const delivered = v3.read(event(0, C.CLUSTER_RECONNECT, ''));
    expect(delivered.fail).toBeUndefined();
    expect(delivered.shortfall).toBeUndefined();
    expect(ids(delivered.pass, 3)).toEqual(expect.arrayContaining(['3.1.4.2.66/R4', '2.2.2.7/R25']));
    const v2 = fixture(2);
    v2.m.judgeRegistration('ApiAddNotifyCluster', v2.port.handle, v2.m.currentHandle('cluster')!, C.CLUSTER_PROPERTY, 1, ok());
    v2.m.stimulus({ verb: 'DropEvents' });
    expect(ids(v2.read(event(1, C.CLUSTER_RECONNECT, '')).fail!.refs, 2)).toContain('3.1.4.1.66/R3');
  });

  test('v3: a server that reports no CLUSTER_RECONNECT after a loss misses a SHOULD: recorded, never PASS, and the run goes on', () => {
    const { m, port, read, released } = fixture(3);
    m.judgeRegistration('ApiAddNotifyCluster', port.handle, m.currentHandle('cluster')!, C.CLUSTER_PROPERTY, 1, ok());
    m.stimulus({ verb: 'SetProperty', objectType: 'cluster', name: '', property: 'p', value: 1 });
    m.stimulus({ verb: 'DropEvents' });
    // The harness waits for the read as a server keeping the SHOULD answers it (it does not race an unblock).
    m.startRead(port.handle, false);
    expect(m.readMayBlock()).toBe(false);
    m.judgeUnblock(port.handle, ok());
    const missed = m.judgeRead(port.handle, released);
    expect(missed.fail).toBeUndefined();
    expect(ids(missed.shortfall!.refs, 3)).toEqual(['3.1.4.2.66/R4', '2.2.2.7/R25']);
    expect(ids(missed.pass, 3)).not.toContain('3.1.4.2.66/R4');
    // From then on the entry is optional: the next loss and an empty read are neither a failure nor a new shortfall.
    m.stimulus({ verb: 'SetProperty', objectType: 'cluster', name: '', property: 'p', value: 2 });
    m.stimulus({ verb: 'DropEvents' });
    const again = read(released);
    expect(again.fail).toBeUndefined();
    expect(again.shortfall).toBeUndefined();
    // A real failure after it is still one.
    m.stimulus({ verb: 'SetProperty', objectType: 'cluster', name: '', property: 'p', value: 3 });
    expect(read(event(9, C.CLUSTER_PROPERTY, '')).fail).toBeDefined();
  });

  test('v2: a port whose QUORUM_STATE registration was refused must still never report a quorum change (2.2.2.7 R35)', () => {
    const refusedThenEmpty = fixture(2);
    const cluster = refusedThenEmpty.m.currentHandle('cluster')!;
    expect(refusedThenEmpty.m.judgeRegistration('ApiAddNotifyCluster', refusedThenEmpty.port.handle, cluster, C.QUORUM_STATE | C.CLUSTER_PROPERTY, 1, status(ERROR.INVALID_PARAMETER)).fail).toBeUndefined();
    refusedThenEmpty.m.stimulus({ verb: 'SetQuorum', resource: own('pbt-res1') });
    expect(ids(refusedThenEmpty.read(refusedThenEmpty.released).pass, 2)).toContain('2.2.2.7/R35');
    const refusedThenPosted = fixture(2);
    refusedThenPosted.m.judgeRegistration('ApiAddNotifyCluster', refusedThenPosted.port.handle, cluster, C.QUORUM_STATE, 1, status(ERROR.INVALID_PARAMETER));
    refusedThenPosted.m.stimulus({ verb: 'SetQuorum', resource: own('pbt-res1') });
    expect(ids(refusedThenPosted.read(event(1, C.QUORUM_STATE, '')).fail!.refs, 2)).toContain('2.2.2.7/R35');
  });

  test('v2: an empty port times out; a v2 server that blocks instead breaks the GetNotify timer rows', () => {
    const { m, port, read } = fixture(2);
    expect(ids(read(status(ERROR.WAIT_TIMEOUT)).pass, 2)).toContain('3.1.5.4/R3');
    m.startRead(port.handle, true);
    expect(ids(m.judgeRead(port.handle, { kind: 'pending' }).fail!.refs, 2)).toEqual(expect.arrayContaining(['3.1.4.1.66/R7', '3.1.5.4/R3']));
  });

  test('v3: indications before the first filter are never delivered', () => {
    const { m, port, group1, read } = fixture(3);
    m.stimulus({ verb: 'SetState', objectType: 'group', name: own('pbt-group1'), state: STATES.group[1] });
    m.judgeRegistration('ApiAddNotifyGroup', port.handle, group1, C.GROUP_STATE, 1, ok({ dwStateSequence: 2 }));
    expect(ids(read(event(0, C.GROUP_STATE, own('pbt-group1'))).fail!.refs, 3)).toContain(book.resolve(CREATE.nothingBeforeFilter, 3)!.id);
  });
});
