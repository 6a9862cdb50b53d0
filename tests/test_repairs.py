"""Factory admin password: repair issue raised at setup, cleared when the password changes."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest

from custom_components.linksys_jnap.const import DOMAIN, SCAN_INTERVAL
from custom_components.linksys_jnap.repairs import (
    PASSWORD_CHECK_INTERVAL,
    default_password_issue_id,
)
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import tick
from tests.simulator import Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory

OPEN_PAIR = ("core/GetDeviceInfo", "core/IsAdminPasswordDefault")


async def _an_hour_and_a_poll(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    # The hourly timer marks the check due; the next poll carries it.
    await tick(hass, freezer, PASSWORD_CHECK_INTERVAL.total_seconds())
    await tick(hass, freezer, SCAN_INTERVAL.total_seconds())


def _issue(hass: HomeAssistant, issue_id: str) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, issue_id)


async def test_issue_raised_and_cleared(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    router.state.admin.is_default = True
    entry = await setup_integration(router)
    issue_id = default_password_issue_id(entry)
    issue = _issue(hass, issue_id)
    assert issue is not None
    assert issue.translation_key == "default_admin_password"
    assert issue.severity is ir.IssueSeverity.WARNING
    assert not issue.is_fixable
    assert issue.translation_placeholders == {
        "name": entry.title,
        "url": f"http://{router.host}/",
    }
    # Read at setup with the device info: open actions only, no password, one request.
    check = [r for r in router.requests if "core/IsAdminPasswordDefault" in r.actions]
    assert [(r.actions, r.auth) for r in check] == [(OPEN_PAIR, "none")]

    # Still the default an hour later: still raised. The hourly check rides in that
    # interval's poll: one POST, the open action at the end of the poll's transaction.
    router.reset_counters()
    await _an_hour_and_a_poll(hass, freezer)
    assert _issue(hass, issue_id) is not None
    check = [r for r in router.requests if "core/IsAdminPasswordDefault" in r.actions]
    assert len(check) == 1
    assert check[0].transaction
    assert check[0].auth == "ok"
    assert len(check[0].actions) > 1
    assert check[0].actions[-1] == "core/IsAdminPasswordDefault"

    router.state.admin.is_default = False  # the user set a password of their own
    await _an_hour_and_a_poll(hass, freezer)
    assert _issue(hass, issue_id) is None


async def test_velop_checks_without_mixing_and_unload_clears(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    sim = await router_factory(profile="velop", password=PASSWORD, clients=2, seed=3)
    sim.state.admin.is_default = True
    entry = await setup_integration(sim)
    issue_id = default_password_issue_id(entry)
    assert _issue(hass, issue_id) is not None
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert _issue(hass, issue_id) is None


async def test_no_issue_with_own_password_and_errors_change_nothing(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = await setup_integration(router)
    issue_id = default_password_issue_id(entry)
    assert _issue(hass, issue_id) is None

    # The check's entry fails (booting: _ErrorNotReady): nothing changes, the rest of the
    # poll is read, and the next check is an hour away.
    router.state.admin.is_default = True
    router.inject(Fault.NOT_READY, action="core/IsAdminPasswordDefault", times=1)
    await _an_hour_and_a_poll(hass, freezer)
    assert _issue(hass, issue_id) is None
    coordinator = entry.runtime_data.coordinator
    assert coordinator.last_update_success
    assert not coordinator.data.failed_parts
    router.reset_counters()
    await tick(hass, freezer, SCAN_INTERVAL.total_seconds())
    assert len(router.requests) == 1  # the next poll
    assert not any("core/IsAdminPasswordDefault" in r.actions for r in router.requests)

    # After an authentication failure the client must not send the password again.
    coordinator.auth_failed = True
    router.reset_counters()
    await _an_hour_and_a_poll(hass, freezer)
    assert router.requests == []
    assert _issue(hass, issue_id) is None


async def test_reload_reads_the_flag_with_the_device_info(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
) -> None:
    entry = await setup_integration(router)
    issue_id = default_password_issue_id(entry)
    assert _issue(hass, issue_id) is None
    # Reset on the router (factory password again), then a reload: raised at once, from
    # the setup's combined read, with no request of its own.
    router.state.admin.is_default = True
    router.reset_counters()
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert _issue(hass, issue_id) is not None
    assert [r.actions for r in router.requests if not r.transaction] == []
    assert router.requests[0].actions == OPEN_PAIR


@pytest.mark.parametrize(
    "fault", [Fault.HTTP_500, Fault.UNEXPECTED], ids=["refused", "entry-failed"]
)
async def test_issue_raised_when_setup_read_gave_no_answer(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
    fault: Fault,
) -> None:
    # No answer in the combined read (whole request refused, or its entry failed): the
    # check rides in the next poll's transaction, never a request of its own.
    router.state.admin.is_default = True
    router.inject(fault, action="core/IsAdminPasswordDefault", times=1)
    entry = await setup_integration(router)
    assert _issue(hass, default_password_issue_id(entry)) is None
    router.reset_counters()
    await tick(hass, freezer, SCAN_INTERVAL.total_seconds())
    assert _issue(hass, default_password_issue_id(entry)) is not None
    assert len(router.requests) == 1
    assert router.requests[0].actions[-1] == "core/IsAdminPasswordDefault"
