"""Port forwarding and triggering: the firmware's rules for the ``Set...Rules`` input.

firewall.lua (docs/firmware-facts.md, "firewall"): each Set replaces its whole list, with
exactly the members the Get lists per rule. Checks, per rule in order: ports 0-65535
(``ErrorInvalidExternalPort``...), first <= last (``...Range``), a forwarding target inside
the LAN, not its network or broadcast address nor the router
(``ErrorInvalidInternalServerIPAddress``), the description's bytes (``ErrorDescriptionTooLong``),
then overlap (``ErrorRulesOverlap``): forwarding rules, single-port and range together,
enabled or not, on a shared protocol (TCP, UDP; Both is both); triggering rules on their
trigger ranges or their forwarded ranges. More than ``maxRules`` is ``ErrorTooManyRules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
import ipaddress
from typing import Any, Final

from . import actions as act
from .errors import JNAPPreconditionError
from .models import (
    RANGE_FORWARDING,
    SINGLE_FORWARDING,
    TRIGGERING,
    PortRule,
    PortRules,
    as_list,
    as_mapping,
    pick,
)

RULE_KEYS: Final[Mapping[str, tuple[str, ...]]] = {
    SINGLE_FORWARDING: (
        "isEnabled",
        "externalPort",
        "protocol",
        "internalServerIPAddress",
        "internalPort",
        "description",
    ),
    RANGE_FORWARDING: (
        "isEnabled",
        "firstExternalPort",
        "lastExternalPort",
        "protocol",
        "internalServerIPAddress",
        "description",
    ),
    TRIGGERING: (
        "isEnabled",
        "firstTriggerPort",
        "lastTriggerPort",
        "firstForwardedPort",
        "lastForwardedPort",
        "description",
    ),
}
GET_ACTIONS: Final[Mapping[str, str]] = {
    SINGLE_FORWARDING: act.GET_SINGLE_PORT_FORWARDING,
    RANGE_FORWARDING: act.GET_PORT_RANGE_FORWARDING,
    TRIGGERING: act.GET_PORT_RANGE_TRIGGERING,
}
SET_ACTIONS: Final[Mapping[str, str]] = {
    SINGLE_FORWARDING: act.SET_SINGLE_PORT_FORWARDING,
    RANGE_FORWARDING: act.SET_PORT_RANGE_FORWARDING,
    TRIGGERING: act.SET_PORT_RANGE_TRIGGERING,
}
PROTOCOLS: Final = ("TCP", "UDP", "Both")
MAX_PORT: Final = 65535

# The firmware's result codes (firewall.lua); the client raises the same ones, as
# ``JNAPPreconditionError.code``, for what it finds before sending.
INVALID_EXTERNAL_PORT: Final = "ErrorInvalidExternalPort"
INVALID_INTERNAL_PORT: Final = "ErrorInvalidInternalPort"
INVALID_EXTERNAL_RANGE: Final = "ErrorInvalidExternalPortRange"
INVALID_TARGET: Final = "ErrorInvalidInternalServerIPAddress"
DESCRIPTION_TOO_LONG: Final = "ErrorDescriptionTooLong"
RULES_OVERLAP: Final = "ErrorRulesOverlap"
TOO_MANY_RULES: Final = "ErrorTooManyRules"
RULE_GONE: Final = "PortRuleGone"
"""Client-side: the rule a switch toggles is no longer on the router."""


@dataclass(frozen=True, slots=True)
class NewForward:
    """A forwarding rule to add: one port (``internal_port``) or a range of ports."""

    description: str
    protocol: str
    first_port: int
    last_port: int
    target: str
    internal_port: int | None = None
    enabled: bool = True

    @property
    def kind(self) -> str:
        """Single-port rule, or a range (which forwards to the same ports)."""
        return SINGLE_FORWARDING if self.internal_port is not None else RANGE_FORWARDING

    def to_json(self) -> dict[str, Any]:
        """Return the Set's rule, with exactly the members of its kind."""
        if self.kind == SINGLE_FORWARDING:
            return {
                "isEnabled": self.enabled,
                "externalPort": self.first_port,
                "protocol": self.protocol,
                "internalServerIPAddress": self.target,
                "internalPort": self.internal_port,
                "description": self.description,
            }
        return {
            "isEnabled": self.enabled,
            "firstExternalPort": self.first_port,
            "lastExternalPort": self.last_port,
            "protocol": self.protocol,
            "internalServerIPAddress": self.target,
            "description": self.description,
        }


def _refuse(action: str, code: str, text: str) -> JNAPPreconditionError:
    return JNAPPreconditionError(f"{action}: {text}", action=action, code=code)


def valid_port(port: int) -> bool:
    """Whether the firmware takes a port number (util.lua ``isValidPort``: 0-65535)."""
    return 0 <= port <= MAX_PORT


def input_problem(rule: NewForward, max_description: int | None) -> str | None:
    """Return the firmware's code for what is wrong with the rule itself (None: fine)."""
    if not (valid_port(rule.first_port) and valid_port(rule.last_port)):
        return INVALID_EXTERNAL_PORT
    if rule.internal_port is not None and not valid_port(rule.internal_port):
        return INVALID_INTERNAL_PORT
    if rule.first_port > rule.last_port:
        return INVALID_EXTERNAL_RANGE
    if max_description is not None and len(rule.description.encode()) > max_description:
        return DESCRIPTION_TOO_LONG
    return None


def target_in_lan(target: str, lan_ip: str, prefix: int) -> bool:
    """Whether the firmware takes ``target``: a host of the router's LAN, not the router.

    firewall.lua ``util.inSameSubnet``, ``util.isReservedSubnetAddress`` (network and
    broadcast addresses below /31) and the router's own address.
    """
    try:
        host = ipaddress.IPv4Address(target)
        router = ipaddress.IPv4Address(lan_ip)
        network = ipaddress.IPv4Network(f"{lan_ip}/{prefix}", strict=False)
    except ValueError:
        return False
    if host not in network or host == router:
        return False
    return prefix >= 31 or host not in (
        network.network_address,
        network.broadcast_address,
    )


def _protocols(protocol: str | None) -> set[str]:
    return {"TCP", "UDP"} if protocol == "Both" else {protocol or ""}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def overlapping(rule: NewForward, forwards: Iterable[PortRule]) -> PortRule | None:
    """Return the forwarding rule (single or range, on or off) the new one overlaps."""
    ports = (rule.first_port, rule.last_port)
    for other in forwards:
        if _protocols(rule.protocol) & _protocols(other.protocol) and _overlaps(
            ports, (other.first_port, other.last_port)
        ):
            return other
    return None


def add_forward_body(
    rule: NewForward,
    single: Mapping[str, Any],
    ranges: Mapping[str, Any],
    lan: Mapping[str, Any],
) -> dict[str, Any]:
    """Return the Set input adding ``rule`` to its list, or raise what the firmware would.

    ``single``, ``ranges``: the two forwarding Gets; ``lan``: ``router/GetLANSettings``.
    Every rule already listed is sent back exactly as read.
    """
    kind = rule.kind
    action = SET_ACTIONS[kind]
    current = single if kind == SINGLE_FORWARDING else ranges
    parsed = {
        SINGLE_FORWARDING: PortRules.from_json(single, kind=SINGLE_FORWARDING),
        RANGE_FORWARDING: PortRules.from_json(ranges, kind=RANGE_FORWARDING),
    }
    rules = parsed[kind]
    if rule.protocol not in PROTOCOLS:
        raise _refuse(action, INVALID_EXTERNAL_PORT, f"no protocol {rule.protocol!r}")
    if code := input_problem(rule, rules.max_description_length):
        raise _refuse(action, code, "the rule's ports or description")
    lan_ip, prefix = lan.get("ipAddress"), lan.get("networkPrefixLength")
    if not (
        isinstance(lan_ip, str)
        and isinstance(prefix, int)
        and target_in_lan(rule.target, lan_ip, prefix)
    ):
        raise _refuse(action, INVALID_TARGET, f"{rule.target} is not a LAN host")
    forwards = parsed[SINGLE_FORWARDING].rules + parsed[RANGE_FORWARDING].rules
    if (other := overlapping(rule, forwards)) is not None:
        raise _refuse(action, RULES_OVERLAP, f"overlaps {other.label!r}")
    listed = rules_input(current, kind)
    if rules.max_rules is not None and len(listed) >= rules.max_rules:
        raise _refuse(action, TOO_MANY_RULES, f"the router allows {rules.max_rules}")
    return {"rules": [*listed, rule.to_json()]}


def rules_input(current: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    """Every rule of a Get as the Set takes it back (exactly its members, as read)."""
    return [
        pick(as_mapping(item), RULE_KEYS[kind], GET_ACTIONS[kind])
        for item in as_list(current.get("rules"))
    ]


def toggle_body(
    current: Mapping[str, Any], kind: str, key: str, enabled: bool
) -> dict[str, Any] | None:
    """Return the Set input turning rule ``key`` on or off; None: it already is.

    Only that rule's ``isEnabled`` changes; every other rule goes back as read.
    """
    rules = PortRules.from_json(current, kind=kind)
    target = rules.get(key)
    if target is None:
        raise _refuse(SET_ACTIONS[kind], RULE_GONE, f"no rule {key!r} any more")
    if target.is_enabled == enabled:
        return None
    listed = rules_input(current, kind)
    # The model skips unusable entries: find the rule's own entry by identity.
    index = next(
        i for i, item in enumerate(as_list(current.get("rules"))) if item is target.raw
    )
    listed[index] = {**listed[index], "isEnabled": enabled}
    return {"rules": listed}
