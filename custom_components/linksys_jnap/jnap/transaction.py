"""The transaction engine: many actions in one ``core/Transaction`` POST, and its recovery.

Recovery covers what real firmware does: entries answering ``_ErrorUnknownAction`` (dropped
from the capabilities, the rest sent again), the legacy top-level ``_ErrorUnknownAction``
without entries (the culprit found, by splitting the batch if need be) and firmware that
refuses to mix open and password actions in one POST (split from then on).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
import logging
from typing import Any

from .actions import ACTIONS, TRANSACTION, action_uri, needs_password, short_name
from .capabilities import Capabilities
from .errors import (
    ERROR_ABORTED,
    ERROR_UNAUTHORIZED,
    ERROR_UNKNOWN_ACTION,
    RESULT_OK,
    JNAPError,
    JNAPProtocolError,
    JNAPUnsupportedActionError,
    error_from_result,
)
from .models import as_list, as_mapping, as_str
from .transport import Transport, envelope_status

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Call:
    """One action to run inside a transaction."""

    action: str
    """Short name (``"router/GetWANStatus3"``) or full URI."""
    request: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What the router answered for one action of a transaction."""

    action: str
    code: str
    output: Mapping[str, Any] = field(default_factory=dict)
    message: str | None = None
    side_effects: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the action succeeded."""
        return self.code == RESULT_OK

    @property
    def error(self) -> JNAPError | None:
        """The typed error, None on success."""
        if self.ok:
            return None
        return error_from_result(
            self.code, self.message, action=self.action, output=self.output
        )

    def raise_for_error(self) -> Mapping[str, Any]:
        """Return the output, or raise the typed error."""
        error = self.error
        if error is not None:
            raise error
        return self.output


def _is_mixed(calls: Sequence[Call]) -> bool:
    kinds = {needs_password(c.action) for c in calls}
    return len(kinds) > 1


class TransactionEngine:
    """Sends single actions and transactions, learning what the router refuses."""

    def __init__(self, transport: Transport) -> None:
        """Start knowing nothing of the router: no capabilities, nothing confirmed."""
        self.transport = transport
        self.capabilities: Capabilities | None = None
        """What the router supports; actions it lacks are not sent."""
        # Actions that once answered OK: never the culprit of a top-level unknown action.
        self._confirmed: set[str] = set()
        self._must_split_auth = False

    @property
    def splits_mixed_transactions(self) -> bool:
        """Whether this router refuses transactions mixing open and password actions."""
        return self._must_split_auth

    def mark_unsupported(self, action: str) -> None:
        """Drop an action the router called unknown from the capabilities."""
        _LOGGER.debug("%s is unknown to the router; dropped from capabilities", action)
        if self.capabilities is not None:
            self.capabilities.mark_unsupported(action)

    def _lacks(self, action: str) -> bool:
        spec = ACTIONS.get(action)
        return (
            spec is not None
            and spec.service is not None
            and self.capabilities is not None
            and not self.capabilities.has_action(action)
        )

    async def call_action(
        self, action: str, request: Mapping[str, Any] | None = None
    ) -> Mapping[str, Any]:
        """Run one action in its own POST; return its output or raise the typed error.

        Refuses (without a request) an action the router's capabilities lack.
        """
        name = short_name(action)
        if self._lacks(name):
            raise JNAPUnsupportedActionError(
                f"{name}: not supported by this router",
                action=name,
                code=ERROR_UNKNOWN_ACTION,
            )
        envelope = await self.transport.post(
            name, dict(request or {}), with_auth=needs_password(name)
        )
        code = envelope_status(envelope)
        output = as_mapping(envelope.get("output"))
        if code == RESULT_OK:
            self._confirmed.add(name)
            return output
        if code == ERROR_UNKNOWN_ACTION:
            self.mark_unsupported(name)
        raise error_from_result(
            code,
            self.transport.scrub(envelope.get("error")),
            action=name,
            output=output,
        )

    async def transaction(
        self, calls: Sequence[Call], *, retry_unsupported: bool = True
    ) -> list[ActionResult]:
        """Run many actions in one ``core/Transaction`` POST (normally); one result per call.

        - Actions the router's capabilities lack are not sent; their result is
          ``_ErrorUnknownAction``.
        - An entry answering ``_ErrorUnknownAction`` is dropped from capabilities; with
          ``retry_unsupported`` the entries it aborted are sent again without it.
        - The legacy top-level ``_ErrorUnknownAction`` (no per-entry answers) is resolved by
          finding the culprit (the only never-confirmed action, else by splitting the batch).
        - A router that refuses mixing open and password actions gets two POSTs, now and
          from then on.
        Other failing entries stay in the list (later ones as ``_ErrorAbortedAction``); a
        top-level failure without entries raises the typed error.
        """
        normalized = [Call(short_name(c.action), dict(c.request)) for c in calls]
        results: list[ActionResult | None] = [None] * len(normalized)
        to_send: list[int] = []
        for index, call in enumerate(normalized):
            if self._lacks(call.action):
                results[index] = ActionResult(
                    call.action,
                    ERROR_UNKNOWN_ACTION,
                    message="not supported by this router",
                )
            else:
                to_send.append(index)
        if to_send:
            sent = await self._run_batch(
                [normalized[i] for i in to_send], retry_unsupported
            )
            for index, result in zip(to_send, sent, strict=True):
                results[index] = result
        return [r for r in results if r is not None]

    async def send_transaction(
        self, calls: Sequence[Call]
    ) -> tuple[Mapping[str, Any], list[ActionResult] | None]:
        """One ``core/Transaction`` POST, no recovery: its envelope, one result per call.

        The results are None when the router answered without entries (a top-level
        status); the password is sent only if an action needs it.
        """
        body = [
            {"action": action_uri(c.action), "request": dict(c.request)} for c in calls
        ]
        with_auth = any(needs_password(c.action) for c in calls)
        _LOGGER.debug(
            "transaction of %d: %s", len(calls), ", ".join(c.action for c in calls)
        )
        envelope = await self.transport.post(TRANSACTION, body, with_auth=with_auth)
        responses = envelope.get("responses")
        if not isinstance(responses, list):
            return envelope, None
        if len(responses) != len(calls):
            raise JNAPProtocolError(
                f"{TRANSACTION}: {len(responses)} answers for {len(calls)} actions",
                action=TRANSACTION,
            )
        results = [
            self._entry_result(c, e) for c, e in zip(calls, responses, strict=True)
        ]
        for result in results:
            if result.ok:
                self._confirmed.add(result.action)
        return envelope, results

    async def _run_batch(self, calls: list[Call], retry: bool) -> list[ActionResult]:
        if self._must_split_auth and _is_mixed(calls):
            return await self._run_split(calls, retry)
        return await self._run_once(calls, retry)

    async def _run_split(self, calls: list[Call], retry: bool) -> list[ActionResult]:
        results: list[ActionResult | None] = [None] * len(calls)
        for wants_password in (False, True):
            indexes = [
                i
                for i, c in enumerate(calls)
                if needs_password(c.action) == wants_password
            ]
            if not indexes:
                continue
            sent = await self._run_once([calls[i] for i in indexes], retry)
            for index, result in zip(indexes, sent, strict=True):
                results[index] = result
        return [r for r in results if r is not None]

    def _entry_result(self, call: Call, entry: Any) -> ActionResult:
        obj = as_mapping(entry)
        code = obj.get("result", obj.get("response"))
        if not isinstance(code, str):
            raise JNAPProtocolError(
                f"{TRANSACTION}: entry for {call.action} has no result",
                action=call.action,
            )
        return ActionResult(
            action=call.action,
            code=code,
            output=as_mapping(obj.get("output")),
            message=self.transport.scrub(obj.get("error")),
            side_effects=tuple(
                s for s in (as_str(x) for x in as_list(obj.get("sideEffects"))) if s
            ),
        )

    async def _run_once(self, calls: list[Call], retry: bool) -> list[ActionResult]:
        envelope, results = await self.send_transaction(calls)
        if results is None:
            return await self._top_level_failure(envelope, calls, retry)
        failed_at = next((i for i, r in enumerate(results) if not r.ok), None)
        if failed_at is None:
            return results
        failed = results[failed_at]
        if (
            failed.code == ERROR_UNAUTHORIZED
            and not needs_password(failed.action)
            and _is_mixed(calls)
        ):
            # Firmware that refuses mixing open and password actions: split from now on.
            _LOGGER.debug("router refuses mixed-authorization transactions; splitting")
            self._must_split_auth = True
            rest = await self._run_split(calls[failed_at:], retry)
            return results[:failed_at] + rest
        if failed.code == ERROR_UNKNOWN_ACTION:
            self.mark_unsupported(failed.action)
            if retry and failed_at + 1 < len(calls):
                rest = await self._run_batch(calls[failed_at + 1 :], retry)
                return results[: failed_at + 1] + rest
        return results

    async def _top_level_failure(
        self, envelope: Mapping[str, Any], calls: list[Call], retry: bool
    ) -> list[ActionResult]:
        """Handle an answer without per-entry responses."""
        code = envelope_status(envelope)
        if code == ERROR_UNKNOWN_ACTION:
            return await self._resolve_unknown(calls, retry)
        if code == RESULT_OK:
            raise JNAPProtocolError(
                f"{TRANSACTION}: answer without responses", action=TRANSACTION
            )
        raise error_from_result(
            code,
            self.transport.scrub(envelope.get("error")),
            action=TRANSACTION,
            output=as_mapping(envelope.get("output")),
        )

    async def _resolve_unknown(
        self, calls: list[Call], retry: bool
    ) -> list[ActionResult]:
        """Top-level ``_ErrorUnknownAction`` without entries: nothing ran; find the culprit."""
        suspects = {c.action for c in calls if c.action not in self._confirmed}
        if len(suspects) == 1 or len(calls) == 1:
            culprit = suspects.pop() if len(suspects) == 1 else calls[0].action
            self.mark_unsupported(culprit)
            rest = [c for c in calls if c.action != culprit]
            if retry and rest:
                sent = iter(await self._run_batch(rest, retry))
            else:
                sent = iter(
                    ActionResult(
                        c.action,
                        ERROR_ABORTED,
                        message="not run: unknown action in batch",
                    )
                    for c in rest
                )
            return [
                ActionResult(c.action, ERROR_UNKNOWN_ACTION, message="unknown action")
                if c.action == culprit
                else next(sent)
                for c in calls
            ]
        # Several suspects: halve the batch until each half answers.
        _LOGGER.debug(
            "unknown action among %d suspects; splitting the batch", len(suspects)
        )
        middle = len(calls) // 2
        first = await self._run_once(calls[:middle], retry)
        second = await self._run_once(calls[middle:], retry)
        return first + second
