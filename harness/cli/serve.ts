// `serve`: the reference server (or one of its mutants) behind the adapter protocol, on stdio or on a
// TCP port of 127.0.0.1, or on the wire as an MS-CMRP server over DCE/RPC. It is what `--target
// stdio:...`, `--target tcp:...` and `--target dcerpc:...` are checked against, and a working example
// of the serving end for adapter authors (docs/adapter-protocol.md).
import type { Readable, Writable } from 'node:stream';
import { DEFAULT_CLUSTER, loadClusterFile, type ClusterData } from '../../reference';
import { UsageError } from '../../cmrp/errors';
import { referenceIdentity } from '../../reference/serve/identity';
import { NodeListeners, servedClusterTarget } from '../../reference/serve/cluster-nodes';
import { ClusterSecurity } from '../../reference/serve/cluster-security';
import { isWireMutant } from '../../reference/mutants/wire';
import type { Credentials } from '../../wire/auth';
import { LOOPBACK, serveAdapter, type AdapterServer, type Listen } from '../../reference/serve/serve';
import { createBuiltinTarget } from '../target/builtin';
import type { Target } from '../../cmrp/contract';
import type { ServerLimits } from '../../wire/rpc/server/app';
import { parseArgs } from './args';
import type { CliDeps } from './deps';

// The wire server, its authentication and the target bindings are loaded only by `serve --listen
// dcerpc:`: an adapter on stdio or TCP (one process per suite file of a `--target stdio:` run) would
// otherwise spend most of its CPU loading them.
/* eslint-disable @typescript-eslint/no-require-imports */
const wireServer = () => require('../../reference/serve/dcerpc') as typeof import('../../reference/serve/dcerpc');
const wireAuth = () => require('../../wire/auth') as typeof import('../../wire/auth');
const dcerpcTarget = () => require('../target/dcerpc') as typeof import('../target/dcerpc');
const targets = () => require('../target/resolve') as typeof import('../target/resolve');
/* eslint-enable @typescript-eslint/no-require-imports */

export const SERVE_HELP = `Usage: cmrp-notify-conformance serve --listen stdio|tcp:127.0.0.1:PORT [--mutant NAME] [--cluster FILE]
       cmrp-notify-conformance serve --listen dcerpc:127.0.0.1:PORT --user DOMAIN\\NAME [--read-user DOMAIN\\NAME] [--control-listen tcp:127.0.0.1:PORT] [--mutant NAME] [--cluster FILE]
       cmrp-notify-conformance serve --listen dcerpc:127.0.0.1:PORT --auth none [--control-listen tcp:127.0.0.1:PORT] [--mutant NAME] [--cluster FILE]
       cmrp-notify-conformance serve --listen dcerpc:127.0.0.1:P1 --node NODE1 --listen dcerpc:127.0.0.1:P2 --node NODE2 ... (--user ...|--auth none) [...]

Serves the reference server over the adapter protocol (docs/adapter-protocol.md), or on the wire.
--listen is required (no default); every other flag defaults to off.
  --listen stdio              JSON-RPC lines on stdin/stdout; ends when stdin closes
  --listen tcp:127.0.0.1:PORT listens on the loopback only (PORT 0: any free port, printed on stdout);
                              each TCP connection gets its own fresh server; ends on SIGINT/SIGTERM
  --listen dcerpc:127.0.0.1:PORT
                              an MS-CMRP server over DCE/RPC (ncacn_ip_tcp, clusapi 2.0 and 3.0, NDR20)
                              on the loopback only; one cluster shared by every client; ends on
                              SIGINT/SIGTERM
  --user DOMAIN\\NAME          with dcerpc: the one account that may call, over NTLM or SPNEGO(NTLM);
                              its password comes from the CMRP_PASSWORD environment variable (there
                              is no --password flag). Version 3.0 calls below packet privacy, and
                              calls of clients that did not authenticate, are refused (fault 0x5)
                              (default none)
  --read-user DOMAIN\\NAME     with --user: a second account whose calls get the Read access level
                              of [MS-CMRP] 3.1.4 (what run --read-user takes); its password comes
                              from CMRP_READ_PASSWORD (default none: every account has All)
  --auth none                 with dcerpc, instead of --user: the server authenticates nobody
                              (default: it authenticates --user)
  --control-listen tcp:127.0.0.1:PORT
                              with dcerpc: the control verbs of the adapter protocol for that same
                              cluster (what run --control takes) (default none)
  --mutant NAME               serve a mutant instead (see the mutants command; the (wire) ones only
                              with dcerpc and --user) (default none: the reference itself)
  --idle-timeout SECONDS      with dcerpc: close a bound connection on which no call runs and nothing
                              came for this long (default 120; 0: never). A blocked ApiGetNotify is a
                              running call. Hostile-load limits: docs/cli.md, The wire

  --node NAME                 with dcerpc, once per --listen (in the same order): the node of the
                              cluster that endpoint is. Several --listen/--node pairs serve several
                              active nodes of ONE cluster, each on its own port; ApiGetClusterName
                              names the node of the endpoint, and the control verbs NodeDown/NodeUp
                              close and reopen that endpoint as a lost node's (default: one endpoint,
                              the cluster's first node)
  --cluster FILE              start from the cluster in FILE (docs/cluster.schema.json; e.g.
                              examples/clusters/other-names.json), which Reset returns to; the
                              served node is its first node (default: examples/clusters/default.json)`;

// What the served reference says of itself: shared with the builtin target's wire face.
export { REFERENCE_IDENTITY, referenceIdentity } from '../../reference/serve/identity';

/** The cluster of --cluster FILE (a usage error naming the file and place when it is broken), or the default. */
function servedCluster(file: string | undefined): { cluster?: ClusterData; clusterFile?: string } {
  if (file === undefined) return {};
  try {
    return { cluster: loadClusterFile(file), clusterFile: file };
  } catch (error) {
    throw new UsageError(`--cluster ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** What serve needs of the process beyond CliDeps: the streams it serves and a way to learn it must stop. */
export interface ServeIo {
  stdin: Readable;
  stdout: Writable;
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM). */
  stopped: () => Promise<void>;
}

function processIo(): ServeIo {
  // Listen for the signals at once: a stop asked for while the listeners are still starting must end the
  // server cleanly, not kill the process with the signal's default action.
  const stop = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  return { stdin: process.stdin, stdout: process.stdout, stopped: () => stop };
}

export type ServeListen = Listen | { dcerpc: true; host: string; port: number };

export function parseListen(text: string, flag = '--listen'): ServeListen {
  if (text === 'stdio') return 'stdio';
  const m = /^(tcp|dcerpc):([^:]+):(\d{1,5})$/.exec(text);
  if (!m) throw new UsageError(`${flag} '${text}': expected stdio, tcp:${LOOPBACK}:PORT or dcerpc:${LOOPBACK}:PORT`);
  if (m[2] !== LOOPBACK) throw new UsageError(`${flag} '${text}': serve binds only to ${LOOPBACK} (a test server: its account and its mutants are not for other hosts)`);
  const port = Number(m[3]);
  if (port > 65535) throw new UsageError(`${flag} '${text}': port must be 0..65535`);
  return m[1] === 'dcerpc' ? { dcerpc: true, host: LOOPBACK, port } : { host: LOOPBACK, port };
}

function bindProblem(error: unknown, flag: string, text: string): UsageError {
  const e = error as NodeJS.ErrnoException;
  return new UsageError(`${flag} ${text}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`);
}

export async function serveCommand(argv: string[], deps: CliDeps, io: ServeIo = processIo()): Promise<number> {
  const { flags } = parseArgs('serve', argv, {
    listen: { kind: 'list', value: 'stdio|tcp:127.0.0.1:PORT|dcerpc:127.0.0.1:PORT' },
    node: { kind: 'list', value: 'NAME' },
    'control-listen': { kind: 'string', value: 'tcp:127.0.0.1:PORT' },
    auth: { kind: 'string', value: 'none' },
    user: { kind: 'string', value: 'DOMAIN\\NAME' },
    'read-user': { kind: 'string', value: 'DOMAIN\\NAME' },
    mutant: { kind: 'string', value: 'NAME' },
    cluster: { kind: 'string', value: 'FILE' },
    'idle-timeout': { kind: 'number', value: 'SECONDS', check: (v) => (Number(v) < 0 || Number(v) > 86_400 ? 'must be 0 (never) to 86400 seconds' : undefined) },
  });
  const listenTexts = (flags.listen as string[] | undefined) ?? [];
  if (!listenTexts.length) throw new UsageError('serve: --listen is required (stdio, tcp:127.0.0.1:PORT or dcerpc:127.0.0.1:PORT)');
  const listens = listenTexts.map((text) => parseListen(text));
  const listen = listens[0]!;
  const listenText = listenTexts[0]!;
  const nodeNames = (flags.node as string[] | undefined) ?? [];
  const mutant = flags.mutant as string | undefined;
  const served = servedCluster(flags.cluster as string | undefined);
  if (listens.length > 1 && !listens.every((l) => typeof l === 'object' && 'dcerpc' in l)) {
    throw new UsageError('serve: several --listen are the endpoints of several nodes: each must be dcerpc:127.0.0.1:PORT');
  }
  if (nodeNames.length && !(typeof listen === 'object' && 'dcerpc' in listen)) throw new UsageError('--node goes with --listen dcerpc:...');
  const auth = flags.auth as string | undefined;
  const user = flags.user as string | undefined;
  if (auth !== undefined && auth !== 'none') throw new UsageError(`--auth '${auth}': serve takes --auth none or --user DOMAIN\\NAME (which accepts NTLM and SPNEGO)`);
  const controlListen = flags['control-listen'] as string | undefined;
  if (typeof listen === 'object' && 'dcerpc' in listen) {
    if (auth !== undefined && user !== undefined) throw new UsageError('--auth none and --user exclude each other');
    if (auth === undefined && user === undefined) {
      throw new UsageError(`serve --listen dcerpc:...: --user DOMAIN\\NAME (password in ${targets().PASSWORD_ENV}) or --auth none is required`);
    }
    const account = user === undefined ? undefined : servedAccount(user, deps.env);
    const readUser = flags['read-user'] as string | undefined;
    if (readUser !== undefined && !account) throw new UsageError('--read-user goes with --user (a Read account beside the full one), not --auth none');
    const readAccount = readUser === undefined ? undefined : servedAccount(readUser, deps.env, '--read-user', targets().READ_PASSWORD_ENV);
    if (readAccount && account && readAccount.user.toUpperCase() === account.user.toUpperCase()) {
      throw new UsageError(`--read-user ${readUser}: the Read account needs a user name of its own (the server tells the accounts apart by it)`);
    }
    if (mutant === 'read-account-all' && !readAccount) throw new UsageError(`--mutant ${mutant} breaks a rule of access levels: serve it with --read-user`);
    if (isWireMutant(mutant) && !account) throw new UsageError(`--mutant ${mutant} breaks a rule of authentication: serve it with --user, not --auth none`);
    const idleSeconds = flags['idle-timeout'] as number | undefined;
    const limits = idleSeconds === undefined ? {} : { idleTimeoutMs: Math.round(idleSeconds * 1000) };
    const endpoints = servedNodes(listens as { dcerpc: true; port: number }[], listenTexts, nodeNames, served.cluster ?? DEFAULT_CLUSTER);
    return serveDcerpcCommand(endpoints, controlListen, mutant, served, account, deps, io, limits, readAccount);
  }
  if (flags['idle-timeout'] !== undefined) throw new UsageError('--idle-timeout goes with --listen dcerpc:...');
  if (user !== undefined || auth !== undefined) throw new UsageError(`--${user !== undefined ? 'user' : 'auth'} goes with --listen dcerpc:...`);
  if (flags['read-user'] !== undefined) throw new UsageError('--read-user goes with --listen dcerpc:...');
  if (isWireMutant(mutant)) throw new UsageError(`--mutant ${mutant} is a mutant of the wire: serve it with --listen dcerpc:...`);
  if (controlListen !== undefined) throw new UsageError('--control-listen goes with --listen dcerpc:... (the adapter protocol carries the control verbs itself)');
  const makeTarget = (): Target => {
    try {
      return createBuiltinTarget({ mutant, ...served });
    } catch (error) {
      throw new UsageError(`--mutant ${mutant}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  // Unknown mutant: a usage error now, not a failure in the first session.
  await makeTarget().dispose();
  const name = `cmrp-notify-conformance serve${mutant ? ` (mutant ${mutant})` : ''}${served.clusterFile ? ` (cluster ${served.clusterFile})` : ''}`;
  const log = (line: string) => deps.stderr.write(`serve: ${line}\n`);
  if (listen === 'stdio') {
    // stdout carries the protocol: nothing else may be written there.
    const server = await serveAdapter('stdio', makeTarget, { name, log, input: io.stdin, output: io.stdout });
    await server.closed;
    return 0;
  }
  let server;
  try {
    server = await serveAdapter(listen, makeTarget, { name, log });
  } catch (error) {
    throw bindProblem(error, '--listen', listenText);
  }
  deps.stdout.write(`listening on tcp:${server.address!.host}:${server.address!.port}\n`);
  await io.stopped();
  await server.close();
  return 0;
}

/** One served node: its endpoint and its name in the cluster. */
interface ServedNode {
  node: string;
  port: number;
  listenText: string;
}

/** Pairs each --listen with its --node (the cluster's first node when one --listen has none); names are checked against the cluster. */
function servedNodes(listens: { port: number }[], texts: string[], names: string[], cluster: ClusterData): ServedNode[] {
  if (names.length === 0 && listens.length > 1) throw new UsageError('serve: several --listen need a --node each, in the same order (which node of the cluster each endpoint is)');
  if (names.length && names.length !== listens.length) throw new UsageError(`serve: ${listens.length} --listen but ${names.length} --node: give one --node per --listen, in the same order`);
  const seen = new Set<string>();
  return listens.map((l, i) => {
    const asked = names[i];
    const node = asked === undefined ? cluster.nodes[0]! : cluster.nodes.find((n) => n.name.toLowerCase() === asked.toLowerCase());
    if (!node) throw new UsageError(`--node ${asked}: the cluster has no such node (its nodes: ${cluster.nodes.map((n) => n.name).join(', ')})`);
    if (seen.has(node.name.toLowerCase())) throw new UsageError(`--node ${asked}: given twice (one endpoint per node)`);
    seen.add(node.name.toLowerCase());
    return { node: node.name, port: l.port, listenText: texts[i]! };
  });
}

/**
 * The reference on the wire: one target (one cluster) for every association of every node's
 * endpoint, and optionally the adapter protocol on another port for its control verbs, so stimuli
 * reach the same cluster (and NodeDown/NodeUp the endpoints, SetClusterSecurity the descriptor).
 */
async function serveDcerpcCommand(
  nodes: ServedNode[],
  controlListen: string | undefined,
  mutant: string | undefined,
  served: { cluster?: ClusterData; clusterFile?: string },
  account: Credentials | undefined,
  deps: CliDeps,
  io: ServeIo,
  limits: Partial<ServerLimits>,
  readAccount?: Credentials,
): Promise<number> {
  const control = controlListen === undefined ? undefined : parseListen(controlListen, '--control-listen');
  if (control !== undefined && (typeof control !== 'object' || 'dcerpc' in control)) {
    throw new UsageError(`--control-listen '${controlListen}': expected tcp:${LOOPBACK}:PORT`);
  }
  const wireMutant = isWireMutant(mutant) ? mutant : undefined;
  let target: Target;
  try {
    target = createBuiltinTarget({ mutant: wireMutant ? undefined : mutant, ...served });
  } catch (error) {
    throw new UsageError(`--mutant ${mutant}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const name = `cmrp-notify-conformance serve${mutant ? ` (mutant ${mutant})` : ''}${served.clusterFile ? ` (cluster ${served.clusterFile})` : ''}`;
  const log = (line: string) => deps.stderr.write(`serve: ${line}\n`);
  let adapter: AdapterServer | undefined;
  const security = account ? new ClusterSecurity() : undefined;
  const identity = referenceIdentity(served.cluster);
  const heldReads = new (wireServer().HeldReads)();
  const listeners = new NodeListeners(nodes, (node, port) =>
    wireServer().serveDcerpc(target, {
      port, node, identity: { ...identity, nodeName: node }, log, limits, heldReads,
      ...(account ? { account } : {}), ...(readAccount ? { readAccount } : {}), ...(wireMutant ? { wireMutant } : {}), ...(security ? { security } : {}),
    }),
  );
  const wire = { close: () => listeners.close() };
  try {
    let where;
    try {
      where = await listeners.start();
    } catch (error) {
      const failed = nodes.find((n) => (error as { port?: number }).port === n.port) ?? nodes[0]!;
      throw bindProblem(error, '--listen', failed.listenText);
    }
    deps.stdout.write(`listening on dcerpc:${where[0]!.host}:${where[0]!.port}\n`);
    if (nodes.length > 1) for (const w of where) deps.stdout.write(`node ${w.node} on dcerpc:${w.host}:${w.port}\n`);
    log(account ? `accepting NTLM and SPNEGO(NTLM) for ${dcerpcTarget().accountName(account)}${readAccount ? ` (All) and ${dcerpcTarget().accountName(readAccount)} (Read)` : ''}${wireMutant ? ` (wire mutant ${wireMutant})` : ''}` : 'authenticating nobody (--auth none)');
    if (control) {
      try {
        adapter = await serveAdapter(control, servedClusterTarget(target, listeners, security, heldReads), { name: `${name} (control)`, log });
      } catch (error) {
        await wire.close();
        throw bindProblem(error, '--control-listen', controlListen!);
      }
      deps.stdout.write(`control on tcp:${adapter.address!.host}:${adapter.address!.port}\n`);
    }
    await io.stopped();
    await Promise.all([wire.close(), adapter?.close()]);
    return 0;
  } finally {
    await target.dispose();
  }
}

/** A served account from --user and CMRP_PASSWORD (or --read-user and CMRP_READ_PASSWORD); a missing password is a usage error naming the account, never a value. */
function servedAccount(user: string, env: Record<string, string | undefined>, flag = '--user', variable = targets().PASSWORD_ENV): Credentials {
  const { credentials, parseAccount, Secret } = wireAuth();
  let account;
  try {
    account = parseAccount(user);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
  const password = env[variable];
  if (!password) throw new UsageError(`${variable} is not set: the password of ${dcerpcTarget().accountName(account)} comes from that environment variable (there is no --password flag)`);
  return credentials(account, new Secret(password));
}
