"""Helpers of the reliability suite: entities of an entry, polls, service calls, router state."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import copy
from datetime import timedelta
import threading
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import RELOAD_AFTER_UPDATE_DELAY
from homeassistant.const import (
    ATTR_ENTITY_ID,
    CONF_PASSWORD,
    STATE_UNAVAILABLE,
    Platform,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.linksys_jnap import connection
from custom_components.linksys_jnap.const import DOMAIN, SCAN_INTERVAL
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import enable_entities
from tests.simulator import RouterSimulator, RouterState
from tests.simulator.fixtures import RouterFactory

# Real HTTP timeouts are cut short so TIMEOUT faults cost a fraction of a second.
SHORT_TIMEOUT = 0.3
SETTLE = 1.0  # seconds: more than SHORT_TIMEOUT and the simulator's TIMEOUT hold

type StartRouter = Callable[..., Awaitable[tuple[RouterSimulator, MockConfigEntry]]]


@pytest.fixture(autouse=True)
def short_request_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shorten the integration's per-request timeout (a setting, not a mock)."""
    monkeypatch.setattr(connection, "REQUEST_TIMEOUT", SHORT_TIMEOUT)


@pytest.fixture
def start_router(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> StartRouter:
    """Start a router (RouterSimulator's arguments) and set it up in Home Assistant.

    The password is PASSWORD; ``enable=True`` enables every entity too. Returns
    ``(sim, entry)``. Time is frozen (``freezer``) before anything starts.
    """

    async def start(
        *, enable: bool = False, **world: Any
    ) -> tuple[RouterSimulator, MockConfigEntry]:
        sim = await router_factory(password=PASSWORD, **world)
        entry = await setup_integration(sim)
        if enable:
            await enable_all(hass, entry, freezer)
        return sim, entry

    return start


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float | None = None
) -> None:
    """Let simulated time pass (one poll interval by default) and run what is due.

    Under ``freezer`` the loop's clock stands still, so a request waiting on its (real)
    timeout only sees it expire when time moves: two short steps settle such polls.
    """
    freezer.tick(timedelta(seconds=seconds) if seconds else SCAN_INTERVAL)
    async_fire_time_changed(hass)
    await settle(hass, freezer)


async def settle(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Wait (real time) for polls in flight; expire the ones held past their timeout."""
    for _ in range(50):
        await hass.async_block_till_done()
        if all(task.done() for task in hass._background_tasks):
            return
        # Real time for socket I/O while the frozen loop clock stands still.
        await hass.async_add_executor_job(time.sleep, 0.01)
    freezer.tick(timedelta(seconds=SETTLE))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def back_online(hass: HomeAssistant, sim: RouterSimulator) -> None:
    """Once the outage is over, give the simulator real time to listen again."""
    for _ in range(100):
        if not sim.is_down or sim.clock() < (sim._down_until or 0):
            return
        await hass.async_add_executor_job(time.sleep, 0.01)


def entity_ids(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    """Return the enabled entities of the entry (not the event entity).

    Events fire when the router comes back from being unreachable, by design
    (tests/test_event.py); every other entity must show what it showed before.
    """
    registry = er.async_get(hass)
    return sorted(
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.disabled_by is None and e.domain != "event"
    )


def unique_ids(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    """Entity id -> unique id for the entry's enabled entities."""
    registry = er.async_get(hass)
    return {
        e.entity_id: e.unique_id
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.disabled_by is None
    }


def states(hass: HomeAssistant, ids: list[str]) -> dict[str, tuple[str, Any]]:
    """State and attributes of these entities (comparable across polls)."""
    result: dict[str, tuple[str, Any]] = {}
    for entity_id in ids:
        state: State | None = hass.states.get(entity_id)
        assert state is not None, entity_id
        if entity_id.startswith("image."):
            # An image's state is when it last changed and its token rotates: compare
            # only whether it is there.
            shown = STATE_UNAVAILABLE if state.state == STATE_UNAVAILABLE else "shown"
            result[entity_id] = (shown, None)
            continue
        result[entity_id] = (state.state, dict(state.attributes))
    return result


async def enable_all(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Enable every disabled-by-default entity of the entry.

    Home Assistant reloads the entry by itself a while after entities are enabled; let
    that reload happen now so later polls run on the final runtime objects.
    """
    enable_entities(hass, entry)
    await tick(hass, freezer, RELOAD_AFTER_UPDATE_DELAY + 1)
    assert all(
        hass.states.get(e.entity_id) is not None
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    )


async def switch(
    hass: HomeAssistant,
    service: str,
    target: str,
    freezer: FrozenDateTimeFactory | None = None,
) -> None:
    """Call a switch service the way the UI does (blocking).

    With ``freezer``, a call stuck on a (real) request timeout gets simulated time.
    """
    call = hass.services.async_call(
        Platform.SWITCH, service, {ATTR_ENTITY_ID: target}, blocking=True
    )
    if freezer is None:
        await call
        return
    task = hass.async_create_task(call)
    for attempt in range(200):
        if task.done():
            break
        await hass.async_add_executor_job(time.sleep, 0.005)
        if attempt % 20 == 19:
            freezer.tick(timedelta(seconds=SETTLE))
            async_fire_time_changed(hass)
    await task


def router_settings(sim: RouterSimulator) -> dict[str, Any]:
    """Deep copy of every setting a switch could touch (compared before/after)."""
    st = sim.state
    return copy.deepcopy(
        {
            "guest": st.guest,
            "parental": st.parental,
            "leds": st.leds,
            "radios": st.radios,
            "band_steering": st.band_steering,
            "properties": {d.device_id: d.properties for d in st.devices.values()},
            **firmware_and_admin(st),
        }
    )


def firmware_and_admin(st: RouterState) -> dict[str, Any]:
    """Firmware update settings and admin credentials (no switch may touch them)."""
    return {
        "firmware": (
            st.firmware.update_policy,
            st.firmware.window_start_minute,
            st.firmware.window_duration_minutes,
        ),
        "admin": (st.admin.password, st.admin.hint),
    }


def reauth_flow_ids(hass: HomeAssistant) -> list[str]:
    """Reauth flows in progress for the integration."""
    return [
        f["flow_id"]
        for f in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if f["context"].get("source") == "reauth"
    ]


async def answer_reauth(hass: HomeAssistant, password: str) -> None:
    """Type the password into the reauth form, as the user does."""
    flows = reauth_flow_ids(hass)
    assert len(flows) == 1, flows
    result = await hass.config_entries.flow.async_configure(
        flows[0], {CONF_PASSWORD: password}
    )
    assert result["type"] == "abort", result
    assert result["reason"] == "reauth_successful", result
    await hass.async_block_till_done()


async def run_in_thread(
    hass: HomeAssistant, body: Callable[[Callable[[Awaitable[Any]], Any]], None]
) -> None:
    """Run a (hypothesis) driver in a thread; it runs coroutines on the test loop.

    ``body(run)`` gets ``run(coro)`` which executes ``coro`` on Home Assistant's loop
    and returns its result. The thread is joined before returning (no lingering threads).
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def run(coro: Awaitable[Any]) -> Any:
        async def wrapper() -> Any:
            return await coro

        return asyncio.run_coroutine_threadsafe(wrapper(), loop).result(timeout=120)

    def target() -> None:
        try:
            body(run)
        except BaseException as err:  # noqa: BLE001 (handed to the loop)
            loop.call_soon_threadsafe(done.set_exception, err)
        else:
            loop.call_soon_threadsafe(done.set_result, None)

    thread = threading.Thread(target=target, name="hypothesis-driver")
    thread.start()
    try:
        await done
    finally:
        thread.join()


async def run_examples[T](
    hass: HomeAssistant,
    strategy: st.SearchStrategy[T],
    max_examples: int,
    one: Callable[[T], Awaitable[None]],
) -> int:
    """Run ``one(example)`` on the test loop for each example hypothesis draws.

    Derandomized, without a database or deadline: the same examples on every run.
    Returns how many examples ran.
    """
    count = 0

    def driver(run: Callable[[Awaitable[Any]], Any]) -> None:
        @settings(
            max_examples=max_examples,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def example(value: T) -> None:
            nonlocal count
            count += 1
            run(one(value))

        example()

    await run_in_thread(hass, driver)
    return count
