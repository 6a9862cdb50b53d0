"""Presence rules: who is connected, where, and through which source; nodes and clients.

Pure functions of parsed records (and one small class keeping the connection lists' last
answers), no Home Assistant and no I/O, so the integration's snapshot and the command
line decide the same way (docs/firmware-facts.md, "Device list", "Presence sources").

**Sources**, by precedence (``presence_sources``, ``merge_connections``): a MAC in the
nodes' station lists takes that entry (it names the node, and its signal is dBm where a
WHW03's own list is not), else the answering router's own list, else the device list's
live connection (``GetDevices`` from ``DEVICE_LIST_LIVE_VERSION`` on; v1 keeps stale
connections and is never presence). The device list counts alone, or beside the nodes'
lists for clients that are not on Wi-Fi (``device_list_connection``).

**Node or client.** ``model.deviceType`` alone does not say what a record is:

- Velop firmware writes ``nodeType`` (``Master``/``Slave``) only for records with an
  infrastructure entry in its device DB (VEL devicelist_devicedb.lua ``toOutputDevice``).
- Real meshes also keep former nodes as ``deviceType`` ``Infrastructure`` records without
  ``nodeType``: offline, with a serial number of their own (real: ``whw03_007`` LN11,
  ``mx42_home_b`` MX42).
- Current firmware can list a client computer as an ``Infrastructure`` record carrying the
  mesh's model and the **master's serial number**, no ``nodeType``, a live connection to a
  node and sometimes ``unit.operatingSystem`` (real: PrivacyGUI's state of an MBE70 mesh at
  1.0.11, the app's macOS host "ASTWP-29134", a "Computer" record in the app's cache of the
  same mesh at 1.0.8; reported on LN16 1.0.10). Why the device DB fills it so is in
  compiled code: not public.

So a record is a **node** when it is the authority or has ``nodeType``, or when it is an
``Infrastructure`` record whose serial number no such node has (a former node; one without
any serial stays a node too, as before). An ``Infrastructure`` record that repeats a node's
serial is a **client** when it has a connection or an operating system (or a MAC live in
a station list, or was seen connected before), and a **stale** duplicate otherwise
(neither a node nor a client: nothing to show).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Set as AbstractSet
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter
from typing import TYPE_CHECKING, Final, Protocol

from .actions import ACTIONS, GET_DEVICES, short_name
from .models_devices import INFRASTRUCTURE, Device, DeviceConnection, NetworkConnection

_MAC = attrgetter("mac")

if TYPE_CHECKING:
    from .poll import PollResult

__all__ = [
    "DEVICE_LIST_LIVE_VERSION",
    "PRESENCE_DEVICE_LIST",
    "PRESENCE_NETWORK_CONNECTIONS",
    "PRESENCE_NODE_CONNECTIONS",
    "ClientPresence",
    "ConnectionLists",
    "DeviceRole",
    "Located",
    "client_presence",
    "device_list_connection",
    "device_list_has_live_connections",
    "device_role",
    "device_roles",
    "is_mesh_node",
    "is_node",
    "live_connection",
    "may_be_node",
    "merge_connections",
    "node_of",
    "node_serials",
    "presence_sources",
    "primary_node",
    "same_link",
]


class DeviceRole(StrEnum):
    """What a device-list record is."""

    NODE = "node"
    """The router itself or a mesh node, present or former."""
    CLIENT = "client"
    STALE = "stale"
    """A duplicate of a node's identity with nothing live: neither node nor client."""


def _serial(device: Device) -> str | None:
    serial = (device.serial_number or "").strip().upper()
    return serial or None


def is_node(device: Device) -> bool:
    """Whether the record says by itself that it is a node (authority or ``nodeType``)."""
    return device.is_authority or device.node_type is not None


def may_be_node(device: Device) -> bool:
    """Whether the record is, or claims to be, infrastructure (its role needs the list).

    A change to such a record can change its own role or, through its serial number,
    another record's: builders rebuild everything then.
    """
    return is_node(device) or device.device_type == INFRASTRUCTURE


def node_serials(devices: Iterable[Device]) -> frozenset[str]:
    """Return the serial numbers of the records that are nodes by themselves (upper case)."""
    return frozenset(
        serial
        for device in devices
        if is_node(device) and (serial := _serial(device)) is not None
    )


def device_role(
    device: Device,
    serials: frozenset[str],
    live: Container[str] = (),
    seen: Container[str] = (),
) -> DeviceRole:
    """Return one record's role, given the ``node_serials`` of its list.

    ``live``: MACs the connection lists show connected now. A duplicate of a node's
    identity whose record lists no connection is still a client while one of its MACs
    is live (whether firmware answers so is unverified; it costs nothing to be right).
    ``seen``: ``deviceID``s seen connected as clients before. Such a computer without an
    operating system that leaves stays a client (away), not a stale duplicate.
    """
    if is_node(device):
        return DeviceRole.NODE
    if device.device_type != INFRASTRUCTURE:
        return DeviceRole.CLIENT
    serial = _serial(device)
    if serial is None or serial not in serials:
        return DeviceRole.NODE  # a former node, or a node whose serial isn't listed
    if (
        device.connections
        or device.operating_system
        or any(mac in live for mac in device.macs)
        or device.device_id in seen
    ):
        return DeviceRole.CLIENT  # a computer wearing the master's identity
    return DeviceRole.STALE


def device_roles(
    devices: Iterable[Device], live: Container[str] = (), seen: Container[str] = ()
) -> dict[str, DeviceRole]:
    """Return every record's role by ``deviceID`` (the whole list: roles depend on it)."""
    listed = tuple(devices)
    serials = node_serials(listed)
    return {
        device.device_id: device_role(device, serials, live, seen) for device in listed
    }


DEVICE_LIST_LIVE_VERSION: Final = 3
"""First ``GetDevices`` version whose ``connections`` are live (docs/firmware-facts.md,
"GetDevices / GetDevices3"): v3 drops a MAC without a live link, v1 keeps stale ones. Later
versions are assumed to keep v3's rule (unverified: none is known yet)."""


def device_list_has_live_connections(action: str) -> bool:
    """Whether this device-list action's ``connections`` are live (presence may use them).

    ``action`` is the short name or URI the ``devices`` poll part was read with; an action
    outside the catalogue, or of another family, has no live connections.
    """
    spec = ACTIONS.get(short_name(action))
    return (
        spec is not None
        and spec.family == GET_DEVICES
        and spec.version >= DEVICE_LIST_LIVE_VERSION
    )


# --- sources -------------------------------------------------------------------------------

PRESENCE_NODE_CONNECTIONS: Final = "node_connections"
"""The nodes' station lists (``GetNodesWirelessNetworkConnections``)."""
PRESENCE_NETWORK_CONNECTIONS: Final = "network_connections"
"""The answering router's own list (``GetNetworkConnections``)."""
PRESENCE_DEVICE_LIST: Final = "device_list"
"""The device list's live ``connections`` (``device_list_has_live_connections``)."""
_LIST_PARTS: Final = (
    (PRESENCE_NETWORK_CONNECTIONS, "connections"),
    (PRESENCE_NODE_CONNECTIONS, "node_connections"),
)
"""Each connection list's source and the poll part it is read by."""


def presence_sources(
    lists: Container[str], devices_action: str | None
) -> frozenset[str]:
    """Return the sources presence comes from, given the connection lists at hand.

    ``lists``: the ``PRESENCE_*`` lists answered; ``devices_action``: the action the device
    list was read with. The device list counts alone, or beside the nodes' lists (for
    their wired clients); beside the router's own list alone it adds nothing.
    """
    sources = {source for source, _part in _LIST_PARTS if source in lists}
    if (
        devices_action is not None
        and device_list_has_live_connections(devices_action)
        and (not sources or PRESENCE_NODE_CONNECTIONS in sources)
    ):
        sources.add(PRESENCE_DEVICE_LIST)
    return frozenset(sources)


def merge_connections(
    own: Iterable[NetworkConnection] | None, nodes: Iterable[NetworkConnection] | None
) -> dict[str, NetworkConnection]:
    """Merge the router's own list and the nodes' lists by MAC; the nodes' entry wins."""
    merged = dict(zip(map(_MAC, own or ()), own or (), strict=True))  # in C
    for conn in nodes or ():
        merged[conn.mac] = conn
    return merged


class ConnectionLists:
    """The connection lists of successive polls: sources, and live connections by MAC.

    A list whose read failed keeps its last answer. The merged map is the same object
    while both lists are (an idle poll: the router reported no change).
    """

    __slots__ = ("_lists", "_merged")

    def __init__(self) -> None:
        """Start with no list."""
        self._lists: tuple[
            tuple[NetworkConnection, ...] | None, tuple[NetworkConnection, ...] | None
        ] = (None, None)
        self._merged: Mapping[str, NetworkConnection] | None = None

    def update(
        self, result: PollResult, devices_action: str | None
    ) -> tuple[frozenset[str], Mapping[str, NetworkConnection] | None]:
        """Return this poll's sources and live connections (None: no connection list)."""
        own, nodes = result.connections, result.node_connections
        if own is None and "connections" in result.errors:
            own = self._lists[0]
        if nodes is None and "node_connections" in result.errors:
            nodes = self._lists[1]
        answered = {
            source
            for (source, _part), value in zip(_LIST_PARTS, (own, nodes), strict=True)
            if value is not None
        }
        if not answered:
            self._merged = None
        elif (
            self._merged is None
            or own is not self._lists[0]
            or nodes is not self._lists[1]
        ):
            self._merged = merge_connections(own, nodes)
        self._lists = (own, nodes)
        return presence_sources(answered, devices_action), self._merged


# --- one client ------------------------------------------------------------------------------


def live_connection(
    device: Device, connections: Mapping[str, NetworkConnection] | None
) -> NetworkConnection | None:
    """Return the live connection of the device's first connected MAC (connection lists)."""
    if connections is not None:
        for mac in device.macs:
            if (conn := connections.get(mac)) is not None:
                return conn
    return None


def same_link(old: NetworkConnection | None, new: NetworkConnection | None) -> bool:
    """Whether a client's presence is the same with either live connection (metrics aside)."""
    if old is new:
        return True
    if old is None or new is None:
        return False
    return (
        old.mac == new.mac
        and old.band == new.band
        and old.is_guest == new.is_guest
        and old.is_wireless == new.is_wireless
        and old.node_id == new.node_id
    )


def _interface_type(device: Device, mac: str) -> str | None:
    return next((i.interface_type for i in device.interfaces if i.mac == mac), None)


def device_list_connection(
    device: Device, sources: AbstractSet[str]
) -> DeviceConnection | None:
    """Return the device list's live connection that counts as presence, if any.

    Alone, the device list decides (read whole at every poll). Beside the nodes' station
    lists it only adds clients that are not on Wi-Fi (wired clients of satellites): the
    nodes list every station, and an offline guest's record is never updated (VEL
    devicelist_devicedb.lua ``innerGetDevices``), so its Wi-Fi connection would stay.
    """
    if PRESENCE_DEVICE_LIST not in sources or not device.connections:
        return None
    if len(sources) == 1:
        return device.connections[0]
    for conn in device.connections:
        if _interface_type(device, conn.mac) != "Wireless" and not conn.is_guest:
            return conn
    return None


@dataclass(frozen=True, slots=True)
class ClientPresence:
    """Whether, where and how one client is connected now (no consider_home applied)."""

    connected: bool
    mac: str | None = None
    """The MAC that is connected."""
    ip_address: str | None = None
    ipv6_address: str | None = None
    band: str | None = None
    is_guest: bool | None = None
    is_wireless: bool | None = None
    node_id: str | None = None
    """``deviceID`` of the mesh node it is on, when the router says."""


AWAY: Final = ClientPresence(connected=False)


def client_presence(
    device: Device,
    live: NetworkConnection | None,
    sources: AbstractSet[str],
) -> ClientPresence:
    """Return a client's presence, from its live connection or the device list's.

    ``live``: ``live_connection``; else ``device_list_connection`` decides. Never from
    v1 ``connections`` (stale).
    """
    if live is not None:
        listed = next((c for c in device.connections if c.mac == live.mac), None)
        return ClientPresence(
            connected=True,
            mac=live.mac,
            ip_address=listed.ip_address if listed else None,
            ipv6_address=listed.ipv6_address if listed else None,
            band=live.band,
            is_guest=live.is_guest,
            is_wireless=live.is_wireless,
            node_id=(
                live.node_id
                if live.node_id is not None or listed is None
                else listed.parent_device_id
            ),
        )
    listed = device_list_connection(device, sources)
    if listed is None:
        return AWAY
    # GetDevices3 prunes connections to live MACs.
    kind = _interface_type(device, listed.mac)
    return ClientPresence(
        connected=True,
        mac=listed.mac,
        ip_address=listed.ip_address,
        ipv6_address=listed.ipv6_address,
        band=next((i.band for i in device.interfaces if i.mac == listed.mac), None),
        is_guest=listed.is_guest,
        is_wireless=None if kind in (None, "Unknown") else kind == "Wireless",
        node_id=listed.parent_device_id,
    )


# --- mesh nodes ------------------------------------------------------------------------------


def is_mesh_node(device: Device) -> bool:
    """Whether a node record is part of a mesh (not a lone router's own record)."""
    return device.node_type is not None or not device.is_authority


def primary_node(nodes: Mapping[str, Device]) -> str | None:
    """Return the answering node's ``deviceID`` on a mesh (None for a lone router)."""
    for key, device in nodes.items():
        if device.is_authority and is_mesh_node(device):
            return key
    return None


class Located(Protocol):
    """Anything that says whether a client is connected and on which node."""

    @property
    def connected(self) -> bool:
        """Connected now."""

    @property
    def node_id(self) -> str | None:
        """The node the router says it is on."""


def node_of(
    presence: Located, nodes: Mapping[str, Device], primary: str | None
) -> str | None:
    """Return the node a connected client is on, on a mesh (``primary``: ``primary_node``).

    A client no node list names is on the node that answers (its own list) or wired;
    so is one on a node the device list does not hold (seen in a real WHW03 answer),
    which keeps the nodes' counts adding up to the router's.
    """
    if not presence.connected:
        return None
    if presence.node_id is not None and presence.node_id in nodes:
        return presence.node_id
    return primary
