// Test helpers: minimal DCE/RPC PDUs built by hand (the PDU layer is another module's job) and a
// handshake driver that moves tokens between a client and a server context the way bind,
// bind_ack, alter_context(_resp) and auth3 carry them.
import {
  type RpcAuthLevel,
  type RpcAuthType,
  type RpcSecurityContext,
  createClientSecurityContext,
  createServerSecurityContext,
  credentials,
  type ServerContextOptions,
  type ClientContextOptions,
} from '../../../wire/auth';

export const SAMPLE_PASSWORD = 'S4mple-Pa55w0rd!';
export const ACCOUNT = { domain: 'CLUSTER', user: 'tester' };

function header(ptype: number, flags: number, callId: number, length: number, littleEndian = true): Buffer {
  const h = Buffer.alloc(16);
  h[0] = 5;
  h[1] = 0;
  h[2] = ptype;
  h[3] = flags;
  h[4] = littleEndian ? 0x10 : 0x00;
  if (littleEndian) {
    h.writeUInt16LE(length, 8);
    h.writeUInt32LE(callId, 12);
  } else {
    h.writeUInt16BE(length, 8);
    h.writeUInt32BE(callId, 12);
  }
  return h;
}

export function requestPdu(stub: Buffer, o: { callId?: number; opnum?: number; object?: Buffer; littleEndian?: boolean } = {}): Buffer {
  const le = o.littleEndian ?? true;
  const fixed = Buffer.alloc(8);
  if (le) {
    fixed.writeUInt32LE(stub.length, 0);
    fixed.writeUInt16LE(o.opnum ?? 65, 6);
  } else {
    fixed.writeUInt32BE(stub.length, 0);
    fixed.writeUInt16BE(o.opnum ?? 65, 6);
  }
  const parts = [fixed, ...(o.object ? [o.object] : []), stub];
  const length = 16 + parts.reduce((n, p) => n + p.length, 0);
  return Buffer.concat([header(0, 0x03 | (o.object ? 0x80 : 0), o.callId ?? 1, length, le), ...parts]);
}

export function responsePdu(stub: Buffer, callId = 1): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt32LE(stub.length, 0);
  return Buffer.concat([header(2, 0x03, callId, 24 + stub.length), fixed, stub]);
}

/** A bind PDU body stand-in: 56 bytes as with one presentation context. */
export function bindPdu(ptype = 11, callId = 1): Buffer {
  return Buffer.concat([header(ptype, 0x03, callId, 16 + 56), Buffer.alloc(56, 0x11)]);
}

export function clientContext(authType: RpcAuthType, authLevel: RpcAuthLevel, extra: Partial<ClientContextOptions> = {}): RpcSecurityContext {
  return createClientSecurityContext({
    authType,
    authLevel,
    contextId: 7,
    credentials: credentials(ACCOUNT, SAMPLE_PASSWORD),
    workstation: 'WS1',
    ...extra,
  });
}

export interface Handshake {
  client: RpcSecurityContext;
  server: RpcSecurityContext;
  /** PDU kinds used, e.g. ['bind', 'bind_ack', 'auth3']. */
  legs: string[];
}

/** Runs the handshake as the PDU layer would; throws what either side throws. */
export function handshake(client: RpcSecurityContext, server: Partial<ServerContextOptions> = {}, password = SAMPLE_PASSWORD): Handshake {
  const legs: string[] = [];
  let step = client.next();
  legs.push('bind');
  const srv = createServerSecurityContext({
    trailer: { authType: client.authType, authLevel: client.authLevel, authContextId: client.contextId },
    account: credentials(ACCOUNT, password),
    ...server,
  });
  let reply = srv.next(step.token);
  legs.push('bind_ack');
  for (let i = 0; i < 4 && !client.established; i++) {
    step = client.next(reply.token);
    if (!step.token) break;
    if (step.done) {
      legs.push('auth3');
      reply = srv.next(step.token);
      break;
    }
    legs.push('alter_context');
    reply = srv.next(step.token);
    legs.push('alter_context_resp');
  }
  return { client, server: srv, legs };
}
