"""No secret leaked: password, its Basic encoding, guest and Wi-Fi passphrases.

Debug logging is on for the integration and aiohttp while the integration is set up,
polls, writes every switch, meets errors (faults, a changed password, reauth) and
produces diagnostics. No log record, exception message, diagnostics output, state or
repr may contain a secret.
"""

from __future__ import annotations

import base64
import json
import logging
import traceback

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import SERVICE_TURN_OFF, SERVICE_TURN_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.linksys_jnap.const import DOMAIN
from tests.conftest import PASSWORD
from tests.reliability.conftest import (
    StartRouter,
    answer_reauth,
    entity_ids,
    switch,
    tick,
)
from tests.simulator import Fault, RouterSimulator

NEW_PASSWORD = "n3w-s3cret-pass"
WRONG_PASSWORD = "not-it-either"  # typed into reauth: a secret too
LOGGERS = ("custom_components.linksys_jnap", "aiohttp", "homeassistant")


def _basic(password: str) -> str:
    return base64.b64encode(f"admin:{password}".encode()).decode()


def _secrets(sim: RouterSimulator) -> set[str]:
    found = {
        password
        for pw in (PASSWORD, NEW_PASSWORD, WRONG_PASSWORD)
        for password in (pw, _basic(pw))
    }
    found.update(r.guest_password for r in sim.state.guest.radios)
    found.update(r.settings.passphrase for r in sim.state.radios)
    assert all(len(s) >= 8 for s in found), found
    return found


def _exception_texts(err: BaseException | None) -> list[str]:
    texts: list[str] = []
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        texts.extend(
            [
                str(err),
                repr(err),
                *map(str, getattr(err, "args", ())),
                *traceback.format_exception_only(err),
            ]
        )
        err = err.__cause__ or err.__context__
    return texts


def _leaks(texts: list[str], secrets: set[str]) -> list[tuple[str, str]]:
    return [(s, t[:200]) for t in texts for s in secrets if s in t]


@pytest.mark.parametrize("profile", ["smartwifi", "velop"])
async def test_no_secret_anywhere(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    start_router: StartRouter,
    *,
    caplog: pytest.LogCaptureFixture,
    profile: str,
) -> None:
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []

    # Setup, polls.
    sim, entry = await start_router(profile=profile, clients=4, seed=3, enable=True)
    secrets = _secrets(sim)
    for _ in range(2):
        await tick(hass, freezer)
    runtime = entry.runtime_data
    switches = [e for e in entity_ids(hass, entry) if e.startswith("switch.")]
    assert switches

    # Writes: every switch both ways.
    for target in switches:
        for service in (SERVICE_TURN_OFF, SERVICE_TURN_ON):
            state = hass.states.get(target)
            assert state is not None
            assert state.state != STATE_UNAVAILABLE
            try:
                await switch(hass, service, target, freezer)
            except HomeAssistantError as refused:  # e.g. a guest SSID conflict
                texts.extend(_exception_texts(refused))

    # Errors during polls and writes.
    for fault in (
        Fault.HTTP_500,
        Fault.TRUNCATED_JSON,
        Fault.NO_RESULT,
        Fault.UNEXPECTED,
        Fault.TIMEOUT,
        Fault.HTML_LOGIN,
    ):
        sim.inject(fault, seconds=1.0)
        await tick(hass, freezer)
        texts.extend(_exception_texts(runtime.coordinator.last_exception))
        sim.clear_faults()
        await tick(hass, freezer)
        sim.inject(fault, times=1, seconds=1.0)
        with pytest.raises(HomeAssistantError) as err:
            await switch(hass, SERVICE_TURN_OFF, switches[0], freezer)
        texts.extend(_exception_texts(err.value))
        sim.clear_faults()
        await tick(hass, freezer)

    # Password changed on the router: auth error, reauth, a wrong then a right answer.
    sim.set_admin_password(NEW_PASSWORD)
    with pytest.raises(HomeAssistantError) as err:
        await switch(hass, SERVICE_TURN_ON, switches[0], freezer)
    texts.extend(_exception_texts(err.value))
    await tick(hass, freezer)
    texts.extend(_exception_texts(runtime.coordinator.last_exception))
    flows = [
        f["flow_id"] for f in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    ]
    result = await hass.config_entries.flow.async_configure(
        flows[0], {"password": WRONG_PASSWORD}
    )
    texts.append(json.dumps(result, default=str))
    assert result.get("errors"), result  # refused, the form asks again
    sim.unlock_admin_account()
    await answer_reauth(hass, NEW_PASSWORD)
    await tick(hass, freezer)
    runtime = entry.runtime_data

    # Diagnostics.
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    texts.append(json.dumps(diagnostics, default=str))

    # Reprs of everything the integration holds, and every state.
    coordinator = runtime.coordinator
    texts.extend(
        [
            repr(entry),
            repr(runtime),
            repr(runtime.api),
            repr(coordinator),
            repr(coordinator.data),
            *(repr(c) for c in coordinator.data.clients.values()),
            repr(coordinator.data.guest_network),
            repr(coordinator.data.parental_control),
        ]
    )
    radio_info = await runtime.api.get_radio_info()
    texts.append(repr(radio_info))
    assert radio_info.radios  # read with passphrases inside, shown without
    for state in hass.states.async_all():
        texts.append(repr(state))
        texts.append(json.dumps(state.as_dict(), default=str))

    # Every log record, formatted with its traceback.
    records = caplog.records
    assert any(
        r.name.startswith("aiohttp") or "JNAP" in r.getMessage() for r in records
    )
    assert any(r.name.startswith("custom_components.linksys_jnap") for r in records)
    texts.append(caplog.text)
    for record in records:
        texts.append(record.getMessage())
        texts.append(repr(record.args))
        if record.exc_info and record.exc_info[1] is not None:
            texts.extend(_exception_texts(record.exc_info[1]))

    assert _leaks(texts, secrets) == []
    # The secrets were really in play: the router holds them, the client sent them.
    assert sim.state.admin.password == NEW_PASSWORD
    assert any(r.auth == "ok" for r in sim.requests)


def test_leak_finder_finds() -> None:
    """The check itself is not blind."""
    secrets = {PASSWORD, _basic(PASSWORD)}
    err = RuntimeError(f"header Basic {_basic(PASSWORD)}")
    assert _leaks(_exception_texts(err), secrets)
    assert _leaks([f"pw={PASSWORD}"], secrets)
    assert _leaks(["nothing here"], secrets) == []
