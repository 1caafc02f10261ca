// Every scripted sequence against one target, in-process: what the mutant proofs and the benchmark
// use to judge a target without starting Jest once per target.
import type { Observation } from '../recorder/observation';
import type { ProtocolVersion } from '../../cmrp/constants';
import { memoryHangs } from '../session/hangs';
import type { Timeouts } from '../session/session';
import type { Target } from '../../cmrp/contract';
import { clausesIn, runSequence } from './interpret';
import { loadAllSequences } from './load';
import type { Sequence } from './types';
import { DEFAULT_CLUSTER } from '../../reference';
import { RoleBindings } from '../profile/bindings';
import { profileFromCluster } from '../profile/derive';

/**
 * The package's sequences, loaded and checked once per process: the mutant proofs run every sequence
 * once per mutant, and checking the files again for each pass cost more CPU than the pass.
 */
let packaged: readonly Sequence[] | undefined;

/** `roles`: the server's names for the sequences' roles (harness/profile); omitted for the builtin default cluster's. */
export async function runAllSequences(target: Target, protocolVersion: ProtocolVersion, timeouts: Timeouts, roles?: RoleBindings): Promise<Observation[]> {
  // The builtin default cluster lives only for the run: every role is the suite's to change (as harness/profile/resolve.ts binds it).
  const bindings = roles ?? RoleBindings.of(profileFromCluster(DEFAULT_CLUSTER), 'the builtin target\'s default cluster', 'all');
  const observations: Observation[] = [];
  // One target, one record of its hangs: a mutant that hangs waits the call timeout once per method.
  const guarded: Timeouts = { ...timeouts, hangs: timeouts.hangs ?? memoryHangs() };
  packaged ??= loadAllSequences();
  for (const sequence of packaged) {
    if (!clausesIn(sequence, protocolVersion).length) continue;
    observations.push(...(await runSequence(sequence, { target, protocolVersion, timeouts: guarded, roles: bindings, replay: (id) => `--clause ${id}` })));
  }
  return observations;
}
