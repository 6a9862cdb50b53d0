"""Fault matrix: every fault during a poll and during a write, through Home Assistant.

Poll: entities unavailable (not stale, not crashed) with one warning in the log, back on
their own when the fault ends, no reload. Write: a translated error, the router's settings
as they were. Auth faults: reauth starts and no further password is sent until the user
answers (at most one bad-password request per incident). An action that became unsupported
is dropped from the poll; its entities go unavailable while the rest keeps working.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
import json
import logging
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest

from custom_components.linksys_jnap.const import DOMAIN
from tests.conftest import PASSWORD
from tests.helpers import entity_id, state_of
from tests.reliability.conftest import (
    StartRouter,
    answer_reauth,
    back_online,
    entity_ids,
    reauth_flow_ids,
    router_settings,
    states,
    switch,
    tick,
    unique_ids,
)
from tests.simulator import Fault, RouterSimulator

NEW_PASSWORD = "battery staple"
THROTTLE_SECONDS = 45
TRANSLATIONS = json.loads(
    (
        Path(__file__).parents[2]
        / "custom_components"
        / DOMAIN
        / "translations"
        / "en.json"
    ).read_text()
)["exceptions"]

type Start = Callable[[RouterSimulator], Awaitable[None]]


def _inject(fault: Fault, **kwargs: Any) -> Start:
    async def start(sim: RouterSimulator) -> None:
        sim.inject(fault, **kwargs)

    return start


async def _reboot(sim: RouterSimulator) -> None:
    await sim.reboot(downtime=300)  # five minutes of refused connections


async def _change_password(sim: RouterSimulator) -> None:
    sim.set_admin_password(NEW_PASSWORD)


async def _throttle(sim: RouterSimulator) -> None:
    # Someone else keeps typing wrong passwords: every password check is delayed, past
    # the next poll (each further wrong attempt restarts the router's 30 s delay).
    sim.state.admin.failures = 5
    sim.state.admin.delay_until = sim.clock() + THROTTLE_SECONDS


async def _lock(sim: RouterSimulator) -> None:
    sim.state.admin.failures = 10
    sim.state.admin.locked = True


@dataclass(frozen=True)
class Case:
    """One fault: how it starts on the router."""

    name: str
    start: Start
    ends_by_itself: bool = False
    """True: the fault ends as simulated time passes (a reboot), not when cleared."""
    runs_action: bool = False
    """True: the router still runs the action, only the answer is broken."""


TRANSIENT = [
    Case("timeout", _inject(Fault.TIMEOUT, seconds=1.0)),
    Case("connection_refused", _inject(Fault.CONNECTION_REFUSED, seconds=3600)),
    Case("http_500", _inject(Fault.HTTP_500)),
    Case("html_login_page", _inject(Fault.HTML_LOGIN)),
    Case("truncated_json", _inject(Fault.TRUNCATED_JSON), runs_action=True),
    Case("json_without_result", _inject(Fault.NO_RESULT), runs_action=True),
    Case("not_ready", _inject(Fault.NOT_READY)),
    Case("unexpected", _inject(Fault.UNEXPECTED)),
    Case("router_rebooting", _reboot, ends_by_itself=True),
]
AUTH = [
    Case("password_changed", _change_password),
    Case("throttled", _throttle),
    Case("account_locked", _lock),
]
# The last two rows of the matrix (abort cascade, action no longer known) have own tests.
MATRIX_FAULTS = [c.name for c in TRANSIENT + AUTH] + [
    "abort_cascade",
    "unknown_action",
]
PHASES = ("poll", "write")

WAN_KEYS = ("wan_status", "wan_connection_type", "wan_ip_address", "wan_connectivity")
WORLD = {"clients": 3, "seed": 7}


def _assert_one_warning(
    caplog: pytest.LogCaptureFixture, *, or_none: bool = False
) -> None:
    """Assert the incident was logged as one warning (``or_none``: at most one)."""
    # asyncio's slow-callback notes are an artefact of jumping the frozen clock.
    warnings = [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.WARNING and r.name != "asyncio"
    ]
    assert len(warnings) in ((0, 1) if or_none else (1,)), warnings


async def _end_transient(
    hass: HomeAssistant,
    sim: RouterSimulator,
    freezer: FrozenDateTimeFactory,
    case: Case,
) -> None:
    """End the fault: clear it, or let the reboot's downtime pass by itself."""
    if case.ends_by_itself:
        # A reboot: simulated time passes, polls keep failing until it is back.
        for _ in range(20):
            await tick(hass, freezer)
            await back_online(hass, sim)
            if not sim.is_down:
                return
        pytest.fail("the router did not come back")
    sim.clear_faults()
    await sim.finish_reboot()


def _fix_the_router(sim: RouterSimulator, case: Case) -> str:
    """Do what the user does about an auth fault; return the password they answer with."""
    if case.name == "account_locked":
        sim.unlock_admin_account()
    return NEW_PASSWORD if case.name == "password_changed" else PASSWORD


def _auth_requests(sim: RouterSimulator) -> list[str]:
    return [r.auth for r in sim.requests if r.auth != "none"]


def _assert_translated(err: HomeAssistantError) -> None:
    assert err.translation_domain == DOMAIN
    assert err.translation_key in TRANSLATIONS, err.translation_key
    message = str(err)
    assert message
    assert "{" not in message
    # The user sees the translation, not a key or a Python repr.
    template = TRANSLATIONS[err.translation_key]["message"]
    assert message.startswith(template.split("{")[0].strip().rstrip(".")), (
        message,
        template,
    )


def _but_boot(
    hass: HomeAssistant,
    ids: list[str],
    case: Case,
    shown: dict[str, tuple[str, Any]] | None = None,
) -> dict[str, tuple[str, Any]]:
    """States now (or ``shown``); after a reboot without the last boot, which moved on."""
    result = dict(states(hass, ids) if shown is None else shown)
    if case.ends_by_itself:
        boots = [e for e in result if e.endswith("_last_boot")]
        assert boots
        for entity in boots:
            del result[entity]
    return result


# --- poll phase -------------------------------------------------------------------------


@pytest.mark.parametrize("case", TRANSIENT, ids=lambda c: c.name)
async def test_poll_fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    start_router: StartRouter,
    *,
    caplog: pytest.LogCaptureFixture,
    case: Case,
) -> None:
    sim, entry = await start_router(**WORLD)
    runtime = entry.runtime_data
    ids = entity_ids(hass, entry)
    assert ids
    before = states(hass, ids)
    assert all(s != STATE_UNAVAILABLE for s, _ in before.values())
    caplog.clear()

    await case.start(sim)
    for _ in range(3):
        await tick(hass, freezer)
        # Unavailable, not stale: no entity keeps showing the last value.
        now = states(hass, ids)
        stale = [e for e, (s, _) in now.items() if s != STATE_UNAVAILABLE]
        assert stale == [], stale
    await _end_transient(hass, sim, freezer, case)
    await tick(hass, freezer)

    assert _but_boot(hass, ids, case) == _but_boot(hass, ids, case, before)
    # Back by itself: same entry, same runtime objects, never reloaded.
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data is runtime
    _assert_one_warning(caplog)
    assert "recovered" in caplog.text


@pytest.mark.parametrize("case", AUTH, ids=lambda c: c.name)
async def test_poll_auth_fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    start_router: StartRouter,
    *,
    caplog: pytest.LogCaptureFixture,
    case: Case,
) -> None:
    sim, entry = await start_router(**WORLD)
    ids = entity_ids(hass, entry)
    before = states(hass, ids)
    caplog.clear()
    sim.reset_counters()

    await case.start(sim)
    await tick(hass, freezer)
    assert reauth_flow_ids(hass)
    assert all(s == STATE_UNAVAILABLE for s, _ in states(hass, ids).values())
    first = _auth_requests(sim)
    assert first.count("bad") <= 1
    # Ten minutes of polls while the user has not answered: no password on the wire.
    for _ in range(20):
        await tick(hass, freezer)
    assert _auth_requests(sim) == first
    assert len(reauth_flow_ids(hass)) == 1

    # The user fixes the router (or waits) and answers with the right password.
    await answer_reauth(hass, _fix_the_router(sim, case))
    assert entry.state is ConfigEntryState.LOADED
    assert states(hass, entity_ids(hass, entry)) == before
    assert sum(1 for r in sim.requests if r.auth == "bad") <= 1
    _assert_one_warning(caplog)


async def test_poll_abort_cascade(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    start_router: StartRouter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One action fails mid-transaction: the later ones abort, only its entities go."""
    sim, entry = await start_router(**WORLD)
    runtime = entry.runtime_data
    ids = entity_ids(hass, entry)
    uids = unique_ids(hass, entry)
    wan = [e for e in ids if uids[e].endswith(WAN_KEYS)]
    assert len(wan) == len(WAN_KEYS)
    before = states(hass, ids)
    caplog.clear()

    sim.inject(Fault.UNEXPECTED, action="router/GetWANStatus2")
    for _ in range(3):
        sim.reset_counters()
        await tick(hass, freezer)
        # One request a poll: the aborted parts keep their last answer for one interval,
        # then the failing part goes last and they are read again.
        assert len(sim.requests) == 1
        now = states(hass, ids)
        for target in ids:
            if target in wan:
                assert now[target][0] == STATE_UNAVAILABLE, target
            else:
                assert now[target] == before[target], target
    sim.clear_faults()
    await tick(hass, freezer)
    assert states(hass, ids) == before
    assert entry.runtime_data is runtime
    _assert_one_warning(caplog)


@pytest.mark.parametrize("profile", ["smartwifi", "legacy"])
async def test_poll_action_became_unknown(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    start_router: StartRouter,
    *,
    caplog: pytest.LogCaptureFixture,
    profile: str,
) -> None:
    """A firmware update removed the LED action: dropped from the poll, the rest works."""
    sim, entry = await start_router(**WORLD, profile=profile)
    leds = entity_id(hass, sim, "switch", "leds")
    ids = entity_ids(hass, entry)
    before = states(hass, ids)
    caplog.clear()

    sim.remove_service("routerleds/RouterLEDs")
    await tick(hass, freezer)
    assert state_of(hass, leds) == STATE_UNAVAILABLE
    others = {e: s for e, s in states(hass, ids).items() if e != leds}
    assert others == {e: s for e, s in before.items() if e != leds}

    sim.reset_counters()
    for _ in range(3):
        await tick(hass, freezer)
    # Dropped: one round trip per poll again, without the action.
    assert len(sim.requests) == 3
    assert all(
        not any(a.startswith("routerleds/") for a in r.actions) for r in sim.requests
    )
    assert state_of(hass, leds) == STATE_UNAVAILABLE
    assert entry.state is ConfigEntryState.LOADED
    _assert_one_warning(caplog)


# --- write phase ------------------------------------------------------------------------

ROUTER_SWITCHES = ("guest_wifi", "leds", "parental_controls")
CLIENT_SWITCHES = ("internet_access", "qos_priority")


def _switches(hass: HomeAssistant, sim: RouterSimulator) -> list[str]:
    client = next(d for d in sim.state.devices.values() if not d.is_authority)
    return [entity_id(hass, sim, "switch", key) for key in ROUTER_SWITCHES] + [
        entity_id(hass, sim, "switch", f"{client.device_id}_{key}")
        for key in CLIENT_SWITCHES
    ]


def _flip(hass: HomeAssistant, target: str) -> tuple[str, str]:
    state = hass.states.get(target)
    assert state is not None
    assert state.state in (STATE_ON, STATE_OFF), (target, state.state)
    if state.state == STATE_ON:
        return SERVICE_TURN_OFF, STATE_OFF
    return SERVICE_TURN_ON, STATE_ON


@pytest.mark.parametrize("case", TRANSIENT, ids=lambda c: c.name)
async def test_write_fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    start_router: StartRouter,
    *,
    caplog: pytest.LogCaptureFixture,
    case: Case,
) -> None:
    sim, entry = await start_router(**WORLD, enable=True)
    runtime = entry.runtime_data
    targets = _switches(hass, sim)
    ids = entity_ids(hass, entry)
    before = states(hass, ids)
    settings = router_settings(sim)
    writes = len(sim.write_log)
    caplog.clear()

    # One incident per switch: the failed write's refresh may take the others down.
    for target in targets:
        caplog.clear()
        await case.start(sim)
        service, _ = _flip(hass, target)
        with pytest.raises(HomeAssistantError) as err:
            await switch(hass, service, target, freezer)
        _assert_translated(err.value)
        after = router_settings(sim)
        # Every switch reads before it writes: the fault stops it before the Set.
        assert len(sim.write_log) == writes
        # Nothing else reached the router's settings.
        assert after == settings, target
        await _end_transient(hass, sim, freezer, case)
        await tick(hass, freezer)
        assert _but_boot(hass, ids, case) == _but_boot(hass, ids, case, before)
        assert entry.runtime_data is runtime
        _assert_one_warning(caplog, or_none=True)

    # Working again without a reload: every switch writes and shows the router's answer.
    for target in targets:
        service, expected = _flip(hass, target)
        await switch(hass, service, target, freezer)
        assert state_of(hass, target) == expected
    assert len(sim.write_log) == writes + len(targets)


# Faults an action filter can aim at the Set itself (after the fresh Get succeeded).
SET_STEP = [
    (Fault.TIMEOUT, False),
    (Fault.HTTP_500, False),
    (Fault.HTML_LOGIN, False),
    (Fault.NOT_READY, False),
    (Fault.UNEXPECTED, False),
    # The router ran the Set, only its answer is broken.
    (Fault.TRUNCATED_JSON, True),
    (Fault.NO_RESULT, True),
]


@pytest.mark.parametrize(("fault", "applied"), SET_STEP, ids=str)
async def test_write_fault_at_the_set(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    start_router: StartRouter,
    *,
    fault: Fault,
    applied: bool,
) -> None:
    """A fault at the Set of a read-modify-write: all or nothing, never anything else."""
    sim, _entry = await start_router(**WORLD)
    target = entity_id(hass, sim, "switch", "guest_wifi")
    settings = router_settings(sim)
    service, expected = _flip(hass, target)
    sim.inject(fault, action="guestnetwork/SetGuestRadioSettings", times=1, seconds=1.0)
    with pytest.raises(HomeAssistantError) as err:
        await switch(hass, service, target, freezer)
    _assert_translated(err.value)
    after = router_settings(sim)
    wanted = not settings["guest"].is_guest_network_enabled
    if applied:
        assert after["guest"].is_guest_network_enabled is wanted
        after["guest"].is_guest_network_enabled = not wanted
    assert after == settings
    # The refresh after the error shows what the router really holds.
    state = hass.states.get(target)
    assert state is not None
    if state.state != STATE_UNAVAILABLE:
        assert state.state == (expected if applied else _opposite(expected))


def _opposite(state: str) -> str:
    return STATE_OFF if state == STATE_ON else STATE_ON


@pytest.mark.parametrize("case", AUTH, ids=lambda c: c.name)
async def test_write_auth_fault(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    start_router: StartRouter,
    case: Case,
) -> None:
    sim, entry = await start_router(**WORLD, enable=True)
    targets = _switches(hass, sim)
    writes = len(sim.write_log)
    sim.reset_counters()

    await case.start(sim)
    settings = router_settings(sim)
    for target in targets:
        service, _ = _flip(hass, target)
        with pytest.raises(HomeAssistantError) as err:
            await switch(hass, service, target, freezer)
        _assert_translated(err.value)
        assert err.value.translation_key in ("auth_failed", "password_throttled")
    await hass.async_block_till_done()
    assert len(reauth_flow_ids(hass)) == 1
    first = _auth_requests(sim)
    assert first.count("bad") <= 1
    # Only the first write talked to the router with the password.
    assert len(first) == 1
    for _ in range(10):
        await tick(hass, freezer)
    assert _auth_requests(sim) == first
    assert router_settings(sim) == settings
    assert len(sim.write_log) == writes

    password = _fix_the_router(sim, case)
    if case.name == "throttled":
        await tick(hass, freezer, THROTTLE_SECONDS + 1)
    await answer_reauth(hass, password)
    assert entry.state is ConfigEntryState.LOADED
    target = _switches(hass, sim)[0]
    service, expected = _flip(hass, target)
    await switch(hass, service, target, freezer)
    assert state_of(hass, target) == expected
    assert sum(1 for r in sim.requests if r.auth == "bad") <= 1


async def test_write_abort_cascade(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    start_router: StartRouter,
) -> None:
    """The refresh after a write cascades: the write holds, the switch shows it."""
    sim, entry = await start_router(**WORLD)
    target = entity_id(hass, sim, "switch", "parental_controls")
    uids = unique_ids(hass, entry)
    wan = [e for e, u in uids.items() if u.endswith(WAN_KEYS)]
    settings = router_settings(sim)
    service, expected = _flip(hass, target)
    sim.inject(Fault.UNEXPECTED, action="router/GetWANStatus2")
    await switch(hass, service, target, freezer)
    assert state_of(hass, target) == expected
    assert all(state_of(hass, e) == STATE_UNAVAILABLE for e in wan)
    after = router_settings(sim)
    after["parental"].is_parental_control_enabled = settings[
        "parental"
    ].is_parental_control_enabled
    assert after == settings
    sim.clear_faults()
    await tick(hass, freezer)
    assert all(state_of(hass, e) != STATE_UNAVAILABLE for e in wan)


async def test_write_action_became_unknown(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    start_router: StartRouter,
) -> None:
    """The LED action vanished with a firmware update: the write says so, the rest works."""
    sim, _entry = await start_router(**WORLD)
    leds = entity_id(hass, sim, "switch", "leds")
    guest = entity_id(hass, sim, "switch", "guest_wifi")
    settings = router_settings(sim)
    sim.remove_service("routerleds/RouterLEDs")
    service, _ = _flip(hass, leds)
    with pytest.raises(HomeAssistantError) as err:
        await switch(hass, service, leds, freezer)
    _assert_translated(err.value)
    assert err.value.translation_key == "unsupported_action"
    assert router_settings(sim) == settings
    await tick(hass, freezer)
    assert state_of(hass, leds) == STATE_UNAVAILABLE
    service, expected = _flip(hass, guest)
    await switch(hass, service, guest, freezer)
    assert state_of(hass, guest) == expected


def test_matrix_is_complete() -> None:
    """Count for the report: every fault of issue 7 in both phases."""
    assert len(MATRIX_FAULTS) == 14
    covered = {(f, p) for f in MATRIX_FAULTS for p in PHASES}
    assert len(covered) == 28
