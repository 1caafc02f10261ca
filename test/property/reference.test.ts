// The property against the reference server: it agrees with the oracle model, the same seed gives the
// same observations, and a target without a control adapter gets NOT-TESTED (never PASS) for what
// only stimuli can show.
import { ClauseBook } from '../../harness/model/clauses';
import { loadCatalogue } from '../../harness/catalogue/load';
import { DEFAULT_RUNS, PROPERTY_TEST, propertyClauseIds, runProperty } from '../../harness/property/runner';
import type { Target } from '../../cmrp/contract';
import { TEST_TIMEOUTS, property, withTarget } from './support';

const book = new ClauseBook(loadCatalogue());

describe.each([2, 3] as const)('protocol version %i', (version) => {
  test('the reference server agrees with the oracle model over the default budget', async () => {
    const result = await property('builtin', version);
    expect(result.failure?.message).toBeUndefined();
    expect(result.runs).toBe(DEFAULT_RUNS);
    const passed = new Set(result.observations.filter((o) => o.outcome === 'pass').map((o) => o.clause));
    // The heart of the model is exercised: FIFO reads, keys, catch-ups, releases, bad handles.
    for (const [section, title] of [
      ['66', 'returns the first queued indication'],
      ['66', "dwNotifyKey is the matching registration's key"],
      ['64', 'catch-up GROUP_STATE on differing StateSequence'],
      ['60', 'one event per matching filter'],
      ['66', 'unblock or close elsewhere gives ERROR_INVALID_FUNCTION'],
      ['57', 'outstanding ApiGetNotify calls completed'],
      ['58', 'invalid hNotify gives ERROR_INVALID_HANDLE'],
    ]) {
      const id = book.resolve({ section: `x.${section}`, title }, version)!.id;
      expect({ id, passed: passed.has(id) }).toEqual({ id, passed: true });
    }
    expect(result.observations.every((o) => o.test === PROPERTY_TEST && o.protocolVersion === version && o.seed === 42)).toBe(true);
  }, 60000);

  test('a fixed seed gives identical observations twice', async () => {
    const first = await property('builtin', version, { runs: 40 });
    const second = await property('builtin', version, { runs: 40 });
    expect(second.observations).toEqual(first.observations);
  }, 60000);

  test('a failing target gives identical observations (shrunk sequence included) twice', async () => {
    const first = await property('builtin:mutant=lifo-queue', version);
    const second = await property('builtin:mutant=lifo-queue', version);
    expect(first.failure).toBeDefined();
    expect(second.observations).toEqual(first.observations);
  }, 60000);

  test('without a control adapter, clauses only stimuli can show are NOT-TESTED, never PASS', async () => {
    const result = await withTarget('builtin', async (builtin) => {
      const bare: Target = { description: 'builtin without control', capabilities: builtin.capabilities, connect: (o) => builtin.connect(o), dispose: async () => undefined };
      return runProperty({ target: bare, targetSpec: 'builtin', version, seed: 7, runs: 60, timeouts: TEST_TIMEOUTS });
    });
    expect(result.failure?.message).toBeUndefined();
    const byClause = new Map<string, Set<string>>();
    for (const o of result.observations) byClause.set(o.clause, (byClause.get(o.clause) ?? new Set()).add(o.outcome));
    const catchUp = book.resolve({ section: 'x.64', title: 'catch-up GROUP_STATE on differing StateSequence' }, version)!.id;
    expect([...(byClause.get(catchUp) ?? [])]).toEqual(['not-tested']);
    const message = result.observations.find((o) => o.clause === catchUp)!.message!;
    expect(message).toMatch(/control verbs/);
    // Calls alone still check what they can: ports, cluster-wide registrations, invalid handles.
    const created = book.resolve({ section: 'x.56', title: 'valid handle returned on success' }, version)!.id;
    expect(byClause.get(created)).toEqual(new Set(['pass']));
    const badHandles = [...byClause].filter(([id, outcomes]) => book.clause(id)!.title.startsWith('invalid h') && outcomes.has('pass'));
    expect(badHandles.length).toBeGreaterThan(0);
  }, 60000);
});

test('a selection keeps only the selected clauses', async () => {
  const ids = propertyClauseIds(3);
  const keep = new Set(ids.slice(0, 5));
  const result = await property('builtin', 3, { runs: 10, clauseIds: keep });
  expect(result.observations.length).toBeGreaterThan(0);
  expect(result.observations.every((o) => keep.has(o.clause))).toBe(true);
}, 60000);
