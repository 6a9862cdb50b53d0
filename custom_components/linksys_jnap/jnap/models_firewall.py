"""Models of the firewall's port rules: single-port and port-range forwarding, triggering.

firewall.lua ``getSinglePortForwardingRules``, ``getPortRangeForwardingRules``,
``getPortRangeTriggeringRules`` and firewall_server.lua (``rules``, ``maxRules``,
``maxDescriptionLength``); docs/firmware-facts.md, "firewall".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from .models_base import EMPTY, _object, as_bool, as_int, as_list, as_mapping, as_str

__all__ = [
    "PORT_RULE_KINDS",
    "RANGE_FORWARDING",
    "SINGLE_FORWARDING",
    "TRIGGERING",
    "PortRule",
    "PortRules",
]

SINGLE_FORWARDING: Final = "single"
RANGE_FORWARDING: Final = "range"
TRIGGERING: Final = "trigger"
PORT_RULE_KINDS: Final = (SINGLE_FORWARDING, RANGE_FORWARDING, TRIGGERING)

# Per kind: the members holding the first and last port that identify a rule (the
# firmware refuses overlapping ones, so with the protocol they are unique).
_PORTS: Final[Mapping[str, tuple[str, str]]] = {
    SINGLE_FORWARDING: ("externalPort", "externalPort"),
    RANGE_FORWARDING: ("firstExternalPort", "lastExternalPort"),
    TRIGGERING: ("firstTriggerPort", "lastTriggerPort"),
}


@dataclass(frozen=True, slots=True)
class PortRule:
    """One rule as the router lists it; ``key`` names it across polls."""

    kind: str
    key: str
    is_enabled: bool
    description: str
    first_port: int
    last_port: int
    protocol: str | None = None
    """``TCP``, ``UDP`` or ``Both`` (forwarding only; triggering has none)."""
    target: str | None = None
    """``internalServerIPAddress`` (forwarding only)."""
    internal_port: int | None = None
    """Single-port forwarding only."""
    forwarded: tuple[int, int] | None = None
    """Triggering only: the forwarded port range."""
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @property
    def ports(self) -> str:
        """The external (or trigger) ports as text: ``8080`` or ``5000-5010``."""
        if self.first_port == self.last_port:
            return str(self.first_port)
        return f"{self.first_port}-{self.last_port}"

    @property
    def label(self) -> str:
        """What the rule is called: its description, else its protocol and ports."""
        if self.description.strip():
            return self.description.strip()
        return " ".join(p for p in (self.protocol, self.ports) if p)


def _rule(kind: str, obj: Mapping[str, Any], taken: set[str]) -> PortRule | None:
    first_key, last_key = _PORTS[kind]
    first, last = as_int(obj.get(first_key)), as_int(obj.get(last_key))
    if first is None or last is None:
        return None
    protocol = as_str(obj.get("protocol")) if kind != TRIGGERING else None
    forwarded = None
    if kind == TRIGGERING:
        low = as_int(obj.get("firstForwardedPort"))
        high = as_int(obj.get("lastForwardedPort"))
        forwarded = None if low is None or high is None else (low, high)
    ports = (first,) if kind == SINGLE_FORWARDING else (first, last)
    base = "_".join([kind, *([protocol.lower()] if protocol else []), *map(str, ports)])
    key, n = base, 1
    while (
        key in taken
    ):  # stored before the overlap check existed: still one switch each
        n += 1
        key = f"{base}_{n}"
    taken.add(key)
    return PortRule(
        kind=kind,
        key=key,
        is_enabled=as_bool(obj.get("isEnabled")) is True,
        description=as_str(obj.get("description")) or "",
        first_port=first,
        last_port=last,
        protocol=protocol,
        target=as_str(obj.get("internalServerIPAddress")),
        internal_port=as_int(obj.get("internalPort")),
        forwarded=forwarded,
        raw=obj,
    )


@dataclass(frozen=True, slots=True)
class PortRules:
    """One of the three ``Get...Rules`` answers."""

    kind: str
    rules: tuple[PortRule, ...]
    max_rules: int | None = None
    max_description_length: int | None = None
    raw: Mapping[str, Any] = field(default=EMPTY, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any, *, kind: str) -> PortRules:
        """Parse; rules without usable ports are left out."""
        obj = _object(data, cls.__name__)
        taken: set[str] = set()
        rules = tuple(
            rule
            for item in as_list(obj.get("rules"))
            if (rule := _rule(kind, as_mapping(item), taken)) is not None
        )
        return cls(
            kind=kind,
            rules=rules,
            max_rules=as_int(obj.get("maxRules")),
            max_description_length=as_int(obj.get("maxDescriptionLength")),
            raw=obj,
        )

    def get(self, key: str) -> PortRule | None:
        """Return the rule named ``key``, if the router still lists it."""
        return next((rule for rule in self.rules if rule.key == key), None)
