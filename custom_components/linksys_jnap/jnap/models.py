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
from dataclasses import dataclass, field
import functools
import math
import re
from types import MappingProxyType
from typing import Any

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

    __slots__ = ("_items", "_key", "_parsed", "_parser", "_seen")

    def __init__(self, key: str, parser: Callable[[Any], T]) -> None:
        """Memoize ``parser`` for entries identified by their ``key`` member."""
        self._key = key
        self._parser = parser
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
        self._parsed = self._parse(items)
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


# --- core ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """``core/GetDeviceInfo``: the router itself and the services its firmware lists."""

    model_number: str | None
    manufacturer: str | None
    description: str | None
    serial_number: str | None
    firmware_version: str | None
    firmware_date: str | None
    hardware_version: str | None
    services: frozenset[str]
    """Full service URIs, e.g. ``http://linksys.com/jnap/router/Router5``."""
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> DeviceInfo:
        """Parse; ``services`` must be a list."""
        obj = _object(data, "DeviceInfo")
        if not isinstance(obj.get("services"), list):
            raise JNAPProtocolError(
                "DeviceInfo: member 'services' is missing or unusable"
            )
        return cls(
            model_number=as_str(obj.get("modelNumber")),
            manufacturer=as_str(obj.get("manufacturer")),
            description=as_str(obj.get("description")),
            serial_number=as_str(obj.get("serialNumber")),
            firmware_version=as_str(obj.get("firmwareVersion")),
            firmware_date=_date(obj.get("firmwareDate")),
            hardware_version=as_str(obj.get("hardwareVersion")),
            services=frozenset(_str_tuple(obj.get("services"))),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class AdminPasswordRestrictions:
    """``core/GetAdminPasswordRestrictions``."""

    min_length: int | None
    max_length: int | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> AdminPasswordRestrictions:
        """Parse."""
        obj = _object(data, "AdminPasswordRestrictions")
        return cls(
            min_length=as_int(obj.get("minLength")),
            max_length=as_int(obj.get("maxLength")),
            raw=obj,
        )


# --- devices -------------------------------------------------------------------------------

USER_DEVICE_NAME = "userDeviceName"
QOS_PROPERTY = "urn:cisco-com:ui:qos"
QOS_PRIORITIZED = "userPrioritized"


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
        """The router itself or a mesh node (not a client)."""
        return self.is_authority or self.node_type is not None

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

    @classmethod
    def from_json(cls, data: Any) -> NetworkConnection:
        """Parse; the MAC is required."""
        obj = _object(data, "NetworkConnection")
        wireless_value = obj.get("wireless")
        wireless = as_mapping(wireless_value)
        return cls(
            mac=_required(obj, "macAddress", normalize_mac, "NetworkConnection"),
            speed_mbps=as_float(obj.get("negotiatedMbps")),
            band=as_str(wireless.get("band")),
            signal_dbm=as_int(wireless.get("signalDecibels")),
            is_guest=as_bool(wireless.get("isGuest")) or False,
            radio_id=as_str(wireless.get("radioID")),
            bssid=normalize_mac(wireless.get("bssid")),
            is_wireless=isinstance(wireless_value, Mapping),
            timestamp=as_str(obj.get("timestamp")),
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
        return _entries(obj["connections"], NetworkConnection.from_json)

    @staticmethod
    def memo() -> EntryMemo[NetworkConnection]:
        """Return a memo for ``list_from_json`` across polls (entries keyed by MAC)."""
        return EntryMemo("macAddress", NetworkConnection.from_json)


@dataclass(frozen=True, slots=True)
class LocalDevice:
    """``devicelist/GetLocalDevice``: the device ID of the caller."""

    device_id: str | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> LocalDevice:
        """Parse."""
        obj = _object(data, "LocalDevice")
        return cls(device_id=as_str(obj.get("deviceID")), raw=obj)


# --- WAN -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WANConnection:
    """``wanConnection`` of a WAN status (only while connected)."""

    wan_type: str | None
    ip_address: str | None
    network_prefix_length: int | None
    gateway: str | None
    mtu: int | None
    dhcp_lease_minutes: int | None
    dns_servers: tuple[str, ...]

    @classmethod
    def from_json(cls, data: Any) -> WANConnection:
        """Parse."""
        obj = _object(data, "WANConnection")
        dns = tuple(
            s for s in (as_str(obj.get(f"dnsServer{i}")) for i in (1, 2, 3)) if s
        )
        return cls(
            wan_type=as_str(obj.get("wanType")),
            ip_address=as_str(obj.get("ipAddress")),
            network_prefix_length=as_int(obj.get("networkPrefixLength")),
            gateway=as_str(obj.get("gateway")),
            mtu=as_int(obj.get("mtu")),
            dhcp_lease_minutes=as_int(obj.get("dhcpLeaseMinutes")),
            dns_servers=dns,
        )


@dataclass(frozen=True, slots=True)
class WANStatus:
    """``router/GetWANStatus*``."""

    wan_status: str | None
    detected_wan_type: str | None
    mac_address: str | None
    is_detecting_wan_type: bool | None
    wan_ipv6_status: str | None
    connection: WANConnection | None
    ipv6_connection: Mapping[str, Any] | None
    supported_wan_types: tuple[str, ...]
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @property
    def is_connected(self) -> bool:
        """Whether the WAN is up."""
        return self.wan_status == "Connected"

    @property
    def ip_address(self) -> str | None:
        """The WAN IPv4 address while connected."""
        return None if self.connection is None else self.connection.ip_address

    @classmethod
    def from_json(cls, data: Any) -> WANStatus:
        """Parse (tolerates near-empty objects)."""
        obj = _object(data, "WANStatus")
        conn = obj.get("wanConnection")
        ipv6 = obj.get("wanIPv6Connection")
        return cls(
            wan_status=as_str(obj.get("wanStatus")),
            detected_wan_type=as_str(obj.get("detectedWANType")),
            mac_address=normalize_mac(obj.get("macAddress")),
            is_detecting_wan_type=as_bool(obj.get("isDetectingWANType")),
            wan_ipv6_status=as_str(obj.get("wanIPv6Status")),
            connection=WANConnection.from_json(conn)
            if isinstance(conn, Mapping)
            else None,
            ipv6_connection=ipv6 if isinstance(ipv6, Mapping) else None,
            supported_wan_types=_str_tuple(obj.get("supportedWANTypes")),
            raw=obj,
        )


# --- guest network -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GuestRadio:
    """One radio of the guest network."""

    radio_id: str
    is_enabled: bool | None
    broadcast_ssid: bool | None
    ssid: str | None
    passphrase: str | None = field(repr=False)
    can_enable_radio: bool | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> GuestRadio:
        """Parse; ``radioID`` is required. v1 calls the passphrase ``guestPassword``."""
        obj = _object(data, "GuestRadio")
        passphrase = obj.get("guestWPAPassphrase", obj.get("guestPassword"))
        return cls(
            radio_id=_required(obj, "radioID", as_str, "GuestRadio"),
            is_enabled=as_bool(obj.get("isEnabled")),
            broadcast_ssid=as_bool(obj.get("broadcastGuestSSID")),
            ssid=as_str(obj.get("guestSSID")),
            passphrase=as_str(passphrase),
            can_enable_radio=as_bool(obj.get("canEnableRadio")),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class GuestNetworkSettings:
    """``guestnetwork/GetGuestRadioSettings`` (version 1) or ``...2`` (version 2)."""

    is_enabled: bool
    is_captive_portal: bool | None
    max_simultaneous_guests: int | None
    max_simultaneous_guests_limit: int | None
    radios: tuple[GuestRadio, ...]
    version: int
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any, *, version: int = 1) -> GuestNetworkSettings:
        """Parse; ``isGuestNetworkEnabled`` is required."""
        obj = _object(data, "GuestNetworkSettings")
        return cls(
            is_enabled=_required(
                obj, "isGuestNetworkEnabled", as_bool, "GuestNetworkSettings"
            ),
            is_captive_portal=as_bool(obj.get("isGuestNetworkACaptivePortal")),
            max_simultaneous_guests=as_int(obj.get("maxSimultaneousGuests")),
            max_simultaneous_guests_limit=as_int(obj.get("maxSimultaneousGuestsLimit")),
            radios=_entries(obj.get("radios"), GuestRadio.from_json),
            version=version,
            raw=obj,
        )


# --- LEDs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LEDSettings:
    """``routerleds/GetRouterLEDSettings``."""

    is_switchport_led_enabled: bool
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> LEDSettings:
        """Parse; the flag is required."""
        obj = _object(data, "LEDSettings")
        return cls(
            is_switchport_led_enabled=_required(
                obj, "isSwitchportLEDEnabled", as_bool, "LEDSettings"
            ),
            raw=obj,
        )


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


@dataclass(frozen=True, slots=True)
class ParentalRule:
    """One parental-control rule."""

    is_enabled: bool
    description: str
    mac_addresses: tuple[str, ...]
    blocked_urls: tuple[str, ...]
    schedule: WANSchedule | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> ParentalRule:
        """Parse."""
        obj = _object(data, "ParentalRule")
        schedule_value = obj.get("wanSchedule")
        schedule: WANSchedule | None
        try:
            schedule = (
                WANSchedule.from_json(schedule_value)
                if isinstance(schedule_value, Mapping)
                else None
            )
        except JNAPProtocolError:
            schedule = None
        return cls(
            is_enabled=as_bool(obj.get("isEnabled")) or False,
            description=as_str(obj.get("description")) or "",
            mac_addresses=_mac_tuple(obj.get("macAddresses")),
            blocked_urls=_str_tuple(obj.get("blockedURLs")),
            schedule=schedule,
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class ParentalControlSettings:
    """``parentalcontrol/GetParentalControlSettings``."""

    is_enabled: bool
    rules: tuple[ParentalRule, ...]
    max_rules: int | None
    max_rule_mac_addresses: int | None
    max_rule_blocked_urls: int | None
    max_rule_blocked_url_length: int | None
    max_rule_description_length: int | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> ParentalControlSettings:
        """Parse; ``isParentalControlEnabled`` is required."""
        obj = _object(data, "ParentalControlSettings")
        return cls(
            is_enabled=_required(
                obj, "isParentalControlEnabled", as_bool, "ParentalControlSettings"
            ),
            rules=_entries(obj.get("rules"), ParentalRule.from_json),
            max_rules=as_int(obj.get("maxRules")),
            max_rule_mac_addresses=as_int(obj.get("maxRuleMACAddresses")),
            max_rule_blocked_urls=as_int(obj.get("maxRuleBlockedURLs")),
            max_rule_blocked_url_length=as_int(obj.get("maxRuleBlockedURLLength")),
            max_rule_description_length=as_int(obj.get("maxRuleDescriptionLength")),
            raw=obj,
        )


# --- firmware ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AvailableUpdate:
    """A firmware the router offers to install."""

    firmware_version: str | None
    firmware_date: str | None
    description: str | None

    @classmethod
    def from_json(cls, data: Any) -> AvailableUpdate:
        """Parse."""
        obj = _object(data, "AvailableUpdate")
        return cls(
            firmware_version=as_str(obj.get("firmwareVersion")),
            firmware_date=_date(obj.get("firmwareDate")),
            description=as_str(obj.get("description")),
        )


@dataclass(frozen=True, slots=True)
class PendingOperation:
    """A firmware operation in progress."""

    operation: str | None
    """``Checking``, ``Downloading``, ``Installing`` or ``Rebooting``."""
    progress_percent: int | None

    @classmethod
    def from_json(cls, data: Any) -> PendingOperation:
        """Parse."""
        obj = _object(data, "PendingOperation")
        return cls(
            operation=as_str(obj.get("operation")),
            progress_percent=as_int(obj.get("progressPercent")),
        )


@dataclass(frozen=True, slots=True)
class FirmwareUpdateStatus:
    """``firmwareupdate/GetFirmwareUpdateStatus``."""

    last_successful_check_time: str | None
    available_update: AvailableUpdate | None
    pending_operation: PendingOperation | None
    last_operation_failure: str | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @property
    def is_update_in_progress(self) -> bool:
        """Whether the router is checking, downloading, installing or rebooting."""
        return self.pending_operation is not None

    @classmethod
    def from_json(cls, data: Any) -> FirmwareUpdateStatus:
        """Parse."""
        obj = _object(data, "FirmwareUpdateStatus")
        update = obj.get("availableUpdate")
        pending = obj.get("pendingOperation")
        failure = obj.get("lastOperationFailure")
        return cls(
            last_successful_check_time=_date(obj.get("lastSuccessfulCheckTime")),
            available_update=(
                AvailableUpdate.from_json(update)
                if isinstance(update, Mapping)
                else None
            ),
            pending_operation=(
                PendingOperation.from_json(pending)
                if isinstance(pending, Mapping)
                else None
            ),
            last_operation_failure=(
                as_str(failure)
                if not isinstance(failure, Mapping)
                else str(dict(failure))
            ),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class FirmwareUpdateSettings:
    """``firmwareupdate/GetFirmwareUpdateSettings``."""

    update_policy: str | None
    """``Manual`` or ``AutomaticallyCheckAndInstall``."""
    start_minute: int | None
    duration_minutes: int | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> FirmwareUpdateSettings:
        """Parse."""
        obj = _object(data, "FirmwareUpdateSettings")
        window = as_mapping(obj.get("autoUpdateWindow"))
        return cls(
            update_policy=as_str(obj.get("updatePolicy")),
            start_minute=as_int(window.get("startMinute")),
            duration_minutes=as_int(window.get("durationMinutes")),
            raw=obj,
        )


# --- wireless ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Radio:
    """One main Wi-Fi radio of ``wirelessap/GetRadioInfo*``."""

    radio_id: str
    physical_radio_id: str | None
    bssid: str | None
    band: str | None
    is_enabled: bool | None
    mode: str | None
    ssid: str | None
    broadcast_ssid: bool | None
    channel_width: str | None
    channel: int | None
    security: str | None
    passphrase: str | None = field(repr=False)
    supported_modes: tuple[str, ...]
    supported_security_types: tuple[str, ...]
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> Radio:
        """Parse; ``radioID`` is required."""
        obj = _object(data, "Radio")
        settings = as_mapping(obj.get("settings"))
        wpa = as_mapping(settings.get("wpaPersonalSettings"))
        return cls(
            radio_id=_required(obj, "radioID", as_str, "Radio"),
            physical_radio_id=as_str(obj.get("physicalRadioID")),
            bssid=normalize_mac(obj.get("bssid")),
            band=as_str(obj.get("band")),
            is_enabled=as_bool(settings.get("isEnabled")),
            mode=as_str(settings.get("mode")),
            ssid=as_str(settings.get("ssid")),
            broadcast_ssid=as_bool(settings.get("broadcastSSID")),
            channel_width=as_str(settings.get("channelWidth")),
            channel=as_int(settings.get("channel")),
            security=as_str(settings.get("security")),
            passphrase=as_str(wpa.get("passphrase")),
            supported_modes=_str_tuple(obj.get("supportedModes")),
            supported_security_types=_str_tuple(obj.get("supportedSecurityTypes")),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class RadioInfo:
    """``wirelessap/GetRadioInfo*`` (``version`` says which)."""

    is_band_steering_supported: bool | None
    is_band_steering_enabled: bool | None
    band_steering_mode: str | None
    radios: tuple[Radio, ...]
    version: int
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any, *, version: int = 1) -> RadioInfo:
        """Parse; ``radios`` must be a list."""
        obj = _object(data, "RadioInfo")
        if not isinstance(obj.get("radios"), list):
            raise JNAPProtocolError("RadioInfo: member 'radios' is missing or unusable")
        return cls(
            is_band_steering_supported=as_bool(obj.get("isBandSteeringSupported")),
            is_band_steering_enabled=as_bool(obj.get("isBandSteeringEnabled")),
            band_steering_mode=as_str(obj.get("bandSteeringMode")),
            radios=_entries(obj["radios"], Radio.from_json),
            version=version,
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class WirelessSchedulerSettings:
    """``wirelessscheduler/GetWirelessSchedulerSettings``."""

    is_enabled: bool | None
    schedule: WANSchedule | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> WirelessSchedulerSettings:
        """Parse."""
        obj = _object(data, "WirelessSchedulerSettings")
        schedule_value = obj.get("wirelessSchedule", obj.get("schedule"))
        schedule: WANSchedule | None = None
        if isinstance(schedule_value, Mapping):
            try:
                schedule = WANSchedule.from_json(schedule_value)
            except JNAPProtocolError:
                schedule = None
        return cls(
            is_enabled=as_bool(
                obj.get("isWirelessSchedulerEnabled", obj.get("isEnabled"))
            ),
            schedule=schedule,
            raw=obj,
        )


# --- locale and logs -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeZone:
    """One entry of ``supportedTimeZones``."""

    time_zone_id: str
    description: str | None
    utc_offset_minutes: int | None
    observes_dst: bool | None

    @classmethod
    def from_json(cls, data: Any) -> TimeZone:
        """Parse; the ID is required."""
        obj = _object(data, "TimeZone")
        return cls(
            time_zone_id=_required(obj, "timeZoneID", as_str, "TimeZone"),
            description=as_str(obj.get("description")),
            utc_offset_minutes=as_int(obj.get("utcOffsetMinutes")),
            observes_dst=as_bool(obj.get("observesDST")),
        )


@dataclass(frozen=True, slots=True)
class TimeSettings:
    """``locale/GetTimeSettings``."""

    time_zone_id: str | None
    auto_adjust_for_dst: bool | None
    current_time: str | None
    supported_time_zones: tuple[TimeZone, ...]
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> TimeSettings:
        """Parse."""
        obj = _object(data, "TimeSettings")
        return cls(
            time_zone_id=as_str(obj.get("timeZoneID")),
            auto_adjust_for_dst=as_bool(obj.get("autoAdjustForDST")),
            current_time=as_str(obj.get("currentTime")),
            supported_time_zones=_entries(
                obj.get("supportedTimeZones"), TimeZone.from_json
            ),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class LogSettings:
    """``routerlog/GetLogSettings``."""

    is_logging_enabled: bool | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> LogSettings:
        """Parse."""
        obj = _object(data, "LogSettings")
        return cls(is_logging_enabled=as_bool(obj.get("isLoggingEnabled")), raw=obj)


@dataclass(frozen=True, slots=True)
class LogEntries:
    """``routerlog/Get*LogEntries``: entries as the router sent them."""

    entries: tuple[Mapping[str, Any], ...]
    total_entry_count: int | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> LogEntries:
        """Parse; non-object entries are skipped."""
        obj = _object(data, "LogEntries")
        entries = tuple(
            e for e in as_list(obj.get("entries")) if isinstance(e, Mapping)
        )
        return cls(
            entries=entries,
            total_entry_count=as_int(obj.get("totalEntryCount", obj.get("entryCount"))),
            raw=obj,
        )


# --- other read-only settings --------------------------------------------------------------


def _flags(obj: Mapping[str, Any], *keys: str) -> tuple[bool | None, ...]:
    return tuple(as_bool(obj.get(key)) for key in keys)


@dataclass(frozen=True, slots=True)
class ALGSettings:
    """``firewall/GetALGSettings``."""

    is_sip_enabled: bool | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> ALGSettings:
        """Parse."""
        obj = _object(data, "ALGSettings")
        return cls(is_sip_enabled=as_bool(obj.get("isSIPEnabled")), raw=obj)


@dataclass(frozen=True, slots=True)
class QoSSettings:
    """``qos/GetQoSSettings``."""

    is_qos_enabled: bool | None
    upstream_bandwidth_kbps: int | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> QoSSettings:
        """Parse."""
        obj = _object(data, "QoSSettings")
        return cls(
            is_qos_enabled=as_bool(obj.get("isQoSEnabled")),
            upstream_bandwidth_kbps=as_int(obj.get("upstreamBandwidthKbps")),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class WLANQoSSettings:
    """``qos/GetWLANQoSSettings``."""

    is_wmm_enabled: bool | None
    is_no_ack_enabled: bool | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> WLANQoSSettings:
        """Parse."""
        obj = _object(data, "WLANQoSSettings")
        no_ack = as_bool(obj.get("isNoACKEnabled", obj.get("isNoAckEnabled")))
        return cls(
            is_wmm_enabled=as_bool(obj.get("isWMMEnabled")),
            is_no_ack_enabled=no_ack,
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class DHCPLease:
    """One DHCP lease."""

    mac: str
    ip_address: str | None
    host_name: str | None
    expiration: str | None
    client_id: str | None

    @classmethod
    def from_json(cls, data: Any) -> DHCPLease:
        """Parse; the MAC is required."""
        obj = _object(data, "DHCPLease")
        return cls(
            mac=_required(obj, "macAddress", normalize_mac, "DHCPLease"),
            ip_address=as_str(obj.get("ipAddress")),
            host_name=as_str(obj.get("hostName")),
            expiration=as_str(obj.get("expiration")),
            client_id=as_str(obj.get("clientID")),
        )

    @staticmethod
    def list_from_json(data: Any) -> tuple[DHCPLease, ...]:
        """Parse ``router/GetDHCPClientLeases``."""
        obj = _object(data, "DHCPClientLeases")
        return _entries(obj.get("leases"), DHCPLease.from_json)


@dataclass(frozen=True, slots=True)
class EthernetPortConnections:
    """``router/GetEthernetPortConnections``: link state per port (e.g. ``1Gbps``, ``None``)."""

    wan_port_connection: str | None
    lan_port_connections: tuple[str, ...]
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> EthernetPortConnections:
        """Parse."""
        obj = _object(data, "EthernetPortConnections")
        return cls(
            wan_port_connection=as_str(obj.get("wanPortConnection")),
            lan_port_connections=_str_tuple(obj.get("lanPortConnections")),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class ExpressForwardingSettings:
    """``router/GetExpressForwardingSettings``."""

    is_supported: bool | None
    is_enabled: bool | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> ExpressForwardingSettings:
        """Parse."""
        obj = _object(data, "ExpressForwardingSettings")
        supported, enabled = _flags(
            obj, "isExpressForwardingSupported", "isExpressForwardingEnabled"
        )
        return cls(is_supported=supported, is_enabled=enabled, raw=obj)


@dataclass(frozen=True, slots=True)
class IPv6Settings:
    """``router/GetIPv6Settings*``."""

    wan_type: str | None
    is_ipv6_automatic_enabled: bool | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> IPv6Settings:
        """Parse."""
        obj = _object(data, "IPv6Settings")
        automatic = as_mapping(obj.get("ipv6AutomaticSettings"))
        return cls(
            wan_type=as_str(obj.get("wanType")),
            is_ipv6_automatic_enabled=as_bool(
                automatic.get(
                    "isIPv6AutomaticEnabled", obj.get("isIPv6AutomaticEnabled")
                )
            ),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class LANSettings:
    """``router/GetLANSettings``."""

    ip_address: str | None
    network_prefix_length: int | None
    host_name: str | None
    is_dhcp_enabled: bool | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> LANSettings:
        """Parse."""
        obj = _object(data, "LANSettings")
        return cls(
            ip_address=as_str(obj.get("ipAddress")),
            network_prefix_length=as_int(obj.get("networkPrefixLength")),
            host_name=as_str(obj.get("hostName")),
            is_dhcp_enabled=as_bool(obj.get("isDHCPEnabled")),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class MACAddressCloneSettings:
    """``router/GetMACAddressCloneSettings``."""

    is_enabled: bool | None
    mac_address: str | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> MACAddressCloneSettings:
        """Parse."""
        obj = _object(data, "MACAddressCloneSettings")
        return cls(
            is_enabled=as_bool(obj.get("isMACAddressCloneEnabled")),
            mac_address=normalize_mac(obj.get("macAddress")),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class RoutingSettings:
    """``router/GetRoutingSettings``."""

    is_nat_enabled: bool | None
    is_dynamic_routing_enabled: bool | None
    entries: tuple[Mapping[str, Any], ...]
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> RoutingSettings:
        """Parse."""
        obj = _object(data, "RoutingSettings")
        nat, dynamic = _flags(obj, "isNATEnabled", "isDynamicRoutingEnabled")
        return cls(
            is_nat_enabled=nat,
            is_dynamic_routing_enabled=dynamic,
            entries=tuple(
                e for e in as_list(obj.get("entries")) if isinstance(e, Mapping)
            ),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class ManagementSettings:
    """``routermanagement/GetManagementSettings*``."""

    can_manage_using_http: bool | None
    can_manage_using_https: bool | None
    can_manage_wirelessly: bool | None
    can_manage_remotely: bool | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> ManagementSettings:
        """Parse."""
        obj = _object(data, "ManagementSettings")
        http, https, wireless, remote = _flags(
            obj,
            "canManageUsingHTTP",
            "canManageUsingHTTPS",
            "canManageWirelessly",
            "canManageRemotely",
        )
        return cls(
            can_manage_using_http=http,
            can_manage_using_https=https,
            can_manage_wirelessly=wireless,
            can_manage_remotely=remote,
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class RemoteManagementStatus:
    """``routermanagement/GetRemoteManagementStatus``."""

    status: str | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> RemoteManagementStatus:
        """Parse."""
        obj = _object(data, "RemoteManagementStatus")
        return cls(
            status=as_str(
                obj.get(
                    "serverConnectionStatus", obj.get("serverStatus", obj.get("status"))
                )
            ),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class UPnPSettings:
    """``routerupnp/GetUPnPSettings``."""

    is_upnp_enabled: bool | None
    can_users_configure: bool | None
    can_users_disable_wan_access: bool | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> UPnPSettings:
        """Parse."""
        obj = _object(data, "UPnPSettings")
        enabled, configure, disable = _flags(
            obj, "isUPnPEnabled", "canUsersConfigure", "canUsersDisableWANAccess"
        )
        return cls(
            is_upnp_enabled=enabled,
            can_users_configure=configure,
            can_users_disable_wan_access=disable,
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class Partitions:
    """``storage/GetPartitions``: attached storage as the router describes it."""

    partitions: tuple[Mapping[str, Any], ...]
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> Partitions:
        """Parse."""
        obj = _object(data, "Partitions")
        return cls(
            partitions=tuple(
                p for p in as_list(obj.get("partitions")) if isinstance(p, Mapping)
            ),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class VLANProfiles:
    """``vlantagging/GetProfiles``."""

    profiles: tuple[Mapping[str, Any], ...]
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> VLANProfiles:
        """Parse."""
        obj = _object(data, "VLANProfiles")
        return cls(
            profiles=tuple(
                p for p in as_list(obj.get("profiles")) if isinstance(p, Mapping)
            ),
            raw=obj,
        )


@dataclass(frozen=True, slots=True)
class VLANTaggingSettings:
    """``vlantagging/GetVLANTaggingSettings``."""

    is_enabled: bool | None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> VLANTaggingSettings:
        """Parse."""
        obj = _object(data, "VLANTaggingSettings")
        return cls(
            is_enabled=as_bool(obj.get("isVLANTaggingEnabled", obj.get("isEnabled"))),
            raw=obj,
        )


def pick(raw: Mapping[str, Any], keys: Sequence[str], model: str) -> dict[str, Any]:
    """Copy exactly ``keys`` from a Get output, for a Set input; every key must be present."""
    missing = [key for key in keys if key not in raw]
    if missing:
        raise JNAPProtocolError(
            f"{model}: the router's settings lack {', '.join(missing)}; refusing a partial write"
        )
    return {key: raw[key] for key in keys}
