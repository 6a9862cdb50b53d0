"""Typed errors of the JNAP client.

Hierarchy::

    JNAPError
    ├── JNAPAuthenticationError          wrong/missing password (_ErrorUnauthorized,
    │   │                                ErrorInvalidAdminPassword)
    │   ├── JNAPPasswordThrottledError   ErrorPasswordCheckDelayed (wait delay_seconds)
    │   └── JNAPAccountLockedError       ErrorAdminAccountLocked
    ├── JNAPUnsupportedActionError       _ErrorUnknownAction / action not listed by the router
    ├── JNAPInvalidInputError            _ErrorInvalidInput
    │   └── JNAPRuleConflictError        a user's rule already lists the device (no request)
    ├── JNAPPreconditionError            the router's own state rules the action out (no request)
    ├── JNAPNotReadyError                _ErrorNotReady (router busy; retry later)
    ├── JNAPAbortedError                 _ErrorAbortedAction (an earlier transaction entry failed)
    ├── JNAPActionError                  any other result code (_ErrorUnexpected, ...)
    ├── JNAPConnectionError              cannot reach the router
    │   └── JNAPTimeoutError             no answer in time
    └── JNAPProtocolError                not a JNAP answer (HTTP status, HTML, bad JSON, ...)

Messages never contain the admin password or its Basic encoding: the client scrubs router
texts before building errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Result codes the client gives a meaning to.
RESULT_OK = "OK"
ERROR_TRANSACTION = "Error"
ERROR_UNAUTHORIZED = "_ErrorUnauthorized"
ERROR_UNKNOWN_ACTION = "_ErrorUnknownAction"
ERROR_INVALID_INPUT = "_ErrorInvalidInput"
ERROR_NOT_READY = "_ErrorNotReady"
ERROR_UNEXPECTED = "_ErrorUnexpected"
ERROR_ABORTED = "_ErrorAbortedAction"
ERROR_INVALID_ADMIN_PASSWORD = "ErrorInvalidAdminPassword"  # noqa: S105
ERROR_PASSWORD_CHECK_DELAYED = "ErrorPasswordCheckDelayed"  # noqa: S105
ERROR_ADMIN_ACCOUNT_LOCKED = "ErrorAdminAccountLocked"
ERROR_HEALTH_CHECK_RUNNING = "ErrorHealthCheckAlreadyRunning"
ERROR_WPS_NOT_ENABLED = "ErrorWPSServerNotEnabled"
WPS_NOT_AVAILABLE = "WPSServerNotAvailable"
"""``JNAPPreconditionError.code``: ``IsWPSServerAvailable`` said no (client-side code)."""
ERROR_INVALID_WAN_TYPE = "ErrorInvalidWANType"
"""The WAN type has no lease to renew or PPP link to redial (router.lua); the client raises
it as ``JNAPPreconditionError`` before sending too."""


class JNAPError(Exception):
    """Base of every error raised by the JNAP client."""

    def __init__(
        self, message: str, *, action: str | None = None, code: str | None = None
    ) -> None:
        """Store the short action name and JNAP result code (when known)."""
        super().__init__(message)
        self.message = message
        self.action = action
        self.code = code


class JNAPAuthenticationError(JNAPError):
    """The router refused the admin password (or it is missing)."""

    def __init__(
        self,
        message: str,
        *,
        action: str | None = None,
        code: str | None = None,
        attempts_remaining: int | None = None,
    ) -> None:
        """Also keep how many attempts remain before throttling, when the router says."""
        super().__init__(message, action=action, code=code)
        self.attempts_remaining = attempts_remaining


class JNAPPasswordThrottledError(JNAPAuthenticationError):
    """Too many wrong passwords: checks are refused for ``delay_seconds``."""

    def __init__(
        self,
        message: str,
        *,
        action: str | None = None,
        code: str | None = None,
        attempts_remaining: int | None = None,
        delay_seconds: int | None = None,
    ) -> None:
        """Keep the remaining delay (seconds) the router announced."""
        super().__init__(
            message, action=action, code=code, attempts_remaining=attempts_remaining
        )
        self.delay_seconds = delay_seconds


class JNAPAccountLockedError(JNAPAuthenticationError):
    """The admin account is locked after too many wrong passwords."""


class JNAPUnsupportedActionError(JNAPError):
    """The router does not know this action (or does not list its service)."""


class JNAPInvalidInputError(JNAPError):
    """The router rejected the request body (missing/unexpected member, bad value)."""


class JNAPRuleConflictError(JNAPInvalidInputError):
    """A write would collide with a rule the user made (found before anything is sent)."""

    def __init__(
        self, message: str, *, action: str | None = None, rule: str | None = None
    ) -> None:
        """Store the name (description) of the user's rule."""
        super().__init__(message, action=action)
        self.rule = rule


class JNAPPreconditionError(JNAPError):
    """The router's state rules the action out, so it was not sent (``code`` says why).

    For actions the firmware would accept and then fail at, e.g. WPS with WPA3-only radios.
    """


class JNAPNotReadyError(JNAPError):
    """The router is busy and refused the action for now."""


class JNAPAbortedError(JNAPError):
    """The action was not run because an earlier action of its transaction failed."""


class JNAPActionError(JNAPError):
    """The router answered the action with another error code."""


class JNAPConnectionError(JNAPError):
    """The router could not be reached."""


class JNAPTimeoutError(JNAPConnectionError):
    """The router did not answer in time."""


class JNAPProtocolError(JNAPError):
    """The answer is not a usable JNAP answer."""


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def error_from_result(
    code: str,
    message: str | None,
    *,
    action: str | None,
    output: Mapping[str, Any] | None = None,
) -> JNAPError:
    """Build the typed error for a JNAP result code.

    ``message`` must already be scrubbed of secrets.
    """
    text = f"{action or 'JNAP'}: {code}" + (f" ({message})" if message else "")
    out = output or {}
    attempts = _as_int(out.get("attemptsRemaining"))
    if code == ERROR_PASSWORD_CHECK_DELAYED:
        return JNAPPasswordThrottledError(
            text,
            action=action,
            code=code,
            attempts_remaining=attempts,
            delay_seconds=_as_int(out.get("delayTimeRemaining")),
        )
    if code == ERROR_ADMIN_ACCOUNT_LOCKED:
        return JNAPAccountLockedError(
            text, action=action, code=code, attempts_remaining=attempts
        )
    if code in (ERROR_UNAUTHORIZED, ERROR_INVALID_ADMIN_PASSWORD):
        return JNAPAuthenticationError(
            text, action=action, code=code, attempts_remaining=attempts
        )
    if code == ERROR_UNKNOWN_ACTION:
        return JNAPUnsupportedActionError(text, action=action, code=code)
    if code == ERROR_INVALID_INPUT:
        return JNAPInvalidInputError(text, action=action, code=code)
    if code == ERROR_NOT_READY:
        return JNAPNotReadyError(text, action=action, code=code)
    if code == ERROR_ABORTED:
        return JNAPAbortedError(text, action=action, code=code)
    return JNAPActionError(text, action=action, code=code)
