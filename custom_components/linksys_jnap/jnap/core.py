"""``ClientCore``: what a client's reads, writes and poll share.

The transport, transaction engine and poller, the router's identity and capabilities,
single actions and the choice of an action's version. ``JNAPClient`` adds the rest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
import logging
from typing import Any

import aiohttp

from . import actions as act
from .actions import ACTIONS, TRANSACTION
from .capabilities import Capabilities
from .errors import (
    ERROR_UNKNOWN_ACTION,
    JNAPConnectionError,
    JNAPError,
    JNAPProtocolError,
    JNAPUnsupportedActionError,
)
from .models import DeviceInfo, as_bool
from .poll import Poller
from .transaction import ActionResult, Call, TransactionEngine
from .transport import Transport, envelope_status

_LOGGER = logging.getLogger(__name__)


class ClientCore:
    """One router's connection state; see ``JNAPClient`` for the whole client."""

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
        self._transport = Transport(
            host,
            password,
            session,
            use_https=use_https,
            verify_ssl=verify_ssl,
            timeout=timeout,
        )
        self._engine = TransactionEngine(self._transport)
        self._poller = Poller(self._engine)
        self._device_info: DeviceInfo | None = None
        self.before_call: Callable[[str], None] | None = None
        """Called with each action ``call_action`` is about to send (a write's observers)."""
        # Writes are read-modify-write: one at a time, or the second undoes the first.
        self._write_lock = asyncio.Lock()

    def __repr__(self) -> str:
        """Without the password."""
        return f"{type(self).__name__}(url={self.url!r})"

    @property
    def host(self) -> str:
        """Host as used in the URL (IPv6 in brackets), with its port if one was given."""
        return self._transport.host

    @property
    def url(self) -> str:
        """The JNAP endpoint."""
        return self._transport.url

    @property
    def _timeout(self) -> float:
        """Seconds to wait for each answer (tests shorten it on a live client)."""
        return self._transport.timeout

    @_timeout.setter
    def _timeout(self, value: float) -> None:
        self._transport.timeout = value

    @property
    def capabilities(self) -> Capabilities | None:
        """What the router supports; None until ``get_device_info`` ran."""
        return self._engine.capabilities

    @property
    def device_info(self) -> DeviceInfo | None:
        """The last ``core/GetDeviceInfo`` answer."""
        return self._device_info

    @property
    def splits_mixed_transactions(self) -> bool:
        """Whether this router refuses transactions mixing open and password actions."""
        return self._engine.splits_mixed_transactions

    async def call_action(
        self, action: str, request: Mapping[str, Any] | None = None
    ) -> Mapping[str, Any]:
        """Run one action in its own POST; return its output or raise the typed error.

        Refuses (without a request) an action the router's capabilities lack.
        """
        if self.before_call is not None:
            self.before_call(action)
        return await self._engine.call_action(action, request)

    async def transaction(
        self, calls: Sequence[Call], *, retry_unsupported: bool = True
    ) -> list[ActionResult]:
        """Run many actions in one ``core/Transaction`` POST (normally); one result per call.

        See ``TransactionEngine.transaction`` for how refusals are recovered.
        """
        return await self._engine.transaction(
            calls, retry_unsupported=retry_unsupported
        )

    # --- identity and capabilities ---------------------------------------------------------

    async def get_device_info(self) -> DeviceInfo:
        """``core/GetDeviceInfo`` (no password); also (re)loads ``capabilities``."""
        info = DeviceInfo.from_json(await self.call_action(act.GET_DEVICE_INFO))
        self._store_device_info(info)
        return info

    def _store_device_info(self, info: DeviceInfo) -> None:
        self._device_info = info
        self._engine.capabilities = Capabilities(info.services)
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
            envelope, results = await self._engine.send_transaction(calls)
            if results is None:
                raise JNAPProtocolError(
                    f"{TRANSACTION}: no answer per action (result "
                    f"{envelope_status(envelope)})",
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
            self._engine.mark_unsupported(name)
            return None
        if not result.ok:
            _LOGGER.debug(
                "%s failed in the router info transaction: %s", name, result.code
            )
            return None
        caps = self._engine.capabilities
        assert caps is not None
        if not caps.has_action(name):
            return None  # answered, yet the services disown it: not to be trusted
        return as_bool(result.output.get("isAdminPasswordDefault"))

    async def _ensure_capabilities(self) -> Capabilities:
        if self._engine.capabilities is None:
            await self.get_device_info()
        assert self._engine.capabilities is not None
        return self._engine.capabilities

    async def _best(self, family: str) -> str:
        """Return the highest version of ``family`` the router allows, or raise."""
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
        """Return ``family`` at ``version`` (the best one when None); ValueError if none."""
        if version is None:
            return await self._best(family)
        action = family if version == 1 else f"{family}{version}"
        if action not in ACTIONS:
            raise ValueError(f"{family} has no version {version}")
        return action
