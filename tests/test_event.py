"""Network events: fired from the snapshots' difference, in step with the trackers."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from custom_components.linksys_jnap.const import CONF_CONSIDER_HOME, DOMAIN
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import poll, tick
from tests.simulator import Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory

MAC = "02:AA:00:00:00:21"


def _events(hass: HomeAssistant, entity_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Record every event the entity fires (its state changes)."""
    seen: list[tuple[str, dict[str, Any]]] = []

    @callback
    def _record(event: Event[Any]) -> None:
        new = event.data["new_state"]
        if event.data["entity_id"] == entity_id and new is not None:
            attributes = dict(new.attributes)
            seen.append((attributes.pop("event_type"), attributes))

    hass.bus.async_listen("state_changed", _record)
    return seen


def _entity(hass: HomeAssistant, router: RouterSimulator) -> str:
    serial = router.state.device_info.serial_number
    entity_id = er.async_get(hass).async_get_entity_id(
        Platform.EVENT, DOMAIN, f"{serial}_network_events"
    )
    assert entity_id is not None
    return entity_id


async def test_connect_new_disconnect_after_consider_home(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_integration(router, options={CONF_CONSIDER_HOME: 180})
    target = _entity(hass, router)
    # The first snapshot is the baseline: nothing fired at start-up.
    assert hass.states.get(target).state == STATE_UNKNOWN  # type: ignore[union-attr]
    events = _events(hass, target)

    key = router.add_client("visitor-phone", [MAC], band="2.4GHz", guest=True)
    await poll(hass, freezer)
    assert [name for name, _ in events] == ["new_client", "client_connected"]
    data = events[0][1]
    assert data["device_id"] == key
    assert data["name"] == "visitor-phone"
    assert data["mac"] == MAC
    assert data["band"] == "2_4ghz"
    assert data["guest"] is True
    assert data["ip_address"]

    router.disconnect_client(MAC)
    await poll(hass, freezer)
    assert len(events) == 2  # still home for consider_home
    await tick(hass, freezer, 180)
    assert [name for name, _ in events][2:] == ["client_disconnected"]
    # Back again: connected, but no longer new.
    router.connect_client(MAC, band="2.4GHz", guest=True)
    await poll(hass, freezer)
    assert [name for name, _ in events][3:] == ["client_connected"]


async def test_nothing_fires_on_reload(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = await setup_integration(router)
    target = _entity(hass, router)
    events = _events(hass, target)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await poll(hass, freezer)
    assert [name for name, _ in events if name] == []


async def test_router_restarted_after_an_outage(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    router = await router_factory(password=PASSWORD, clients=4)
    await setup_integration(router)
    target = _entity(hass, router)
    events = _events(hass, target)
    await router.reboot(90)
    for _ in range(5):  # down for three polls, then back
        await poll(hass, freezer)
    assert "router_restarted" in [name for name, _ in events]


async def test_errors_for_a_while_are_no_restart(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Answers with errors (HTTP 500) for 90 s: the router was up all along."""
    await setup_integration(router)
    events = _events(hass, _entity(hass, router))
    router.inject(Fault.HTTP_500, seconds=90)
    for _ in range(4):
        await poll(hass, freezer)
    router.clear_faults()
    await poll(hass, freezer)
    assert [name for name, _ in events if name] == []
