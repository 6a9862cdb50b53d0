"""Models of a Velop mesh's nodes: backhaul links and per-node firmware status.

docs/firmware-facts.md, "Mesh nodes": ``nodes/diagnostics/GetBackhaulInfo`` lists one entry
per satellite (the primary has none); ``speedMbps`` is a string; a wired link has no
``wirelessConnectionInfo``; v2 adds ``txRate``/``rxRate`` (kbit/s).
``nodes/firmwareupdate/GetFirmwareUpdateStatus`` lists the master first, then each node.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import JNAPProtocolError
from .models_base import (
    EMPTY,
    _entries_of,
    _member,
    _Model,
    _model,
    _object,
    as_float,
    as_int,
    as_str,
    normalize_mac,
)
from .models_router import FirmwareUpdateStatus

__all__ = ["BackhaulInfo", "BackhaulLink", "NodeFirmwareStatus", "NodesFirmwareStatus"]


def _device_id(value: Any) -> str | None:
    # Node deviceUUIDs are deviceIDs in lower case (GetDevices3 spells them so).
    text = as_str(value)
    return text.lower() if text else None


@_model
class BackhaulLink(_Model):
    """How one satellite reaches the mesh."""

    device_id: str = _member("deviceUUID", _device_id, required=True)
    ip_address: str | None = _member("ipAddress", as_str)
    parent_ip_address: str | None = _member("parentIPAddress", as_str)
    """The node it connects through (the primary, or a satellite on a multi-hop mesh)."""
    connection_type: str | None = _member("connectionType", as_str)
    """``Wired`` or ``Wireless``."""
    speed_mbps: float | None = _member("speedMbps", as_float)
    radio_id: str | None = _member("wirelessConnectionInfo.radioID", as_str)
    channel: int | None = _member("wirelessConnectionInfo.channel", as_int)
    station_rssi: int | None = _member("wirelessConnectionInfo.stationRSSI", as_int)
    """Signal the satellite receives from its parent, dBm."""
    ap_rssi: int | None = _member("wirelessConnectionInfo.apRSSI", as_int)
    ap_bssid: str | None = _member("wirelessConnectionInfo.apBSSID", normalize_mac)
    timestamp: str | None = _member("timestamp", as_str)

    @property
    def is_wireless(self) -> bool | None:
        """Whether the backhaul is Wi-Fi (None when the router does not say)."""
        if self.connection_type is None:
            return None
        return self.connection_type.lower() == "wireless"

    @property
    def signal_dbm(self) -> int | None:
        """The backhaul's signal (a wired link has none)."""
        if not self.is_wireless:
            return None
        value = self.station_rssi if self.station_rssi is not None else self.ap_rssi
        # Some firmware reports a positive magnitude; a real dBm is never above 0.
        return None if value is None or value >= 0 else value


@_model
class BackhaulInfo(_Model):
    """``nodes/diagnostics/GetBackhaulInfo`` / ``GetBackhaulInfo2``."""

    links: tuple[BackhaulLink, ...] = _member(
        "backhaulDevices", _entries_of(BackhaulLink.from_json)
    )
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    def link_of(self, device_id: str) -> BackhaulLink | None:
        """Return the backhaul of one satellite, by ``deviceID``."""
        wanted = device_id.lower()
        return next((link for link in self.links if link.device_id == wanted), None)


@dataclass(frozen=True, slots=True)
class NodeFirmwareStatus:
    """One node's entry of ``nodes/firmwareupdate/GetFirmwareUpdateStatus``."""

    device_id: str
    status: FirmwareUpdateStatus
    """The entry's members, as in the router-level status."""

    @classmethod
    def from_json(cls, data: Any) -> NodeFirmwareStatus:
        """Parse; the ``deviceUUID`` is required."""
        obj = _object(data, "NodeFirmwareStatus")
        device_id = _device_id(obj.get("deviceUUID"))
        if device_id is None:
            raise JNAPProtocolError("NodeFirmwareStatus: no usable deviceUUID")
        return cls(device_id, FirmwareUpdateStatus.from_json(obj))


@_model
class NodesFirmwareStatus(_Model):
    """``nodes/firmwareupdate/GetFirmwareUpdateStatus``: the master first, then each node."""

    nodes: tuple[NodeFirmwareStatus, ...] = _member(
        "firmwareUpdateStatus", _entries_of(NodeFirmwareStatus.from_json)
    )
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    def of(self, device_id: str) -> FirmwareUpdateStatus | None:
        """Return one node's status, by ``deviceID``."""
        wanted = device_id.lower()
        entry = next((n for n in self.nodes if n.device_id == wanted), None)
        return None if entry is None else entry.status
