"""The frozen snapshot of a poll, the client views in it, and the builder that makes it.

No Home Assistant here: the coordinator polls and hands each ``PollResult`` to a
``SnapshotBuilder``; entities read the ``RouterSnapshot`` it returns.

Over 500 lines on purpose: the views, the presence merge and the incremental builder share
one invariant (an incremental build equals a full one, test_incremental_build), which is
easier to keep in one place than across modules that reach into each other's privates.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import compress
from operator import attrgetter, is_not
from typing import Any, NamedTuple

from .jnap import (
    BackhaulInfo,
    BackhaulLink,
    Device,
    DeviceList,
    FirmwareUpdateStatus,
    GuestNetworkSettings,
    LEDNightMode,
    LEDSettings,
    NetworkConnection,
    NodesFirmwareStatus,
    ParentalControlSettings,
    PollResult,
    QoSSettings,
    WANStatus,
)
from .jnap.models import (
    FirmwareUpdateSettings,
    InternetConnectionStatus,
    RadioInfo,
    SpeedTestResult,
    SystemStats,
    WirelessSchedulerSettings,
    WPSServerSettings,
    WPSSessionStatus,
)
from .jnap.models_devices import INFRASTRUCTURE
from .jnap.poll import ON_REQUEST_PARTS
from .jnap.presence import (
    DeviceRole,
    device_list_has_live_connections,
    device_role,
    may_be_node,
    node_serials,
)

# Where presence comes from (RouterSnapshot.presence_sources), by precedence: a MAC in
# the nodes' station lists takes that entry (it names the node, and its signal is dBm
# where a WHW03's own list is not), else the answering router's own list, else the
# device list's live connection (docs/firmware-facts.md, "Presence sources").
PRESENCE_NODE_CONNECTIONS = "node_connections"
PRESENCE_NETWORK_CONNECTIONS = "network_connections"
PRESENCE_DEVICE_LIST = "device_list"
DEVICE_LIST_FULL_READ = timedelta(minutes=5)
"""How often a mesh re-reads the whole device list: whether a client leaving bumps its
revision is unverified, so departures an incremental read misses show within this."""
_MAC = attrgetter("mac")


@dataclass(frozen=True, slots=True)
class ClientView:
    """One client as the router groups it (one ``deviceID``, one or more MACs).

    Precomputed once per poll so entities read fields instead of scanning lists.
    """

    key: str
    """The router's ``deviceID``: stable across restarts, part of unique ids."""
    name: str
    mac: str
    """Primary (first known) MAC; stable for the life of the client."""
    macs: tuple[str, ...]
    host_name: str | None
    connected: bool
    """Live presence right now (no consider_home applied)."""
    connected_mac: str | None
    ip_address: str | None
    ipv6_address: str | None
    band: str | None
    is_guest: bool | None
    is_wireless: bool | None
    manufacturer: str | None
    model: str | None
    device_type: str | None
    operating_system: str | None
    node_id: str | None
    """``deviceID`` of the mesh node the client is connected to, when the router says."""
    device: Device = field(repr=False)
    """The router's full device record (properties, connections, interfaces...)."""


@dataclass(frozen=True, slots=True)
class ClientCounts:
    """Connected clients by kind, counted once per build (sensors read them per poll)."""

    connected: int = 0
    wireless: int = 0
    wired: int = 0
    guest: int = 0

    @classmethod
    def of(cls, clients: Iterable[ClientView]) -> ClientCounts:
        """Count the connected clients."""
        connected = wireless = wired = guest = 0
        for client in clients:
            if not client.connected:
                continue
            connected += 1
            if client.is_wireless:
                wireless += 1
            elif client.is_wireless is False:
                wired += 1
            if client.is_guest:
                guest += 1
        return cls(connected, wireless, wired, guest)

    def updated(
        self, old: Iterable[ClientView], new: Iterable[ClientView]
    ) -> ClientCounts:
        """Return these counts with the ``old`` views replaced by the ``new`` ones."""
        minus, plus = ClientCounts.of(old), ClientCounts.of(new)
        return ClientCounts(
            self.connected - minus.connected + plus.connected,
            self.wireless - minus.wireless + plus.wireless,
            self.wired - minus.wired + plus.wired,
            self.guest - minus.guest + plus.guest,
        )


@dataclass(frozen=True, slots=True)
class NodeView:
    """One node of a Velop mesh (the primary too), from its ``GetDevices3`` record."""

    key: str
    """The node's ``deviceID`` (part of unique ids, like a client's)."""
    name: str
    is_primary: bool
    """The node that answers (``isAuthority``): the router's own device."""
    role: str | None
    """``nodeType`` (``Master`` / ``Slave``); absent on some records (real WHW03, MX42)."""
    model: str | None
    serial: str | None
    firmware: str | None
    macs: tuple[str, ...]
    ip_address: str | None
    parent_id: str | None
    """``deviceID`` of the node it connects through (another satellite on multi-hop)."""
    online: bool
    backhaul: BackhaulLink | None = None
    """How it reaches the mesh (satellites, where the router serves GetBackhaulInfo)."""

    @classmethod
    def of(
        cls,
        device: Device,
        connections: Mapping[str, NetworkConnection] | None,
        backhaul: BackhaulInfo | None = None,
        by_ip: Mapping[str, str] | None = None,
    ) -> NodeView:
        """Build from the node's record and backhaul; online while it has a live link.

        The parent is the node at the backhaul's ``parentIPAddress``: real node records
        carry no ``parentDeviceID`` (docs/firmware-facts.md, "Mesh nodes").
        """
        link = device.connections[0] if device.connections else None
        live = connections is not None and any(m in connections for m in device.macs)
        hop = None if backhaul is None else backhaul.link_of(device.device_id)
        parent = link.parent_device_id if link else None
        if hop is not None and hop.parent_ip_address and by_ip:
            parent = by_ip.get(hop.parent_ip_address, parent)
        return cls(
            key=device.device_id,
            name=device.name,
            is_primary=device.is_authority,
            role=device.node_type,
            model=device.model_number,
            serial=device.serial_number,
            firmware=device.firmware_version,
            macs=device.macs,
            ip_address=link.ip_address if link else None,
            parent_id=parent,
            # GetDevices3 lists a node's connection only while it is online.
            online=device.is_authority or link is not None or live,
            backhaul=hop,
        )


def is_mesh_node(device: Device) -> bool:
    """Whether a node record is part of a mesh (not a lone router's own record)."""
    return device.node_type is not None or not device.is_authority


def _primary_node(nodes: Mapping[str, Device]) -> str | None:
    """Return the answering node's ``deviceID`` on a mesh (None for a lone router)."""
    for key, device in nodes.items():
        if device.is_authority and is_mesh_node(device):
            return key
    return None


def _node_key(
    client: ClientView, nodes: Mapping[str, Device], primary: str | None
) -> str | None:
    """Return the node a connected client is on, on a mesh.

    A client no node list names is on the node that answers (its own list) or wired;
    so is one on a node the device list does not hold (seen in a real WHW03 answer),
    which keeps the nodes' counts adding up to the router's.
    """
    if not client.connected:
        return None
    if client.node_id is not None and client.node_id in nodes:
        return client.node_id
    return primary


def _count_by_node(
    clients: Mapping[str, ClientView], nodes: Mapping[str, Device]
) -> dict[str, int]:
    """Count connected clients per mesh node, once per build (node sensors read it per poll)."""
    primary = _primary_node(nodes)
    if primary is None:
        return {}
    counts: dict[str, int] = {}
    for client in clients.values():
        if (node := _node_key(client, nodes, primary)) is not None:
            counts[node] = counts.get(node, 0) + 1
    return counts


BANDS = {"2.4": "2_4ghz", "5": "5ghz", "6": "6ghz"}


def band_option(band: str | None) -> str | None:
    """Enum option of a band as the router spells it (``2.4GHz``, ``5GHz``, ``6GHz``...)."""
    if not band:
        return None
    number = band.upper().split("_")[0].removesuffix("GHZ").strip()
    return BANDS.get(number)


BOOT_TIME_JITTER = timedelta(seconds=90)
"""Boot times this close are the same boot (uptime is read a poll's latency after "now")."""


@dataclass(frozen=True, slots=True)
class SpeedTestView:
    """The speed test: the newest successful one, and the one running now."""

    last: SpeedTestResult | None
    running: bool = False
    progress: SpeedTestResult | None = None
    """The running test's figures so far."""


@dataclass(frozen=True, slots=True)
class SystemView:
    """Router health from ``GetSystemStats``: uptime as the boot time, load."""

    booted_at: datetime | None
    cpu_load_percent: float | None
    memory_load_percent: float | None
    cpu_load_reported: bool = False
    """The router reports the load, even when it has no figure now (unknown, not 0)."""
    memory_load_reported: bool = False


def system_view(
    stats: SystemStats | None, previous: SystemView | None, now: datetime
) -> SystemView | None:
    """Return the boot time from uptime, kept from ``previous`` while it is the same boot."""
    if stats is None:
        return None
    booted = None
    if stats.uptime_seconds is not None:
        booted = (now - timedelta(seconds=stats.uptime_seconds)).replace(microsecond=0)
        if (
            previous is not None
            and previous.booted_at is not None
            and abs(booted - previous.booted_at) < BOOT_TIME_JITTER
        ):
            booted = previous.booted_at
    view = SystemView(
        booted,
        stats.cpu_load_percent,
        stats.memory_load_percent,
        stats.cpu_load_reported,
        stats.memory_load_reported,
    )
    return previous if view == previous else view


def speed_test_view(result: PollResult) -> SpeedTestView | None:
    """Return the speed test parts of a poll (None: the router has no speed test)."""
    if result.speed_tests is None:
        return None
    status = result.speed_test_status
    running = status is not None and status.running
    return SpeedTestView(
        result.speed_tests.latest,
        running=running,
        progress=status.progress if running and status is not None else None,
    )


# Snapshot parts any entity may read; when one changes, every listener is updated.
_ROUTER_PARTS = (
    "nodes",
    "nodes_firmware",
    "presence_source",
    "presence_sources",
    "wan_status",
    "guest_network",
    "leds",
    "led_night_mode",
    "parental_control",
    "firmware_update",
    "qos",
    "failed_parts",
)

# Every poll part reaches the snapshot or is declared read elsewhere, so none is dropped
# silently (tests/test_poll_parts.py builds with and without each part).
POLL_PART_FIELDS: Mapping[str, tuple[str, ...]] = {
    "devices": ("clients", "nodes"),
    "connections": ("connections",),
    "node_connections": ("connections",),
    "backhaul": ("backhaul",),
    "wan_status": ("wan_status",),
    "guest_network": ("guest_network",),
    "leds": ("leds",),
    "led_night_mode": ("led_night_mode",),
    "parental_control": ("parental_control",),
    "firmware_update": ("firmware_update",),
    "nodes_firmware": ("nodes_firmware",),
    "qos": ("qos",),
    "speed_tests": ("speed_test",),
    "speed_test_status": ("speed_test",),
    "system_stats": ("system",),
    "internet": ("internet",),
    "wps": ("wps",),
    "wps_settings": ("wps_settings",),
    "wps_available": ("wps_available",),
    "radios": ("radios",),
    "wireless_scheduler": ("wireless_scheduler",),
    "firmware_update_settings": ("firmware_update_settings",),
}
"""Poll part (a ``PollResult`` field) -> the ``RouterSnapshot`` fields built from it."""
POLL_PARTS_READ_ELSEWHERE: Mapping[str, str] = {
    "device_info": "coordinator: the firmware re-read after an outage (a new one reloads)",
    "admin_password_default": "repairs: the hourly factory-password check",
}
"""Poll part -> who reads it outside the snapshot, and why."""


@dataclass(frozen=True, slots=True)
class RouterSnapshot:
    """Everything one poll learned; equal to the previous one when nothing changed.

    Only router state lives here (no timestamps of ours), so ``always_update=False`` makes
    an idle poll write no state. A part is None when the router lacks it or it failed.
    """

    revision: int | None
    clients: Mapping[str, ClientView]
    """Client key (``deviceID``) -> client. The router itself and mesh nodes are not here."""
    nodes: Mapping[str, Device]
    """The router itself and mesh nodes, by ``deviceID``."""
    client_keys_by_mac: Mapping[str, str]
    presence_source: str | None
    """``network_connections`` (a live connection list), ``device_list`` (``GetDevices3``
    alone) or None (no presence)."""
    connections: Mapping[str, NetworkConnection] | None
    """Live connections by MAC, every list merged (None when the router has no list)."""
    wan_status: WANStatus | None
    guest_network: GuestNetworkSettings | None
    leds: LEDSettings | None
    parental_control: ParentalControlSettings | None
    firmware_update: FirmwareUpdateStatus | None
    qos: QoSSettings | None
    failed_parts: frozenset[str]
    """Poll parts the router failed this time (their value is None)."""
    client_counts: ClientCounts = ClientCounts()
    node_client_counts: Mapping[str, int] = field(default_factory=dict)
    """Connected clients per mesh node (empty for a lone router)."""
    presence_sources: frozenset[str] = frozenset()
    """Every source presence came from this time (``PRESENCE_*``)."""
    backhaul: BackhaulInfo | None = None
    """How each satellite reaches the mesh. Not a router part (``_ROUTER_PARTS``): its
    signal moves at nearly every poll, and only node entities read it."""
    nodes_firmware: NodesFirmwareStatus | None = None
    led_night_mode: LEDNightMode | None = None
    # Read by router entities only (they are updated after every poll), so not in
    # ``_ROUTER_PARTS``: load figures move at every poll.
    speed_test: SpeedTestView | None = None
    system: SystemView | None = None
    internet: InternetConnectionStatus | None = None
    wps: WPSSessionStatus | None = None
    wps_settings: WPSServerSettings | None = None
    wps_available: bool | None = None
    radios: RadioInfo | None = None
    wireless_scheduler: WirelessSchedulerSettings | None = None
    firmware_update_settings: FirmwareUpdateSettings | None = None

    def link(self, client: ClientView) -> NetworkConnection | None:
        """Return the client's live connection (signal, rate...) while it is connected."""
        if self.connections is None or client.connected_mac is None:
            return None
        return self.connections.get(client.connected_mac)

    def client_for_mac(self, mac: str) -> ClientView | None:
        """Return the client owning this MAC, if any."""
        key = self.client_keys_by_mac.get(mac.upper())
        return None if key is None else self.clients.get(key)

    def same_router_parts(self, other: RouterSnapshot) -> bool:
        """Whether every part any entity may read is the same (only clients differ)."""
        return all(
            getattr(self, part) == getattr(other, part) for part in _ROUTER_PARTS
        )

    def mesh_nodes(self) -> dict[str, NodeView]:
        """Return the mesh's nodes by ``deviceID`` (empty for a lone router)."""
        mesh = {k: d for k, d in self.nodes.items() if is_mesh_node(d)}
        by_ip = {
            c.ip_address: key
            for key, device in mesh.items()
            for c in device.connections
            if c.ip_address
        }
        return {
            key: NodeView.of(device, self.connections, self.backhaul, by_ip)
            for key, device in mesh.items()
        }

    def node_of(self, client: ClientView) -> str | None:
        """Return the ``deviceID`` of the node a connected client is on (a mesh only)."""
        return _node_key(client, self.nodes, _primary_node(self.nodes))

    def clients_on(self, node_key: str) -> int:
        """Count the connected clients on one node (the primary's include the wired ones)."""
        return self.node_client_counts.get(node_key, 0)

    @property
    def router_macs(self) -> tuple[str, ...]:
        """MACs of the router itself (``isAuthority``), from the device list."""
        for node in self.nodes.values():
            if node.is_authority:
                return node.macs
        return ()


def _live_connection(
    device: Device,
    connections: Mapping[str, NetworkConnection] | None,
    source: frozenset[str],
) -> NetworkConnection | None:
    """Return the live connection of the first connected MAC (connection lists only)."""
    if connections is not None:
        for mac in device.macs:
            if (conn := connections.get(mac)) is not None:
                return conn
    return None


def _same_view(old: NetworkConnection | None, new: NetworkConnection | None) -> bool:
    """Whether a client's view is the same with either live connection (metrics aside)."""
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


def _device_list_connection(device: Device, source: frozenset[str]) -> Any:
    """Return the device list's live connection that counts as presence, if any.

    Alone, the device list decides (read whole at every poll). Beside the nodes' station
    lists it only adds clients that are not on Wi-Fi (wired clients of satellites): the
    nodes list every station, and an offline guest's record is never updated (VEL
    devicelist_devicedb.lua ``innerGetDevices``), so its Wi-Fi connection would stay.
    """
    if PRESENCE_DEVICE_LIST not in source or not device.connections:
        return None
    if len(source) == 1:
        return device.connections[0]
    for conn in device.connections:
        kind = next(
            (i.interface_type for i in device.interfaces if i.mac == conn.mac), None
        )
        if kind != "Wireless" and not conn.is_guest:
            return conn
    return None


def _client_view(
    device: Device,
    live: NetworkConnection | None,
    source: frozenset[str],
) -> ClientView:
    """Build a client's view; presence never comes from v1 ``connections`` (stale).

    A function of its arguments alone: the coordinator reuses the view while they stay
    the same objects.
    """
    device_conn = None
    connected = False
    band: str | None = None
    if live is not None:
        connected = True
        device_conn = next((c for c in device.connections if c.mac == live.mac), None)
        band = live.band
    elif (listed := _device_list_connection(device, source)) is not None:
        # GetDevices3 prunes connections to live MACs.
        connected = True
        device_conn = listed
        band = next((i.band for i in device.interfaces if i.mac == listed.mac), None)
    connected_mac = live.mac if live else device_conn.mac if device_conn else None
    is_guest: bool | None = None
    if live is not None:
        is_guest = live.is_guest
    elif device_conn is not None:
        is_guest = device_conn.is_guest
    is_wireless: bool | None = None
    if live is not None:
        is_wireless = live.is_wireless
    elif connected_mac is not None:
        kind = next(
            (i.interface_type for i in device.interfaces if i.mac == connected_mac),
            None,
        )
        is_wireless = None if kind in (None, "Unknown") else kind == "Wireless"
    node_id = live.node_id if live is not None else None
    if node_id is None and connected and device_conn is not None:
        node_id = device_conn.parent_device_id
    # A client record of type Infrastructure wears the mesh's model, not its own
    # (jnap/presence.py): show none rather than a Linksys node's.
    borrowed = device.device_type == INFRASTRUCTURE
    return ClientView(
        key=device.device_id,
        name=device.name,
        mac=device.macs[0],
        macs=device.macs,
        host_name=device.friendly_name,
        connected=connected,
        connected_mac=connected_mac if connected else None,
        ip_address=device_conn.ip_address if connected and device_conn else None,
        ipv6_address=device_conn.ipv6_address if connected and device_conn else None,
        band=band if connected else None,
        is_guest=is_guest if connected else None,
        is_wireless=is_wireless if connected else None,
        manufacturer=None if borrowed else device.manufacturer,
        model=None if borrowed else device.model_number or device.model_description,
        device_type=None if borrowed else device.device_type,
        operating_system=device.operating_system,
        node_id=node_id if connected else None,
        device=device,
    )


class _View(NamedTuple):
    """What a client's view was built from, and the view."""

    device: Device
    live: NetworkConnection | None
    sources: frozenset[str]
    view: ClientView


class SnapshotBuilder:
    """Turns polls into snapshots, reusing every piece a poll did not change.

    It keeps the whole device list across incremental reads (``merge``) and the last build
    (per client: device, live connection, sources, view), so an idle poll returns the same
    views and a poll that touched a few clients rebuilds only theirs. ``tests/
    test_incremental_build.py`` compares every incremental build with a full one.
    """

    def __init__(self, seen: Container[str] = ()) -> None:
        """Start with nothing: the first poll reads and builds everything.

        ``seen``: keys of clients seen connected before (kept up to date by the owner),
        so a computer wearing a node's identity that leaves stays a client
        (``jnap.presence.device_role``).
        """
        self._seen = seen
        self._devices: dict[str, Device] | None = None
        self._revision: int | None = None
        self._devices_action: str | None = None
        self._full_read = True
        self._views: dict[str, _View] = {}
        self._built_devices: dict[str, Device] | None = None
        """The device dict the last build used (the same object: nothing merged since)."""
        self._changed_device_ids: set[str] | None = None
        """Devices the merges since the last build changed (None: build everything)."""
        self._built: RouterSnapshot | None = None
        """The snapshot of the last build."""
        self._shared_macs = False
        """Some MAC belongs to two devices: the MAC index can't name all its clients."""
        self._watched_macs: frozenset[str] = frozenset()
        """MACs of non-node Infrastructure records: their live state decides their role."""
        self._built_inputs: tuple[Any, Any] = (None, None)
        """The connection lists the last build merged (the same objects: same map)."""
        self._lists: dict[str, tuple[NetworkConnection, ...]] = {}
        """Last good answer of each connection list (kept while its read fails)."""
        self._sources: frozenset[str] = frozenset()
        self._last_full_read: datetime | None = None
        self.rebuilt: set[str] = set()
        """Client keys whose view the last build made anew."""
        self.relinked: set[str] = set()
        """Client keys whose view stayed while their link's metrics moved."""

    @property
    def revision(self) -> int | None:
        """The device list's revision as last merged (incremental reads start from it)."""
        return self._revision

    def since_revision(self, now: datetime) -> int | None:
        """``sinceRevision`` for this poll; None reads the whole device list."""
        return None if self.full_read_due(now) else self._revision

    def request_full_read(self) -> None:
        """Read the whole device list at the next poll (after an outage, a reset)."""
        self._full_read = True

    def note_full_read(self, now: datetime) -> None:
        """Remember when the whole device list was last read."""
        self._last_full_read = now

    def full_read_due(self, now: datetime) -> bool:
        """Whether this poll reads the whole device list (see ``DEVICE_LIST_FULL_READ``)."""
        if self._full_read or self._sources == {PRESENCE_DEVICE_LIST}:
            return True
        return (
            PRESENCE_DEVICE_LIST in self._sources
            and self._last_full_read is not None
            and now - self._last_full_read >= DEVICE_LIST_FULL_READ
        )

    def merge(self, device_list: DeviceList | None, result: PollResult) -> set[str]:
        """Keep the full device dict across polls; return the keys that went away."""
        if device_list is None:
            if "devices" in result.errors:
                # Keep what we know; start over with a full read next time.
                self._full_read = True
            return set()
        self._devices_action = result.actions.get("devices", self._devices_action)
        previous = self._devices or {}
        self._full_read = False
        removed: set[str] = set()
        if device_list.since_revision is None or self._devices is None:
            devices = {d.device_id: d for d in device_list.devices}
            self._changed_device_ids = None
            for key in set(previous) - set(devices):
                old = previous[key]
                if any(c.is_guest for c in old.connections):
                    # Velop leaves offline guests out of full reads, without deleting
                    # them (devicelist_devicedb.lua innerGetDevices): keep, offline.
                    devices[key] = replace(old, connections=())
                else:
                    removed.add(key)
        elif not device_list.devices and not device_list.deleted_device_ids:
            # Nothing changed: keep the same dict (the snapshot build reuses its indexes).
            devices = self._devices
        else:
            devices = dict(self._devices)
            for device_id in device_list.deleted_device_ids:
                if devices.pop(device_id, None) is not None:
                    removed.add(device_id)
            for device in device_list.devices:
                devices[device.device_id] = device
            if (changed := self._changed_device_ids) is not None:
                changed.update(device_list.deleted_device_ids)
                changed.update(d.device_id for d in device_list.devices)
        self._devices = devices
        self._revision = device_list.revision
        return removed

    def _presence(
        self, result: PollResult, previous: RouterSnapshot | None
    ) -> tuple[frozenset[str], Mapping[str, NetworkConnection] | None]:
        """Return this poll's presence sources and their live connections, merged by MAC.

        A list whose read failed this time keeps its last answer. The merged map is the
        previous one while both lists are the same objects (the idle-poll shortcut).
        """
        lists: dict[str, tuple[NetworkConnection, ...]] = {}
        for source, part, answer in (
            (PRESENCE_NETWORK_CONNECTIONS, "connections", result.connections),
            (PRESENCE_NODE_CONNECTIONS, "node_connections", result.node_connections),
        ):
            value = answer
            if value is None and part in result.errors:
                value = self._lists.get(source)
            if value is not None:
                lists[source] = value
        self._lists = lists
        sources = set(lists)
        action = self._devices_action
        if (
            action is not None
            and device_list_has_live_connections(action)
            and (not lists or PRESENCE_NODE_CONNECTIONS in lists)
        ):
            sources.add(PRESENCE_DEVICE_LIST)
        own = lists.get(PRESENCE_NETWORK_CONNECTIONS)
        nodes = lists.get(PRESENCE_NODE_CONNECTIONS)
        inputs = (own, nodes)
        connections: Mapping[str, NetworkConnection] | None = None
        if not lists:
            pass
        elif (
            previous is not None
            and previous.connections is not None
            and inputs[0] is self._built_inputs[0]
            and inputs[1] is self._built_inputs[1]
        ):
            connections = previous.connections  # the router reported no change
        else:
            merged = dict(zip(map(_MAC, own or ()), own or (), strict=True))  # in C
            for conn in nodes or ():
                merged[conn.mac] = conn
            connections = merged
        self._built_inputs = inputs
        self._sources = frozenset(sources)
        return self._sources, connections

    def build(
        self, result: PollResult, previous: RouterSnapshot | None
    ) -> RouterSnapshot:
        """Build this poll's snapshot (``previous``: the snapshot in use, if any).

        Afterwards ``rebuilt`` holds the clients whose view is new and ``relinked`` those
        whose link metrics alone moved.
        """
        source, connections = self._presence(result, previous)
        devices = self._devices or {}
        changed_ids, self._changed_device_ids = self._changed_device_ids, set()
        if (
            previous is not None
            # Builds below start from the last build: it must be the snapshot in use (a
            # refresh failing after its build would leave them apart).
            and previous is self._built
            and source == previous.presence_sources
            and changed_ids is not None
        ):
            if devices is self._built_devices and connections is previous.connections:
                # Idle poll: same devices, same live connections, so the same views.
                return self._snapshot(
                    result,
                    source,
                    connections,
                    devices=devices,
                    rebuilt=set(),
                    relinked=set(),
                    clients=previous.clients,
                    nodes=previous.nodes,
                    index=previous.client_keys_by_mac,
                    counts=previous.client_counts,
                )
            touched = self._touched(previous, devices, connections, changed_ids)
            if touched is not None:
                return self._build_touched(
                    result,
                    previous,
                    source=source,
                    connections=connections,
                    devices=devices,
                    touched=touched,
                )
        return self._build_all(result, source, connections, devices)

    def _touched(
        self,
        previous: RouterSnapshot,
        devices: Mapping[str, Device],
        connections: Mapping[str, NetworkConnection] | None,
        changed_ids: set[str],
    ) -> set[str] | None:
        """Clients whose device or live connection changed; None: rebuild everything.

        Only changes that keep the set of clients, nodes and MACs qualify (a client
        connecting, leaving, roaming or renamed); anything else is a full build.
        """
        built = self._built_devices
        if (
            built is None
            or self._shared_macs
            or (connections is None) != (previous.connections is None)
        ):
            return None
        for key in changed_ids:
            old, new = built.get(key), devices.get(key)
            if (
                old is None
                or new is None
                or old.macs != new.macs
                or may_be_node(old)
                or may_be_node(new)
            ):
                return None
        views = self._views
        touched = {key for key in changed_ids if key in views}  # clients only
        old_connections = previous.connections
        if connections is not None and old_connections is not None:
            index = previous.client_keys_by_mac
            # Every poll compares every live connection: by identity, in C (map).
            before = map(old_connections.get, connections)
            moved = set(
                compress(
                    connections, map(is_not, before, connections.values(), strict=True)
                )
            )
            moved.update(old_connections.keys() - connections.keys())
            if not moved.isdisjoint(self._watched_macs):
                return None
            touched.update(index[mac] for mac in moved if mac in index)
        return touched

    def _build_touched(
        self,
        result: PollResult,
        previous: RouterSnapshot,
        *,
        source: frozenset[str],
        connections: Mapping[str, NetworkConnection] | None,
        devices: dict[str, Device],
        touched: set[str],
    ) -> RouterSnapshot:
        """Rebuild the views of the touched clients; share everything else."""
        views = self._views  # only builds read it: updated in place
        clients: Mapping[str, ClientView] = previous.clients
        changed: dict[str, ClientView] = {}
        rebuilt: set[str] = set()
        relinked: set[str] = set()
        replaced: list[ClientView] = []
        for key in touched:
            old = views[key]
            device = devices[key]
            live = _live_connection(device, connections, source)
            if old.device is device and _same_view(old.live, live):
                if old.live is not live:
                    # Only the link's metrics moved: same view, link listeners only.
                    views[key] = _View(device, live, source, old.view)
                    relinked.add(key)
                continue
            if not rebuilt:
                clients = changed = dict(clients)
            view = _client_view(device, live, source)
            views[key] = _View(device, live, source, view)
            changed[key] = view
            rebuilt.add(key)
            replaced.append(old.view)
        return self._snapshot(
            result,
            source,
            connections,
            devices=devices,
            rebuilt=rebuilt,
            relinked=relinked,
            clients=clients,
            nodes=previous.nodes,
            index=previous.client_keys_by_mac,
            counts=previous.client_counts.updated(
                replaced, (clients[key] for key in rebuilt)
            ),
        )

    def _build_all(
        self,
        result: PollResult,
        source: frozenset[str],
        connections: Mapping[str, NetworkConnection] | None,
        devices: dict[str, Device],
    ) -> RouterSnapshot:
        """Build every view, reusing those whose device and connection are the same."""
        clients: dict[str, ClientView] = {}
        views: dict[str, _View] = {}
        previous_views = self._views
        rebuilt: set[str] = set()
        relinked: set[str] = set()
        nodes: dict[str, Device] = {}
        by_mac: dict[str, str] = {}
        shared_macs = False
        serials = node_serials(devices.values())
        watched: set[str] = set()
        for device_id, device in devices.items():
            role = device_role(device, serials, connections or (), self._seen)
            if role is DeviceRole.NODE:
                nodes[device_id] = device
                continue
            if may_be_node(device):
                # Its role moves with its live MACs: a change there is a full build.
                watched.update(device.macs)
            if role is DeviceRole.STALE or not device.macs:
                continue
            live = _live_connection(device, connections, source)
            old = previous_views.get(device_id)
            if (
                old is not None
                and old.device is device
                and old.sources == source
                and _same_view(old.live, live)
            ):
                view = old.view
                if old.live is not live:
                    relinked.add(device_id)
            else:
                view = _client_view(device, live, source)
                rebuilt.add(device_id)
            views[device_id] = _View(device, live, source, view)
            clients[device_id] = view
            for mac in device.macs:
                if by_mac.setdefault(mac, device_id) != device_id:
                    shared_macs = True
        self._shared_macs = shared_macs
        self._watched_macs = frozenset(watched)
        self._views = views
        return self._snapshot(
            result,
            source,
            connections,
            devices=devices,
            rebuilt=rebuilt,
            relinked=relinked,
            clients=clients,
            nodes=nodes,
            index=by_mac,
            counts=ClientCounts.of(clients.values()),
        )

    def _snapshot(
        self,
        result: PollResult,
        source: frozenset[str],
        connections: Mapping[str, NetworkConnection] | None,
        *,
        devices: dict[str, Device],
        rebuilt: set[str],
        relinked: set[str],
        clients: Mapping[str, ClientView],
        nodes: Mapping[str, Device],
        index: Mapping[str, str],
        counts: ClientCounts,
    ) -> RouterSnapshot:
        """Snapshot of this build; remember what it was built from."""
        self._built_devices = devices
        self.rebuilt = rebuilt
        self.relinked = relinked
        self._built = RouterSnapshot(
            revision=self._revision,
            clients=clients,
            nodes=nodes,
            client_keys_by_mac=index,
            presence_source=(
                PRESENCE_NETWORK_CONNECTIONS
                if connections is not None
                else PRESENCE_DEVICE_LIST
                if source
                else None
            ),
            presence_sources=source,
            connections=connections,
            wan_status=result.wan_status,
            guest_network=result.guest_network,
            leds=result.leds,
            led_night_mode=result.led_night_mode,
            parental_control=result.parental_control,
            firmware_update=result.firmware_update,
            qos=result.qos,
            backhaul=result.backhaul,
            nodes_firmware=result.nodes_firmware,
            speed_test=speed_test_view(result),
            system=system_view(
                result.system_stats,
                self._built.system if self._built is not None else None,
                datetime.now(UTC),
            ),
            internet=result.internet,
            wps=result.wps,
            wps_settings=result.wps_settings,
            wps_available=result.wps_available,
            radios=result.radios,
            wireless_scheduler=result.wireless_scheduler,
            firmware_update_settings=result.firmware_update_settings,
            failed_parts=frozenset(result.errors.keys() - ON_REQUEST_PARTS),
            client_counts=counts,
            node_client_counts=_count_by_node(clients, nodes),
        )
        return self._built
