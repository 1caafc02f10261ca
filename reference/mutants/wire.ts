// Mutants of the reference served on the wire: each breaks one rule of the transport (section 2.1)
// that only a DCE/RPC server has, so they live here and not among the reference server's behaviour
// mutants (reference/mutants/behaviour.ts). They are served with `serve --listen dcerpc:... --user ... --mutant NAME`
// and listed by `mutants` with the clauses they trip, like the others.
import type { Mutant } from '.';
import { clauseSections } from '../../cmrp/clause-name';

export const WIRE_MUTANTS = [
  {
    name: 'accept-low-auth',
    description: 'A version 3.0 server serves clients that authenticated at connect or packet integrity instead of refusing every level below packet privacy.',
    trips: clauseSections('2.1: v3.0 server refuses levels below PKT_PRIVACY'),
    wire: true,
  },
  {
    name: 'read-account-all',
    description: 'The served cluster gives its Read account (serve --read-user) the All access level, as if its security descriptor were ignored: a protocol version 2 server then serves a client that has only Read.',
    trips: [
      { section: '3.1.4.1', title: 'every method requires All' },
      { section: '3.1.4.1', title: 'client without All gets ERROR_ACCESS_DENIED' },
      { section: '3.1.4.1', title: 'version 2 has only access level All' },
      { section: '3.1.4.1', title: 'access level from the cluster SD' },
      { section: '3.1.4.1', title: 'SD without All gives ERROR_ACCESS_DENIED' },
    ],
    wire: true,
  },
  {
    name: 'ignore-cluster-security',
    description: 'The served cluster ignores its security descriptor: an account whose grant SetClusterSecurity removed is still served as before.',
    trips: [
      ...clauseSections('2.1: calls only by principals the cluster SD permits'),
      ...clauseSections('3.1.3: unpermitted client gets a nonzero error'),
    ],
    wire: true,
  },
  {
    name: 'keep-refused-connection',
    description: 'The served cluster refuses a caller its security descriptor does not permit but keeps the connection open, answering each later call with the same refusal instead of ending the connection (what only version 2.0 may do).',
    trips: [{ section: '3.1.3', title: 'unpermitted client connection terminated' }],
    wire: true,
  },
] as const satisfies readonly Mutant[];

export type WireMutantName = (typeof WIRE_MUTANTS)[number]['name'];

export function isWireMutant(name: string | undefined): name is WireMutantName {
  return WIRE_MUTANTS.some((m) => m.name === name);
}
