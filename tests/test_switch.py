"""Switches against the simulator: every write a safe read-modify-write, nothing else touched."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import (
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.linksys_jnap.const import DOMAIN
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import (
    call_service,
    coordinator_of,
    enable_all,
    entity_id,
    read,
    snapshot_domain,
    state_of,
)
from tests.simulator import Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory

SWITCH = Platform.SWITCH


async def switch(hass: HomeAssistant, service: str, target: str) -> None:
    await call_service(hass, SWITCH, service, target)


async def test_snapshot(
    hass: HomeAssistant, snapshot_entry: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    await enable_all(hass, snapshot_entry)
    await snapshot_domain(hass, snapshot_entry, snapshot, SWITCH)


@pytest.mark.parametrize(
    "case",
    [
        ("guest_wifi", "guestnetwork/GetGuestRadioSettings", "isGuestNetworkEnabled"),
        ("leds", "routerleds/GetRouterLEDSettings", "isSwitchportLEDEnabled"),
        (
            "parental_controls",
            "parentalcontrol/GetParentalControlSettings",
            "isParentalControlEnabled",
        ),
    ],
)
async def test_router_switch_changes_only_its_flag(
    hass: HomeAssistant,
    router: RouterSimulator,
    init_integration: MockConfigEntry,
    case: tuple[str, str, str],
) -> None:
    key, action, flag = case
    target = entity_id(hass, router, SWITCH, key)
    before = await read(router, action)
    assert state_of(hass, target) == (STATE_ON if before[flag] else STATE_OFF)

    for service, value in ((SERVICE_TURN_OFF, False), (SERVICE_TURN_ON, True)):
        await switch(hass, service, target)
        after = await read(router, action)
        assert after == {**before, flag: value}
        # No optimistic state: the refresh after the write shows the router's state.
        assert state_of(hass, target) == (STATE_ON if value else STATE_OFF)


@pytest.mark.parametrize("profile", ["velop", "velop_captive"])
async def test_guest_switch_on_velop_keeps_ssids_and_passphrases(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    profile: str,
) -> None:
    """GuestNetwork4 in both modes: WPA (passphrases, no limit) and captive portal."""
    sim = await router_factory(profile=profile, password=PASSWORD, clients=3, seed=2)
    await setup_integration(sim)
    registry = er.async_get(hass)
    serial = sim.state.device_info.serial_number
    # Velop has no LED action: no LED switch.
    assert registry.async_get_entity_id(SWITCH, DOMAIN, f"{serial}_leds") is None
    target = entity_id(hass, sim, SWITCH, "guest_wifi")
    before = await read(sim, "guestnetwork/GetGuestRadioSettings2")
    await switch(hass, SERVICE_TURN_OFF, target)
    assert await read(sim, "guestnetwork/GetGuestRadioSettings2") == {
        **before,
        "isGuestNetworkEnabled": False,
    }
    assert state_of(hass, target) == STATE_OFF


async def _client_switch(
    hass: HomeAssistant, entry: MockConfigEntry, sim: RouterSimulator, key: str
) -> tuple[str, str]:
    """Enable per-client switches; return (client key, entity id) of an online client."""
    await enable_all(hass, entry)
    ruled = {m for r in sim.state.parental.rules for m in r.mac_addresses}
    # The most MACs among online clients in none of the user's rules.
    client = max(
        (
            c
            for c in coordinator_of(entry).data.clients.values()
            if c.connected and not ruled & set(c.macs)
        ),
        key=lambda c: len(c.macs),
    )
    return client.key, entity_id(hass, sim, SWITCH, f"{client.key}_{key}")


async def test_internet_access_adds_and_removes_only_its_rule(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    key, target = await _client_switch(hass, entry, router, "internet_access")
    client = coordinator_of(entry).data.clients[key]
    router.state.parental.is_parental_control_enabled = False
    before = await read(router, "parentalcontrol/GetParentalControlSettings")
    assert state_of(hass, target) == STATE_ON

    await switch(hass, SERVICE_TURN_OFF, target)
    after = await read(router, "parentalcontrol/GetParentalControlSettings")
    # The user's rules are byte-identical; one rule of ours follows them.
    assert after["rules"][:-1] == before["rules"]
    ours = after["rules"][-1]
    assert sorted(ours["macAddresses"]) == sorted(client.macs)
    assert ours["description"].startswith("HA block")
    assert set(ours["wanSchedule"].values()) == {"0" * 48}
    # Rules are inert while parental control is off, so blocking turns it on.
    assert after["isParentalControlEnabled"] is True
    assert {
        k: v for k, v in after.items() if k not in ("rules", "isParentalControlEnabled")
    } == {
        k: v
        for k, v in before.items()
        if k not in ("rules", "isParentalControlEnabled")
    }
    assert state_of(hass, target) == STATE_OFF

    await switch(hass, SERVICE_TURN_ON, target)
    again = await read(router, "parentalcontrol/GetParentalControlSettings")
    assert again == {**before, "isParentalControlEnabled": True}
    assert state_of(hass, target) == STATE_ON


async def test_internet_access_for_a_name_outside_ascii(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    """Descriptions must be ASCII 32-126 (ErrorInvalidDescription), names need not be."""
    entry = init_integration
    key = router.add_client("John\u2019s iPhone \U0001f4f1", ["02:AB:CD:00:00:01"])
    await coordinator_of(entry).async_refresh()
    await enable_all(hass, entry)
    target = entity_id(hass, router, SWITCH, f"{key}_internet_access")
    await switch(hass, SERVICE_TURN_OFF, target)
    rules = (await read(router, "parentalcontrol/GetParentalControlSettings"))["rules"]
    ours = next(r for r in rules if "02:AB:CD:00:00:01" in r["macAddresses"])
    assert ours["description"].isascii()
    assert "John's iPhone" in ours["description"]
    assert state_of(hass, target) == STATE_OFF


async def test_qos_priority_sets_and_removes_a_device_rule(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    # No firmware reads the urn:cisco-com:ui:qos property: priority is a QoS device rule.
    entry = init_integration
    key, target = await _client_switch(hass, entry, router, "qos_priority")
    client = coordinator_of(entry).data.clients[key]
    before = await read(router, "qos/GetQoSSettings")
    assert state_of(hass, target) == STATE_OFF

    await switch(hass, SERVICE_TURN_ON, target)
    after = await read(router, "qos/GetQoSSettings")
    ours = [r for r in after["deviceRules"] if r["macAddress"] in client.macs]
    assert sorted(r["macAddress"] for r in ours) == sorted(client.macs)
    assert {r["priority"] for r in ours} == {"High"}
    assert after["isQoSEnabled"] is True
    assert [r for r in after["deviceRules"] if r not in ours] == before["deviceRules"]
    assert after["applicationRules"] == before["applicationRules"]
    assert router.state.devices[key].properties.get("urn:cisco-com:ui:qos") is None
    assert state_of(hass, target) == STATE_ON

    await switch(hass, SERVICE_TURN_OFF, target)
    final = await read(router, "qos/GetQoSSettings")
    assert final == {**before, "isQoSEnabled": True}
    assert state_of(hass, target) == STATE_OFF


async def test_busy_router_gives_a_clear_error_and_changes_nothing(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    target = entity_id(hass, router, SWITCH, "guest_wifi")
    before = await read(router, "guestnetwork/GetGuestRadioSettings")
    router.inject(Fault.NOT_READY, action="guestnetwork/SetGuestRadioSettings")
    with pytest.raises(HomeAssistantError) as err:
        await switch(hass, SERVICE_TURN_OFF, target)
    assert err.value.translation_key == "router_busy"
    assert "busy" in str(err.value)
    router.clear_faults()
    assert await read(router, "guestnetwork/GetGuestRadioSettings") == before
    assert state_of(hass, target) == STATE_ON


async def test_refused_password_starts_reauth(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    target = entity_id(hass, router, SWITCH, "leds")
    router.set_admin_password("changed elsewhere")
    with pytest.raises(HomeAssistantError) as err:
        await switch(hass, SERVICE_TURN_OFF, target)
    assert err.value.translation_key == "auth_failed"
    assert router.state.leds.is_switchport_led_enabled is True
    assert any(entry.async_get_active_flows(hass, {SOURCE_REAUTH}))


async def test_parental_part_failing_makes_its_switches_unavailable(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    _key, target = await _client_switch(hass, entry, router, "internet_access")
    parental = entity_id(hass, router, SWITCH, "parental_controls")
    router.inject(Fault.UNEXPECTED, action="parentalcontrol/GetParentalControlSettings")
    await coordinator_of(entry).async_refresh()
    await hass.async_block_till_done()
    assert state_of(hass, target) == STATE_UNAVAILABLE
    assert state_of(hass, parental) == STATE_UNAVAILABLE


async def test_no_parental_writes_with_linksys_shield(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    """With networksecurity the Set is refused or rewrites Shield's settings: no switches."""
    sim = await router_factory(profile="velop", password=PASSWORD, clients=3, seed=2)
    sim.add_service("http://linksys.com/jnap/networksecurity/NetworkSecurity")
    entry = await setup_integration(sim)
    await enable_all(hass, entry)
    registry = er.async_get(hass)
    serial = sim.state.device_info.serial_number
    keys = [
        e.unique_id
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.domain == SWITCH
    ]
    assert f"{serial}_guest_wifi" in keys
    assert not [
        k for k in keys if k.endswith(("_parental_controls", "_internet_access"))
    ]
    assert not [w for w in sim.write_log if w.action.startswith("parentalcontrol/")]
