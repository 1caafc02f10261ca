"""MS-CMRP management methods of the toy server, for the suite's in-band stimuli.

With them (Hello's capabilities.management) the suite can cause events through MS-CMRP itself when no
control verbs are used (--stimuli inband), and find the server's objects without a profile
(ApiCreateEnum). Each changes the toy cluster through the same code the control verbs use, so a change
posts the same indications whichever way it was caused. ApiChangeResourceGroup, ApiMoveGroupToNode,
ApiSetQuorumResource and ApiResourceTypeControl are answered ERROR_INVALID_FUNCTION: this toy has no resource or group moves and no
quorum (nor the MoveResource and SetQuorum verbs), so the suite reports the stimuli that need them as not
applied. ApiGetKeySecurity returns what ApiSetKeySecurity set (an empty DACL before).

The Api*Control methods serve two control codes per object (3.1.4.3): *_GET_COMMON_PROPERTIES, the
properties set so far as a PROPERTY_LIST (2.2.3.10), and *_SET_COMMON_PROPERTIES, which sets each property
of the list it is given (the in-band SetProperty stimulus).
"""

import struct

import toy_server as toy
import toy_v2

ERROR_INVALID_FUNCTION = 1
ERROR_DIR_NOT_EMPTY = 145
ERROR_OBJECT_ALREADY_EXISTS = 0x1392
ERROR_CLUSTER_NODE_NOT_PAUSED = 0x13C2
ERROR_INVALID_DATA = 13
ERROR_MORE_DATA = 234
ERROR_INSUFFICIENT_BUFFER = 122
# Self-relative, SE_DACL_PRESENT, an empty DACL: a key's descriptor until ApiSetKeySecurity sets one.
DEFAULT_KEY_SECURITY = "0100048000000000000000000000000014000000" + "0200080000000000"

# Api*Control: the method, its object kind, its handle parameter and its codes' object byte (3.1.4.3).
CONTROL_METHODS = {
    "ApiResourceControl": ("resource", "hResource", 0x01),
    "ApiGroupControl": ("group", "hGroup", 0x03),
    "ApiNodeControl": ("node", "hNode", 0x04),
    "ApiNetworkControl": ("network", "hNetwork", 0x05),
    "ApiNetInterfaceControl": ("netInterface", "hNetInterface", 0x06),
    "ApiClusterControl": ("cluster", "hCluster", 0x07),
}
GET_COMMON_PROPERTIES, SET_COMMON_PROPERTIES = 0x000059, 0x40005E
MODIFY_BIT = 0x00400000


def read_property_list(data):
    """(name, value) pairs of a PROPERTY_LIST: each property's first SZ or DWORD value. ValueError if malformed."""
    at = 0

    def word():
        nonlocal at
        if at + 4 > len(data):
            raise ValueError("the property list ends early")
        (v,) = struct.unpack_from("<I", data, at)
        at += 4
        return v

    def chunk(size):
        nonlocal at
        if at + size > len(data):
            raise ValueError("the property list ends early")
        b = data[at:at + size]
        at += size + (4 - size % 4) % 4
        return b

    out = []
    for _ in range(word()):
        if word() != 0x00040003:
            raise ValueError("a property does not start with its name")
        name = chunk(word()).decode("utf-16-le").rstrip("\0")
        value = None
        while True:
            syntax = word()
            if syntax == 0:
                break
            raw = chunk(word())
            if value is None:
                value = struct.unpack("<I", raw)[0] if syntax & 0xFFFF == 2 and len(raw) == 4 else raw.decode("utf-16-le").rstrip("\0")
        out.append((name, value))
    return out


def write_property_list(pairs):
    """A PROPERTY_LIST of the pairs (toy_v2.property_list writes one; its count is patched)."""
    if not pairs:
        return struct.pack("<I", 0)
    body = b"".join(bytes.fromhex(toy_v2.property_list(n, v))[4:] for n, v in pairs)
    return struct.pack("<I", len(pairs)) + body
REG_CREATED_NEW_KEY, REG_OPENED_EXISTING_KEY = 1, 2

# CLUSTER_ENUM_* bits of ApiCreateEnum (2.2.2.x) and the toy's object kinds.
ENUM_KINDS = [(0x1, "node"), (0x2, "resourceType"), (0x4, "resource"), (0x8, "group"), (0x10, "network"), (0x20, "netInterface")]
QUORUM_RESOURCE = "Cluster Disk 1"

# The states a management method sets (2.2.3.x), by method: (object kind, state).
STATE_METHODS = {
    "ApiOnlineGroup": ("group", toy.GROUP_ONLINE),
    "ApiOfflineGroup": ("group", toy.GROUP_OFFLINE),
    "ApiOnlineResource": ("resource", toy.RES_ONLINE),
    "ApiOfflineResource": ("resource", toy.RES_OFFLINE),
    "ApiFailResource": ("resource", toy.RES_FAILED),
    "ApiPauseNode": ("node", toy.NODE_PAUSED),
}


def handlers(adapter, handle, string, uint32, boolean):
    """The methods as adapter handlers (adapter.call wraps each: a live connection, the access check)."""
    s = adapter.server
    HANDLE_PARAM = {"group": "hGroup", "resource": "hResource", "node": "hNode"}

    def target(c, p, kind):
        """The object a handle parameter names, or the status the call fails with."""
        found = c.resolve(handle(p, HANDLE_PARAM[kind]), kind)
        if found is None:
            return None, toy.ERROR_INVALID_HANDLE
        obj = s.cluster.find(kind, found[1])
        return (obj, None) if obj is not None else (None, toy.TYPES[kind][5])

    def key_path(c, p, name="hKey"):
        found = c.resolve(handle(p, name), "key")
        return None if found is None else found[1]

    def joined(lowered):
        return "\\".join(s.cluster.keys.get(lowered, lowered))

    def set_state(method):
        kind, state = STATE_METHODS[method]

        def run(c, p):
            with s.lock:
                obj, refused = target(c, p, kind)
                if refused is not None:
                    return {"status": refused}
                s.set_state(kind, obj.name, state)
                return {"status": toy.ERROR_SUCCESS}
        return run

    def resume_node(c, p):
        with s.lock:
            obj, refused = target(c, p, "node")
            if refused is not None:
                return {"status": refused}
            if obj.state != toy.NODE_PAUSED:
                return {"status": ERROR_CLUSTER_NODE_NOT_PAUSED}
            s.set_state("node", obj.name, toy.NODE_UP)
            return {"status": toy.ERROR_SUCCESS}

    def create_enum(c, p):
        dw_type = uint32(p, "dwType")
        known = sum(bit for bit, _ in ENUM_KINDS)
        if dw_type == 0 or dw_type & ~known:
            return {"status": toy.ERROR_INVALID_PARAMETER, "ReturnEnum": []}
        with s.lock:
            entries = [{"Type": bit, "Name": o.name} for bit, kind in ENUM_KINDS if dw_type & bit for o in s.cluster.all(kind)]
        return {"status": toy.ERROR_SUCCESS, "ReturnEnum": entries}

    def get_net_interface(c, p):
        node, network = string(p, "lpszNodeName"), string(p, "lpszNetworkName")
        with s.lock:
            for nic in s.cluster.all("netInterface"):
                if (nic.node or "").lower() == node.lower() and (nic.network or "").lower() == network.lower():
                    return {"status": toy.ERROR_SUCCESS, "lppszInterfaceName": nic.name}
        return {"status": toy.ERROR_CLUSTER_NETINTERFACE_NOT_FOUND, "lppszInterfaceName": ""}

    def create_group(c, p):
        name = string(p, "lpszGroupName")
        with s.lock:
            if s.cluster.find("group", name):
                return {"status": ERROR_OBJECT_ALREADY_EXISTS, "hGroup": toy.NULL_HANDLE}
            s.add_object("group", name, {"node": "node1"})
            return {"status": toy.ERROR_SUCCESS, "hGroup": c.issue(("group", name.lower()))}

    def delete_group(c, p):
        force = boolean(p, "force") if "force" in p else False
        with s.lock:
            obj, refused = target(c, p, "group")
            if refused is not None:
                return {"status": refused}
            if s.cluster.all("resource", group=obj.name) and not (c.version == 3 and force):
                return {"status": ERROR_DIR_NOT_EMPTY}
            s.delete_object("group", obj.name)
            return {"status": toy.ERROR_SUCCESS}

    def create_resource(c, p):
        name, type_name = string(p, "lpszResourceName"), string(p, "lpszResourceType")
        uint32(p, "dwFlags")
        with s.lock:
            group, refused = target(c, p, "group")
            if refused is not None:
                return {"status": refused, "hResource": toy.NULL_HANDLE}
            if s.cluster.find("resource", name):
                return {"status": ERROR_OBJECT_ALREADY_EXISTS, "hResource": toy.NULL_HANDLE}
            s.add_object("resource", name, {"group": group.name, "resourceType": type_name})
            return {"status": toy.ERROR_SUCCESS, "hResource": c.issue(("resource", name.lower()))}

    def delete_resource(c, p):
        with s.lock:
            obj, refused = target(c, p, "resource")
            if refused is not None:
                return {"status": refused}
            s.delete_object("resource", obj.name)
            return {"status": toy.ERROR_SUCCESS}

    def create_key(c, p):
        sub = string(p, "lpSubKey")
        uint32(p, "dwOptions")
        uint32(p, "samDesired")
        with s.lock:
            parent = key_path(c, p)
            if parent is None:
                return {"status": toy.ERROR_INVALID_HANDLE, "phKey": toy.NULL_HANDLE, "lpdwDisposition": 0}
            parts = s.cluster.keys.get(parent, parent) + toy.split_path(sub)
            lowered = toy.lower_path(parts)
            existed = lowered in s.cluster.keys
            s.registry_create_key("\\".join(parts))
            disposition = REG_OPENED_EXISTING_KEY if existed else REG_CREATED_NEW_KEY
            return {"status": toy.ERROR_SUCCESS, "phKey": c.issue(("key", lowered)), "lpdwDisposition": disposition}

    def delete_key(c, p):
        sub = string(p, "lpSubKey")
        with s.lock:
            parent = key_path(c, p)
            if parent is None:
                return {"status": toy.ERROR_INVALID_HANDLE}
            lowered = parent + toy.lower_path(toy.split_path(sub))
            if lowered not in s.cluster.keys or lowered == parent:
                return {"status": toy.ERROR_FILE_NOT_FOUND}
            s.registry_delete_key(joined(lowered))
            return {"status": toy.ERROR_SUCCESS}

    def value_change(c, p):
        # The toy keeps no value data: setting or deleting a value is its REGISTRY_VALUE indication.
        name = string(p, "lpValueName")
        with s.lock:
            path = key_path(c, p)
            if path is None or path not in s.cluster.keys:
                return {"status": toy.ERROR_INVALID_HANDLE}
            s.registry_set_value(joined(path), name)
            return {"status": toy.ERROR_SUCCESS}

    descriptors = {}  # lowered key path -> the descriptor ApiSetKeySecurity set (hex)

    def set_key_security(c, p):
        uint32(p, "SecurityInformation")
        with s.lock:
            path = key_path(c, p)
            if path is None or path not in s.cluster.keys:
                return {"status": toy.ERROR_INVALID_HANDLE}
            s.registry_set_security(joined(path))
            if p.get("pRpcSecurityDescriptor"):
                descriptors[path] = p["pRpcSecurityDescriptor"]
            return {"status": toy.ERROR_SUCCESS}

    def get_key_security(c, p):
        uint32(p, "SecurityInformation")
        offered = uint32(p, "cbInSecurityDescriptor")
        with s.lock:
            path = key_path(c, p)
            if path is None or path not in s.cluster.keys:
                return {"status": toy.ERROR_INVALID_HANDLE, "pRpcSecurityDescriptor": None, "cbInSecurityDescriptor": 0}
            descriptor = descriptors.get(path, DEFAULT_KEY_SECURITY)
            if offered < len(descriptor) // 2:
                return {"status": ERROR_INSUFFICIENT_BUFFER, "pRpcSecurityDescriptor": None, "cbInSecurityDescriptor": len(descriptor) // 2}
            return {"status": toy.ERROR_SUCCESS, "pRpcSecurityDescriptor": descriptor, "cbInSecurityDescriptor": offered}

    def unsupported(c, p):
        return {"status": ERROR_INVALID_FUNCTION}

    properties = {}  # (kind, lowered name) -> {property: value}: what *_SET_COMMON_PROPERTIES stored

    def control(method):
        kind, hname, object_byte = CONTROL_METHODS[method]

        def run(c, p):
            code = uint32(p, "dwControlCode")
            data = p.get("lpInBuffer")
            size_in, size_out = uint32(p, "nInBufferSize"), uint32(p, "nOutBufferSize")
            answer = {"status": toy.ERROR_SUCCESS, "lpOutBuffer": "", "lpBytesReturned": 0, "lpcbRequired": 0}
            if code >> 24 != object_byte:
                return dict(answer, status=ERROR_INVALID_FUNCTION)
            if code & MODIFY_BIT and (c.access != "full" or s.read_only):
                return dict(answer, status=toy.ERROR_ACCESS_DENIED if c.access != "full" else toy.ERROR_SHARING_PAUSED)
            with s.lock:
                found = c.resolve(handle(p, hname), kind)
                if found is None:
                    return dict(answer, status=toy.ERROR_INVALID_HANDLE)
                name = toy.CLUSTER_NAME if kind == "cluster" else found[1]
                if kind != "cluster" and s.cluster.find(kind, name) is None:
                    return dict(answer, status=toy.TYPES[kind][5])
                stored = properties.setdefault((kind, name.lower()), {})
                if code & 0xFFFFFF == GET_COMMON_PROPERTIES:
                    out = write_property_list(list(stored.items()))
                    if len(out) > size_out:
                        return dict(answer, status=ERROR_MORE_DATA, lpcbRequired=len(out))
                    return dict(answer, lpOutBuffer=out.hex(), lpBytesReturned=len(out), lpcbRequired=len(out))
                if code & 0xFFFFFF == SET_COMMON_PROPERTIES:
                    raw = bytes.fromhex(data or "")
                    if len(raw) != size_in:
                        return dict(answer, status=toy.ERROR_INVALID_PARAMETER)
                    try:
                        pairs = read_property_list(raw)
                    except ValueError:
                        return dict(answer, status=ERROR_INVALID_DATA)
                    for prop, value in pairs:
                        stored[prop] = value
                        s.set_property(kind, None if kind == "cluster" else s.cluster.find(kind, name).name, (prop, value))
                    return answer
            return dict(answer, status=ERROR_INVALID_FUNCTION)
        return run

    methods = {
        "ApiGetClusterName": lambda c, p: {"status": toy.ERROR_SUCCESS, "ClusterName": toy.CLUSTER_NAME, "NodeName": "node1"},
        "ApiCreateEnum": create_enum,
        "ApiGetNetInterface": get_net_interface,
        "ApiGetQuorumResource": lambda c, p: {"status": toy.ERROR_SUCCESS, "lpszResourceName": QUORUM_RESOURCE, "lpszDeviceName": "", "pdwMaxQuorumLogSize": 0},
        "ApiCreateGroup": create_group,
        "ApiDeleteGroup": delete_group,
        "ApiCreateResource": create_resource,
        "ApiDeleteResource": delete_resource,
        "ApiResumeNode": resume_node,
        "ApiCreateKey": create_key,
        "ApiDeleteKey": delete_key,
        "ApiSetValue": value_change,
        "ApiDeleteValue": value_change,
        "ApiSetKeySecurity": set_key_security,
        "ApiGetKeySecurity": get_key_security,
        "ApiSetQuorumResource": unsupported,
        "ApiResourceTypeControl": unsupported,
        "ApiChangeResourceGroup": unsupported,
        "ApiMoveGroupToNode": unsupported,
    }
    for method in STATE_METHODS:
        methods[method] = set_state(method)
    for method in CONTROL_METHODS:
        methods[method] = control(method)

    def changing(run):
        """3.1.4.x: a change asks, implicitly, for "All" (ERROR_ACCESS_DENIED to a Read client) and the
        read/write protocol server state (3.1.1: ERROR_SHARING_PAUSED in read-only)."""
        def gated(c, p):
            if c.access != "full":
                return {"status": toy.ERROR_ACCESS_DENIED}
            if s.read_only:
                return {"status": toy.ERROR_SHARING_PAUSED}
            return run(c, p)
        return gated

    # Api*Control checks access itself: only a code with the modify bit is a change (3.1.4.x).
    reads = {"ApiGetClusterName", "ApiCreateEnum", "ApiGetNetInterface", "ApiGetQuorumResource", "ApiGetKeySecurity"} | set(CONTROL_METHODS)
    return dict((name, adapter.call(run if name in reads else changing(run))) for name, run in methods.items())
