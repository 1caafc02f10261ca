// The SUT control adapter of the reference server: every verb of the Stimulus union. apply() does its
// work synchronously, so by the time its promise resolves every resulting indication is queued on
// every port (the "settled" rule of cmrp/control.ts).
import { CONTROL_VERBS, type ClusterControl, type ControlVerb, type ListedObject, type ObjectType, type Stimulus } from '../../cmrp/control';
import type { RegistryKey } from '../model/registry';
import { splitPath } from '../rules/names';
import type { ClusterModel } from '../model/cluster';
import type { Behaviour } from '../rules/behaviour';
import * as links from './link-verbs';
import * as objects from './object-verbs';
import type { Publish } from './publisher';
import * as registry from './registry-verbs';
import * as nodes from './node-verbs';
import type { ClusterSecurity } from '../model/security';

/** The protocol server state of 3.1.1 that a test can switch between (the session layer reads it through ServerCore). */
export type ServerState = 'read-write' | 'read-only';

/** What the control adapter may do to the server beyond changing the cluster. */
export interface ServerLifecycle {
  readonly model: ClusterModel;
  /** The server's readings where the spec is open (event names, same-value SetState, derived states). */
  readonly behaviour: Behaviour;
  publish: Publish;
  setServerState(state: ServerState): void;
  /** One node's protocol server state (SetNodeServerState); an unknown node is an error. */
  setNodeServerState(name: string, state: ServerState): void;
  dropEvents(): void;
  failover(): void;
  reset(): void;
  /** Drops every connection to the node (NodeDown): they fail as those of a lost node do. */
  dropNode(name: string): void;
  /** The cluster security descriptor (SetClusterSecurity). */
  readonly security: ClusterSecurity;
}

export class ReferenceControl implements ClusterControl {
  // Every verb, SetClusterSecurity too: a connection's accessLevel names the principal it connected as
  // (the full account or the Read account), whose grant the descriptor decides on every call.
  readonly verbs: ReadonlySet<ControlVerb> = new Set(CONTROL_VERBS);

  constructor(private readonly server: ServerLifecycle) {}

  async apply(stimulus: Stimulus): Promise<void> {
    this.applySync(stimulus);
  }

  /** ListObjects: what carries `prefix` (case-insensitively); a key listed stands for its subtree. */
  async listObjects(prefix: string): Promise<ListedObject[]> {
    const { model } = this.server;
    const has = (name: string) => name.toLowerCase().startsWith(prefix.toLowerCase());
    const found: ListedObject[] = [];
    const types: ObjectType[] = ['node', 'group', 'resource', 'resourceType', 'network', 'netInterface'];
    for (const objectType of types) for (const o of model.all(objectType)) if (has(o.name)) found.push({ objectType, name: o.name });
    const walk = (key: RegistryKey, path: string): void => {
      for (const valueName of key.values.keys()) if (has(valueName)) found.push({ objectType: 'value', path, valueName });
      for (const [name, child] of key.subkeys) {
        const childPath = path === '' ? name : `${path}\\${name}`;
        if (has(name)) found.push({ objectType: 'key', path: childPath });
        else walk(child, childPath);
      }
    };
    walk(model.registry.root, '');
    return found;
  }

  /** Throws (rejecting apply) when the stimulus names something the cluster does not have. */
  private applySync(s: Stimulus): void {
    const { model, publish, behaviour } = this.server;
    switch (s.verb) {
      case 'AddObject':
        return objects.addObject(model, publish, s);
      case 'DeleteObject':
        return objects.deleteObject(model, publish, s);
      case 'SetState':
        return objects.setState(model, publish, s, behaviour);
      case 'SetProperty':
        return objects.setProperty(model, publish, s, behaviour);
      case 'MoveResource':
        return objects.moveResource(model, publish, s, behaviour);
      case 'SetQuorum':
        return objects.setQuorum(model, publish, s);
      case 'RegistryCreateKey':
        return registry.createKey(model, publish, s, behaviour);
      case 'RegistryDeleteKey':
        return registry.deleteKey(model, publish, s, behaviour);
      case 'RegistrySetValue':
        return registry.setValue(model, publish, s, behaviour);
      case 'RegistryDeleteValue':
        return registry.deleteValue(model, publish, splitPath(s.path), s.valueName, behaviour);
      case 'RegistrySetSecurity':
        return registry.setSecurity(model, publish, s, behaviour);
      case 'SetInterfaceLink':
        return links.setInterfaceLink(model, publish, s, behaviour);
      case 'SetNodeActivity':
        return links.setNodeActivity(model, publish, s, behaviour);
      case 'NodeShutdown':
        return links.nodeShutdown(model, publish, s, behaviour);
      case 'SetServerState':
        return this.server.setServerState(s.state);
      case 'SetNodeServerState':
        return this.server.setNodeServerState(s.name, s.state);
      case 'DropEvents':
        return this.server.dropEvents();
      case 'Failover':
        return this.server.failover();
      case 'Reset':
        return this.server.reset();
      case 'NodeDown':
        return this.server.dropNode(nodes.nodeDown(model, publish, s, behaviour));
      case 'NodeUp':
        return nodes.nodeUp(model, publish, s, behaviour);
      case 'MoveGroup':
        return nodes.moveGroup(model, s);
      case 'SetClusterSecurity':
        return this.server.security.set(s.account, s.access);
    }
  }
}
