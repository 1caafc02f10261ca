// The `ended` expectation (3.1.3/R7: the server ends a refused client's connection): a call failing at
// the transport is the step's observation only where the step expects it; a reply of any kind breaks
// it; a hang stays ERROR; and without the expectation a connection the server ends is still an ERROR.
import { runSequence } from '../../harness/sequence/interpret';
import type { Expectation, Sequence } from '../../harness/sequence/types';
import { createBuiltinTarget } from '../../harness/target/builtin';
import { TargetError, type ClusapiConnection, type Target } from '../../cmrp/contract';

const ENDED = '3.1.3/R7';

function sequence(expect: Expectation | undefined): Sequence {
  return {
    id: 'test/ended',
    title: 'a call on a connection the server ended, then a new connection served',
    clauses: { ended: { 3: ENDED } },
    steps: [
      { call: 'ApiCreateNotify', ...(expect ? { expect } : {}), check: 'ended' },
      { reconnect: true },
      { call: 'ApiOpenCluster', check: 'ended' },
    ],
  };
}

/** The reference whose first connection's ApiCreateNotify does `first`; later connections are the reference's. */
function firstConnection(first: () => Promise<unknown>): Target {
  const target = createBuiltinTarget({});
  let connections = 0;
  return {
    ...target,
    connect: async (o) => {
      const connection = await target.connect(o);
      if (++connections > 1) return connection;
      return new Proxy(connection, { get: (c, key) => (key === 'ApiCreateNotify' ? first : Reflect.get(c, key)) }) as ClusapiConnection;
    },
  };
}

async function outcome(expect: Expectation | undefined, first: () => Promise<unknown>): Promise<string[]> {
  const target = firstConnection(first);
  try {
    const observations = await runSequence(sequence(expect), { target, protocolVersion: 3, timeouts: { callMs: 200, readMs: 100 }, replay: (id) => `--clause ${id}` });
    return observations.filter((o) => o.clause === ENDED).map((o) => `${o.outcome}: ${o.message}`);
  } finally {
    await target.dispose();
  }
}

const closed = () => Promise.reject(new TargetError('ApiCreateNotify', 'crash', 'the server closed the connection'));
const refused = () => Promise.resolve({ fault: 5 });

describe('a step expecting the server to have ended the connection', () => {
  it('passes when the call fails at the transport and a new connection is served', async () => {
    const seen = await outcome({ ended: true }, closed);
    expect(seen).toEqual([expect.stringMatching(/^pass: .*the server had ended the connection/), expect.stringMatching(/^pass: /)]);
  });

  it('fails on a reply of any kind: a refusal on a connection still open, or a success', async () => {
    expect(await outcome({ ended: true }, refused)).toEqual([expect.stringMatching(/^fail: .*expected the server to have ended the connection.*observed a reply: RPC fault/)]);
    expect(await outcome({ ended: true }, () => Promise.resolve({ status: 0, hNotify: 'ab'.repeat(20) }))).toEqual([expect.stringMatching(/^fail: .*observed a reply: status/)]);
  });

  it('takes either reading when the step offers both (version 2.0: a refusal that goes on)', async () => {
    const readings: Expectation = { anyOf: [{ ended: true }, { status: '!ERROR_SUCCESS', faultAllowed: true }] };
    expect((await outcome(readings, closed))[0]).toMatch(/^pass: /);
    expect((await outcome(readings, refused))[0]).toMatch(/^pass: /);
  });

  it('keeps a hang an ERROR, and a connection ended where no step expects it', async () => {
    expect((await outcome({ ended: true }, () => new Promise(() => undefined)))[0]).toMatch(/^error: /);
    expect((await outcome(undefined, closed))[0]).toMatch(/^error: .*the server closed the connection/);
  });
});
