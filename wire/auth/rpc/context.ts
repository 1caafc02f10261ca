// RpcSecurityContext: one authenticated DCE/RPC connection's security context, for the client and
// the server role. The PDU layer drives the handshake with next() (tokens carried in bind,
// bind_ack, alter_context(_resp) and auth3 verifiers) and then passes every request and response
// fragment through protect() before it is written and unprotect() after it is read, in wire order.
import type { Account, Credentials } from '../core/credentials';
import { AuthError } from '../core/errors';
import { NtlmClientMechanism, NtlmServerMechanism, type SecurityMechanism, type Step } from '../ntlm/mechanism';
import type { NtlmClientOptions } from '../ntlm/client';
import type { NtlmServerOptions } from '../ntlm/server';
import { SpnegoClientMechanism } from '../spnego/client';
import { SpnegoServerMechanism } from '../spnego/server';
import { AUTH_LEVEL_NAMES, AUTH_TYPE_NAMES, RPC_C_AUTHN, RPC_C_AUTHN_LEVEL, type RpcAuthLevel, type RpcAuthType } from './constants';
import { protectPdu, unprotectPdu } from './protect';
import type { SecTrailer } from './pdu';

export interface RpcSecurityContext {
  readonly role: 'client' | 'server';
  /** auth_type of every sec_trailer: 9 (SPNEGO) or 10 (NTLMSSP). */
  readonly authType: RpcAuthType;
  /** auth_level of every sec_trailer: 2 (connect), 5 (packet integrity) or 6 (packet privacy). */
  readonly authLevel: RpcAuthLevel;
  /** auth_context_id of every sec_trailer. */
  readonly contextId: number;
  /** True once the handshake is complete on this side. */
  readonly established: boolean;
  /** Server role: the account the client proved, once established. */
  readonly peer: Account | undefined;
  /** The sec_trailer fields for this context (auth_pad_length is computed per PDU). */
  readonly trailer: Omit<SecTrailer, 'authPadLength'>;
  /**
   * One step of the handshake. Client: first call without a token (the bind's token), then with
   * each token the server returns. Server: call with each token the client sends. A returned
   * token goes to the peer; see README.md for which PDU carries it.
   */
  next(token?: Buffer): Step;
  /** Adds the verifier to an outgoing request/response fragment (signs or seals per authLevel). */
  protect(pdu: Buffer): Buffer;
  /** Checks and strips the verifier of an incoming request/response fragment. */
  unprotect(pdu: Buffer): Buffer;
  /** protect() for a context at packet integrity. */
  sign(pdu: Buffer): Buffer;
  /** protect() for a context at packet privacy. */
  seal(pdu: Buffer): Buffer;
  /** unprotect() for a context at packet integrity. */
  verify(pdu: Buffer): Buffer;
  /** unprotect() for a context at packet privacy. */
  unseal(pdu: Buffer): Buffer;
}

/** Test hooks and names passed through to the NTLM roles. */
type ClientExtras = Pick<NtlmClientOptions, 'workstation' | 'targetName' | 'channelBindings' | 'version' | 'random' | 'now'>;
type ServerExtras = Pick<
  NtlmServerOptions,
  'nbComputerName' | 'nbDomainName' | 'dnsComputerName' | 'dnsDomainName' | 'version' | 'maxLifetimeMs' | 'random' | 'now'
>;

export interface ClientContextOptions extends ClientExtras {
  authType: RpcAuthType;
  authLevel: RpcAuthLevel;
  /** auth_context_id; default 0. */
  contextId?: number;
  credentials: Credentials;
}

export interface ServerContextOptions extends ServerExtras {
  /** The sec_trailer of the client's bind (or alter_context) that opened this context. */
  trailer: Pick<SecTrailer, 'authType' | 'authLevel' | 'authContextId'>;
  /** The account that may log on. */
  account: Credentials;
  /** Further accounts that may log on. */
  accounts?: readonly Credentials[];
  /** Refuse a bind below this level (MS-CMRP version 3 servers require packet privacy). Default connect. */
  minimumAuthLevel?: RpcAuthLevel;
}

function checkType(authType: number, where: string): RpcAuthType {
  if (authType !== RPC_C_AUTHN.GSS_NEGOTIATE && authType !== RPC_C_AUTHN.WINNT) {
    throw new AuthError('policy', where, `auth_type ${authType} (${AUTH_TYPE_NAMES[authType] ?? 'unknown'}) is not supported: only SPNEGO (9) and NTLMSSP (10)`);
  }
  return authType;
}

function checkLevel(authLevel: number, where: string): RpcAuthLevel {
  if (authLevel !== RPC_C_AUTHN_LEVEL.CONNECT && authLevel !== RPC_C_AUTHN_LEVEL.PKT_INTEGRITY && authLevel !== RPC_C_AUTHN_LEVEL.PKT_PRIVACY) {
    throw new AuthError('policy', where, `auth_level ${authLevel} (${AUTH_LEVEL_NAMES[authLevel] ?? 'unknown'}) is not supported: only connect (2), integrity (5), privacy (6)`);
  }
  return authLevel;
}

class Context implements RpcSecurityContext {
  constructor(
    readonly role: 'client' | 'server',
    readonly authType: RpcAuthType,
    readonly authLevel: RpcAuthLevel,
    readonly contextId: number,
    private readonly mech: SecurityMechanism,
  ) {}

  private done = false;

  get established(): boolean {
    return this.done;
  }
  get peer(): Account | undefined {
    return this.mech.peer;
  }
  get trailer(): Omit<SecTrailer, 'authPadLength'> {
    return { authType: this.authType, authLevel: this.authLevel, authContextId: this.contextId };
  }

  next(token?: Buffer): Step {
    if (this.done) throw new AuthError('state', `RPC ${this.role} security context`, 'next() after the handshake finished');
    const step = this.mech.next(token);
    this.done = step.done;
    return step;
  }

  private session(what: string) {
    const s = this.mech.session;
    if (!this.done || !s) throw new AuthError('state', `RPC ${this.role} security context`, `${what} before the handshake finished`);
    return s;
  }
  private get params() {
    return { authType: this.authType, authLevel: this.authLevel, contextId: this.contextId };
  }

  protect(pdu: Buffer): Buffer {
    return protectPdu(this.session('protect()'), pdu, this.params);
  }
  unprotect(pdu: Buffer): Buffer {
    return unprotectPdu(this.session('unprotect()'), pdu, this.params);
  }
  private atLevel(level: number, op: string): void {
    if (this.authLevel !== level) throw new AuthError('state', `RPC ${this.role} security context`, `${op}() on a context at level ${AUTH_LEVEL_NAMES[this.authLevel]}`);
  }
  sign(pdu: Buffer): Buffer {
    this.atLevel(RPC_C_AUTHN_LEVEL.PKT_INTEGRITY, 'sign');
    return this.protect(pdu);
  }
  seal(pdu: Buffer): Buffer {
    this.atLevel(RPC_C_AUTHN_LEVEL.PKT_PRIVACY, 'seal');
    return this.protect(pdu);
  }
  verify(pdu: Buffer): Buffer {
    this.atLevel(RPC_C_AUTHN_LEVEL.PKT_INTEGRITY, 'verify');
    return this.unprotect(pdu);
  }
  unseal(pdu: Buffer): Buffer {
    this.atLevel(RPC_C_AUTHN_LEVEL.PKT_PRIVACY, 'unseal');
    return this.unprotect(pdu);
  }
}

export function createClientSecurityContext(o: ClientContextOptions): RpcSecurityContext {
  const where = 'RPC client security context';
  const authType = checkType(o.authType, where);
  const authLevel = checkLevel(o.authLevel, where);
  const ntlm: NtlmClientOptions = {
    credentials: o.credentials,
    integrity: authLevel >= RPC_C_AUTHN_LEVEL.PKT_INTEGRITY,
    confidentiality: authLevel === RPC_C_AUTHN_LEVEL.PKT_PRIVACY,
    workstation: o.workstation,
    targetName: o.targetName,
    channelBindings: o.channelBindings,
    version: o.version,
    random: o.random,
    now: o.now,
  };
  const mech = authType === RPC_C_AUTHN.GSS_NEGOTIATE ? new SpnegoClientMechanism(ntlm) : new NtlmClientMechanism(ntlm);
  return new Context('client', authType, authLevel, o.contextId ?? 0, mech);
}

/**
 * The server's context for a bind that carries an auth verifier. Throws AuthError('policy') for
 * an auth type other than SPNEGO/NTLMSSP (Kerberos included) or a level it does not serve.
 */
export function createServerSecurityContext(o: ServerContextOptions): RpcSecurityContext {
  const where = 'RPC server security context';
  const authType = checkType(o.trailer.authType, where);
  const authLevel = checkLevel(o.trailer.authLevel, where);
  const minimum = o.minimumAuthLevel ?? RPC_C_AUTHN_LEVEL.CONNECT;
  if (authLevel < minimum) {
    throw new AuthError('policy', where, `auth_level ${AUTH_LEVEL_NAMES[authLevel]} is below the required ${AUTH_LEVEL_NAMES[minimum]}`);
  }
  const ntlm: NtlmServerOptions = {
    account: o.account,
    ...(o.accounts ? { accounts: o.accounts } : {}),
    integrity: authLevel >= RPC_C_AUTHN_LEVEL.PKT_INTEGRITY,
    confidentiality: authLevel === RPC_C_AUTHN_LEVEL.PKT_PRIVACY,
    nbComputerName: o.nbComputerName,
    nbDomainName: o.nbDomainName,
    dnsComputerName: o.dnsComputerName,
    dnsDomainName: o.dnsDomainName,
    version: o.version,
    maxLifetimeMs: o.maxLifetimeMs,
    random: o.random,
    now: o.now,
  };
  const mech = authType === RPC_C_AUTHN.GSS_NEGOTIATE ? new SpnegoServerMechanism(ntlm) : new NtlmServerMechanism(ntlm);
  return new Context('server', authType, authLevel, o.trailer.authContextId, mech);
}
