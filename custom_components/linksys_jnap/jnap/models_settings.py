"""Models of the other settings, read only by the typed getters: logs, LAN, UPnP, VLANs..."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
import re
from typing import Any

from .models_base import (
    EMPTY,
    _entries,
    _member,
    _Model,
    _model,
    _object,
    _objects,
    _str_tuple,
    as_bool,
    as_int,
    as_str,
    normalize_mac,
)
from .models_rules import WANSchedule, _schedule_or_none

__all__ = [
    "ALGSettings",
    "DHCPLease",
    "EthernetPortConnections",
    "ExpressForwardingSettings",
    "IPv6Settings",
    "LANSettings",
    "LogEntries",
    "LogSettings",
    "MACAddressCloneSettings",
    "ManagementSettings",
    "Partitions",
    "RemoteManagementStatus",
    "RoutingSettings",
    "UPnPSettings",
    "VLANProfiles",
    "VLANTaggingSettings",
    "WirelessSchedulerSettings",
    "port_link_mbps",
]

# --- wireless scheduler --------------------------------------------------------------------


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


# --- logs ----------------------------------------------------------------------------------


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


NO_LINK = "None"
_LINK_SPEED = re.compile(r"(\d+(?:\.\d+)?)\s*([MG])bps", re.IGNORECASE)


def port_link_mbps(value: str | None) -> float | int | None:
    """Return a port's link speed in Mbit/s: 0 for ``None`` (no link), None when unreadable.

    WRT router.lua answers ``1Gbps``, ``100Mbps``, ``10Mbps`` or ``None``; the official
    app's test data has ``Linked-1000Mbps`` (unverified on a real router): both are read.
    """
    if value is None:
        return None
    if value == NO_LINK:
        return 0
    if (match := _LINK_SPEED.search(value)) is None:
        return None
    mbps = float(match.group(1)) * (1000 if match.group(2).upper() == "G" else 1)
    return int(mbps) if mbps.is_integer() else mbps


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
