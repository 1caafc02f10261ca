// Role discovery without a profile, in-band: ApiCreateEnum lists the server's nodes, groups, resources
// and networks; Get*State says which group holds each resource and which node owns each group;
// ApiGetQuorumResource says which group is the core one (never changed by the suite). From that picture the
// roles are chosen by the same rules as for a known cluster (derive.ts). What the calls cannot tell is
// left unbound, so its clauses are NOT-TESTED with the reason:
// - the connected node and the cluster's name come from ApiGetClusterName (without it: the first node
//   listed stands for the connected one, and the cluster role is unbound);
// - the net interfaces' places come from ApiGetNetInterface for every node and network;
// - the resource type role: the type of the resource role, as ApiResourceControl's
//   CLUSCTL_RESOURCE_GET_RESOURCE_TYPE returns it (unbound, saying so, where the server does not answer it);
// - registry keys: the suite creates keys of its own under the root (the key, subkey and key2 roles) with
//   ApiCreateKey, the only keys it may write to; they carry the suite's prefix.
import { TargetError, type ClusapiConnection, type Handle, type Reply } from '../../cmrp/contract';
import { CLUSCTL_FUNCTION, ERROR, clusctl } from '../../cmrp/constants';
import type { ClusterData } from '../../reference';
import { profileFromCluster } from './derive';
import type { Role } from './roles';

/** CLUSTER_ENUM_* bits of ApiCreateEnum's dwType (2.2.2.x). */
const ENUM = { NODE: 0x1, RESOURCE: 0x4, GROUP: 0x8, NETWORK: 0x10, NETINTERFACE: 0x20 } as const;
/** KEY_ALL_ACCESS: discovery creates the suite's own keys. */
const KEY_ALL_ACCESS = 0xf003f;

/** The keys discovery creates for the registry roles: the suite's own, under the root. */
export const OWN_KEYS = { key: 'cmrp-conformance-key', subkey: 'cmrp-conformance-key\\sub', key2: 'cmrp-conformance-key2' } as const;

export interface Discovered {
  roles: Partial<Record<Role, string>>;
  /** Roles left unbound, each with its reason. */
  unbound: Partial<Record<Role, string>>;
}

/** Whether the connection can enumerate: the target serves the management methods. */
export function canEnumerate(connection: ClusapiConnection): boolean {
  return typeof connection.ApiCreateEnum === 'function';
}

export async function discoverByEnumeration(c: ClusapiConnection, callMs: number): Promise<Discovered> {
  const call = async <T extends object>(what: string, p: Promise<Reply<T>> | undefined): Promise<(T & { status: number }) | undefined> => {
    if (!p) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), callMs)));
    try {
      const reply = await Promise.race([p, late]);
      if (reply === undefined) throw new TargetError(`role discovery: ${what}`, 'timeout', `no answer within ${callMs} ms (if the target is only slow, give it more time with --timeout-multiplier)`);
      return reply.fault === undefined && reply.status === ERROR.SUCCESS ? (reply as T & { status: number }) : undefined;
    } finally {
      clearTimeout(timer);
    }
  };
  const names = async (type: number): Promise<string[]> => ((await call('ApiCreateEnum', c.ApiCreateEnum!(type)))?.ReturnEnum ?? []).filter((e) => e.Type === type).map((e) => e.Name);
  const identity = await call('ApiGetClusterName', c.ApiGetClusterName?.());
  const listed = await names(ENUM.NODE);
  // The connected node first: derive.ts binds @node to the first node.
  const connected = listed.find((n) => identity && n.toLowerCase() === identity.NodeName.toLowerCase());
  const nodes = connected ? [connected, ...listed.filter((n) => n !== connected)] : listed;
  const groups: ClusterData['groups'] = [];
  for (const name of await names(ENUM.GROUP)) {
    const opened = await call('ApiOpenGroup', c.ApiOpenGroup(name));
    if (!opened) continue;
    const state = await call('ApiGetGroupState', c.ApiGetGroupState(opened.hGroup));
    await call('ApiCloseGroup', c.ApiCloseGroup(opened.hGroup));
    groups.push({ name, state: 'Online', node: state?.NodeName ?? '' });
  }
  const resources: ClusterData['resources'] = [];
  for (const name of await names(ENUM.RESOURCE)) {
    const opened = await call('ApiOpenResource', c.ApiOpenResource(name));
    if (!opened) continue;
    const state = await call('ApiGetResourceState', c.ApiGetResourceState(opened.hResource));
    await call('ApiCloseResource', c.ApiCloseResource(opened.hResource));
    if (state?.GroupName) resources.push({ name, state: 'Online', group: state.GroupName, resourceType: '' });
  }
  const networks = (await names(ENUM.NETWORK)).map((name) => ({ name, state: 'Up' as const }));
  const netInterfaces: ClusterData['netInterfaces'] = [];
  for (const node of nodes) {
    for (const { name: network } of networks) {
      const nic = await call('ApiGetNetInterface', c.ApiGetNetInterface?.(node, network));
      if (nic?.lppszInterfaceName) netInterfaces.push({ name: nic.lppszInterfaceName, state: 'Up', node, network });
    }
  }
  const quorum = await call('ApiGetQuorumResource', c.ApiGetQuorumResource?.());
  const unbound: Partial<Record<Role, string>> = {};
  const keys = await ownKeys(c, call);
  if (!keys) for (const role of ['key', 'subkey', 'key2'] as const) unbound[role] = 'the suite could not create its own keys under the root (ApiCreateKey refused)';
  const data: ClusterData = {
    name: identity?.ClusterName ?? '',
    quorumResource: quorum?.lpszResourceName ?? '',
    nodes: nodes.map((name) => ({ name, state: 'Up' as const })),
    resourceTypes: [],
    groups,
    resources,
    networks,
    netInterfaces,
    registry: keys ? [{ path: OWN_KEYS.key, values: {} }, { path: OWN_KEYS.subkey, values: {} }, { path: OWN_KEYS.key2, values: {} }] : [],
  };
  if (!nodes.length) return { roles: {}, unbound };
  const roles = profileFromCluster(data).roles;
  // derive.ts binds what a cluster file knows; here some of it is unknown, not empty: the resource's type is asked.
  delete roles.resourceType;
  const type = roles.resource === undefined ? undefined : await resourceTypeOf(c, roles.resource, call);
  if (type) roles.resourceType = type;
  else unbound.resourceType = roles.resource === undefined ? 'the resource role is unbound' : `ApiResourceControl did not return the type of '${roles.resource}' (CLUSCTL_RESOURCE_GET_RESOURCE_TYPE)`;
  if (!identity) {
    delete roles.cluster;
    unbound.cluster = 'ApiGetClusterName did not answer';
  }
  if (roles.network === undefined) unbound.network = 'ApiGetNetInterface named no interface of node2';
  for (const role of ['netInterface', 'netInterface2'] as const) if (roles[role] === undefined) unbound[role] = 'ApiGetNetInterface named no interface for it';
  if (!quorum) for (const role of ['group', 'group2', 'resource', 'resource2'] as const) if (roles[role] === undefined) unbound[role] = 'ApiGetQuorumResource did not answer, so the core group is unknown';
  return { roles, unbound };
}

async function resourceTypeOf(
  c: ClusapiConnection,
  resource: string,
  call: <T extends object>(what: string, p: Promise<Reply<T>> | undefined) => Promise<(T & { status: number }) | undefined>,
): Promise<string | undefined> {
  if (typeof c.ApiResourceControl !== 'function') return undefined;
  const opened = await call('ApiOpenResource', c.ApiOpenResource(resource));
  if (!opened) return undefined;
  try {
    // A type name is a few hundred bytes at most: one call with room to spare (ERROR_MORE_DATA leaves it unbound).
    const reply = await call('ApiResourceControl', c.ApiResourceControl(opened.hResource, clusctl('resource', CLUSCTL_FUNCTION.GET_RESOURCE_TYPE), null, 0, 4096));
    if (!reply) return undefined;
    const text = Buffer.from(reply.lpOutBuffer.slice(0, reply.lpBytesReturned * 2), 'hex').toString('utf16le').replace(/\0+$/, '');
    return text || undefined;
  } finally {
    await call('ApiCloseResource', c.ApiCloseResource(opened.hResource));
  }
}

/** Creates (or opens) the suite's own keys; false when the server refuses. */
async function ownKeys(
  c: ClusapiConnection,
  call: <T extends object>(what: string, p: Promise<Reply<T>> | undefined) => Promise<(T & { status: number }) | undefined>,
): Promise<boolean> {
  if (typeof c.ApiCreateKey !== 'function') return false;
  const root = await call('ApiGetRootKey', c.ApiGetRootKey(KEY_ALL_ACCESS));
  if (!root) return false;
  let ok = true;
  for (const path of [OWN_KEYS.key, OWN_KEYS.subkey, OWN_KEYS.key2]) {
    const made = await call('ApiCreateKey', c.ApiCreateKey(root.hKey, path, 0, KEY_ALL_ACCESS, null));
    if (made) await call('ApiCloseKey', c.ApiCloseKey(made.phKey as Handle));
    else ok = false;
  }
  await call('ApiCloseKey', c.ApiCloseKey(root.hKey));
  return ok;
}
