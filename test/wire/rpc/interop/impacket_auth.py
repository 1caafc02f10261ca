#!/usr/bin/python3
# The independent clusapi client of impacket_client.py, authenticated: python3-impacket's DCE/RPC
# transport with raw NTLM (RPC_C_AUTHN_WINNT; never its GSS_NEGOTIATE, which is Kerberos there) at
# connect, packet integrity or packet privacy. It binds clusapi 3.0, creates a notification port, opens a
# net interface, re-adds it with a stale StateSequence and reads the catch-up event, as the
# unauthenticated client does. The password comes from the CMRP_PASSWORD environment variable, never
# from argv, and is never printed. Prints one JSON object: what the server answered, or how it refused.
#
# usage: impacket_auth.py PORT DOMAIN\NAME connect|integrity|privacy [NETINTERFACE_NAME]
import json
import os
import sys

from impacket.dcerpc.v5 import rpcrt, transport
from impacket.dcerpc.v5.rpcrt import DCERPCException
from impacket.uuid import uuidtup_to_bin

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from impacket_client import CLUSAPI, ApiCreateNotify, catch_up  # noqa: E402

LEVELS = {
    'connect': rpcrt.RPC_C_AUTHN_LEVEL_CONNECT,
    'integrity': rpcrt.RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
    'privacy': rpcrt.RPC_C_AUTHN_LEVEL_PKT_PRIVACY,
}


def refusal(error):
    """How the server said no, as text that names no secret."""
    if isinstance(error, DCERPCException):
        return 'DCERPCException: %s' % error.error_string if hasattr(error, 'error_string') else 'DCERPCException: %s' % error
    return '%s: %s' % (type(error).__name__, error)


def main():
    port = int(sys.argv[1])
    domain, _, user = sys.argv[2].rpartition('\\')
    level = LEVELS[sys.argv[3]]
    name = sys.argv[4] if len(sys.argv) > 4 else 'node1 - Ethernet'
    rpc = transport.DCERPCTransportFactory('ncacn_ip_tcp:127.0.0.1[%d]' % port)
    rpc.set_connect_timeout(5)
    rpc.set_credentials(user, os.environ['CMRP_PASSWORD'], domain)
    dce = rpc.get_dce_rpc()
    dce.set_auth_type(rpcrt.RPC_C_AUTHN_WINNT)
    dce.set_auth_level(level)
    dce.connect()
    try:
        dce.bind(uuidtup_to_bin(CLUSAPI))
        port_reply = dce.request(ApiCreateNotify(), checkError=False)
    except Exception as error:  # the server refused the client: report how
        print(json.dumps({'refused': refusal(error)}))
        return
    assert port_reply['rpc_error'] == 0, 'ApiCreateNotify rpc_error %#x' % port_reply['rpc_error']
    result = catch_up(dce, name, port_reply['ReturnValue'])
    dce.disconnect()
    print(json.dumps(result))


if __name__ == '__main__':
    main()
