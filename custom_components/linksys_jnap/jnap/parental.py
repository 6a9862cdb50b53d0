"""Per-device internet blocking through parental-control rules, never losing the user's.

The firmware refuses a MAC listed in two rules, enabled or not (``ErrorRulesOverlap``,
parentalcontrol.lua ``setRules``), so a device has at most one rule of ours (a block or a
weekly schedule), and a device one of the user's rules lists can't get one beside it.
A weekly schedule of ours is refused there, with the rule's name. Blocking now reuses a user's
rule that already blocks the device around the clock, and otherwise *lends* the device's MACs
out of the user's rule into our block rule: ``LentRule`` remembers the rule as it was, and
unblocking puts the MACs back only into a rule still exactly as we left it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, Self

from .errors import JNAPInvalidInputError, JNAPProtocolError, JNAPRuleConflictError
from .models import (
    DAYS,
    SLOTS_PER_DAY,
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
"""Description prefix of the rules this client owns that block around the clock."""
SCHEDULE_RULE_PREFIX: Final = "HA schedule"
"""Description prefix of the weekly-schedule rules this client owns."""

RULE_KEYS: Final = ("isEnabled", "description", "macAddresses", "blockedURLs")
_ZERO_MAC: Final = "00:00:00:00:00:00"
_ACTION: Final = "parentalcontrol/SetParentalControlSettings"


def block_rule_description(label: str, max_length: int | None = None) -> str:
    """Return our rule's description for a device: printable ASCII, within the limit."""
    return ascii_text(f"{BLOCK_RULE_PREFIX} {label}", max_length)


def is_our_rule(rule: ParentalRule) -> bool:
    """Whether this client wrote the rule."""
    return _is_ours(rule.description)


def _is_ours(description: str) -> bool:
    return description.startswith((BLOCK_RULE_PREFIX, SCHEDULE_RULE_PREFIX))


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
    """Return the Set input blocking (or unblocking) a device; None: nothing changes."""
    schedule = WANSchedule.always_blocked() if blocked else None
    return device_rule_body(current, macs, schedule, label=label)


def device_schedule(
    settings: ParentalControlSettings, macs: Iterable[str]
) -> WANSchedule | None:
    """Return the weekly schedule of our schedule rule listing the device, if any."""
    wanted = _macs(macs)
    for rule in settings.rules:
        if (
            rule.description.startswith(SCHEDULE_RULE_PREFIX)
            and wanted & set(rule.mac_addresses)
            and rule.schedule is not None
        ):
            return rule.schedule
    return None


def device_rule_body(
    current: Mapping[str, Any],
    macs: Iterable[str],
    schedule: WANSchedule | None,
    *,
    label: str,
) -> dict[str, Any] | None:
    """Return the Set input giving a device its one rule of ours; None: nothing changes.

    ``schedule`` blocked all week is a block (``HA block``), another schedule a weekly rule
    (``HA schedule``), None no rule of ours. The firmware lets a MAC be in one rule only, so
    the device's MACs leave every other rule of ours first. A block reuses a user's rule
    that blocks the device around the clock. Raises ``JNAPRuleConflictError`` when a user's
    rule stands in the way, and ``ValueError`` for a device without a usable MAC.
    """
    wanted = _macs(macs)
    if not wanted:
        raise ValueError("at least one valid MAC address is needed")
    settings = ParentalControlSettings.from_json(current)
    blocked = schedule is not None and schedule.is_always_blocked
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
        elif schedule is not None or (_blocks_always(rule) and settings.is_enabled):
            # A rule of ours would overlap theirs; unblocking would mean editing it.
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
    if schedule is None and not touched:
        return None
    if schedule is not None:
        need = sorted(wanted - user_covered)
        size = settings.max_rule_mac_addresses or len(need) or 1
        prefix = BLOCK_RULE_PREFIX if blocked else SCHEDULE_RULE_PREFIX
        description = ascii_text(
            f"{prefix} {label}", settings.max_rule_description_length
        )
        rules.extend(
            {
                "isEnabled": True,
                "description": description,
                "macAddresses": need[i : i + size],
                "blockedURLs": [],
                "wanSchedule": schedule.to_json(),
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
    if schedule is not None:
        body["isParentalControlEnabled"] = True  # rules act only while it is on
    return body


@dataclass(frozen=True, slots=True)
class LentRule:
    """A user's rule some of whose MACs blocking now moved into our block rules.

    ``rule`` is the rule as it was (Set input, MACs as the router spells them) and ``index``
    its place; ``lent`` the (normalised) MACs out of it. The router's rule is ours to touch
    again only while it equals ``rule`` less some of ``lent``: anything else is the user's.
    """

    index: int
    rule: Mapping[str, Any]
    lent: frozenset[str]

    @property
    def description(self) -> str:
        """The rule's name."""
        return str(self.rule["description"])

    def to_json(self) -> dict[str, Any]:
        """Return the record as kept in storage."""
        return {"index": self.index, "rule": dict(self.rule), "lent": sorted(self.lent)}

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """Read a kept record; ``ValueError`` when it is not one."""
        obj = as_mapping(data)
        try:
            rule = rule_input(obj.get("rule"))
        except JNAPProtocolError as err:
            raise ValueError("not a parental rule") from err
        index, lent = obj.get("index"), _macs(as_list(obj.get("lent")))
        listed = rule["macAddresses"]
        if (
            not isinstance(index, int)
            or not lent
            or not isinstance(listed, list)
            or not all(isinstance(m, str) for m in listed)
        ):
            raise ValueError("not a lent rule")
        return cls(index, rule, frozenset(lent))


@dataclass(frozen=True, slots=True)
class NotRestored:
    """MACs unblocking could not put back: their rule was changed or deleted meanwhile."""

    description: str
    macs: tuple[str, ...]


def _without(rule: Mapping[str, Any], gone: Iterable[str]) -> dict[str, Any]:
    """Return the rule with the ``gone`` MACs lent out.

    A rule left with no MAC is also disabled while it is so: the firmware takes an empty
    rule (setRules has no minimum), but what the filter makes of an enabled rule without
    devices is unverified (C), and a disabled one is inert either way.
    """
    out = set(gone)
    macs = [m for m in rule["macAddresses"] if normalize_mac(m) not in out]
    emptied = rule["macAddresses"] and not macs
    return {**rule, "macAddresses": macs} | ({"isEnabled": False} if emptied else {})


def _taken(loan: LentRule, rule: Mapping[str, Any]) -> frozenset[str] | None:
    """MACs of ``loan`` out of ``rule``, if ``rule`` is the lender less only lent MACs."""
    if _is_ours(str(rule.get("description"))):
        return None
    listed = {normalize_mac(m) for m in rule["macAddresses"]}
    missing = frozenset(_macs(loan.rule["macAddresses"]) - listed)
    if not missing <= loan.lent or _without(loan.rule, missing) != rule:
        return None
    return missing


def _find(
    loan: LentRule, rules: Sequence[Mapping[str, Any]], claimed: set[int]
) -> tuple[int, frozenset[str]] | None:
    """Where the lender is now (its old place first), with the MACs out of it."""
    for i in (loan.index, *range(len(rules))):
        if 0 <= i < len(rules) and i not in claimed:
            taken = _taken(loan, rules[i])
            if taken is not None:
                claimed.add(i)
                return i, taken
    return None


def block_now_body(
    current: Mapping[str, Any],
    macs: Iterable[str],
    *,
    label: str,
    lent: Iterable[LentRule] = (),
) -> tuple[dict[str, Any] | None, tuple[LentRule, ...]]:
    """Return the Set input blocking a device now (None: already blocked), and the loans.

    The device's MACs leave every user's rule that doesn't already block them around the
    clock (the firmware lets a MAC be in one rule only) for our block rule; every other rule
    and member is sent back as read. The loans are ``lent`` checked against the router (a
    loan whose MACs never left is dropped) plus this one: keep them before sending the body.
    """
    wanted = _macs(macs)
    if not wanted:
        raise ValueError("at least one valid MAC address is needed")
    settings = ParentalControlSettings.from_json(current)
    if is_device_internet_blocked(settings, wanted):
        return None, tuple(lent)
    rules = settings_input(current)["rules"]
    loans: list[LentRule] = []
    at: dict[int, int] = {}  # rule index -> its loan in ``loans``
    claimed: set[int] = set()
    for loan in lent:
        found = _find(loan, rules, claimed)
        if found is None:
            loans.append(loan)  # changed by the user: kept for unblocking to report
        elif found[1]:
            at[found[0]] = len(loans)
            loans.append(replace(loan, index=found[0], lent=found[1]))
    for i, rule in enumerate(settings.rules):
        taken = wanted & set(rule.mac_addresses)
        if not taken or is_our_rule(rule) or _blocks_always(rule):
            continue  # an always-blocking rule of the user's is reused
        if i in at:
            loan = loans[at[i]]
            loans[at[i]] = replace(loan, lent=loan.lent | taken)
        else:
            at[i] = len(loans)
            loans.append(LentRule(i, rules[i], frozenset(taken)))
        rules[i] = _without(loans[at[i]].rule, loans[at[i]].lent)
    body = device_rule_body(
        {**current, "rules": rules},
        wanted,
        WANSchedule.always_blocked(),
        label=label,
    )
    return body, tuple(loans)


def unblock_now_body(
    current: Mapping[str, Any],
    macs: Iterable[str],
    *,
    label: str,
    lent: Iterable[LentRule] = (),
    schedule_after: WANSchedule | None = None,
) -> tuple[dict[str, Any] | None, tuple[LentRule, ...], tuple[NotRestored, ...]]:
    """Return the Set input ending a block (None: no change), the loans left, the misses.

    The device's MACs leave our rules and go back to the rules they were lent from, each
    still exactly as we left it, in the MAC order it had. A lender the user changed or
    deleted is not touched: its MACs stay free and are reported. ``schedule_after`` gives the
    device's remaining MACs its weekly rule of ours again.
    """
    wanted = _macs(macs)
    if not wanted:
        raise ValueError("at least one valid MAC address is needed")
    start = settings_input(current)
    freed = device_rule_body(current, wanted, None, label=label)
    rules = list((freed or start)["rules"])
    listed = {normalize_mac(m) for r in rules for m in r["macAddresses"]}
    claimed: set[int] = set()
    found = [(loan, _find(loan, rules, claimed)) for loan in lent]
    loans: list[LentRule] = []
    for loan, where in found:
        if where is None or not where[1]:
            continue
        i, taken = where
        back = (taken & wanted) - listed
        # A lent MAC the user listed elsewhere stays there: their choice.
        keep = taken - wanted
        rules[i] = _without(loan.rule, keep | (taken & wanted & listed))
        listed |= back
        if keep:
            loans.append(replace(loan, index=i, lent=keep))
    missing: list[NotRestored] = []
    for loan, where in found:
        if where is not None:
            continue
        if lost := sorted((loan.lent & wanted) - listed):
            missing.append(NotRestored(loan.description, tuple(lost)))
        if keep := loan.lent - wanted:
            loans.append(replace(loan, lent=keep))
    body = {**start, "rules": rules}
    if schedule_after is not None and (free := wanted - listed):
        body = (
            device_rule_body({**current, **body}, free, schedule_after, label=label)
            or body
        )
    return (None if body == start else body), tuple(loans), tuple(missing)


SLOTS_PER_WEEK: Final = 7 * SLOTS_PER_DAY


def weekly_schedule(
    windows: Iterable[tuple[int, int, int]], base: WANSchedule | None = None
) -> WANSchedule:
    """Return ``base`` (default: never blocked) with the windows blocked.

    A window is ``(day, first, end)``: day 0 is Sunday (the firmware's order), ``first`` and
    ``end`` half-hour slots of that day (0-48). An ``end`` at or before ``first`` runs past
    midnight into the next day (Saturday into Sunday); equal means the whole day.
    Characters: ``1`` allowed, ``0`` blocked (util.lua ``convertBinaryScheduleToTimePeriodArray``).
    """
    week = list("".join(base.days)) if base is not None else ["1"] * SLOTS_PER_WEEK
    for day, first, end in windows:
        if not (
            0 <= day < 7 and 0 <= first <= SLOTS_PER_DAY and 0 <= end <= SLOTS_PER_DAY
        ):
            raise ValueError(f"bad schedule window {(day, first, end)}")
        length = end - first if end > first else SLOTS_PER_DAY - first + end
        start = day * SLOTS_PER_DAY + first
        for slot in range(start, start + length):
            week[slot % SLOTS_PER_WEEK] = "0"
    text = "".join(week)
    return WANSchedule(
        *(text[i : i + SLOTS_PER_DAY] for i in range(0, SLOTS_PER_WEEK, SLOTS_PER_DAY))
    )


def blocked_periods(schedule: WANSchedule) -> dict[str, list[str]]:
    """Each day's blocked periods as ``"HH:MM-HH:MM"`` (end ``24:00`` at midnight)."""

    def hhmm(slot: int) -> str:
        return f"{slot // 2:02d}:{30 * (slot % 2):02d}"

    out: dict[str, list[str]] = {}
    for name, day in zip(DAYS, schedule.days, strict=True):
        periods: list[str] = []
        slot = 0
        while slot < len(day):
            if day[slot] == "0":
                end = slot
                while end < len(day) and day[end] == "0":
                    end += 1
                periods.append(f"{hhmm(slot)}-{hhmm(end)}")
                slot = end
            else:
                slot += 1
        out[name] = periods
    return out
