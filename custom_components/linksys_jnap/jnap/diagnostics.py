"""Ping and traceroute from the router (``diagnostics/StartPing`` ... ``GetTracerouteStatus``).

The firmware starts ``ping``/``traceroute`` in the background and answers at once; its
status action says ``isRunning`` and gives the program's output so far (``pingLog``,
``tracerouteLog``: text). A ping without ``pingCount`` never ends, so one is always sent.
Rules from diagnostics.lua ``startPing``/``startTraceroute`` and util.lua
``isValidHostName`` (docs/firmware-facts.md, "Ping and traceroute").
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import ipaddress
import math
import re
from typing import Any, Final

from . import actions as act
from .core import ClientCore
from .models_base import as_bool, as_str

MIN_PACKET_SIZE: Final = 32
MAX_PACKET_SIZE: Final = 65500
"""``ErrorInvalidPacketSizeBytes`` outside 32-65500 (diagnostics.lua ``startPing``)."""
MAX_HOST_NAME_LENGTH: Final = 255
MAX_LABEL_LENGTH: Final = 63
STATUS_INTERVAL: Final = 2.0
"""Seconds between status reads while a test runs."""

_LABEL = re.compile(r"[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?")


def normalize_host(text: str) -> str | None:
    """Return the host as the firmware accepts it, or None when it is no host.

    An IPv4 or IPv6 address, or a host name of 1-255 characters whose dot-separated labels
    are 1-63 letters, digits and inner hyphens (util.lua ``isValidHostName``, RFC 1123).
    Spaces around it and one final dot (an absolute name, which the firmware refuses) go.
    """
    host = text.strip()
    if host.endswith(".") and not host.endswith(".."):
        host = host[:-1]
    if not host:
        return None
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if len(host) > MAX_HOST_NAME_LENGTH:
        return None
    labels = host.split(".")
    if all(
        len(label) <= MAX_LABEL_LENGTH and _LABEL.fullmatch(label) for label in labels
    ):
        return host
    return None


@dataclass(frozen=True, slots=True)
class DiagnosticRun:
    """What a ping or traceroute printed, and whether it ended before the timeout."""

    completed: bool
    log: str


_TRANSMITTED = re.compile(r"(\d+) packets? transmitted, (\d+) (?:packets )?received")
_LOSS = re.compile(r"(\d+(?:\.\d+)?)% packet loss")
_RTT = re.compile(r"min/avg/max(?:/\w+)? = ([\d.]+)/([\d.]+)/([\d.]+)")
_HOP = re.compile(r"^\s*(\d+)\s+(.*)$")
_HOP_ADDRESS = re.compile(r"^(\S+)(?:\s+\(([^)]+)\))?")
_MS = re.compile(r"([\d.]+)\s*ms")


def ping_summary(log: str) -> dict[str, Any]:
    """Packets sent and received, loss and round trips (ms) from a ping's output.

    The output is the router's ``ping`` program's (its exact format is unverified: the
    BusyBox and iputils summaries are both read); what isn't found is None.
    """
    summary: dict[str, Any] = {
        "transmitted": None,
        "received": None,
        "loss_percent": None,
        "rtt_min_ms": None,
        "rtt_avg_ms": None,
        "rtt_max_ms": None,
    }
    if match := _TRANSMITTED.search(log):
        summary["transmitted"], summary["received"] = map(int, match.groups())
    if match := _LOSS.search(log):
        summary["loss_percent"] = float(match[1])
    if match := _RTT.search(log):
        low, mean, high = (float(value) for value in match.groups())
        summary.update(rtt_min_ms=low, rtt_avg_ms=mean, rtt_max_ms=high)
    return summary


def traceroute_hops(log: str) -> list[dict[str, Any]]:
    """One entry per hop line of a traceroute's output: its number, host and times (ms).

    A hop that didn't answer (``* * *``) has no host and no times.
    """
    hops: list[dict[str, Any]] = []
    for line in log.splitlines():
        if not (match := _HOP.match(line)):
            continue
        rest = match[2].strip()
        address = _HOP_ADDRESS.match(rest) if not rest.startswith("*") else None
        host = address[1] if address else None
        hops.append(
            {
                "hop": int(match[1]),
                "host": host,
                "address": (address[2] or host) if address else None,
                "rtt_ms": [float(ms) for ms in _MS.findall(rest)],
            }
        )
    return hops


type Wait = Callable[[float], Awaitable[None]]
"""Waits this many seconds (Home Assistant passes one that follows its clock)."""


class Diagnostics(ClientCore):
    """Ping and traceroute of ``JNAPClient``."""

    async def ping(
        self,
        host: str,
        *,
        count: int,
        packet_size: int,
        max_seconds: float,
        wait: Wait,
    ) -> DiagnosticRun:
        """Ping ``host`` from the router ``count`` times; the output once it ended.

        After ``max_seconds`` the ping is stopped (the firmware sends SIGINT, so its
        statistics are still printed) and what it printed is returned, not completed.
        """
        body = {"host": host, "packetSizeBytes": packet_size, "pingCount": count}
        return await self._run(
            (act.START_PING, body, act.GET_PING_STATUS, act.STOP_PING, "pingLog"),
            max_seconds,
            wait,
        )

    async def traceroute(
        self, host: str, *, max_seconds: float, wait: Wait
    ) -> DiagnosticRun:
        """Trace the route to ``host`` from the router (``max_seconds`` as ``ping``)."""
        return await self._run(
            (
                act.START_TRACEROUTE,
                {"host": host},
                act.GET_TRACEROUTE_STATUS,
                act.STOP_TRACEROUTE,
                "tracerouteLog",
            ),
            max_seconds,
            wait,
        )

    async def _run(
        self,
        test: tuple[str, dict[str, Any], str, str, str],
        max_seconds: float,
        wait: Wait,
    ) -> DiagnosticRun:
        start, body, status, stop, log_member = test
        async with self._write_lock:
            await self.call_action(start, body)
        for _ in range(max(1, math.ceil(max_seconds / STATUS_INTERVAL))):
            await wait(STATUS_INTERVAL)
            answer = await self.call_action(status)
            if as_bool(answer.get("isRunning")) is False:
                return DiagnosticRun(True, as_str(answer.get(log_member)) or "")
        async with self._write_lock:
            await self.call_action(stop)
        answer = await self.call_action(status)
        return DiagnosticRun(False, as_str(answer.get(log_member)) or "")
