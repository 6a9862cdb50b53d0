"""Per-device QoS priority through ``qos/SetQoSSettings`` device rules.

qos.lua ``setDeviceRules``: one rule per MAC (``ErrorConflictingDeviceRules``), at most
``maxDeviceRules`` (``ErrorTooManyDeviceRules``), descriptions up to 64 bytes
(``ErrorDescriptionTooLong``); the Set takes the whole settings object
(qos_server.lua ``SetQoSSettings``), so every other member is sent back as read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from .errors import JNAPInvalidInputError
from .models import QoSSettings, as_list, as_mapping, normalize_mac, pick
from .text import ascii_text

PRIORITY_HIGH: Final = "High"
GENERIC_TRAFFIC: Final = "Generic"
SETTINGS_KEYS: Final = (
    "isQoSEnabled",
    "isQoSAutoPrioritizingEnabled",
    "upstreamBandwidthbps",
    "downstreamBandwidthbps",
    "deviceRules",
    "applicationRules",
)
DEVICE_RULE_KEYS: Final = ("macAddress", "priority", "trafficType", "description")
_ACTION: Final = "qos/SetQoSSettings"
_DEFAULT_DESCRIPTION_LENGTH: Final = 64


def is_device_prioritized(settings: QoSSettings, macs: Iterable[str]) -> bool:
    """Whether QoS is on and a rule gives one of these MACs high priority."""
    wanted = {m for m in (normalize_mac(mac) for mac in macs) if m}
    return bool(settings.is_qos_enabled) and any(
        rule.mac in wanted and rule.priority == PRIORITY_HIGH
        for rule in settings.device_rules
    )


def priority_body(
    current: Mapping[str, Any], macs: Iterable[str], prioritized: bool, *, label: str
) -> dict[str, Any] | None:
    """Return the Set input giving a device high priority or not; None: no change.

    On: each MAC's rule becomes ``High`` (a new rule where it has none) and QoS is turned
    on, since rules are inert while it is off. Off: the device's ``High`` rules go; rules
    of other priorities, other devices and applications stay as they are.
    """
    wanted = {m for m in (normalize_mac(mac) for mac in macs) if m}
    if not wanted:
        raise ValueError("at least one valid MAC address is needed")
    settings = QoSSettings.from_json(current)
    body = pick(current, SETTINGS_KEYS, "QoS settings")
    rules = [
        pick(as_mapping(r), DEVICE_RULE_KEYS, "QoS device rule")
        for r in as_list(current.get("deviceRules"))
    ]
    kept: list[dict[str, Any]] = []
    have: set[str] = set()
    changed = False
    for rule in rules:
        mac = normalize_mac(rule["macAddress"])
        if mac not in wanted:
            kept.append(rule)
            continue
        have.add(mac)
        if prioritized and rule["priority"] != PRIORITY_HIGH:
            kept.append({**rule, "priority": PRIORITY_HIGH})
            changed = True
        elif not prioritized and rule["priority"] == PRIORITY_HIGH:
            changed = True  # dropped
        else:
            kept.append(rule)
    if prioritized:
        description = ascii_text(
            label, settings.max_description_length or _DEFAULT_DESCRIPTION_LENGTH
        )
        for mac in sorted(wanted - have):
            kept.append(
                {
                    "macAddress": mac,
                    "priority": PRIORITY_HIGH,
                    "trafficType": GENERIC_TRAFFIC,
                    "description": description,
                }
            )
            changed = True
        if not settings.is_qos_enabled:
            body["isQoSEnabled"] = True
            changed = True
        limit = settings.max_device_rules
        if limit is not None and len(kept) > limit:
            raise JNAPInvalidInputError(
                f"{_ACTION}: no free QoS device rule (the router allows {limit})",
                action=_ACTION,
            )
    if not changed:
        return None
    body["deviceRules"] = kept
    return body
