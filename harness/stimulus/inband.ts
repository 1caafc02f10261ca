// In-band stimuli: the control verbs a sequence uses, caused through MS-CMRP's own management methods
// (ApiCreateGroup, ApiOfflineGroup, ApiPauseNode, ApiSetValue, ...) on a connection of the target's own,
// separate from the test's. It is a ClusterControl, so sequences, cleanup and the runner use it unchanged.
//
// Two limits it says out loud instead of hiding:
// - What MS-CMRP cannot cause (a node or network failure, lost events, the protocol server state, a
//   failover, objects other than groups and resources) it does not offer, or `cannot()` says why: the
//   clauses that need it are NOT-TESTED with that reason, never PASS.
// - The settled rule of cmrp/control.ts: a management call's return does not promise that its events are
//   queued (the spec gives no such ordering), so `unsettled` is set and no absence of an event is proven
//   after an in-band stimulus (harness/sequence/interpret.ts: INCONCLUSIVE, with the reason).
//
// `Reset` here is not the control adapter's rebuild of the whole cluster: it undoes what this binding did
// (deletes the objects and keys it created, moves resources back, restores the states it changed), so the
// next sequence starts from the cluster as it found it. Values it wrote stay written: without ApiQueryValue
// it cannot know what they were.
import { TargetError, type ClusapiConnection, type Handle, type Reply, type Target } from '../../cmrp/contract';
import { CLUSCTL_FUNCTION, CLUSCTL_OBJECT, ERROR, clusctl, type ProtocolVersion } from '../../cmrp/constants';
import type { ClusterControl, ControlVerb, ListedObject, Stimulus } from '../../cmrp/control';
import { OWN_PREFIX_ROOT } from '../profile/own';
import { OWN_KEYS } from '../profile/discover';
import { propertyListPayload, readPropertyList } from '../../wire/clusapi/payload';
import type { PropertyPolicy } from '../profile/properties';

/** Verbs MS-CMRP's management methods can cause. */
export const INBAND_VERBS: readonly ControlVerb[] = ['AddObject', 'DeleteObject', 'SetState', 'SetProperty', 'SetQuorum', 'MoveResource', 'RegistryCreateKey', 'RegistryDeleteKey', 'RegistrySetValue', 'RegistryDeleteValue', 'RegistrySetSecurity', 'Reset'];

export const UNSETTLED_REASON =
  'the stimulus was caused in-band, through MS-CMRP management methods, and MS-CMRP does not say that the events of a change are queued by the time the call that made it returns: no absence of an event can be proven after it (a control adapter, --control or --stimuli control, settles its stimuli)';

/** Win32 codes the binding reads. */
const ERROR_IO_PENDING = 997;
const ERROR_OBJECT_ALREADY_EXISTS = 0x1392;
/** KEY_ALL_ACCESS: the binding creates, writes and deletes keys. */
const KEY_ALL_ACCESS = 0xf003f;
const REG_SZ = 1;
const REG_DWORD = 4;

/** The state values of 2.2.3.x that a method sets, per object type, and the method. */
const STATE_METHODS = {
  group: { 0: 'ApiOnlineGroup', 1: 'ApiOfflineGroup' },
  resource: { 2: 'ApiOnlineResource', 3: 'ApiOfflineResource', 4: 'ApiFailResource' },
  node: { 0: 'ApiResumeNode', 2: 'ApiPauseNode' },
} as const;
type StatefulInband = keyof typeof STATE_METHODS;
/** The objects whose properties SetProperty sets through Api*Control. */
type PropertyTarget = keyof typeof CLUSCTL_OBJECT;
/** DACL_SECURITY_INFORMATION (MS-RRP 2.2.9): the part of a key's descriptor RegistrySetSecurity reads and writes back. */
const DACL_SECURITY_INFORMATION = 4;
/** The largest output buffer asked for after ERROR_MORE_DATA: a property list is small. */
const MAX_CONTROL_OUT = 1 << 20;

/** A stimulus the target refused or could not complete: the checks after it are not reached (INCONCLUSIVE), never FAIL. */
export class StimulusRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StimulusRefused';
  }
}

export interface InbandOptions {
  protocolVersion: ProtocolVersion;
  /** Each call's limit (the run's call timeout). */
  callMs: number;
  /** The resource type of resources it creates (the profile's resourceType role); default "Generic Service". */
  resourceType?: string;
  /**
   * Which properties of which objects SetProperty may set (./property-policy.ts); allowProperties
   * (harness/profile/resolve.ts) sets it from the run's role bindings. Default: only objects of the suite's own.
   */
  properties?: PropertyPolicy;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
/** A name of the suite's own (any run's: "cmrp-conf-<runid>-..."): what a leftover sweep may delete. */
const ownByName = (name: string) => name.toLowerCase().startsWith(OWN_PREFIX_ROOT);
/** CLUSTER_ENUM_* bits of ApiCreateEnum's dwType that ListObjects looks through: the objects MS-CMRP lets the suite create. */
const LISTED = [
  ['resource', 0x4],
  ['group', 0x8],
] as const;

export class InbandStimuli implements ClusterControl {
  readonly verbs: ReadonlySet<ControlVerb> = new Set(INBAND_VERBS);
  readonly unsettled = UNSETTLED_REASON;
  readonly resetUndoesOwnOnly = true;
  private connection: ClusapiConnection | undefined;
  /** Objects and keys this binding created and has not deleted, in creation order. */
  private readonly created: { type: 'group' | 'resource'; name: string }[] = [];
  private readonly createdKeys: string[] = [];
  /** Values this binding wrote ("path|name", lower case): the ones it may delete again. */
  private readonly written = new Set<string>();
  /** The state each object had before this binding first changed it. */
  private readonly originalStates = new Map<string, { type: StatefulInband; name: string; state: number }>();
  /** The group each resource was in before this binding first moved it. */
  private readonly originalGroups = new Map<string, { resource: string; group: string }>();
  /** The value each property had before this binding first set it (undefined: the server did not list it). */
  private readonly originalProperties = new Map<string, { objectType: PropertyTarget; name: string; property: string; value: string | number | undefined; set: string | number }>();
  private policy: PropertyPolicy | undefined;
  /** The quorum before this binding first changed it. */
  private originalQuorum: { resource: string; device: string; size: number } | undefined;

  constructor(
    private readonly target: Target,
    private readonly options: InbandOptions,
  ) {
    this.policy = options.properties;
  }

  /** The run's property policy (harness/profile/resolve.ts calls it once the roles are bound). */
  allowProperties(policy: PropertyPolicy): void {
    this.policy = policy;
  }

  cannot(stimulus: Stimulus, earlier: readonly Stimulus[]): string | undefined {
    switch (stimulus.verb) {
      case 'AddObject':
        if (stimulus.objectType !== 'group' && stimulus.objectType !== 'resource') return `MS-CMRP has no method that creates a ${stimulus.objectType}: only groups and resources are created in-band`;
        if (stimulus.objectType === 'resource' && stimulus.group === undefined) return 'an in-band resource is created in a named group (ApiCreateResource takes one)';
        return undefined;
      case 'DeleteObject': {
        if (stimulus.objectType !== 'group' && stimulus.objectType !== 'resource') return `MS-CMRP has no method the suite may use to delete a ${stimulus.objectType}`;
        const made = ownByName(stimulus.name) || earlier.some((s) => s.verb === 'AddObject' && s.objectType === stimulus.objectType && same(s.name, stimulus.name));
        return made ? undefined : `in-band, the suite deletes only objects of its own, not the ${stimulus.objectType} '${stimulus.name}'`;
      }
      case 'SetState': {
        const methods = (STATE_METHODS as Record<string, Record<number, string>>)[stimulus.objectType];
        if (!methods) return `MS-CMRP has no method that changes a ${stimulus.objectType}'s state (it takes a failure the protocol cannot cause)`;
        return methods[stimulus.state] ? undefined : `MS-CMRP has no method that puts a ${stimulus.objectType} in state ${stimulus.state}`;
      }
      case 'RegistryDeleteKey': {
        const made = ownByName(lastComponent(stimulus.path)) || earlier.some((s) => s.verb === 'RegistryCreateKey' && same(s.path, stimulus.path));
        return made ? undefined : `in-band, the suite deletes only keys of its own, not '${stimulus.path}'`;
      }
      case 'RegistryDeleteValue': {
        const made = ownByName(stimulus.valueName) || earlier.some((s) => s.verb === 'RegistrySetValue' && same(s.path, stimulus.path) && same(s.valueName, stimulus.valueName));
        return made ? undefined : `in-band, the suite deletes only values it wrote, not '${stimulus.valueName}' of '${stimulus.path}'`;
      }
      case 'SetProperty': {
        if (!(stimulus.objectType in CLUSCTL_OBJECT)) return `MS-CMRP's Api*Control has no property codes the suite uses for a ${stimulus.objectType}`;
        const own = ownByName(stimulus.name) || earlier.some((s) => s.verb === 'AddObject' && s.objectType === stimulus.objectType && same(s.name, stimulus.name));
        if (own && stimulus.objectType !== 'cluster') return undefined;
        return this.permitted(stimulus, `in-band, the suite sets properties only of objects of its own unless the profile allows it (docs/profiles.md, "properties"), not ${stimulus.property} of the ${stimulus.objectType} '${stimulus.name}'`);
      }
      case 'SetQuorum':
        return this.permitted(stimulus, 'in-band, the suite changes the quorum only where the profile allows it (docs/profiles.md)');
      case 'RegistrySetSecurity': {
        const mine = ownKey(stimulus.path) || earlier.some((s) => s.verb === 'RegistryCreateKey' && same(s.path, stimulus.path)) || this.createdKeys.some((k) => same(k, stimulus.path));
        if (mine) return undefined;
        return this.permitted(stimulus, `in-band, the suite sets the security only of keys of its own (it writes back the descriptor ApiGetKeySecurity read), not of '${stimulus.path}'`);
      }
      case 'MoveResource':
      case 'RegistryCreateKey':
      case 'RegistrySetValue':
      case 'Reset':
        return undefined;
      default:
        return `MS-CMRP cannot cause ${stimulus.verb}`;
    }
  }

  async apply(stimulus: Stimulus): Promise<void> {
    const made: Stimulus[] = this.created.map((o) => ({ verb: 'AddObject', objectType: o.type, name: o.name }));
    const why = stimulus.verb === 'DeleteObject' || stimulus.verb === 'RegistryDeleteKey' || stimulus.verb === 'RegistryDeleteValue' ? this.ownership(stimulus) : this.cannot(stimulus, made);
    if (why) throw new StimulusRefused(why);
    const c = await this.open();
    switch (stimulus.verb) {
      case 'AddObject':
        return this.addObject(c, stimulus);
      case 'DeleteObject':
        return this.deleteObject(c, stimulus);
      case 'SetState':
        return this.setState(c, stimulus.objectType as StatefulInband, stimulus.name, stimulus.state, true);
      case 'SetProperty':
        return this.setProperty(c, stimulus.objectType as PropertyTarget, stimulus.name, stimulus.property, stimulus.value, true);
      case 'MoveResource':
        return this.moveResource(c, stimulus.name, stimulus.group, true);
      case 'RegistryCreateKey':
        return this.createKey(c, stimulus.path);
      case 'RegistryDeleteKey':
        return this.deleteKey(c, stimulus.path);
      case 'RegistrySetValue':
        return this.setValue(c, stimulus.path, stimulus.valueName, stimulus.data);
      case 'RegistryDeleteValue':
        return this.deleteValue(c, stimulus.path, stimulus.valueName);
      case 'RegistrySetSecurity':
        return this.setSecurity(c, stimulus.path);
      case 'SetQuorum':
        return this.setQuorum(c, stimulus.resource, undefined);
      case 'Reset':
        return this.restore(c);
      default:
        throw new StimulusRefused(`MS-CMRP cannot cause ${stimulus.verb}`);
    }
  }

  /**
   * ListObjects in-band: the groups and resources ApiCreateEnum lists whose names start with `prefix`. The
   * table has no method that enumerates registry keys or values (ApiEnumKey, ApiEnumValue), so keys and
   * values of an earlier, killed run are not found this way (docs/stimuli.md): only what a run itself
   * created is deleted, after each sequence and at its end.
   */
  async listObjects(prefix: string): Promise<ListedObject[]> {
    const c = await this.open();
    const found: ListedObject[] = [];
    for (const [objectType, dwType] of LISTED) {
      const { ReturnEnum } = await this.must<{ ReturnEnum: { Type: number; Name: string }[] | null }>(c, 'ApiCreateEnum', [dwType]);
      for (const e of ReturnEnum ?? []) if (e.Type === dwType && e.Name.toLowerCase().startsWith(prefix.toLowerCase())) found.push({ objectType, name: e.Name });
    }
    return found;
  }

  /** Closes the binding's connection (the runner calls it when the target goes). */
  async dispose(): Promise<void> {
    const c = this.connection;
    this.connection = undefined;
    await c?.close();
  }

  /** Why the run's property policy refuses a change of an object not of the suite's own; with no policy yet (no roles bound), `ownOnly`. */
  private permitted(stimulus: Parameters<PropertyPolicy>[0], ownOnly: string): string | undefined {
    return this.policy ? this.policy(stimulus) : ownOnly;
  }

  /** At apply time, what `cannot` checks against the sequence: only what this binding created may go. */
  private ownership(stimulus: Extract<Stimulus, { verb: 'DeleteObject' | 'RegistryDeleteKey' | 'RegistryDeleteValue' }>): string | undefined {
    if (stimulus.verb === 'RegistryDeleteKey') {
      const mine = ownByName(lastComponent(stimulus.path)) || this.createdKeys.some((k) => same(k, stimulus.path));
      return mine ? undefined : `in-band, the suite deletes only keys of its own, not '${stimulus.path}'`;
    }
    if (stimulus.verb === 'RegistryDeleteValue') {
      const mine = ownByName(stimulus.valueName) || this.written.has(valueKey(stimulus.path, stimulus.valueName));
      return mine ? undefined : `in-band, the suite deletes only values it wrote, not '${stimulus.valueName}' of '${stimulus.path}'`;
    }
    const basic = this.cannot(stimulus, [{ verb: 'AddObject', objectType: stimulus.objectType, name: stimulus.name }]);
    if (basic) return basic;
    // Its own by name: a leftover of an earlier run (cmrp-conf-<runid>-...), or one this binding made.
    const mine = ownByName(stimulus.name) || this.created.some((o) => o.type === stimulus.objectType && same(o.name, stimulus.name));
    return mine ? undefined : `in-band, the suite deletes only objects of its own, not the ${stimulus.objectType} '${stimulus.name}'`;
  }

  private async open(): Promise<ClusapiConnection> {
    if (!this.connection) this.connection = await this.target.connect({ protocolVersion: this.options.protocolVersion, accessLevel: 'full' });
    return this.connection;
  }

  /** One management call within the call timeout; a method the target lacks is a refusal, a hang an ERROR. */
  private async call<T extends object>(c: ClusapiConnection, method: string, args: unknown[]): Promise<Reply<T>> {
    const fn = (c as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function') throw new StimulusRefused(`the target does not offer ${method}, which the in-band stimulus needs`);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.options.callMs)));
    try {
      const reply = await Promise.race([(fn as (...a: unknown[]) => Promise<Reply<T>>).apply(c, args), late]);
      if (reply === undefined) throw new TargetError(`in-band stimulus ${method}`, 'timeout', `no answer within ${this.options.callMs} ms`);
      return reply;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A call that must succeed (ERROR_IO_PENDING too, where `pending`): anything else refuses the stimulus. */
  private async must<T extends object>(c: ClusapiConnection, method: string, args: unknown[], pending = false): Promise<T & { status: number }> {
    const reply = await this.call<T>(c, method, args);
    if (reply.fault !== undefined) throw new StimulusRefused(`${method} failed with RPC fault 0x${reply.fault.toString(16)}`);
    if (reply.status !== ERROR.SUCCESS && !(pending && reply.status === ERROR_IO_PENDING)) throw new StimulusRefused(`${method} returned status 0x${reply.status.toString(16)}`);
    return reply as T & { status: number };
  }

  /** Runs `body` with an open handle of the object, closing it after. */
  private async withObject<R>(c: ClusapiConnection, type: 'node' | 'group' | 'resource', name: string, body: (h: Handle) => Promise<R>): Promise<R> {
    const open = { node: ['ApiOpenNode', 'hNode', 'ApiCloseNode'], group: ['ApiOpenGroup', 'hGroup', 'ApiCloseGroup'], resource: ['ApiOpenResource', 'hResource', 'ApiCloseResource'] }[type];
    const reply = await this.must<Record<string, Handle>>(c, open[0], [name]);
    const handle = reply[open[1]];
    try {
      return await body(handle);
    } finally {
      await this.call(c, open[2], [handle]);
    }
  }

  private async withKey<R>(c: ClusapiConnection, path: string, body: (h: Handle) => Promise<R>): Promise<R> {
    const { hKey: root } = await this.must<{ hKey: Handle }>(c, 'ApiGetRootKey', [KEY_ALL_ACCESS]);
    try {
      if (path === '') return await body(root);
      const { phKey } = await this.must<{ phKey: Handle }>(c, 'ApiOpenKey', [root, path, KEY_ALL_ACCESS]);
      try {
        return await body(phKey);
      } finally {
        await this.call(c, 'ApiCloseKey', [phKey]);
      }
    } finally {
      await this.call(c, 'ApiCloseKey', [root]);
    }
  }

  private async stateOf(c: ClusapiConnection, type: StatefulInband, handle: Handle): Promise<{ State: number; GroupName?: string }> {
    const method = { group: 'ApiGetGroupState', resource: 'ApiGetResourceState', node: 'ApiGetNodeState' }[type];
    return this.must<{ State: number; GroupName?: string }>(c, method, [handle]);
  }

  private async addObject(c: ClusapiConnection, s: Extract<Stimulus, { verb: 'AddObject' }>): Promise<void> {
    if (s.objectType === 'group') {
      const reply = await this.call<{ hGroup: Handle }>(c, 'ApiCreateGroup', [s.name]);
      if (reply.fault === undefined && reply.status === ERROR_OBJECT_ALREADY_EXISTS) throw new StimulusRefused(`ApiCreateGroup: a group '${s.name}' already exists`);
      if (reply.fault !== undefined || reply.status !== ERROR.SUCCESS) throw new StimulusRefused(`ApiCreateGroup returned ${reply.fault !== undefined ? `RPC fault 0x${reply.fault.toString(16)}` : `status 0x${reply.status.toString(16)}`}`);
      this.created.push({ type: 'group', name: s.name });
      await this.call(c, 'ApiCloseGroup', [reply.hGroup]);
      return;
    }
    await this.withObject(c, 'group', s.group!, async (hGroup) => {
      const { hResource } = await this.must<{ hResource: Handle }>(c, 'ApiCreateResource', [hGroup, s.name, this.options.resourceType ?? 'Generic Service', 0]);
      this.created.push({ type: 'resource', name: s.name });
      await this.call(c, 'ApiCloseResource', [hResource]);
    });
  }

  private async deleteObject(c: ClusapiConnection, s: Extract<Stimulus, { verb: 'DeleteObject' }>): Promise<void> {
    await this.deleteCreated(c, s.objectType as 'group' | 'resource', s.name);
  }

  /**
   * Deletes an object this binding created. A group goes with its resources: version 3 says so with
   * ApiDeleteGroup's force; version 2 has no force, so each resource is deleted first (each with its own
   * RESOURCE_DELETED, as the control verb does).
   */
  private async deleteCreated(c: ClusapiConnection, type: 'group' | 'resource', name: string): Promise<void> {
    if (type === 'resource') {
      await this.withObject(c, 'resource', name, (h) => this.must(c, 'ApiDeleteResource', [h]));
    } else {
      if (this.options.protocolVersion === 2) {
        for (const r of this.created.filter((o) => o.type === 'resource')) {
          const inGroup = await this.withObject(c, 'resource', r.name, async (h) => same((await this.stateOf(c, 'resource', h)).GroupName ?? '', name));
          if (inGroup) await this.deleteCreated(c, 'resource', r.name);
        }
      }
      // Force (version 3) only for a group this binding made in this run: a leftover of an earlier run goes
      // without it, after its own resources (the sweep lists and deletes them first), so a resource of the
      // cluster's that a killed run left in it makes the deletion fail rather than go with it.
      const force = this.created.some((o) => o.type === 'group' && same(o.name, name));
      await this.withObject(c, 'group', name, (h) => this.must(c, 'ApiDeleteGroup', this.options.protocolVersion === 3 ? [h, force] : [h]));
    }
    const i = this.created.findIndex((o) => o.type === type && same(o.name, name));
    if (i >= 0) this.created.splice(i, 1);
  }

  private async setState(c: ClusapiConnection, type: StatefulInband, name: string, state: number, record: boolean): Promise<void> {
    const method = (STATE_METHODS[type] as Record<number, string>)[state];
    if (!method) throw new StimulusRefused(`MS-CMRP has no method that puts a ${type} in state ${state}`);
    await this.withObject(c, type, name, async (h) => {
      const key = `${type}:${name.toLowerCase()}`;
      if (record && !this.originalStates.has(key) && !this.created.some((o) => o.type === type && same(o.name, name))) {
        this.originalStates.set(key, { type, name, state: (await this.stateOf(c, type, h)).State });
      }
      await this.must(c, method, [h], true);
      await this.reach(c, type, h, state, method);
    });
  }

  /** Online and offline may complete later (ERROR_IO_PENDING): wait, bounded, until the object is in the state. */
  private async reach(c: ClusapiConnection, type: StatefulInband, h: Handle, state: number, method: string): Promise<void> {
    const deadline = Date.now() + this.options.callMs;
    for (;;) {
      const now = (await this.stateOf(c, type, h)).State;
      if (now === state) return;
      if (Date.now() >= deadline) throw new StimulusRefused(`${method} returned, but the ${type} was still in state ${now}, not ${state}, ${this.options.callMs} ms later`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async moveResource(c: ClusapiConnection, resource: string, group: string, record: boolean): Promise<void> {
    await this.withObject(c, 'resource', resource, async (hResource) => {
      const key = resource.toLowerCase();
      if (record && !this.originalGroups.has(key) && !this.created.some((o) => o.type === 'resource' && same(o.name, resource))) {
        this.originalGroups.set(key, { resource, group: (await this.stateOf(c, 'resource', hResource)).GroupName ?? '' });
      }
      await this.withObject(c, 'group', group, (hGroup) => this.must(c, 'ApiChangeResourceGroup', [hResource, hGroup]));
    });
  }

  /**
   * SetProperty: the object's *_GET_COMMON_PROPERTIES first (the value to restore at Reset), then
   * *_SET_COMMON_PROPERTIES with a PROPERTY_LIST (2.2.3.10) of the one property.
   */
  private async setProperty(c: ClusapiConnection, type: PropertyTarget, name: string, property: string, value: string | number, record: boolean): Promise<void> {
    await this.withControlled(c, type, name, async (method, target) => {
      const key = `${type}:${name.toLowerCase()}:${property.toLowerCase()}`;
      if (record && !this.originalProperties.has(key) && !this.created.some((o) => o.type === type && same(o.name, name))) {
        const before = await this.control(c, method, target, clusctl(type, CLUSCTL_FUNCTION.GET_COMMON_PROPERTIES), null);
        let list;
        try {
          list = readPropertyList(before);
        } catch (error) {
          throw new StimulusRefused(`${method} (GET_COMMON_PROPERTIES) returned a buffer that is not a property list: ${(error as Error).message}`);
        }
        this.originalProperties.set(key, { objectType: type, name, property, value: list.find((p) => same(p.name, property))?.value, set: value });
      }
      const list = propertyListPayload([{ name: property, value }]);
      await this.control(c, method, target, clusctl(type, CLUSCTL_FUNCTION.SET_COMMON_PROPERTIES), list);
    });
  }

  /** One Api*Control call that must succeed; a buffer too small (ERROR_MORE_DATA) is asked again with the size it needs. Returns the output bytes. */
  /** `target`: the arguments before the code (the object's handle; for a resource type, the cluster's handle and the type's name). */
  private async control(c: ClusapiConnection, method: string, target: unknown[], code: number, input: string | null): Promise<string> {
    const inSize = input === null ? 0 : input.length / 2;
    const reply = await this.sized<{ lpOutBuffer: string; lpBytesReturned: number; lpcbRequired: number }>(
      `${method} (code 0x${code.toString(16)})`,
      { tooSmall: ERROR.MORE_DATA, first: 4096 },
      (size) => this.call(c, method, [...target, code, input, inSize, size]),
      (r) => r.lpcbRequired,
    );
    return (reply.lpOutBuffer ?? '').slice(0, reply.lpBytesReturned * 2);
  }

  /**
   * A call whose output buffer the client sizes: an answer `tooSmall` naming a larger size it needs (up to
   * MAX_CONTROL_OUT) is asked once more with that size; a fault or any other status refuses the stimulus.
   */
  private async sized<T extends object>(what: string, size: { tooSmall: number; first: number }, call: (size: number) => Promise<Reply<T>>, needed: (reply: T) => number): Promise<T> {
    let offer = size.first;
    for (let attempt = 0; ; attempt++) {
      const reply = await call(offer);
      if (reply.fault !== undefined) throw new StimulusRefused(`${what} failed with RPC fault 0x${reply.fault.toString(16)}`);
      const want = needed(reply as T);
      if (reply.status === size.tooSmall && attempt === 0 && want > offer && want <= MAX_CONTROL_OUT) {
        offer = want;
        continue;
      }
      if (reply.status !== ERROR.SUCCESS) throw new StimulusRefused(`${what} returned status 0x${reply.status.toString(16)}`);
      return reply as T;
    }
  }

  /** Runs `body` with an open handle of the object (the cluster's from ApiOpenCluster), closing it after. */
  private async withControlled<R>(c: ClusapiConnection, type: PropertyTarget, name: string, body: (method: string, target: unknown[]) => Promise<R>): Promise<R> {
    const [open, out, close, method] = {
      cluster: ['ApiOpenCluster', 'hCluster', 'ApiCloseCluster', 'ApiClusterControl'],
      // A resource type has no handle of its own: ApiResourceTypeControl names it on the cluster's.
      resourceType: ['ApiOpenCluster', 'hCluster', 'ApiCloseCluster', 'ApiResourceTypeControl'],
      node: ['ApiOpenNode', 'hNode', 'ApiCloseNode', 'ApiNodeControl'],
      group: ['ApiOpenGroup', 'hGroup', 'ApiCloseGroup', 'ApiGroupControl'],
      resource: ['ApiOpenResource', 'hResource', 'ApiCloseResource', 'ApiResourceControl'],
      network: ['ApiOpenNetwork', 'hNetwork', 'ApiCloseNetwork', 'ApiNetworkControl'],
      netInterface: ['ApiOpenNetInterface', 'hNetInterface', 'ApiCloseNetInterface', 'ApiNetInterfaceControl'],
    }[type];
    const onCluster = type === 'cluster' || type === 'resourceType';
    const reply = await this.must<Record<string, Handle>>(c, open, onCluster ? [] : [name]);
    const handle = reply[out];
    try {
      return await body(method, type === 'resourceType' ? [handle, name] : [handle]);
    } finally {
      await this.call(c, close, [handle]);
    }
  }

  private async createKey(c: ClusapiConnection, path: string): Promise<void> {
    await this.withKey(c, '', async (root) => {
      const { phKey, lpdwDisposition } = await this.must<{ phKey: Handle; lpdwDisposition: number }>(c, 'ApiCreateKey', [root, path, 0, KEY_ALL_ACCESS, null]);
      // REG_CREATED_NEW_KEY: the key is the suite's to delete again.
      if (lpdwDisposition === 1) this.createdKeys.push(path);
      await this.call(c, 'ApiCloseKey', [phKey]);
    });
  }

  private async deleteKey(c: ClusapiConnection, path: string): Promise<void> {
    // Keys created below it go first (ApiDeleteKey need not delete a subtree).
    const below = this.createdKeys.filter((k) => k.toLowerCase().startsWith(`${path.toLowerCase()}\\`)).sort((a, b) => b.length - a.length);
    for (const k of below) await this.deleteKey(c, k);
    await this.withKey(c, '', (root) => this.must(c, 'ApiDeleteKey', [root, path]));
    const i = this.createdKeys.findIndex((k) => same(k, path));
    if (i >= 0) this.createdKeys.splice(i, 1);
  }

  private async setValue(c: ClusapiConnection, path: string, valueName: string, data: string | number): Promise<void> {
    let bytes: Buffer;
    let type: number;
    if (typeof data === 'number') {
      bytes = Buffer.alloc(4);
      bytes.writeUInt32LE(data >>> 0);
      type = REG_DWORD;
    } else {
      bytes = Buffer.from(`${data}\0`, 'utf16le');
      type = REG_SZ;
    }
    await this.withKey(c, path, (h) => this.must(c, 'ApiSetValue', [h, valueName, type, bytes.toString('hex'), bytes.length]));
    this.written.add(valueKey(path, valueName));
  }

  /**
   * RegistrySetSecurity: the key's DACL as ApiGetKeySecurity returns it, written back with ApiSetKeySecurity:
   * a change of the key's security (REGISTRY_ATTRIBUTES) that leaves it as it was.
   */
  private async setSecurity(c: ClusapiConnection, path: string): Promise<void> {
    await this.withKey(c, path, async (h) => {
      const reply = await this.sized<{ pRpcSecurityDescriptor: string | null; cbInSecurityDescriptor: number }>(
        'ApiGetKeySecurity',
        { tooSmall: ERROR.INSUFFICIENT_BUFFER, first: 0 },
        (offer) => this.call(c, 'ApiGetKeySecurity', [h, DACL_SECURITY_INFORMATION, offer]),
        (r) => r.cbInSecurityDescriptor,
      );
      const descriptor = reply.pRpcSecurityDescriptor;
      if (!descriptor) throw new StimulusRefused('ApiGetKeySecurity returned status 0x0 and no descriptor');
      await this.must(c, 'ApiSetKeySecurity', [h, DACL_SECURITY_INFORMATION, descriptor]);
    });
  }

  /**
   * SetQuorum: ApiSetQuorumResource on the resource; the quorum resource, device and log size before the first
   * change (ApiGetQuorumResource) are set back at Reset.
   */
  private async setQuorum(c: ClusapiConnection, resource: string, back: { device: string; size: number } | undefined): Promise<void> {
    if (!back && !this.originalQuorum) {
      const q = await this.must<{ lpszResourceName: string; lpszDeviceName: string; pdwMaxQuorumLogSize: number }>(c, 'ApiGetQuorumResource', []);
      this.originalQuorum = { resource: q.lpszResourceName, device: q.lpszDeviceName ?? '', size: q.pdwMaxQuorumLogSize ?? 0 };
    }
    await this.withObject(c, 'resource', resource, (h) => this.must(c, 'ApiSetQuorumResource', [h, back?.device ?? '', back?.size ?? 0]));
  }

  private async deleteValue(c: ClusapiConnection, path: string, valueName: string): Promise<void> {
    await this.withKey(c, path, (h) => this.must(c, 'ApiDeleteValue', [h, valueName]));
    this.written.delete(valueKey(path, valueName));
  }

  /**
   * In-band Reset: undoes what this binding did, newest first. Every step is tried; the ones that fail are
   * reported together (the next sequence is then not reached: INCONCLUSIVE, saying why).
   */
  private async restore(c: ClusapiConnection): Promise<void> {
    const problems: string[] = [];
    const attempt = async (what: string, step: () => Promise<unknown>) => {
      try {
        await step();
      } catch (error) {
        if (error instanceof TargetError) throw error;
        problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    // Resources moved go back first: a group of its own deleted with force must not take one of the cluster's with it.
    for (const { resource, group } of [...this.originalGroups.values()].reverse()) {
      await attempt(`move resource '${resource}' back to '${group}'`, async () => {
        const now = await this.withObject(c, 'resource', resource, async (h) => (await this.stateOf(c, 'resource', h)).GroupName ?? '');
        if (!same(now, group)) await this.moveResource(c, resource, group, false);
      });
    }
    this.originalGroups.clear();
    for (const o of [...this.created].reverse().filter((x) => x.type === 'resource')) await attempt(`delete resource '${o.name}'`, () => this.deleteCreated(c, 'resource', o.name));
    for (const o of [...this.created].reverse()) await attempt(`delete ${o.type} '${o.name}'`, () => this.deleteCreated(c, o.type, o.name));
    for (const k of [...this.createdKeys].sort((a, b) => b.length - a.length)) await attempt(`delete key '${k}'`, () => this.deleteKey(c, k));
    // Resources before groups (a group's state follows its resources'), nodes last.
    const order: StatefulInband[] = ['resource', 'group', 'node'];
    for (const type of order) {
      for (const o of [...this.originalStates.values()].filter((x) => x.type === type)) {
        await attempt(`restore ${o.type} '${o.name}' to state ${o.state}`, async () => {
          const now = await this.withObject(c, o.type, o.name, async (h) => (await this.stateOf(c, o.type, h)).State);
          if (now !== o.state) await this.setState(c, o.type, o.name, o.state, false);
        });
      }
    }
    this.originalStates.clear();
    // Properties back to what the server listed before; one it did not list goes back to an empty string
    // (a number it did not list is left: no value is known to be its default).
    for (const o of [...this.originalProperties.values()].reverse()) {
      const back = o.value ?? (typeof o.set === 'string' ? '' : undefined);
      if (back === undefined) continue;
      await attempt(`restore ${o.property} of the ${o.objectType} '${o.name}'`, () => this.setProperty(c, o.objectType, o.name, o.property, back, false));
    }
    this.originalProperties.clear();
    const quorum = this.originalQuorum;
    this.originalQuorum = undefined;
    if (quorum) await attempt(`set the quorum back to '${quorum.resource}'`, () => this.setQuorum(c, quorum.resource, quorum));
    this.created.length = 0;
    this.createdKeys.length = 0;
    if (problems.length) throw new StimulusRefused(`the in-band Reset could not restore the cluster: ${problems.join('; ')}`);
  }
}

/** A key of the suite's own: a component named cmrp-conf-..., or under a key discovery made for the registry roles. */
function ownKey(path: string): boolean {
  const parts = path.split('\\');
  return parts.some(ownByName) || Object.values(OWN_KEYS).some((k) => same(parts.slice(0, k.split('\\').length).join('\\'), k));
}

function lastComponent(path: string): string {
  return path.split('\\').pop() ?? path;
}

function valueKey(path: string, valueName: string): string {
  return `${path.toLowerCase()}|${valueName.toLowerCase()}`;
}

/**
 * The target with its stimuli made in-band: the same target, whose `control` is an InbandStimuli on a
 * connection of its own (closed when the target is disposed).
 */
export function withInbandStimuli(target: Target, options: InbandOptions): Target {
  const stimuli = new InbandStimuli(target, options);
  return {
    description: target.description,
    capabilities: target.capabilities,
    control: stimuli,
    connect: (o) => target.connect(o),
    dispose: async () => {
      try {
        await stimuli.dispose();
      } finally {
        await target.dispose();
      }
    },
  };
}
