"""Async JNAP client for Linksys Smart Wi-Fi and Velop routers."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
import json
import logging
import time
from typing import Any, Final

import aiohttp

from . import actions as act, parental, qos
from .actions import ACTIONS, TRANSACTION, action_uri, needs_password, short_name
from .capabilities import Capabilities
from .errors import (
    ERROR_ABORTED,
    ERROR_ADMIN_ACCOUNT_LOCKED,
    ERROR_INVALID_ADMIN_PASSWORD,
    ERROR_PASSWORD_CHECK_DELAYED,
    ERROR_UNAUTHORIZED,
    ERROR_UNKNOWN_ACTION,
    RESULT_OK,
    JNAPAbortedError,
    JNAPConnectionError,
    JNAPError,
    JNAPInvalidInputError,
    JNAPProtocolError,
    JNAPTimeoutError,
    JNAPUnsupportedActionError,
    error_from_result,
)
from .guest import guest_set_body
from .models import (
    AdminPasswordRestrictions,
    ALGSettings,
    DeviceInfo,
    DeviceList,
    DHCPLease,
    EntryMemo,
    EthernetPortConnections,
    ExpressForwardingSettings,
    FirmwareUpdateSettings,
    FirmwareUpdateStatus,
    GuestNetworkSettings,
    IPv6Settings,
    LANSettings,
    LEDSettings,
    LocalDevice,
    LogEntries,
    LogSettings,
    MACAddressCloneSettings,
    ManagementSettings,
    NetworkConnection,
    ParentalControlSettings,
    Partitions,
    QoSSettings,
    RadioInfo,
    RemoteManagementStatus,
    RoutingSettings,
    TimeSettings,
    UPnPSettings,
    VLANProfiles,
    VLANTaggingSettings,
    WANStatus,
    WirelessSchedulerSettings,
    WLANQoSSettings,
    as_bool,
    as_list,
    as_mapping,
    as_str,
    node_connections_from_json,
    pick,
)

_LOGGER = logging.getLogger(__name__)

RECORDING_FORMAT: Final = "linksys_jnap.recording"
"""``format`` of a recording: what the replay router in the tests answers from."""

try:  # Home Assistant ships orjson: a 1,000-client poll answer decodes 3x faster
    import orjson
except ImportError:  # pragma: no cover - plain json without it
    orjson = None  # type: ignore[assignment]


def _loads(text: str) -> Any:
    """Decode JSON; whatever orjson refuses (NaN, ...) gets the standard library's say."""
    if orjson is not None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


ADMIN_USER: Final = "admin"

_AUTH_CODES = frozenset(
    {
        ERROR_UNAUTHORIZED,
        ERROR_INVALID_ADMIN_PASSWORD,
        ERROR_PASSWORD_CHECK_DELAYED,
        ERROR_ADMIN_ACCOUNT_LOCKED,
    }
)

_RADIO_SETTINGS_KEYS = (
    "isEnabled",
    "mode",
    "ssid",
    "broadcastSSID",
    "channelWidth",
    "channel",
    "security",
    "wpaPersonalSettings",
)


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


@dataclass(frozen=True, slots=True)
class PollResult:
    """One poll: each part None when the router lacks it (or it failed, see ``errors``)."""

    devices: DeviceList | None = None
    connections: tuple[NetworkConnection, ...] | None = None
    node_connections: tuple[NetworkConnection, ...] | None = None
    """Every mesh node's Wi-Fi stations, each with its node (Velop only)."""
    wan_status: WANStatus | None = None
    guest_network: GuestNetworkSettings | None = None
    leds: LEDSettings | None = None
    parental_control: ParentalControlSettings | None = None
    firmware_update: FirmwareUpdateStatus | None = None
    qos: QoSSettings | None = None
    errors: Mapping[str, JNAPError] = field(default_factory=dict)
    """Part name (a field name above) -> why it failed while other parts succeeded."""
    actions: Mapping[str, str] = field(default_factory=dict)
    """Part name -> short name of the action that produced it."""


POLL_PARTS: Final[tuple[str, ...]] = (
    "devices",
    "connections",
    "node_connections",
    "wan_status",
    "guest_network",
    "leds",
    "parental_control",
    "firmware_update",
    "qos",
)
_POLL_FAMILIES: Final[Mapping[str, str]] = {
    "devices": act.GET_DEVICES,
    "connections": act.GET_NETWORK_CONNECTIONS,
    "node_connections": act.GET_NODES_WIRELESS_CONNECTIONS,
    "wan_status": act.GET_WAN_STATUS,
    "guest_network": act.GET_GUEST_RADIO_SETTINGS,
    "leds": act.GET_ROUTER_LED_SETTINGS,
    "parental_control": act.GET_PARENTAL_CONTROL_SETTINGS,
    "firmware_update": act.GET_FIRMWARE_UPDATE_STATUS,
    "qos": act.GET_QOS_SETTINGS,
}


def _version(action: str) -> int:
    return ACTIONS[short_name(action)].version


def _format_host(host: str) -> str:
    host = host.strip().rstrip("/")
    if not host:
        raise ValueError("host must not be empty")
    if "://" in host or "/" in host:
        raise ValueError(
            "host must be a name or address with an optional :port, not a URL"
        )
    # A bare IPv6 address has several colons and no brackets.
    if host.count(":") > 1 and not host.startswith("["):
        host = f"[{host}]"
    return host


class JNAPClient:
    """Talks JNAP to one router.

    ``session`` belongs to the caller (Home Assistant's shared session); the client never
    closes it. All methods raise subclasses of ``JNAPError``.
    """

    def __init__(
        self,
        host: str,
        password: str,
        session: aiohttp.ClientSession,
        *,
        use_https: bool = False,
        verify_ssl: bool = False,
        timeout: float = 10.0,
    ) -> None:
        """Prepare a client; nothing is sent until a method is called."""
        self._host = _format_host(host)
        self._password = password
        self._session = session
        self._use_https = use_https
        self._verify_ssl = verify_ssl
        self._timeout = timeout
        scheme = "https" if use_https else "http"
        self._url = f"{scheme}://{self._host}/JNAP/"
        self._capabilities: Capabilities | None = None
        self._device_info: DeviceInfo | None = None
        self._confirmed: set[str] = set()
        self._must_split_auth = False
        self._write_lock = asyncio.Lock()
        # Polls re-read every live connection; unchanged entries are not parsed again.
        self._connections_memo = NetworkConnection.memo()
        self._node_memos: dict[str, EntryMemo[NetworkConnection]] = {}
        # Settings parts rarely change: an answer equal to the last one reuses its model.
        self._part_memo: dict[str, tuple[str, Mapping[str, Any], Any]] = {}
        self._failing_parts: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        """Without the password."""
        return f"JNAPClient(url={self._url!r})"

    # --- properties -----------------------------------------------------------------------

    @property
    def host(self) -> str:
        """Host as used in the URL (IPv6 in brackets), with its port if one was given."""
        return self._host

    @property
    def url(self) -> str:
        """The JNAP endpoint."""
        return self._url

    @property
    def capabilities(self) -> Capabilities | None:
        """What the router supports; None until ``get_device_info`` ran."""
        return self._capabilities

    @property
    def device_info(self) -> DeviceInfo | None:
        """The last ``core/GetDeviceInfo`` answer."""
        return self._device_info

    @property
    def splits_mixed_transactions(self) -> bool:
        """Whether this router refuses transactions mixing open and password actions."""
        return self._must_split_auth

    # --- secrets ---------------------------------------------------------------------------

    def _auth_value(self) -> str:
        token = base64.b64encode(f"{ADMIN_USER}:{self._password}".encode()).decode(
            "ascii"
        )
        return f"Basic {token}"

    def _scrub(self, text: Any) -> str | None:
        """Router error text with any echo of the password or its encoding removed."""
        if text is None:
            return None
        result = str(text)
        secrets = [self._auth_value(), self._auth_value().split(" ", 1)[1]]
        if self._password:
            secrets.append(self._password)
        for secret in secrets:
            result = result.replace(secret, "***")
        return result

    # --- transport -------------------------------------------------------------------------

    async def _post(
        self, action: str, body: Any, *, with_auth: bool
    ) -> Mapping[str, Any]:
        """One HTTP POST; returns the decoded JNAP envelope (a JSON object with a status)."""
        headers = {
            "X-JNAP-Action": action_uri(action),
            "Content-Type": "application/json; charset=UTF-8",
            "Accept": "application/json",
        }
        if with_auth:
            headers["X-JNAP-Authorization"] = self._auth_value()
        data = json.dumps(body, separators=(",", ":"))
        ssl: bool = self._verify_ssl if self._use_https else True
        started = time.monotonic()
        name = short_name(action)
        try:
            async with asyncio.timeout(self._timeout):
                async with self._session.post(
                    self._url,
                    data=data,
                    headers=headers,
                    ssl=ssl,
                    allow_redirects=False,
                ) as response:
                    status = response.status
                    payload = await response.read()
        except TimeoutError as err:
            _LOGGER.debug("%s timed out after %.1fs", name, self._timeout)
            raise JNAPTimeoutError(
                f"{name}: no answer from {self._host} within {self._timeout}s",
                action=name,
            ) from err
        except aiohttp.ClientPayloadError as err:
            raise JNAPProtocolError(
                f"{name}: truncated or malformed body", action=name
            ) from err
        except (aiohttp.ClientError, OSError) as err:
            _LOGGER.debug(
                "%s: cannot reach %s: %s", name, self._host, type(err).__name__
            )
            raise JNAPConnectionError(
                f"{name}: cannot reach {self._host} ({type(err).__name__})", action=name
            ) from err
        elapsed = (time.monotonic() - started) * 1000
        if status != 200:
            raise JNAPProtocolError(f"{name}: HTTP status {status}", action=name)
        envelope = self._decode(name, payload)
        _LOGGER.debug(
            "%s -> %s in %.0f ms (%d bytes)",
            name,
            envelope.get("result", envelope.get("response")),
            elapsed,
            len(payload),
        )
        return envelope

    @staticmethod
    def _decode(name: str, payload: bytes) -> Mapping[str, Any]:
        text = payload.decode("utf-8", errors="replace").strip()
        if text.startswith("<"):
            raise JNAPProtocolError(
                f"{name}: the router sent an HTML page instead of JSON", action=name
            )
        try:
            envelope = _loads(text)
        except ValueError as err:
            raise JNAPProtocolError(
                f"{name}: the answer is not JSON (empty or truncated)", action=name
            ) from err
        if not isinstance(envelope, dict):
            raise JNAPProtocolError(
                f"{name}: the answer is not a JSON object", action=name
            )
        status = envelope.get("result", envelope.get("response"))
        if not isinstance(status, str):
            raise JNAPProtocolError(f"{name}: the answer has no result", action=name)
        return envelope

    @staticmethod
    def _status(envelope: Mapping[str, Any]) -> str:
        return str(envelope.get("result", envelope.get("response")))

    def _mark_unsupported(self, action: str) -> None:
        _LOGGER.debug("%s is unknown to the router; dropped from capabilities", action)
        if self._capabilities is not None:
            self._capabilities.mark_unsupported(action)

    def _check_available(self, action: str) -> None:
        spec = ACTIONS.get(action)
        if (
            spec is not None
            and spec.service is not None
            and self._capabilities is not None
            and not self._capabilities.has_action(action)
        ):
            raise JNAPUnsupportedActionError(
                f"{action}: not supported by this router",
                action=action,
                code=ERROR_UNKNOWN_ACTION,
            )

    async def call_action(
        self, action: str, request: Mapping[str, Any] | None = None
    ) -> Mapping[str, Any]:
        """Run one action in its own POST; return its output or raise the typed error.

        Refuses (without a request) an action the router's capabilities lack.
        """
        name = short_name(action)
        self._check_available(name)
        envelope = await self._post(
            name, dict(request or {}), with_auth=needs_password(name)
        )
        code = self._status(envelope)
        output = as_mapping(envelope.get("output"))
        if code == RESULT_OK:
            self._confirmed.add(name)
            return output
        if code == ERROR_UNKNOWN_ACTION:
            self._mark_unsupported(name)
        raise error_from_result(
            code, self._scrub(envelope.get("error")), action=name, output=output
        )

    # --- transactions ----------------------------------------------------------------------

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
            spec = ACTIONS.get(call.action)
            if (
                spec is not None
                and spec.service is not None
                and self._capabilities is not None
                and not self._capabilities.has_action(call.action)
            ):
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

    @staticmethod
    def _is_mixed(calls: Sequence[Call]) -> bool:
        kinds = {needs_password(c.action) for c in calls}
        return len(kinds) > 1

    async def _run_batch(self, calls: list[Call], retry: bool) -> list[ActionResult]:
        if self._must_split_auth and self._is_mixed(calls):
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
            message=self._scrub(obj.get("error")),
            side_effects=tuple(
                s for s in (as_str(x) for x in as_list(obj.get("sideEffects"))) if s
            ),
        )

    async def _send_transaction(
        self, calls: Sequence[Call]
    ) -> tuple[Mapping[str, Any], list[ActionResult] | None]:
        """One ``core/Transaction`` POST: its envelope, and one result per call.

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
        envelope = await self._post(TRANSACTION, body, with_auth=with_auth)
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

    async def _run_once(self, calls: list[Call], retry: bool) -> list[ActionResult]:
        envelope, results = await self._send_transaction(calls)
        if results is None:
            return await self._top_level_failure(envelope, calls, retry)
        failed_at = next((i for i, r in enumerate(results) if not r.ok), None)
        if failed_at is None:
            return results
        failed = results[failed_at]
        if (
            failed.code == ERROR_UNAUTHORIZED
            and not needs_password(failed.action)
            and self._is_mixed(calls)
        ):
            # Firmware that refuses mixing open and password actions: split from now on.
            _LOGGER.debug("router refuses mixed-authorization transactions; splitting")
            self._must_split_auth = True
            rest = await self._run_split(calls[failed_at:], retry)
            return results[:failed_at] + rest
        if failed.code == ERROR_UNKNOWN_ACTION:
            self._mark_unsupported(failed.action)
            if retry and failed_at + 1 < len(calls):
                rest = await self._run_batch(calls[failed_at + 1 :], retry)
                return results[: failed_at + 1] + rest
        return results

    async def _top_level_failure(
        self, envelope: Mapping[str, Any], calls: list[Call], retry: bool
    ) -> list[ActionResult]:
        """Handle an answer without per-entry responses."""
        code = self._status(envelope)
        if code == ERROR_UNKNOWN_ACTION:
            return await self._resolve_unknown(calls, retry)
        if code == RESULT_OK:
            raise JNAPProtocolError(
                f"{TRANSACTION}: answer without responses", action=TRANSACTION
            )
        raise error_from_result(
            code,
            self._scrub(envelope.get("error")),
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
            self._mark_unsupported(culprit)
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

    # --- capabilities and authentication ---------------------------------------------------

    async def get_device_info(self) -> DeviceInfo:
        """``core/GetDeviceInfo`` (no password); also (re)loads ``capabilities``."""
        info = DeviceInfo.from_json(await self.call_action(act.GET_DEVICE_INFO))
        self._store_device_info(info)
        return info

    def _store_device_info(self, info: DeviceInfo) -> None:
        self._device_info = info
        self._capabilities = Capabilities(info.services)
        _LOGGER.debug(
            "%s %s: %d services",
            info.model_number,
            info.firmware_version,
            len(info.services),
        )

    async def read_router_info(self) -> tuple[DeviceInfo, bool | None]:
        """``core/GetDeviceInfo`` and ``core/IsAdminPasswordDefault`` in one POST.

        Both are open actions: the transaction carries no password (Velop refuses mixing
        open and password actions). Loads ``capabilities`` like ``get_device_info``. The
        flag is None when the services lack the action or its entry failed. When the router
        refuses the transaction (unknown action, top-level error, malformed answer...),
        ``get_device_info`` alone is asked instead (flag None). Connection and timeout
        errors raise ``JNAPConnectionError``/``JNAPTimeoutError``.
        """
        calls = [Call(act.GET_DEVICE_INFO), Call(act.IS_ADMIN_PASSWORD_DEFAULT)]
        try:
            envelope, results = await self._send_transaction(calls)
            if results is None:
                raise JNAPProtocolError(
                    f"{TRANSACTION}: no answer per action (result "
                    f"{self._status(envelope)})",
                    action=TRANSACTION,
                )
            info_result, default_result = results
            info = DeviceInfo.from_json(info_result.raise_for_error())
        except JNAPConnectionError:
            raise
        except JNAPError as err:
            # No hunt for the culprit: GetDeviceInfo alone is what setup needs.
            _LOGGER.debug("router info transaction refused (%s); asking alone", err)
            return await self.get_device_info(), None
        self._store_device_info(info)
        return info, self._admin_default_from(default_result)

    def _admin_default_from(self, result: ActionResult) -> bool | None:
        """Read the ``IsAdminPasswordDefault`` entry of ``read_router_info`` (after caps)."""
        name = act.IS_ADMIN_PASSWORD_DEFAULT
        if result.code == ERROR_UNKNOWN_ACTION:
            self._mark_unsupported(name)
            return None
        if not result.ok:
            _LOGGER.debug(
                "%s failed in the router info transaction: %s", name, result.code
            )
            return None
        assert self._capabilities is not None
        if not self._capabilities.has_action(name):
            return None  # answered, yet the services disown it: not to be trusted
        return as_bool(result.output.get("isAdminPasswordDefault"))

    async def _ensure_capabilities(self) -> Capabilities:
        if self._capabilities is None:
            await self.get_device_info()
        assert self._capabilities is not None
        return self._capabilities

    async def _best(self, family: str) -> str:
        caps = await self._ensure_capabilities()
        action = caps.version_of(family)
        if action is None:
            raise JNAPUnsupportedActionError(
                f"{family}: not supported by this router",
                action=family,
                code=ERROR_UNKNOWN_ACTION,
            )
        return action

    async def _resolve(self, family: str, version: int | None) -> str:
        if version is None:
            return await self._best(family)
        action = family if version == 1 else f"{family}{version}"
        if action not in ACTIONS:
            raise ValueError(f"{family} has no version {version}")
        return action

    async def check_admin_password(self, *, version: int | None = None) -> None:
        """Verify the admin password with the best ``CheckAdminPassword`` version.

        Raises ``JNAPAuthenticationError`` (wrong password), ``JNAPPasswordThrottledError``
        (wait ``delay_seconds``) or ``JNAPAccountLockedError``.
        """
        action = await self._resolve(act.CHECK_ADMIN_PASSWORD, version)
        body = {"adminPassword": self._password} if _version(action) >= 2 else {}
        await self.call_action(action, body)

    async def get_admin_password_hint(self) -> str | None:
        """``core/GetAdminPasswordHint``."""
        out = await self.call_action(act.GET_ADMIN_PASSWORD_HINT)
        return as_str(out.get("passwordHint"))

    async def get_admin_password_restrictions(self) -> AdminPasswordRestrictions:
        """``core/GetAdminPasswordRestrictions``."""
        return AdminPasswordRestrictions.from_json(
            await self.call_action(act.GET_ADMIN_PASSWORD_RESTRICTIONS)
        )

    async def is_admin_password_default(self) -> bool | None:
        """``core/IsAdminPasswordDefault``."""
        out = await self.call_action(act.IS_ADMIN_PASSWORD_DEFAULT)
        return as_bool(out.get("isAdminPasswordDefault"))

    # --- poll ------------------------------------------------------------------------------

    async def poll(self, *, since_revision: int | None = None) -> PollResult:
        """Everything the coordinator needs, in one transaction of password actions.

        Parts the router lacks are None. A part whose action is unknown to the router is
        dropped from capabilities and retried once with a lower version (same call). A part
        failing while others succeed lands in ``errors``; if nothing succeeds the first error
        is raised. Authentication errors always raise (never retried).
        """
        caps = await self._ensure_capabilities()
        values: dict[str, Any] = {}
        errors: dict[str, JNAPError] = {}
        used: dict[str, str] = {}
        # Parts that failed last time go last: a refusal aborts only what follows it.
        failing = self._failing_parts
        pending = [p for p in POLL_PARTS if p not in failing] + [
            p for p in POLL_PARTS if p in failing
        ]
        for _attempt in range(len(POLL_PARTS)):
            plan: list[tuple[str, str, dict[str, Any]]] = []
            for part in pending:
                action = caps.version_of(_POLL_FAMILIES[part])
                if action is None:
                    errors.pop(part, None)
                    continue
                request: dict[str, Any] = {}
                if part == "devices" and since_revision is not None:
                    request["sinceRevision"] = since_revision
                plan.append((part, action, request))
            if not plan:
                break
            results = await self.transaction(
                [Call(action, request) for _, action, request in plan],
                retry_unsupported=False,
            )
            pending = self._absorb(
                plan,
                results,
                values=values,
                errors=errors,
                used=used,
                since_revision=since_revision,
            )
            if not pending:
                break
        self._failing_parts = frozenset(
            part
            for part, err in errors.items()
            if not isinstance(err, JNAPAbortedError)
        )
        if errors and not values:
            raise next(iter(errors.values()))
        return PollResult(**values, errors=errors, actions=used)

    def _absorb(
        self,
        plan: list[tuple[str, str, dict[str, Any]]],
        results: list[ActionResult],
        *,
        values: dict[str, Any],
        errors: dict[str, JNAPError],
        used: dict[str, str],
        since_revision: int | None,
    ) -> list[str]:
        """Store one poll transaction's results; return the parts worth retrying."""
        retry: list[str] = []
        seen_ok = False
        for (part, action, _), result in zip(plan, results, strict=True):
            if result.ok:
                seen_ok = True
                try:
                    values[part] = self._parse_part(
                        part, action, result.output, since_revision
                    )
                    used[part] = action
                    errors.pop(part, None)
                except JNAPProtocolError as err:
                    errors[part] = err
                continue
            error = result.error
            assert error is not None
            # A wrong password fails the first entry; a lone _ErrorUnauthorized after
            # successes in the same POST is a firmware quirk, not a bad password.
            if result.code in _AUTH_CODES and (
                result.code != ERROR_UNAUTHORIZED or not seen_ok
            ):
                raise error
            errors[part] = error
            if result.code in (ERROR_UNKNOWN_ACTION, ERROR_ABORTED):
                retry.append(part)
        return retry

    def _parse_part(
        self,
        part: str,
        action: str,
        output: Mapping[str, Any],
        since_revision: int | None,
    ) -> Any:
        if part in ("devices", "connections", "node_connections"):
            return self._parse_list_part(part, output, since_revision)
        memo = self._part_memo.get(part)
        if memo is not None and memo[0] == action and memo[1] == output:
            return memo[2]
        parsers: dict[str, Callable[[], Any]] = {
            "wan_status": lambda: WANStatus.from_json(output),
            "guest_network": lambda: GuestNetworkSettings.from_json(
                output, version=_version(action)
            ),
            "leds": lambda: LEDSettings.from_json(output),
            "parental_control": lambda: ParentalControlSettings.from_json(output),
            "firmware_update": lambda: FirmwareUpdateStatus.from_json(output),
            "qos": lambda: QoSSettings.from_json(output),
        }
        value = parsers[part]()
        self._part_memo[part] = (action, output, value)
        return value

    def _parse_list_part(
        self, part: str, output: Mapping[str, Any], since_revision: int | None
    ) -> Any:
        if part == "devices":
            return DeviceList.from_json(output, since_revision=since_revision)
        if part == "node_connections":
            return node_connections_from_json(output, self._node_memos)
        return NetworkConnection.list_from_json(output, self._connections_memo)

    # --- recording ---------------------------------------------------------------------------

    def poll_actions(self) -> list[str]:
        """Short names of the actions a poll sends now (highest listed versions)."""
        caps = self._capabilities
        if caps is None:
            return []
        chosen = (caps.version_of(_POLL_FAMILIES[part]) for part in POLL_PARTS)
        return [action for action in chosen if action is not None]

    async def record(self, actions: Sequence[str] | None = None) -> dict[str, Any]:
        """Answers in the replay router's format (tests/fixtures/real/README.md), unredacted.

        ``actions`` default to the poll's (the device list read whole). Entries aborted by an
        earlier failure are asked again without it, so one refusal costs only its own answer.
        Redact with ``redact.Redactor`` before sharing.
        """
        info = await self.call_action(act.GET_DEVICE_INFO)
        answers: dict[str, dict[str, Any]] = {
            act.GET_DEVICE_INFO: {"result": RESULT_OK, "output": dict(info)}
        }
        pending = [short_name(a) for a in (actions or self.poll_actions())]
        for _attempt in range(len(pending)):
            if not pending:
                break
            results = await self.transaction([Call(a) for a in pending])
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
        device = self._device_info
        return {
            "format": RECORDING_FORMAT,
            "version": 1,
            "model": device.model_number if device else None,
            "hardware_version": device.hardware_version if device else None,
            "firmware": device.firmware_version if device else None,
            "answers": answers,
        }

    # --- reads -----------------------------------------------------------------------------

    async def get_devices(
        self, *, since_revision: int | None = None, version: int | None = None
    ) -> DeviceList:
        """``devicelist/GetDevices`` or ``GetDevices3`` (highest by default)."""
        action = await self._resolve(act.GET_DEVICES, version)
        request = {} if since_revision is None else {"sinceRevision": since_revision}
        return DeviceList.from_json(
            await self.call_action(action, request), since_revision=since_revision
        )

    async def get_local_device(self) -> LocalDevice:
        """``devicelist/GetLocalDevice``."""
        return LocalDevice.from_json(await self.call_action(act.GET_LOCAL_DEVICE))

    async def get_network_connections(
        self, *, version: int | None = None
    ) -> tuple[NetworkConnection, ...]:
        """``networkconnections/GetNetworkConnections`` or ``...2`` (highest by default)."""
        action = await self._resolve(act.GET_NETWORK_CONNECTIONS, version)
        return NetworkConnection.list_from_json(await self.call_action(action))

    async def get_wan_status(self, *, version: int | None = None) -> WANStatus:
        """``router/GetWANStatus``/``2``/``3`` (highest by default)."""
        action = await self._resolve(act.GET_WAN_STATUS, version)
        return WANStatus.from_json(await self.call_action(action))

    async def get_guest_radio_settings(
        self, *, version: int | None = None
    ) -> GuestNetworkSettings:
        """``guestnetwork/GetGuestRadioSettings`` or ``...2`` (highest by default)."""
        action = await self._resolve(act.GET_GUEST_RADIO_SETTINGS, version)
        return GuestNetworkSettings.from_json(
            await self.call_action(action), version=_version(action)
        )

    async def get_router_led_settings(self) -> LEDSettings:
        """``routerleds/GetRouterLEDSettings``."""
        return LEDSettings.from_json(
            await self.call_action(act.GET_ROUTER_LED_SETTINGS)
        )

    async def get_parental_control_settings(self) -> ParentalControlSettings:
        """``parentalcontrol/GetParentalControlSettings``."""
        return ParentalControlSettings.from_json(
            await self.call_action(act.GET_PARENTAL_CONTROL_SETTINGS)
        )

    async def get_firmware_update_status(self) -> FirmwareUpdateStatus:
        """``firmwareupdate/GetFirmwareUpdateStatus``."""
        return FirmwareUpdateStatus.from_json(
            await self.call_action(act.GET_FIRMWARE_UPDATE_STATUS)
        )

    async def get_radio_info(self, *, version: int | None = None) -> RadioInfo:
        """``wirelessap/GetRadioInfo``/``2``/``3`` (highest by default)."""
        action = await self._resolve(act.GET_RADIO_INFO, version)
        return RadioInfo.from_json(
            await self.call_action(action), version=_version(action)
        )

    async def get_time_settings(self) -> TimeSettings:
        """``locale/GetTimeSettings``."""
        return TimeSettings.from_json(await self.call_action(act.GET_TIME_SETTINGS))

    async def get_log_settings(self) -> LogSettings:
        """``routerlog/GetLogSettings``."""
        return LogSettings.from_json(await self.call_action(act.GET_LOG_SETTINGS))

    async def _log_entries(self, action: str, first: int, count: int) -> LogEntries:
        # Entries are numbered from 1.
        request = {"firstEntryIndex": first, "entryCount": count}
        return LogEntries.from_json(await self.call_action(action, request))

    async def get_dhcp_log_entries(
        self, first_entry_index: int = 1, entry_count: int = 50
    ) -> LogEntries:
        """``routerlog/GetDHCPLogEntries``."""
        return await self._log_entries(
            act.GET_DHCP_LOG_ENTRIES, first_entry_index, entry_count
        )

    async def get_incoming_log_entries(
        self, first_entry_index: int = 1, entry_count: int = 50
    ) -> LogEntries:
        """``routerlog/GetIncomingLogEntries``."""
        return await self._log_entries(
            act.GET_INCOMING_LOG_ENTRIES, first_entry_index, entry_count
        )

    async def get_outgoing_log_entries(
        self, first_entry_index: int = 1, entry_count: int = 50
    ) -> LogEntries:
        """``routerlog/GetOutgoingLogEntries``."""
        return await self._log_entries(
            act.GET_OUTGOING_LOG_ENTRIES, first_entry_index, entry_count
        )

    async def get_security_log_entries(
        self, first_entry_index: int = 1, entry_count: int = 50
    ) -> LogEntries:
        """``routerlog/GetSecurityLogEntries``."""
        return await self._log_entries(
            act.GET_SECURITY_LOG_ENTRIES, first_entry_index, entry_count
        )

    async def get_alg_settings(self) -> ALGSettings:
        """``firewall/GetALGSettings``."""
        return ALGSettings.from_json(await self.call_action(act.GET_ALG_SETTINGS))

    async def get_qos_settings(self) -> QoSSettings:
        """``qos/GetQoSSettings``."""
        return QoSSettings.from_json(await self.call_action(act.GET_QOS_SETTINGS))

    async def get_wlan_qos_settings(self) -> WLANQoSSettings:
        """``qos/GetWLANQoSSettings``."""
        return WLANQoSSettings.from_json(
            await self.call_action(act.GET_WLAN_QOS_SETTINGS)
        )

    async def get_dhcp_client_leases(self) -> tuple[DHCPLease, ...]:
        """``router/GetDHCPClientLeases``."""
        return DHCPLease.list_from_json(
            await self.call_action(act.GET_DHCP_CLIENT_LEASES)
        )

    async def get_ethernet_port_connections(self) -> EthernetPortConnections:
        """``router/GetEthernetPortConnections``."""
        return EthernetPortConnections.from_json(
            await self.call_action(act.GET_ETHERNET_PORT_CONNECTIONS)
        )

    async def get_express_forwarding_settings(self) -> ExpressForwardingSettings:
        """``router/GetExpressForwardingSettings``."""
        return ExpressForwardingSettings.from_json(
            await self.call_action(act.GET_EXPRESS_FORWARDING_SETTINGS)
        )

    async def get_ipv6_settings(self, *, version: int | None = None) -> IPv6Settings:
        """``router/GetIPv6Settings`` or ``...2`` (highest by default)."""
        action = await self._resolve(act.GET_IPV6_SETTINGS, version)
        return IPv6Settings.from_json(await self.call_action(action))

    async def get_lan_settings(self) -> LANSettings:
        """``router/GetLANSettings``."""
        return LANSettings.from_json(await self.call_action(act.GET_LAN_SETTINGS))

    async def get_mac_address_clone_settings(self) -> MACAddressCloneSettings:
        """``router/GetMACAddressCloneSettings``."""
        return MACAddressCloneSettings.from_json(
            await self.call_action(act.GET_MAC_ADDRESS_CLONE_SETTINGS)
        )

    async def get_routing_settings(self) -> RoutingSettings:
        """``router/GetRoutingSettings``."""
        return RoutingSettings.from_json(
            await self.call_action(act.GET_ROUTING_SETTINGS)
        )

    async def get_management_settings(
        self, *, version: int | None = None
    ) -> ManagementSettings:
        """``routermanagement/GetManagementSettings`` or ``...2`` (highest by default)."""
        action = await self._resolve(act.GET_MANAGEMENT_SETTINGS, version)
        return ManagementSettings.from_json(await self.call_action(action))

    async def get_remote_management_status(self) -> RemoteManagementStatus:
        """``routermanagement/GetRemoteManagementStatus``."""
        return RemoteManagementStatus.from_json(
            await self.call_action(act.GET_REMOTE_MANAGEMENT_STATUS)
        )

    async def get_upnp_settings(self) -> UPnPSettings:
        """``routerupnp/GetUPnPSettings``."""
        return UPnPSettings.from_json(await self.call_action(act.GET_UPNP_SETTINGS))

    async def get_partitions(self) -> Partitions:
        """``storage/GetPartitions``."""
        return Partitions.from_json(await self.call_action(act.GET_PARTITIONS))

    async def get_vlan_profiles(self) -> VLANProfiles:
        """``vlantagging/GetProfiles``."""
        return VLANProfiles.from_json(await self.call_action(act.GET_VLAN_PROFILES))

    async def get_vlan_tagging_settings(self) -> VLANTaggingSettings:
        """``vlantagging/GetVLANTaggingSettings``."""
        return VLANTaggingSettings.from_json(
            await self.call_action(act.GET_VLAN_TAGGING_SETTINGS)
        )

    async def get_wireless_scheduler_settings(self) -> WirelessSchedulerSettings:
        """``wirelessscheduler/GetWirelessSchedulerSettings``."""
        return WirelessSchedulerSettings.from_json(
            await self.call_action(act.GET_WIRELESS_SCHEDULER_SETTINGS)
        )

    # --- safe writes (read-modify-write, serialised) ---------------------------------------

    async def set_guest_network_enabled(self, enabled: bool) -> None:
        """Turn the guest network on/off, keeping every radio, SSID and passphrase."""
        async with self._write_lock:
            get_action = await self._best(act.GET_GUEST_RADIO_SETTINGS)
            version = _version(get_action)
            set_action = act.SET_GUEST_RADIO_SETTINGS + ("2" if version >= 2 else "")
            current = await self.call_action(get_action)
            body = guest_set_body(
                current, version=version, enabled=enabled, source=get_action
            )
            await self.call_action(set_action, body)

    async def set_leds_enabled(self, enabled: bool) -> None:
        """Turn the switch-port LEDs on/off."""
        async with self._write_lock:
            current = await self.call_action(act.GET_ROUTER_LED_SETTINGS)
            body = pick(
                current, ("isSwitchportLEDEnabled",), act.GET_ROUTER_LED_SETTINGS
            )
            body["isSwitchportLEDEnabled"] = enabled
            await self.call_action(act.SET_ROUTER_LED_SETTINGS, body)

    async def set_parental_control_enabled(self, enabled: bool) -> None:
        """Turn parental control on/off, keeping every rule."""
        async with self._write_lock:
            current = await self.call_action(act.GET_PARENTAL_CONTROL_SETTINGS)
            body = parental.settings_input(current)
            body["isParentalControlEnabled"] = enabled
            await self.call_action(act.SET_PARENTAL_CONTROL_SETTINGS, body)

    async def set_device_internet_blocked(
        self, macs: Iterable[str], blocked: bool, *, label: str
    ) -> None:
        """Block or unblock a device's internet access (``parental.block_body``).

        Blocking reuses a user's rule that already blocks the device around the clock and
        puts the other MACs in a rule of ours (``"HA block <label>"``, printable ASCII within
        the router's byte limit), turning parental control on; unblocking removes the
        device's MACs from our rules only. A user's rule in the way raises
        ``JNAPRuleConflictError`` before anything is sent.
        """
        macs = list(macs)
        async with self._write_lock:
            current = await self.call_action(act.GET_PARENTAL_CONTROL_SETTINGS)
            body = parental.block_body(current, macs, blocked, label=label)
            if body is not None:
                await self.call_action(act.SET_PARENTAL_CONTROL_SETTINGS, body)

    async def set_device_qos_priority(
        self, macs: Iterable[str], prioritized: bool, *, label: str
    ) -> None:
        """Give a device high QoS priority or take it away (``qos.priority_body``)."""
        macs = list(macs)
        async with self._write_lock:
            current = await self.call_action(act.GET_QOS_SETTINGS)
            body = qos.priority_body(current, macs, prioritized, label=label)
            if body is not None:
                await self.call_action(act.SET_QOS_SETTINGS, body)

    async def set_device_properties(
        self,
        device_id: str,
        modify: Mapping[str, str] | None = None,
        remove: Sequence[str] = (),
    ) -> None:
        """``devicelist/SetDeviceProperties`` (properties not named are kept by the router)."""
        body: dict[str, Any] = {
            "deviceID": device_id,
            "propertiesToModify": [
                {"name": name, "value": value} for name, value in (modify or {}).items()
            ],
        }
        if remove:
            body["propertiesToRemove"] = list(remove)
        async with self._write_lock:
            await self.call_action(act.SET_DEVICE_PROPERTIES, body)

    async def delete_device(self, device_id: str) -> None:
        """``devicelist/DeleteDevice``."""
        async with self._write_lock:
            await self.call_action(act.DELETE_DEVICE, {"deviceID": device_id})

    async def set_radio_enabled(self, radio_id: str, enabled: bool) -> None:
        """Turn one main Wi-Fi radio on/off (``SetRadioSettings3``), keeping all else."""
        async with self._write_lock:
            get_action = await self._resolve(act.GET_RADIO_INFO, 3)
            current = await self.call_action(get_action)
            body = pick(
                current, ("isBandSteeringEnabled", "bandSteeringMode"), get_action
            )
            radios: list[dict[str, Any]] = []
            found = False
            for radio in as_list(current.get("radios")):
                obj = as_mapping(radio)
                settings = pick(
                    as_mapping(obj.get("settings")), _RADIO_SETTINGS_KEYS, get_action
                )
                if obj.get("radioID") == radio_id:
                    settings["isEnabled"] = enabled
                    found = True
                radios.append({"radioID": obj.get("radioID"), "settings": settings})
            if not found:
                raise JNAPInvalidInputError(
                    f"{get_action}: the router has no radio {radio_id!r}",
                    action=get_action,
                )
            body["radios"] = radios
            await self.call_action("wirelessap/SetRadioSettings3", body)

    async def reboot(self) -> None:
        """``core/Reboot``: the router goes away for a minute or more."""
        async with self._write_lock:
            await self.call_action(act.REBOOT)

    async def update_firmware(self) -> None:
        """Download and install an available firmware now (the router reboots after)."""
        async with self._write_lock:
            await self.call_action(act.UPDATE_FIRMWARE_NOW, {"onlyCheck": False})

    async def check_for_firmware_update(self) -> None:
        """Ask the router to check for a new firmware (result in the firmware status)."""
        async with self._write_lock:
            await self.call_action(act.UPDATE_FIRMWARE_NOW, {"onlyCheck": True})

    async def get_firmware_update_settings(self) -> FirmwareUpdateSettings:
        """``firmwareupdate/GetFirmwareUpdateSettings``."""
        return FirmwareUpdateSettings.from_json(
            await self.call_action(act.GET_FIRMWARE_UPDATE_SETTINGS)
        )

    async def set_firmware_update_settings(
        self,
        policy: str | None = None,
        start_minute: int | None = None,
        duration_minutes: int | None = None,
    ) -> None:
        """Set ``updatePolicy`` (``Manual``/``AutomaticallyCheckAndInstall``) and its window.

        Values left None are kept: they are read first (one extra POST) from
        ``GetFirmwareUpdateSettings``.
        """
        async with self._write_lock:
            if policy is None or start_minute is None or duration_minutes is None:
                current = await self.call_action(act.GET_FIRMWARE_UPDATE_SETTINGS)
                body = pick(current, ("updatePolicy", "autoUpdateWindow"), "firmware")
                window = pick(
                    as_mapping(current.get("autoUpdateWindow")),
                    ("startMinute", "durationMinutes"),
                    "firmware",
                )
            else:
                body, window = {}, {}
            if policy is not None:
                body["updatePolicy"] = policy
            if start_minute is not None:
                window["startMinute"] = start_minute
            if duration_minutes is not None:
                window["durationMinutes"] = duration_minutes
            body["autoUpdateWindow"] = window
            await self.call_action(act.SET_FIRMWARE_UPDATE_SETTINGS, body)

    async def set_time_settings(
        self, time_zone_id: str, auto_adjust_for_dst: bool
    ) -> None:
        """``locale/SetTimeSettings``."""
        body = {"timeZoneID": time_zone_id, "autoAdjustForDST": auto_adjust_for_dst}
        async with self._write_lock:
            await self.call_action(act.SET_TIME_SETTINGS, body)

    async def set_logging_enabled(self, enabled: bool) -> None:
        """``routerlog/SetLogSettings`` (its only member)."""
        async with self._write_lock:
            await self.call_action(act.SET_LOG_SETTINGS, {"isLoggingEnabled": enabled})

    async def set_admin_password(self, new_password: str, hint: str = "") -> None:
        """``core/SetAdminPassword2``; the client uses the new password afterwards."""
        body = {"adminPassword": new_password, "passwordHint": hint}
        async with self._write_lock:
            await self.call_action("core/SetAdminPassword2", body)
            self._password = new_password


__all__ = [
    "POLL_PARTS",
    "ActionResult",
    "Call",
    "JNAPClient",
    "PollResult",
]
