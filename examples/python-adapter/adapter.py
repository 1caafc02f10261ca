#!/usr/bin/env python3
"""An adapter for cmrp-notify-conformance: the toy server of toy_server.py behind the adapter protocol.

The protocol (docs/adapter-protocol.md): JSON-RPC 2.0, one message per line, on stdin/stdout or on a
TCP connection. The harness sends Hello, then Connect, then MS-CMRP calls named after the methods
("ApiCreateNotify", ...) with the IDL's parameter names, and control verbs ("Control.SetState", ...).
Requests are concurrent: a blocked ApiGetNotify is answered later, whenever the server completes it,
while the next requests are already being served.

    python3 adapter.py                                  # stdio: the harness starts this process
    python3 adapter.py --listen tcp:127.0.0.1:PORT      # TCP: start it yourself, point the harness at it

Python 3.6 or later, standard library only. Logs go to stderr: stdout is the protocol's.
"""

import json
import os
import socket
import socketserver
import sys
import threading
import traceback

sys.dont_write_bytecode = True  # leave no __pycache__ next to the example
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import toy_server as toy  # noqa: E402
import management  # noqa: E402

PROTOCOL = "cmrp-adapter/1"
MAX_LINE = 1024 * 1024

# JSON-RPC error codes: the standard ones and the protocol's "stimulus failed".
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS, INTERNAL_ERROR = -32700, -32600, -32601, -32602, -32603
STIMULUS_FAILED = -32000

# The control verbs this adapter offers. The suite reports tests that need the others as NOT-TESTED.
CONTROL_VERBS = [
    "AddObject", "DeleteObject", "SetState", "SetProperty", "RegistryCreateKey", "RegistryDeleteKey",
    "RegistrySetValue", "RegistrySetSecurity", "SetServerState", "DropEvents", "Failover", "Reset",
]

DEFERRED = object()  # a handler's result when it will answer later through its reply callback


class RpcError(Exception):
    def __init__(self, code, message):
        Exception.__init__(self, message)
        self.code = code
        self.message = message


def log(text):
    sys.stderr.write("python-adapter: %s\n" % text)
    sys.stderr.flush()


# ---- parameter checks: a wrong type is the harness's mistake, answered with INVALID_PARAMS -----------

def _get(params, name, check, what, optional=False):
    if name not in params:
        if optional:
            return None
        raise RpcError(INVALID_PARAMS, '"%s" is missing' % name)
    value = params[name]
    if not check(value):
        raise RpcError(INVALID_PARAMS, '"%s" is not %s' % (name, what))
    return value


def handle(params, name):
    # Handles are opaque strings; null is the NULL context handle.
    return _get(params, name, lambda v: v is None or isinstance(v, str), "a string or null (handle)")


def string(params, name):
    return _get(params, name, lambda v: isinstance(v, str), "a string")


def uint32(params, name, optional=False):
    def ok(v):
        return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 0xFFFFFFFF
    return _get(params, name, ok, "an integer in 0..4294967295", optional)


def uint64(params, name):
    """An unsigned 64-bit value: a decimal string on the wire (JSON numbers lose precision past 2**53)."""
    text = _get(params, name, lambda v: isinstance(v, str) and v.isdigit() and int(v) < 2 ** 64, "a decimal string of an unsigned 64-bit value")
    return int(text)


def boolean(params, name):
    return _get(params, name, lambda v: isinstance(v, bool), "true or false")


# Open*/Close*/Get*State/Add*/ReAdd* exist for these object types; the method names follow the IDL.
OBJECT_METHODS = {
    "Node": "node", "Group": "group", "Resource": "resource", "Network": "network", "NetInterface": "netInterface",
}


class Session:
    """One stream (the stdio pipe, or one TCP connection) with its own toy server and connections."""

    def __init__(self, write_bytes):
        self.server = toy.ToyServer()
        self.connections = {}
        self.next_connection = 1
        self.write_lock = threading.Lock()
        self.write_bytes = write_bytes
        self.handlers = self._handlers()

    # ---- framing and dispatch ---------------------------------------------------------------------

    def send(self, message):
        data = (json.dumps(message, separators=(",", ":")) + "\n").encode("utf-8")
        with self.write_lock:  # replies come from several threads (v2 timers): one line at a time
            try:
                self.write_bytes(data)
            except (BrokenPipeError, ConnectionError, ValueError):
                pass  # the harness is gone; nothing left to tell it

    def handle_line(self, raw):
        try:
            request = json.loads(raw.decode("utf-8"))
        except ValueError:
            return self.send({"jsonrpc": "2.0", "id": None, "error": {"code": PARSE_ERROR, "message": "not JSON"}})
        request_id = request.get("id") if isinstance(request, dict) else None
        if (not isinstance(request, dict) or request.get("jsonrpc") != "2.0"
                or not isinstance(request.get("method"), str) or not isinstance(request_id, (int, str))):
            return self.send({"jsonrpc": "2.0", "id": request_id, "error": {"code": INVALID_REQUEST, "message": "not a request"}})
        params = request.get("params", {})

        def reply(result):
            self.send({"jsonrpc": "2.0", "id": request_id, "result": result})

        try:
            if not isinstance(params, dict):
                raise RpcError(INVALID_PARAMS, "params must be an object")
            handler = self.handlers.get(request["method"])
            if handler is None:
                raise RpcError(METHOD_NOT_FOUND, "unknown method %s" % request["method"])
            result = handler(params, reply)
            if result is not DEFERRED:
                reply(result)
        except RpcError as e:
            self.send({"jsonrpc": "2.0", "id": request_id, "error": {"code": e.code, "message": e.message}})
        except Exception as e:  # a bug here must not end the session: report it and go on
            log("%s failed:\n%s" % (request["method"], traceback.format_exc()))
            self.send({"jsonrpc": "2.0", "id": request_id, "error": {"code": INTERNAL_ERROR, "message": str(e)}})

    def close(self):
        """The stream ended: its connections go, as a client's do when its binding drops."""
        for connection in list(self.connections.values()):
            self.server.disconnect(connection)
        self.connections.clear()

    # ---- the methods ------------------------------------------------------------------------------

    def _handlers(self):
        s = self.server
        h = {
            "Hello": self.hello,
            "Connect": self.connect,
            "Disconnect": self.disconnect,
            "ApiOpenCluster": self.call(lambda c, p: s.open_cluster(c)),
            "ApiCloseCluster": self.call(lambda c, p: s.close_handle(c, handle(p, "hCluster"), "cluster")),
            "ApiGetRootKey": self.call(self.get_root_key),
            "ApiOpenKey": self.call(self.open_key),
            "ApiCloseKey": self.call(lambda c, p: s.close_handle(c, handle(p, "pKey"), "key")),
            "ApiCreateNotify": self.call(lambda c, p: s.create_notify(c)),
            "ApiCloseNotify": self.call(lambda c, p: s.close_notify(c, handle(p, "hNotify"))),
            "ApiAddNotifyCluster": self.call(lambda c, p: s.add_notify_cluster(
                c, handle(p, "hNotify"), handle(p, "hCluster"), uint32(p, "dwFilter"), uint32(p, "dwNotifyKey"))),
            "ApiAddNotifyKey": self.call(lambda c, p: s.add_notify_key(
                c, handle(p, "hNotify"), handle(p, "hKey"), uint32(p, "dwNotifyKey"), uint32(p, "Filter"), boolean(p, "WatchSubTree"))),
            # Timeout is sent in protocol version 2 only.
            "ApiGetNotify": self.call(lambda c, p, reply: s.get_notify(c, handle(p, "hNotify"), uint32(p, "Timeout", optional=True), reply), deferred=True),
            "ApiCreateNotifyV2": self.call(lambda c, p: s.create_notify_v2(c)),
            "ApiAddNotifyV2": self.call(lambda c, p: s.add_notify_v2(
                c, handle(p, "hNotify"), handle(p, "hObject"), uint32(p, "dwObjectType"), uint64(p, "FilterFlags"),
                uint32(p, "dwNotifyKey"), uint32(p, "dwVersion"), boolean(p, "isTargetedAtObject"))),
            "ApiGetNotifyV2": self.call(lambda c, p, reply: s.get_notify_v2(c, handle(p, "hNotify"), reply), deferred=True),
            "ApiUnblockGetNotifyCall": self.call(lambda c, p: s.unblock(c, handle(p, "hNotify"))),
        }
        for type_name, kind in OBJECT_METHODS.items():
            h.update(self._object_methods(type_name, kind))
        for verb in CONTROL_VERBS:
            h["Control." + verb] = self.control(verb)
        # MS-CMRP's management methods: what the suite's in-band stimuli call (management.py).
        h.update(management.handlers(self, handle, string, uint32, boolean))
        return h

    def _object_methods(self, type_name, kind):
        s = self.server
        hname = "h" + type_name

        def open_(c, p):
            status, hobj = s.open_object(c, kind, string(p, "lpsz%sName" % type_name))
            return {"status": status, hname: hobj}

        def get_state(c, p):
            reply = s.get_state(c, handle(p, hname), kind)
            # Each Get*State has its own out parameters.
            keep = {"group": ("NodeName",), "resource": ("NodeName", "GroupName")}.get(kind, ())
            return dict((k, v) for k, v in reply.items() if k in ("status", "State") + keep)

        def add(c, p):
            return s.add_notify_object(c, kind, handle(p, "hNotify"), handle(p, hname), uint32(p, "dwFilter"), uint32(p, "dwNotifyKey"))

        def readd(c, p):
            return s.add_notify_object(c, kind, handle(p, "hNotify"), handle(p, hname), uint32(p, "dwFilter"),
                                       uint32(p, "dwNotifyKey"), readd_sequence=uint32(p, "StateSequence"))

        return {
            "ApiOpen" + type_name: self.call(open_),
            "ApiClose" + type_name: self.call(lambda c, p: s.close_handle(c, handle(p, hname), kind)),
            "ApiGet%sState" % type_name: self.call(get_state),
            "ApiAddNotify" + type_name: self.call(add),
            "ApiReAddNotify" + type_name: self.call(readd),
        }

    def get_root_key(self, c, p):
        uint32(p, "samDesired")  # checked, then ignored: this server grants every access
        return self.server.get_root_key(c)

    def open_key(self, c, p):
        uint32(p, "samDesired")
        return self.server.open_key(c, handle(p, "hKey"), string(p, "lpSubKey"))

    def hello(self, params, reply):
        if params.get("protocol") != PROTOCOL:
            raise RpcError(INVALID_PARAMS, "this adapter speaks %s" % PROTOCOL)
        return {
            "protocol": PROTOCOL,
            "name": "python example adapter (toy server)",
            "protocolVersions": [2, 3],
            # Version 2 ports (ApiCreateNotifyV2 ...) in protocol version 3: toy_v2.py.
            # management: the MS-CMRP management methods of management.py (in-band stimuli, discovery).
            "capabilities": {"notifyV2": True, "accessLevels": ["full", "read"], "management": True},
            "control": CONTROL_VERBS,
        }

    def connect(self, params, reply):
        version = params.get("protocolVersion")
        access = params.get("accessLevel")
        if version not in (2, 3) or isinstance(version, bool):
            raise RpcError(INVALID_PARAMS, "protocolVersion must be 2 or 3")
        if access not in ("full", "read"):
            raise RpcError(INVALID_PARAMS, 'accessLevel must be "full" or "read"')
        name = "c%d" % self.next_connection
        self.next_connection += 1
        self.connections[name] = self.server.connect(version, access)
        return {"connection": name}

    def disconnect(self, params, reply):
        connection = self.connections.pop(string(params, "connection"), None)
        if connection is not None:
            self.server.disconnect(connection)  # its blocked reads are answered with a fault
        return {}

    def _connection(self, params):
        """The live connection named in params, or None (closed, lost in a failover, never opened)."""
        connection = self.connections.get(string(params, "connection"))
        return connection if connection is not None and connection.alive else None

    def call(self, method, deferred=False):
        """A method of a live connection. `deferred`: a read that may block (ApiGetNotify, ApiGetNotifyV2),
        called with the reply callback it answers through later."""
        def run(params, reply):
            connection = self._connection(params)
            if connection is None:
                return {"fault": toy.RPC_S_CALL_FAILED}  # the RPC runtime rejects it: the method never runs
            denied = self.server.access_check(connection)
            if denied is not None:
                return {"status": denied}  # out parameters may be left out of a failed call
            if deferred:
                method(connection, params, reply)
                return DEFERRED
            return method(connection, params)
        return run

    def control(self, verb):
        s = self.server

        def apply(p):
            if verb == "SetState":
                s.set_state(string(p, "objectType"), string(p, "name"), _get(p, "state", lambda v: isinstance(v, int), "an integer"))
            elif verb == "AddObject":
                placement = dict((k, p[k]) for k in ("group", "node", "network") if isinstance(p.get(k), str))
                s.add_object(string(p, "objectType"), string(p, "name"), placement)
            elif verb == "DeleteObject":
                s.delete_object(string(p, "objectType"), string(p, "name"))
            elif verb == "SetProperty":
                prop = (p["property"], p["value"]) if isinstance(p.get("property"), str) and isinstance(p.get("value"), (str, int)) else None
                s.set_property(string(p, "objectType"), p.get("name", ""), prop)
            elif verb == "RegistryCreateKey":
                s.registry_create_key(string(p, "path"))
            elif verb == "RegistryDeleteKey":
                s.registry_delete_key(string(p, "path"))
            elif verb == "RegistrySetValue":
                s.registry_set_value(string(p, "path"), p.get("valueName", "") if isinstance(p.get("valueName"), str) else "")
            elif verb == "RegistrySetSecurity":
                s.registry_set_security(string(p, "path"))
            elif verb == "SetServerState":
                s.set_server_state(string(p, "state"))
            elif verb == "DropEvents":
                s.drop_events()
            elif verb == "Failover":
                s.failover()
            elif verb == "Reset":
                s.reset()

        def run(params, reply):
            try:
                apply(params)  # returns once every event it causes is queued: the "settled" rule
            except (ValueError, KeyError) as e:
                raise RpcError(STIMULUS_FAILED, str(e))
            return {}
        return run


# ---- transports ------------------------------------------------------------------------------------

def serve_lines(readline, session):
    """Feeds complete lines to the session until the stream ends; an oversized line ends it."""
    try:
        while True:
            line = readline(MAX_LINE + 1)
            if not line:
                break
            if not line.endswith(b"\n") and len(line) > MAX_LINE:
                session.send({"jsonrpc": "2.0", "id": None, "error": {"code": INVALID_REQUEST, "message": "line too long"}})
                break
            if line.strip():
                session.handle_line(line)
    finally:
        session.close()


def serve_stdio():
    out = sys.stdout.buffer

    def write(data):
        out.write(data)
        out.flush()

    serve_lines(sys.stdin.buffer.readline, Session(write))


class TcpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        # Replies are small and latency matters (a test waits on each): send each line at once.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # Each TCP connection gets its own toy server, like each stdio process has its own.
        serve_lines(self.rfile.readline, Session(self.wfile.write))


class TcpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve_tcp(spec):
    host, _, port = spec[len("tcp:"):].rpartition(":")
    if host != "127.0.0.1":
        raise SystemExit("python-adapter: listen on 127.0.0.1 only")
    server = TcpServer((host, int(port)), TcpHandler)
    sys.stdout.write("listening on tcp:127.0.0.1:%d\n" % server.server_address[1])
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def main(argv):
    if len(argv) == 2 and argv[0] == "--listen" and argv[1].startswith("tcp:"):
        serve_tcp(argv[1])
    elif not argv or argv == ["--listen", "stdio"]:
        serve_stdio()
    else:
        raise SystemExit("usage: adapter.py [--listen stdio|tcp:127.0.0.1:PORT]")


if __name__ == "__main__":
    main(sys.argv[1:])
