"""Coordinator: one round trip per poll, incremental device list, errors, write helper."""

from __future__ import annotations

from datetime import timedelta
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import (
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
    STATE_UNAVAILABLE,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.linksys_jnap.const import SCAN_INTERVAL
from custom_components.linksys_jnap.entity import async_router_write
from tests.conftest import PASSWORD, SetupIntegration, entry_for
from tests.helpers import coordinator_of, poll
from tests.simulator import Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory


def _any_tracker(hass: HomeAssistant) -> str:
    return hass.states.async_entity_ids("device_tracker")[0]


async def test_one_round_trip_per_poll_and_idle_poll_writes_nothing(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = await setup_integration(router)
    writes: list[Event] = []
    hass.bus.async_listen(EVENT_STATE_CHANGED, writes.append)
    hass.bus.async_listen(
        EVENT_STATE_REPORTED, writes.append, event_filter=callback(lambda _data: True)
    )
    router.reset_counters()

    await poll(hass, freezer)
    assert len(router.requests) == 1, [(r.actions, r.time) for r in router.requests]
    request = router.requests[0]
    assert request.transaction
    assert request.auth == "ok"
    assert "devicelist/GetDevices" in request.actions
    assert "networkconnections/GetNetworkConnections" in request.actions
    assert "router/GetWANStatus2" in request.actions
    assert writes == []

    await poll(hass, freezer)
    assert len(router.requests) == 2
    assert writes == []
    coordinator = coordinator_of(entry)
    assert coordinator.actions["devices"] == "devicelist/GetDevices"


async def test_incremental_device_list(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    first_revision = coordinator.data.revision
    device_id = router.add_client("newphone", ["AA:BB:CC:00:00:01"])
    await poll(hass, freezer)
    assert device_id in coordinator.data.clients
    assert coordinator.data.clients[device_id].connected
    assert coordinator.data.revision is not None
    assert first_revision is not None
    assert coordinator.data.revision > first_revision
    # Everything known before the incremental read is still there.
    assert len(coordinator.data.clients) == 13
    assert coordinator.data.client_for_mac("aa:bb:cc:00:00:01") is not None
    assert coordinator.data.client_for_mac("00:00:00:00:00:00") is None


async def test_revision_going_back_rereads_everything(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    router.state.revision = 0  # e.g. the router was reset
    router.reset_counters()
    await poll(hass, freezer)
    # One request a poll: that answer is not merged, the next poll reads the whole list.
    assert len(router.requests) == 1
    assert len(coordinator.data.clients) == 12
    await poll(hass, freezer)
    assert len(router.requests) == 2
    assert router.requests[1].transaction
    assert coordinator.data.revision == router.state.revision
    assert len(coordinator.data.clients) == 12


async def test_failed_part_keeps_clients_and_reads_fully_next(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    presence = {k: c.connected for k, c in coordinator.data.clients.items()}
    # The first part fails and aborts the rest: a poll without answers fails (never a
    # second request); the clients stay, and the next poll reads the device list whole,
    # last in the transaction.
    router.inject(Fault.UNEXPECTED, action="devicelist/GetDevices", times=1)
    router.reset_counters()
    await poll(hass, freezer)
    assert not coordinator.last_update_success
    assert len(router.requests) == 1
    assert len(coordinator.data.clients) == 12
    router.reset_counters()
    await poll(hass, freezer)
    assert coordinator.last_update_success
    assert router.requests[0].actions[-1] == "devicelist/GetDevices"
    assert len(coordinator.data.clients) == 12

    router.inject(
        Fault.UNEXPECTED, action="networkconnections/GetNetworkConnections", times=1
    )
    await poll(hass, freezer)
    assert "connections" in coordinator.data.failed_parts
    # Presence is kept from the last good read.
    assert {k: c.connected for k, c in coordinator.data.clients.items()} == presence
    router.reset_counters()
    await poll(hass, freezer)
    assert coordinator.data.failed_parts == frozenset()


async def test_unreachable_then_back_logs_once(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_integration(router)
    entity_id = _any_tracker(hass)
    router.inject(Fault.HTTP_500, times=2)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        await poll(hass, freezer)
        assert hass.states.get(entity_id).state == STATE_UNAVAILABLE
        await poll(hass, freezer)
        await poll(hass, freezer)
        assert hass.states.get(entity_id).state != STATE_UNAVAILABLE
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "recovered" in caplog.text
    assert "correct horse" not in caplog.text


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (Fault.TIMEOUT, "did not answer in time"),
        (Fault.CONNECTION_REFUSED, "Failed to connect"),
        (Fault.NO_RESULT, "Unexpected answer"),
    ],
)
async def test_poll_errors_are_translated(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    fault: Fault,
    message: str,
) -> None:
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    coordinator.api._timeout = 0.2  # a short wait for the timeout fault
    router.inject(fault, times=1, seconds=0.5)
    await coordinator.async_refresh()
    assert not coordinator.last_update_success
    assert message in str(coordinator.last_exception)


async def test_auth_error_starts_reauth_and_stops_sending_the_password(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = await setup_integration(router)
    router.set_admin_password("changed")
    router.reset_counters()
    for _ in range(5):
        await poll(hass, freezer)
    assert sum(1 for r in router.requests if r.auth == "bad") == 1
    # A manual refresh does not try either.
    await coordinator_of(entry).async_refresh()
    assert sum(1 for r in router.requests if r.auth == "bad") == 1
    flows = hass.config_entries.flow.async_progress_by_handler(entry.domain)
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]
    # A write does not try the password either.
    with pytest.raises(HomeAssistantError) as err:
        await async_router_write(
            coordinator_of(entry), entry.runtime_data.api.set_leds_enabled, False
        )
    assert err.value.translation_key == "auth_failed"
    assert sum(1 for r in router.requests if r.auth == "bad") == 1


async def test_throttled_at_setup_asks_for_reauth(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    router.state.admin.failures = 5
    router.state.admin.delay_until = router.clock() + 30
    entry = await setup_integration(router, expect=ConfigEntryState.SETUP_ERROR)
    assert any(entry.async_get_active_flows(hass, {SOURCE_REAUTH}))


async def test_setup_not_ready(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    router.inject(Fault.CONNECTION_REFUSED, seconds=60)
    await setup_integration(router, expect=ConfigEntryState.SETUP_RETRY)


async def test_setup_not_ready_on_bad_answer(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    # Both the combined read and its plain GetDeviceInfo fallback get a login page.
    router.inject(Fault.HTML_LOGIN, times=2)
    await setup_integration(router, expect=ConfigEntryState.SETUP_RETRY)


async def test_other_router_at_the_address(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    entry = entry_for(router)
    entry.add_to_hass(hass)
    router.state.device_info.serial_number = "SOMEONEELSE"
    router.reset_counters()
    await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    # Our password was not sent to it.
    assert all(r.auth == "none" for r in router.requests)


async def test_write_helper(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    client = entry.runtime_data.api
    assert coordinator.data.leds is not None
    assert coordinator.data.leds.is_switchport_led_enabled

    await async_router_write(coordinator, client.set_leds_enabled, False)
    assert coordinator.data.leds is not None
    assert not coordinator.data.leds.is_switchport_led_enabled

    router.inject(Fault.NOT_READY, action="routerleds/SetRouterLEDSettings", times=1)
    with pytest.raises(HomeAssistantError) as err:
        await async_router_write(coordinator, client.set_leds_enabled, True)
    assert err.value.translation_key == "router_busy"

    router.inject(Fault.UNEXPECTED, action="routerleds/SetRouterLEDSettings", times=1)
    with pytest.raises(HomeAssistantError) as err:
        await async_router_write(coordinator, client.set_leds_enabled, True)
    assert err.value.translation_key == "write_failed"

    router.inject(Fault.CONNECTION_REFUSED, seconds=1)
    with pytest.raises(HomeAssistantError) as err:
        await async_router_write(coordinator, client.set_leds_enabled, True)
    assert err.value.translation_key == "cannot_connect"
    router.clear_faults()
    await router.finish_reboot()

    # Guest SSID equal to a main SSID is refused by the router as invalid input.
    with pytest.raises(HomeAssistantError) as err:
        await async_router_write(
            coordinator,
            client.set_device_properties,
            "no-such-device",
            {"userDeviceName": "x"},
        )
    assert err.value.translation_key == "client_gone"

    router.remove_service("http://linksys.com/jnap/routerleds/RouterLEDs")
    client.capabilities.mark_unsupported("routerleds/SetRouterLEDSettings")  # type: ignore[union-attr]
    with pytest.raises(HomeAssistantError) as err:
        await async_router_write(coordinator, client.set_leds_enabled, True)
    assert err.value.translation_key == "unsupported_action"


async def test_write_auth_error_starts_reauth(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    entry = await setup_integration(router)
    router.set_admin_password("changed")
    with pytest.raises(HomeAssistantError) as err:
        await async_router_write(
            coordinator_of(entry), entry.runtime_data.api.set_leds_enabled, False
        )
    assert err.value.translation_key == "auth_failed"
    await hass.async_block_till_done()
    assert any(entry.async_get_active_flows(hass, {SOURCE_REAUTH}))
    assert coordinator_of(entry).auth_failed


async def test_invalid_input_write(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    router = await router_factory(password="correct horse", profile="velop")
    entry = await setup_integration(router)
    client = entry.runtime_data.api
    with pytest.raises(HomeAssistantError) as err:
        await async_router_write(
            coordinator_of(entry),
            client.set_firmware_update_settings,
            "Manual",
            1440,
            60,
        )
    # firmwareupdate.lua setAutoUpdateWindow: the start is a minute of the day (0-1439).
    assert err.value.translation_key == "write_failed"


async def test_poll_interval(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    entry = await setup_integration(router)
    assert coordinator_of(entry).update_interval == timedelta(seconds=30)


@pytest.mark.parametrize("profile", ["smartwifi", "velop"])
async def test_one_request_per_poll_interval_across_the_hour_and_an_outage(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
    profile: str,
) -> None:
    # Two hours of polls with a router reboot in between: the hourly factory-password
    # check and the firmware re-read after the outage ride in a poll's one POST (velop
    # too, whose mixed-authorization refusal spares the app's open actions).
    router = await router_factory(password=PASSWORD, profile=profile, clients=6)
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    interval = SCAN_INTERVAL.total_seconds()
    per_interval: list[tuple[str, ...]] = []
    for step in range(int(2 * 3600 / interval) + 2):
        if step == 100:
            await router.reboot(downtime=45)
        router.reset_counters()
        await poll(hass, freezer)
        assert len(router.requests) <= 1, router.requests
        per_interval += [r.actions for r in router.requests]
        assert all(r.transaction and r.auth == "ok" for r in router.requests)
    assert coordinator.last_update_success
    assert coordinator_of(entry) is coordinator  # same firmware: no reload
    checks = [a for a in per_interval if "core/IsAdminPasswordDefault" in a]
    rereads = [a for a in per_interval if "core/GetDeviceInfo" in a]
    assert len(checks) == 2  # once an hour
    assert len(rereads) == 1  # the first good poll after the outage
    assert all(len(a) > 2 for a in checks + rereads)
