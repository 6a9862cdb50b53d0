"""Main Wi-Fi radios and the wireless scheduler: the firmware's rules for their Set inputs.

``wirelessap/SetRadioSettings3`` (WRT wirelessap.lua ``setWirelessRadioSettings3``): the
band-steering members only where band steering is supported (then ``isBandSteeringEnabled``
is required, ``bandSteeringMode`` exactly when it is on), each radio's settings with the
security block its security type needs. With band steering on, the radios it joins must
stay identical (``ErrorInvalidBandSteeringRadioSettings``), so one of them alone is refused
here before anything is sent.

``wirelessscheduler/SetWirelessSchedulerSettings`` (wirelessscheduler.lua): the three
members the Get's ``configurableRadios`` aside; 48 characters a day, ``1`` Wi-Fi on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from . import actions as act
from .errors import JNAPInvalidInputError, JNAPPreconditionError
from .models import DAYS, WANSchedule, as_list, as_mapping, pick

SET_RADIO_SETTINGS3: Final = "wirelessap/SetRadioSettings3"
BAND_STEERING_JOINED: Final = "BandSteeringJoinsRadios"
"""``JNAPPreconditionError.code``: band steering joins this radio to others (client code)."""

RADIO_SETTINGS_KEYS: Final = (
    "isEnabled",
    "mode",
    "ssid",
    "broadcastSSID",
    "channelWidth",
    "channel",
    "security",
)
# The optional security blocks: sent back exactly when the Get has them (the Set answers
# ErrorMissingWEPSettings... when the security type needs one that is missing).
_SECURITY_BLOCKS: Final = (
    "wepSettings",
    "wpaPersonalSettings",
    "wpaEnterpriseSettings",
)
# Band steering modes (wirelessap.lua): Basic joins the two 5 GHz radios, TriBand all three.
_JOINED: Final[Mapping[str, frozenset[str]]] = {
    "Basic": frozenset({"RADIO_5GHz", "RADIO_5GHz_2"}),
    "TriBand": frozenset({"RADIO_2.4GHz", "RADIO_5GHz", "RADIO_5GHz_2"}),
}
SCHEDULER_KEYS: Final = (
    "isWirelessSchedulerEnabled",
    "wirelessSchedule",
    "configuredRadios",
)


def radio_settings_input(settings: Mapping[str, Any], source: str) -> dict[str, Any]:
    """One radio's ``settings`` for the Set, exactly as the Get gave them."""
    body = pick(settings, RADIO_SETTINGS_KEYS, source)
    body.update({k: settings[k] for k in _SECURITY_BLOCKS if k in settings})
    return body


def joined_radios(current: Mapping[str, Any]) -> frozenset[str]:
    """Return the radios band steering joins now (none when it is off or unsupported)."""
    if current.get("isBandSteeringSupported") is not True:
        return frozenset()
    if current.get("isBandSteeringEnabled") is not True:
        return frozenset()
    # An unknown mode: the firmware treats anything but Basic as TriBand.
    return _JOINED.get(str(current.get("bandSteeringMode")), _JOINED["TriBand"])


def radio_enabled_body(
    current: Mapping[str, Any], radio_id: str, enabled: bool, *, source: str
) -> dict[str, Any] | None:
    """Return the ``SetRadioSettings3`` input turning one radio on/off; None: no change.

    Every radio goes back as read (the official app sends them all); SSIDs, security and
    passphrases are never touched.
    """
    body: dict[str, Any] = {}
    if current.get("isBandSteeringSupported") is True:
        body["isBandSteeringEnabled"] = current.get("isBandSteeringEnabled") is True
        if body["isBandSteeringEnabled"]:
            body |= pick(current, ("bandSteeringMode",), source)
    radios: list[dict[str, Any]] = []
    target: Mapping[str, Any] | None = None
    for radio in as_list(current.get("radios")):
        obj = as_mapping(radio)
        settings = radio_settings_input(as_mapping(obj.get("settings")), source)
        if obj.get("radioID") == radio_id:
            target = settings
            if settings["isEnabled"] == enabled:
                return None
            settings["isEnabled"] = enabled
        radios.append({"radioID": obj.get("radioID"), "settings": settings})
    if target is None:
        raise JNAPInvalidInputError(
            f"{source}: the router has no radio {radio_id!r}", action=source
        )
    joined = joined_radios(current)
    if radio_id in joined:
        raise JNAPPreconditionError(
            f"{SET_RADIO_SETTINGS3}: band steering joins {', '.join(sorted(joined))};"
            " they can only change together",
            action=SET_RADIO_SETTINGS3,
            code=BAND_STEERING_JOINED,
        )
    body["radios"] = radios
    return body


def _radio_key(radio: Mapping[str, Any]) -> tuple[Any, Any]:
    return radio.get("radioID"), radio.get("isGuestRadio")


def scheduler_body(
    current: Mapping[str, Any],
    *,
    enabled: bool | None = None,
    schedule: WANSchedule | None = None,
    radios: Iterable[str] | None = None,
    source: str,
) -> dict[str, Any]:
    """Return the ``SetWirelessSchedulerSettings`` input from a Get, with the changes.

    ``radios`` replaces the main radios the schedule acts on (guest entries are kept); an
    ID not in ``configurableRadios`` raises ``JNAPInvalidInputError`` before sending. A
    new schedule on a router whose schedule acts on no radio gets every main radio: a
    schedule of no radio turns nothing off.
    """
    body = pick(current, SCHEDULER_KEYS, source)
    body["wirelessSchedule"] = pick(as_mapping(body["wirelessSchedule"]), DAYS, source)
    body["configuredRadios"] = [
        pick(as_mapping(r), ("radioID", "isGuestRadio"), source)
        for r in as_list(body["configuredRadios"])
    ]
    if enabled is not None:
        body["isWirelessSchedulerEnabled"] = enabled
    if schedule is not None:
        body["wirelessSchedule"] = schedule.to_json()
    if radios is None and schedule is not None and not body["configuredRadios"]:
        radios = configurable_main_radios(current)
    if radios is not None:
        configurable = {
            _radio_key(as_mapping(r))
            for r in as_list(current.get("configurableRadios"))
        }
        wanted = list(dict.fromkeys(radios))
        unknown = [r for r in wanted if (r, False) not in configurable]
        if unknown:
            action = act.SET_WIRELESS_SCHEDULER_SETTINGS
            raise JNAPInvalidInputError(
                f"{action}: no configurable radio {', '.join(unknown)}", action=action
            )
        guests = [r for r in body["configuredRadios"] if r["isGuestRadio"] is True]
        body["configuredRadios"] = [
            {"radioID": r, "isGuestRadio": False} for r in wanted
        ] + guests
    return body


def configurable_main_radios(
    current: Mapping[str, Any], *, configured: bool = False
) -> list[str]:
    """Return the main radios the scheduler can act on (``configured``: those it does)."""
    key = "configuredRadios" if configured else "configurableRadios"
    return [
        str(obj.get("radioID"))
        for obj in map(as_mapping, as_list(current.get(key)))
        if obj.get("isGuestRadio") is False
    ]
