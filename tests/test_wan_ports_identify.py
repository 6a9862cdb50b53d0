"""Issue 26, features 3-5: reconnect the WAN, Ethernet port links, identify a mesh node.

Through Home Assistant against the simulator over HTTP: what each press sends (and what it
must not), the firmware's refusals, the port sensors following the links, and gating on the
services the router lists.
"""

from __future__ import annotations

import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.button import DOMAIN as BUTTON, SERVICE_PRESS
from homeassistant.const import STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.linksys_jnap.button import IDENTIFY_SECONDS
from custom_components.linksys_jnap.const import FAST_SCAN_INTERVAL, SCAN_INTERVAL
from custom_components.linksys_jnap.jnap.errors import (
    ERROR_INVALID_WAN_TYPE,
    JNAPPreconditionError,
)
from custom_components.linksys_jnap.jnap.models import port_link_mbps
from custom_components.linksys_jnap.jnap.poll import RARELY
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import call_service, coordinator_of, entity_id, poll, state_of, tick
from tests.simulator import Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory

RENEW = "router/RenewDHCPWANLease"
DISCONNECT = "router/DisconnectPPPWAN"
CONNECT = "router/ConnectPPPWAN"
PORTS = "router/GetEthernetPortConnections"
START_BLINK = "nodes/setup/StartBlinkingNodeLed"
STOP_BLINK = "nodes/setup/StopBlinkingNodeLed"


async def press(hass: HomeAssistant, target: str) -> None:
    await call_service(hass, BUTTON, SERVICE_PRESS, target)


def sent(router: RouterSimulator, since: int) -> list[tuple[str, ...]]:
    """Return the actions of each request after the first ``since``."""
    return [r.actions for r in router.requests[since:]]


def writes(router: RouterSimulator) -> list[str]:
    return [w.action for w in router.write_log]


# --- WAN reconnect ---------------------------------------------------------------------------


async def _wan_of_type(
    hass: HomeAssistant,
    router: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    wan_type: str,
) -> int:
    """Set the router's WAN type and let a poll show it; return the requests so far."""
    router.set_wan_type(wan_type)
    await poll(hass, freezer)
    return len(router.requests)


async def test_dhcp_wan_renews_its_lease_and_rides_out_the_outage(
    hass: HomeAssistant,
    router: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    coordinator = coordinator_of(init_integration)
    button = entity_id(hass, router, BUTTON, "reconnect_wan")
    status = entity_id(hass, router, Platform.SENSOR, "wan_status")
    ip = entity_id(hass, router, Platform.SENSOR, "wan_ip_address")
    assert state_of(hass, status) == "connected"
    before = len(router.requests)

    await press(hass, button)
    # The renew alone in its own request, then the refresh after the write.
    assert sent(router, before)[0] == (RENEW,)
    assert writes(router) == [RENEW]
    assert router.write_log[-1].request == {}
    assert state_of(hass, status) == "connecting"
    assert state_of(hass, ip) == "unknown"
    assert coordinator.update_interval == FAST_SCAN_INTERVAL
    assert state_of(hass, button) != STATE_UNAVAILABLE

    await tick(hass, freezer, FAST_SCAN_INTERVAL.total_seconds())
    assert state_of(hass, status) == "connected"
    assert state_of(hass, ip) == router.state.wan.ip_address
    assert coordinator.update_interval == SCAN_INTERVAL
    assert router.state.wan.reconnects == 1


@pytest.mark.parametrize("wan_type", ["PPPoE", "PPTP", "L2TP"])
async def test_ppp_wan_hangs_up_and_redials(
    hass: HomeAssistant,
    router: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    wan_type: str,
) -> None:
    before = await _wan_of_type(hass, router, freezer, wan_type)

    await press(hass, entity_id(hass, router, BUTTON, "reconnect_wan"))
    # Each in its own request, the hang-up first; no DHCP renew.
    assert sent(router, before)[:2] == [(DISCONNECT,), (CONNECT,)]
    assert writes(router) == [DISCONNECT, CONNECT]
    assert not router.state.wan.ppp_hung_up
    assert state_of(hass, entity_id(hass, router, Platform.SENSOR, "wan_status")) == (
        "connecting"
    )


@pytest.mark.parametrize("wan_type", ["Static", "Bridge"])
async def test_static_and_bridge_wan_are_refused_and_nothing_is_sent(
    hass: HomeAssistant,
    router: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    wan_type: str,
) -> None:
    before = await _wan_of_type(hass, router, freezer, wan_type)

    with pytest.raises(ServiceValidationError) as err:
        await press(hass, entity_id(hass, router, BUTTON, "reconnect_wan"))
    assert err.value.translation_key == "wan_not_reconnectable"
    assert err.value.translation_placeholders == {"wan_type": wan_type}
    assert "has no DHCP lease to renew" in str(err.value)
    assert len(router.requests) == before
    assert writes(router) == []


async def test_a_wan_never_seen_connected_is_refused_until_it_is(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    """GetWANStatus names the type only while connected: down since setup, it's unknown."""
    router = await router_factory(password=PASSWORD)
    router.set_wan_connected(False)
    await setup_integration(router)
    button = entity_id(hass, router, BUTTON, "reconnect_wan")
    before = len(router.requests)
    with pytest.raises(ServiceValidationError) as err:
        await press(hass, button)
    assert err.value.translation_key == "wan_type_unknown"
    assert len(router.requests) == before

    # Seen connected once, it is remembered while the WAN is down again.
    router.set_wan_connected(True)
    await poll(hass, freezer)
    router.set_wan_connected(False)
    await poll(hass, freezer)
    await press(hass, button)
    assert writes(router) == [RENEW]


async def test_a_router_refusal_leaves_the_wan_as_it_was(
    hass: HomeAssistant,
    router: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    coordinator = coordinator_of(init_integration)
    button = entity_id(hass, router, BUTTON, "reconnect_wan")
    kind = entity_id(hass, router, Platform.SENSOR, "wan_connection_type")
    # Switched to static on the router since the last poll: the firmware refuses the renew.
    router.set_wan_type("Static")
    with pytest.raises(HomeAssistantError) as err:
        await press(hass, button)
    assert err.value.translation_key == "wan_reconnect_refused"
    assert writes(router) == []
    assert router.state.wan.reconnects == 0
    assert coordinator.update_interval == SCAN_INTERVAL
    # The refusal refreshed: the new type shows, and the next press is refused at once.
    assert state_of(hass, kind) == "Static"
    before = len(router.requests)
    with pytest.raises(ServiceValidationError):
        await press(hass, button)
    assert len(router.requests) == before

    # A busy router: nothing changed either.
    router.set_wan_type("DHCP")
    await poll(hass, freezer)
    router.inject(Fault.NOT_READY, action=RENEW)
    with pytest.raises(HomeAssistantError) as err:
        await press(hass, button)
    assert err.value.translation_key == "router_busy"
    assert router.state.wan.reconnects == 0
    assert state_of(hass, entity_id(hass, router, Platform.SENSOR, "wan_status")) == (
        "connected"
    )


async def test_the_library_refuses_a_type_without_a_lease_or_link(
    router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    """``reconnect_wan`` itself never sends what the firmware would refuse."""
    api = coordinator_of(init_integration).api
    before = len(router.requests)
    for wan_type in ("Static", "Bridge", "Wireless Bridge", None):
        with pytest.raises(JNAPPreconditionError) as err:
            await api.reconnect_wan(wan_type)
        assert err.value.code == ERROR_INVALID_WAN_TYPE
    assert len(router.requests) == before


# --- Ethernet ports --------------------------------------------------------------------------


async def test_port_sensors_follow_the_links_every_rarely_th_poll(
    hass: HomeAssistant,
    router: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    wan_port = entity_id(hass, router, Platform.SENSOR, "wan_port_link")
    lan = [
        entity_id(hass, router, Platform.SENSOR, f"lan_port_{n}_link")
        for n in range(1, 5)
    ]
    assert state_of(hass, wan_port) == "1000"
    state = hass.states.get(lan[0])
    assert state is not None
    assert state.name.endswith("LAN port 1 link speed")
    assert state.attributes["unit_of_measurement"] == "Mbit/s"
    assert (
        er.async_get(hass).async_get(lan[0]).entity_category  # type: ignore[union-attr]
        == "diagnostic"
    )

    router.set_port_links(["100Mbps", "None", "1Gbps", "10Mbps"], wan="None")
    before = len(router.requests)
    seen = []
    for _ in range(RARELY):
        await poll(hass, freezer)
        seen.append(state_of(hass, lan[0]))
    # Read once in RARELY polls, inside the poll's one request.
    asked = [actions for actions in sent(router, before) if PORTS in actions]
    assert len(asked) == 1
    assert len(router.requests) - before == RARELY
    assert seen[-1] == "100"
    assert [state_of(hass, e) for e in lan] == ["100", "0", "1000", "10"]
    assert state_of(hass, wan_port) == "0"

    # A port the router stops listing is unknown, not 0 (no link).
    router.set_port_links(["1Gbps"])
    for _ in range(RARELY):
        await poll(hass, freezer)
    assert [state_of(hass, e) for e in lan] == ["1000", "unknown", "unknown", "unknown"]


async def test_an_unserved_router_service_means_no_entity_and_no_request(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    router = await router_factory(password=PASSWORD)
    router.remove_service("router/Router")
    entry = await setup_integration(router)
    for _ in range(RARELY + 1):
        await poll(hass, freezer)
    registry = er.async_get(hass)
    keys = {
        e.unique_id.removeprefix(f"{router.state.device_info.serial_number}_")
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
    }
    assert not keys & {"reconnect_wan", "wan_port_link", "lan_port_1_link"}
    # The WAN sensors still come from GetWANStatus2 (Router3).
    assert "wan_status" in keys
    everything = {a for r in router.requests for a in r.actions}
    assert not everything & {PORTS, RENEW, CONNECT, DISCONNECT}


@pytest.mark.parametrize(
    ("value", "mbps"),
    [
        ("1Gbps", 1000),
        ("100Mbps", 100),
        ("10Mbps", 10),
        ("None", 0),
        ("Linked-1000Mbps", 1000),
        ("2.5Gbps", 2500),
        ("Connected", None),
        (None, None),
    ],
)
def test_link_speeds_as_firmware_and_app_spell_them(
    value: str | None, mbps: float | None
) -> None:
    assert port_link_mbps(value) == mbps


# --- identify a node -------------------------------------------------------------------------


def _node_button(hass: HomeAssistant, router: RouterSimulator, node: str) -> str:
    return entity_id(hass, router, BUTTON, f"{node}_identify_node")


async def test_identify_blinks_the_node_and_stops_after_the_last_press(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    router = await router_factory(profile="velop_mesh", password=PASSWORD)
    await setup_integration(router)
    st = router.state
    _wired, wireless = router.satellite_ids
    button = _node_button(hass, router, wireless)
    state = hass.states.get(button)
    assert state is not None
    assert state.attributes["device_class"] == "identify"

    await press(hass, button)
    assert router.write_log[-1].action == START_BLINK
    assert router.write_log[-1].request == {"deviceID": wireless}
    assert st.blinking_node == wireless.lower()

    # A second press restarts the 24 s.
    await tick(hass, freezer, IDENTIFY_SECONDS - 4)
    await press(hass, button)
    await tick(hass, freezer, IDENTIFY_SECONDS - 4)
    assert st.blinking_node == wireless.lower()
    assert STOP_BLINK not in writes(router)
    await tick(hass, freezer, 5)
    assert writes(router)[-1] == STOP_BLINK
    assert router.write_log[-1].request == {}
    assert st.blinking_node is None

    # The primary has one too, on the router's device.
    await press(hass, _node_button(hass, router, st.authority_id))
    assert router.write_log[-1].request == {"deviceID": st.authority_id}


async def test_no_stop_with_a_refused_password(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    router = await router_factory(profile="velop_mesh", password=PASSWORD)
    entry = await setup_integration(router)
    node = router.state.authority_id
    await press(hass, _node_button(hass, router, node))
    # The password changes on the router; the next poll fails and starts reauth.
    router.set_admin_password("changed on the router")
    coordinator = entry.runtime_data.coordinator
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert coordinator.auth_failed
    router.reset_counters()
    await tick(hass, freezer, IDENTIFY_SECONDS + 1)
    # The stop is not sent with a password the router refused (it throttles them).
    assert not [r for r in router.requests if STOP_BLINK in r.actions]


async def test_a_failed_stop_is_logged_quietly_and_the_next_press_stops_again(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    router = await router_factory(profile="velop_mesh", password=PASSWORD)
    await setup_integration(router)
    node = router.state.authority_id
    button = _node_button(hass, router, node)
    await press(hass, button)
    router.inject(Fault.UNEXPECTED, action=STOP_BLINK, times=1)
    caplog.clear()
    await tick(hass, freezer, IDENTIFY_SECONDS + 1)
    assert router.state.blinking_node == node
    ours = [r for r in caplog.records if r.name.startswith("custom_components")]
    assert [r.levelname for r in ours if "blinking failed" in r.getMessage()] == [
        "DEBUG"
    ]
    assert not [r for r in ours if r.levelno >= logging.WARNING]
    await press(hass, button)
    await tick(hass, freezer, IDENTIFY_SECONDS + 1)
    assert router.state.blinking_node is None


async def test_identify_refused_for_an_offline_node_changes_nothing(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    router = await router_factory(profile="velop_mesh", password=PASSWORD)
    await setup_integration(router)
    _wired, wireless = router.satellite_ids
    button = _node_button(hass, router, wireless)
    router.set_node_online(wireless, False)
    with pytest.raises(HomeAssistantError) as err:
        await press(hass, button)
    # ErrorUnknownDevice: the simulator's answer (the firmware's is unverified).
    assert err.value.translation_key == "client_gone"
    assert router.state.blinking_node is None
    # No stop is due for a blink that never started.
    await tick(hass, freezer, IDENTIFY_SECONDS + 1)
    assert STOP_BLINK not in writes(router)


async def test_no_identify_without_setup9(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    router = await router_factory(profile="velop_mesh", password=PASSWORD)
    router.remove_service("nodes/setup/Setup9")
    entry = await setup_integration(router)
    await poll(hass, freezer)
    registry = er.async_get(hass)
    assert not [
        e
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.unique_id.endswith("_identify_node")
    ]
    everything = {a for r in router.requests for a in r.actions}
    assert not everything & {START_BLINK, STOP_BLINK}
