// Every mutant of the reference, as `cmrp-notify-conformance mutants` lists them: the behaviour
// mutants (./behaviour.ts) and the wire server's transport mutants (./wire.ts).
import type { Mutant } from '../../cmrp/mutant';
import { MUTANTS } from './behaviour';
import { WIRE_MUTANTS } from './wire';

export type { Mutant };

export function listMutants(): Mutant[] {
  return [...MUTANTS, ...WIRE_MUTANTS];
}
