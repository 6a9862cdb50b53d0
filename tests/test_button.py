"""Buttons: restart outage and return with simulated time, firmware check, errors."""

from __future__ import annotations

import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON, SERVICE_PRESS
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.linksys_jnap.const import (
    FAST_POLL_LIMIT,
    FAST_SCAN_INTERVAL,
    SCAN_INTERVAL,
)
from tests.helpers import (
    call_service,
    coordinator_of,
    entity_id,
    snapshot_domain,
    state_of,
    tick,
)
from tests.simulator import Fault, RouterSimulator


async def press(hass: HomeAssistant, target: str) -> None:
    await call_service(hass, BUTTON, SERVICE_PRESS, target)


async def test_snapshot(
    hass: HomeAssistant, snapshot_entry: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    await snapshot_domain(hass, snapshot_entry, snapshot, BUTTON)


async def test_reboot_outage_and_return(
    hass: HomeAssistant,
    router: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    coordinator = coordinator_of(init_integration)
    target = entity_id(hass, router, BUTTON, "reboot")
    leds = entity_id(hass, router, "switch", "leds")
    boots = router.state.boot_count
    caplog.clear()

    await press(hass, target)
    assert router.write_log[-1].action == "core/Reboot"
    assert router.is_down
    assert state_of(hass, leds) == STATE_UNAVAILABLE
    assert coordinator.update_interval == FAST_SCAN_INTERVAL

    # Down for its 60 s: fast polls fail quietly.
    for _ in range(5):
        await tick(hass, freezer, FAST_SCAN_INTERVAL.total_seconds())
        assert state_of(hass, leds) == STATE_UNAVAILABLE
    await tick(hass, freezer, 15)
    await tick(hass, freezer, FAST_SCAN_INTERVAL.total_seconds())
    assert not router.is_down
    assert router.state.boot_count == boots + 1
    assert state_of(hass, leds) == "on"
    assert coordinator.update_interval == SCAN_INTERVAL
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    # No reload: the same coordinator kept going.
    assert coordinator_of(init_integration) is coordinator


async def test_check_for_firmware_update(
    hass: HomeAssistant,
    router: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    coordinator = coordinator_of(init_integration)
    target = entity_id(hass, router, BUTTON, "check_firmware_update")
    last_check = router.state.firmware.last_check_time

    await press(hass, target)
    assert router.write_log[-1].request == {"onlyCheck": True}
    status = coordinator.data.firmware_update
    assert status is not None
    assert status.pending_operation is not None
    assert status.pending_operation.operation == "Checking"
    assert coordinator.update_interval == FAST_SCAN_INTERVAL

    await tick(hass, freezer, FAST_SCAN_INTERVAL.total_seconds())
    assert router.state.firmware.last_check_time != last_check
    assert coordinator.data.firmware_update.pending_operation is None
    assert coordinator.update_interval == SCAN_INTERVAL


async def test_failed_press_keeps_normal_polling(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    target = entity_id(hass, router, BUTTON, "reboot")
    router.inject(Fault.NOT_READY, action="core/Reboot")
    with pytest.raises(HomeAssistantError) as err:
        await press(hass, target)
    assert err.value.translation_key == "router_busy"
    assert not router.is_down
    assert coordinator_of(init_integration).update_interval == SCAN_INTERVAL


async def test_fast_polling_gives_up_after_its_limit(
    hass: HomeAssistant,
    router: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    coordinator = coordinator_of(init_integration)
    router.reboot_downtime = 3600
    await press(hass, entity_id(hass, router, BUTTON, "reboot"))
    assert coordinator.update_interval == FAST_SCAN_INTERVAL
    await tick(hass, freezer, FAST_POLL_LIMIT.total_seconds())
    assert coordinator.update_interval == SCAN_INTERVAL
    await router.finish_reboot()
