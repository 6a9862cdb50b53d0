"""Port forwarding and triggering (firewall_server.lua, firewall.lua; docs/firmware-facts.md).

Each Set replaces its whole list and is checked rule by rule in the firmware's order. The
whole list is checked before any of it is kept (the firmware writes rule by rule and returns
at the first error: the simulator is stricter, a refused write changes nothing).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from . import schema as s
from .actions import action
from .schema import InputError

if TYPE_CHECKING:
    from .server import RouterSimulator

SERVICE = "firewall/Firewall"
PROTOCOLS = ("TCP", "UDP", "Both")


def _fail(code: str) -> InputError:
    return InputError(code, code)


def _valid_port(port: int) -> bool:
    return 0 <= port <= 65535  # util.lua isValidPort


def _lan(sim: RouterSimulator) -> tuple[ipaddress.IPv4Address, ipaddress.IPv4Network]:
    router = ipaddress.IPv4Address(sim.state.lan_ip)
    network = ipaddress.IPv4Network(
        f"{sim.state.lan_ip}/{sim.state.lan_mask}", strict=False
    )
    return router, network


def _check_target(sim: RouterSimulator, text: str) -> None:
    """inSameSubnet, isReservedSubnetAddress (below /31), not the router itself."""
    router, network = _lan(sim)
    try:
        host = ipaddress.IPv4Address(text)
    except ValueError:
        raise s.invalid('Invalid value for member "internalServerIPAddress"') from None
    reserved = network.prefixlen < 31 and host in (
        network.network_address,
        network.broadcast_address,
    )
    if host not in network or reserved or host == router:
        raise _fail("ErrorInvalidInternalServerIPAddress")


class _Ranges:
    """firewall.lua ``addRangeToList`` per protocol: refuses a range meeting one it holds."""

    def __init__(self) -> None:
        self.lists: dict[str, list[tuple[int, int]]] = {"TCP": [], "UDP": []}

    def add(self, protocol: str, first: int, last: int) -> bool:
        ok = True
        for proto in ("TCP", "UDP"):
            if protocol not in (proto, "Both"):
                continue
            held = self.lists[proto]
            if any(first <= b and a <= last for a, b in held):
                ok = False
                continue
            held.append((first, last))
        return ok


def _protocol(rule: dict[str, Any]) -> str:
    if rule["protocol"] not in PROTOCOLS:
        # serializeIPProtocol gives nil: what the C layer makes of it is unknown; refused.
        raise s.invalid('Invalid value for member "protocol"')
    return str(rule["protocol"])


def _description(sim: RouterSimulator, rule: dict[str, Any]) -> None:
    if len(rule["description"].encode()) > sim.state.firewall.max_description:
        raise _fail("ErrorDescriptionTooLong")


def _get(
    rules: list[dict[str, Any]], sim: RouterSimulator, maximum: int
) -> dict[str, Any]:
    return {
        "rules": [dict(rule) for rule in rules],
        "maxDescriptionLength": sim.state.firewall.max_description,
        "maxRules": maximum,
    }


@action("firewall/GetSinglePortForwardingRules", SERVICE)
def get_single(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    fw = sim.state.firewall
    return _get(fw.single, sim, fw.max_single)


@action("firewall/GetPortRangeForwardingRules", SERVICE)
def get_ranges(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    fw = sim.state.firewall
    return _get(fw.ranges, sim, fw.max_ranges)


@action("firewall/GetPortRangeTriggeringRules", SERVICE)
def get_triggers(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    fw = sim.state.firewall
    return _get(fw.triggers, sim, fw.max_triggers)


@action("firewall/SetSinglePortForwardingRules", SERVICE, s.SINGLE_PORT_SET, write=True)
def set_single(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    """``setSinglePortForwardingRules``: checked against the stored range rules too."""
    fw = sim.state.firewall
    rules = b["rules"]
    if len(rules) > fw.max_single:
        raise _fail("ErrorTooManyRules")
    ranges = _Ranges()
    for r in fw.ranges:
        ranges.add(r["protocol"], r["firstExternalPort"], r["lastExternalPort"])
    for rule in rules:
        if not _valid_port(rule["externalPort"]):
            raise _fail("ErrorInvalidExternalPort")
        _check_target(sim, rule["internalServerIPAddress"])
        if not _valid_port(rule["internalPort"]):
            raise _fail("ErrorInvalidInternalPort")
        _description(sim, rule)
        port = rule["externalPort"]
        if not ranges.add(_protocol(rule), port, port):
            raise _fail("ErrorRulesOverlap")
    fw.single = [dict(rule) for rule in rules]
    return {}


@action("firewall/SetPortRangeForwardingRules", SERVICE, s.PORT_RANGE_SET, write=True)
def set_ranges(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    """``setPortRangeForwardingRules``: checked against the stored single-port rules too."""
    fw = sim.state.firewall
    rules = b["rules"]
    if len(rules) > fw.max_ranges:
        raise _fail("ErrorTooManyRules")
    ranges = _Ranges()
    for r in fw.single:
        ranges.add(r["protocol"], r["externalPort"], r["externalPort"])
    for rule in rules:
        first, last = rule["firstExternalPort"], rule["lastExternalPort"]
        if not (_valid_port(first) and _valid_port(last)):
            raise _fail("ErrorInvalidExternalPort")
        if first > last:
            raise _fail("ErrorInvalidExternalPortRange")
        _check_target(sim, rule["internalServerIPAddress"])
        _description(sim, rule)
        if not ranges.add(_protocol(rule), first, last):
            raise _fail("ErrorRulesOverlap")
    fw.ranges = [dict(rule) for rule in rules]
    return {}


@action("firewall/SetPortRangeTriggeringRules", SERVICE, s.PORT_TRIGGER_SET, write=True)
def set_triggers(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    """``setPortRangeTriggeringRules``: trigger and forwarded ranges each without overlap."""
    fw = sim.state.firewall
    rules = b["rules"]
    if len(rules) > fw.max_triggers:
        raise _fail("ErrorTooManyRules")
    triggers, forwarded = _Ranges(), _Ranges()
    for rule in rules:
        first, last = rule["firstTriggerPort"], rule["lastTriggerPort"]
        low, high = rule["firstForwardedPort"], rule["lastForwardedPort"]
        if not (_valid_port(first) and _valid_port(last)):
            raise _fail("ErrorInvalidTriggerPort")
        if first > last:
            raise _fail("ErrorInvalidTriggerPortRange")
        if not (_valid_port(low) and _valid_port(high)):
            raise _fail("ErrorInvalidForwardedPort")
        if low > high:
            raise _fail("ErrorInvalidForwardedPortRange")
        _description(sim, rule)
        # Both lists are checked (the firmware's `or` stops at the first refusal).
        if not triggers.add("TCP", first, last) or not forwarded.add("TCP", low, high):
            raise _fail("ErrorRulesOverlap")
    fw.triggers = [dict(rule) for rule in rules]
    return {}
