"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_SSL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.linksys_jnap.const import DOMAIN
from tests.replay.fixtures import replay_router_factory  # noqa: F401
from tests.simulator import RouterSimulator
from tests.simulator.fixtures import RouterFactory, router, router_factory  # noqa: F401

PASSWORD = "correct horse"

type SetupIntegration = Callable[..., Awaitable[MockConfigEntry]]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: Any) -> None:
    """Let Home Assistant load custom_components/linksys_jnap in every test."""


@pytest.fixture(autouse=True)
def allow_loopback_sockets(socket_enabled: Any) -> None:
    """Allow real HTTP to the router simulator on 127.0.0.1 (other hosts stay blocked)."""


@pytest.fixture
async def session(socket_enabled: Any) -> AsyncIterator[aiohttp.ClientSession]:
    """Yield a real HTTP session (for the simulator on 127.0.0.1), closed at teardown."""
    async with aiohttp.ClientSession() as http:
        yield http


def entry_at(
    host: str, serial: str, *, title: str = "Linksys", **options: Any
) -> MockConfigEntry:
    """Build a config entry for the router at ``host`` (plain HTTP; not added to hass)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=serial,
        data={
            CONF_HOST: host,
            CONF_PASSWORD: PASSWORD,
            CONF_SSL: False,
            CONF_VERIFY_SSL: False,
        },
        options=options,
    )


def entry_for(sim: RouterSimulator, **options: Any) -> MockConfigEntry:
    """Build a config entry pointing at a simulator (not added to hass)."""
    info = sim.state.device_info
    return entry_at(sim.host, info.serial_number, title=info.description, **options)


@pytest.fixture
def setup_integration(hass: HomeAssistant) -> SetupIntegration:
    """Add a config entry for a simulator and set it up; returns the entry."""

    async def _setup(
        sim: RouterSimulator,
        *,
        options: dict[str, Any] | None = None,
        expect: ConfigEntryState = ConfigEntryState.LOADED,
    ) -> MockConfigEntry:
        entry = entry_for(sim, **(options or {}))
        entry.add_to_hass(hass)
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert entry.state is expect
        return entry

    return _setup


@pytest.fixture
async def init_integration(
    router: RouterSimulator,  # noqa: F811
    setup_integration: SetupIntegration,
) -> MockConfigEntry:
    """Set up the default simulator (smartwifi, 12 clients) in Home Assistant."""
    return await setup_integration(router)


@pytest.fixture
async def snapshot_router(
    router_factory: RouterFactory,  # noqa: F811
    freezer: FrozenDateTimeFactory,
) -> RouterSimulator:
    """Start the small router the platform snapshots show (smartwifi, 2 clients, seed 1).

    At a fixed time: the last boot is "now" minus the uptime.
    """
    freezer.move_to("2026-12-01T12:00:00+00:00")
    return await router_factory(
        profile="smartwifi", password=PASSWORD, clients=2, seed=1
    )


@pytest.fixture
async def snapshot_entry(
    snapshot_router: RouterSimulator, setup_integration: SetupIntegration
) -> MockConfigEntry:
    """Set up the snapshot router in Home Assistant."""
    return await setup_integration(snapshot_router)
