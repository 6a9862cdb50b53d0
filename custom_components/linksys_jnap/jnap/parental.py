"""Per-device internet blocking through parental-control rules, without touching the user's.

The firmware refuses a MAC listed in two rules (``ErrorRulesOverlap``, parentalcontrol.lua
``setRules``), so a device one of the user's rules already lists can't get a rule of ours.
Blocking therefore uses the user's rule where it already blocks the device around the clock
(reuse), adds the device's other MACs to a rule of ours (extend), and refuses, with the rule's
name, where a user's rule lists the device on a schedule: changing that rule is the user's call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from .errors import JNAPInvalidInputError, JNAPRuleConflictError
from .models import (
    DAYS,
    ParentalControlSettings,
    ParentalRule,
    WANSchedule,
    as_list,
    as_mapping,
    normalize_mac,
    pick,
)
from .text import ascii_text

BLOCK_RULE_PREFIX: Final = "HA block"
"""Description prefix of the parental-control rules this client owns."""

RULE_KEYS: Final = ("isEnabled", "description", "macAddresses", "blockedURLs")
_ZERO_MAC: Final = "00:00:00:00:00:00"
_ACTION: Final = "parentalcontrol/SetParentalControlSettings"


def block_rule_description(label: str, max_length: int | None = None) -> str:
    """Return our rule's description for a device: printable ASCII, within the limit."""
    return ascii_text(f"{BLOCK_RULE_PREFIX} {label}", max_length)


def is_our_rule(rule: ParentalRule) -> bool:
    """Whether this client wrote the rule."""
    return rule.description.startswith(BLOCK_RULE_PREFIX)


def _blocks_always(rule: ParentalRule) -> bool:
    return (
        rule.is_enabled
        and rule.schedule is not None
        and rule.schedule.is_always_blocked
    )


def is_device_internet_blocked(
    settings: ParentalControlSettings, macs: Iterable[str]
) -> bool:
    """Whether every MAC of the device is blocked around the clock (by our rule or a user's).

    Rules are in force only while parental control is on.
    """
    wanted = _macs(macs)
    if not settings.is_enabled or not wanted:
        return False
    covered: set[str] = set()
    for rule in settings.rules:
        if _blocks_always(rule):
            covered.update(rule.mac_addresses)
    return wanted <= covered


def _macs(macs: Iterable[str]) -> set[str]:
    return {m for m in (normalize_mac(mac) for mac in macs) if m and m != _ZERO_MAC}


def rule_input(rule: Any) -> dict[str, Any]:
    """Return a rule as the Set takes it (exactly its members), from the Get's rule."""
    obj = as_mapping(rule)
    body = pick(obj, RULE_KEYS, "parental rule")
    body["wanSchedule"] = pick(
        as_mapping(obj.get("wanSchedule")), DAYS, "parental rule"
    )
    return body


def settings_input(current: Mapping[str, Any]) -> dict[str, Any]:
    """Return the whole Set input from a Get output (limits are output only)."""
    body = pick(current, ("isParentalControlEnabled",), "parental settings")
    body["rules"] = [rule_input(rule) for rule in as_list(current.get("rules"))]
    return body


def block_body(
    current: Mapping[str, Any], macs: Iterable[str], blocked: bool, *, label: str
) -> dict[str, Any] | None:
    """Return the Set input blocking (or unblocking) a device; None: nothing changes.

    Raises ``JNAPRuleConflictError`` when a user's rule stands in the way, and
    ``ValueError`` for a device without a usable MAC.
    """
    wanted = _macs(macs)
    if not wanted:
        raise ValueError("at least one valid MAC address is needed")
    settings = ParentalControlSettings.from_json(current)
    if blocked and is_device_internet_blocked(settings, wanted):
        return None
    body = settings_input(current)
    user_covered: set[str] = set()
    for rule in settings.rules:
        listed = wanted & set(rule.mac_addresses)
        if not listed or is_our_rule(rule):
            continue
        if blocked and _blocks_always(rule):
            user_covered |= listed  # reuse: their rule already blocks these MACs
        elif blocked or (_blocks_always(rule) and settings.is_enabled):
            # Blocking would overlap their rule; unblocking would mean editing it.
            raise JNAPRuleConflictError(
                f"{_ACTION}: the router's rule {rule.description!r} already lists"
                " this device",
                action=_ACTION,
                rule=rule.description,
            )
    rules: list[dict[str, Any]] = []
    touched = False
    for rule, rule_in in zip(settings.rules, body["rules"], strict=True):
        if is_our_rule(rule) and wanted & set(rule.mac_addresses):
            touched = True
            others = [
                m for m in rule_in["macAddresses"] if normalize_mac(m) not in wanted
            ]
            if others:
                rules.append({**rule_in, "macAddresses": others})
            continue
        rules.append(rule_in)
    if not blocked and not touched:
        return None
    need = sorted(wanted - user_covered) if blocked else []
    size = settings.max_rule_mac_addresses or len(need) or 1
    description = block_rule_description(label, settings.max_rule_description_length)
    rules.extend(
        {
            "isEnabled": True,
            "description": description,
            "macAddresses": need[i : i + size],
            "blockedURLs": [],
            "wanSchedule": WANSchedule.always_blocked().to_json(),
        }
        for i in range(0, len(need), size)
    )
    if settings.max_rules is not None and len(rules) > settings.max_rules:
        raise JNAPInvalidInputError(
            f"{_ACTION}: no free parental-control rule (the router allows"
            f" {settings.max_rules})",
            action=_ACTION,
        )
    body["rules"] = rules
    if blocked:
        body["isParentalControlEnabled"] = True
    return body
