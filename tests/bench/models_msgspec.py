"""The msgspec variants of tests/bench/models.py (msgspec is not in Home Assistant's environment)."""

from __future__ import annotations

import msgspec

from custom_components.linksys_jnap.jnap.models_base import normalize_mac
from custom_components.linksys_jnap.jnap.models_devices import (
    USER_DEVICE_NAME,
    Device,
    DeviceConnection,
    KnownInterface,
)


class SInterface(msgspec.Struct, frozen=True, rename="camel"):
    mac_address: str
    interface_type: str | None = None
    band: str | None = None


class SConnection(msgspec.Struct, frozen=True, rename="camel"):
    mac_address: str
    ip_address: str | None = None
    ipv6_address: str | None = None
    parent_device_id: str | None = msgspec.field(default=None, name="parentDeviceID")
    is_guest: bool | None = None


class SProperty(msgspec.Struct, frozen=True):
    name: str
    value: str


class SDevice(msgspec.Struct, frozen=True, rename="camel"):
    device_id: str = msgspec.field(name="deviceID")
    friendly_name: str | None = None
    is_authority: bool = False
    node_type: str | None = None
    known_mac_addresses: tuple[str, ...] = msgspec.field(
        default=(), name="knownMACAddresses"
    )
    known_interfaces: tuple[SInterface, ...] = ()
    connections: tuple[SConnection, ...] = ()
    model: dict[str, str] = {}
    unit: dict[str, str] = {}
    properties: tuple[SProperty, ...] = ()
    last_change_revision: int | None = None
    max_allowed_properties: int | None = None


class SDeviceList(msgspec.Struct, frozen=True, rename="camel"):
    revision: int
    devices: tuple[SDevice, ...] = ()
    deleted_device_ids: tuple[str, ...] = msgspec.field(
        default=(), name="deletedDeviceIDs"
    )


_DECODER = msgspec.json.Decoder(SDeviceList)


def bare(raw: bytes) -> tuple[SDevice, ...]:
    return _DECODER.decode(raw).devices


def to_device(d: SDevice) -> Device:
    """Our rules on msgspec's wire structs: MACs normalised, names and the rest derived."""
    interfaces = tuple(
        KnownInterface(mac, i.interface_type, i.band)
        for i in d.known_interfaces
        if (mac := normalize_mac(i.mac_address)) is not None
    )
    macs = [m for m in map(normalize_mac, d.known_mac_addresses) if m is not None]
    macs += [i.mac for i in interfaces if i.mac not in macs]
    properties = {p.name: p.value for p in d.properties}
    return Device(
        device_id=d.device_id,
        friendly_name=d.friendly_name,
        user_device_name=properties.get(USER_DEVICE_NAME),
        is_authority=d.is_authority,
        node_type=d.node_type or None,
        macs=tuple(dict.fromkeys(macs)),
        interfaces=interfaces,
        connections=tuple(
            DeviceConnection(
                mac, c.ip_address, c.ipv6_address, c.parent_device_id, c.is_guest
            )
            for c in d.connections
            if (mac := normalize_mac(c.mac_address)) is not None
        ),
        device_type=d.model.get("deviceType"),
        manufacturer=d.model.get("manufacturer"),
        model_number=d.model.get("modelNumber"),
        hardware_version=d.model.get("hardwareVersion"),
        model_description=d.model.get("description"),
        operating_system=d.unit.get("operatingSystem"),
        serial_number=d.unit.get("serialNumber"),
        firmware_version=d.unit.get("firmwareVersion"),
        properties=properties,
        last_change_revision=d.last_change_revision,
        max_allowed_properties=d.max_allowed_properties,
    )


def with_ours(raw: bytes) -> tuple[Device, ...]:
    return tuple(map(to_device, _DECODER.decode(raw).devices))
