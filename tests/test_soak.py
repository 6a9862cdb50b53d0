"""The short soak (one simulated day, 250 clients) and a start while the router is down.

The soak itself is ``tests/soak`` (``scripts/soak`` runs the week); here only its
structural invariants are asserted, never timing. CONTRIBUTING.md, "The soak".
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from tests.soak.run import EXPECTED_EXTRA, SoakConfig, soak


async def test_one_day(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    result = await soak(hass, freezer, SoakConfig(days=1, clients=250, memory=False))
    (day,) = result.days
    assert result.errors == 0, result.error_messages
    # One request per poll; the only extras are the documented ones.
    assert not result.unexpected_requests, result.unexpected_requests
    assert set(result.extra_requests) <= set(EXPECTED_EXTRA)
    assert result.max_requests_per_poll <= 2
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
    assert day.listeners <= day.states
    assert day.timers <= 30
    assert day.coordinators == 1  # the ones of earlier setups are gone
    orphans_while_up = (
        day.orphan_devices + day.orphan_entities - (day.orphans_forgotten_while_down)
    )
    assert orphans_while_up == 0, result.orphan_names
    if day.orphans_forgotten_while_down or day.stale_presence:
        # Known: a client the router forgets while Home Assistant is down keeps its
        # device, entities and last-seen time (nothing compares the registries with the
        # first full read at setup). Passes once that is fixed.
        pytest.xfail(f"orphans of clients forgotten while down: {result.orphan_names}")
