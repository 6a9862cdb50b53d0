"""The short soak (one simulated day, 250 clients) and a start while the router is down.

The soak itself is ``tests/soak`` (``scripts/soak`` runs the week); here only its
structural invariants are asserted, never timing. CONTRIBUTING.md, "The soak".
"""

from __future__ import annotations

import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_RESTORED, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest

from custom_components.linksys_jnap.const import SCAN_INTERVAL
from tests.conftest import SetupIntegration
from tests.helpers import state_of, tick
from tests.simulator import Fault, RouterSimulator
from tests.soak.run import EXPECTED_EXTRA, SoakConfig, soak


async def test_one_day(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    result = await soak(hass, freezer, SoakConfig(days=1, clients=250, memory=False))
    (day,) = result.days
    assert result.errors == 0, result.error_messages
    # One request per poll interval, always: the hourly factory-password check, the
    # firmware re-read after the outages and the faults' aborted parts ride in a poll.
    assert not result.unexpected_requests, result.unexpected_requests
    assert set(result.extra_requests) <= set(EXPECTED_EXTRA)
    assert result.max_requests_per_poll == 1, result.extra_requests
    # The world did what it says (the day is not idle).
    assert all(
        day.world[k] > 0
        for k in (
            "left",
            "returned",
            "new",
            "rotated",
            "renamed",
            "roamed",
            "forgotten",
        )
    ), day.world
    assert day.polls > 2700
    # Failed polls: the reboots, the firmware install and a few faults, nothing more.
    assert day.failed_polls <= 20
    # Bounded by what the router lists: one device per listed device plus the router.
    assert day.devices - day.orphan_devices <= day.router_devices + 1
    assert day.presence - day.stale_presence <= day.router_devices
    # One listener per entity, plus one per platform that adds client or node entities.
    assert day.listeners <= day.states + 16
    assert day.timers <= 30
    assert day.coordinators == 1  # the ones of earlier setups are gone
    # No orphans, those of clients the router forgot while Home Assistant was down
    # (the second restart spans a forget pass) included; no stale last-seen times.
    assert day.world["forgotten"] > 0
    assert day.orphan_devices == day.orphan_entities == 0, result.orphan_names
    assert day.stale_presence == 0


async def test_start_while_the_router_is_down(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Setup retries quietly, entities show as restored-unavailable, then all come back."""
    entry = await setup_integration(router)
    registry = er.async_get(hass)
    enabled = [
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if not e.disabled
    ]
    available = {e for e in enabled if state_of(hass, e) != STATE_UNAVAILABLE}
    assert available
    # Home Assistant stops; at the next start the router is down.
    assert await hass.config_entries.async_unload(entry.entry_id)
    for entity_id in enabled:
        hass.states.async_remove(entity_id)
    router.inject(Fault.CONNECTION_REFUSED, seconds=24 * 3600)
    # What Home Assistant does at start for registered entities without a state.
    for entity_id in enabled:
        entity = registry.async_get(entity_id)
        assert entity is not None
        entity.write_unavailable_state(hass)
    caplog.clear()
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    for _ in range(5):  # Home Assistant keeps retrying, backing off
        await tick(hass, freezer, 300)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    for entity_id in enabled:
        state = hass.states.get(entity_id)
        assert state is not None, entity_id
        assert state.state == STATE_UNAVAILABLE, entity_id
        assert state.attributes.get(ATTR_RESTORED) is True, entity_id
    # Warnings only, none with a traceback (HA's "Full exception" is DEBUG).
    noisy = [
        r
        for r in caplog.records
        if r.levelno >= logging.ERROR
        or (r.levelno >= logging.WARNING and (r.exc_info or r.exc_text))
    ]
    assert not noisy, [f"{r.name}: {r.getMessage()}" for r in noisy]
    # One line says why, in words (the translated reason), with no traceback.
    assert any(
        "not ready yet: Failed to connect to the router" in r.getMessage()
        for r in caplog.records
    )

    await router.finish_reboot()
    for _ in range(10):
        await tick(hass, freezer, 300)
        if entry.state is ConfigEntryState.LOADED:
            break
    assert entry.state is ConfigEntryState.LOADED
    await tick(hass, freezer, SCAN_INTERVAL.total_seconds())
    back = {e for e in enabled if state_of(hass, e) != STATE_UNAVAILABLE}
    assert back == available
    assert all(not hass.states.get(e).attributes.get(ATTR_RESTORED) for e in enabled)
