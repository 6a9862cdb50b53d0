"""Models of the settings the writes rewrite by rule: guest network, parental control, QoS."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import JNAPProtocolError
from .models_base import (
    DAYS,
    EMPTY,
    SLOTS_PER_DAY,
    _entries_of,
    _mac_tuple,
    _member,
    _Model,
    _model,
    _object,
    _required,
    _str_or_empty,
    _str_tuple,
    _true_or_false,
    as_bool,
    as_int,
    as_str,
    normalize_mac,
)

__all__ = [
    "MIN_PORTAL_PASSWORD",
    "MIN_WPA_PASSPHRASE",
    "GuestNetworkSettings",
    "GuestRadio",
    "ParentalControlSettings",
    "ParentalRule",
    "QoSDeviceRule",
    "QoSSettings",
    "WANSchedule",
    "WLANQoSSettings",
    "portal_password_mode",
]

# --- guest network -------------------------------------------------------------------------

MIN_PORTAL_PASSWORD = 4
MIN_WPA_PASSPHRASE = 8


def portal_password_mode(version: int, captive: Any, min_length: Any) -> bool | None:
    """Whether the guest password is a captive portal's; None: the answer doesn't say.

    The firmware checks the password by the router's mode in both versions (guestnetwork.lua
    ``setPassword``). v2 states the mode (``isGuestNetworkACaptivePortal``); v1 only shows it
    through ``guestPasswordRestrictions.minLength``: 4 for a portal, 8 for WPA
    (``getGuestPasswordRestrictions``).
    """
    if version >= 2:
        return as_bool(captive)
    if min_length == MIN_PORTAL_PASSWORD:
        return True
    if min_length == MIN_WPA_PASSPHRASE:
        return False
    return None


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
    password_min_length: int | None = _member(
        "guestPasswordRestrictions.minLength", as_int
    )
    version: int
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any, *, version: int = 1) -> GuestNetworkSettings:
        """Parse; ``isGuestNetworkEnabled`` is required."""
        return cls._parse(data, version=version)

    @property
    def uses_portal_password(self) -> bool | None:
        """Whether the password is a captive portal's (None: unknown, see ``guest``)."""
        return portal_password_mode(
            self.version, self.is_captive_portal, self.password_min_length
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


# --- QoS -----------------------------------------------------------------------------------


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
