// The ClusapiConnection the reference server hands out: the contract's methods, each mapped onto the
// method modules. A connection that is gone (client close, failover) answers every call with the RPC
// fault RPC_S_CALL_FAILED: the method never runs.
import type { ClusapiConnection, ControlOut, EnumEntry, GetNotifyOut, Handle, NotificationV2, Reply } from '../../cmrp/contract';
import type { ProtocolVersion } from '../../cmrp/constants';
import { RPC_S_CALL_FAILED, RpcFault } from '../rules/codes';
import type { StatefulType } from '../model/types';
import { ConnectionState } from './connection-state';
import * as objects from './object-methods';
import * as notify from './notify-methods';
import * as notifyV2 from './notify-v2-methods';
import * as manage from './management-methods';
import * as controls from './control-methods';
import type { ControlMethod } from './control-methods';

export class ServerConnection implements ClusapiConnection {
  constructor(
    private readonly s: ConnectionState,
    private readonly onClose: (state: ConnectionState) => void,
  ) {}

  get protocolVersion(): ProtocolVersion {
    return this.s.version;
  }

  ApiOpenCluster(): Promise<Reply<{ hCluster: Handle }>> {
    return this.run(() => objects.openCluster(this.s));
  }
  ApiCloseCluster(hCluster: Handle): Promise<Reply> {
    return this.run(() => objects.closeHandle(this.s, hCluster, 'cluster'));
  }
  ApiOpenNode(lpszNodeName: string): Promise<Reply<{ hNode: Handle }>> {
    return this.run(() => this.open('node', lpszNodeName, (status, hNode) => ({ status, hNode })));
  }
  ApiCloseNode(hNode: Handle): Promise<Reply> {
    return this.run(() => objects.closeHandle(this.s, hNode, 'node'));
  }
  ApiOpenGroup(lpszGroupName: string): Promise<Reply<{ hGroup: Handle }>> {
    return this.run(() => this.open('group', lpszGroupName, (status, hGroup) => ({ status, hGroup })));
  }
  ApiCloseGroup(hGroup: Handle): Promise<Reply> {
    return this.run(() => objects.closeHandle(this.s, hGroup, 'group'));
  }
  ApiOpenResource(lpszResourceName: string): Promise<Reply<{ hResource: Handle }>> {
    return this.run(() => this.open('resource', lpszResourceName, (status, hResource) => ({ status, hResource })));
  }
  ApiCloseResource(hResource: Handle): Promise<Reply> {
    return this.run(() => objects.closeHandle(this.s, hResource, 'resource'));
  }
  ApiOpenNetwork(lpszNetworkName: string): Promise<Reply<{ hNetwork: Handle }>> {
    return this.run(() => this.open('network', lpszNetworkName, (status, hNetwork) => ({ status, hNetwork })));
  }
  ApiCloseNetwork(hNetwork: Handle): Promise<Reply> {
    return this.run(() => objects.closeHandle(this.s, hNetwork, 'network'));
  }
  ApiOpenNetInterface(lpszNetInterfaceName: string): Promise<Reply<{ hNetInterface: Handle }>> {
    return this.run(() => this.open('netInterface', lpszNetInterfaceName, (status, hNetInterface) => ({ status, hNetInterface })));
  }
  ApiCloseNetInterface(hNetInterface: Handle): Promise<Reply> {
    return this.run(() => objects.closeHandle(this.s, hNetInterface, 'netInterface'));
  }
  ApiGetRootKey(_samDesired: number): Promise<Reply<{ hKey: Handle }>> {
    return this.run(() => objects.getRootKey(this.s));
  }
  ApiOpenKey(hKey: Handle, lpSubKey: string, _samDesired: number): Promise<Reply<{ phKey: Handle }>> {
    return this.run(() => objects.openKey(this.s, hKey, lpSubKey));
  }
  ApiCloseKey(pKey: Handle): Promise<Reply> {
    return this.run(() => objects.closeHandle(this.s, pKey, 'key'));
  }

  ApiGetNodeState(hNode: Handle): Promise<Reply<{ State: number }>> {
    return this.run(() => {
      const { status, State } = objects.getState(this.s, hNode, 'node');
      return { status, State };
    });
  }
  ApiGetGroupState(hGroup: Handle): Promise<Reply<{ State: number; NodeName: string }>> {
    return this.run(() => {
      const { status, State, NodeName } = objects.getState(this.s, hGroup, 'group');
      return { status, State, NodeName };
    });
  }
  ApiGetResourceState(hResource: Handle): Promise<Reply<{ State: number; NodeName: string; GroupName: string }>> {
    return this.run(() => objects.getState(this.s, hResource, 'resource'));
  }
  ApiGetNetworkState(hNetwork: Handle): Promise<Reply<{ State: number }>> {
    return this.run(() => {
      const { status, State } = objects.getState(this.s, hNetwork, 'network');
      return { status, State };
    });
  }
  ApiGetNetInterfaceState(hNetInterface: Handle): Promise<Reply<{ State: number }>> {
    return this.run(() => {
      const { status, State } = objects.getState(this.s, hNetInterface, 'netInterface');
      return { status, State };
    });
  }

  ApiCreateNotify(): Promise<Reply<{ hNotify: Handle }>> {
    return this.run(() => notify.createNotify(this.s));
  }
  ApiCloseNotify(hNotify: Handle): Promise<Reply<{ hNotify: Handle | null }>> {
    return this.run(() => notify.closeNotify(this.s, hNotify));
  }
  ApiAddNotifyCluster(hNotify: Handle, hCluster: Handle, dwFilter: number, dwNotifyKey: number): Promise<Reply> {
    return this.run(() => notify.addNotifyCluster(this.s, hNotify, hCluster, dwFilter, dwNotifyKey));
  }
  ApiAddNotifyNode(hNotify: Handle, hNode: Handle, dwFilter: number, dwNotifyKey: number): Promise<Reply<{ dwStateSequence: number }>> {
    return this.run(() => notify.addNotifyObject(this.s, 'ApiAddNotifyNode', 'node', hNotify, hNode, dwFilter, dwNotifyKey));
  }
  ApiAddNotifyGroup(hNotify: Handle, hGroup: Handle, dwFilter: number, dwNotifyKey: number): Promise<Reply<{ dwStateSequence: number }>> {
    return this.run(() => notify.addNotifyObject(this.s, 'ApiAddNotifyGroup', 'group', hNotify, hGroup, dwFilter, dwNotifyKey));
  }
  ApiAddNotifyResource(hNotify: Handle, hResource: Handle, dwFilter: number, dwNotifyKey: number): Promise<Reply<{ dwStateSequence: number }>> {
    return this.run(() => notify.addNotifyObject(this.s, 'ApiAddNotifyResource', 'resource', hNotify, hResource, dwFilter, dwNotifyKey));
  }
  ApiAddNotifyKey(hNotify: Handle, hKey: Handle, dwNotifyKey: number, Filter: number, WatchSubTree: boolean): Promise<Reply> {
    return this.run(() => notify.addNotifyKey(this.s, hNotify, hKey, dwNotifyKey, Filter, WatchSubTree));
  }
  ApiAddNotifyNetwork(hNotify: Handle, hNetwork: Handle, dwFilter: number, dwNotifyKey: number): Promise<Reply<{ dwStateSequence: number }>> {
    return this.run(() => notify.addNotifyObject(this.s, 'ApiAddNotifyNetwork', 'network', hNotify, hNetwork, dwFilter, dwNotifyKey));
  }
  ApiAddNotifyNetInterface(hNotify: Handle, hNetInterface: Handle, dwFilter: number, dwNotifyKey: number): Promise<Reply<{ dwStateSequence: number }>> {
    return this.run(() => notify.addNotifyObject(this.s, 'ApiAddNotifyNetInterface', 'netInterface', hNotify, hNetInterface, dwFilter, dwNotifyKey));
  }
  ApiReAddNotifyNode(hNotify: Handle, hNode: Handle, dwFilter: number, dwNotifyKey: number, StateSequence: number): Promise<Reply> {
    return this.run(() => notify.reAddNotifyObject(this.s, 'ApiReAddNotifyNode', 'node', hNotify, hNode, dwFilter, dwNotifyKey, StateSequence));
  }
  ApiReAddNotifyGroup(hNotify: Handle, hGroup: Handle, dwFilter: number, dwNotifyKey: number, StateSequence: number): Promise<Reply> {
    return this.run(() => notify.reAddNotifyObject(this.s, 'ApiReAddNotifyGroup', 'group', hNotify, hGroup, dwFilter, dwNotifyKey, StateSequence));
  }
  ApiReAddNotifyResource(hNotify: Handle, hResource: Handle, dwFilter: number, dwNotifyKey: number, StateSequence: number): Promise<Reply> {
    return this.run(() =>
      notify.reAddNotifyObject(this.s, 'ApiReAddNotifyResource', 'resource', hNotify, hResource, dwFilter, dwNotifyKey, StateSequence),
    );
  }
  ApiReAddNotifyNetwork(hNotify: Handle, hNetwork: Handle, dwFilter: number, dwNotifyKey: number, StateSequence: number): Promise<Reply> {
    return this.run(() =>
      notify.reAddNotifyObject(this.s, 'ApiReAddNotifyNetwork', 'network', hNotify, hNetwork, dwFilter, dwNotifyKey, StateSequence),
    );
  }
  ApiReAddNotifyNetInterface(hNotify: Handle, hNetInterface: Handle, dwFilter: number, dwNotifyKey: number, StateSequence: number): Promise<Reply> {
    return this.run(() =>
      notify.reAddNotifyObject(this.s, 'ApiReAddNotifyNetInterface', 'netInterface', hNotify, hNetInterface, dwFilter, dwNotifyKey, StateSequence),
    );
  }
  ApiGetNotify(hNotify: Handle, Timeout?: number): Promise<Reply<GetNotifyOut>> {
    return this.run(() => notify.getNotify(this.s, hNotify, Timeout));
  }
  ApiUnblockGetNotifyCall(hNotify: Handle): Promise<Reply> {
    return this.run(() => notify.unblockGetNotifyCall(this.s, hNotify));
  }

  ApiCreateNotifyV2(): Promise<Reply<{ hNotify: Handle }>> {
    return this.run(() => notifyV2.createNotifyV2(this.s));
  }
  ApiAddNotifyV2(
    hNotify: Handle,
    hObject: Handle,
    dwObjectType: number,
    FilterFlags: bigint,
    dwNotifyKey: number,
    dwVersion: number,
    isTargetedAtObject: boolean,
  ): Promise<Reply> {
    return this.run(() => notifyV2.addNotifyV2(this.s, hNotify, hObject, dwObjectType, FilterFlags, dwNotifyKey, dwVersion, isTargetedAtObject));
  }
  ApiGetNotifyV2(hNotify: Handle): Promise<Reply<{ Notifications: NotificationV2[] }>> {
    return this.run(() => notifyV2.getNotifyV2(this.s, hNotify));
  }

  ApiCreateEnum(dwType: number): Promise<Reply<{ ReturnEnum: EnumEntry[] }>> {
    return this.run(() => manage.createEnum(this.s, dwType));
  }
  ApiCreateResource(hGroup: Handle, lpszResourceName: string, lpszResourceType: string, _dwFlags: number): Promise<Reply<{ hResource: Handle }>> {
    return this.run(() => manage.createResource(this.s, hGroup, lpszResourceName, lpszResourceType));
  }
  ApiGetClusterName(): Promise<Reply<{ ClusterName: string; NodeName: string }>> {
    return this.run(() => manage.getClusterName(this.s));
  }
  ApiGetNetInterface(lpszNodeName: string, lpszNetworkName: string): Promise<Reply<{ lppszInterfaceName: string }>> {
    return this.run(() => manage.getNetInterface(this.s, lpszNodeName, lpszNetworkName));
  }
  ApiGetQuorumResource(): Promise<Reply<{ lpszResourceName: string; lpszDeviceName: string; pdwMaxQuorumLogSize: number }>> {
    return this.run(() => manage.getQuorumResource(this.s));
  }
  ApiFailResource(hResource: Handle): Promise<Reply> {
    return this.run(() => manage.failResource(this.s, hResource));
  }
  ApiDeleteResource(hResource: Handle): Promise<Reply> {
    return this.run(() => manage.deleteResource(this.s, hResource));
  }
  ApiOnlineResource(hResource: Handle): Promise<Reply> {
    return this.run(() => manage.onlineResource(this.s, hResource));
  }
  ApiOfflineResource(hResource: Handle): Promise<Reply> {
    return this.run(() => manage.offlineResource(this.s, hResource));
  }
  ApiChangeResourceGroup(hResource: Handle, hGroup: Handle): Promise<Reply> {
    return this.run(() => manage.changeResourceGroup(this.s, hResource, hGroup));
  }
  ApiCreateKey(hKey: Handle, lpSubKey: string, _dwOptions: number, _samDesired: number, _lpSecurityAttributes: string | null): Promise<Reply<{ phKey: Handle; lpdwDisposition: number }>> {
    return this.run(() => manage.createKey(this.s, hKey, lpSubKey));
  }
  ApiSetValue(hKey: Handle, lpValueName: string, dwType: number, lpData: string | null, cbData: number): Promise<Reply> {
    return this.run(() => manage.setValue(this.s, hKey, lpValueName, dwType, lpData, cbData));
  }
  ApiDeleteValue(hKey: Handle, lpValueName: string): Promise<Reply> {
    return this.run(() => manage.deleteValue(this.s, hKey, lpValueName));
  }
  ApiDeleteKey(hKey: Handle, lpSubKey: string): Promise<Reply> {
    return this.run(() => manage.deleteKey(this.s, hKey, lpSubKey));
  }
  ApiSetKeySecurity(hKey: Handle, _SecurityInformation: number, pRpcSecurityDescriptor: string | null): Promise<Reply> {
    return this.run(() => manage.setKeySecurity(this.s, hKey, pRpcSecurityDescriptor));
  }
  ApiGetKeySecurity(hKey: Handle, _SecurityInformation: number, cbInSecurityDescriptor: number): Promise<Reply<{ pRpcSecurityDescriptor: string | null; cbInSecurityDescriptor: number }>> {
    return this.run(() => manage.getKeySecurity(this.s, hKey, cbInSecurityDescriptor));
  }
  ApiSetQuorumResource(hResource: Handle, _lpszDeviceName: string, _dwMaxQuorumLogSize: number): Promise<Reply> {
    return this.run(() => manage.setQuorumResource(this.s, hResource));
  }
  ApiCreateGroup(lpszGroupName: string): Promise<Reply<{ hGroup: Handle }>> {
    return this.run(() => manage.createGroup(this.s, lpszGroupName));
  }
  ApiDeleteGroup(hGroup: Handle, force?: boolean): Promise<Reply> {
    return this.run(() => manage.deleteGroup(this.s, hGroup, force));
  }
  ApiOnlineGroup(hGroup: Handle): Promise<Reply> {
    return this.run(() => manage.onlineGroup(this.s, hGroup));
  }
  ApiOfflineGroup(hGroup: Handle): Promise<Reply> {
    return this.run(() => manage.offlineGroup(this.s, hGroup));
  }
  ApiMoveGroupToNode(hGroup: Handle, hNode: Handle): Promise<Reply> {
    return this.run(() => manage.moveGroupToNode(this.s, hGroup, hNode));
  }
  ApiPauseNode(hNode: Handle): Promise<Reply> {
    return this.run(() => manage.pauseNode(this.s, hNode));
  }
  ApiResumeNode(hNode: Handle): Promise<Reply> {
    return this.run(() => manage.resumeNode(this.s, hNode));
  }

  ApiResourceTypeControl(hCluster: Handle, lpszResourceTypeName: string, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>> {
    return this.control('ApiResourceTypeControl', hCluster, dwControlCode, lpInBuffer, nInBufferSize, nOutBufferSize, lpszResourceTypeName);
  }
  ApiResourceControl(hResource: Handle, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>> {
    return this.control('ApiResourceControl', hResource, dwControlCode, lpInBuffer, nInBufferSize, nOutBufferSize);
  }
  ApiGroupControl(hGroup: Handle, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>> {
    return this.control('ApiGroupControl', hGroup, dwControlCode, lpInBuffer, nInBufferSize, nOutBufferSize);
  }
  ApiNodeControl(hNode: Handle, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>> {
    return this.control('ApiNodeControl', hNode, dwControlCode, lpInBuffer, nInBufferSize, nOutBufferSize);
  }
  ApiNetworkControl(hNetwork: Handle, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>> {
    return this.control('ApiNetworkControl', hNetwork, dwControlCode, lpInBuffer, nInBufferSize, nOutBufferSize);
  }
  ApiNetInterfaceControl(hNetInterface: Handle, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>> {
    return this.control('ApiNetInterfaceControl', hNetInterface, dwControlCode, lpInBuffer, nInBufferSize, nOutBufferSize);
  }
  ApiClusterControl(hCluster: Handle, dwControlCode: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number): Promise<Reply<ControlOut>> {
    return this.control('ApiClusterControl', hCluster, dwControlCode, lpInBuffer, nInBufferSize, nOutBufferSize);
  }

  async close(): Promise<void> {
    this.onClose(this.s);
  }

  /** Runs a method unless the connection is gone. Methods run synchronously up to any blocking wait. */
  private run<T extends object>(method: () => Reply<T> | Promise<Reply<T>>): Promise<Reply<T>> {
    if (!this.s.alive) return Promise.resolve({ fault: RPC_S_CALL_FAILED });
    try {
      return Promise.resolve(method()).catch(asFault<T>);
    } catch (error) {
      return asFault<T>(error);
    }
  }

  private control(method: ControlMethod, handle: Handle, code: number, lpInBuffer: string | null, nInBufferSize: number, nOutBufferSize: number, typeName?: string): Promise<Reply<ControlOut>> {
    return this.run(() => controls.control(this.s, method, handle, code, lpInBuffer, nInBufferSize, nOutBufferSize, typeName));
  }

  private open<T extends object>(type: StatefulType, name: string, shape: (status: number, handle: Handle) => Reply<T>): Reply<T> {
    const { status, handle } = objects.openObject(this.s, type, name);
    return shape(status, handle);
  }
}

/** A method that threw RpcFault ends in that fault; anything else stays an error. */
function asFault<T extends object>(error: unknown): Promise<Reply<T>> {
  return error instanceof RpcFault ? Promise.resolve({ fault: error.fault }) : Promise.reject(error);
}
