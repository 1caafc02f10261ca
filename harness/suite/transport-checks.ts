// The transport checks of sections 2.1 and 3.1.3 as data: which clause each judges, in which protocol
// versions, how it connects and what it expects. Kept apart from the code that makes the connections
// (transport-security.ts): the CLI plans a run from this list before Jest starts, without loading the
// DCE/RPC, NTLM and SPNEGO stacks.
import type { RunConfig } from '../run-config/config';
import { clauseIdOf } from '../catalogue/names';
import type { ClauseName } from '../../cmrp/clause-name';
import type { ProtocolVersion } from '../../cmrp/constants';

/** The test name of every observation of the transport file (the check's own name follows it). */
export const TRANSPORT_TEST = 'transport-security';

/** The test name of a check's observation. */
export function transportTestName(name: string): string {
  return `${TRANSPORT_TEST}: ${name}`;
}

/** How one check connects: unauthenticated, or with one of the two auth types at one level and account. */
export interface Way {
  auth?: { type: 'spnego' | 'ntlm'; level: 'connect' | 'integrity' | 'privacy'; account?: 'wrong-password' | 'unknown-user' };
}

export interface TransportCheck {
  /** The clause's id, resolved from its name ("2.1: <title>", cmrp/clause-name.ts) through the catalogue. */
  clause: string;
  /** Protocol versions the check runs in (the clause's own). */
  versions: readonly ProtocolVersion[];
  name: string;
  way: Way;
  /**
   * What the server must do: accept the bind of the interface version (the run's own way), serve the
   * first call, or refuse the client (any of 2.1/R14's readings).
   */
  expect: 'bound' | 'served' | 'refused';
}

/** Section 2.1 and 3.1.3 are shared by both versions: a name has one id. */
const id = (name: ClauseName): string => clauseIdOf(name);
/** 2.1's endpoint rule, judged on its own (the endpoint mapper), not by a connection check. */
export const DYNAMIC_ENDPOINTS = id('2.1: dynamic endpoints');
export const REFUSES_LOW_LEVELS = id('2.1: v3.0 server refuses levels below PKT_PRIVACY');

const spnego = (level: 'connect' | 'integrity' | 'privacy', account?: 'wrong-password' | 'unknown-user'): Way => ({ auth: { type: 'spnego', level, ...(account ? { account } : {}) } });
const ntlm = (level: 'connect' | 'integrity' | 'privacy', account?: 'wrong-password' | 'unknown-user'): Way => ({ auth: { type: 'ntlm', level, ...(account ? { account } : {}) } });

/**
 * Every check, by clause. Version 3.0 clients use SPNEGO (2.1/R15), so its acceptance is checked with
 * SPNEGO; version 2.0 clients use NTLM at packet integrity (2.1/R7, R9), so its is checked with NTLM.
 * The refusals of 2.1/R14 are checked with both auth types: a server must refuse a low level whichever
 * provider the client names.
 */
export const TRANSPORT_CHECKS: readonly TransportCheck[] = [
  { clause: id('2.1: interface UUID b97db8b2-4c63-11cf-bff6-08002be23f2f'), versions: [2, 3], name: 'a bind to interface b97db8b2-4c63-11cf-bff6-08002be23f2f is accepted', way: {}, expect: 'bound' },
  { clause: id('2.1: interface versions 2.0 and 3.0'), versions: [2, 3], name: "a bind to the run's interface version is accepted", way: {}, expect: 'bound' },
  { clause: id('2.1: v3.0 runs over TCP'), versions: [3], name: 'version 3.0 binds over ncacn_ip_tcp', way: {}, expect: 'bound' },
  { clause: id('2.1: SSP security per MS-RPCE'), versions: [3], name: 'SPNEGO(NTLM) at packet privacy: the call is served, sealed both ways', way: spnego('privacy'), expect: 'served' },
  { clause: id('2.1: SSP security per MS-RPCE'), versions: [2], name: 'NTLM at packet integrity: the call is served, signed both ways', way: ntlm('integrity'), expect: 'served' },
  { clause: id('2.1: v3.0 server registers SPNEGO with cluster SPN'), versions: [3], name: 'SPNEGO by IP address (no principal name) falls back to NTLM and is served at packet privacy', way: spnego('privacy'), expect: 'served' },
  { clause: id('2.1: v2.0 server registers NTLM'), versions: [2], name: 'NTLM at packet integrity is served', way: ntlm('integrity'), expect: 'served' },
  { clause: id('2.1: v2.0 server registers NTLM'), versions: [2], name: 'NTLM at packet privacy is served', way: ntlm('privacy'), expect: 'served' },
  { clause: id('2.1: v3.0 server refuses levels below PKT_PRIVACY'), versions: [3], name: 'an unauthenticated client is refused', way: {}, expect: 'refused' },
  { clause: id('2.1: v3.0 server refuses levels below PKT_PRIVACY'), versions: [3], name: 'SPNEGO(NTLM) at connect is refused', way: spnego('connect'), expect: 'refused' },
  { clause: id('2.1: v3.0 server refuses levels below PKT_PRIVACY'), versions: [3], name: 'SPNEGO(NTLM) at packet integrity is refused', way: spnego('integrity'), expect: 'refused' },
  { clause: id('2.1: v3.0 server refuses levels below PKT_PRIVACY'), versions: [3], name: 'NTLM at connect is refused', way: ntlm('connect'), expect: 'refused' },
  { clause: id('2.1: v3.0 server refuses levels below PKT_PRIVACY'), versions: [3], name: 'NTLM at packet integrity is refused', way: ntlm('integrity'), expect: 'refused' },
  { clause: id('3.1.3: identity from the RPC authentication service'), versions: [3], name: 'SPNEGO(NTLM) at packet privacy with a wrong password is refused', way: spnego('privacy', 'wrong-password'), expect: 'refused' },
  { clause: id('3.1.3: identity from the RPC authentication service'), versions: [3], name: 'SPNEGO(NTLM) at packet privacy as an unknown account is refused', way: spnego('privacy', 'unknown-user'), expect: 'refused' },
  { clause: id('3.1.3: identity from the RPC authentication service'), versions: [2], name: 'NTLM at packet integrity with a wrong password is refused', way: ntlm('integrity', 'wrong-password'), expect: 'refused' },
  { clause: id('3.1.3: identity from the RPC authentication service'), versions: [2], name: 'NTLM at packet integrity as an unknown account is refused', way: ntlm('integrity', 'unknown-user'), expect: 'refused' },
];

/** Every clause the checks judge: only a dcerpc: target (with credentials, for most) can exercise them. */
export const TRANSPORT_CLAUSES: readonly string[] = [...new Set(TRANSPORT_CHECKS.map((c) => c.clause)), DYNAMIC_ENDPOINTS];

export const R1_NAME = 'the endpoint mapper names the port of the interface';

/** The checks a run makes, in order (clause and name): those of its protocol version and selection. */
export function plannedTransportChecks(config: Pick<RunConfig, 'protocolVersion' | 'clauseIds'>): { clause: string; name: string }[] {
  const selected = (id: string) => !config.clauseIds || config.clauseIds.includes(id);
  return [
    ...(selected(DYNAMIC_ENDPOINTS) ? [{ clause: DYNAMIC_ENDPOINTS, name: R1_NAME }] : []),
    ...TRANSPORT_CHECKS.filter((c) => c.versions.includes(config.protocolVersion) && selected(c.clause)).map(({ clause, name }) => ({ clause, name })),
  ];
}
