"""Factory admin password: repair issue raised at setup, cleared when the password changes."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from custom_components.linksys_jnap.const import DOMAIN
from custom_components.linksys_jnap.repairs import (
    PASSWORD_CHECK_INTERVAL,
    async_check_admin_password,
    default_password_issue_id,
)
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import tick
from tests.simulator import Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory


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
    # Checked outside the poll: the open action is alone in its request.
    check = [r for r in router.requests if "core/IsAdminPasswordDefault" in r.actions]
    assert [r.actions for r in check] == [("core/IsAdminPasswordDefault",)]

    # Still the default an hour later: still raised.
    await tick(hass, freezer, PASSWORD_CHECK_INTERVAL.total_seconds())
    assert _issue(hass, issue_id) is not None

    router.state.admin.is_default = False  # the user set a password of their own
    await tick(hass, freezer, PASSWORD_CHECK_INTERVAL.total_seconds())
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
) -> None:
    entry = await setup_integration(router)
    issue_id = default_password_issue_id(entry)
    assert _issue(hass, issue_id) is None

    router.state.admin.is_default = True
    router.inject(Fault.HTTP_500, action="core/IsAdminPasswordDefault", times=1)
    await async_check_admin_password(hass, entry)
    assert _issue(hass, issue_id) is None

    # After an authentication failure the client must not send the password again.
    entry.runtime_data.coordinator.auth_failed = True
    router.reset_counters()
    await async_check_admin_password(hass, entry)
    assert router.requests == []
    assert _issue(hass, issue_id) is None

    entry.runtime_data.coordinator.auth_failed = False
    await async_check_admin_password(hass, entry)
    assert _issue(hass, issue_id) is not None
