"""The frozen snapshot of a poll and the views in it (clients, counts, nodes, health).

No Home Assistant here: ``builder.SnapshotBuilder`` turns each ``PollResult`` into a
``RouterSnapshot`` (made by ``SnapshotMaker``, at the end of this module); entities read it.
Who is connected, where, is the library's rule (``jnap/presence.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import compress
from operator import is_not

from .jnap import (
    BackhaulInfo,
    BackhaulLink,
    Device,
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
    EthernetPortConnections,
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
from .jnap.models_firewall import PortRules
from .jnap.poll import ON_REQUEST_PARTS
from .jnap.presence import (
    PRESENCE_DEVICE_LIST,
    PRESENCE_NETWORK_CONNECTIONS,
    client_presence,
    is_mesh_node,
    node_of,
    primary_node,
)


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

    @classmethod
    def of(
        cls, device: Device, live: NetworkConnection | None, sources: frozenset[str]
    ) -> ClientView:
        """Build a client's view (presence: ``jnap.presence.client_presence``).

        A function of its arguments alone: the builder reuses the view while they stay
        the same objects.
        """
        presence = client_presence(device, live, sources)
        # A client record of type Infrastructure wears the mesh's model, not its own
        # (jnap/presence.py): show none rather than a Linksys node's.
        borrowed = device.device_type == INFRASTRUCTURE
        return cls(
            key=device.device_id,
            name=device.name,
            mac=device.macs[0],
            macs=device.macs,
            host_name=device.friendly_name,
            connected=presence.connected,
            connected_mac=presence.mac,
            ip_address=presence.ip_address,
            ipv6_address=presence.ipv6_address,
            band=presence.band,
            is_guest=presence.is_guest,
            is_wireless=presence.is_wireless,
            manufacturer=None if borrowed else device.manufacturer,
            model=None if borrowed else device.model_number or device.model_description,
            device_type=None if borrowed else device.device_type,
            operating_system=device.operating_system,
            node_id=presence.node_id,
            device=device,
        )


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


def changed_clients(
    old: Mapping[str, ClientView], new: Mapping[str, ClientView]
) -> set[str]:
    """Keys whose view differs between two snapshots' clients (new, gone or rebuilt).

    Compared by identity, in C (``map``): builds share the views of unchanged clients.
    """
    keys = new.keys()
    changed = set(
        compress(keys, map(is_not, map(old.get, keys), new.values(), strict=True))
    )
    changed.update(old.keys() - keys)
    return changed


def count_by_node(
    counts: Mapping[str, int],
    nodes: Mapping[str, Device],
    old: Iterable[ClientView],
    new: Iterable[ClientView],
) -> Mapping[str, int]:
    """Return the connected clients per mesh node with the ``old`` views replaced by ``new``.

    Counted at a full build (``counts`` empty, no ``old``) and kept in step with the views
    a build replaces, as ``ClientCounts`` (node sensors read it per poll).
    """
    primary = primary_node(nodes)
    if primary is None:
        return {}
    result = dict(counts)
    for client in old:
        if (node := node_of(client, nodes, primary)) is not None:
            if (left := result[node] - 1) == 0:
                del result[node]
            else:
                result[node] = left
    for client in new:
        if (node := node_of(client, nodes, primary)) is not None:
            result[node] = result.get(node, 0) + 1
    return result


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
    # Port rules: their switches come and go with them.
    "single_port_forwarding",
    "port_range_forwarding",
    "port_range_triggering",
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
    "single_port_forwarding": ("single_port_forwarding",),
    "port_range_forwarding": ("port_range_forwarding",),
    "port_range_triggering": ("port_range_triggering",),
    "ethernet_ports": ("ethernet_ports",),
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
    # Port forwarding and triggering rules (read rarely; None: not served or failed).
    single_port_forwarding: PortRules | None = None
    port_range_forwarding: PortRules | None = None
    port_range_triggering: PortRules | None = None
    ethernet_ports: EthernetPortConnections | None = None
    """Link per LAN port and of the WAN port (read every ``RARELY``-th poll)."""
    radios: RadioInfo | None = None
    wireless_scheduler: WirelessSchedulerSettings | None = None
    firmware_update_settings: FirmwareUpdateSettings | None = None
    _mesh_nodes: Mapping[str, NodeView] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    """``mesh_nodes``, made at its first call (derived: not compared)."""

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

    def mesh_nodes(self) -> Mapping[str, NodeView]:
        """Return the mesh's nodes by ``deviceID`` (empty for a lone router).

        Made once per snapshot: every node entity reads its node at every poll.
        """
        if (views := self._mesh_nodes) is not None:
            return views
        mesh = {k: d for k, d in self.nodes.items() if is_mesh_node(d)}
        by_ip = {
            c.ip_address: key
            for key, device in mesh.items()
            for c in device.connections
            if c.ip_address
        }
        views = {
            key: NodeView.of(device, self.connections, self.backhaul, by_ip)
            for key, device in mesh.items()
        }
        object.__setattr__(self, "_mesh_nodes", views)  # frozen: a cache, not state
        return views

    def node_of(self, client: ClientView) -> str | None:
        """Return the ``deviceID`` of the node a connected client is on (a mesh only)."""
        return node_of(client, self.nodes, primary_node(self.nodes))

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


class SnapshotMaker:
    """Makes each build's snapshot: the router's parts straight from the poll.

    It keeps the last snapshot (``last``): the boot time stays while it is the same boot,
    and the builder starts incremental builds from it.
    """

    __slots__ = ("last",)

    def __init__(self) -> None:
        """Start with no snapshot."""
        self.last: RouterSnapshot | None = None

    def snapshot(
        self,
        result: PollResult,
        source: frozenset[str],
        connections: Mapping[str, NetworkConnection] | None,
        *,
        revision: int | None,
        clients: Mapping[str, ClientView],
        nodes: Mapping[str, Device],
        index: Mapping[str, str],
        counts: ClientCounts,
        node_counts: Mapping[str, int],
    ) -> RouterSnapshot:
        """Snapshot of this build."""
        self.last = RouterSnapshot(
            revision=revision,
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
                self.last.system if self.last is not None else None,
                datetime.now(UTC),
            ),
            internet=result.internet,
            wps=result.wps,
            wps_settings=result.wps_settings,
            wps_available=result.wps_available,
            single_port_forwarding=result.single_port_forwarding,
            port_range_forwarding=result.port_range_forwarding,
            port_range_triggering=result.port_range_triggering,
            ethernet_ports=result.ethernet_ports,
            radios=result.radios,
            wireless_scheduler=result.wireless_scheduler,
            firmware_update_settings=result.firmware_update_settings,
            failed_parts=frozenset(result.errors.keys() - ON_REQUEST_PARTS),
            client_counts=counts,
            node_client_counts=node_counts,
        )
        return self.last
