"""Version 2 notification ports of the toy server ([MS-CMRP] 3.1.4.2.136-138, protocol version 3 only).

A version 2 port holds registrations (object type, *_V2 flags, key, and what they watch: every object of
the type, one object, or a registry key and, with REGISTRY_SUBTREE_V2, its subtree) and a FIFO queue of
NOTIFICATION_RPC entries. Each change of the cluster becomes at most one version 2 event (translate());
every registration it matches gets its own entry carrying exactly the event's one flag. ApiGetNotifyV2
takes every queued entry at once and waits while there is none.
"""

import hashlib
import struct

# CLUSTER_OBJECT_TYPE (2.2.2.11).
OT_CLUSTER, OT_GROUP, OT_RESOURCE, OT_RESOURCE_TYPE, OT_NETINTERFACE, OT_NETWORK, OT_NODE, OT_REGISTRY, OT_QUORUM = range(1, 10)

# Each object type's *_V2 flags (2.2.2.12 to 2.2.2.26): every bit its enumeration defines.
VALID_FLAGS = {
    OT_CLUSTER: 0x1FFF, OT_GROUP: 0x3FF, OT_RESOURCE: 0x3FF, OT_RESOURCE_TYPE: 0x3F, OT_NETINTERFACE: 0x1F,
    OT_NETWORK: 0x1F, OT_NODE: 0xFF, OT_REGISTRY: 0x1F, OT_QUORUM: 0x1,
    0xA: 0x1, 0xB: 0x1, 0xC: 0x7, 0xD: 0x1FF,  # shared volume, spaceport, upgrade, group set: no such objects here
}
# Types whose registrations take a cluster handle whatever isTargetedAtObject says.
CLUSTER_HANDLE_TYPES = {OT_CLUSTER, OT_QUORUM, OT_RESOURCE_TYPE, 0xA, 0xB, 0xC}
TARGET_KIND = {OT_GROUP: "group", OT_RESOURCE: "resource", OT_NETWORK: "network", OT_NETINTERFACE: "netInterface",
               OT_NODE: "node", OT_REGISTRY: "key"}

REGISTRY_SUBTREE_V2 = 0x4
CLUSTER_LOST_NOTIFICATIONS_V2 = 0x200

# Per object type: (its CLUSTER_OBJECT_TYPE, STATE_V2, DELETED_V2, COMMON_PROPERTY_V2 flags).
V2_OF = {
    "group": (OT_GROUP, 0x8, 0x1, 0x2),
    "resource": (OT_RESOURCE, 0x4, 0x80, 0x1),
    "node": (OT_NODE, 0x10, 0x2, 0x4),
    "network": (OT_NETWORK, 0x8, 0x1, 0x2),
    "netInterface": (OT_NETINTERFACE, 0x8, 0x1, 0x2),
    "resourceType": (OT_RESOURCE_TYPE, None, 0x1, 0x2),
}
# CLUSTER_CHANGE_CLUSTER_*_ADDED_V2 for the types whose creation the cluster reports.
CLUSTER_ADDED = {"group": 0x4, "network": 0x10, "node": 0x20, "resourceType": 0x40}
CLUSTER_COMMON_PROPERTY_V2 = 0x80
GROUP_RESOURCE_ADDED_V2, NODE_NETINTERFACE_ADDED_V2 = 0x40, 0x1
REGISTRY_V2 = {"name": 0x2, "value": 0x8, "attributes": 0x1}
GROUP_TYPE_UNKNOWN = 0x270F


def object_id(kind, name):
    """A stable GUID-form ID per object (the spec leaves the form open)."""
    h = hashlib.sha1(("%s\0%s" % (kind, name.lower())).encode("utf-8")).hexdigest()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])


def dword(value):
    return struct.pack("<I", value & 0xFFFFFFFF).hex()


def id_string(value):
    return (value + "\0").encode("utf-16-le").hex()


def _padded(b):
    return b + b"\0" * ((4 - len(b) % 4) % 4)


def property_list(name, value):
    """A PROPERTY_LIST (2.2.3.10) of one property: count, name, one SZ or DWORD value, end mark."""
    out = struct.pack("<I", 1)
    n = (name + "\0").encode("utf-16-le")
    out += struct.pack("<II", 0x00040003, len(n)) + _padded(n)
    if isinstance(value, int):
        out += struct.pack("<III", 0x00010002, 4, value & 0xFFFFFFFF)
    else:
        v = (str(value) + "\0").encode("utf-16-le")
        out += struct.pack("<II", 0x00010003, len(v)) + _padded(v)
    return (out + struct.pack("<I", 0)).hex()


def data(buffer, object_id_, parent, name, type_=""):
    return {"buffer": buffer, "ObjectId": object_id_, "ParentId": parent, "Name": name, "Type": type_}


def translate_object(cluster, obj, change, prop=None):
    """The v2 event of a change to an object ("added", "deleted", "state", "property"), or None.

    An event is (object type, flag, subject, data); the subject is what a targeted registration matches.
    """
    kind = obj.kind
    otype, state_flag, deleted_flag, property_flag = V2_OF[kind]
    oid = "" if kind == "resourceType" else object_id(kind, obj.name)
    subject = ("object", kind, obj.name.lower())
    node_id = object_id("node", obj.node) if obj.node else ""
    if kind == "group":
        parent, type_ = node_id, ""
    elif kind == "resource":
        parent, type_ = (object_id("group", obj.group) if obj.group else ""), obj.resource_type
    elif kind == "netInterface":
        parent, type_ = node_id, ""
    else:
        parent, type_ = "", ""
    if change == "added":
        if kind in CLUSTER_ADDED:
            buffer = {"group": dword(GROUP_TYPE_UNKNOWN), "node": dword(obj.state)}.get(kind, "")
            return OT_CLUSTER, CLUSTER_ADDED[kind], ("cluster",), data(buffer, oid, node_id if kind == "group" else "", obj.name)
        if kind == "resource" and obj.group:
            group = cluster.find("group", obj.group)
            gnode = object_id("node", group.node) if group and group.node else ""
            return OT_GROUP, GROUP_RESOURCE_ADDED_V2, ("object", "group", obj.group.lower()), data(id_string(object_id("group", obj.group)), oid, gnode, obj.name)
        if kind == "netInterface" and obj.node:
            return OT_NODE, NODE_NETINTERFACE_ADDED_V2, ("object", "node", obj.node.lower()), data(id_string(node_id), oid, "", obj.name)
        return None
    if change == "state" and state_flag is not None:
        return otype, state_flag, subject, data(dword(obj.state), oid, parent, obj.name, type_)
    if change == "deleted":
        buffer = dword(obj.state) if kind == "node" else (id_string(object_id("group", obj.group)) if kind == "resource" and obj.group else "")
        return otype, deleted_flag, subject, data(buffer, oid, parent, obj.name, type_)
    if change == "property" and prop is not None:
        return otype, property_flag, subject, data(property_list(*prop), oid, parent, obj.name, type_)
    return None


def translate_registry(kind, path, key_name, value_name=""):
    return OT_REGISTRY, REGISTRY_V2[kind], ("registry", path), data("", value_name if kind == "value" else "", "", key_name)


def translate_cluster_property(prop):
    return OT_CLUSTER, CLUSTER_COMMON_PROPERTY_V2, ("cluster",), data(property_list(*prop), "", "", "")


class Registration:
    def __init__(self, otype, flags, key, scope):
        self.otype = otype
        self.flags = flags
        self.key = key
        self.scope = scope  # ("all",) | ("object", kind, lower name) | ("key", lower path)

    def sees(self, event):
        otype, flag, subject, _ = event
        if otype != self.otype or not self.flags & flag:
            return False
        kind = self.scope[0]
        if kind == "all":
            return True
        if kind == "object":
            return subject[0] == "object" and subject[1:] == self.scope[1:]
        if subject[0] != "registry":
            return False
        path, watched = subject[1], self.scope[1]
        return path == watched or (bool(self.flags & REGISTRY_SUBTREE_V2) and path[: len(watched)] == watched)


class Port2:
    """A version 2 notification port: registrations, a FIFO queue of entries, the reads waiting on it."""

    version = 3

    def __init__(self):
        self.registrations = []
        self.queue = []
        self.readers = []
        self.closed = False

    def receive_v2(self, event):
        if self.closed or event is None:
            return
        otype, flag, _, fields = event
        for r in self.registrations:
            if r.sees(event):
                entry = {"dwNotifyKey": r.key, "dwObjectType": otype, "FilterFlags": str(flag)}
                entry.update(fields)
                self.queue.append(entry)
        # Every entry of one event is queued before a waiting read takes them all.
        if self.queue and self.readers:
            entries, self.queue = self.queue, []
            self.readers.pop(0)({"status": 0, "Notifications": entries})

    def lose_events(self):
        self.queue = []
        self.receive_v2((OT_CLUSTER, CLUSTER_LOST_NOTIFICATIONS_V2, ("cluster",), data("", "", "", "")))

    def release(self, reply):
        readers, self.readers = self.readers, []
        for reader in readers:
            reader(dict(reply))


def scope_of(connection, h_object, otype, targeted):
    """What a registration watches, or None when hObject does not fit it."""
    if not isinstance(h_object, str):
        return None
    target = connection.handles.get(h_object.lower())
    if target is None:
        return None
    if not targeted or otype in CLUSTER_HANDLE_TYPES:
        if target[0] != "cluster":
            return None
        return ("key", ()) if otype == OT_REGISTRY else ("all",)
    kind = TARGET_KIND.get(otype)
    if kind is None or target[0] != kind:
        return None
    return ("key", target[1]) if kind == "key" else ("object", kind, target[1])
