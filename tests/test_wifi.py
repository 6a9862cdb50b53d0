"""Main Wi-Fi per radio, the router's Wi-Fi schedule and automatic firmware updates.

Through Home Assistant against the simulator over HTTP: each write changes only what it
says (the simulator's whole state compared as JSON), bad input and router refusals change
nothing, and an unserved service means no entity and no request.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.linksys_jnap.const import DOMAIN
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import call_action, call_service, entity_id, poll, state_of
from tests.simulator import Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory

SWITCH = Platform.SWITCH
RADIO_SET = "wirelessap/SetRadioSettings3"
SCHEDULER_SET = "wirelessscheduler/SetWirelessSchedulerSettings"
FIRMWARE_SET = "firmwareupdate/SetFirmwareUpdateSettings"


def world(sim: RouterSimulator) -> dict[str, Any]:
    """Return the simulator's whole state as JSON (what a write must leave alone)."""
    state: dict[str, Any] = json.loads(
        json.dumps(dataclasses.asdict(sim.state), default=str)
    )
    return state


def sent(sim: RouterSimulator) -> set[str]:
    """Every action the router was asked for."""
    return {action for request in sim.requests for action in request.actions}


async def switch(hass: HomeAssistant, service: str, target: str) -> None:
    await call_service(hass, SWITCH, service, target)


# ---------------------------------------------------------------- radios


@pytest.mark.parametrize("profile", ["smartwifi", "velop"])
async def test_radio_switch_changes_only_its_radio(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    profile: str,
) -> None:
    sim = await router_factory(profile=profile, password=PASSWORD, clients=3, seed=4)
    await setup_integration(sim)
    for index, radio in enumerate(sim.state.radios):
        target = entity_id(hass, sim, SWITCH, f"main_wifi_{radio.radio_id}")
        assert state_of(hass, target) == STATE_ON
        before = world(sim)
        await switch(hass, SERVICE_TURN_OFF, target)
        after = world(sim)
        assert after["radios"][index]["settings"]["is_enabled"] is False
        # SSID, security, passphrase, channels and every other radio: byte-identical.
        after["radios"][index]["settings"]["is_enabled"] = True
        assert after == before
        assert state_of(hass, target) == STATE_OFF
        await switch(hass, SERVICE_TURN_ON, target)
        assert world(sim) == before
        assert state_of(hass, target) == STATE_ON
    # The Set carried every radio and no band-steering member (not supported here).
    body = sim.write_log[-1].request
    assert set(body) == {"radios"}
    assert [r["radioID"] for r in body["radios"]] == [
        r.radio_id for r in sim.state.radios
    ]


async def test_radio_switch_names(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    sim = await router_factory(profile="velop", password=PASSWORD, clients=1)
    await setup_integration(sim)
    names = {
        radio.radio_id: hass.states.get(
            entity_id(hass, sim, SWITCH, f"main_wifi_{radio.radio_id}")
        ).name  # type: ignore[union-attr]
        for radio in sim.state.radios
    }
    assert names == {
        "RADIO_2.4GHz": "Linksys MX4200 Wi-Fi 2.4 GHz",
        "RADIO_5GHz": "Linksys MX4200 Wi-Fi 5 GHz",
        "RADIO_5GHz_2": "Linksys MX4200 Wi-Fi 5 GHz 2",
    }


@pytest.mark.parametrize(
    ("mode", "allowed"),
    [("Basic", {"RADIO_2.4GHz"}), ("TriBand", set())],
)
async def test_band_steering_joins_radios(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    mode: str,
    allowed: set[str],
) -> None:
    """wirelessap.lua: the radios band steering joins stay alike; the Set says so."""
    sim = await router_factory(profile="velop", password=PASSWORD, clients=1)
    steering = sim.state.band_steering
    steering.is_supported, steering.is_enabled, steering.mode = True, True, mode
    # Joined radios are alike (one network): one passphrase, as the Set keeps them.
    for radio in sim.state.radios:
        radio.settings.passphrase = "one-network-42"
    await setup_integration(sim)
    for radio in sim.state.radios:
        target = entity_id(hass, sim, SWITCH, f"main_wifi_{radio.radio_id}")
        before = world(sim)
        if radio.radio_id in allowed:
            await switch(hass, SERVICE_TURN_OFF, target)
            assert state_of(hass, target) == STATE_OFF
            body = sim.write_log[-1].request
            assert body["isBandSteeringEnabled"] is True
            assert body["bandSteeringMode"] == mode
            continue
        writes = len(sim.write_log)
        with pytest.raises(HomeAssistantError) as err:
            await switch(hass, SERVICE_TURN_OFF, target)
        assert err.value.translation_key == "band_steering_joined"
        assert len(sim.write_log) == writes
        assert world(sim) == before
        assert state_of(hass, target) == STATE_ON


async def test_band_steering_refusal_from_the_router_is_translated(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    """Joined radios that already differ: the router refuses any Set; translated."""
    sim = await router_factory(profile="velop", password=PASSWORD, clients=1)
    steering = sim.state.band_steering
    steering.is_supported, steering.is_enabled, steering.mode = True, True, "Basic"
    await setup_integration(sim)
    # The 2.4 GHz radio is not joined in Basic mode: the client sends, the router refuses
    # (its 5 GHz radios have different passphrases here).
    target = entity_id(hass, sim, SWITCH, "main_wifi_RADIO_2.4GHz")
    before = world(sim)
    with pytest.raises(HomeAssistantError) as err:
        await switch(hass, SERVICE_TURN_OFF, target)
    assert err.value.translation_key == "band_steering_joined"
    assert world(sim) == before
    assert sim.write_log == []
    assert RADIO_SET in sent(sim)


async def test_router_refusals_leave_the_radios_as_they_were(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    sim = await router_factory(password=PASSWORD, clients=2)
    await setup_integration(sim)
    target = entity_id(hass, sim, SWITCH, "main_wifi_RADIO_5GHz")
    # wirelessap.lua isConflictingSSID: an enabled guest radio with the main SSID.
    sim.state.guest.radios[0].guest_ssid = sim.state.radios[1].settings.ssid
    before = world(sim)
    with pytest.raises(HomeAssistantError) as err:
        await switch(hass, SERVICE_TURN_OFF, target)
    assert err.value.translation_key == "guest_ssid_conflict"
    assert world(sim) == before
    # Busy: _ErrorNotReady.
    sim.state.guest.radios[0].guest_ssid = "guests"
    before = world(sim)
    sim.inject(Fault.NOT_READY, action=RADIO_SET, times=1)
    with pytest.raises(HomeAssistantError) as err:
        await switch(hass, SERVICE_TURN_OFF, target)
    assert err.value.translation_key == "router_busy"
    assert world(sim) == before
    assert sim.write_log == []
    assert state_of(hass, target) == STATE_ON


async def test_no_radio_switch_without_set_radio_settings3(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    """The legacy profile lists WirelessAP only: no SetRadioSettings3, no switch.

    Nor is GetRadioInfo polled: the radios are read only for their switches.
    """
    sim = await router_factory(profile="legacy", password=PASSWORD, clients=2)
    entry = await setup_integration(sim)
    keys = {
        e.unique_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    assert not [k for k in keys if "main_wifi" in k]
    assert RADIO_SET not in sent(sim)
    assert not [a for a in sent(sim) if a.startswith("wirelessap/GetRadioInfo")]


# ---------------------------------------------------------------- Wi-Fi schedule


async def wifi_schedule(
    hass: HomeAssistant, entry: MockConfigEntry, **data: Any
) -> dict[str, Any]:
    return await call_action(
        hass, "set_wifi_schedule", {"config_entry_id": entry.entry_id, **data}
    )


async def test_set_wifi_schedule_writes_only_the_schedule(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    before = world(router)
    target = entity_id(hass, router, SWITCH, "wifi_schedule")
    assert state_of(hass, target) == STATE_OFF
    response = await wifi_schedule(
        hass, init_integration, days=["monday"], start="22:00", end="07:00"
    )
    after = world(router)
    ws = after.pop("wireless_scheduler")
    expected = before.pop("wireless_scheduler")
    assert after == before
    # 1 is Wi-Fi on: Monday from 22:00, Tuesday until 07:00.
    assert ws["schedule"]["monday"] == "1" * 44 + "0" * 4
    assert ws["schedule"]["tuesday"] == "0" * 14 + "1" * 34
    assert ws["is_enabled"] is True
    # None configured before: every main radio the router schedules.
    assert ws["configured"] == [["RADIO_2.4GHz", False], ["RADIO_5GHz", False]]
    assert {k: v for k, v in ws.items() if k not in ("schedule", "is_enabled")} == {
        k: v for k, v in expected.items() if k not in ("schedule", "is_enabled")
    } | {"configured": ws["configured"]}
    assert response == {
        "enabled": True,
        "wifi_off": {
            "sunday": [],
            "monday": ["22:00-24:00"],
            "tuesday": ["00:00-07:00"],
            "wednesday": [],
            "thursday": [],
            "friday": [],
            "saturday": [],
        },
        "radios": ["RADIO_2.4GHz", "RADIO_5GHz"],
    }
    assert state_of(hass, target) == STATE_ON
    # The Set carries exactly the three members the firmware takes.
    assert set(router.write_log[-1].request) == {
        "isWirelessSchedulerEnabled",
        "wirelessSchedule",
        "configuredRadios",
    }

    # Added to it, for one radio; the guest entries stay.
    router.state.wireless_scheduler.configured.append(("RADIO_5GHz", True))
    await wifi_schedule(
        hass,
        init_integration,
        days=["sunday"],
        start="12:00",
        end="13:00",
        replace=False,
        radios=["RADIO_5GHz"],
    )
    ws_state = router.state.wireless_scheduler
    assert ws_state.schedule["monday"] == "1" * 44 + "0" * 4
    assert ws_state.schedule["sunday"] == "1" * 24 + "00" + "1" * 22
    assert ws_state.configured == [("RADIO_5GHz", False), ("RADIO_5GHz", True)]


async def test_wifi_schedule_switch_changes_only_the_flag(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    router.state.wireless_scheduler.schedule["friday"] = "0" * 12 + "1" * 36
    router.state.wireless_scheduler.configured = [("RADIO_2.4GHz", True)]
    target = entity_id(hass, router, SWITCH, "wifi_schedule")
    before = world(router)
    await switch(hass, SERVICE_TURN_ON, target)
    after = world(router)
    assert after["wireless_scheduler"]["is_enabled"] is True
    after["wireless_scheduler"]["is_enabled"] = False
    assert after == before
    assert state_of(hass, target) == STATE_ON
    await switch(hass, SERVICE_TURN_OFF, target)
    assert world(router) == before


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"start": "22:15", "end": "07:00"}, "schedule_half_hours"),
        (
            {"start": "22:00", "end": "07:00", "radios": ["RADIO_60GHz"]},
            "unknown_wifi_radio",
        ),
        # The router does not schedule the second 5 GHz radio (wirelessscheduler.lua).
        (
            {"start": "22:00", "end": "07:00", "radios": ["RADIO_5GHz_2"]},
            "unknown_wifi_radio",
        ),
    ],
)
async def test_bad_wifi_schedule_is_refused_and_nothing_written(
    hass: HomeAssistant,
    router: RouterSimulator,
    init_integration: MockConfigEntry,
    data: dict[str, Any],
    key: str,
) -> None:
    before = world(router)
    with pytest.raises(ServiceValidationError) as err:
        await wifi_schedule(hass, init_integration, days=["monday"], **data)
    assert err.value.translation_key == key
    assert world(router) == before
    assert router.write_log == []


async def test_wifi_schedule_refused_by_the_router_leaves_it(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    before = world(router)
    router.inject(Fault.NOT_READY, action=SCHEDULER_SET, times=1)
    with pytest.raises(HomeAssistantError) as err:
        await wifi_schedule(
            hass, init_integration, days=["monday"], start="22:00", end="07:00"
        )
    assert err.value.translation_key == "router_busy"
    assert world(router) == before


async def test_no_wifi_schedule_where_unserved(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    """The velop profile lists no wirelessscheduler: no switch, no request, refused."""
    sim = await router_factory(profile="velop", password=PASSWORD, clients=2)
    entry = await setup_integration(sim)
    serial = sim.state.device_info.serial_number
    registry = er.async_get(hass)
    assert (
        registry.async_get_entity_id(SWITCH, DOMAIN, f"{serial}_wifi_schedule") is None
    )
    assert not [a for a in sent(sim) if a.startswith("wirelessscheduler/")]
    with pytest.raises(ServiceValidationError) as err:
        await wifi_schedule(hass, entry, days=["monday"], start="22:00", end="07:00")
    assert err.value.translation_key == "wifi_schedule_unavailable"
    assert not [a for a in sent(sim) if a.startswith("wirelessscheduler/")]


# ---------------------------------------------------------------- automatic updates


async def test_auto_update_switch_keeps_the_window(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    sim = await router_factory(password=PASSWORD, clients=2)
    sim.state.firmware.window_start_minute = 150
    sim.state.firmware.window_duration_minutes = 0
    await setup_integration(sim)
    target = entity_id(hass, sim, SWITCH, "auto_firmware_update")
    assert state_of(hass, target) == STATE_ON
    before = world(sim)
    await switch(hass, SERVICE_TURN_OFF, target)
    assert sim.write_log[-1].request == {
        "updatePolicy": "Manual",
        "autoUpdateWindow": {"startMinute": 150, "durationMinutes": 0},
    }
    after = world(sim)
    assert after["firmware"]["update_policy"] == "Manual"
    after["firmware"]["update_policy"] = "AutomaticallyCheckAndInstall"
    assert after == before
    assert state_of(hass, target) == STATE_OFF
    await switch(hass, SERVICE_TURN_ON, target)
    assert world(sim) == before
    assert state_of(hass, target) == STATE_ON


async def test_check_only_policy_is_off_and_left_alone(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    sim = await router_factory(password=PASSWORD, clients=2)
    sim.state.firmware.update_policy = "AutomaticallyCheck"
    await setup_integration(sim)
    target = entity_id(hass, sim, SWITCH, "auto_firmware_update")
    assert state_of(hass, target) == STATE_OFF
    await switch(hass, SERVICE_TURN_OFF, target)
    assert sim.write_log == []
    assert sim.state.firmware.update_policy == "AutomaticallyCheck"


async def test_auto_update_refused_by_the_router_leaves_it(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    target = entity_id(hass, router, SWITCH, "auto_firmware_update")
    before = world(router)
    router.inject(Fault.NOT_READY, action=FIRMWARE_SET, times=1)
    with pytest.raises(HomeAssistantError) as err:
        await switch(hass, SERVICE_TURN_OFF, target)
    assert err.value.translation_key == "router_busy"
    assert world(router) == before
    assert state_of(hass, target) == STATE_ON


async def test_no_auto_update_switch_without_firmware_update(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    sim = await router_factory(password=PASSWORD, clients=2)
    sim.remove_service("firmwareupdate/FirmwareUpdate")
    await setup_integration(sim)
    serial = sim.state.device_info.serial_number
    assert (
        er.async_get(hass).async_get_entity_id(
            SWITCH, DOMAIN, f"{serial}_auto_firmware_update"
        )
        is None
    )
    assert not [a for a in sent(sim) if a.startswith("firmwareupdate/")]


# ---------------------------------------------------------------- the poll


async def test_settings_are_read_rarely_in_the_one_poll(
    hass: HomeAssistant,
    router: RouterSimulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Radios, schedule and update policy ride in the poll's one request, every 10th."""
    router.requests.clear()
    for _ in range(10):
        await poll(hass, freezer)
    posts = [set(r.actions) for r in router.requests]
    assert len(posts) == 10
    rare = {
        "wirelessap/GetRadioInfo3",
        "wirelessscheduler/GetWirelessSchedulerSettings",
        "firmwareupdate/GetFirmwareUpdateSettings",
    }
    assert sum(1 for actions in posts if rare <= actions) == 1
    assert all(not rare & actions or rare <= actions for actions in posts)
