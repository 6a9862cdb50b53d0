"""Port forwarding and triggering through Home Assistant, against the simulator over HTTP.

A switch per rule toggles only that rule; ``linksys_jnap.add_port_forward`` adds one, refusing
what the firmware refuses (firewall.lua, docs/firmware-facts.md "firewall") before anything
is written; rules added or deleted on the router bring or take their switch without a reload.
"""

from __future__ import annotations

import copy
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest

from custom_components.linksys_jnap.const import DOMAIN
from custom_components.linksys_jnap.jnap.poll import RARELY
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import call_service, entity_id, find_entity_id, poll, read, state_of
from tests.simulator import Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory
from tests.simulator.testing import jnap

SWITCH = Platform.SWITCH
SINGLE = "firewall/GetSinglePortForwardingRules"
RANGES = "firewall/GetPortRangeForwardingRules"
TRIGGERS = "firewall/GetPortRangeTriggeringRules"
FIREWALL_ACTIONS = (
    SINGLE,
    RANGES,
    TRIGGERS,
    "firewall/SetSinglePortForwardingRules",
    "firewall/SetPortRangeForwardingRules",
    "firewall/SetPortRangeTriggeringRules",
)


def _single(port: int, ip: str, description: str, *, on: bool = True) -> dict[str, Any]:
    return {
        "isEnabled": on,
        "externalPort": port,
        "protocol": "TCP",
        "internalServerIPAddress": ip,
        "internalPort": port,
        "description": description,
    }


@pytest.fixture
async def sim(router_factory: RouterFactory) -> RouterSimulator:
    """Start a smartwifi router holding rules of every kind (LAN 192.168.1.1/24)."""
    router = await router_factory(profile="smartwifi", password=PASSWORD, clients=4)
    fw = router.state.firewall
    fw.single = [
        _single(8080, "192.168.1.50", "Web cam"),
        _single(22, "192.168.1.60", "SSH", on=False),
        {**_single(53, "192.168.1.61", "DNS"), "protocol": "UDP"},
    ]
    fw.ranges = [
        {
            "isEnabled": True,
            "firstExternalPort": 5000,
            "lastExternalPort": 5010,
            "protocol": "Both",
            "internalServerIPAddress": "192.168.1.70",
            "description": "Game",
        }
    ]
    fw.triggers = [
        {
            "isEnabled": False,
            "firstTriggerPort": 6000,
            "lastTriggerPort": 6005,
            "firstForwardedPort": 7000,
            "lastForwardedPort": 7005,
            "description": "Chat",
        }
    ]
    return router


def _rule_switch(hass: HomeAssistant, sim: RouterSimulator, key: str) -> str | None:
    return find_entity_id(hass, sim, SWITCH, f"port_rule_{key}")


def _switch(hass: HomeAssistant, sim: RouterSimulator, key: str) -> str:
    return entity_id(hass, sim, SWITCH, f"port_rule_{key}")


def _sent(sim: RouterSimulator, prefix: str = "firewall/Set") -> list[Any]:
    return [w for w in sim.write_log if w.action.startswith(prefix)]


async def _add(hass: HomeAssistant, **data: Any) -> None:
    await hass.services.async_call(DOMAIN, "add_port_forward", data, blocking=True)


async def _polls(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Enough polls for the rarely read rule lists to be read again."""
    for _ in range(RARELY):
        await poll(hass, freezer)


async def test_a_switch_per_rule_named_after_it(
    hass: HomeAssistant, sim: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    await setup_integration(sim)
    cam = _switch(hass, sim, "single_tcp_8080")
    assert state_of(hass, cam) == STATE_ON
    state = hass.states.get(cam)
    assert state is not None
    assert state.name.endswith("Port forwarding Web cam")
    assert state.attributes["target"] == "192.168.1.50"
    assert state.attributes["internal_port"] == 8080
    assert state_of(hass, _switch(hass, sim, "single_tcp_22")) == STATE_OFF
    game = hass.states.get(_switch(hass, sim, "range_both_5000_5010"))
    assert game is not None
    assert game.state == STATE_ON
    assert game.attributes["external_ports"] == "5000-5010"
    chat = hass.states.get(_switch(hass, sim, "trigger_6000_6005"))
    assert chat is not None
    assert chat.state == STATE_OFF
    assert chat.name.endswith("Port triggering Chat")
    assert chat.attributes["forwarded_ports"] == "7000-7005"
    entry = er.async_get(hass).async_get(cam)
    assert entry is not None
    assert entry.entity_category == "config"


@pytest.mark.parametrize(
    "case",
    [
        ("single_tcp_22", SINGLE, 1, True),
        ("single_tcp_8080", SINGLE, 0, False),
        ("range_both_5000_5010", RANGES, 0, False),
        ("trigger_6000_6005", TRIGGERS, 0, True),
    ],
)
async def test_toggle_writes_only_that_rules_flag(
    hass: HomeAssistant,
    sim: RouterSimulator,
    setup_integration: SetupIntegration,
    case: tuple[str, str, int, bool],
) -> None:
    key, action, index, target = case
    await setup_integration(sim)
    before = await read(sim, action)
    others = {a: await read(sim, a) for a in (SINGLE, RANGES, TRIGGERS) if a != action}
    entity = _switch(hass, sim, key)
    await call_service(
        hass, SWITCH, SERVICE_TURN_ON if target else SERVICE_TURN_OFF, entity
    )
    after = await read(sim, action)
    expected = copy.deepcopy(before)
    expected["rules"][index]["isEnabled"] = target
    assert after == expected  # every other rule and member byte for byte
    for other, output in others.items():
        assert await read(sim, other) == output
    assert len(_sent(sim)) == 1
    assert state_of(hass, entity) == (STATE_ON if target else STATE_OFF)
    # Already so: nothing is written.
    await call_service(
        hass, SWITCH, SERVICE_TURN_ON if target else SERVICE_TURN_OFF, entity
    )
    assert len(_sent(sim)) == 1


async def test_a_refused_toggle_leaves_the_rules_as_they_were(
    hass: HomeAssistant, sim: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    await setup_integration(sim)
    before = await read(sim, SINGLE)
    entity = _switch(hass, sim, "single_tcp_8080")
    sim.inject(Fault.NOT_READY, action="firewall/SetSinglePortForwardingRules")
    with pytest.raises(HomeAssistantError) as err:
        await call_service(hass, SWITCH, SERVICE_TURN_OFF, entity)
    assert err.value.translation_key == "router_busy"
    assert await read(sim, SINGLE) == before
    assert state_of(hass, entity) == STATE_ON


async def test_rules_come_and_go_without_a_reload(
    hass: HomeAssistant,
    sim: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = await setup_integration(sim)
    assert _rule_switch(hass, sim, "single_tcp_443") is None
    # Added and deleted in the Linksys app.
    sim.state.firewall.single.append(_single(443, "192.168.1.80", "Web"))
    sim.state.firewall.triggers = []
    sim.reset_counters()
    await _polls(hass, freezer)
    assert len(sim.requests) == RARELY  # still one request per poll
    web = _switch(hass, sim, "single_tcp_443")
    assert state_of(hass, web) == STATE_ON
    assert _rule_switch(hass, sim, "trigger_6000_6005") is None
    # Renamed on the router: the name follows.
    sim.state.firewall.single[-1]["description"] = "Web server"
    await _polls(hass, freezer)
    state = hass.states.get(web)
    assert state is not None
    assert state.name.endswith("Port forwarding Web server")
    # A failing list keeps its switches, unavailable (the refresh after a write reads
    # every list; the polls between two readings keep the last answer).
    sim.inject(Fault.UNEXPECTED, action=SINGLE)
    await call_service(
        hass, SWITCH, SERVICE_TURN_ON, _switch(hass, sim, "range_both_5000_5010")
    )
    assert state_of(hass, web) == STATE_UNAVAILABLE
    sim.clear_faults()
    await _polls(hass, freezer)
    assert state_of(hass, web) == STATE_ON
    # Gone while Home Assistant is down: no orphan after a restart.
    await hass.config_entries.async_unload(entry.entry_id)
    sim.state.firewall.single.pop()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert _rule_switch(hass, sim, "single_tcp_443") is None


async def test_add_port_forward(
    hass: HomeAssistant, sim: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    await setup_integration(sim)
    before = await read(sim, SINGLE)
    await _add(
        hass,
        description="Minecraft",
        ip_address="192.168.1.90",
        external_port=25565,
        protocol="TCP",
    )
    after = await read(sim, SINGLE)
    assert after["rules"][:-1] == before["rules"]
    assert after["rules"][-1] == {
        "isEnabled": True,
        "externalPort": 25565,
        "protocol": "TCP",
        "internalServerIPAddress": "192.168.1.90",
        "internalPort": 25565,
        "description": "Minecraft",
    }
    # Its switch is there at once (the refresh after a write reads every list).
    assert state_of(hass, _switch(hass, sim, "single_tcp_25565")) == STATE_ON
    # A range, off.
    ranges = await read(sim, RANGES)
    await _add(
        hass,
        description="Streams",
        ip_address="192.168.1.91",
        external_port=9000,
        external_port_end=9010,
        protocol="UDP",
        enabled=False,
    )
    new = await read(sim, RANGES)
    assert new["rules"][:-1] == ranges["rules"]
    assert new["rules"][-1]["lastExternalPort"] == 9010
    assert state_of(hass, _switch(hass, sim, "range_udp_9000_9010")) == STATE_OFF
    # Another protocol on a taken port is no overlap.
    await _add(
        hass,
        description="DNS TCP",
        ip_address="192.168.1.61",
        external_port=53,
        protocol="TCP",
    )
    assert len(_sent(sim)) == 3


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"external_port": 0}, "port_out_of_range"),
        ({"external_port": 70000}, "port_out_of_range"),
        ({"internal_port": 65536}, "port_out_of_range"),
        ({"external_port": 9010, "external_port_end": 9000}, "port_range_reversed"),
        (
            {"external_port": 9000, "external_port_end": 9010, "internal_port": 80},
            "port_internal_with_range",
        ),
        ({"ip_address": "nas.local"}, "port_target_invalid"),
        ({"description": "x" * 33}, "port_description_invalid"),
        ({"description": "  "}, "port_description_invalid"),
    ],
)
async def test_bad_input_is_refused_and_nothing_is_written(
    hass: HomeAssistant,
    sim: RouterSimulator,
    setup_integration: SetupIntegration,
    data: dict[str, Any],
    key: str,
) -> None:
    await setup_integration(sim)
    sim.reset_counters()
    call = {
        "description": "Test",
        "ip_address": "192.168.1.90",
        "external_port": 4000,
        **data,
    }
    with pytest.raises(ServiceValidationError) as err:
        await _add(hass, **call)
    assert err.value.translation_key == key
    assert not sim.requests


@pytest.mark.parametrize(
    ("data", "key"),
    [
        # The firmware's overlap: single and range rules together, enabled or not.
        ({"external_port": 8080}, "port_rules_overlap"),
        ({"external_port": 22}, "port_rules_overlap"),  # a disabled rule
        ({"external_port": 5005}, "port_rules_overlap"),  # inside a range
        ({"external_port": 4990, "external_port_end": 5000}, "port_rules_overlap"),
        ({"external_port": 53, "protocol": "Both"}, "port_rules_overlap"),
        # The target: a host of the LAN, not the router nor its network's edges.
        ({"ip_address": "192.168.2.10"}, "port_target_outside_lan"),
        ({"ip_address": "192.168.1.1"}, "port_target_outside_lan"),
        ({"ip_address": "192.168.1.0"}, "port_target_outside_lan"),
        ({"ip_address": "192.168.1.255"}, "port_target_outside_lan"),
    ],
)
async def test_what_the_firmware_refuses_is_not_sent(
    hass: HomeAssistant,
    sim: RouterSimulator,
    setup_integration: SetupIntegration,
    data: dict[str, Any],
    key: str,
) -> None:
    await setup_integration(sim)
    before = {a: await read(sim, a) for a in (SINGLE, RANGES)}
    call = {
        "description": "Test",
        "ip_address": "192.168.1.90",
        "external_port": 4000,
        "protocol": "TCP",
        **data,
    }
    with pytest.raises(HomeAssistantError) as err:
        await _add(hass, **call)
    assert err.value.translation_key == key
    assert not _sent(sim)
    assert {a: await read(sim, a) for a in (SINGLE, RANGES)} == before


async def test_the_router_full_of_rules_refuses(
    hass: HomeAssistant, sim: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    sim.state.firewall.max_single = 3
    await setup_integration(sim)
    with pytest.raises(HomeAssistantError) as err:
        await _add(
            hass, description="One more", ip_address="192.168.1.9", external_port=1
        )
    assert err.value.translation_key == "port_too_many_rules"
    assert not _sent(sim)


async def test_a_firmware_refusal_is_translated_and_changes_nothing(
    hass: HomeAssistant, sim: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    """A rule added on the router between our read and our write: the firmware refuses."""
    await setup_integration(sim)
    sim.inject(Fault.UNEXPECTED, action="firewall/SetSinglePortForwardingRules")
    before = await read(sim, SINGLE)
    with pytest.raises(HomeAssistantError) as err:
        await _add(hass, description="Any", ip_address="192.168.1.9", external_port=1)
    assert err.value.translation_key == "write_failed"
    assert await read(sim, SINGLE) == before


async def test_unserved_firewall_means_no_switch_and_no_request(
    hass: HomeAssistant,
    sim: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    sim.remove_service("firewall/Firewall")
    entry = await setup_integration(sim)
    await _polls(hass, freezer)
    assert not [
        e
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if "_port_rule_" in e.unique_id
    ]
    assert not [a for r in sim.requests for a in r.actions if a in FIREWALL_ACTIONS]
    with pytest.raises(ServiceValidationError) as err:
        await _add(hass, description="X", ip_address="192.168.1.9", external_port=1)
    assert err.value.translation_key == "port_forwarding_unavailable"
    assert not [a for r in sim.requests for a in r.actions if a in FIREWALL_ACTIONS]


async def test_the_simulator_is_as_strict_as_the_firmware(sim: RouterSimulator) -> None:
    """Raw JNAP: whole lists with exactly the firmware's members, its codes, no change."""
    rule = _single(4000, "192.168.1.9", "Raw")
    cases: list[tuple[list[dict[str, Any]], str]] = [
        ([{**rule, "extra": 1}], "_ErrorInvalidInput"),
        (
            [{k: v for k, v in rule.items() if k != "internalPort"}],
            "_ErrorInvalidInput",
        ),
        ([{**rule, "externalPort": 65536}], "ErrorInvalidExternalPort"),
        ([{**rule, "internalPort": -1}], "ErrorInvalidInternalPort"),
        (
            [{**rule, "internalServerIPAddress": "10.0.0.9"}],
            "ErrorInvalidInternalServerIPAddress",
        ),
        ([rule, {**rule, "protocol": "Both"}], "ErrorRulesOverlap"),
        ([{**rule, "externalPort": 5003}], "ErrorRulesOverlap"),  # the stored range
        ([{**rule, "description": "é" * 17}], "ErrorDescriptionTooLong"),  # 34 bytes
        ([rule] * 51, "ErrorTooManyRules"),
    ]
    async with aiohttp.ClientSession() as session:
        for rules, code in cases:
            answer = await jnap(
                session,
                sim.url,
                "firewall/SetSinglePortForwardingRules",
                {"rules": rules},
                password=PASSWORD,
            )
            assert answer["result"] == code, (rules[:2], answer)
        triggers = [
            {
                "isEnabled": True,
                "firstTriggerPort": 100,
                "lastTriggerPort": 110,
                "firstForwardedPort": f,
                "lastForwardedPort": f + 5,
                "description": "T",
            }
            for f in (200, 300)
        ]
        answer = await jnap(
            session,
            sim.url,
            "firewall/SetPortRangeTriggeringRules",
            {"rules": triggers},
            password=PASSWORD,
        )
        assert answer["result"] == "ErrorRulesOverlap"
    assert not sim.write_log
    assert len(sim.state.firewall.single) == 3
