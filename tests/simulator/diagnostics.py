"""Ping and traceroute from the router, as diagnostics_server.lua / diagnostics.lua serve them.

``StartPing``/``StartTraceroute`` check the host (an IPv4 or IPv6 address, or a host name by
util.lua ``isValidHostName``), the packet size (32-65500) and count (at least 1), stop the
running test of that kind and start a new one in the background. ``Get*Status`` answers
``isRunning`` and the program's output so far. A test runs on the sim clock: one ping
reply (or traceroute hop) a second; a ping without ``pingCount`` runs until stopped. The
output imitates BusyBox ``ping``/``traceroute`` (the router's real programs' format is
unverified). A reboot ends both and empties their output (``/tmp``).
"""

from __future__ import annotations

import ipaddress
import math
import re
from typing import TYPE_CHECKING, Any

from . import schema as s
from .actions import action
from .schema import InputError
from .state import RouterTest

if TYPE_CHECKING:
    from .server import RouterSimulator

SERVICE = "diagnostics/Diagnostics"
PING, TRACEROUTE = "ping", "traceroute"
START_PING: dict[str, s.Spec] = {
    "host": str,
    "packetSizeBytes": int,
    "pingCount": s.Opt(int),
}
START_TRACEROUTE: dict[str, s.Spec] = {"host": str}
# The simulated path: the router's WAN gateway, two ISP hops, then the host.
ROUTE = ("10.0.0.1", "100.64.0.1", "203.0.113.9")
_LABEL = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$")


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_host_name(host: str) -> bool:
    """util.lua ``isValidHostName``: 1-255 chars, labels of 1-63 (RFC 1123)."""
    if not 1 <= len(host) <= 255:
        return False
    return all(
        len(label) <= 63 and _LABEL.fullmatch(label) for label in host.split(".")
    )


def _check_host(host: str) -> None:
    if not host or not (_is_address(host) or _is_host_name(host)):
        raise InputError("ErrorInvalidHost", f"Invalid host {host!r}")


def _address(host: str) -> str:
    """Return what the host resolves to (an address is itself)."""
    return host if _is_address(host) else "93.184.216.34"


def _elapsed(sim: RouterSimulator, test: RouterTest) -> float:
    end = test.stopped if test.stopped is not None else sim.clock()
    return end - test.started


def _steps(test: RouterTest) -> int | None:
    """How many lines of results the test prints before it ends (None: never ends)."""
    if test.kind == TRACEROUTE:
        return len(ROUTE) + 1
    return test.count


def _is_running(sim: RouterSimulator, test: RouterTest | None) -> bool:
    if test is None or test.stopped is not None:
        return False
    steps = _steps(test)
    return steps is None or _elapsed(sim, test) < steps


def _done(sim: RouterSimulator, test: RouterTest) -> int:
    """Results printed so far: one a second."""
    printed = math.floor(_elapsed(sim, test))
    steps = _steps(test)
    return printed if steps is None else min(printed, steps)


def _ping_log(sim: RouterSimulator, test: RouterTest) -> str:
    address = _address(test.host)
    lines = [f"PING {test.host} ({address}): {test.packet_size} data bytes"]
    sent = _done(sim, test)
    times = [11.0 + (seq % 3) * 0.5 for seq in range(sent)]
    lines += [
        f"{test.packet_size + 8} bytes from {address}: seq={seq} ttl=57 time={ms:.3f} ms"
        for seq, ms in enumerate(times)
    ]
    if not _is_running(sim, test) and sent:
        # Statistics at the end, or after SIGINT (StopPing).
        lines += [
            "",
            f"--- {test.host} ping statistics ---",
            f"{sent} packets transmitted, {sent} packets received, 0% packet loss",
            (
                f"round-trip min/avg/max = {min(times):.3f}/"
                f"{sum(times) / sent:.3f}/{max(times):.3f} ms"
            ),
        ]
    return "\n".join(lines) + "\n"


def _traceroute_log(sim: RouterSimulator, test: RouterTest) -> str:
    address = _address(test.host)
    lines = [f"traceroute to {test.host} ({address}), 30 hops max, 38 byte packets"]
    for hop, via in enumerate((*ROUTE, address)[: _done(sim, test)], start=1):
        name = test.host if via == address else via
        lines.append(
            f"{hop:2d}  {name} ({via})  {hop * 2.1:.3f} ms  {hop * 2.0:.3f} ms"
            f"  {hop * 1.9:.3f} ms"
        )
    return "\n".join(lines) + "\n"


def stop_on_reboot(sim: RouterSimulator) -> None:
    """End both programs and empty ``/tmp`` (their output): a reboot."""
    sim.state.tests.clear()


def _stop(sim: RouterSimulator, kind: str) -> None:
    test = sim.state.tests.get(kind)
    if test is not None and _is_running(sim, test):
        test.stopped = sim.clock()


@action("diagnostics/StartPing", SERVICE, START_PING)
def start_ping(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    _check_host(b["host"])
    if not 32 <= b["packetSizeBytes"] <= 65500:
        raise InputError("ErrorInvalidPacketSizeBytes", "Invalid packet size")
    count = b.get("pingCount")
    if count is not None and count < 1:
        raise InputError("ErrorInvalidPingCount", "Invalid ping count")
    _stop(sim, PING)
    sim.state.tests[PING] = RouterTest(
        PING, b["host"], sim.clock(), count=count, packet_size=b["packetSizeBytes"]
    )
    return {}


@action("diagnostics/StopPing", SERVICE)
def stop_ping(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    _stop(sim, PING)
    return {}


@action("diagnostics/GetPingStatus", SERVICE)
def get_ping_status(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    test = sim.state.tests.get(PING)
    return {
        "isRunning": _is_running(sim, test),
        "pingLog": _ping_log(sim, test) if test else "",
    }


@action("diagnostics/StartTraceroute", SERVICE, START_TRACEROUTE)
def start_traceroute(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    _check_host(b["host"])
    _stop(sim, TRACEROUTE)
    sim.state.tests[TRACEROUTE] = RouterTest(TRACEROUTE, b["host"], sim.clock())
    return {}


@action("diagnostics/StopTraceroute", SERVICE)
def stop_traceroute(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    _stop(sim, TRACEROUTE)
    return {}


@action("diagnostics/GetTracerouteStatus", SERVICE)
def get_traceroute_status(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    test = sim.state.tests.get(TRACEROUTE)
    return {
        "isRunning": _is_running(sim, test),
        "tracerouteLog": _traceroute_log(sim, test) if test else "",
    }
