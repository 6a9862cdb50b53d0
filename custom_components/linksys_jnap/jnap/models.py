"""Frozen models of JNAP outputs.

Parsers never trust types: routers send numbers as strings (``"433"``), ``0`` for dates,
near-empty objects. Optional members default to None, unknown members are ignored (but kept in
``raw``), and ``JNAPProtocolError`` is raised only when a required member is unusable. Entries
of a list that are unusable are skipped. MAC addresses are normalised to ``AA:BB:CC:DD:EE:FF``.

Models that back a write keep ``raw`` (the Get output) so a read-modify-write can send back
every member exactly as the router gave it. Secrets (passphrases) are left out of ``repr``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import Field, dataclass, field, fields, replace
import functools
import math
import re
from types import MappingProxyType
from typing import Any, ClassVar, Literal, Self, dataclass_transform, overload

from .errors import JNAPProtocolError

EMPTY: Mapping[str, Any] = MappingProxyType({})

DAYS: tuple[str, ...] = (
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
)
SLOTS_PER_DAY = 48
"""A day of a WAN schedule: one character per half hour from midnight, '1' allowed."""

# --- defensive value parsers ---------------------------------------------------------------

_NUMBER_RE = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)")
_HEX12_RE = re.compile(r"^[0-9A-Fa-f]{12}$")


def as_mapping(value: Any) -> Mapping[str, Any]:
    """Value if it is a JSON object, else an empty mapping."""
    return value if isinstance(value, Mapping) else EMPTY


def as_list(value: Any) -> list[Any]:
    """Value if it is a JSON array, else an empty list."""
    return list(value) if isinstance(value, (list, tuple)) else []


def as_str(value: Any) -> str | None:
    """Read a string; numbers become their text, anything else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else str(value)
    return None


def as_float(value: Any) -> float | None:
    """Read a number; strings such as ``"433"`` or ``"433 Mbps"`` too."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        match = _NUMBER_RE.match(value)
        if match is None:
            return None
        number = float(match.group(1))
    else:
        return None
    return number if math.isfinite(number) else None


def as_int(value: Any) -> int | None:
    """Read an integer (floats and numeric strings are rounded down)."""
    number = as_float(value)
    return None if number is None else int(number)


def as_bool(value: Any) -> bool | None:
    """Read a boolean; ``0``/``1`` and ``"true"``/``"false"`` too."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes", "on"):
            return True
        if lowered in ("false", "0", "no", "off"):
            return False
    return None


def normalize_mac(value: Any) -> str | None:
    """``AA:BB:CC:DD:EE:FF`` from any common spelling, None when it is not a MAC."""
    if not isinstance(value, str):
        return None
    return _normalize_mac_text(value)


# Every poll sees the same few hundred MACs: parse each spelling once.
@functools.lru_cache(maxsize=4096)
def _normalize_mac_text(value: str) -> str | None:
    text = value.strip().replace("-", ":").replace(".", "")
    if _HEX12_RE.match(text):
        text = ":".join(text[i : i + 2] for i in range(0, 12, 2))
    parts = text.split(":")
    if len(parts) != 6:
        return None
    try:
        octets = [int(part, 16) for part in parts]
    except ValueError:
        return None
    if any(
        not 0 <= octet <= 255 or not part
        for octet, part in zip(octets, parts, strict=True)
    ):
        return None
    return ":".join(f"{octet:02X}" for octet in octets)


def _str_tuple(value: Any) -> tuple[str, ...]:
    return tuple(s for s in (as_str(v) for v in as_list(value)) if s is not None)


def _mac_tuple(value: Any) -> tuple[str, ...]:
    macs: list[str] = []
    for item in as_list(value):
        mac = normalize_mac(item)
        if mac is not None and mac not in macs:
            macs.append(mac)
    return tuple(macs)


def _object(data: Any, model: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise JNAPProtocolError(f"{model}: output is not a JSON object")
    return data


def _required[T](
    data: Mapping[str, Any], key: str, parser: Callable[[Any], T | None], model: str
) -> T:
    value = parser(data.get(key))
    if value is None:
        raise JNAPProtocolError(f"{model}: member {key!r} is missing or unusable")
    return value


def _entries[T](items: Any, parser: Callable[[Any], T]) -> tuple[T, ...]:
    """Parse each entry of a list, skipping unusable ones."""
    parsed: list[T] = []
    for item in as_list(items):
        try:
            parsed.append(parser(item))
        except JNAPProtocolError:
            continue
    return tuple(parsed)


class EntryMemo[T]:
    """Reuse the model of a list entry whose JSON is unchanged since the last parse.

    Polls return mostly the same entries; comparing an entry's JSON with last time is far
    cheaper than parsing it, and unchanged entries keep their identity (cheap equality
    later on). Holds the previous poll's entries, keyed by ``key`` (e.g. ``macAddress``).
    """

    __slots__ = ("_finish", "_items", "_key", "_parsed", "_parser", "_seen")

    def __init__(
        self,
        key: str,
        parser: Callable[[Any], T],
        *,
        finish: Callable[[tuple[T, ...]], tuple[T, ...]] | None = None,
    ) -> None:
        """Memoize ``parser`` for entries identified by their ``key`` member.

        ``finish`` post-processes a whole list once it changed (the same list keeps its
        tuple).
        """
        self._key = key
        self._parser = parser
        self._finish = finish
        self._seen: dict[str, tuple[Any, T]] = {}
        self._items: Any = None
        self._parsed: tuple[T, ...] = ()

    def parse(self, items: Any) -> tuple[T, ...]:
        """Parse each entry of a list like ``_entries`` (unusable ones are skipped).

        The very same list as last time returns the very same tuple.
        """
        if self._items is not None and items == self._items:
            return self._parsed
        self._items = items
        parsed = self._parse(items)
        self._parsed = parsed if self._finish is None else self._finish(parsed)
        return self._parsed

    def _parse(self, items: Any) -> tuple[T, ...]:
        seen = self._seen
        current: dict[str, tuple[Any, T]] = {}
        parsed: list[T] = []
        for item in as_list(items):
            key = item.get(self._key) if isinstance(item, dict) else None
            if not isinstance(key, str):
                key = None
            hit = seen.get(key) if key is not None else None
            if hit is not None and hit[0] == item:
                value = hit[1]
            else:
                try:
                    value = self._parser(item)
                except JNAPProtocolError:
                    continue
            if key is not None:
                current[key] = (item, value)
            parsed.append(value)
        self._seen = current
        return tuple(parsed)


def _date(value: Any) -> str | None:
    # Some firmware sends 0 for "no date".
    if value in (0, "0", "", None):
        return None
    return as_str(value)


def _str_set(value: Any) -> frozenset[str]:
    return frozenset(_str_tuple(value))


def _objects(value: Any) -> tuple[Mapping[str, Any], ...]:
    """Keep the entries of a list that are JSON objects, as the router sent them."""
    return tuple(item for item in as_list(value) if isinstance(item, Mapping))


def _object_or_none(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def _true_or_false(value: Any) -> bool:
    return as_bool(value) or False


def _str_or_empty(value: Any) -> str:
    return as_str(value) or ""


def _entries_of[T](parser: Callable[[Any], T]) -> Callable[[Any], tuple[T, ...]]:
    """Parse a list with ``parser`` per entry, skipping unusable ones (``_entries``)."""
    return lambda items: _entries(items, parser)


def _if_list[T](parser: Callable[[Any], T]) -> Callable[[Any], T | None]:
    """``parser``, but None (unusable) for anything but a JSON array."""
    return lambda value: parser(value) if isinstance(value, list) else None


def _if_object[T](parser: Callable[[Any], T]) -> Callable[[Any], T | None]:
    """``parser``, but None for anything but a JSON object."""
    return lambda value: parser(value) if isinstance(value, Mapping) else None


# --- declarative models --------------------------------------------------------------------
#
# Most models read each field from one member (or one of its spellings) with one parser. Their
# fields say so with ``_member`` and the ``_Model.from_json`` built from that serves them all.
# Models with more logic, and those parsed per client every poll (hand-written code is faster
# there than any loop over specs), keep their own ``from_json``.

_SPEC = "jnap"
"""Key of a ``_member`` field's ``_MemberSpec`` in its ``dataclasses.Field.metadata``."""


@dataclass(frozen=True, slots=True)
class _MemberSpec:
    """Where a field's value is in a JNAP object, and how it is parsed."""

    label: str
    """The member named in errors: the first spelling."""
    paths: tuple[tuple[str, ...], ...]
    parse: Callable[[Any], Any]
    required: bool

    def read(self, obj: Mapping[str, Any]) -> Any:
        """Value of the first path whose last member is present, else None."""
        for path in self.paths:
            node = obj
            for key in path[:-1]:
                node = as_mapping(node.get(key))
            if path[-1] in node:
                return node[path[-1]]
        return None


@overload
def _member[T](
    key: str | tuple[str, ...],
    parse: Callable[[Any], T | None],
    *,
    required: Literal[True],
    secret: bool = False,
) -> T: ...


@overload
def _member[T](
    key: str | tuple[str, ...],
    parse: Callable[[Any], T],
    *,
    required: Literal[False] = False,
    secret: bool = False,
) -> T: ...


def _member(
    key: str | tuple[str, ...],
    parse: Callable[[Any], Any],
    *,
    required: bool = False,
    secret: bool = False,
) -> Any:
    """Declare a field of a ``_model``: read from member ``key``, parsed with ``parse``.

    ``key`` may be a path into nested objects (``"settings.ssid"``) or a tuple of spellings,
    the first one present wins (``obj.get(a, obj.get(b))``). A ``required`` field that parses
    to None makes ``from_json`` raise ``JNAPProtocolError``; a ``secret`` one stays out of
    ``repr``.
    """
    keys = (key,) if isinstance(key, str) else key
    spec = _MemberSpec(
        keys[0], tuple(tuple(k.split(".")) for k in keys), parse, required
    )
    return field(repr=not secret, metadata={_SPEC: spec})


class _Model:
    """Base of the ``_model`` classes: ``from_json`` reads their ``_member`` fields."""

    __slots__ = ()
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]  # set by @_model
    _members: ClassVar[tuple[tuple[str, _MemberSpec], ...]] = ()
    _keeps_raw: ClassVar[bool] = False

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """Parse; a required member that is missing or unusable raises."""
        return cls._parse(data)

    @classmethod
    def _parse(cls, data: Any, **others: Any) -> Self:
        """Parse the ``_member`` fields; ``others`` gives the remaining ones."""
        obj = _object(data, cls.__name__)
        values = others
        for name, spec in cls._members:
            value = spec.parse(spec.read(obj))
            if value is None and spec.required:
                raise JNAPProtocolError(
                    f"{cls.__name__}: member {spec.label!r} is missing or unusable"
                )
            values[name] = value
        if cls._keeps_raw:
            values["raw"] = obj
        return cls(**values)


@dataclass_transform(frozen_default=True, field_specifiers=(field, _member))
def _model[M: _Model](cls: type[M]) -> type[M]:
    """Make a frozen, slotted dataclass and precompute what its ``from_json`` reads."""
    cls = dataclass(frozen=True, slots=True)(cls)
    cls._members = tuple(
        (f.name, f.metadata[_SPEC]) for f in fields(cls) if _SPEC in f.metadata
    )
    cls._keeps_raw = any(f.name == "raw" for f in fields(cls))
    return cls


# --- core ----------------------------------------------------------------------------------


@_model
class DeviceInfo(_Model):
    """``core/GetDeviceInfo``: the router itself and the services its firmware lists."""

    model_number: str | None = _member("modelNumber", as_str)
    manufacturer: str | None = _member("manufacturer", as_str)
    description: str | None = _member("description", as_str)
    serial_number: str | None = _member("serialNumber", as_str)
    firmware_version: str | None = _member("firmwareVersion", as_str)
    firmware_date: str | None = _member("firmwareDate", _date)
    hardware_version: str | None = _member("hardwareVersion", as_str)
    services: frozenset[str] = _member("services", _if_list(_str_set), required=True)
    """Full service URIs, e.g. ``http://linksys.com/jnap/router/Router5``."""
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class AdminPasswordRestrictions(_Model):
    """``core/GetAdminPasswordRestrictions``."""

    min_length: int | None = _member("minLength", as_int)
    max_length: int | None = _member("maxLength", as_int)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


# --- devices -------------------------------------------------------------------------------

USER_DEVICE_NAME = "userDeviceName"
QOS_PROPERTY = "urn:cisco-com:ui:qos"
QOS_PRIORITIZED = "userPrioritized"
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

    @property
    def is_infrastructure(self) -> bool:
        """The router itself or a mesh node (not a client).

        Real WHW03 and MX42 answers have node records with ``deviceType`` ``Infrastructure``
        and no ``nodeType`` (docs/firmware-facts.md, "Device list").
        """
        return (
            self.is_authority
            or self.node_type is not None
            or self.device_type == INFRASTRUCTURE
        )

    @property
    def is_qos_prioritized(self) -> bool:
        """Whether the device is first in QoS (``urn:cisco-com:ui:qos`` property)."""
        return self.properties.get(QOS_PROPERTY) == QOS_PRIORITIZED

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
        return _in_mbps(_entries(obj["connections"], NetworkConnection.from_json))

    @staticmethod
    def memo(node_id: str | None = None) -> EntryMemo[NetworkConnection]:
        """Return a memo for ``list_from_json`` across polls (entries keyed by MAC)."""
        return EntryMemo(
            "macAddress",
            lambda item: NetworkConnection.from_json(item, node_id=node_id),
            finish=_in_mbps,
        )


def _in_mbps(
    connections: tuple[NetworkConnection, ...],
) -> tuple[NetworkConnection, ...]:
    """Rates of an answer in kbit/s (some firmware) turned into Mbit/s, for the whole answer."""
    if not any(
        c.speed_mbps is not None and c.speed_mbps > MAX_LINK_MBPS for c in connections
    ):
        return connections
    return tuple(
        c
        if c.speed_mbps is None
        else replace(c, speed_mbps=round(c.speed_mbps / 1000, 1))
        for c in connections
    )


def node_connections_from_json(
    data: Any, memos: dict[str, EntryMemo[NetworkConnection]] | None = None
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
            memo = memos[node_id] = NetworkConnection.memo(node_id)
        parsed.extend(memo.parse(node_obj.get("connections")))
    for gone in memos.keys() - seen:
        del memos[gone]
    return tuple(parsed)


@_model
class LocalDevice(_Model):
    """``devicelist/GetLocalDevice``: the device ID of the caller."""

    device_id: str | None = _member("deviceID", as_str)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


# --- WAN -----------------------------------------------------------------------------------


@_model
class WANConnection(_Model):
    """``wanConnection`` of a WAN status (only while connected)."""

    wan_type: str | None = _member("wanType", as_str)
    ip_address: str | None = _member("ipAddress", as_str)
    network_prefix_length: int | None = _member("networkPrefixLength", as_int)
    gateway: str | None = _member("gateway", as_str)
    mtu: int | None = _member("mtu", as_int)
    dhcp_lease_minutes: int | None = _member("dhcpLeaseMinutes", as_int)
    dns_servers: tuple[str, ...]

    @classmethod
    def from_json(cls, data: Any) -> WANConnection:
        """Parse; the DNS servers are ``dnsServer1`` to ``dnsServer3``, blanks left out."""
        obj = _object(data, "WANConnection")
        dns = tuple(
            s for s in (as_str(obj.get(f"dnsServer{i}")) for i in (1, 2, 3)) if s
        )
        return cls._parse(obj, dns_servers=dns)


@_model
class WANStatus(_Model):
    """``router/GetWANStatus*`` (tolerates near-empty objects)."""

    wan_status: str | None = _member("wanStatus", as_str)
    detected_wan_type: str | None = _member("detectedWANType", as_str)
    mac_address: str | None = _member("macAddress", normalize_mac)
    is_detecting_wan_type: bool | None = _member("isDetectingWANType", as_bool)
    wan_ipv6_status: str | None = _member("wanIPv6Status", as_str)
    connection: WANConnection | None = _member(
        "wanConnection", _if_object(WANConnection.from_json)
    )
    ipv6_connection: Mapping[str, Any] | None = _member(
        "wanIPv6Connection", _object_or_none
    )
    supported_wan_types: tuple[str, ...] = _member("supportedWANTypes", _str_tuple)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @property
    def is_connected(self) -> bool:
        """Whether the WAN is up."""
        return self.wan_status == "Connected"

    @property
    def ip_address(self) -> str | None:
        """The WAN IPv4 address while connected."""
        return None if self.connection is None else self.connection.ip_address


# --- guest network -------------------------------------------------------------------------


@_model
class GuestRadio(_Model):
    """One radio of the guest network (v1 calls the passphrase ``guestPassword``)."""

    radio_id: str = _member("radioID", as_str, required=True)
    is_enabled: bool | None = _member("isEnabled", as_bool)
    broadcast_ssid: bool | None = _member("broadcastGuestSSID", as_bool)
    ssid: str | None = _member("guestSSID", as_str)
    passphrase: str | None = _member(
        ("guestWPAPassphrase", "guestPassword"), as_str, secret=True
    )
    can_enable_radio: bool | None = _member("canEnableRadio", as_bool)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class GuestNetworkSettings(_Model):
    """``guestnetwork/GetGuestRadioSettings`` (version 1) or ``...2`` (version 2)."""

    is_enabled: bool = _member("isGuestNetworkEnabled", as_bool, required=True)
    is_captive_portal: bool | None = _member("isGuestNetworkACaptivePortal", as_bool)
    max_simultaneous_guests: int | None = _member("maxSimultaneousGuests", as_int)
    max_simultaneous_guests_limit: int | None = _member(
        "maxSimultaneousGuestsLimit", as_int
    )
    radios: tuple[GuestRadio, ...] = _member(
        "radios", _entries_of(GuestRadio.from_json)
    )
    version: int
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any, *, version: int = 1) -> GuestNetworkSettings:
        """Parse; ``isGuestNetworkEnabled`` is required."""
        return cls._parse(data, version=version)


# --- LEDs ----------------------------------------------------------------------------------


@_model
class LEDSettings(_Model):
    """``routerleds/GetRouterLEDSettings``."""

    is_switchport_led_enabled: bool = _member(
        "isSwitchportLEDEnabled", as_bool, required=True
    )
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


# --- parental control ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WANSchedule:
    """A weekly schedule: per day 48 characters, one per half hour, ``1`` allowed."""

    sunday: str
    monday: str
    tuesday: str
    wednesday: str
    thursday: str
    friday: str
    saturday: str

    @classmethod
    def always_blocked(cls) -> WANSchedule:
        """Blocked all week."""
        day = "0" * SLOTS_PER_DAY
        return cls(day, day, day, day, day, day, day)

    @classmethod
    def from_json(cls, data: Any) -> WANSchedule:
        """Parse; every day is required."""
        obj = _object(data, "WANSchedule")
        days = [_required(obj, day, as_str, "WANSchedule") for day in DAYS]
        return cls(*days)

    @property
    def days(self) -> tuple[str, ...]:
        """The seven days, Sunday first."""
        return (
            self.sunday,
            self.monday,
            self.tuesday,
            self.wednesday,
            self.thursday,
            self.friday,
            self.saturday,
        )

    @property
    def is_always_blocked(self) -> bool:
        """Whether no half hour of the week is allowed."""
        return all(set(day) <= {"0"} and day for day in self.days)

    def to_json(self) -> dict[str, str]:
        """Return the JNAP form."""
        return dict(zip(DAYS, self.days, strict=True))


def _schedule_or_none(value: Any) -> WANSchedule | None:
    """Read a schedule; None when absent, not an object or incomplete."""
    try:
        return WANSchedule.from_json(value)
    except JNAPProtocolError:
        return None


@_model
class ParentalRule(_Model):
    """One parental-control rule."""

    is_enabled: bool = _member("isEnabled", _true_or_false)
    description: str = _member("description", _str_or_empty)
    mac_addresses: tuple[str, ...] = _member("macAddresses", _mac_tuple)
    blocked_urls: tuple[str, ...] = _member("blockedURLs", _str_tuple)
    schedule: WANSchedule | None = _member("wanSchedule", _schedule_or_none)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class ParentalControlSettings(_Model):
    """``parentalcontrol/GetParentalControlSettings``."""

    is_enabled: bool = _member("isParentalControlEnabled", as_bool, required=True)
    rules: tuple[ParentalRule, ...] = _member(
        "rules", _entries_of(ParentalRule.from_json)
    )
    max_rules: int | None = _member("maxRules", as_int)
    max_rule_mac_addresses: int | None = _member("maxRuleMACAddresses", as_int)
    max_rule_blocked_urls: int | None = _member("maxRuleBlockedURLs", as_int)
    max_rule_blocked_url_length: int | None = _member("maxRuleBlockedURLLength", as_int)
    max_rule_description_length: int | None = _member(
        "maxRuleDescriptionLength", as_int
    )
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


# --- firmware ------------------------------------------------------------------------------


@_model
class AvailableUpdate(_Model):
    """A firmware the router offers to install."""

    firmware_version: str | None = _member("firmwareVersion", as_str)
    firmware_date: str | None = _member("firmwareDate", _date)
    description: str | None = _member("description", as_str)


@_model
class PendingOperation(_Model):
    """A firmware operation in progress."""

    operation: str | None = _member("operation", as_str)
    """``Checking``, ``Downloading``, ``Installing`` or ``Rebooting``."""
    progress_percent: int | None = _member("progressPercent", as_int)


def _failure_text(value: Any) -> str | None:
    # Some firmware describes the failure with an object: keep it readable.
    return str(dict(value)) if isinstance(value, Mapping) else as_str(value)


@_model
class FirmwareUpdateStatus(_Model):
    """``firmwareupdate/GetFirmwareUpdateStatus``."""

    last_successful_check_time: str | None = _member("lastSuccessfulCheckTime", _date)
    available_update: AvailableUpdate | None = _member(
        "availableUpdate", _if_object(AvailableUpdate.from_json)
    )
    pending_operation: PendingOperation | None = _member(
        "pendingOperation", _if_object(PendingOperation.from_json)
    )
    last_operation_failure: str | None = _member("lastOperationFailure", _failure_text)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @property
    def is_update_in_progress(self) -> bool:
        """Whether the router is checking, downloading, installing or rebooting."""
        return self.pending_operation is not None


@_model
class FirmwareUpdateSettings(_Model):
    """``firmwareupdate/GetFirmwareUpdateSettings``."""

    update_policy: str | None = _member("updatePolicy", as_str)
    """``Manual`` or ``AutomaticallyCheckAndInstall``."""
    start_minute: int | None = _member("autoUpdateWindow.startMinute", as_int)
    duration_minutes: int | None = _member("autoUpdateWindow.durationMinutes", as_int)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


# --- wireless ------------------------------------------------------------------------------


@_model
class Radio(_Model):
    """One main Wi-Fi radio of ``wirelessap/GetRadioInfo*``."""

    radio_id: str = _member("radioID", as_str, required=True)
    physical_radio_id: str | None = _member("physicalRadioID", as_str)
    bssid: str | None = _member("bssid", normalize_mac)
    band: str | None = _member("band", as_str)
    is_enabled: bool | None = _member("settings.isEnabled", as_bool)
    mode: str | None = _member("settings.mode", as_str)
    ssid: str | None = _member("settings.ssid", as_str)
    broadcast_ssid: bool | None = _member("settings.broadcastSSID", as_bool)
    channel_width: str | None = _member("settings.channelWidth", as_str)
    channel: int | None = _member("settings.channel", as_int)
    security: str | None = _member("settings.security", as_str)
    passphrase: str | None = _member(
        "settings.wpaPersonalSettings.passphrase", as_str, secret=True
    )
    supported_modes: tuple[str, ...] = _member("supportedModes", _str_tuple)
    supported_security_types: tuple[str, ...] = _member(
        "supportedSecurityTypes", _str_tuple
    )
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class RadioInfo(_Model):
    """``wirelessap/GetRadioInfo*`` (``version`` says which)."""

    is_band_steering_supported: bool | None = _member(
        "isBandSteeringSupported", as_bool
    )
    is_band_steering_enabled: bool | None = _member("isBandSteeringEnabled", as_bool)
    band_steering_mode: str | None = _member("bandSteeringMode", as_str)
    radios: tuple[Radio, ...] = _member(
        "radios", _if_list(_entries_of(Radio.from_json)), required=True
    )
    version: int
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any, *, version: int = 1) -> RadioInfo:
        """Parse; ``radios`` must be a list."""
        return cls._parse(data, version=version)


@_model
class WirelessSchedulerSettings(_Model):
    """``wirelessscheduler/GetWirelessSchedulerSettings``."""

    is_enabled: bool | None = _member(
        ("isWirelessSchedulerEnabled", "isEnabled"), as_bool
    )
    schedule: WANSchedule | None = _member(
        ("wirelessSchedule", "schedule"), _schedule_or_none
    )
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


# --- locale and logs -----------------------------------------------------------------------


@_model
class TimeZone(_Model):
    """One entry of ``supportedTimeZones``."""

    time_zone_id: str = _member("timeZoneID", as_str, required=True)
    description: str | None = _member("description", as_str)
    utc_offset_minutes: int | None = _member("utcOffsetMinutes", as_int)
    observes_dst: bool | None = _member("observesDST", as_bool)


@_model
class TimeSettings(_Model):
    """``locale/GetTimeSettings``."""

    time_zone_id: str | None = _member("timeZoneID", as_str)
    auto_adjust_for_dst: bool | None = _member("autoAdjustForDST", as_bool)
    current_time: str | None = _member("currentTime", as_str)
    supported_time_zones: tuple[TimeZone, ...] = _member(
        "supportedTimeZones", _entries_of(TimeZone.from_json)
    )
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class LogSettings(_Model):
    """``routerlog/GetLogSettings``."""

    is_logging_enabled: bool | None = _member("isLoggingEnabled", as_bool)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class LogEntries(_Model):
    """``routerlog/Get*LogEntries``: entries as the router sent them (objects only)."""

    entries: tuple[Mapping[str, Any], ...] = _member("entries", _objects)
    total_entry_count: int | None = _member(("totalEntryCount", "entryCount"), as_int)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


# --- other read-only settings --------------------------------------------------------------


@_model
class ALGSettings(_Model):
    """``firewall/GetALGSettings``."""

    is_sip_enabled: bool | None = _member("isSIPEnabled", as_bool)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class QoSDeviceRule(_Model):
    """One ``deviceRules`` entry of ``qos/GetQoSSettings`` (qos.lua ``getDeviceRules``)."""

    mac: str | None = _member("macAddress", normalize_mac)
    priority: str | None = _member("priority", as_str)
    """``High``, ``Medium``, ``Normal`` or ``Low``."""
    traffic_type: str | None = _member("trafficType", as_str)
    description: str = _member("description", _str_or_empty)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class QoSSettings(_Model):
    """``qos/GetQoSSettings`` (qos_server.lua ``GetQoSSettings``; bandwidths in bit/s)."""

    is_qos_enabled: bool | None = _member("isQoSEnabled", as_bool)
    is_auto_prioritizing_enabled: bool | None = _member(
        "isQoSAutoPrioritizingEnabled", as_bool
    )
    upstream_bandwidth_bps: int | None = _member("upstreamBandwidthbps", as_int)
    downstream_bandwidth_bps: int | None = _member("downstreamBandwidthbps", as_int)
    device_rules: tuple[QoSDeviceRule, ...] = _member(
        "deviceRules", _entries_of(QoSDeviceRule.from_json)
    )
    max_device_rules: int | None = _member("maxDeviceRules", as_int)
    max_description_length: int | None = _member("maxDescriptionLength", as_int)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class WLANQoSSettings(_Model):
    """``qos/GetWLANQoSSettings``."""

    is_wmm_enabled: bool | None = _member("isWMMEnabled", as_bool)
    is_wireless_acknowledgement_enabled: bool | None = _member(
        "isWirelessAcknowledgementEnabled", as_bool
    )
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class DHCPLease(_Model):
    """One DHCP lease."""

    mac: str = _member("macAddress", normalize_mac, required=True)
    ip_address: str | None = _member("ipAddress", as_str)
    host_name: str | None = _member("hostName", as_str)
    expiration: str | None = _member("expiration", as_str)
    client_id: str | None = _member("clientID", as_str)

    @staticmethod
    def list_from_json(data: Any) -> tuple[DHCPLease, ...]:
        """Parse ``router/GetDHCPClientLeases``."""
        obj = _object(data, "DHCPClientLeases")
        return _entries(obj.get("leases"), DHCPLease.from_json)


@_model
class EthernetPortConnections(_Model):
    """``router/GetEthernetPortConnections``: link state per port (e.g. ``1Gbps``, ``None``)."""

    wan_port_connection: str | None = _member("wanPortConnection", as_str)
    lan_port_connections: tuple[str, ...] = _member("lanPortConnections", _str_tuple)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class ExpressForwardingSettings(_Model):
    """``router/GetExpressForwardingSettings``."""

    is_supported: bool | None = _member("isExpressForwardingSupported", as_bool)
    is_enabled: bool | None = _member("isExpressForwardingEnabled", as_bool)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class IPv6Settings(_Model):
    """``router/GetIPv6Settings*``."""

    wan_type: str | None = _member("wanType", as_str)
    is_ipv6_automatic_enabled: bool | None = _member(
        (
            "ipv6AutomaticSettings.isIPv6AutomaticEnabled",
            "isIPv6AutomaticEnabled",
        ),
        as_bool,
    )
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class LANSettings(_Model):
    """``router/GetLANSettings``."""

    ip_address: str | None = _member("ipAddress", as_str)
    network_prefix_length: int | None = _member("networkPrefixLength", as_int)
    host_name: str | None = _member("hostName", as_str)
    is_dhcp_enabled: bool | None = _member("isDHCPEnabled", as_bool)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class MACAddressCloneSettings(_Model):
    """``router/GetMACAddressCloneSettings``."""

    is_enabled: bool | None = _member("isMACAddressCloneEnabled", as_bool)
    mac_address: str | None = _member("macAddress", normalize_mac)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class RoutingSettings(_Model):
    """``router/GetRoutingSettings``."""

    is_nat_enabled: bool | None = _member("isNATEnabled", as_bool)
    is_dynamic_routing_enabled: bool | None = _member(
        "isDynamicRoutingEnabled", as_bool
    )
    entries: tuple[Mapping[str, Any], ...] = _member("entries", _objects)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class ManagementSettings(_Model):
    """``routermanagement/GetManagementSettings*``."""

    can_manage_using_http: bool | None = _member("canManageUsingHTTP", as_bool)
    can_manage_using_https: bool | None = _member("canManageUsingHTTPS", as_bool)
    can_manage_wirelessly: bool | None = _member("canManageWirelessly", as_bool)
    can_manage_remotely: bool | None = _member("canManageRemotely", as_bool)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class RemoteManagementStatus(_Model):
    """``routermanagement/GetRemoteManagementStatus``."""

    status: str | None = _member(
        ("serverConnectionStatus", "serverStatus", "status"), as_str
    )
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class UPnPSettings(_Model):
    """``routerupnp/GetUPnPSettings``."""

    is_upnp_enabled: bool | None = _member("isUPnPEnabled", as_bool)
    can_users_configure: bool | None = _member("canUsersConfigure", as_bool)
    can_users_disable_wan_access: bool | None = _member(
        "canUsersDisableWANAccess", as_bool
    )
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class Partitions(_Model):
    """``storage/GetPartitions``: attached storage as the router describes it."""

    partitions: tuple[Mapping[str, Any], ...] = _member("partitions", _objects)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class VLANProfiles(_Model):
    """``vlantagging/GetProfiles``."""

    profiles: tuple[Mapping[str, Any], ...] = _member("profiles", _objects)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


@_model
class VLANTaggingSettings(_Model):
    """``vlantagging/GetVLANTaggingSettings``."""

    is_enabled: bool | None = _member(("isVLANTaggingEnabled", "isEnabled"), as_bool)
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)


def pick(raw: Mapping[str, Any], keys: Sequence[str], model: str) -> dict[str, Any]:
    """Copy exactly ``keys`` from a Get output, for a Set input; every key must be present."""
    missing = [key for key in keys if key not in raw]
    if missing:
        raise JNAPProtocolError(
            f"{model}: the router's settings lack {', '.join(missing)}; refusing a partial write"
        )
    return {key: raw[key] for key in keys}
