"""A tiny stand-alone [MS-CMRP] notification server: the thing an adapter wraps.

It knows nothing of the adapter protocol. It has a small cluster (nodes, groups, resources, networks,
net interfaces, a cluster registry), version 1 notification ports with filters and FIFO queues,
version 2 ports (toy_v2.py, protocol version 3), and the methods a client calls on them. In a real project this is your server; adapter.py is the thin
layer you write around it.

Threading: every public method runs under one lock. A read that has to wait does not block a thread:
it leaves a callback on the port, and whoever completes it (an event, ApiUnblockGetNotifyCall,
ApiCloseNotify, a v2 timer) calls that callback with the reply.
"""

import secrets
import threading

import toy_v2

# Win32 and RPC status codes ([MS-CMRP] 3.1.4 and the Windows values for the same conditions).
ERROR_SUCCESS = 0
ERROR_ACCESS_DENIED = 5
ERROR_INVALID_FUNCTION = 1  # how a blocked read ends when ApiUnblockGetNotifyCall or ApiCloseNotify releases it
ERROR_FILE_NOT_FOUND = 2
ERROR_KEY_DELETED = 1018
ERROR_INVALID_HANDLE = 6
ERROR_INVALID_PARAMETER = 0x57
ERROR_SHARING_PAUSED = 0x46
WAIT_TIMEOUT = 0x102
ERROR_NO_MORE_ITEMS = 0x103
ERROR_RESOURCE_NOT_AVAILABLE = 5006
ERROR_RESOURCE_NOT_FOUND = 5007
ERROR_GROUP_NOT_AVAILABLE = 5012
ERROR_GROUP_NOT_FOUND = 5013
ERROR_CLUSTER_NODE_NOT_FOUND = 5042
ERROR_CLUSTER_NETWORK_NOT_FOUND = 5045
ERROR_CLUSTER_NETINTERFACE_NOT_FOUND = 5047
RPC_S_CALL_FAILED = 0x6BE  # a fault, not a status: the call's connection is gone
NCA_S_OP_RNG_ERROR = 0x1C010002  # a fault: the protocol version 2 interface has no such opnum

INFINITE = 0xFFFFFFFF
NULL_HANDLE = "00" * 20

# CLUSTER_CHANGE ([MS-CMRP] 2.2.2.7): one bit per kind of change.
NODE_STATE, NODE_DELETED, NODE_ADDED, NODE_PROPERTY = 0x1, 0x2, 0x4, 0x8
REGISTRY_NAME, REGISTRY_ATTRIBUTES, REGISTRY_VALUE, REGISTRY_SUBTREE = 0x10, 0x20, 0x40, 0x80
RESOURCE_STATE, RESOURCE_DELETED, RESOURCE_ADDED, RESOURCE_PROPERTY = 0x100, 0x200, 0x400, 0x800
GROUP_STATE, GROUP_DELETED, GROUP_ADDED, GROUP_PROPERTY = 0x1000, 0x2000, 0x4000, 0x8000
CLUSTER_RECONNECT = 0x80000
NETWORK_STATE, NETWORK_DELETED, NETWORK_ADDED, NETWORK_PROPERTY = 0x100000, 0x200000, 0x400000, 0x800000
NETINTERFACE_STATE, NETINTERFACE_DELETED, NETINTERFACE_ADDED, NETINTERFACE_PROPERTY = 0x1000000, 0x2000000, 0x4000000, 0x8000000
CLUSTER_PROPERTY = 0x40000000

RESOURCE_TYPE_DELETED, RESOURCE_TYPE_ADDED, RESOURCE_TYPE_PROPERTY = 0x10000, 0x20000, 0x40000

# Per object type: (added, deleted, state, property) bits, the status of Open* for an unknown name,
# and the status of Get*State through a handle whose object has since been deleted.
TYPES = {
    "node": (NODE_ADDED, NODE_DELETED, NODE_STATE, NODE_PROPERTY, ERROR_CLUSTER_NODE_NOT_FOUND, ERROR_CLUSTER_NODE_NOT_FOUND),
    "group": (GROUP_ADDED, GROUP_DELETED, GROUP_STATE, GROUP_PROPERTY, ERROR_GROUP_NOT_FOUND, ERROR_GROUP_NOT_AVAILABLE),
    "resource": (
        RESOURCE_ADDED, RESOURCE_DELETED, RESOURCE_STATE, RESOURCE_PROPERTY, ERROR_RESOURCE_NOT_FOUND, ERROR_RESOURCE_NOT_AVAILABLE,
    ),
    "network": (
        NETWORK_ADDED, NETWORK_DELETED, NETWORK_STATE, NETWORK_PROPERTY, ERROR_CLUSTER_NETWORK_NOT_FOUND,
        ERROR_CLUSTER_NETWORK_NOT_FOUND,
    ),
    "netInterface": (
        NETINTERFACE_ADDED, NETINTERFACE_DELETED, NETINTERFACE_STATE, NETINTERFACE_PROPERTY,
        ERROR_CLUSTER_NETINTERFACE_NOT_FOUND, ERROR_CLUSTER_NETINTERFACE_NOT_FOUND,
    ),
    # Resource types have no state and no Open* method here; they exist for their events.
    "resourceType": (RESOURCE_TYPE_ADDED, RESOURCE_TYPE_DELETED, None, RESOURCE_TYPE_PROPERTY, None, None),
}

# State enumerations (2.2.3.x) this server derives states with.
GROUP_ONLINE, GROUP_OFFLINE, GROUP_FAILED, GROUP_PARTIAL_ONLINE, GROUP_PENDING = 0, 1, 2, 3, 4
RES_ONLINE, RES_OFFLINE, RES_FAILED = 2, 3, 4
RES_PENDING = (128, 129, 130)
NET_UNAVAILABLE, NET_DOWN, NET_PARTITIONED_UP, NET_UP = 0, 1, 2, 3
NIC_UNAVAILABLE, NIC_FAILED, NIC_UNREACHABLE, NIC_UP = 0, 1, 2, 3
NODE_UP, NODE_PAUSED = 0, 2

CLUSTER_NAME = "TOYCLUSTER"

# The objects the conformance suites address by name (docs/adapter-protocol.md, "The cluster").
INITIAL_OBJECTS = [
    ("node", "node1", 0, {}),
    ("node", "node2", 0, {}),
    ("group", "Cluster Group", 0, {"node": "node1"}),
    ("group", "Available Storage", 0, {"node": "node1"}),
    ("group", "App Group", 0, {"node": "node2"}),
    ("resource", "Cluster Name", 2, {"resourceType": "Network Name", "group": "Cluster Group"}),
    ("resource", "Cluster IP Address", 2, {"resourceType": "IP Address", "group": "Cluster Group"}),
    ("resource", "Cluster Disk 1", 2, {"resourceType": "Physical Disk", "group": "Cluster Group"}),
    ("resource", "Cluster Disk 2", 2, {"resourceType": "Physical Disk", "group": "Available Storage"}),
    ("resource", "App Service", 2, {"resourceType": "Generic Service", "group": "App Group"}),
    ("network", "Cluster Network 1", 3, {}),
    ("network", "Cluster Network 2", 3, {}),
    ("netInterface", "node1 - Ethernet", 3, {"node": "node1", "network": "Cluster Network 1"}),
    ("netInterface", "node2 - Ethernet", 3, {"node": "node2", "network": "Cluster Network 1"}),
    ("netInterface", "node1 - Ethernet 2", 3, {"node": "node1", "network": "Cluster Network 2"}),
    ("netInterface", "node2 - Ethernet 2", 3, {"node": "node2", "network": "Cluster Network 2"}),
    ("resourceType", "Physical Disk", 0, {}),
    ("resourceType", "IP Address", 0, {}),
    ("resourceType", "Network Name", 0, {}),
    ("resourceType", "Generic Service", 0, {}),
]
INITIAL_KEYS = ["", "Parameters", "Parameters\\Advanced", "Groups", "Resources", "Nodes"]

# The state a freshly created object has.
NEW_STATE = {"node": 0, "group": 1, "resource": 3, "network": 3, "netInterface": 3, "resourceType": 0}


def split_path(path):
    return tuple(part for part in path.split("\\") if part)


def lower_path(parts):
    return tuple(p.lower() for p in parts)


class ClusterObject:
    def __init__(self, kind, name, state, placement):
        self.kind = kind
        self.name = name
        self.state = state
        self.sequence = 0  # 3.1.4.x.10 and .43: zero at creation; changes on every state change
        self.group = placement.get("group")
        self.node = placement.get("node")
        self.network = placement.get("network")
        self.resource_type = placement.get("resourceType", "Generic Service" if kind == "resource" else "")


class Cluster:
    """The cluster model: objects by (type, lower-case name) and registry keys by lower-case path."""

    def __init__(self):
        self.objects = {}
        for kind, name, state, placement in INITIAL_OBJECTS:
            self.objects[(kind, name.lower())] = ClusterObject(kind, name, state, placement)
        self.keys = {lower_path(split_path(p)): split_path(p) for p in INITIAL_KEYS}

    def find(self, kind, name):
        return self.objects.get((kind, name.lower())) if name else None

    def all(self, kind, **where):
        return [o for o in self.objects.values() if o.kind == kind and all(getattr(o, k) == v for k, v in where.items())]


# ---- states the spec derives from other objects' states ----------------------------------------------

def group_state(resource_states):
    """3.1.4.x.46: failed first, then pending, then online / partially online / offline."""
    if not resource_states:
        return None
    if RES_FAILED in resource_states:
        return GROUP_FAILED
    if any(s in RES_PENDING for s in resource_states):
        return GROUP_PENDING
    online = resource_states.count(RES_ONLINE)
    if online == len(resource_states):
        return GROUP_ONLINE
    if online:
        return GROUP_PARTIAL_ONLINE
    return GROUP_OFFLINE if all(s == RES_OFFLINE for s in resource_states) else None


def network_state(nic_states):
    """3.1.4.x.83: all unavailable, all failed or unreachable, all up, or partitioned."""
    if not nic_states:
        return None
    n = len(nic_states)
    if nic_states.count(NIC_UNAVAILABLE) == n:
        return NET_UNAVAILABLE
    if nic_states.count(NIC_FAILED) + nic_states.count(NIC_UNREACHABLE) == n:
        return NET_DOWN
    if nic_states.count(NIC_UP) == n:
        return NET_UP
    if nic_states.count(NIC_UNREACHABLE) and nic_states.count(NIC_UP) >= 2:
        return NET_PARTITIONED_UP
    return None


def nic_state_for_node(node_state, current):
    """3.1.4.x.94: an interface is unavailable while its node is neither up nor paused."""
    if node_state not in (NODE_UP, NODE_PAUSED):
        return NIC_UNAVAILABLE
    return NIC_UP if current == NIC_UNAVAILABLE else None


class Filter:
    def __init__(self, scope, mask, key):
        self.scope = scope  # ("cluster",) | ("object", kind, lower name) | ("key", lower path, subtree)
        self.mask = mask
        self.key = key

    def sees(self, subject, bit):
        if not self.mask & bit:
            return False
        kind = self.scope[0]
        if kind == "cluster":
            # Registry bits watch the root key; REGISTRY_SUBTREE extends that to the whole tree.
            return subject[0] != "registry" or subject[1] == () or bool(self.mask & REGISTRY_SUBTREE)
        if kind == "object":
            return subject[0] == "object" and subject[1] == self.scope[1] and subject[2] == self.scope[2]
        if subject[0] != "registry":
            return False
        path, watched, subtree = subject[1], self.scope[1], self.scope[2]
        return path == watched or (subtree and path[: len(watched)] == watched)


class Port:
    """A version 1 notification port: filters, a FIFO queue, and the reads waiting on it."""

    def __init__(self, version):
        self.version = version
        self.filters = []
        self.queue = []
        self.readers = []  # callbacks waiting for a reply
        self.reconnect = None  # CLUSTER_RECONNECT owed to the next read (v3)
        self.closed = False

    def receive(self, subject, bit, name, sequence):
        if self.closed:
            return
        # Nothing is queued before the first filter; each matching filter gets its own indication.
        for f in self.filters:
            if f.sees(subject, bit):
                self.post(f.key, bit, sequence, name)

    def post(self, key, bit, sequence, name):
        event = {"dwNotifyKey": key, "dwFilter": bit, "dwStateSequence": sequence, "Name": name}
        if self.readers:
            self.readers.pop(0)(dict(status=ERROR_SUCCESS, **event))
        else:
            self.queue.append(event)

    def take(self):
        if self.reconnect:
            event, self.reconnect = self.reconnect, None
            return event
        return self.queue.pop(0) if self.queue else None

    def release(self, reply):
        readers, self.readers = self.readers, []
        for reader in readers:
            reader(dict(reply))


NO_EVENT = {"dwNotifyKey": 0, "dwFilter": 0, "dwStateSequence": 0, "Name": ""}


class Connection:
    """One client connection: its protocol version, access level and context handles."""

    def __init__(self, server, version, access):
        self.server = server
        self.version = version
        self.access = access
        self.handles = {}
        self.alive = True

    def issue(self, target):
        handle = secrets.token_hex(20)
        self.handles[handle] = target
        return handle

    def resolve(self, handle, kind):
        if not isinstance(handle, str):
            return None  # the NULL handle (None) designates nothing
        target = self.handles.get(handle.lower())
        return target if target is not None and target[0] == kind else None

    def ports(self):
        return [t[1] for t in self.handles.values() if t[0] == "notify"]

    def ports_v2(self):
        return [t[1] for t in self.handles.values() if t[0] == "notifyV2"]


class ToyServer:
    """The server: one cluster, its connections and their ports, and the control verbs."""

    def __init__(self):
        self.lock = threading.RLock()
        self.cluster = Cluster()
        self.read_only = False
        self.connections = []

    # ---- connections --------------------------------------------------------------------------

    def connect(self, version, access):
        with self.lock:
            connection = Connection(self, version, access)
            self.connections.append(connection)
            return connection

    def access_check(self, connection):
        """The status every method fails with on this connection before doing anything, or None.

        A protocol version 2 server knows only full ("All") access (3.1.4.1): a client that opened
        its connection with Read access is denied everything.
        """
        if connection.version == 2 and connection.access != "full":
            return ERROR_ACCESS_DENIED
        return None

    def disconnect(self, connection):
        with self.lock:
            self._drop(connection)

    def _drop(self, connection):
        if not connection.alive:
            return
        connection.alive = False
        self.connections.remove(connection)
        for port in connection.ports() + connection.ports_v2():
            port.closed = True
            port.release({"fault": RPC_S_CALL_FAILED})
        connection.handles.clear()

    # ---- object handles -----------------------------------------------------------------------

    def open_cluster(self, c):
        with self.lock:
            return {"status": ERROR_SUCCESS, "hCluster": c.issue(("cluster",))}

    def open_object(self, c, kind, name):
        with self.lock:
            obj = self.cluster.find(kind, name)
            if obj is None:
                return TYPES[kind][4], NULL_HANDLE
            return ERROR_SUCCESS, c.issue((kind, obj.name.lower()))

    def close_handle(self, c, handle, kind):
        with self.lock:
            if c.resolve(handle, kind) is None:
                return {"status": ERROR_INVALID_HANDLE}
            del c.handles[str(handle).lower()]
            return {"status": ERROR_SUCCESS}

    def get_state(self, c, handle, kind):
        with self.lock:
            target = c.resolve(handle, kind)
            if target is None:
                return {"status": ERROR_INVALID_HANDLE, "State": -1, "NodeName": "", "GroupName": ""}
            obj = self.cluster.find(kind, target[1])
            if obj is None:
                return {"status": TYPES[kind][5], "State": -1, "NodeName": "", "GroupName": ""}
            group = self.cluster.find("group", obj.group) if obj.group else None
            node = (group.node if group else obj.node) or ""
            return {"status": ERROR_SUCCESS, "State": obj.state, "NodeName": node, "GroupName": group.name if group else ""}

    def get_root_key(self, c):
        with self.lock:
            return {"status": ERROR_SUCCESS, "hKey": c.issue(("key", ()))}

    def open_key(self, c, handle, subkey):
        with self.lock:
            parent = c.resolve(handle, "key")
            if parent is None:
                return {"status": ERROR_INVALID_HANDLE, "phKey": NULL_HANDLE}
            path = parent[1] + lower_path(split_path(subkey))
            if path not in self.cluster.keys:
                return {"status": ERROR_FILE_NOT_FOUND, "phKey": NULL_HANDLE}
            return {"status": ERROR_SUCCESS, "phKey": c.issue(("key", path))}

    # ---- notification ports -------------------------------------------------------------------

    def _port(self, c, handle, creating=False):
        """The port of a handle, or the status the call fails with (server state first, then the handle)."""
        # 3.1.4.1.56: a protocol version 2 server creates ports only in the read/write state.
        if creating and self.read_only and c.version == 2:
            return ERROR_SHARING_PAUSED
        if creating:
            return None
        target = c.resolve(handle, "notify")
        return target[1] if target else ERROR_INVALID_HANDLE

    def create_notify(self, c):
        with self.lock:
            refused = self._port(c, None, creating=True)
            if refused is not None:
                return {"status": refused, "hNotify": NULL_HANDLE}
            return {"status": ERROR_SUCCESS, "hNotify": c.issue(("notify", Port(c.version)))}

    def close_notify(self, c, handle):
        with self.lock:
            port2 = c.resolve(handle, "notifyV2")
            if port2 is not None:  # 3.1.4.2.57: the same method closes a version 2 port
                del c.handles[str(handle).lower()]
                self._close_port2(port2[1])
                return {"status": ERROR_SUCCESS, "hNotify": None}
            port = self._port(c, handle)
            if isinstance(port, int):
                return {"status": port, "hNotify": handle}
            del c.handles[str(handle).lower()]
            self._close_port(port)
            return {"status": ERROR_SUCCESS, "hNotify": None}  # success sets the handle to NULL

    def _close_port(self, port):
        port.closed = True
        port.queue = []
        port.reconnect = None
        port.release(dict(status=ERROR_INVALID_FUNCTION, **NO_EVENT))

    def add_notify_cluster(self, c, h_notify, h_cluster, mask, key):
        with self.lock:
            port = self._port(c, h_notify)
            if isinstance(port, int):
                return {"status": port}
            if c.resolve(h_cluster, "cluster") is None:
                return {"status": ERROR_INVALID_HANDLE}
            port.filters.append(Filter(("cluster",), mask, key))
            return {"status": ERROR_SUCCESS}

    def add_notify_object(self, c, kind, h_notify, h_object, mask, key, readd_sequence=None):
        """ApiAddNotify<Type> and, with readd_sequence, ApiReAddNotify<Type>."""
        with self.lock:
            port = self._port(c, h_notify)
            if isinstance(port, int):
                return {"status": port} if readd_sequence is not None else {"status": port, "dwStateSequence": 0}
            target = c.resolve(h_object, kind)
            if target is None:
                return {"status": ERROR_INVALID_HANDLE} if readd_sequence is not None else {"status": ERROR_INVALID_HANDLE, "dwStateSequence": 0}
            obj = self.cluster.find(kind, target[1])
            if obj is None:  # deleted since its handle was opened: a condition outside the table
                return {"status": TYPES[kind][5]} if readd_sequence is not None else {"status": TYPES[kind][5], "dwStateSequence": 0}
            port.filters.append(Filter(("object", kind, target[1]), mask, key))
            current = obj.sequence
            if readd_sequence is None:
                return {"status": ERROR_SUCCESS, "dwStateSequence": current}
            # ReAdd: the client missed changes if its sequence is not the current one: catch it up.
            if readd_sequence != current:
                port.post(key, TYPES[kind][2], current, obj.name)
            return {"status": ERROR_SUCCESS}

    def add_notify_key(self, c, h_notify, h_key, key, mask, subtree):
        with self.lock:
            port = self._port(c, h_notify)
            if isinstance(port, int):
                return {"status": port}
            target = c.resolve(h_key, "key")
            if target is None:
                return {"status": ERROR_INVALID_HANDLE}
            if target[1] not in self.cluster.keys:  # deleted under its handle: ERROR_KEY_DELETED
                return {"status": ERROR_KEY_DELETED}
            port.filters.append(Filter(("key", target[1], bool(subtree)), mask, key))
            return {"status": ERROR_SUCCESS}

    def get_notify(self, c, handle, timeout, reply):
        """Answers through `reply` now or later: the oldest event, or how the wait ended."""
        with self.lock:
            port = self._port(c, handle)
            if isinstance(port, int):
                return reply(dict(status=port, **NO_EVENT))
            event = port.take()
            if event is not None:
                return reply(dict(status=ERROR_SUCCESS, **event))
            if port.closed:
                return reply(dict(status=ERROR_NO_MORE_ITEMS, **NO_EVENT))
            # Protocol version 2 passes a Timeout (ms); version 3 waits until an event or an unblock.
            timed = c.version == 2 and timeout is not None and timeout != INFINITE
            if timed and timeout == 0:
                return reply(dict(status=WAIT_TIMEOUT, **NO_EVENT))
            done = [False]

            def once(answer):
                if not done[0]:
                    done[0] = True
                    reply(answer)

            port.readers.append(once)
            if timed:
                def expire():
                    with self.lock:
                        if once in port.readers:
                            port.readers.remove(once)
                            once(dict(status=WAIT_TIMEOUT, **NO_EVENT))
                timer = threading.Timer(timeout / 1000.0, expire)
                timer.daemon = True
                timer.start()

    def unblock(self, c, handle):
        with self.lock:
            port2 = c.resolve(handle, "notifyV2")
            if port2 is not None:  # 3.1.4.2.107: releases the ApiGetNotifyV2 calls of a version 2 port
                port2[1].release({"status": ERROR_INVALID_FUNCTION})
                return {"status": ERROR_SUCCESS}
            port = self._port(c, handle)
            if isinstance(port, int):
                return {"status": port}
            port.release(dict(status=ERROR_INVALID_FUNCTION, **NO_EVENT))
            return {"status": ERROR_SUCCESS}

    # ---- version 2 notification ports (protocol version 3) -------------------------------------

    def create_notify_v2(self, c):
        with self.lock:
            if c.version != 3:
                return {"fault": NCA_S_OP_RNG_ERROR}
            return {"status": ERROR_SUCCESS, "hNotify": c.issue(("notifyV2", toy_v2.Port2()))}

    def add_notify_v2(self, c, h_notify, h_object, otype, flags, key, version, targeted):
        """Checks the port, dwVersion, the object type and its flags, then hObject (3.1.4.2.137)."""
        with self.lock:
            if c.version != 3:
                return {"fault": NCA_S_OP_RNG_ERROR}
            port = c.resolve(h_notify, "notifyV2")
            if port is None:
                return {"status": ERROR_INVALID_HANDLE}
            valid = toy_v2.VALID_FLAGS.get(otype)
            if version != 2 or valid is None or flags & ~valid:
                return {"status": ERROR_INVALID_PARAMETER}
            scope = toy_v2.scope_of(c, h_object, otype, targeted)
            if scope is None:
                return {"status": ERROR_INVALID_HANDLE}
            if scope[0] == "object" and self.cluster.find(scope[1], scope[2]) is None:
                return {"status": TYPES[scope[1]][5]}  # deleted since hObject was opened
            if scope[0] == "key" and scope[1] not in self.cluster.keys:
                return {"status": ERROR_KEY_DELETED}
            port[1].registrations.append(toy_v2.Registration(otype, flags, key, scope))
            return {"status": ERROR_SUCCESS}

    def get_notify_v2(self, c, handle, reply):
        """Answers through `reply`: every queued entry at once, or later, when one is queued or the port released."""
        with self.lock:
            if c.version != 3:
                return reply({"fault": NCA_S_OP_RNG_ERROR})
            port = c.resolve(handle, "notifyV2")
            if port is None:
                return reply({"status": ERROR_INVALID_HANDLE})
            port = port[1]
            if port.queue:
                entries, port.queue = port.queue, []
                return reply({"status": ERROR_SUCCESS, "Notifications": entries})
            if port.closed:
                return reply({"status": ERROR_NO_MORE_ITEMS})
            port.readers.append(reply)

    def _close_port2(self, port):
        port.closed = True
        port.queue = []
        port.release({"status": ERROR_INVALID_FUNCTION})

    def _publish_v2(self, event):
        for connection in self.connections:
            for port in connection.ports_v2():
                port.receive_v2(event)

    # ---- control verbs: change the cluster, queue the events before returning ------------------

    def _publish(self, subject, bit, name, sequence=0):
        for connection in self.connections:
            for port in connection.ports():
                port.receive(subject, bit, name, sequence)

    def _existing(self, kind, name):
        obj = self.cluster.find(kind, name)
        if obj is None:
            raise ValueError("no %s named %r in the cluster" % (kind, name))
        return obj

    def set_state(self, kind, name, state):
        """*_STATE for the object, then for every state derived from it that changes."""
        with self.lock:
            obj = self._existing(kind, name)
            if TYPES[kind][2] is None:
                raise ValueError("a %s has no state" % kind)
            self._set(obj, state)
            self._derive_from(obj)

    def _set(self, obj, state):
        obj.state = state
        obj.sequence = (obj.sequence + 1) & 0xFFFFFFFF
        self._publish_object(obj, TYPES[obj.kind][2])

    def _derive_from(self, obj):
        c = self.cluster
        if obj.kind == "resource" and c.find("group", obj.group):
            group = c.find("group", obj.group)
            self._transition(group, group_state([r.state for r in c.all("resource", group=group.name)]))
        elif obj.kind == "netInterface" and c.find("network", obj.network):
            network = c.find("network", obj.network)
            self._transition(network, network_state([n.state for n in c.all("netInterface", network=network.name)]))
        elif obj.kind == "node":
            for nic in c.all("netInterface", node=obj.name):
                if self._transition(nic, nic_state_for_node(obj.state, nic.state)):
                    self._derive_from(nic)

    def _transition(self, obj, state):
        """A derived change counts only when the state really changes."""
        if state is None or state == obj.state:
            return False
        self._set(obj, state)
        return True

    def _publish_object(self, obj, bit, prop=None):
        sequence = 0 if obj.kind == "resourceType" else obj.sequence
        self._publish(("object", obj.kind, obj.name.lower()), bit, obj.name, sequence)
        change = {0: "added", 1: "deleted", 2: "state", 3: "property"}[TYPES[obj.kind][:4].index(bit)]
        self._publish_v2(toy_v2.translate_object(self.cluster, obj, change, prop))

    def add_object(self, kind, name, placement):
        with self.lock:
            if kind not in TYPES:
                raise ValueError("this server has no %s objects" % kind)
            if self.cluster.find(kind, name):
                raise ValueError("%s %r already exists" % (kind, name))
            state = NEW_STATE[kind]
            placement = dict(placement)
            if kind == "resource":
                group = self._existing("group", placement.get("group") or "Available Storage")
                placement["group"] = group.name
                if group.state == GROUP_ONLINE:
                    state = RES_ONLINE  # joins in, so the group's derived state does not change
            elif kind == "netInterface":
                placement["node"] = self._existing("node", placement.get("node") or "node1").name
                placement["network"] = self._existing("network", placement.get("network") or "Cluster Network 1").name
            elif kind == "group":
                placement["node"] = self._existing("node", placement.get("node") or "node1").name
            obj = ClusterObject(kind, name, state, placement)
            self.cluster.objects[(kind, name.lower())] = obj
            self._publish_object(obj, TYPES[kind][0])

    def delete_object(self, kind, name):
        """*_DELETED; a group takes its resources along, a node or network its interfaces."""
        with self.lock:
            c = self.cluster
            obj = self._existing(kind, name)
            dependants = {"group": c.all("resource", group=obj.name), "node": c.all("netInterface", node=obj.name),
                          "network": c.all("netInterface", network=obj.name)}.get(kind, [])
            if kind == "node":
                survivor = next((n for n in c.all("node") if n is not obj), None)
                for group in c.all("group", node=obj.name):
                    group.node = survivor.name if survivor else None
            for o in dependants + [obj]:
                del c.objects[(o.kind, o.name.lower())]
                self._publish_object(o, TYPES[o.kind][1])

    def set_property(self, kind, name, prop=None):
        """`prop` is (property, value): what a version 2 event's property list carries."""
        with self.lock:
            if kind == "cluster":
                self._publish(("cluster",), CLUSTER_PROPERTY, CLUSTER_NAME)
                if prop is not None:
                    self._publish_v2(toy_v2.translate_cluster_property(prop))
                return
            obj = self._existing(kind, name)
            self._publish_object(obj, TYPES[kind][3], prop)

    def registry_create_key(self, path):
        with self.lock:
            parts = split_path(path)
            for i in range(1, len(parts) + 1):
                lowered = lower_path(parts[:i])
                if lowered not in self.cluster.keys:
                    self.cluster.keys[lowered] = parts[:i]
                    self._publish(("registry", lowered), REGISTRY_NAME, "\\".join(parts[:i]))
                    self._publish_v2(toy_v2.translate_registry("name", lowered, "\\".join(parts[:i])))

    def registry_delete_key(self, path):
        with self.lock:
            lowered = lower_path(split_path(path))
            if not lowered or lowered not in self.cluster.keys:
                raise ValueError("no registry key %r" % path)
            name = "\\".join(self.cluster.keys[lowered])
            for k in [k for k in self.cluster.keys if k[: len(lowered)] == lowered]:
                del self.cluster.keys[k]
            self._publish(("registry", lowered), REGISTRY_NAME, name)
            self._publish_v2(toy_v2.translate_registry("name", lowered, name))

    def registry_set_value(self, path, value_name=""):
        with self.lock:
            lowered = lower_path(split_path(path))
            if lowered not in self.cluster.keys:
                raise ValueError("no registry key %r" % path)
            self._publish(("registry", lowered), REGISTRY_VALUE, "\\".join(self.cluster.keys[lowered]))
            self._publish_v2(toy_v2.translate_registry("value", lowered, "\\".join(self.cluster.keys[lowered]), value_name))

    def registry_set_security(self, path):
        with self.lock:
            lowered = lower_path(split_path(path))
            if lowered not in self.cluster.keys:
                raise ValueError("no registry key %r" % path)
            self._publish(("registry", lowered), REGISTRY_ATTRIBUTES, "\\".join(self.cluster.keys[lowered]))
            self._publish_v2(toy_v2.translate_registry("attributes", lowered, "\\".join(self.cluster.keys[lowered])))

    def set_server_state(self, state):
        with self.lock:
            self.read_only = state == "read-only"

    def drop_events(self):
        """The server loses its queued events; a v3 port then owes its reader CLUSTER_RECONNECT."""
        with self.lock:
            for connection in self.connections:
                for port in connection.ports_v2():
                    port.lose_events()  # LOST_NOTIFICATIONS_V2 to the cluster registrations asking for it
                for port in connection.ports():
                    port.queue = []
                    if port.version != 3 or not port.filters:
                        continue
                    cluster = [f for f in port.filters if f.scope[0] == "cluster"]
                    key = (cluster or port.filters)[0].key
                    if port.readers:
                        port.post(key, CLUSTER_RECONNECT, 0, CLUSTER_NAME)
                    else:
                        port.reconnect = {"dwNotifyKey": key, "dwFilter": CLUSTER_RECONNECT, "dwStateSequence": 0, "Name": CLUSTER_NAME}

    def failover(self):
        with self.lock:
            for connection in list(self.connections):
                self._drop(connection)

    def reset(self):
        """Back to the initial cluster; every port closes. Object handles survive: they name objects."""
        with self.lock:
            self.cluster = Cluster()
            self.read_only = False
            for connection in self.connections:
                for handle, target in list(connection.handles.items()):
                    if target[0] == "notify":
                        del connection.handles[handle]
                        self._close_port(target[1])
                    elif target[0] == "notifyV2":
                        del connection.handles[handle]
                        self._close_port2(target[1])
