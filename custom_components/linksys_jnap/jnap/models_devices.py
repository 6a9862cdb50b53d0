"""Models of the clients a router knows: devices, live connections, the caller's own device."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any

from .errors import JNAPProtocolError
from .models_base import (
    EMPTY,
    EntryMemo,
    _entries,
    _mac_tuple,
    _member,
    _Model,
    _model,
    _object,
    _required,
    _str_tuple,
    as_bool,
    as_float,
    as_int,
    as_list,
    as_mapping,
    as_str,
    normalize_mac,
)

__all__ = [
    "INFRASTRUCTURE",
    "MAX_LINK_MBPS",
    "USER_DEVICE_NAME",
    "Device",
    "DeviceConnection",
    "DeviceList",
    "KnownInterface",
    "LocalDevice",
    "NetworkConnection",
    "RateUnits",
    "node_connections_from_json",
]

# --- devices -------------------------------------------------------------------------------

USER_DEVICE_NAME = "userDeviceName"
INFRASTRUCTURE = "Infrastructure"
"""``model.deviceType`` of Linksys mesh nodes."""
MAX_LINK_MBPS = 46_000
"""Above any Wi-Fi or wired link rate (Wi-Fi 7 peaks near 46 Gbit/s): a larger
``negotiatedMbps`` means the answer is in kbit/s (docs/firmware-facts.md, "Quirks")."""


@dataclass(frozen=True, slots=True)
class KnownInterface:
    """One interface of a device (``GetDevices3`` ``knownInterfaces``)."""

    mac: str
    interface_type: str | None
    band: str | None

    @classmethod
    def from_json(cls, data: Any) -> KnownInterface:
        """Parse; the MAC is required."""
        obj = _object(data, "KnownInterface")
        return cls(
            mac=_required(obj, "macAddress", normalize_mac, "KnownInterface"),
            interface_type=as_str(obj.get("interfaceType")),
            band=as_str(obj.get("band")),
        )


@dataclass(frozen=True, slots=True)
class DeviceConnection:
    """One entry of a device's ``connections`` (may be stale on ``GetDevices`` v1)."""

    mac: str
    ip_address: str | None
    ipv6_address: str | None
    parent_device_id: str | None
    is_guest: bool | None

    @classmethod
    def from_json(cls, data: Any) -> DeviceConnection:
        """Parse; the MAC is required."""
        obj = _object(data, "DeviceConnection")
        return cls(
            mac=_required(obj, "macAddress", normalize_mac, "DeviceConnection"),
            ip_address=as_str(obj.get("ipAddress")),
            ipv6_address=as_str(obj.get("ipv6Address")),
            parent_device_id=as_str(obj.get("parentDeviceID")),
            is_guest=as_bool(obj.get("isGuest")),
        )


@dataclass(frozen=True, slots=True)
class Device:
    """One device of ``devicelist/GetDevices``/``GetDevices3``."""

    device_id: str
    friendly_name: str | None
    user_device_name: str | None
    is_authority: bool
    node_type: str | None
    macs: tuple[str, ...]
    interfaces: tuple[KnownInterface, ...]
    connections: tuple[DeviceConnection, ...]
    device_type: str | None
    manufacturer: str | None
    model_number: str | None
    hardware_version: str | None
    model_description: str | None
    operating_system: str | None
    serial_number: str | None
    firmware_version: str | None
    properties: Mapping[str, str]
    last_change_revision: int | None
    max_allowed_properties: int | None

    @property
    def name(self) -> str:
        """User-given name, else the friendly (DHCP) name, else the first MAC, else the ID."""
        for candidate in (self.user_device_name, self.friendly_name):
            if candidate and candidate.strip():
                return candidate.strip()
        return self.macs[0] if self.macs else self.device_id

    @classmethod
    def from_json(cls, data: Any) -> Device:
        """Parse; ``deviceID`` is required."""
        obj = _object(data, "Device")
        model = as_mapping(obj.get("model"))
        unit = as_mapping(obj.get("unit"))
        properties: dict[str, str] = {}
        for prop in as_list(obj.get("properties")):
            prop_obj = as_mapping(prop)
            name = as_str(prop_obj.get("name"))
            value = as_str(prop_obj.get("value"))
            if name is not None and value is not None:
                properties[name] = value
        interfaces = _entries(obj.get("knownInterfaces"), KnownInterface.from_json)
        macs = list(_mac_tuple(obj.get("knownMACAddresses")))
        for interface in interfaces:
            if interface.mac not in macs:
                macs.append(interface.mac)
        node_type = as_str(obj.get("nodeType"))
        return cls(
            device_id=_required(obj, "deviceID", as_str, "Device"),
            friendly_name=as_str(obj.get("friendlyName")),
            user_device_name=properties.get(USER_DEVICE_NAME),
            is_authority=as_bool(obj.get("isAuthority")) or False,
            node_type=node_type or None,
            macs=tuple(macs),
            interfaces=interfaces,
            connections=_entries(obj.get("connections"), DeviceConnection.from_json),
            device_type=as_str(model.get("deviceType")),
            manufacturer=as_str(model.get("manufacturer")),
            model_number=as_str(model.get("modelNumber")),
            hardware_version=as_str(model.get("hardwareVersion")),
            model_description=as_str(model.get("description")),
            operating_system=as_str(unit.get("operatingSystem")),
            serial_number=as_str(unit.get("serialNumber")),
            firmware_version=as_str(unit.get("firmwareVersion")),
            properties=properties,
            last_change_revision=as_int(obj.get("lastChangeRevision")),
            max_allowed_properties=as_int(obj.get("maxAllowedProperties")),
        )


@dataclass(frozen=True, slots=True)
class DeviceList:
    """``devicelist/GetDevices*`` output.

    When ``since_revision`` is set the list holds only the devices changed since that revision
    (plus ``deleted_device_ids``); otherwise it is the full list.
    """

    revision: int
    devices: tuple[Device, ...]
    deleted_device_ids: tuple[str, ...]
    since_revision: int | None = None

    @classmethod
    def from_json(cls, data: Any, *, since_revision: int | None = None) -> DeviceList:
        """Parse; ``revision`` is required, unusable devices are skipped."""
        obj = _object(data, "DeviceList")
        return cls(
            revision=_required(obj, "revision", as_int, "DeviceList"),
            devices=_entries(obj.get("devices"), Device.from_json),
            deleted_device_ids=_str_tuple(obj.get("deletedDeviceIDs")),
            since_revision=since_revision,
        )


@dataclass(frozen=True, slots=True)
class NetworkConnection:
    """One live connection of ``networkconnections/GetNetworkConnections*``."""

    mac: str
    speed_mbps: float | None
    band: str | None
    signal_dbm: int | None
    is_guest: bool
    radio_id: str | None
    bssid: str | None
    is_wireless: bool
    timestamp: str | None
    node_id: str | None = None
    """``deviceID`` of the mesh node the client is connected to, when the source says."""
    tx_rate_kbps: int | None = None
    """Rate of the last frames to the client, kbit/s (nodes' list v2; 0 is no figure)."""
    rx_rate_kbps: int | None = None
    """Rate of the last frames from the client, kbit/s (nodes' list v2; 0 is no figure)."""
    mlo_capable: bool | None = None
    """Wi-Fi 7 multi-link capable (nodes' list v2)."""

    @classmethod
    def from_json(cls, data: Any, *, node_id: str | None = None) -> NetworkConnection:
        """Parse; the MAC is required.

        A positive ``signalDecibels`` is not dBm (a WHW03 reports 37 where its nodes' list
        says -50 for the same station): it becomes None.
        """
        obj = _object(data, "NetworkConnection")
        wireless_value = obj.get("wireless")
        wireless = as_mapping(wireless_value)
        signal = as_int(wireless.get("signalDecibels"))
        return cls(
            mac=_required(obj, "macAddress", normalize_mac, "NetworkConnection"),
            speed_mbps=as_float(obj.get("negotiatedMbps")),
            band=as_str(wireless.get("band")),
            signal_dbm=signal if signal is None or signal < 0 else None,
            is_guest=as_bool(wireless.get("isGuest")) or False,
            radio_id=as_str(wireless.get("radioID")),
            bssid=normalize_mac(wireless.get("bssid")),
            is_wireless=isinstance(wireless_value, Mapping),
            timestamp=as_str(obj.get("timestamp")),
            node_id=node_id,
            tx_rate_kbps=_rate(wireless.get("txRate")),
            rx_rate_kbps=_rate(wireless.get("rxRate")),
            mlo_capable=as_bool(wireless.get("isMLOCapable")),
        )

    @staticmethod
    def list_from_json(
        data: Any, memo: EntryMemo[NetworkConnection] | None = None
    ) -> tuple[NetworkConnection, ...]:
        """Parse the whole output; ``connections`` must be a list.

        ``memo`` (``NetworkConnection.memo()``) reuses entries unchanged since its last use.
        """
        obj = _object(data, "NetworkConnections")
        if not isinstance(obj.get("connections"), list):
            raise JNAPProtocolError(
                "NetworkConnections: member 'connections' is missing or unusable"
            )
        if memo is not None:
            return memo.parse(obj["connections"])
        scale = RateUnits().scaler(None)
        return scale(_entries(obj["connections"], NetworkConnection.from_json))

    @staticmethod
    def memo(
        node_id: str | None = None, units: RateUnits | None = None
    ) -> EntryMemo[NetworkConnection]:
        """Return a memo for ``list_from_json`` across polls (entries keyed by MAC).

        ``units`` remembers each node's rate unit across polls (a new one when None).
        """
        return EntryMemo(
            "macAddress",
            lambda item: NetworkConnection.from_json(item, node_id=node_id),
            finish=(units or RateUnits()).scaler(node_id),
        )


def _rate(value: Any) -> int | None:
    # Real v2 answers carry 0 for a station with no recent traffic (ln16 satellites).
    rate = as_int(value)
    return rate if rate is not None and rate > 0 else None


_SPEED = attrgetter("speed_mbps")

MIN_LINK_KBPS = 1000
"""The slowest Wi-Fi rate (1 Mbit/s) in kbit/s: a smaller non-zero rate is in Mbit/s."""


class RateUnits:
    """Whether each node's station list gives ``negotiatedMbps`` in kbit/s.

    Decided per node, never per answer: one real answer holds an LN16 master's stations in
    kbit/s and its MX42 satellites' in Mbit/s (docs/firmware-facts.md, "Quirks"). A rate
    above ``MAX_LINK_MBPS`` says kbit/s, a non-zero one below ``MIN_LINK_KBPS`` Mbit/s;
    otherwise the node keeps what it showed before (Mbit/s until it shows anything).
    """

    __slots__ = ("_kbit",)

    def __init__(self) -> None:
        """Know nothing yet: every node in Mbit/s."""
        self._kbit: set[str | None] = set()

    def scaler(
        self, node_id: str | None
    ) -> Callable[[tuple[NetworkConnection, ...]], tuple[NetworkConnection, ...]]:
        """Return the finisher of one node's list (None: the answering router's own)."""

        def scale(
            connections: tuple[NetworkConnection, ...],
        ) -> tuple[NetworkConnection, ...]:
            # In C (filter, max, min): this runs on every changed list.
            rates = list(filter(None, map(_SPEED, connections)))
            if rates and max(rates) > MAX_LINK_MBPS:
                self._kbit.add(node_id)
            elif rates and min(rates) < MIN_LINK_KBPS:
                self._kbit.discard(node_id)
            if node_id not in self._kbit:
                return connections
            return tuple(
                c
                if c.speed_mbps is None
                else replace(c, speed_mbps=round(c.speed_mbps / 1000, 1))
                for c in connections
            )

        return scale


def node_connections_from_json(
    data: Any,
    memos: dict[str, EntryMemo[NetworkConnection]] | None = None,
    units: RateUnits | None = None,
) -> tuple[NetworkConnection, ...]:
    """Parse ``nodes/networkconnections/GetNodesWirelessNetworkConnections``.

    Every node's stations, each tagged with the node's ``deviceID``; ``memos`` (node ID ->
    memo, kept across polls) reuses unchanged entries. Nodes that left drop their memo.
    """
    obj = _object(data, "NodesWirelessNetworkConnections")
    nodes = obj.get("nodeWirelessConnections")
    if not isinstance(nodes, list):
        raise JNAPProtocolError(
            "NodesWirelessNetworkConnections: member 'nodeWirelessConnections'"
            " is missing or unusable"
        )
    if memos is None:
        memos = {}
    if units is None:
        units = RateUnits()
    parsed: list[NetworkConnection] = []
    seen: set[str] = set()
    for node in nodes:
        node_obj = as_mapping(node)
        node_id = as_str(node_obj.get("deviceID"))
        if node_id is None or node_id in seen:
            continue
        seen.add(node_id)
        memo = memos.get(node_id)
        if memo is None:
            memo = memos[node_id] = NetworkConnection.memo(node_id, units)
        parsed.extend(memo.parse(node_obj.get("connections")))
    for gone in memos.keys() - seen:
        del memos[gone]
    return tuple(parsed)


@_model
class LocalDevice(_Model):
    """``devicelist/GetLocalDevice``: the device ID of the caller."""

    device_id: str | None = _member("deviceID", as_str)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)
