"""Sensors against the simulator (the WAN binary sensor is checked here too)."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.linksys_jnap.const import DOMAIN
from custom_components.linksys_jnap.snapshot import band_option
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import enable_all, entity_id, poll, snapshot_domain
from tests.simulator import Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory


async def test_snapshot(
    hass: HomeAssistant, snapshot_entry: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    await enable_all(hass, snapshot_entry)
    await snapshot_domain(hass, snapshot_entry, snapshot, "sensor")


def _state(hass: HomeAssistant, sim: RouterSimulator, key: str) -> str:
    return hass.states.get(entity_id(hass, sim, "sensor", key)).state


async def test_client_counts_follow_the_router(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_integration(router)
    live = list(router.state.connections.values())
    assert _state(hass, router, "clients_connected") == str(len(live))
    wireless = sum(1 for c in live if c.band is not None)
    assert _state(hass, router, "wireless_clients") == str(wireless)
    assert _state(hass, router, "wired_clients") == str(len(live) - wireless)
    assert _state(hass, router, "guest_clients") == str(sum(c.guest for c in live))

    router.add_client("visitor", ["AA:BB:CC:00:00:09"], band="2.4GHz", guest=True)
    await poll(hass, freezer)
    assert _state(hass, router, "clients_connected") == str(len(live) + 1)
    assert _state(hass, router, "guest_clients") == str(sum(c.guest for c in live) + 1)


async def test_wan_down_and_back(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_integration(router)
    connectivity = entity_id(hass, router, "binary_sensor", "wan_connectivity")
    assert _state(hass, router, "wan_status") == "connected"
    assert _state(hass, router, "wan_ip_address") == router.state.wan.ip_address
    assert _state(hass, router, "wan_connection_type") == "DHCP"
    assert hass.states.get(connectivity).state == STATE_ON

    router.set_wan_connected(False)
    await poll(hass, freezer)
    assert _state(hass, router, "wan_status") == "disconnected"
    assert _state(hass, router, "wan_ip_address") == STATE_UNKNOWN
    # Without a connection the detected type remains.
    assert _state(hass, router, "wan_connection_type") == "DHCP"
    assert hass.states.get(connectivity).state == STATE_OFF

    router.inject(Fault.UNEXPECTED, action="router/GetWANStatus2")
    await poll(hass, freezer)
    assert _state(hass, router, "wan_status") == STATE_UNAVAILABLE
    assert hass.states.get(connectivity).state == STATE_UNAVAILABLE


async def test_firmware_version_and_per_client_details(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    sim = await router_factory(profile="velop", password=PASSWORD, clients=3, seed=2)
    entry = await setup_integration(sim)
    await enable_all(hass, entry)
    assert (
        _state(hass, sim, "firmware_version") == sim.state.device_info.firmware_version
    )
    key = sim.add_client("tablet", ["AA:BB:CC:00:00:0A"], band="5GHz", signal=-61)
    await poll(hass, freezer)
    await enable_all(hass, entry)
    assert _state(hass, sim, f"{key}_band") == "5ghz"
    assert _state(hass, sim, f"{key}_signal_strength") == "-61"
    assert float(_state(hass, sim, f"{key}_link_rate")) > 0

    sim.roam("AA:BB:CC:00:00:0A", "2.4GHz")
    await poll(hass, freezer)
    assert _state(hass, sim, f"{key}_band") == "2_4ghz"

    sim.disconnect_client("AA:BB:CC:00:00:0A")
    await poll(hass, freezer)
    assert _state(hass, sim, f"{key}_band") == STATE_UNKNOWN
    assert _state(hass, sim, f"{key}_signal_strength") == STATE_UNKNOWN

    # A client the router forgets loses its sensors.
    sim.delete_device(key)
    await poll(hass, freezer)
    serial = sim.state.device_info.serial_number
    registry = er.async_get(hass)
    assert (
        registry.async_get_entity_id("sensor", DOMAIN, f"{serial}_{key}_band") is None
    )


async def test_without_live_connections_no_counts_or_client_sensors(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    sim = await router_factory(
        profile="smartwifi", password=PASSWORD, clients=3, seed=1
    )
    sim.remove_service("networkconnections/NetworkConnections")
    sim.remove_service("router/Router3")
    sim.remove_service("router/Router")
    entry = await setup_integration(sim)
    domains = {
        (e.domain, e.translation_key)
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.domain in ("sensor", "binary_sensor")
    }
    # The guest network's deadline is not a connection sensor: it stays.
    assert domains == {
        ("binary_sensor", "wps_pairing"),
        ("sensor", "firmware_version"),
        ("sensor", "guest_wifi_ends"),
        ("sensor", "last_boot"),
    }


def test_band_spellings() -> None:
    assert band_option("2.4GHz") == "2_4ghz"
    assert band_option("5GHz") == "5ghz"
    assert band_option("5GHz_2") == "5ghz"
    assert band_option("6GHz") == "6ghz"
    assert band_option("60GHz") is None
    assert band_option(None) is None
    assert band_option("") is None
