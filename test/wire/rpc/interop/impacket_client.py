#!/usr/bin/python3
# An independent clusapi client built on python3-impacket's DCE/RPC transport and NDR classes (never its
# GSS_NEGOTIATE / Kerberos): it binds clusapi 3.0 without authentication, creates a notification port,
# opens a net interface, re-adds it with a stale StateSequence and reads the catch-up event. Each call
# below is transcribed from [MS-CMRP] Appendix A.2 (clusapi3.idl), independently of the suite's codec.
# Prints one JSON object with what the server answered; exits non-zero on any failure.
#
# usage: impacket_client.py PORT [NETINTERFACE_NAME]
import json
import sys

from impacket.dcerpc.v5 import transport
from impacket.dcerpc.v5.dtypes import DWORD, LPWSTR, NULL, ULONG, UUID, WSTR
from impacket.dcerpc.v5.ndr import NDRCALL, NDRSTRUCT
from impacket.dcerpc.v5.rpcrt import DCERPCException
from impacket.uuid import uuidtup_to_bin

CLUSAPI = ('b97db8b2-4c63-11cf-bff6-08002be23f2f', '3.0')
CLUSTER_CHANGE_NETINTERFACE_STATE = 0x01000000
NOTIFY_KEY = 0x1CE1CE
STALE_SEQUENCE = 0xDEADBEEF


class DCERPCSessionError(DCERPCException):
    pass


class CONTEXT_HANDLE(NDRSTRUCT):
    """Every H*_RPC of the IDL: a 20-byte context handle (attributes + UUID)."""
    structure = (('attributes', ULONG), ('uuid', UUID))


# HNOTIFY_RPC ApiCreateNotify([out] error_status_t *rpc_error, [out] error_status_t *rpc_status)  opnum 55
class ApiCreateNotify(NDRCALL):
    opnum = 55
    structure = ()


class ApiCreateNotifyResponse(NDRCALL):
    structure = (('rpc_error', DWORD), ('rpc_status', DWORD), ('ReturnValue', CONTEXT_HANDLE))


# HNETINTERFACE_RPC ApiOpenNetInterface([in, string] LPCWSTR lpszNetInterfaceName,
#   [out] error_status_t *Status, [out] error_status_t *rpc_status)  opnum 92
class ApiOpenNetInterface(NDRCALL):
    opnum = 92
    structure = (('lpszNetInterfaceName', WSTR),)


class ApiOpenNetInterfaceResponse(NDRCALL):
    structure = (('Status', DWORD), ('rpc_status', DWORD), ('ReturnValue', CONTEXT_HANDLE))


# error_status_t ApiReAddNotifyNetInterface([in] HNOTIFY_RPC hNotify, [in] HNETINTERFACE_RPC hNetInterface,
#   [in] DWORD dwFilter, [in] DWORD dwNotifyKey, [in] DWORD StateSequence, [out] error_status_t *rpc_status)  opnum 100
class ApiReAddNotifyNetInterface(NDRCALL):
    opnum = 100
    structure = (
        ('hNotify', CONTEXT_HANDLE),
        ('hNetInterface', CONTEXT_HANDLE),
        ('dwFilter', DWORD),
        ('dwNotifyKey', DWORD),
        ('StateSequence', DWORD),
    )


class ApiReAddNotifyNetInterfaceResponse(NDRCALL):
    structure = (('rpc_status', DWORD), ('ErrorCode', DWORD))


# error_status_t ApiGetNotify([in] HNOTIFY_RPC hNotify, [out] DWORD *dwNotifyKey, [out] DWORD *dwFilter,
#   [out] DWORD *dwStateSequence, [out, string] LPWSTR *Name, [out] error_status_t *rpc_status)  opnum 65
class ApiGetNotify(NDRCALL):
    opnum = 65
    structure = (('hNotify', CONTEXT_HANDLE),)


class ApiGetNotifyResponse(NDRCALL):
    structure = (
        ('dwNotifyKey', DWORD),
        ('dwFilter', DWORD),
        ('dwStateSequence', DWORD),
        ('Name', LPWSTR),
        ('rpc_status', DWORD),
        ('ErrorCode', DWORD),
    )


# error_status_t ApiCloseNotify([in, out] HNOTIFY_RPC *Notify)  opnum 56
class ApiCloseNotify(NDRCALL):
    opnum = 56
    structure = (('Notify', CONTEXT_HANDLE),)


class ApiCloseNotifyResponse(NDRCALL):
    structure = (('Notify', CONTEXT_HANDLE), ('ErrorCode', DWORD))


def catch_up(dce, name, h_notify):
    """Opens the net interface, re-adds it with a stale StateSequence, reads the catch-up event, closes the
    port: what both interop clients check, with or without authentication."""
    open_req = ApiOpenNetInterface()
    open_req['lpszNetInterfaceName'] = name + '\x00'
    nic = dce.request(open_req, checkError=False)
    assert nic['Status'] == 0, 'ApiOpenNetInterface Status %#x' % nic['Status']

    readd = ApiReAddNotifyNetInterface()
    readd['hNotify'] = h_notify
    readd['hNetInterface'] = nic['ReturnValue']
    readd['dwFilter'] = CLUSTER_CHANGE_NETINTERFACE_STATE
    readd['dwNotifyKey'] = NOTIFY_KEY
    readd['StateSequence'] = STALE_SEQUENCE
    readd_reply = dce.request(readd, checkError=False)

    get = ApiGetNotify()
    get['hNotify'] = h_notify
    event = dce.request(get, checkError=False)

    close = ApiCloseNotify()
    close['Notify'] = h_notify
    closed = dce.request(close, checkError=False)
    event_name = event['Name']
    return {
        'readdStatus': readd_reply['ErrorCode'],
        'status': event['ErrorCode'],
        'dwNotifyKey': event['dwNotifyKey'],
        'dwFilter': event['dwFilter'],
        'dwStateSequence': event['dwStateSequence'],
        'Name': None if event_name == NULL else event_name.rstrip('\x00'),
        'closeStatus': closed['ErrorCode'],
        'closedHandleIsNull': closed['Notify'].getData() == b'\x00' * 20,
    }


def main():
    port = int(sys.argv[1])
    name = sys.argv[2] if len(sys.argv) > 2 else 'node1 - Ethernet'
    rpc = transport.DCERPCTransportFactory('ncacn_ip_tcp:127.0.0.1[%d]' % port)
    rpc.set_connect_timeout(5)
    dce = rpc.get_dce_rpc()
    dce.connect()
    dce.bind(uuidtup_to_bin(CLUSAPI))

    port_reply = dce.request(ApiCreateNotify(), checkError=False)
    assert port_reply['rpc_error'] == 0, 'ApiCreateNotify rpc_error %#x' % port_reply['rpc_error']
    result = catch_up(dce, name, port_reply['ReturnValue'])
    dce.disconnect()

    print(json.dumps(result))


if __name__ == '__main__':
    main()
