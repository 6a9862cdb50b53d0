"""Strict input validation: every member present, nothing extra, right types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class InputError(Exception):
    """A JNAP error answer raised by a handler."""

    def __init__(
        self, result: str, error: str, output: dict[str, Any] | None = None
    ) -> None:
        super().__init__(error)
        self.result = result
        self.error = error
        self.output = output


def invalid(error: str) -> InputError:
    """Build an _ErrorInvalidInput."""
    return InputError("_ErrorInvalidInput", error)


@dataclass(frozen=True, slots=True)
class ListOf:
    item: Spec


@dataclass(frozen=True, slots=True)
class Opt:
    """An optional member."""

    spec: Spec


type Spec = type | ListOf | Opt | dict[str, Spec]


def check(value: Any, spec: Spec, name: str = "input") -> None:
    """Raise InputError unless value matches spec exactly."""
    if isinstance(spec, Opt):
        spec = spec.spec
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            raise invalid(f'Invalid value for member "{name}"')
        for member, sub in spec.items():
            if member not in value:
                if isinstance(sub, Opt):
                    continue
                raise invalid(f'Missing member "{member}"')
        for member in value:
            if member not in spec:
                raise invalid(f'Encountered unexpected member "{member}"')
        for member, sub in spec.items():
            if member in value:
                check(value[member], sub, member)
        return
    if isinstance(spec, ListOf):
        if not isinstance(value, list):
            raise invalid(f'Invalid value for member "{name}"')
        for item in value:
            check(item, spec.item, name)
        return
    assert isinstance(spec, type)
    ok = isinstance(value, spec)
    if spec is int and isinstance(value, bool):
        ok = False
    if not ok:
        raise invalid(f'Invalid value for member "{name}"')


NO_INPUT: dict[str, Spec] = {}

LED_SET: dict[str, Spec] = {"isSwitchportLEDEnabled": bool}
GUEST1_SET: dict[str, Spec] = {
    "isGuestNetworkEnabled": bool,
    "maxSimultaneousGuests": int,
    "radios": ListOf(
        {
            "radioID": str,
            "isEnabled": bool,
            "guestSSID": str,
            "guestPassword": str,
            "broadcastGuestSSID": bool,
        }
    ),
}
GUEST2_SET: dict[str, Spec] = {
    # Which of the optional members a radio needs depends on the mode (settings.py).
    "isGuestNetworkEnabled": bool,
    "maxSimultaneousGuests": Opt(int),
    "radios": ListOf(
        {
            "radioID": str,
            "isEnabled": bool,
            "guestSSID": str,
            "guestWPAPassphrase": Opt(str),
            "guestPassword": Opt(str),
            "broadcastGuestSSID": bool,
        }
    ),
}
SCHEDULE: dict[str, Spec] = dict.fromkeys(
    ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"), str
)
PARENTAL_SET: dict[str, Spec] = {
    "isParentalControlEnabled": bool,
    "rules": ListOf(
        {
            "isEnabled": bool,
            "description": str,
            "macAddresses": ListOf(str),
            "blockedURLs": ListOf(str),
            "wanSchedule": SCHEDULE,
        }
    ),
}
QOS_SET: dict[str, Spec] = {
    "isQoSEnabled": bool,
    "isQoSAutoPrioritizingEnabled": bool,
    "upstreamBandwidthbps": int,
    "downstreamBandwidthbps": int,
    "deviceRules": ListOf(
        {
            "macAddress": str,
            "priority": str,
            "trafficType": str,
            "description": str,
            "autoAssigned": Opt(bool),
        }
    ),
    "applicationRules": ListOf(dict),
}
# wirelessap.lua setWirelessRadioSettings: the security blocks are optional members.
RADIO_SETTINGS: dict[str, Spec] = {
    "isEnabled": bool,
    "mode": str,
    "ssid": str,
    "broadcastSSID": bool,
    "channelWidth": str,
    "channel": int,
    "security": str,
    "wepSettings": Opt(
        {
            "encryption": str,
            "key1": str,
            "key2": str,
            "key3": str,
            "key4": str,
            "txKey": int,
        }
    ),
    "wpaPersonalSettings": Opt({"passphrase": str}),
    "wpaEnterpriseSettings": Opt(
        {"radiusServer": str, "radiusPort": int, "sharedKey": str}
    ),
}
RADIO3_SET: dict[str, Spec] = {
    "isBandSteeringEnabled": Opt(bool),
    "bandSteeringMode": Opt(str),
    "radios": ListOf({"radioID": str, "settings": RADIO_SETTINGS}),
}
SCHEDULER_SET: dict[str, Spec] = {
    "isWirelessSchedulerEnabled": bool,
    "wirelessSchedule": dict.fromkeys(
        ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"),
        str,
    ),
    "configuredRadios": ListOf({"radioID": str, "isGuestRadio": bool}),
}
FIRMWARE_SET: dict[str, Spec] = {
    "updatePolicy": str,
    "autoUpdateWindow": {"startMinute": int, "durationMinutes": int},
}
UPDATE_NOW: dict[str, Spec] = {"onlyCheck": bool}
DEVICE_PROPS: dict[str, Spec] = {
    "deviceID": str,
    "propertiesToModify": ListOf({"name": str, "value": str}),
    "propertiesToRemove": Opt(ListOf(str)),
}
DELETE_DEVICE: dict[str, Spec] = {"deviceID": str}
TIME_SET: dict[str, Spec] = {"timeZoneID": str, "autoAdjustForDST": bool}
LOG_SET: dict[str, Spec] = {"isLoggingEnabled": bool}
ADMIN_SET: dict[str, Spec] = {"adminPassword": str, "passwordHint": str}
CHECK_PW_BODY: dict[str, Spec] = {"adminPassword": Opt(str)}
GET_DEVICES: dict[str, Spec] = {"sinceRevision": Opt(int)}
LOG_ENTRIES: dict[str, Spec] = {"firstEntryIndex": int, "entryCount": int}
# firewall.lua: the members each Set's rules take (the Get's, limits aside).
SINGLE_PORT_SET: dict[str, Spec] = {
    "rules": ListOf(
        {
            "isEnabled": bool,
            "externalPort": int,
            "protocol": str,
            "internalServerIPAddress": str,
            "internalPort": int,
            "description": str,
        }
    )
}
PORT_RANGE_SET: dict[str, Spec] = {
    "rules": ListOf(
        {
            "isEnabled": bool,
            "firstExternalPort": int,
            "lastExternalPort": int,
            "protocol": str,
            "internalServerIPAddress": str,
            "description": str,
        }
    )
}
PORT_TRIGGER_SET: dict[str, Spec] = {
    "rules": ListOf(
        {
            "isEnabled": bool,
            "firstTriggerPort": int,
            "lastTriggerPort": int,
            "firstForwardedPort": int,
            "lastForwardedPort": int,
            "description": str,
        }
    )
}
