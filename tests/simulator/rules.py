"""Firmware write rules over recorded answers, for the replay router (tests/replay/).

``apply_set`` validates a Set against the current Get output the way the simulator does
(the same checks, from settings.py) and returns the Get outputs it changes, so a replayed
real router refuses what its firmware would refuse and then answers with the new settings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import copy
from typing import Any

from . import schema as s
from .schema import InputError, check
from .settings import (
    check_device_rules,
    check_rules,
    guest_password,
    valid_guest_password,
)

type Read = Callable[[str], Mapping[str, Any] | None]

_GUEST = {
    "guestnetwork/SetGuestRadioSettings": ("guestnetwork/GetGuestRadioSettings", 1),
    "guestnetwork/SetGuestRadioSettings2": ("guestnetwork/GetGuestRadioSettings2", 2),
}
_PARENTAL = (
    "parentalcontrol/SetParentalControlSettings",
    "parentalcontrol/GetParentalControlSettings",
)
_LEDS = ("routerleds/SetRouterLEDSettings", "routerleds/GetRouterLEDSettings")
_QOS = ("qos/SetQoSSettings", "qos/GetQoSSettings")
_FIRMWARE = (
    "firmwareupdate/SetFirmwareUpdateSettings",
    "firmwareupdate/GetFirmwareUpdateSettings",
)
# Whole-object Sets whose Get output is the Set input plus read-only members.
_PLAIN = {
    _LEDS[0]: (_LEDS[1], s.LED_SET),
    _FIRMWARE[0]: (_FIRMWARE[1], s.FIRMWARE_SET),
}
SUPPORTED_SETS = frozenset({*_GUEST, _PARENTAL[0], _QOS[0], *_PLAIN})


def _current(read: Read, get: str) -> dict[str, Any]:
    output = read(get)
    if output is None:
        # Without the Get the firmware's answer is unknown: refuse rather than guess.
        raise InputError("_ErrorUnexpected", f"replay: no recorded answer for '{get}'")
    return copy.deepcopy(dict(output))


def _guest(
    action: str, body: Mapping[str, Any], read: Read
) -> dict[str, dict[str, Any]]:
    get, version = _GUEST[action]
    check(body, s.GUEST1_SET if version == 1 else s.GUEST2_SET)
    out = _current(read, get)
    captive = version == 2 and out.get("isGuestNetworkACaptivePortal") is True
    key = "guestWPAPassphrase" if version == 2 and not captive else "guestPassword"
    radios = {r["radioID"]: r for r in out.get("radios", [])}
    main = read("wirelessap/GetRadioInfo3") or {}
    main_ssids = {
        r.get("settings", {}).get("ssid") for r in main.get("radios", []) if r
    }
    for r in body["radios"]:
        if r["radioID"] not in radios:
            raise InputError("ErrorUnknownRadio", f"Unknown radio {r['radioID']}")
        password = guest_password(r, version, captive)
        if not 1 <= len(r["guestSSID"].encode()) <= 32:
            raise InputError("ErrorInvalidGuestSSID", "ErrorInvalidGuestSSID")
        if (
            body["isGuestNetworkEnabled"]
            and r["isEnabled"]
            and r["guestSSID"] in main_ssids
        ):
            raise InputError("ErrorGuestSSIDConflict", "ErrorGuestSSIDConflict")
        if not valid_guest_password(password, captive):
            raise InputError("ErrorInvalidGuestPassword", "ErrorInvalidGuestPassword")
        radios[r["radioID"]].update(
            isEnabled=r["isEnabled"],
            guestSSID=r["guestSSID"],
            broadcastGuestSSID=r["broadcastGuestSSID"],
            **{key: password},
        )
    maximum = body.get("maxSimultaneousGuests")
    if version == 2 and not captive:
        if maximum is not None:
            raise InputError(
                "ErrorSuperfluousMaxSimultaneousGuests",
                "ErrorSuperfluousMaxSimultaneousGuests",
            )
    elif maximum is None:
        raise InputError(
            "ErrorMissingMaxSimultaneousGuests", "ErrorMissingMaxSimultaneousGuests"
        )
    elif not 1 <= maximum <= out.get("maxSimultaneousGuestsLimit", maximum):
        raise InputError(
            "ErrorInvalidMaxSimultaneousGuests", "ErrorInvalidMaxSimultaneousGuests"
        )
    else:
        out["maxSimultaneousGuests"] = maximum
    out["isGuestNetworkEnabled"] = body["isGuestNetworkEnabled"]
    return {get: out}


def _parental(body: Mapping[str, Any], read: Read) -> dict[str, dict[str, Any]]:
    check(body, s.PARENTAL_SET)
    out = _current(read, _PARENTAL[1])
    check_rules(out, body["rules"])
    out["isParentalControlEnabled"] = body["isParentalControlEnabled"]
    out["rules"] = copy.deepcopy(body["rules"])
    return {_PARENTAL[1]: out}


def _qos(body: Mapping[str, Any], read: Read) -> dict[str, dict[str, Any]]:
    check(body, s.QOS_SET)
    out = _current(read, _QOS[1])
    check_device_rules(body["deviceRules"])
    out.update(copy.deepcopy(dict(body)))
    return {_QOS[1]: out}


def apply_set(
    action: str, body: Mapping[str, Any], read: Read
) -> dict[str, dict[str, Any]]:
    """Validate a write; return {short Get action: its new full output}; raise InputError."""
    if action in _GUEST:
        return _guest(action, body, read)
    if action == _PARENTAL[0]:
        return _parental(body, read)
    if action == _QOS[0]:
        return _qos(body, read)
    if action in _PLAIN:
        get, spec = _PLAIN[action]
        check(body, spec)
        out = _current(read, get)
        out.update(copy.deepcopy(dict(body)))
        return {get: out}
    raise InputError("_ErrorUnexpected", f"replay: {action} not modelled")
