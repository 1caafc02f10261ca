#!/usr/bin/python3
"""An independent clusapi NDR20 codec built on impacket's NDR classes, for the cross-check test.

The calls are transcribed by hand from [MS-CMRP] Appendix A (A.1 clusapi2.idl, A.2 clusapi3.idl),
separately from wire/clusapi/methods.ts, so a slip in one transcription shows up as a
disagreement. Input (file named on the command line): a JSON list of
  {"method", "version", "part": "request"|"response", "hex", "values": {name: value}}
Output (stdout): a JSON list, one entry per input, of
  {"decoded": {name: value}, "encoded": hex} or {"error": text}
where "decoded" is impacket's reading of "hex" and "encoded" is impacket's encoding of "values".
Values: handles as 40 hex digits (None for the NULL handle), strings without their NUL (None for a
NULL pointer), LONGLONG as {"bigint": "decimal"}, BOOL as true/false.
"""
import json
import sys

from impacket.dcerpc.v5.dtypes import BOOL, DWORD, DWORD_PTR, LONG, LONGLONG, LPWSTR, NULL, WORD, WSTR
from impacket.dcerpc.v5.ndr import NDRCALL, NDRPOINTER, NDRSTRUCT, NDRUniConformantArray, NDRUniConformantVaryingArray


class CONTEXT_HANDLE(NDRSTRUCT):
    """[context_handle] void *: 20 bytes, 4-aligned."""
    structure = (('Data', '20s=b""'),)

    def getAlignment(self):
        return 4


class CLUSTER_OPERATIONAL_VERSION_INFO(NDRSTRUCT):
    structure = (
        ('dwSize', DWORD),
        ('dwClusterHighestVersion', DWORD),
        ('dwClusterLowestVersion', DWORD),
        ('dwFlags', DWORD),
        ('dwReserved', DWORD),
    )


class PCLUSTER_OPERATIONAL_VERSION_INFO(NDRPOINTER):
    referent = (('Data', CLUSTER_OPERATIONAL_VERSION_INFO),)


class NOTIFY_FILTER_AND_TYPE_RPC(NDRSTRUCT):
    structure = (('dwObjectType', DWORD), ('FilterFlags', LONGLONG))


class BYTE_ARRAY(NDRUniConformantArray):
    item = 'c'


class PBYTE_ARRAY(NDRPOINTER):
    referent = (('Data', BYTE_ARRAY),)


class NOTIFICATION_DATA_RPC(NDRSTRUCT):
    structure = (
        ('FilterAndType', NOTIFY_FILTER_AND_TYPE_RPC),
        ('buffer', PBYTE_ARRAY),
        ('dwBufferSize', DWORD),
        ('ObjectId', LPWSTR),
        ('ParentId', LPWSTR),
        ('Name', LPWSTR),
        ('Type', LPWSTR),
    )


class NOTIFICATION_RPC(NDRSTRUCT):
    # DWORD_PTR is __int3264: 32 bits in NDR20 (impacket agrees; Samba's IDL has a pointer here).
    structure = (('dwNotifyKey', DWORD_PTR), ('NotificationData', NOTIFICATION_DATA_RPC))


class NOTIFICATION_RPC_ARRAY(NDRUniConformantArray):
    item = NOTIFICATION_RPC


class PNOTIFICATION_RPC_ARRAY(NDRPOINTER):
    referent = (('Data', NOTIFICATION_RPC_ARRAY),)


class ENUM_ENTRY(NDRSTRUCT):
    structure = (('Type', DWORD), ('Name', LPWSTR))


class ENUM_ENTRY_ARRAY(NDRUniConformantArray):
    item = ENUM_ENTRY


class ENUM_LIST(NDRSTRUCT):
    # A conformant struct: impacket moves the array's max_count to the front of the struct.
    structure = (('EntryCount', DWORD), ('Entry', ENUM_ENTRY_ARRAY))


class PENUM_LIST(NDRPOINTER):
    referent = (('Data', ENUM_LIST),)


class SD_BYTES(NDRUniConformantVaryingArray):
    item = 'c'


class PSD_BYTES(NDRPOINTER):
    referent = (('Data', SD_BYTES),)


class RPC_SECURITY_DESCRIPTOR(NDRSTRUCT):
    structure = (('lpSecurityDescriptor', PSD_BYTES), ('cbInSecurityDescriptor', DWORD), ('cbOutSecurityDescriptor', DWORD))


class RPC_SECURITY_ATTRIBUTES(NDRSTRUCT):
    structure = (('nLength', DWORD), ('RpcSecurityDescriptor', RPC_SECURITY_DESCRIPTOR), ('bInheritHandle', LONG))


class PRPC_SECURITY_ATTRIBUTES(NDRPOINTER):
    referent = (('Data', RPC_SECURITY_ATTRIBUTES),)


class OUT_BUFFER(NDRUniConformantVaryingArray):
    """[out, size_is(nOutBufferSize), length_is(*lpBytesReturned)] UCHAR *: max_count, offset, actual_count, bytes."""
    item = 'c'


class SD_OFFER(RPC_SECURITY_DESCRIPTOR):
    """ApiGetKeySecurity's [in] RPC_SECURITY_DESCRIPTOR: the buffer offered (value: its cbIn)."""


class SD_ANSWER(RPC_SECURITY_DESCRIPTOR):
    """ApiGetKeySecurity's [out] RPC_SECURITY_DESCRIPTOR: the descriptor and cbIn (value: hex; cbInSecurityDescriptor beside)."""


class BOOL32(BOOL):
    """MS-DTYP BOOL: a 32-bit long (impacket's BOOL is the same class as DWORD, so it needs a mark)."""


H = CONTEXT_HANDLE
S_IN = WSTR  # [in, string] LPCWSTR: a top-level [ref] pointer, marshalled as the bare string
# [out] T **: impacket writes a top-level pointer class with its referent id and the referent right
# after it, which is exactly the IDL's [ref] pointer to a unique pointer, so LPWSTR stands for
# [out, string] LPWSTR *, and likewise for the two [out] structure pointers.
PLPWSTR = LPWSTR
PPCLUSTER_OPERATIONAL_VERSION_INFO = PCLUSTER_OPERATIONAL_VERSION_INFO
PPNOTIFICATION_RPC_ARRAY = PNOTIFICATION_RPC_ARRAY


def idl(version):
    """(opnum, [in] fields, [out] fields incl. the return value) per method, as Appendix A has them."""
    rpc = [('rpc_status', DWORD)] if version == 3 else []
    opens = lambda ins, ret: (ins, [('status', DWORD)] + rpc + [(ret, H)])
    close = lambda p: ([(p, H)], [(p, H), ('status', DWORD)])
    add = lambda o: ([('hNotify', H), (o, H), ('dwFilter', DWORD), ('dwNotifyKey', DWORD)], [('dwStateSequence', DWORD)] + rpc + [('status', DWORD)])
    readd = lambda o: ([('hNotify', H), (o, H), ('dwFilter', DWORD), ('dwNotifyKey', DWORD), ('StateSequence', DWORD)], rpc + [('status', DWORD)])
    state = lambda o, extra=(): ([(o, H)], [('State', DWORD)] + list(extra) + rpc + [('status', DWORD)])
    # Api*Control: [in, unique, size_is(nInBufferSize)] UCHAR *lpInBuffer; the [out] buffer before the [in] nOutBufferSize in the IDL.
    ctrl = lambda o: ([(o, H), ('dwControlCode', DWORD), ('lpInBuffer', PBYTE_ARRAY), ('nInBufferSize', DWORD), ('nOutBufferSize', DWORD)],
                      [('lpOutBuffer', OUT_BUFFER), ('lpBytesReturned', DWORD), ('lpcbRequired', DWORD)] + rpc + [('status', DWORD)])
    table = {
        'ApiGetKeySecurity': (40, [('hKey', H), ('SecurityInformation', DWORD), ('pRpcSecurityDescriptor', SD_OFFER)],
                              [('pRpcSecurityDescriptor', SD_ANSWER)] + rpc + [('status', DWORD)]),
        'ApiSetQuorumResource': (6, [('hResource', H), ('lpszDeviceName', S_IN), ('dwMaxQuorumLogSize', DWORD)], rpc + [('status', DWORD)]),
        'ApiResourceTypeControl': (75, [('hCluster', H), ('lpszResourceTypeName', S_IN)] + ctrl('x')[0][1:], ctrl('x')[1]),
        'ApiResourceControl': (73,) + ctrl('hResource'),
        'ApiGroupControl': (77,) + ctrl('hGroup'),
        'ApiNodeControl': (79,) + ctrl('hNode'),
        'ApiNetworkControl': (89,) + ctrl('hNetwork'),
        'ApiNetInterfaceControl': (98,) + ctrl('hNetInterface'),
        'ApiClusterControl': (106,) + ctrl('hCluster'),
        'ApiOpenCluster': (0, [], [('status', DWORD), ('hCluster', H)]),
        'ApiCloseCluster': (1,) + close('Cluster'),
        'ApiGetClusterName': (3, [], [('ClusterName', PLPWSTR), ('NodeName', PLPWSTR), ('status', DWORD)]),
        'ApiOpenResource': (8,) + opens([('lpszResourceName', S_IN)], 'hResource'),
        'ApiCloseResource': (11,) + close('Resource'),
        'ApiGetResourceState': (12,) + state('hResource', [('NodeName', PLPWSTR), ('GroupName', PLPWSTR)]),
        'ApiGetRootKey': (28,) + opens([('samDesired', DWORD)], 'hKey'),
        'ApiOpenKey': (30,) + opens([('hKey', H), ('lpSubKey', S_IN), ('samDesired', DWORD)], 'phKey'),
        'ApiCloseKey': (37,) + close('pKey'),
        'ApiOpenGroup': (41,) + opens([('lpszGroupName', S_IN)], 'hGroup'),
        'ApiCloseGroup': (44,) + close('Group'),
        'ApiGetGroupState': (45,) + state('hGroup', [('NodeName', PLPWSTR)]),
        'ApiCreateNotify': (55,) + opens([], 'hNotify'),
        'ApiCloseNotify': (56,) + close('hNotify'),
        'ApiAddNotifyCluster': (57, [('hNotify', H), ('hCluster', H), ('dwFilter', DWORD), ('dwNotifyKey', DWORD)], rpc + [('status', DWORD)]),
        'ApiAddNotifyNode': (58,) + add('hNode'),
        'ApiAddNotifyGroup': (59,) + add('hGroup'),
        'ApiAddNotifyResource': (60,) + add('hResource'),
        'ApiAddNotifyKey': (61, [('hNotify', H), ('hKey', H), ('dwNotifyKey', DWORD), ('Filter', DWORD), ('WatchSubTree', BOOL32)], rpc + [('status', DWORD)]),
        'ApiReAddNotifyNode': (62,) + readd('hNode'),
        'ApiReAddNotifyGroup': (63,) + readd('hGroup'),
        'ApiReAddNotifyResource': (64,) + readd('hResource'),
        'ApiGetNotify': (65, [('hNotify', H)] + ([('Timeout', DWORD)] if version == 2 else []),
                         [('dwNotifyKey', DWORD), ('dwFilter', DWORD), ('dwStateSequence', DWORD), ('Name', PLPWSTR)] + rpc + [('status', DWORD)]),
        'ApiOpenNode': (66,) + opens([('lpszNodeName', S_IN)], 'hNode'),
        'ApiCloseNode': (67,) + close('Node'),
        'ApiGetNodeState': (68,) + state('hNode'),
        'ApiOpenNetwork': (81,) + opens([('lpszNetworkName', S_IN)], 'hNetwork'),
        'ApiCloseNetwork': (82,) + close('Network'),
        'ApiGetNetworkState': (83,) + state('hNetwork'),
        'ApiAddNotifyNetwork': (90,) + add('hNetwork'),
        'ApiReAddNotifyNetwork': (91,) + readd('hNetwork'),
        'ApiOpenNetInterface': (92,) + opens([('lpszNetInterfaceName', S_IN)], 'hNetInterface'),
        'ApiCloseNetInterface': (93,) + close('NetInterface'),
        'ApiGetNetInterfaceState': (94,) + state('hNetInterface'),
        'ApiAddNotifyNetInterface': (99,) + add('hNetInterface'),
        'ApiReAddNotifyNetInterface': (100,) + readd('hNetInterface'),
        'ApiGetClusterVersion2': (102, [], [('lpwMajorVersion', WORD), ('lpwMinorVersion', WORD), ('lpwBuildNumber', WORD),
                                            ('lpszVendorId', PLPWSTR), ('lpszCSDVersion', PLPWSTR),
                                            ('ppClusterOpVerInfo', PPCLUSTER_OPERATIONAL_VERSION_INFO)] + rpc + [('status', DWORD)]),
        'ApiUnblockGetNotifyCall': (107, [('hNotify', H)], [('status', DWORD)]),
        # Management methods.
        'ApiCreateEnum': (7, [('dwType', DWORD)], [('ReturnEnum', PENUM_LIST)] + rpc + [('status', DWORD)]),
        'ApiGetQuorumResource': (5, [], [('lpszResourceName', PLPWSTR), ('lpszDeviceName', PLPWSTR), ('pdwMaxQuorumLogSize', DWORD)] + rpc + [('status', DWORD)]),
        'ApiCreateResource': (9,) + opens([('hGroup', H), ('lpszResourceName', S_IN), ('lpszResourceType', S_IN), ('dwFlags', DWORD)], 'hResource'),
        'ApiDeleteResource': (10, [('hResource', H)], rpc + [('status', DWORD)]),
        'ApiFailResource': (16, [('hResource', H)], rpc + [('status', DWORD)]),
        'ApiOnlineResource': (17, [('hResource', H)], rpc + [('status', DWORD)]),
        'ApiOfflineResource': (18, [('hResource', H)], rpc + [('status', DWORD)]),
        'ApiChangeResourceGroup': (25, [('hResource', H), ('hGroup', H)], rpc + [('status', DWORD)]),
        'ApiCreateKey': (29, [('hKey', H), ('lpSubKey', S_IN), ('dwOptions', DWORD), ('samDesired', DWORD), ('lpSecurityAttributes', PRPC_SECURITY_ATTRIBUTES)],
                         [('lpdwDisposition', DWORD), ('status', DWORD)] + rpc + [('phKey', H)]),
        'ApiSetValue': (32, [('hKey', H), ('lpValueName', S_IN), ('dwType', DWORD), ('lpData', BYTE_ARRAY), ('cbData', DWORD)], rpc + [('status', DWORD)]),
        'ApiDeleteValue': (33, [('hKey', H), ('lpValueName', S_IN)], rpc + [('status', DWORD)]),
        'ApiDeleteKey': (35, [('hKey', H), ('lpSubKey', S_IN)], rpc + [('status', DWORD)]),
        'ApiSetKeySecurity': (39, [('hKey', H), ('SecurityInformation', DWORD), ('pRpcSecurityDescriptor', RPC_SECURITY_DESCRIPTOR)], rpc + [('status', DWORD)]),
        'ApiCreateGroup': (42,) + opens([('lpszGroupName', S_IN)], 'hGroup'),
        'ApiDeleteGroup': (43, [('Group', H)] + ([('force', BOOL32)] if version == 3 else []), rpc + [('status', DWORD)]),
        'ApiOnlineGroup': (49, [('hGroup', H)], rpc + [('status', DWORD)]),
        'ApiOfflineGroup': (50, [('hGroup', H)], rpc + [('status', DWORD)]),
        'ApiMoveGroupToNode': (52, [('hGroup', H), ('hNode', H)], rpc + [('status', DWORD)]),
        'ApiPauseNode': (69, [('hNode', H)], rpc + [('status', DWORD)]),
        'ApiResumeNode': (70, [('hNode', H)], rpc + [('status', DWORD)]),
        'ApiGetNetInterface': (95, [('lpszNodeName', S_IN), ('lpszNetworkName', S_IN)], [('lppszInterfaceName', PLPWSTR)] + rpc + [('status', DWORD)]),
    }
    if version == 3:
        table['ApiCreateNotifyV2'] = (137, [], [('status', DWORD), ('rpc_status', DWORD), ('hNotify', H)])
        table['ApiAddNotifyV2'] = (138, [('hNotify', H), ('hObject', H), ('filter', NOTIFY_FILTER_AND_TYPE_RPC), ('dwNotifyKey', DWORD),
                                         ('dwVersion', DWORD), ('isTargetedAtObject', BOOL32)], [('rpc_status', DWORD), ('status', DWORD)])
        table['ApiGetNotifyV2'] = (139, [('hNotify', H)], [('Notifications', PPNOTIFICATION_RPC_ARRAY), ('dwNumNotifications', DWORD), ('status', DWORD)])
    return table


def call_class(method, version, part):
    opnum, ins, outs = idl(version)[method]
    cls = type(f'{method}_{part}', (NDRCALL,), {'opnum': opnum, 'structure': tuple(ins if part == 'request' else outs)})
    return cls


def handle_value(h):
    data = h.fields['Data']
    return None if data == b'\0' * 20 else data.hex()


def lpwstr_value(p):
    """An embedded LPWSTR: None when NULL, else the string without its NUL."""
    if p['ReferentID'] == 0:
        return None
    return p['Data'].rstrip('\0') if isinstance(p['Data'], str) else p['Data']['Data'].rstrip('\0')


def read(cls, obj, name):
    # obj.fields, not obj[...]: impacket's item access unwraps single-field structs.
    v = obj.fields[name]
    if cls is H:
        return handle_value(v)
    if cls is S_IN:
        return v['Data'].rstrip('\0')
    if cls is PLPWSTR:
        return lpwstr_value(v)
    if cls is BOOL32:
        return v['Data'] != 0
    if cls is NOTIFY_FILTER_AND_TYPE_RPC:
        return {'dwObjectType': v['dwObjectType'], 'FilterFlags': {'bigint': str(v['FilterFlags'])}}
    if cls in (DWORD, WORD):
        return v['Data']
    if cls is BYTE_ARRAY:
        return b''.join(v['Data']).hex()
    if cls is PBYTE_ARRAY:
        return None if v['ReferentID'] == 0 else b''.join(v.fields['Data']['Data']).hex()
    if cls is OUT_BUFFER:
        return b''.join(v['Data']).hex()
    if cls is RPC_SECURITY_DESCRIPTOR:
        return sd_value(v)
    if cls is SD_OFFER:
        return v['cbInSecurityDescriptor']
    if cls is SD_ANSWER:
        return sd_value(v)
    if cls is PRPC_SECURITY_ATTRIBUTES:
        if v['ReferentID'] == 0:
            return None
        return sd_value(v.fields['Data'].fields['RpcSecurityDescriptor']) or ''
    if cls is PENUM_LIST:
        if v['ReferentID'] == 0:
            return None
        return [{'Type': e['Type'], 'Name': lpwstr_value(e.fields['Name']) or ''} for e in v.fields['Data'].fields['Entry']['Data']]
    if cls is PPCLUSTER_OPERATIONAL_VERSION_INFO:
        if v['ReferentID'] == 0:
            return None
        s = v.fields['Data']
        return {k: s[k] for k in ('dwSize', 'dwClusterHighestVersion', 'dwClusterLowestVersion', 'dwFlags', 'dwReserved')}
    if cls is PPNOTIFICATION_RPC_ARRAY:
        if v['ReferentID'] == 0:
            return None
        out = []
        for n in v.fields['Data']['Data']:
            d = n.fields['NotificationData'].fields
            buf = d['buffer']
            out.append({
                'dwNotifyKey': n['dwNotifyKey'],
                'dwObjectType': d['FilterAndType']['dwObjectType'],
                'FilterFlags': {'bigint': str(d['FilterAndType']['FilterFlags'])},
                'buffer': None if buf['ReferentID'] == 0 else b''.join(buf.fields['Data']['Data']).hex(),
                'ObjectId': lpwstr_value(d['ObjectId']),
                'ParentId': lpwstr_value(d['ParentId']),
                'Name': lpwstr_value(d['Name']),
                'Type': lpwstr_value(d['Type']),
            })
        return out
    return v


def sd_value(sd):
    p = sd.fields['lpSecurityDescriptor']
    if p['ReferentID'] == 0:
        return None
    return b''.join(p.fields['Data']['Data']).hex()


def set_sd(sd, value):
    if value is None:
        sd['lpSecurityDescriptor'] = NULL
        sd['cbInSecurityDescriptor'] = 0
        sd['cbOutSecurityDescriptor'] = 0
        return
    raw = bytes.fromhex(value)
    sd.fields['lpSecurityDescriptor'].fields['Data']['Data'] = [bytes([b]) for b in raw]
    sd['cbInSecurityDescriptor'] = len(raw)
    sd['cbOutSecurityDescriptor'] = len(raw)


def set_lpwstr(p, value):
    if value is None:
        p['ReferentID'] = 0
        p.fields['Data'] = None
    else:
        p['Data'] = value + '\0'


def write(cls, obj, name, value, values):
    if cls is H:
        obj[name] = bytes(20) if value is None else bytes.fromhex(value)
    elif cls is S_IN:
        obj.fields[name]['Data'] = value + '\0'
    elif cls is PLPWSTR:
        if value is None:
            obj.fields[name]['ReferentID'] = 0
        else:
            obj.fields[name]['Data'] = value + '\0'
    elif cls is BOOL32:
        obj[name] = 1 if value else 0
    elif cls is BYTE_ARRAY:
        obj.fields[name]['Data'] = [bytes([b]) for b in bytes.fromhex(value or '')]
    elif cls is PBYTE_ARRAY:
        if value is None:
            obj.fields[name]['ReferentID'] = 0
        else:
            obj.fields[name].fields['Data']['Data'] = [bytes([b]) for b in bytes.fromhex(value)]
    elif cls is OUT_BUFFER:
        obj.fields[name]['Data'] = [bytes([b]) for b in bytes.fromhex(value or '')]
        # The max_count is the request's nOutBufferSize, not the bytes' length.
        obj.fields[name].fields['MaximumCount'] = values.get('nOutBufferSize', len(bytes.fromhex(value or '')))
    elif cls is RPC_SECURITY_DESCRIPTOR:
        set_sd(obj.fields[name], value)
    elif cls is SD_OFFER:
        sd = obj.fields[name]
        if value == 0:
            sd['lpSecurityDescriptor'] = NULL
        else:
            # A buffer of `value` bytes offered, none of them sent (max_count cbIn, actual_count 0).
            sd.fields['lpSecurityDescriptor'].fields['Data']['Data'] = []
            sd.fields['lpSecurityDescriptor'].fields['Data'].fields['MaximumCount'] = value
        sd['cbInSecurityDescriptor'] = value
        sd['cbOutSecurityDescriptor'] = 0
    elif cls is SD_ANSWER:
        sd = obj.fields[name]
        set_sd(sd, value)
        sd['cbInSecurityDescriptor'] = values['cbInSecurityDescriptor']
        if value is not None:
            sd.fields['lpSecurityDescriptor'].fields['Data'].fields['MaximumCount'] = values['cbInSecurityDescriptor']
    elif cls is PRPC_SECURITY_ATTRIBUTES:
        if value is None:
            obj.fields[name]['ReferentID'] = 0
        else:
            sa = obj.fields[name].fields['Data']
            sa['nLength'] = 20
            set_sd(sa.fields['RpcSecurityDescriptor'], value)
            sa['bInheritHandle'] = 0
    elif cls is PENUM_LIST:
        if value is None:
            obj.fields[name]['ReferentID'] = 0
        else:
            lst = obj.fields[name].fields['Data']
            lst['EntryCount'] = len(value)
            for e in value:
                entry = ENUM_ENTRY()
                entry['Type'] = e['Type']
                entry['Name'] = e['Name'] + '\0'
                lst['Entry'].append(entry)
    elif cls is NOTIFY_FILTER_AND_TYPE_RPC:
        obj.fields[name]['dwObjectType'] = values['dwObjectType']
        obj.fields[name]['FilterFlags'] = int(values['FilterFlags']['bigint'])
    elif cls is PPCLUSTER_OPERATIONAL_VERSION_INFO:
        if value is None:
            obj.fields[name]['ReferentID'] = 0
        else:
            for k, x in value.items():
                obj.fields[name].fields['Data'][k] = x
    elif cls is PPNOTIFICATION_RPC_ARRAY:
        if value is None:
            obj.fields[name]['ReferentID'] = 0
        else:
            arr = obj.fields[name].fields['Data']
            for n in value:
                e = NOTIFICATION_RPC()
                e['dwNotifyKey'] = n['dwNotifyKey']
                d = e['NotificationData']
                d['FilterAndType']['dwObjectType'] = n['dwObjectType']
                d['FilterAndType']['FilterFlags'] = int(n['FilterFlags']['bigint'])
                if n['buffer'] is None:
                    d['buffer'] = NULL
                    d['dwBufferSize'] = 0
                else:
                    raw = bytes.fromhex(n['buffer'])
                    d.fields['buffer'].fields['Data']['Data'] = [bytes([b]) for b in raw]
                    d['dwBufferSize'] = len(raw)
                for f in ('ObjectId', 'ParentId', 'Name', 'Type'):
                    if n[f] is None:
                        d[f] = NULL
                    else:
                        d[f] = n[f] + '\0'
                arr['Data'].append(e)
    else:
        obj[name] = value


def run(item):
    method, version, part = item['method'], item['version'], item['part']
    _, ins, outs = idl(version)[method]
    fields = ins if part == 'request' else outs
    cls = call_class(method, version, part)
    parsed = cls(bytes.fromhex(item['hex']))
    decoded = {}
    for name, ftype in fields:
        value = read(ftype, parsed, name)
        if ftype is OUT_BUFFER:
            decoded['nOutBufferSize'] = parsed.fields[name].fields['MaximumCount']
        if ftype is SD_ANSWER:
            decoded['cbInSecurityDescriptor'] = parsed.fields[name]['cbInSecurityDescriptor']
        if ftype is NOTIFY_FILTER_AND_TYPE_RPC:
            decoded.update(value)
        else:
            decoded[name] = value
    built = cls()
    for name, ftype in fields:
        write(ftype, built, name, item['values'].get(name), item['values'])
    return {'decoded': decoded, 'encoded': built.getData().hex()}


def main():
    with open(sys.argv[1]) as f:
        items = json.load(f)
    out = []
    for item in items:
        try:
            out.append(run(item))
        except Exception as e:  # reported per item, so one bad vector does not hide the rest
            out.append({'error': f'{type(e).__name__}: {e}'})
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main()
