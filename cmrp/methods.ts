// The MS-CMRP methods as the adapter protocol carries them: each parameter and out parameter with the
// JSON form it takes on the wire. Both ends (the harness binding and `serve`) encode and check with
// this one table, and the protocol test holds the doc and the JSON Schema to it.
import type { MethodName } from './contract';

/**
 * JSON forms of values:
 * - handle: an opaque string (the adapter chooses the form; the fabricated handle is 40 hex digits),
 *   or null for the NULL context handle (a failed Open*, ApiCloseNotify's success; 40 zeros mean the same);
 * - string: a UTF-16 string of the IDL (names, registry paths);
 * - uint32: an integer 0..4294967295 (DWORD);
 * - int32: a state enumeration value, -1 (unknown) included; 0..4294967295 is accepted as its unsigned form;
 * - bool: a 32-bit BOOL as JSON true/false;
 * - uint64: an unsigned 64-bit value as a decimal string (JSON numbers lose precision past 2^53);
 * - notifications: the NOTIFICATION_RPC list of ApiGetNotifyV2.
 */
export type ValueKind = 'handle' | 'string' | 'uint32' | 'int32' | 'bool' | 'uint64' | 'notifications';

export interface ParamSpec {
  name: string;
  kind: ValueKind;
  /** Left out of the request when the harness passes no value (ApiGetNotify's Timeout in protocol version 3). */
  optional?: true;
}

export interface MethodSpec {
  /** In the IDL's order: the positional arguments of the ClusapiConnection method. */
  params: readonly ParamSpec[];
  /** Out parameters beside `status`; required when status is ERROR_SUCCESS (0). */
  outs: Readonly<Record<string, ValueKind>>;
  /** Version 2 notification ports: sent only to adapters that declare notifyV2. */
  notifyV2?: true;
}

const h = (name: string): ParamSpec => ({ name, kind: 'handle' });
const u = (name: string): ParamSpec => ({ name, kind: 'uint32' });
const s = (name: string): ParamSpec => ({ name, kind: 'string' });

/** A Record over MethodName: the compiler rejects a contract method missing here, or one too many. */
export const METHODS: Readonly<Record<MethodName, MethodSpec>> = {
  ApiOpenCluster: { params: [], outs: { hCluster: 'handle' } },
  ApiCloseCluster: { params: [h('hCluster')], outs: {} },
  ApiOpenNode: { params: [s('lpszNodeName')], outs: { hNode: 'handle' } },
  ApiCloseNode: { params: [h('hNode')], outs: {} },
  ApiOpenGroup: { params: [s('lpszGroupName')], outs: { hGroup: 'handle' } },
  ApiCloseGroup: { params: [h('hGroup')], outs: {} },
  ApiOpenResource: { params: [s('lpszResourceName')], outs: { hResource: 'handle' } },
  ApiCloseResource: { params: [h('hResource')], outs: {} },
  ApiOpenNetwork: { params: [s('lpszNetworkName')], outs: { hNetwork: 'handle' } },
  ApiCloseNetwork: { params: [h('hNetwork')], outs: {} },
  ApiOpenNetInterface: { params: [s('lpszNetInterfaceName')], outs: { hNetInterface: 'handle' } },
  ApiCloseNetInterface: { params: [h('hNetInterface')], outs: {} },
  ApiGetRootKey: { params: [u('samDesired')], outs: { hKey: 'handle' } },
  ApiOpenKey: { params: [h('hKey'), s('lpSubKey'), u('samDesired')], outs: { phKey: 'handle' } },
  ApiCloseKey: { params: [h('pKey')], outs: {} },

  ApiGetNodeState: { params: [h('hNode')], outs: { State: 'int32' } },
  ApiGetGroupState: { params: [h('hGroup')], outs: { State: 'int32', NodeName: 'string' } },
  ApiGetResourceState: { params: [h('hResource')], outs: { State: 'int32', NodeName: 'string', GroupName: 'string' } },
  ApiGetNetworkState: { params: [h('hNetwork')], outs: { State: 'int32' } },
  ApiGetNetInterfaceState: { params: [h('hNetInterface')], outs: { State: 'int32' } },

  ApiCreateNotify: { params: [], outs: { hNotify: 'handle' } },
  ApiCloseNotify: { params: [h('hNotify')], outs: { hNotify: 'handle' } },
  ApiAddNotifyCluster: { params: [h('hNotify'), h('hCluster'), u('dwFilter'), u('dwNotifyKey')], outs: {} },
  ApiAddNotifyNode: { params: [h('hNotify'), h('hNode'), u('dwFilter'), u('dwNotifyKey')], outs: { dwStateSequence: 'uint32' } },
  ApiAddNotifyGroup: { params: [h('hNotify'), h('hGroup'), u('dwFilter'), u('dwNotifyKey')], outs: { dwStateSequence: 'uint32' } },
  ApiAddNotifyResource: { params: [h('hNotify'), h('hResource'), u('dwFilter'), u('dwNotifyKey')], outs: { dwStateSequence: 'uint32' } },
  ApiAddNotifyKey: {
    params: [h('hNotify'), h('hKey'), u('dwNotifyKey'), u('Filter'), { name: 'WatchSubTree', kind: 'bool' }],
    outs: {},
  },
  ApiAddNotifyNetwork: { params: [h('hNotify'), h('hNetwork'), u('dwFilter'), u('dwNotifyKey')], outs: { dwStateSequence: 'uint32' } },
  ApiAddNotifyNetInterface: {
    params: [h('hNotify'), h('hNetInterface'), u('dwFilter'), u('dwNotifyKey')],
    outs: { dwStateSequence: 'uint32' },
  },
  ApiReAddNotifyNode: { params: [h('hNotify'), h('hNode'), u('dwFilter'), u('dwNotifyKey'), u('StateSequence')], outs: {} },
  ApiReAddNotifyGroup: { params: [h('hNotify'), h('hGroup'), u('dwFilter'), u('dwNotifyKey'), u('StateSequence')], outs: {} },
  ApiReAddNotifyResource: { params: [h('hNotify'), h('hResource'), u('dwFilter'), u('dwNotifyKey'), u('StateSequence')], outs: {} },
  ApiReAddNotifyNetwork: { params: [h('hNotify'), h('hNetwork'), u('dwFilter'), u('dwNotifyKey'), u('StateSequence')], outs: {} },
  ApiReAddNotifyNetInterface: {
    params: [h('hNotify'), h('hNetInterface'), u('dwFilter'), u('dwNotifyKey'), u('StateSequence')],
    outs: {},
  },
  ApiGetNotify: {
    params: [h('hNotify'), { name: 'Timeout', kind: 'uint32', optional: true }],
    outs: { dwNotifyKey: 'uint32', dwFilter: 'uint32', dwStateSequence: 'uint32', Name: 'string' },
  },
  ApiUnblockGetNotifyCall: { params: [h('hNotify')], outs: {} },

  ApiCreateNotifyV2: { params: [], outs: { hNotify: 'handle' }, notifyV2: true },
  ApiAddNotifyV2: {
    params: [
      h('hNotify'),
      h('hObject'),
      u('dwObjectType'),
      { name: 'FilterFlags', kind: 'uint64' },
      u('dwNotifyKey'),
      u('dwVersion'),
      { name: 'isTargetedAtObject', kind: 'bool' },
    ],
    outs: {},
    notifyV2: true,
  },
  ApiGetNotifyV2: { params: [h('hNotify')], outs: { Notifications: 'notifications' }, notifyV2: true },
};

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(METHODS, name);
}
