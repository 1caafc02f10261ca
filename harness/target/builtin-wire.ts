// The wire face of `builtin` (the default; `builtin:wire` is its older name, `builtin:inproc` the opt-out
// that serves none): the builtin reference judged with its own wire face as well. The reference IS the
// suite's server, wire stack included (reference/serve: DCE/RPC over TCP, NTLM and SPNEGO, the context
// handle table), so the clauses only a binding with an RPC runtime can observe (rpc_status, context
// handles, the transport and authentication rules of 2.1 and 3.1.3) are judged against it instead of
// being left NOT-TESTED. Only what needs the wire pays for it: the sequences marked rpcRuntime and the
// transport checks reach the reference served by the suite file's own process on 127.0.0.1 (port 0),
// every node of its cluster at an endpoint of its own, at packet privacy (SPNEGO(NTLM)); everything else
// runs in process exactly as `builtin:inproc` does. A run whose selection holds no such check serves nothing.
//
// The accounts are made up by the process for that one server: fixed, descriptive names (they are no
// secret), and passwords drawn at random that never leave the process's memory (no environment variable,
// no file, no report, trace or replay: a replay names the builtin spec, which serves a new face).
import { randomBytes } from 'node:crypto';
import type { Target } from '../../cmrp/contract';
import { UsageError } from '../../cmrp/errors';
import { inProcessOptions, parseBuiltinSpec } from './builtin-spec';
import { DEFAULT_CLUSTER, loadClusterFile, type ClusterData } from '../../reference';
import { isWireMutant } from '../../reference/mutants/wire';
import { serveCluster } from '../../reference/serve/served-cluster';
import { RPC_C_AUTHN, RPC_C_AUTHN_LEVEL, Secret, credentials, type Credentials } from '../../wire/auth';
import { createBuiltinTarget } from './builtin';
import { createDcerpcTarget, type DcerpcAuth } from './dcerpc';
import { withInbandStimuli } from '../stimulus/inband';
import { defaultTimeouts } from '../session/session';

/** The wire face of one builtin server, as a client reaches it. */
export interface WireFace {
  /** The dcerpc target at the first node's endpoint (the others reached by node name), with the served control verbs. */
  target: Target;
  /**
   * What a `dcerpc:` run against this face would say (for the transport checks): the address, the two
   * accounts, their passwords in an environment of this object's own (never process.env), and the port
   * of the face's endpoint mapper (a server's is on 135: this one is wherever was free).
   */
  reach: { target: string; user: string; readUser: string; env: Record<string, string>; epmPort: number };
  close(): Promise<void>;
}

export interface WireFaceOptions {
  timeoutMultiplier?: number;
  /** Tests give their own passwords to search reports for; a run draws them at random. */
  passwords?: { full: Secret; read: Secret };
  /** Where the served endpoints' own log lines go (default: dropped: they can name the accounts, never a password). */
  log?: (line: string) => void;
  /**
   * The run's --stimuli: with `inband` the face's stimuli too come through MS-CMRP's management methods
   * (harness/stimulus/inband.ts), as the in-process face's do; otherwise from the served cluster's control.
   */
  stimuli?: string;
}

/** Serves a fresh reference of `spec` (a builtin spec other than builtin:inproc) on 127.0.0.1 and connects the dcerpc target to it. */
export async function startWireFace(spec: string, options: WireFaceOptions = {}): Promise<WireFace> {
  const parsed = parseBuiltinSpec(spec);
  if (!parsed?.wire) throw new UsageError(`--target ${spec}: builtin:inproc has no wire face`);
  let cluster: ClusterData = DEFAULT_CLUSTER;
  if (parsed.cluster !== undefined) {
    try {
      cluster = loadClusterFile(parsed.cluster);
    } catch (error) {
      throw new UsageError(`--target ${spec}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const reference = createBuiltinTarget({ ...inProcessOptions(parsed), ...(parsed.cluster !== undefined ? { cluster } : {}) });
  const domain = cluster.name.toUpperCase();
  const full = credentials({ domain, user: 'builtin-wire' }, options.passwords?.full ?? randomSecret());
  const read = credentials({ domain, user: 'builtin-wire-read' }, options.passwords?.read ?? randomSecret());
  let served;
  try {
    served = await serveCluster(reference, {
      cluster,
      account: full,
      readAccount: read,
      endpointMapper: true,
      ...(isWireMutant(parsed.mutant) ? { wireMutant: parsed.mutant } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  } catch (error) {
    await reference.dispose();
    throw error;
  }
  const [first, ...others] = served.endpoints;
  const host = first!.host;
  const address = `dcerpc:${host}:${first!.port}`;
  let target: Target;
  try {
    target = await createDcerpcTarget(address, { host, port: first!.port }, {
      timeoutMultiplier: options.timeoutMultiplier,
      auth: privacy(full),
      readAuth: privacy(read),
      nodeEndpoints: others.map((e) => ({ host: e.host, port: e.port })),
      // The face serves the reference's own versions and ports: no start-up probe of a server it started.
      known: { protocolVersions: reference.capabilities.protocolVersions, notifyV2: reference.capabilities.notifyV2 },
      ...(served.served.control ? { control: served.served.control } : {}),
    });
  } catch (error) {
    await served.close();
    await reference.dispose();
    throw error;
  }
  const name = (c: Credentials) => `${c.domain}\\${c.user}`;
  const inband = options.stimuli === 'inband';
  if (inband) {
    const dcerpc = target;
    target = withInbandStimuli({ ...dcerpc, control: undefined, connect: (o) => dcerpc.connect(o), dispose: () => dcerpc.dispose() }, { protocolVersion: 3, callMs: defaultTimeouts(options.timeoutMultiplier ?? 1).callMs });
  }
  return {
    target: { ...target, description: `${spec}: its wire face (ncacn_ip_tcp ${host}:${first!.port}${others.length ? ` and ${others.length} more node endpoint${others.length > 1 ? 's' : ''}` : ''}, SPNEGO(NTLM) at packet privacy)${inband ? '; stimuli in-band through MS-CMRP' : ''}` },
    reach: { target: address, user: name(full), readUser: name(read), env: { CMRP_PASSWORD: full.password.reveal(), CMRP_READ_PASSWORD: read.password.reveal() }, epmPort: served.epmPort! },
    close: async () => {
      try {
        await target.dispose();
      } finally {
        await served.close();
        await reference.dispose();
      }
    },
  };
}

/** What a version 3.0 client must use ([MS-CMRP] 2.1): SPNEGO, falling back to NTLM by address, at packet privacy. */
function privacy(account: Credentials): DcerpcAuth {
  return { authType: RPC_C_AUTHN.GSS_NEGOTIATE, authLevel: RPC_C_AUTHN_LEVEL.PKT_PRIVACY, credentials: account };
}

function randomSecret(): Secret {
  return new Secret(randomBytes(24).toString('base64url'));
}
