"""Nothing lost: random toggles of every switch, concurrent with polls and faults.

After each hypothesis-generated sequence, every field the simulator holds that the user
did not change (guest SSIDs and passphrases, the user's parental rules and schedules,
Wi-Fi settings and passphrases, device properties) is identical to before, and the
switches show what the router holds. Concurrent writes never interleave their
read-modify-write.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from hypothesis import strategies as st
import pytest

from tests.helpers import entity_id, state_of
from tests.reliability.conftest import (
    StartRouter,
    firmware_and_admin,
    run_examples,
    switch,
    tick,
)
from tests.simulator import Fault, RouterSimulator

EXAMPLES = 60
EXAMPLES_RUN: dict[str, int] = {}
OURS = "HA block"
FAULTS = [
    Fault.HTTP_500,
    Fault.HTML_LOGIN,
    Fault.TRUNCATED_JSON,
    Fault.NO_RESULT,
    Fault.NOT_READY,
    Fault.UNEXPECTED,
    Fault.TIMEOUT,
    Fault.CONNECTION_REFUSED,
]
FAULT_TARGETS = [
    None,
    "guestnetwork/GetGuestRadioSettings",
    "guestnetwork/SetGuestRadioSettings",
    "parentalcontrol/GetParentalControlSettings",
    "parentalcontrol/SetParentalControlSettings",
    "routerleds/GetRouterLEDSettings",
    "routerleds/SetRouterLEDSettings",
    "qos/GetQoSSettings",
    "qos/SetQoSSettings",
    "router/GetWANStatus2",
]
# Read-modify-write pairs: a Set must directly follow its own Get.
RMW = {
    "guestnetwork/SetGuestRadioSettings": "guestnetwork/GetGuestRadioSettings",
    "parentalcontrol/SetParentalControlSettings": (
        "parentalcontrol/GetParentalControlSettings"
    ),
    "routerleds/SetRouterLEDSettings": "routerleds/GetRouterLEDSettings",
    "qos/SetQoSSettings": "qos/GetQoSSettings",
}


def untouchable(sim: RouterSimulator) -> dict[str, Any]:
    """Everything no switch may change (what the user did not touch)."""
    st_ = sim.state
    guest = copy.deepcopy(st_.guest)
    guest.is_guest_network_enabled = False  # the guest switch's own flag
    return copy.deepcopy(
        {
            "guest": guest,
            "user_rules": [
                r for r in st_.parental.rules if not r.description.startswith(OURS)
            ],
            "parental_limits": (
                st_.parental.max_rules,
                st_.parental.max_rule_mac_addresses,
                st_.parental.max_rule_description_length,
            ),
            "radios": st_.radios,
            "band_steering": st_.band_steering,
            "properties": {d.device_id: d.properties for d in st_.devices.values()},
            # QoS beyond the priority switches' own device rules.
            "qos": (
                st_.qos.auto_prioritizing,
                st_.qos.upstream_bps,
                st_.qos.downstream_bps,
                st_.qos.application_rules,
            ),
            "names": {d.device_id: d.friendly_name for d in st_.devices.values()},
            **firmware_and_admin(st_),
        }
    )


class World:
    """The switches of one set-up router and what the router says they should show."""

    def __init__(self, hass: HomeAssistant, sim: RouterSimulator) -> None:
        self.hass = hass
        self.sim = sim
        self.clients = [d for d in sim.state.devices.values() if not d.is_authority][:2]
        self.switches: dict[str, str] = {
            key: entity_id(hass, sim, "switch", key)
            for key in ("guest_wifi", "leds", "parental_controls")
        }
        for index, device in enumerate(self.clients):
            for key in ("internet_access", "qos_priority"):
                self.switches[f"{key}_{index}"] = entity_id(
                    hass, sim, "switch", f"{device.device_id}_{key}"
                )

    def router_says(self, key: str) -> bool:
        st_ = self.sim.state
        if key == "guest_wifi":
            return st_.guest.is_guest_network_enabled
        if key == "leds":
            return st_.leds.is_switchport_led_enabled
        if key == "parental_controls":
            return st_.parental.is_parental_control_enabled
        name, index = key.rsplit("_", 1)
        device = st_.devices[self.clients[int(index)].device_id]
        macs = {i.mac for i in device.interfaces}
        if name == "qos_priority":
            return st_.qos.is_enabled and any(
                rule["macAddress"] in macs and rule["priority"] == "High"
                for rule in st_.qos.device_rules
            )
        blocked = st_.parental.is_parental_control_enabled and any(
            rule.is_enabled
            and rule.description.startswith(OURS)
            and macs & set(rule.mac_addresses)
            for rule in st_.parental.rules
        )
        return not blocked


STEP = st.one_of(
    st.tuples(st.just("toggle"), st.integers(0, 6), st.booleans()),
    st.tuples(
        st.just("pair"),
        st.integers(0, 6),
        st.booleans(),
        st.integers(0, 6),
        st.booleans(),
    ),
    st.tuples(st.just("poll")),
    st.tuples(
        st.just("fault"),
        st.sampled_from(FAULTS),
        st.sampled_from(FAULT_TARGETS),
        st.integers(1, 2),
    ),
)


async def test_nothing_lost(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, start_router: StartRouter
) -> None:
    sim, _entry = await start_router(
        profile="smartwifi", clients=4, seed=11, enable=True
    )
    world = World(hass, sim)
    keys = sorted(world.switches)
    assert len(keys) == 7
    steps_run = 0
    # A user's scheduled rule lists a MAC of each client: blocking them lends MACs out of it.
    ruled = {m for r in sim.state.parental.rules for m in r.mac_addresses}
    for device in world.clients:
        sim.state.parental.rules[0].mac_addresses.extend(
            i.mac for i in device.interfaces[:1] if i.mac not in ruled
        )
    assert {i.mac for d in world.clients for i in d.interfaces} & set(
        sim.state.parental.rules[0].mac_addresses
    )

    async def toggle(key: str, on: bool) -> bool:
        """Return whether the write went through without an error."""
        try:
            await switch(
                hass,
                SERVICE_TURN_ON if on else SERVICE_TURN_OFF,
                world.switches[key],
                freezer,
            )
        except HomeAssistantError:
            return False
        return state_of(hass, world.switches[key]) != STATE_UNAVAILABLE

    async def poll() -> None:
        await tick(hass, freezer)

    async def recover() -> None:
        sim.clear_faults()
        await sim.finish_reboot()
        await tick(hass, freezer)
        await tick(hass, freezer)
        for key, target in world.switches.items():
            assert state_of(hass, target) != STATE_UNAVAILABLE, key

    async def access_back() -> None:
        # Blocking lends a client's MACs out of the user's rule: on again gives them back.
        for key in ("internet_access_0", "internet_access_1"):
            assert await toggle(key, True), key

    async def one(steps: list[tuple[Any, ...]]) -> None:
        nonlocal steps_run
        await recover()
        await access_back()
        before = untouchable(sim)
        sim.reset_counters()
        last: dict[str, tuple[bool, bool]] = {}  # key -> (wanted, went through)
        for step in steps:
            steps_run += 1
            if step[0] == "fault":
                _, fault, action, times = step
                if fault is Fault.CONNECTION_REFUSED:
                    sim.inject(fault, seconds=20)
                else:
                    sim.inject(fault, action=action, times=times, seconds=1.0)
            elif step[0] == "poll":
                await poll()
            elif step[0] == "toggle":
                _, index, on = step
                key = keys[index]
                # The write runs while a poll is due at the same time.
                ok, _ = await asyncio.gather(toggle(key, on), poll())
                last[key] = (on, ok)
            else:
                _, i, on_i, j, on_j = step
                a, b = keys[i], keys[j]
                ok_a, ok_b = await asyncio.gather(toggle(a, on_i), toggle(b, on_j))
                last[a] = (on_i, ok_a)
                last[b] = (on_j, ok_b)
                if (
                    a != b
                    and ok_a
                    and ok_b
                    and {a, b}
                    <= {
                        "internet_access_0",
                        "internet_access_1",
                    }
                ):
                    # Both rules landed: neither read-modify-write lost the other's.
                    assert world.router_says(a) is on_i
                    assert world.router_says(b) is on_j
        await recover()

        for key, target in world.switches.items():
            expected = STATE_ON if world.router_says(key) else STATE_OFF
            assert state_of(hass, target) == expected, key
        for key in ("guest_wifi", "leds", "qos_priority_0", "qos_priority_1"):
            if key in last and last[key][1]:
                assert world.router_says(key) is last[key][0], key
        await access_back()
        assert untouchable(sim) == before
        singles = [
            r.actions[0] for r in sim.requests if not r.transaction and r.actions
        ]
        for index, action in enumerate(singles):
            if action in RMW:
                assert index > 0
                assert singles[index - 1] == RMW[action], singles[
                    max(0, index - 3) : index + 1
                ]

    count = await run_examples(
        hass, st.lists(STEP, min_size=1, max_size=8), EXAMPLES, one
    )
    EXAMPLES_RUN["nothing_lost"] = count
    assert count >= EXAMPLES // 2
    assert steps_run > count
    # The sequences really wrote: many accepted writes reached the router.
    assert len(sim.write_log) > count


@pytest.mark.parametrize("profile", ["velop", "legacy"])
async def test_every_switch_twice_keeps_the_rest(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    start_router: StartRouter,
    profile: str,
) -> None:
    """Other firmware shapes: every switch of the entry off and on, the rest identical."""
    sim, _entry = await start_router(profile=profile, clients=3, seed=2, enable=True)
    before = untouchable(sim)
    targets = [
        e
        for e in hass.states.async_entity_ids("switch")
        if state_of(hass, e) in (STATE_ON, STATE_OFF)
    ]
    assert targets
    reasons: list[str | None] = []
    for target in targets:
        for service in (SERVICE_TURN_OFF, SERVICE_TURN_ON):
            try:
                await switch(hass, service, target, freezer)
            except HomeAssistantError as err:
                # A client one of the user's own rules lists: never edited, refused.
                reasons.append(err.translation_key)
                break
            await tick(hass, freezer)
    refused = len(reasons)
    assert set(reasons) <= {"rule_conflict"}
    assert refused < len(targets)
    assert untouchable(sim) == before
