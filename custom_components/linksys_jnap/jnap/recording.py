"""The recorder: a router's answers in the replay router's format, and their redaction.

Diagnostics record the poll's actions (``JNAPClient.record``); the command line's
``record`` records every read the router lists (``read_actions``) and redacts the file for
a bug report (``redact_recording``). Tests replay either (tests/fixtures/real/README.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from . import actions as act
from .actions import ACTIONS, short_name
from .capabilities import Capabilities
from .errors import ERROR_ABORTED, RESULT_OK
from .models import DeviceInfo
from .redact import Redactor
from .transaction import Call, TransactionEngine

RECORDING_FORMAT: Final = "linksys_jnap.recording"
"""``format`` of a recording: what the replay router in the tests answers from."""

RECORD_SOURCE: Final = "linksys-jnap record"
"""``source`` of a recording made by the command line's ``record``."""

# Reads ``record`` leaves out: the router's traffic logs (the household's connections; they
# also need paging requests).
_NOT_RECORDED: Final = frozenset(
    {
        act.GET_DHCP_LOG_ENTRIES,
        act.GET_INCOMING_LOG_ENTRIES,
        act.GET_OUTGOING_LOG_ENTRIES,
        act.GET_SECURITY_LOG_ENTRIES,
    }
)
_HINT_KEY: Final = "passwordHint"


async def record(
    engine: TransactionEngine, actions: Sequence[str], device: DeviceInfo | None
) -> dict[str, Any]:
    """Answers in the replay router's format (tests/fixtures/real/README.md), unredacted.

    Entries aborted by an earlier failure are asked again without it, so one refusal costs
    only its own answer. ``device`` names the router in the recording.
    """
    info = await engine.call_action(act.GET_DEVICE_INFO)
    answers: dict[str, dict[str, Any]] = {
        act.GET_DEVICE_INFO: {"result": RESULT_OK, "output": dict(info)}
    }
    pending = [short_name(a) for a in actions]
    for _attempt in range(len(pending)):
        if not pending:
            break
        results = await engine.transaction([Call(a) for a in pending])
        retry: list[str] = []
        for result in results:
            if result.code == ERROR_ABORTED:
                retry.append(result.action)
                continue
            answer: dict[str, Any] = {"result": result.code}
            if result.output or result.ok:
                answer["output"] = dict(result.output)
            if result.message:
                answer["error"] = result.message
            answers[result.action] = answer
        pending = retry
    return {
        "format": RECORDING_FORMAT,
        "version": 1,
        "model": device.model_number if device else None,
        "hardware_version": device.hardware_version if device else None,
        "firmware": device.firmware_version if device else None,
        "answers": answers,
    }


def read_actions(caps: Capabilities) -> list[str]:
    """Every read action of the catalogue that ``caps`` lists (all versions), sorted.

    Reads are ``Get*``/``Is*`` actions; ``core/GetDeviceInfo`` is recorded anyway, and the
    traffic logs are left out.
    """
    return sorted(
        spec.short
        for spec in ACTIONS.values()
        if spec.name.startswith(("Get", "Is"))
        and spec.short != act.GET_DEVICE_INFO
        and spec.short not in _NOT_RECORDED
        and caps.has_action(spec.short)
    )


def redact_recording(recording: Mapping[str, Any], password: str = "") -> Any:
    """Return a copy of a recording redacted as diagnostics are, the password hint too."""
    redacted = Redactor(recording).apply(recording)
    return _hide(redacted, password)


def _hide(value: Any, password: str, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _hide(v, password, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_hide(v, password, key) for v in value]
    if isinstance(value, str) and value and (key == _HINT_KEY or value == password):
        return "*" * len(value)
    return value
