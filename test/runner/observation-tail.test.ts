// Progress reads the workers' observation files as they grow: each look must return exactly what has
// been appended so far, a line still being written included only once it is whole.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObservationTail } from '../../harness/runner/observation-tail';
import { appendObservations, readObservations } from '../../harness/recorder/sink';
import type { Observation } from '../../harness/recorder/observation';

const obs = (clause: string): Observation => ({ clause, outcome: 'pass', test: 't', protocolVersion: 3 }) as Observation;

describe('ObservationTail', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cmrp-tail-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns what was appended, reading each file only from where it stopped', () => {
    const tail = new ObservationTail(dir);
    expect(tail.read()).toEqual([]);
    appendObservations(dir, [obs('a'), obs('b')]);
    expect(tail.read().map((o) => o.clause)).toEqual(['a', 'b']);
    appendFileSync(join(dir, '999.jsonl'), `${JSON.stringify(obs('c'))}\n`);
    appendObservations(dir, [obs('d')]);
    expect([...tail.read().map((o) => o.clause)].sort()).toEqual(['a', 'b', 'c', 'd']);
    // The same observations as the run's final read, without reading anything twice.
    expect([...tail.read()].sort((x, y) => x.clause.localeCompare(y.clause))).toEqual(readObservations(dir).sort((x, y) => x.clause.localeCompare(y.clause)));
  });

  it('keeps a line a worker is still writing until it is whole', () => {
    const tail = new ObservationTail(dir);
    const line = JSON.stringify(obs('late'));
    appendFileSync(join(dir, '1.jsonl'), line.slice(0, 10));
    expect(tail.read()).toEqual([]);
    appendFileSync(join(dir, '1.jsonl'), `${line.slice(10)}\n`);
    expect(tail.read().map((o) => o.clause)).toEqual(['late']);
  });
  it('ends with exactly the run\'s final read, in its order, whatever was read while the run went', () => {
    const tail = new ObservationTail(dir);
    appendObservations(dir, [obs('z'), obs('b')]);
    tail.read();
    appendFileSync(join(dir, '7.jsonl'), `${JSON.stringify(obs('a'))}\n${JSON.stringify(obs('y')).slice(0, 5)}`);
    tail.read();
    appendFileSync(join(dir, '7.jsonl'), `${JSON.stringify(obs('y')).slice(5)}\n`);
    appendObservations(dir, [obs('c')]);
    expect(tail.final()).toEqual(readObservations(dir));
    expect(tail.final().map((o) => o.clause).sort()).toEqual(['a', 'b', 'c', 'y', 'z']);
  });

  it('keeps a character of several bytes whole when a read ends inside it', () => {
    const tail = new ObservationTail(dir);
    const line = Buffer.from(`${JSON.stringify({ ...obs('é'), message: 'naïve — ✓' })}\n`);
    const cut = line.indexOf(Buffer.from('✓')) + 1;
    appendFileSync(join(dir, '2.jsonl'), line.subarray(0, cut));
    expect(tail.read()).toEqual([]);
    appendFileSync(join(dir, '2.jsonl'), line.subarray(cut));
    expect(tail.final()).toEqual(readObservations(dir));
    expect(tail.final()[0].message).toBe('naïve — ✓');
  });

  it('leaves a line that does not parse to the run\'s final read, which reports it', () => {
    const tail = new ObservationTail(dir);
    appendFileSync(join(dir, '3.jsonl'), 'not json\n');
    expect(tail.read()).toEqual([]);
    expect(() => tail.final()).toThrow(SyntaxError);
  });
});
