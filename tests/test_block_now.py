"""Block now: the Internet access switch lends MACs out of the user's rules and gives them back.

The firmware lets a MAC be in one parental rule only (parentalcontrol.lua ``setRules``,
``ErrorRulesOverlap``), so blocking a client one of the user's rules lists moves its MACs into
our block rule, and turning access on again must leave the user's rules byte for byte as
they were, across restarts and failed writes; a rule the user changed meanwhile is theirs.
"""

from __future__ import annotations

from typing import Any

from homeassistant.const import SERVICE_TURN_OFF, SERVICE_TURN_ON, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.linksys_jnap.const import DOMAIN
from tests.helpers import (
    call_service,
    coordinator_of,
    enable_all,
    entity_id,
    read,
    state_of,
)
from tests.simulator import Fault, RouterSimulator

PARENTAL = "parentalcontrol/GetParentalControlSettings"
SET_PARENTAL = "parentalcontrol/SetParentalControlSettings"
SWITCH = "switch"


async def _client_with(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    router: RouterSimulator,
    name: str,
    macs: list[str],
    *,
    rules: dict[int, list[str]],
) -> str:
    """Add a client; put some of its MACs into the user's rules; return its switch."""
    for index, listed in rules.items():
        router.state.parental.rules[index].mac_addresses.extend(listed)
    key = router.add_client(name, macs)
    await coordinator_of(entry).async_refresh()
    await enable_all(hass, entry)
    return entity_id(hass, router, SWITCH, f"{key}_internet_access")


TABLET = "02:AB:00:00:00:01"


async def _tablet(
    hass: HomeAssistant, entry: MockConfigEntry, router: RouterSimulator
) -> tuple[str, dict[str, Any]]:
    """Add a tablet the user's first rule lists; return its switch and the rules."""
    target = await _client_with(
        hass, entry, router, "Tablet", [TABLET], rules={0: [TABLET]}
    )
    return target, await read(router, PARENTAL)


async def _switch(hass: HomeAssistant, service: str, target: str) -> None:
    await call_service(hass, SWITCH, service, target)


def _users(settings: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in settings["rules"] if not r["description"].startswith("HA ")]


@pytest.mark.parametrize(
    ("macs", "rules"),
    [
        # One rule; the MAC goes in the middle so its place must come back too.
        (["02:AB:00:00:00:01"], {0: ["02:AB:00:00:00:01"]}),
        # Two rules: one MAC in each (the second rule is disabled: it still counts).
        (
            ["02:AB:00:00:00:01", "02:AB:00:00:00:02"],
            {0: ["02:AB:00:00:00:01"], 1: ["02:AB:00:00:00:02"]},
        ),
        # Two MACs, only one of them in a rule of the user's.
        (["02:AB:00:00:00:01", "02:AB:00:00:00:02"], {1: ["02:AB:00:00:00:01"]}),
    ],
    ids=["one-rule", "two-rules", "one-of-two-macs"],
)
async def test_block_now_lends_and_gives_back(
    hass: HomeAssistant,
    router: RouterSimulator,
    init_integration: MockConfigEntry,
    macs: list[str],
    rules: dict[int, list[str]],
) -> None:
    entry = init_integration
    kids = router.state.parental.rules[0].mac_addresses
    kids.append("02:CD:00:00:00:09")  # after ours: MAC order within the rule counts
    target = await _client_with(hass, entry, router, "Emma's tablet", macs, rules=rules)
    before = await read(router, PARENTAL)
    assert state_of(hass, target) == STATE_ON
    writes = len(router.write_log)

    await _switch(hass, SERVICE_TURN_OFF, target)
    assert len(router.write_log) == writes + 1  # one Set with the whole rule list
    blocked = await read(router, PARENTAL)
    lent = {m for listed in rules.values() for m in listed}
    for was, now in zip(before["rules"], blocked["rules"], strict=False):
        assert now == {
            **was,
            "macAddresses": [m for m in was["macAddresses"] if m not in lent],
        }
    ours = blocked["rules"][len(before["rules"]) :]
    assert [r["macAddresses"] for r in ours] == [sorted(macs)]
    assert ours[0]["description"] == "HA block Emma's tablet"
    assert {k: v for k, v in blocked.items() if k != "rules"} == {
        k: v for k, v in before.items() if k != "rules"
    }
    assert state_of(hass, target) == STATE_OFF

    await _switch(hass, SERVICE_TURN_ON, target)
    assert await read(router, PARENTAL) == before  # byte for byte
    assert state_of(hass, target) == STATE_ON
    assert not ir.async_get(hass).issues


async def test_a_rule_of_one_client_stays_in_place_disabled(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    """A rule whose only device is blocked stays (inert) for its MACs to come back to."""
    entry = init_integration
    console = router.state.parental.rules[1]
    console.is_enabled = True
    mac = console.mac_addresses[0]
    key = next(
        c.key for c in coordinator_of(entry).data.clients.values() if mac in c.macs
    )
    await enable_all(hass, entry)
    target = entity_id(hass, router, SWITCH, f"{key}_internet_access")
    before = await read(router, PARENTAL)
    await _switch(hass, SERVICE_TURN_OFF, target)
    blocked = await read(router, PARENTAL)
    assert blocked["rules"][1] == {
        **before["rules"][1],
        "macAddresses": [],
        "isEnabled": False,
    }
    await _switch(hass, SERVICE_TURN_ON, target)
    assert await read(router, PARENTAL) == before


async def test_two_clients_from_one_rule_in_either_order(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    first = await _client_with(
        hass,
        entry,
        router,
        "Tablet",
        ["02:AB:00:00:00:01"],
        rules={0: ["02:AB:00:00:00:01"]},
    )
    second = await _client_with(
        hass,
        entry,
        router,
        "Phone",
        ["02:AB:00:00:00:02"],
        rules={0: ["02:AB:00:00:00:02"]},
    )
    before = await read(router, PARENTAL)
    await _switch(hass, SERVICE_TURN_OFF, first)
    await _switch(hass, SERVICE_TURN_OFF, second)
    assert (
        "02:AB:00:00:00:01"
        not in _users(await read(router, PARENTAL))[0]["macAddresses"]
    )
    await _switch(hass, SERVICE_TURN_ON, first)
    await _switch(hass, SERVICE_TURN_ON, second)
    assert await read(router, PARENTAL) == before


async def test_block_now_survives_a_restart(
    hass: HomeAssistant,
    router: RouterSimulator,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    entry = init_integration
    mac = TABLET
    target, before = await _tablet(hass, entry, router)
    await _switch(hass, SERVICE_TURN_OFF, target)
    kept = hass_storage[f"{DOMAIN}.{entry.entry_id}.plans"]["data"]["lent_rules"]
    # Kept before the write: the rule as it was, and the MAC lent out of it.
    assert kept == [
        {"index": 0, "rule": _rule_input(before["rules"][0]), "lent": [mac]}
    ]

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}.plans"]["data"]
    stored["lent_rules"].append({"index": "first", "lent": ["zz"]})  # dropped at load
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, target) == STATE_OFF
    await _switch(hass, SERVICE_TURN_ON, target)
    assert await read(router, PARENTAL) == before
    assert hass_storage[f"{DOMAIN}.{entry.entry_id}.plans"]["data"]["lent_rules"] == []


def _rule_input(rule: dict[str, Any]) -> dict[str, Any]:
    return {
        k: rule[k] for k in ("isEnabled", "description", "macAddresses", "blockedURLs")
    } | {"wanSchedule": rule["wanSchedule"]}


@pytest.mark.parametrize("change", ["deleted", "renamed", "rescheduled"])
async def test_rule_changed_meanwhile_is_left_alone_and_reported(
    hass: HomeAssistant,
    router: RouterSimulator,
    init_integration: MockConfigEntry,
    change: str,
) -> None:
    entry = init_integration
    mac = TABLET
    target, _before = await _tablet(hass, entry, router)
    name = router.state.parental.rules[0].description
    await _switch(hass, SERVICE_TURN_OFF, target)
    # The user edits their rule in the Linksys app while the tablet is blocked.
    kids = router.state.parental.rules[0]
    if change == "deleted":
        del router.state.parental.rules[0]
    elif change == "renamed":
        kids.description = "Kids weekdays"
    else:
        kids.wan_schedule["monday"] = "0" * 48
    edited = await read(router, PARENTAL)

    await _switch(hass, SERVICE_TURN_ON, target)
    after = await read(router, PARENTAL)
    # Only our block went: every rule of the user's stays as they made it.
    assert after == {**edited, "rules": _users(edited)}
    assert mac not in {m for r in after["rules"] for m in r["macAddresses"]}
    assert state_of(hass, target) == STATE_ON
    issues = _rule_issues(hass)
    assert len(issues) == 1
    assert issues[0].translation_placeholders == {
        "name": entry.title,
        "rule": name,
        "macs": mac,
    }

    # Kept across a restart, until the MAC is in one of the user's rules again.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert [(i.issue_id, i.translation_placeholders) for i in _rule_issues(hass)] == [
        (i.issue_id, i.translation_placeholders) for i in issues
    ]
    router.state.parental.rules[-1].mac_addresses.append(mac)
    await coordinator_of(entry).async_refresh()
    await hass.async_block_till_done()
    assert not _rule_issues(hass)


def _rule_issues(hass: HomeAssistant) -> list[ir.IssueEntry]:
    return [
        issue
        for (domain, _id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue.translation_key == "rule_not_restored"
    ]


@pytest.mark.parametrize(
    ("fault", "key"),
    [
        (Fault.NOT_READY, "router_busy"),
        (Fault.UNEXPECTED, "write_failed"),
        (Fault.TIMEOUT, "cannot_connect"),
    ],
)
async def test_failed_block_leaves_the_rules_as_they_were(
    hass: HomeAssistant,
    router: RouterSimulator,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    *,
    fault: Fault,
    key: str,
) -> None:
    entry = init_integration
    mac = TABLET
    target, before = await _tablet(hass, entry, router)
    coordinator_of(entry).api._timeout = 0.2  # a short wait for the timeout fault
    router.inject(fault, action=SET_PARENTAL, times=1, seconds=0.5)
    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SERVICE_TURN_OFF, target)
    assert err.value.translation_key == key
    # The loan was kept before the Set was sent (it might have been taken).
    kept = hass_storage[f"{DOMAIN}.{entry.entry_id}.plans"]["data"]["lent_rules"]
    assert [loan["lent"] for loan in kept] == [[mac]]
    router.clear_faults()
    assert await read(router, PARENTAL) == before
    await coordinator_of(entry).async_refresh()
    assert state_of(hass, target) == STATE_ON

    # The loan kept before the failed write spoils nothing later.
    await _switch(hass, SERVICE_TURN_OFF, target)
    assert state_of(hass, target) == STATE_OFF
    await _switch(hass, SERVICE_TURN_ON, target)
    assert await read(router, PARENTAL) == before
    assert not ir.async_get(hass).issues


async def test_failed_unblock_keeps_the_loan(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    entry = init_integration
    target, before = await _tablet(hass, entry, router)
    await _switch(hass, SERVICE_TURN_OFF, target)
    blocked = await read(router, PARENTAL)
    router.inject(Fault.NOT_READY, action=SET_PARENTAL, times=1)
    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SERVICE_TURN_ON, target)
    assert err.value.translation_key == "router_busy"
    assert await read(router, PARENTAL) == blocked
    assert state_of(hass, target) == STATE_OFF
    await _switch(hass, SERVICE_TURN_ON, target)
    assert await read(router, PARENTAL) == before


async def test_unblock_whose_answer_was_lost(
    hass: HomeAssistant, router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    """The router took the unblock but Home Assistant never heard: nothing is done twice."""
    entry = init_integration
    mac = TABLET
    target, before = await _tablet(hass, entry, router)
    await _switch(hass, SERVICE_TURN_OFF, target)
    # The same write the switch sends, with its answer dropped (the loans stay kept).
    client = next(
        c for c in coordinator_of(entry).data.clients.values() if mac in c.macs
    )
    await coordinator_of(entry).api.unblock_device_internet(
        client.macs, label=client.name, lent=entry.runtime_data.plans.lent
    )
    assert await read(router, PARENTAL) == before
    writes = len(router.write_log)
    await _switch(hass, SERVICE_TURN_ON, target)
    assert len(router.write_log) == writes
    assert await read(router, PARENTAL) == before
    assert not ir.async_get(hass).issues
    assert entry.runtime_data.plans.lent == ()
