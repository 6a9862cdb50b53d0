"""Models of the router itself: identity, password rules, WAN, LEDs, firmware, radios, clock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any

from .models_base import (
    EMPTY,
    _date,
    _entries_of,
    _if_list,
    _if_object,
    _member,
    _Model,
    _model,
    _object,
    _object_or_none,
    _str_set,
    _str_tuple,
    as_bool,
    as_int,
    as_str,
    normalize_mac,
)

__all__ = [
    "AdminPasswordRestrictions",
    "AvailableUpdate",
    "DeviceInfo",
    "FirmwareUpdateSettings",
    "FirmwareUpdateStatus",
    "LEDNightMode",
    "LEDSettings",
    "PendingOperation",
    "Radio",
    "RadioInfo",
    "TimeSettings",
    "TimeZone",
    "WANConnection",
    "WANStatus",
]

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


# --- LEDs ----------------------------------------------------------------------------------


@_model
class LEDSettings(_Model):
    """``routerleds/GetRouterLEDSettings``."""

    is_switchport_led_enabled: bool = _member(
        "isSwitchportLEDEnabled", as_bool, required=True
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


@_model
class LEDNightMode(_Model):
    """``routerleds/GetLedNightModeSetting``: LEDs off between two hours (Velop)."""

    enabled: bool = _member("Enable", as_bool, required=True)
    starting_hour: int | None = _member("StartingTime", as_int)
    ending_hour: int | None = _member("EndingTime", as_int)
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


# --- clock ---------------------------------------------------------------------------------


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
