"""Repair issues: the factory admin password; MACs a block could not give back to a rule."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
import hashlib

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import slugify

from .const import DOMAIN
from .coordinator import LinksysJnapConfigEntry
from .jnap.poll import PART_ADMIN_PASSWORD_DEFAULT

ISSUE_DEFAULT_PASSWORD = "default_admin_password"  # noqa: S105
ISSUE_RULE_NOT_RESTORED = "rule_not_restored"
# Rides in a poll's transaction (never a request of its own): rarely, the factory password
# is not something that changes by itself.
PASSWORD_CHECK_INTERVAL = timedelta(hours=1)


def default_password_issue_id(entry: LinksysJnapConfigEntry) -> str:
    """Issue id of one router's factory-password issue."""
    return f"{ISSUE_DEFAULT_PASSWORD}_{entry.entry_id}"


@callback
def _apply_admin_password_answer(
    hass: HomeAssistant, entry: LinksysJnapConfigEntry, is_default: bool | None
) -> None:
    """Raise the issue (True), clear it (False) or leave it as it is (None: no answer)."""
    runtime = entry.runtime_data
    issue_id = default_password_issue_id(entry)
    if is_default:
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="default_admin_password",
            translation_placeholders={
                "name": entry.title,
                "url": str(runtime.device_info.get("configuration_url") or ""),
            },
        )
    elif is_default is False:
        ir.async_delete_issue(hass, DOMAIN, issue_id)


@callback
def async_setup_password_check(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    *,
    initial: bool | None = None,
) -> None:
    """Apply the answer read at setup, then check every hour in a poll until unload.

    ``initial`` is the router's answer read at setup (same request as its device info).
    None (no answer) asks in the next poll. ``core/IsAdminPasswordDefault`` is an open
    action the coordinator adds to that poll's one transaction.
    """
    coordinator = entry.runtime_data.coordinator
    coordinator.on_admin_password_default = partial(
        _apply_admin_password_answer, hass, entry
    )
    if initial is None:
        coordinator.async_request_check(PART_ADMIN_PASSWORD_DEFAULT)
    else:
        _apply_admin_password_answer(hass, entry, initial)

    @callback
    def _periodic(_now: datetime) -> None:
        coordinator.async_request_check(PART_ADMIN_PASSWORD_DEFAULT)

    @callback
    def _forget() -> None:
        # A removed or disabled router should not keep a warning.
        ir.async_delete_issue(hass, DOMAIN, default_password_issue_id(entry))

    entry.async_on_unload(
        async_track_time_interval(hass, _periodic, PASSWORD_CHECK_INTERVAL)
    )
    entry.async_on_unload(_forget)


def rule_issue_id(entry: LinksysJnapConfigEntry, rule: str) -> str:
    """Issue id of the MACs one parental rule of the user's did not get back."""
    # The digest keeps rules whose names slugify alike ("Kids", "kids") apart.
    digest = hashlib.sha256(rule.encode()).hexdigest()[:8]
    return (
        f"{ISSUE_RULE_NOT_RESTORED}_{entry.entry_id}_{slugify(rule) or 'rule'}_{digest}"
    )


@callback
def async_raise_rule_not_restored(
    hass: HomeAssistant, entry: LinksysJnapConfigEntry, rule: str, macs: list[str]
) -> None:
    """Tell the user which MACs unblocking left out of their changed or deleted rule."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        rule_issue_id(entry, rule),
        is_fixable=False,
        is_persistent=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=ISSUE_RULE_NOT_RESTORED,
        translation_placeholders={
            "name": entry.title,
            "rule": rule,
            "macs": ", ".join(macs),
        },
    )


@callback
def async_clear_rule_not_restored(
    hass: HomeAssistant, entry: LinksysJnapConfigEntry, rule: str
) -> None:
    """Drop a rule's issue (its MACs are in a rule of the user's again, or unload)."""
    ir.async_delete_issue(hass, DOMAIN, rule_issue_id(entry, rule))
