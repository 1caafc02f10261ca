// Every scripted sequence against one target, in-process: what the mutant proofs and the benchmark
// use to judge a target without starting Jest once per target.
import type { Observation } from '../recorder/observation';
import type { ProtocolVersion } from '../../cmrp/constants';
import { memoryHangs } from '../session/hangs';
import type { Timeouts } from '../session/session';
import type { Target } from '../../cmrp/contract';
import { clausesIn, runSequence } from './interpret';
import { loadAllSequences } from './load';

export async function runAllSequences(target: Target, protocolVersion: ProtocolVersion, timeouts: Timeouts): Promise<Observation[]> {
  const observations: Observation[] = [];
  // One target, one record of its hangs: a mutant that hangs waits the call timeout once per method.
  const guarded: Timeouts = { ...timeouts, hangs: timeouts.hangs ?? memoryHangs() };
  for (const sequence of loadAllSequences()) {
    if (!clausesIn(sequence, protocolVersion).length) continue;
    observations.push(...(await runSequence(sequence, { target, protocolVersion, timeouts: guarded, replay: (id) => `--clause ${id}` })));
  }
  return observations;
}
