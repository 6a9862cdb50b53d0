"""Helpers the Home Assistant tests share: simulated time, entity lookups, snapshots."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.linksys_jnap.const import DOMAIN, SCAN_INTERVAL
from custom_components.linksys_jnap.coordinator import LinksysJnapCoordinator
from tests.conftest import PASSWORD
from tests.simulator import RouterSimulator
from tests.simulator.testing import jnap


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Move simulated time (router clock and Home Assistant's) and run what is due."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    # Scheduled refreshes run as background tasks.
    await hass.async_block_till_done(wait_background_tasks=True)


async def poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Move time by one scan interval, so the coordinator polls once."""
    await tick(hass, freezer, SCAN_INTERVAL.total_seconds())


def coordinator_of(entry: MockConfigEntry) -> LinksysJnapCoordinator:
    """Return the coordinator of a loaded entry."""
    coordinator: LinksysJnapCoordinator = entry.runtime_data.coordinator
    return coordinator


def find_entity_id(
    hass: HomeAssistant, sim: RouterSimulator, domain: str, key: str
) -> str | None:
    """Entity id from the unique id (``<serial>_<key>``), or None when there is none."""
    serial = sim.state.device_info.serial_number
    return er.async_get(hass).async_get_entity_id(domain, DOMAIN, f"{serial}_{key}")


def entity_id(hass: HomeAssistant, sim: RouterSimulator, domain: str, key: str) -> str:
    """Entity id from the unique id (``<serial>_<key>``); it must exist."""
    found = find_entity_id(hass, sim, domain, key)
    assert found is not None, f"no {domain} {key}"
    return found


async def call_service(
    hass: HomeAssistant, domain: str, service: str, target: str
) -> None:
    """Call an entity service the way the UI does (blocking: errors are raised)."""
    await hass.services.async_call(
        domain, service, {ATTR_ENTITY_ID: target}, blocking=True
    )


async def call_action(
    hass: HomeAssistant, service: str, data: dict[str, Any], *, response: bool = True
) -> dict[str, Any]:
    """Call one of the integration's actions (blocking); its response ({} without one)."""
    result = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response
    )
    if not response:
        return {}
    assert isinstance(result, dict)
    return result


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """Return the entity's current state (it must have one)."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def enable_entities(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Enable every disabled-by-default entity of the entry (not reloaded yet)."""
    registry = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
        if entity.disabled_by is not None:
            registry.async_update_entity(entity.entity_id, disabled_by=None)


async def enable_all(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Enable every disabled-by-default entity of the entry, then reload it."""
    enable_entities(hass, entry)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


async def snapshot_domain(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
    domain: str,
) -> None:
    """Snapshot registry entries and states of one platform of the entry."""
    registry = er.async_get(hass)
    entities = sorted(
        (
            e
            for e in er.async_entries_for_config_entry(registry, entry.entry_id)
            if e.domain == domain
        ),
        key=lambda e: e.entity_id,
    )
    assert entities
    for entity in entities:
        assert entity == snapshot(name=f"{entity.entity_id}-entry")
        assert entity.disabled_by is None
        state = hass.states.get(entity.entity_id)
        assert state is not None
        assert state == snapshot(name=f"{entity.entity_id}-state")


async def read(sim: RouterSimulator, action: str) -> dict[str, Any]:
    """Raw output of a Get action (not through our client)."""
    async with aiohttp.ClientSession() as session:
        answer = await jnap(session, sim.url, action, {}, password=PASSWORD)
    assert answer["result"] == "OK"
    output: dict[str, Any] = answer["output"]
    return output
