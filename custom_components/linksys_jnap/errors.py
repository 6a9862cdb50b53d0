"""JNAP error -> translated Home Assistant error: at setup, for polls and for writes.

A table each (what the user reads, whether a write refreshes first, whether the router's
text is shown): setup raises ``ConfigEntryNotReady``, polls ``ConfigEntryAuthFailed`` or
``UpdateFailed``, writes ``HomeAssistantError``.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
)
from homeassistant.helpers.update_coordinator import UpdateFailed

from .const import DOMAIN
from .jnap import firewall as fw
from .jnap.errors import (
    ERROR_HEALTH_CHECK_RUNNING,
    ERROR_INVALID_WAN_TYPE,
    ERROR_WPS_NOT_ENABLED,
    WPS_NOT_AVAILABLE,
    JNAPActionError,
    JNAPAuthenticationError,
    JNAPConnectionError,
    JNAPError,
    JNAPInvalidInputError,
    JNAPNotReadyError,
    JNAPPasswordThrottledError,
    JNAPPreconditionError,
    JNAPRuleConflictError,
    JNAPTimeoutError,
    JNAPUnsupportedActionError,
)
from .jnap.radio import BAND_STEERING_JOINED


@dataclass(frozen=True, slots=True)
class ErrorText:
    """How a JNAP error reaches the user."""

    translation_key: str
    refresh: bool = False
    """A write polls again first: the router may have changed something after all."""
    with_message: bool = False
    """The router's text goes in the ``error`` placeholder."""


# Most specific first: the first class the error is an instance of decides.
_SETUP_ERRORS: tuple[tuple[type[JNAPError], ErrorText], ...] = (
    (JNAPConnectionError, ErrorText("cannot_connect")),
    (JNAPError, ErrorText("update_failed", with_message=True)),
)
_POLL_ERRORS: tuple[tuple[type[JNAPError], ErrorText], ...] = (
    (JNAPPasswordThrottledError, ErrorText("password_throttled")),
    (JNAPAuthenticationError, ErrorText("auth_failed")),
    (JNAPTimeoutError, ErrorText("timeout")),
    (JNAPConnectionError, ErrorText("cannot_connect")),
    (JNAPError, ErrorText("update_failed", with_message=True)),
)
_WRITE_ERRORS: tuple[tuple[type[JNAPError], ErrorText], ...] = (
    (JNAPAuthenticationError, ErrorText("auth_failed")),
    (JNAPNotReadyError, ErrorText("router_busy")),
    (JNAPConnectionError, ErrorText("cannot_connect")),
    # Found before anything was sent: the router is as it was.
    (JNAPRuleConflictError, ErrorText("rule_conflict")),
    (JNAPInvalidInputError, ErrorText("invalid_input", True, True)),
    (JNAPUnsupportedActionError, ErrorText("unsupported_action")),
    (JNAPError, ErrorText("write_failed", True, True)),
)
# Refusals the firmware (or the client, before sending) names: the router is as it was.
_REFUSALS: dict[tuple[type[JNAPError], str], ErrorText] = {
    (JNAPActionError, ERROR_HEALTH_CHECK_RUNNING): ErrorText("speed_test_running"),
    (JNAPActionError, ERROR_WPS_NOT_ENABLED): ErrorText("wps_not_enabled"),
    (JNAPPreconditionError, WPS_NOT_AVAILABLE): ErrorText("wps_not_available"),
    # Main Wi-Fi radios (wirelessap.lua): band steering keeps the radios it joins alike.
    (JNAPPreconditionError, BAND_STEERING_JOINED): ErrorText("band_steering_joined"),
    (JNAPActionError, "ErrorInvalidBandSteeringRadioSettings"): ErrorText(
        "band_steering_joined"
    ),
    (JNAPActionError, "ErrorGuestSSIDConflict"): ErrorText("guest_ssid_conflict"),
    # Device list and diagnostics (services_router; docs/firmware-facts.md).
    (JNAPActionError, "ErrorUnknownDevice"): ErrorText("client_gone", True),
    (JNAPActionError, "ErrorTooManyProperties"): ErrorText("too_many_properties"),
    (JNAPActionError, "ErrorInvalidHost"): ErrorText("host_refused"),
    # The WAN type changed since the poll showed it: the next poll shows the new one.
    (JNAPActionError, ERROR_INVALID_WAN_TYPE): ErrorText("wan_reconnect_refused", True),
    (JNAPPreconditionError, ERROR_INVALID_WAN_TYPE): ErrorText("wan_reconnect_refused"),
}
# Port rules: the firmware's codes (firewall.lua), answered by the router or found by the
# client before sending (jnap/firewall.py raises the same codes).
_REFUSALS.update(
    {
        (kind, code): ErrorText(key)
        for kind in (JNAPActionError, JNAPPreconditionError)
        for code, key in {
            fw.INVALID_EXTERNAL_PORT: "port_refused_ports",
            fw.INVALID_INTERNAL_PORT: "port_refused_ports",
            fw.INVALID_EXTERNAL_RANGE: "port_refused_ports",
            fw.INVALID_TARGET: "port_target_outside_lan",
            fw.DESCRIPTION_TOO_LONG: "port_description_too_long",
            fw.RULES_OVERLAP: "port_rules_overlap",
            fw.TOO_MANY_RULES: "port_too_many_rules",
            fw.RULE_GONE: "port_rule_gone",
        }.items()
    }
)


def _placeholders(
    err: JNAPError, text: ErrorText, **more: str
) -> dict[str, str] | None:
    placeholders = {"error": err.message} if text.with_message else {}
    return {**placeholders, **more} or None


def _text(
    table: tuple[tuple[type[JNAPError], ErrorText], ...], err: JNAPError
) -> ErrorText:
    return next(text for kind, text in table if isinstance(err, kind))


def setup_error(err: JNAPError) -> ConfigEntryNotReady:
    """Return the error for a router that could not be read at setup (retried later)."""
    text = _text(_SETUP_ERRORS, err)
    return ConfigEntryNotReady(
        translation_domain=DOMAIN,
        translation_key=text.translation_key,
        translation_placeholders=_placeholders(err, text),
    )


def poll_error(err: JNAPError) -> ConfigEntryAuthFailed | UpdateFailed:
    """Return the coordinator's error for a failed poll: reauth, or the poll failed."""
    text = _text(_POLL_ERRORS, err)
    error = (
        ConfigEntryAuthFailed
        if isinstance(err, JNAPAuthenticationError)
        else UpdateFailed
    )
    return error(
        translation_domain=DOMAIN,
        translation_key=text.translation_key,
        translation_placeholders=(
            _placeholders(err, text, seconds=str(err.delay_seconds or 0))
            if isinstance(err, JNAPPasswordThrottledError)
            else _placeholders(err, text)
        ),
    )


def write_error(err: JNAPError) -> tuple[HomeAssistantError, bool]:
    """Return a failed write's error, and whether to refresh before raising it."""
    text = _REFUSALS.get((type(err), err.code or "")) or _text(_WRITE_ERRORS, err)
    return (
        HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=text.translation_key,
            translation_placeholders=(
                _placeholders(err, text, rule=err.rule or "")
                if isinstance(err, JNAPRuleConflictError)
                else _placeholders(err, text)
            ),
        ),
        text.refresh,
    )
