"""Firmware update entity: offer, install through every stage, outage, return, reload."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.update import (
    ATTR_IN_PROGRESS,
    ATTR_INSTALLED_VERSION,
    ATTR_LATEST_VERSION,
    ATTR_RELEASE_SUMMARY,
    ATTR_UPDATE_PERCENTAGE,
    DOMAIN as UPDATE,
    SERVICE_INSTALL,
)
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.linksys_jnap.const import (
    DOMAIN,
    FAST_SCAN_INTERVAL,
    SCAN_INTERVAL,
)
from custom_components.linksys_jnap.coordinator import LinksysJnapCoordinator
from tests.conftest import SetupIntegration
from tests.helpers import call_service, coordinator_of, entity_id, snapshot_domain, tick
from tests.simulator import Fault, RouterSimulator

NEW = "2.0.9.199999"


async def test_snapshot(
    hass: HomeAssistant,
    snapshot_router: RouterSimulator,
    setup_integration: SetupIntegration,
    snapshot: SnapshotAssertion,
) -> None:
    sim = snapshot_router
    sim.offer_firmware(NEW, description="Fixes Wi-Fi drops.")
    entry = await setup_integration(sim)
    await snapshot_domain(hass, entry, snapshot, UPDATE)


async def test_install_through_its_stages(
    hass: HomeAssistant,
    router: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    entry = init_integration
    old = router.state.device_info.firmware_version
    target = entity_id(hass, router, UPDATE, "firmware")
    state = hass.states.get(target)
    assert state.state == STATE_OFF
    assert state.attributes[ATTR_LATEST_VERSION] == old

    router.offer_firmware(NEW, description="Fixes Wi-Fi drops.")
    await tick(hass, freezer, SCAN_INTERVAL.total_seconds())
    state = hass.states.get(target)
    assert state.state == STATE_ON
    assert state.attributes[ATTR_INSTALLED_VERSION] == old
    assert state.attributes[ATTR_LATEST_VERSION] == NEW
    assert state.attributes[ATTR_RELEASE_SUMMARY] == "Fixes Wi-Fi drops."

    await call_service(hass, UPDATE, SERVICE_INSTALL, target)
    assert router.write_log[-1].action == "firmwareupdate/UpdateFirmwareNow"
    assert router.write_log[-1].request == {"onlyCheck": False}
    state = hass.states.get(target)
    assert state.attributes[ATTR_IN_PROGRESS] is True
    coordinator = coordinator_of(entry)
    assert coordinator.update_interval == FAST_SCAN_INTERVAL

    seen: list[tuple[str, int]] = []
    for _ in range(7):
        await tick(hass, freezer, FAST_SCAN_INTERVAL.total_seconds())
        state = hass.states.get(target)
        pending = coordinator.data.firmware_update.pending_operation
        if pending is not None and state.state != STATE_UNAVAILABLE:
            assert state.attributes[ATTR_IN_PROGRESS] is True
            seen.append((pending.operation, state.attributes[ATTR_UPDATE_PERCENTAGE]))
    order = ["Checking", "Downloading", "Installing", "Rebooting"]
    stages = [order.index(op) for op, _ in seen]
    assert stages == sorted(stages)
    stages = [op for op, _ in seen]
    assert {"Downloading", "Installing"} <= set(stages)
    assert all(0 <= pct <= 99 for _, pct in seen)

    # The router answers once more, then restarts with the new firmware.
    for _ in range(10):
        await tick(hass, freezer, FAST_SCAN_INTERVAL.total_seconds())
        if router.state.boot_count and not router.is_down:
            break
    await tick(hass, freezer, FAST_SCAN_INTERVAL.total_seconds())
    await hass.async_block_till_done(wait_background_tasks=True)

    # A new firmware reloads the entry (capabilities may change).
    assert coordinator_of(entry) is not coordinator
    state = hass.states.get(target)
    assert state.state == STATE_OFF
    assert state.attributes[ATTR_INSTALLED_VERSION] == NEW
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, router.state.device_info.serial_number), entry.entry_id
    )
    assert device is not None
    assert device.sw_version == NEW
    assert coordinator_of(entry).update_interval == SCAN_INTERVAL


async def test_failed_install_is_reported(
    hass: HomeAssistant,
    router: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    router.offer_firmware(NEW)
    await tick(hass, freezer, SCAN_INTERVAL.total_seconds())
    target = entity_id(hass, router, UPDATE, "firmware")
    router.inject(Fault.NOT_READY, action="firmwareupdate/UpdateFirmwareNow")
    with pytest.raises(HomeAssistantError) as err:
        await call_service(hass, UPDATE, SERVICE_INSTALL, target)
    assert err.value.translation_key == "router_busy"
    state = hass.states.get(target)
    assert state.state == STATE_ON
    assert state.attributes[ATTR_IN_PROGRESS] is False
    assert coordinator_of(init_integration).update_interval == SCAN_INTERVAL


async def test_plain_check_is_not_an_install(
    hass: HomeAssistant,
    router: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    coordinator = coordinator_of(init_integration)
    await init_integration.runtime_data.api.check_for_firmware_update()
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    target = entity_id(hass, router, UPDATE, "firmware")
    assert coordinator.data.firmware_update.pending_operation
    state = hass.states.get(target)
    assert state.attributes[ATTR_IN_PROGRESS] is False
    assert state.attributes[ATTR_UPDATE_PERCENTAGE] is None


async def _until_back(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    coordinator: LinksysJnapCoordinator,
) -> None:
    # The simulator's outage watcher may end the outage just after a poll was refused.
    for _ in range(4):
        await tick(hass, freezer, SCAN_INTERVAL.total_seconds())
        if coordinator.last_update_success:
            return


async def test_outside_reboot_without_new_firmware_does_not_reload(
    hass: HomeAssistant,
    router: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    coordinator = coordinator_of(init_integration)
    await router.reboot(downtime=45)
    await tick(hass, freezer, SCAN_INTERVAL.total_seconds())
    assert not coordinator.last_update_success
    await _until_back(hass, freezer, coordinator)
    assert coordinator.last_update_success
    assert coordinator_of(init_integration) is coordinator
    # The firmware re-read after the return can fail without harm.
    router.inject(Fault.HTTP_500, times=1)
    await router.reboot(downtime=45)
    await tick(hass, freezer, SCAN_INTERVAL.total_seconds())
    router.inject(Fault.HTTP_500, action="core/GetDeviceInfo", times=1)
    await _until_back(hass, freezer, coordinator)
    assert coordinator.last_update_success
    assert coordinator_of(init_integration) is coordinator
