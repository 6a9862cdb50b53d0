"""Setup, unload and the router device."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, issue_registry as ir
import pytest

from custom_components.linksys_jnap import async_remove_config_entry_device
from custom_components.linksys_jnap.const import DOMAIN
from custom_components.linksys_jnap.devices import router_title
from custom_components.linksys_jnap.repairs import default_password_issue_id
from tests.conftest import PASSWORD, SetupIntegration, entry_for
from tests.simulator import Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory


async def test_setup_and_unload(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    entry = await setup_integration(router)
    info = router.state.device_info
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, info.serial_number), entry.entry_id
    )
    assert device is not None
    assert device.manufacturer == "Linksys"
    assert device.model_id == info.model_number
    assert device.serial_number == info.serial_number
    assert device.sw_version == info.firmware_version
    assert device.hw_version == info.hardware_version
    assert device.configuration_url == f"http://{router.host}/"
    assert device.connections
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED


async def test_invalid_host_is_a_setup_error(
    hass: HomeAssistant, router: RouterSimulator
) -> None:
    entry = entry_for(router)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_HOST: "127.0.0.1/x"}
    )
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR


async def test_remove_entry_deletes_presence_store(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    hass_storage: dict[str, Any],
) -> None:
    entry = await setup_integration(router)
    assert await hass.config_entries.async_unload(entry.entry_id)
    key = f"{DOMAIN}.{entry.entry_id}.presence"
    assert key in hass_storage
    await hass.config_entries.async_remove(entry.entry_id)
    assert key not in hass_storage


async def test_device_removal_refused_when_router_refuses(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    away_id = router.add_client("away", ["02:AA:00:00:00:03"], online=False)
    entry = await setup_integration(router, options={"consider_home": 0})
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={entry.runtime_data.coordinator.devices.identifier(away_id)},
    )
    router.inject(Fault.UNEXPECTED, action="devicelist/DeleteDevice", times=1)
    assert not await async_remove_config_entry_device(hass, entry, device)


async def test_clients_without_mac_and_helpers(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    no_mac = router.add_client("ghost", [], online=False)
    entry = await setup_integration(router)
    data = entry.runtime_data.coordinator.data
    assert no_mac not in data.clients
    assert data.router_macs
    bare = replace(data, nodes={})
    assert bare.router_macs == ()
    info = entry.runtime_data.coordinator.router
    assert router_title(replace(info, description="Router")) == (
        f"Router {info.model_number}"
    )
    assert router_title(replace(info, description=None, model_number=None)) == (
        "Linksys router"
    )


OPEN_PAIR = ("core/GetDeviceInfo", "core/IsAdminPasswordDefault")


@pytest.mark.parametrize("profile", ["smartwifi", "velop", "legacy"])
async def test_setup_is_two_round_trips(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    profile: str,
) -> None:
    sim = await router_factory(profile=profile, password=PASSWORD, clients=5, seed=4)
    sim.state.admin.is_default = True
    entry = await setup_integration(sim)
    # 1: device info + factory-password flag (open actions, no password);
    # 2: the first poll (password actions). Velop is not asked to mix the two kinds.
    assert [(r.transaction, r.auth, r.status) for r in sim.requests] == [
        (True, "none", 200),
        (True, "ok", 200),
    ]
    assert sim.requests[0].actions == OPEN_PAIR
    assert "core/GetDeviceInfo" not in sim.requests[1].actions
    assert not entry.runtime_data.api.splits_mixed_transactions
    issue = ir.async_get(hass).async_get_issue(DOMAIN, default_password_issue_id(entry))
    assert issue is not None


async def test_setup_survives_a_refused_router_info_transaction(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    # A router answering the combined read with a login page: GetDeviceInfo alone, then
    # the poll; the factory-password check rides in the next poll's transaction.
    router.inject(Fault.HTML_LOGIN, action="core/IsAdminPasswordDefault", times=1)
    entry = await setup_integration(router)
    assert entry.runtime_data.coordinator.router.serial_number == entry.unique_id
    assert [(r.transaction, r.actions) for r in router.requests[:2]] == [
        (True, OPEN_PAIR),
        (False, ("core/GetDeviceInfo",)),
    ]
    assert len(router.requests) == 3
    assert "core/IsAdminPasswordDefault" not in router.requests[-1].actions
    await entry.runtime_data.coordinator.async_refresh()
    assert len(router.requests) == 4
    assert router.requests[-1].actions[-1] == "core/IsAdminPasswordDefault"


async def test_setup_not_ready_when_the_fallback_fails_too(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    router.inject(Fault.HTML_LOGIN, times=2)
    await setup_integration(router, expect=ConfigEntryState.SETUP_RETRY)
    assert len(router.requests) == 2
    assert all(r.auth == "none" for r in router.requests)
