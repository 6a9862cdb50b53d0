"""Service actions through Home Assistant against the simulator: visitor Wi-Fi, schedules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.linksys_jnap.const import DOMAIN
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import (
    call_action,
    call_service,
    coordinator_of,
    enable_all,
    entity_id,
    read,
    state_of,
    tick,
)
from tests.simulator import Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory

GUEST_V1 = "guestnetwork/GetGuestRadioSettings"
GUEST_V2 = "guestnetwork/GetGuestRadioSettings2"
PARENTAL = "parentalcontrol/GetParentalControlSettings"
SCHOOL_NIGHTS = ["sunday", "monday", "tuesday", "wednesday", "thursday"]


async def guest_wifi(
    hass: HomeAssistant, entry: MockConfigEntry, **data: Any
) -> dict[str, Any]:
    return await call_action(
        hass, "set_guest_wifi", {"config_entry_id": entry.entry_id, **data}
    )


def _without_passwords(settings: dict[str, Any]) -> dict[str, Any]:
    keys = ("guestPassword", "guestWPAPassphrase")
    radios = [{k: v for k, v in r.items() if k not in keys} for r in settings["radios"]]
    return {**settings, "radios": radios}


async def test_guest_wifi_for_a_while_with_a_generated_password(
    hass: HomeAssistant,
    router: RouterSimulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = init_integration
    router.state.guest.is_guest_network_enabled = False
    await coordinator_of(entry).async_refresh()
    switch = entity_id(hass, router, Platform.SWITCH, "guest_wifi")
    ends = entity_id(hass, router, Platform.SENSOR, "guest_wifi_ends")
    qr = entity_id(hass, router, Platform.IMAGE, "guest_wifi_qr_code")
    qr_before = state_of(hass, qr)
    before = await read(router, GUEST_V1)
    assert state_of(hass, ends) == STATE_UNKNOWN

    freezer.tick(timedelta(seconds=1))
    response = await guest_wifi(
        hass, entry, enabled=True, duration={"hours": 2}, generate_passphrase=True
    )
    after = await read(router, GUEST_V1)
    password = response["passphrase"]
    # Only the flag and the password changed, on every radio alike.
    assert {r["guestPassword"] for r in after["radios"]} == {password}
    assert _without_passwords(after) == {
        **_without_passwords(before),
        "isGuestNetworkEnabled": True,
    }
    assert len(password) == 16
    assert password.isalnum()
    assert response["enabled"] is True
    assert response["ssid"] == after["radios"][0]["guestSSID"]
    assert response["qr_payload"].startswith("WIFI:")
    assert f"P:{password};" in response["qr_payload"]
    deadline = dt_util.parse_datetime(response["ends_at"])
    assert deadline is not None
    assert abs(deadline - dt_util.utcnow() - timedelta(hours=2)) < timedelta(seconds=1)
    assert state_of(hass, switch) == STATE_ON
    assert dt_util.parse_datetime(state_of(hass, ends)) == deadline
    # The QR image changed with the password, without waiting for a poll.
    assert state_of(hass, qr) != qr_before

    await tick(hass, freezer, timedelta(hours=1, minutes=59).total_seconds())
    assert (await read(router, GUEST_V1))["isGuestNetworkEnabled"] is True
    await tick(hass, freezer, 61)
    assert (await read(router, GUEST_V1))["isGuestNetworkEnabled"] is False
    assert (await read(router, GUEST_V1))["radios"] == after["radios"]
    assert state_of(hass, switch) == STATE_OFF
    assert state_of(hass, ends) == STATE_UNKNOWN


@pytest.mark.parametrize("late", [False, True])
async def test_guest_wifi_deadline_survives_a_restart(
    hass: HomeAssistant,
    router: RouterSimulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    late: bool,
) -> None:
    """Home Assistant stops before the deadline; it is back before or after it."""
    entry = init_integration
    await guest_wifi(hass, entry, enabled=True, duration={"minutes": 30})
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()

    freezer.tick(timedelta(minutes=45 if late else 10))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    ends = entity_id(hass, router, Platform.SENSOR, "guest_wifi_ends")
    if late:
        # Past due while Home Assistant was down: turned off at start-up.
        assert (await read(router, GUEST_V1))["isGuestNetworkEnabled"] is False
        assert state_of(hass, ends) == STATE_UNKNOWN
        return
    assert (await read(router, GUEST_V1))["isGuestNetworkEnabled"] is True
    assert state_of(hass, ends) != STATE_UNKNOWN
    await tick(hass, freezer, timedelta(minutes=21).total_seconds())
    assert (await read(router, GUEST_V1))["isGuestNetworkEnabled"] is False


async def test_guest_wifi_turned_off_elsewhere_drops_the_deadline(
    hass: HomeAssistant,
    router: RouterSimulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = init_integration
    await guest_wifi(hass, entry, enabled=True, duration={"hours": 1})
    ends = entity_id(hass, router, Platform.SENSOR, "guest_wifi_ends")
    await call_service(
        hass,
        Platform.SWITCH,
        SERVICE_TURN_OFF,
        entity_id(hass, router, Platform.SWITCH, "guest_wifi"),
    )
    assert state_of(hass, ends) == STATE_UNKNOWN
    # Turned on again by hand: the old deadline must not switch it off.
    await call_service(
        hass,
        Platform.SWITCH,
        SERVICE_TURN_ON,
        entity_id(hass, router, Platform.SWITCH, "guest_wifi"),
    )
    await tick(hass, freezer, timedelta(hours=2).total_seconds())
    assert (await read(router, GUEST_V1))["isGuestNetworkEnabled"] is True


async def test_guest_wifi_deadline_retried_when_the_router_refuses(
    hass: HomeAssistant,
    router: RouterSimulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = init_integration
    await guest_wifi(hass, entry, enabled=True, duration={"minutes": 5})
    router.inject(Fault.NOT_READY, action="guestnetwork/SetGuestRadioSettings", times=1)
    await tick(hass, freezer, timedelta(minutes=5).total_seconds())
    assert router.state.guest.is_guest_network_enabled is True
    await tick(hass, freezer, 60)
    assert router.state.guest.is_guest_network_enabled is False


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"enabled": True, "passphrase": "short"}, "invalid_guest_passphrase"),
        ({"enabled": True, "passphrase": "x" * 64}, "invalid_guest_passphrase"),
        (
            {"enabled": True, "passphrase": "abcd1234", "generate_passphrase": True},
            "passphrase_and_generate",
        ),
        ({"enabled": False, "duration": {"hours": 1}}, "duration_needs_on"),
    ],
)
async def test_guest_wifi_bad_input_changes_nothing(
    hass: HomeAssistant,
    router: RouterSimulator,
    init_integration: MockConfigEntry,
    data: dict[str, Any],
    key: str,
) -> None:
    writes = len(router.write_log)
    before = await read(router, GUEST_V1)
    with pytest.raises(ServiceValidationError) as err:
        await guest_wifi(hass, init_integration, **data)
    assert err.value.translation_key == key
    assert len(router.write_log) == writes
    assert await read(router, GUEST_V1) == before


@pytest.mark.parametrize("profile", ["velop", "velop_captive"])
async def test_guest_wifi_password_per_mode(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    profile: str,
) -> None:
    """GuestNetwork4: a WPA passphrase, or a captive portal's password (open Wi-Fi QR)."""
    sim = await router_factory(profile=profile, password=PASSWORD, clients=3, seed=2)
    entry = await setup_integration(sim)
    captive = profile == "velop_captive"
    member = "guestPassword" if captive else "guestWPAPassphrase"
    before = await read(sim, GUEST_V2)
    if not captive:
        # 8-63 printable characters: a space is fine on WPA.
        with pytest.raises(ServiceValidationError):
            await guest_wifi(hass, entry, enabled=True, passphrase="1234567")
    new = "Visitors2026" if captive else "our visitors, 2026"
    response = await guest_wifi(hass, entry, enabled=True, passphrase=new)
    after = await read(sim, GUEST_V2)
    assert {r[member] for r in after["radios"]} == {new}
    assert _without_passwords(after) == {
        **_without_passwords(before),
        "isGuestNetworkEnabled": True,
    }
    if captive:
        assert "T:nopass;" in response["qr_payload"]
    else:
        assert "P:our visitors\\, 2026;" in response["qr_payload"]


# --- internet schedules ----------------------------------------------------------------------


async def schedule(hass: HomeAssistant, service: str, **data: Any) -> Any:
    return await call_action(
        hass, service, data, response=service == "set_internet_schedule"
    )


def _free_client(router: RouterSimulator, entry: MockConfigEntry) -> tuple[str, str]:
    """(client key, device id) of a client no user's rule lists."""
    ruled = {m for r in router.state.parental.rules for m in r.mac_addresses}
    client = next(
        c
        for c in coordinator_of(entry).data.clients.values()
        if c.connected and not ruled & set(c.macs)
    )
    serial = router.state.device_info.serial_number
    device = dr.async_get(hass_of(entry)).async_get_device_by_identifier(
        (DOMAIN, f"{serial}_{client.key}"), entry.entry_id
    )
    assert device is not None
    return client.key, device.id


def hass_of(entry: MockConfigEntry) -> HomeAssistant:
    return coordinator_of(entry).hass


async def test_internet_schedule_with_the_internet_access_switch(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    await enable_all(hass, entry)
    key, device_id = _free_client(router, entry)
    client = coordinator_of(entry).data.clients[key]
    access = entity_id(hass, router, Platform.SWITCH, f"{key}_internet_access")
    before = await read(router, PARENTAL)

    response = await schedule(
        hass,
        "set_internet_schedule",
        device_id=device_id,
        days=SCHOOL_NIGHTS,
        start="21:00",
        end="07:00",
    )
    after = await read(router, PARENTAL)
    assert after["rules"][:-1] == before["rules"]  # the user's rules, untouched
    ours = after["rules"][-1]
    assert ours["description"].startswith("HA schedule")
    assert sorted(ours["macAddresses"]) == sorted(client.macs)
    night = "0" * 14 + "1" * 28 + "0" * 6  # 00:00-07:00 and 21:00-24:00 blocked
    assert ours["wanSchedule"] == {
        "sunday": "1" * 42 + "0" * 6,
        "monday": night,
        "tuesday": night,
        "wednesday": night,
        "thursday": night,
        "friday": "0" * 14 + "1" * 34,
        "saturday": "1" * 48,
    }
    assert after["isParentalControlEnabled"] is True
    assert response["active"] is True
    assert response["blocked"]["friday"] == ["00:00-07:00"]
    # A schedule is not "blocked": the switch stays on and shows the schedule.
    assert state_of(hass, access) == STATE_ON
    state = hass.states.get(access)
    assert state is not None
    assert state.attributes["internet_schedule"]["monday"] == [
        "00:00-07:00",
        "21:00-24:00",
    ]

    # Internet access off: a block replaces the schedule rule (one rule per MAC)...
    await call_service(hass, Platform.SWITCH, SERVICE_TURN_OFF, access)
    blocked = (await read(router, PARENTAL))["rules"]
    assert blocked[:-1] == before["rules"]
    assert blocked[-1]["description"].startswith("HA block")
    assert state_of(hass, access) == STATE_OFF
    # ...and on again puts the schedule back.
    await call_service(hass, Platform.SWITCH, SERVICE_TURN_ON, access)
    assert (await read(router, PARENTAL))["rules"] == after["rules"]

    await schedule(hass, "clear_internet_schedule", device_id=device_id)
    cleared = await read(router, PARENTAL)
    assert cleared["rules"] == before["rules"]
    state = hass.states.get(access)
    assert state is not None
    assert "internet_schedule" not in state.attributes


async def test_internet_schedule_refused_while_blocked(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    """A block now holds the client's MACs: a schedule is refused, nothing is written."""
    entry = init_integration
    await enable_all(hass, entry)
    key, device_id = _free_client(router, entry)
    access = entity_id(hass, router, Platform.SWITCH, f"{key}_internet_access")
    await call_service(hass, Platform.SWITCH, SERVICE_TURN_OFF, access)
    blocked = await read(router, PARENTAL)
    writes = len(router.write_log)
    with pytest.raises(ServiceValidationError) as err:
        await schedule(
            hass,
            "set_internet_schedule",
            device_id=device_id,
            days=["saturday"],
            start="12:00",
            end="13:30",
        )
    assert err.value.translation_key == "client_blocked"
    assert "Turn Internet access on first" in str(err.value)
    assert len(router.write_log) == writes
    assert await read(router, PARENTAL) == blocked  # the block stands
    await call_service(hass, Platform.SWITCH, SERVICE_TURN_ON, access)
    assert not [
        r
        for r in (await read(router, PARENTAL))["rules"]
        if r["description"].startswith("HA ")
    ]


async def test_internet_schedule_refusals(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    _key, device_id = _free_client(router, entry)
    writes = len(router.write_log)
    with pytest.raises(ServiceValidationError) as err:
        await schedule(
            hass,
            "set_internet_schedule",
            device_id=device_id,
            days=["monday"],
            start="21:15",
            end="07:00",
        )
    assert err.value.translation_key == "schedule_half_hours"
    # A client in a user's rule: their rule stays theirs (ErrorRulesOverlap otherwise).
    kids = router.state.parental.rules[0]
    client = next(
        c
        for c in coordinator_of(entry).data.clients.values()
        if set(c.macs) & set(kids.mac_addresses)
    )
    serial = router.state.device_info.serial_number
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"{serial}_{client.key}"), entry.entry_id
    )
    assert device is not None
    with pytest.raises(HomeAssistantError) as conflict:
        await schedule(
            hass,
            "set_internet_schedule",
            device_id=device.id,
            days=["monday"],
            start="21:00",
            end="07:00",
        )
    assert conflict.value.translation_key == "rule_conflict"
    router_device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, serial), entry.entry_id
    )
    assert router_device is not None
    with pytest.raises(ServiceValidationError) as not_client:
        await schedule(hass, "clear_internet_schedule", device_id=router_device.id)
    assert not_client.value.translation_key == "not_a_client"
    assert len(router.write_log) == writes


async def test_internet_schedule_removed_on_the_router_is_forgotten(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    key, device_id = _free_client(router, entry)
    await schedule(
        hass,
        "set_internet_schedule",
        device_id=device_id,
        days=["monday"],
        start="21:00",
        end="07:00",
    )
    plans = entry.runtime_data.plans
    assert key in plans.schedules
    router.state.parental.rules = [
        r for r in router.state.parental.rules if not r.description.startswith("HA ")
    ]
    await coordinator_of(entry).async_refresh()
    assert key not in plans.schedules
