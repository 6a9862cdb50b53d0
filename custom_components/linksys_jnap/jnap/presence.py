"""Presence rules of the device list: which records are mesh nodes, which are clients.

Pure functions of parsed records, no Home Assistant and no I/O, so the integration's
snapshot and the command line decide the same way (docs/firmware-facts.md, "Device list").

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

from collections.abc import Container, Iterable
from enum import StrEnum
from typing import Final

from .actions import ACTIONS, GET_DEVICES, short_name
from .models_devices import INFRASTRUCTURE, Device

__all__ = [
    "DEVICE_LIST_LIVE_VERSION",
    "DeviceRole",
    "device_list_has_live_connections",
    "device_role",
    "device_roles",
    "is_node",
    "may_be_node",
    "node_serials",
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
