// Version 2 ports in the property (protocol version 3): the reference agrees with the model over the
// default budget with ports of both kinds side by side, and every version 2 clause the property
// claims is exercised; a target without version 2 ports gets them NOT-TESTED with the reason.
import { ClauseBook } from '../../harness/model/clauses';
import { loadCatalogue } from '../../harness/catalogue/load';
import { allRefsV2 } from '../../harness/model/refs-v2';
import { DEFAULT_RUNS, runProperty } from '../../harness/property/runner';
import type { Target } from '../../cmrp/contract';
import { TEST_TIMEOUTS, property, withTarget } from './support';

const book = new ClauseBook(loadCatalogue());
const v2Ids = book.ids(allRefsV2(), 3);

test('every version 2 clause the model names resolves in protocol version 3', () => {
  expect(v2Ids.length).toBe(allRefsV2().length);
});

test('the reference agrees with the model, and the property exercises every version 2 clause it claims', async () => {
  const result = await property('builtin', 3);
  expect(result.failure?.message).toBeUndefined();
  expect(result.runs).toBe(DEFAULT_RUNS);
  const passed = new Set(result.observations.filter((o) => o.outcome === 'pass').map((o) => o.clause));
  expect(v2Ids.filter((id) => !passed.has(id))).toEqual([]);
}, 120000);

test('a version 3 target without version 2 ports: their clauses are NOT-TESTED with the reason', async () => {
  const result = await withTarget('builtin', async (builtin) => {
    const bare: Target = { ...builtin, description: 'builtin without v2 ports', capabilities: { ...builtin.capabilities, notifyV2: false }, connect: (o) => builtin.connect(o), dispose: async () => undefined };
    return runProperty({ target: bare, targetSpec: 'builtin', version: 3, seed: 7, runs: 20, timeouts: TEST_TIMEOUTS });
  });
  expect(result.failure?.message).toBeUndefined();
  const created = book.resolve({ section: '3.1.4.2.136', title: 'ERROR_SUCCESS on success' }, 3)!.id;
  const o = result.observations.filter((x) => x.clause === created);
  expect(o.map((x) => x.outcome)).toEqual(['not-tested']);
  expect(o[0].message).toMatch(/version 2 notification ports/);
}, 60000);
