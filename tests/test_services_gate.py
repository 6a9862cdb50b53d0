"""Capabilities come from ``services``, and the poll never probes (issue 24, section 1).

Setup plus three polls through Home Assistant against every real recording
(tests/fixtures/real/, served by the replay router) and every simulator profile, with a
recording relay on 127.0.0.1 between Home Assistant and the router. No answer may be
``_ErrorUnknownAction`` or ``_ErrorAbortedAction``, every action sent must belong to a service
the router lists, and each poll is exactly one POST.

Which service offers an action comes from the simulator's catalogue (tests/simulator), written
from docs/firmware-facts.md independently of the client's. A replay miss (a listed read the
recording lacks) is a hole in the recording, not a refusal the firmware would give: the replay
router answers it ``_ErrorUnexpected`` without aborting the rest (``misses_abort=False``).

The three polls stay 90 s apart from setup: inside the hour of the factory-password check and
without an outage, so neither adds a request of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
import json
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest

from tests.conftest import PASSWORD, entry_at
from tests.helpers import poll
from tests.replay.fixtures import RECORDINGS, ReplayRouterFactory, recording_id
from tests.simulator import actions as catalogue
from tests.simulator.fixtures import RouterFactory
from tests.simulator.profiles import JNAP_PREFIX, PROFILES

REFUSALS = ("_ErrorUnknownAction", "_ErrorAbortedAction")
TRANSACTION = "core/Transaction"
POLLS = 3


@dataclass
class Exchange:
    """One HTTP request through the relay: the actions it carried and their results."""

    actions: tuple[str, ...]
    results: tuple[str, ...]
    errors: tuple[str, ...] = field(default=())


class Relay:
    """Forwards every request to the router and keeps what went through."""

    def __init__(self, target: str, session: aiohttp.ClientSession) -> None:
        """Relay to ``target`` (host:port)."""
        self._target = target
        self._session = session
        self.exchanges: list[Exchange] = []
        self._runner: web.AppRunner | None = None
        self.host = ""

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.host = f"127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {
            k: v for k, v in request.headers.items() if k.lower().startswith("x-jnap")
        }
        async with self._session.request(
            request.method,
            f"http://{self._target}{request.path_qs}",
            data=body,
            headers=headers,
        ) as answer:
            text = await answer.text()
            status = answer.status
        if request.method == "POST":
            self.exchanges.append(_exchange(headers, body, text))
        return web.Response(status=status, text=text, content_type="application/json")


def _short(uri: str) -> str:
    return uri.removeprefix(JNAP_PREFIX)


def _exchange(headers: dict[str, str], body: bytes, text: str) -> Exchange:
    action = _short(headers.get("X-JNAP-Action", ""))
    answer: dict[str, Any] = json.loads(text)
    if action == TRANSACTION:
        entries = json.loads(body)
        responses = answer.get("responses")
        actions = tuple(_short(e["action"]) for e in entries)
        if responses is None:  # a top-level refusal (legacy firmware): all refused
            return Exchange(actions, (answer["result"],) * len(actions))
        return Exchange(
            actions,
            tuple(r["result"] for r in responses),
            tuple(r.get("error", "") for r in responses),
        )
    return Exchange((action,), (answer["result"],), (answer.get("error", ""),))


def _service_of(action: str) -> str:
    adef = catalogue.ACTIONS.get(action) or catalogue.NODE_ACTIONS.get(action)
    assert adef is not None, (
        f"{action}: no service known for it (docs/firmware-facts.md)"
    )
    return adef.service


type Run = Callable[[str, str, str], Awaitable[list[list[Exchange]]]]


@pytest.fixture
async def run_gate(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> AsyncIterator[Run]:
    """Set up an entry through a relay to ``host``; return the exchanges per phase.

    Phase 0 is the setup, phases 1..3 the polls.
    """
    relays: list[Relay] = []
    async with aiohttp.ClientSession() as session:

        async def run(host: str, serial: str, title: str) -> list[list[Exchange]]:
            relay = Relay(host, session)
            await relay.start()
            relays.append(relay)
            entry = entry_at(relay.host, serial, title=title)
            entry.add_to_hass(hass)
            await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
            assert entry.state is ConfigEntryState.LOADED
            phases = [list(relay.exchanges)]
            for _ in range(POLLS):
                seen = len(relay.exchanges)
                await poll(hass, freezer)
                phases.append(relay.exchanges[seen:])
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
            return phases

        yield run
        for relay in relays:
            await relay.stop()


def _check(phases: list[list[Exchange]], services: frozenset[str]) -> set[str]:
    """Assert the gate; return the actions answered as replay misses."""
    misses: set[str] = set()
    for phase, exchanges in enumerate(phases):
        for exchange in exchanges:
            for action, result, error in zip(
                exchange.actions,
                exchange.results,
                exchange.errors or ("",) * len(exchange.results),
                strict=False,
            ):
                assert result not in REFUSALS, (phase, action, result)
                if action == TRANSACTION:
                    continue
                assert _service_of(action) in services, (phase, action)
                if error.startswith("replay: "):
                    misses.add(action)
        if phase:
            assert len(exchanges) == 1, (phase, [e.actions for e in exchanges])
    return misses


@pytest.mark.parametrize("path", RECORDINGS, ids=recording_id)
async def test_recorded_router(
    path: Path,
    replay_router_factory: ReplayRouterFactory,
    run_gate: Run,
) -> None:
    router = await replay_router_factory(path, password=PASSWORD, misses_abort=False)
    info = router.device_info
    phases = await run_gate(router.host, info["serialNumber"], info["description"])
    misses = _check(phases, router.services)
    # A miss is a read of a listed service the app never recorded, nothing else.
    assert misses == set(router.misses)
    assert all(_service_of(name) in router.services for name in router.misses)
    assert sum(len(p[0].actions) for p in phases[1:]) >= 3 * 5  # real polls


@pytest.mark.parametrize("profile", sorted(PROFILES))
async def test_simulated_router(
    profile: str, router_factory: RouterFactory, run_gate: Run
) -> None:
    router = await router_factory(profile=profile, password=PASSWORD, clients=6)
    info = router.state.device_info
    phases = await run_gate(router.host, info.serial_number, info.description)
    services = frozenset(_short(s) for s in router.state.services)
    _check(phases, services)
    wps = {"wirelessap/GetWPSServerSettings", "wirelessap/GetWPSServerSessionStatus"}
    polled = set(phases[1][0].actions)
    assert (wps <= polled) == ("wirelessap/WPSServer" in services)
    assert not wps & polled or "wirelessap/WPSServer" in services
