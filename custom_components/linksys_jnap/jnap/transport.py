"""One JNAP request over HTTP: the POST, its auth header, decoding, password scrubbing."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Mapping
import json
import logging
import time
from typing import Any, Final

import aiohttp

from .actions import action_uri, short_name
from .errors import JNAPConnectionError, JNAPProtocolError, JNAPTimeoutError

_LOGGER = logging.getLogger(__name__)

try:  # Home Assistant ships orjson: a 1,000-client poll answer decodes 3x faster
    import orjson
except ImportError:  # pragma: no cover - plain json without it
    orjson = None  # type: ignore[assignment]

ADMIN_USER: Final = "admin"


def _loads(text: str) -> Any:
    """Decode JSON; whatever orjson refuses (NaN, ...) gets the standard library's say."""
    if orjson is not None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def format_host(host: str) -> str:
    """Return the host for the URL: stripped, IPv6 in brackets; refuse a URL or nothing."""
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


def envelope_status(envelope: Mapping[str, Any]) -> str:
    """Return the ``result`` of a JNAP answer (``response`` on old firmware)."""
    return str(envelope.get("result", envelope.get("response")))


def decode(name: str, payload: bytes) -> Mapping[str, Any]:
    """Return the JNAP envelope of an HTTP body; ``JNAPProtocolError`` says what is wrong."""
    envelope: Any = None
    if orjson is not None:
        # The usual answer: valid UTF-8 JSON, decoded straight from the bytes (no copy).
        try:
            envelope = orjson.loads(payload)
        except orjson.JSONDecodeError:
            envelope = None
    if envelope is None:
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
        raise JNAPProtocolError(f"{name}: the answer is not a JSON object", action=name)
    status = envelope.get("result", envelope.get("response"))
    if not isinstance(status, str):
        raise JNAPProtocolError(f"{name}: the answer has no result", action=name)
    return envelope


class Transport:
    """POSTs JNAP requests to one router's endpoint.

    ``session`` belongs to the caller and is never closed here.
    """

    def __init__(
        self,
        host: str,
        password: str,
        session: aiohttp.ClientSession,
        *,
        use_https: bool,
        verify_ssl: bool,
        timeout: float,
    ) -> None:
        """Prepare the endpoint; nothing is sent yet."""
        self.host = format_host(host)
        self.password = password
        """The admin password; a write of a new one replaces it here."""
        self._session = session
        self._use_https = use_https
        self._verify_ssl = verify_ssl
        self.timeout = timeout
        """Seconds to wait for each answer."""
        scheme = "https" if use_https else "http"
        self.url = f"{scheme}://{self.host}/JNAP/"

    def auth_value(self) -> str:
        """Return the ``X-JNAP-Authorization`` header for the current password."""
        token = base64.b64encode(f"{ADMIN_USER}:{self.password}".encode()).decode(
            "ascii"
        )
        return f"Basic {token}"

    def scrub(self, text: Any) -> str | None:
        """Router error text with any echo of the password or its encoding removed."""
        if text is None:
            return None
        result = str(text)
        secrets = [self.auth_value(), self.auth_value().split(" ", 1)[1]]
        if self.password:
            secrets.append(self.password)
        for secret in secrets:
            result = result.replace(secret, "***")
        return result

    async def post(
        self, action: str, body: Any, *, with_auth: bool
    ) -> Mapping[str, Any]:
        """One HTTP POST; returns the decoded JNAP envelope (a JSON object with a status)."""
        headers = {
            "X-JNAP-Action": action_uri(action),
            "Content-Type": "application/json; charset=UTF-8",
            "Accept": "application/json",
        }
        if with_auth:
            headers["X-JNAP-Authorization"] = self.auth_value()
        data = json.dumps(body, separators=(",", ":"))
        ssl: bool = self._verify_ssl if self._use_https else True
        started = time.monotonic()
        name = short_name(action)
        try:
            async with asyncio.timeout(self.timeout):
                async with self._session.post(
                    self.url,
                    data=data,
                    headers=headers,
                    ssl=ssl,
                    allow_redirects=False,
                ) as response:
                    status = response.status
                    payload = await response.read()
        except TimeoutError as err:
            _LOGGER.debug("%s timed out after %.1fs", name, self.timeout)
            raise JNAPTimeoutError(
                f"{name}: no answer from {self.host} within {self.timeout}s",
                action=name,
            ) from err
        except aiohttp.ClientPayloadError as err:
            raise JNAPProtocolError(
                f"{name}: truncated or malformed body", action=name
            ) from err
        except (aiohttp.ClientError, OSError) as err:
            _LOGGER.debug(
                "%s: cannot reach %s: %s", name, self.host, type(err).__name__
            )
            raise JNAPConnectionError(
                f"{name}: cannot reach {self.host} ({type(err).__name__})", action=name
            ) from err
        elapsed = (time.monotonic() - started) * 1000
        if status != 200:
            raise JNAPProtocolError(f"{name}: HTTP status {status}", action=name)
        envelope = decode(name, payload)
        _LOGGER.debug(
            "%s -> %s in %.0f ms (%d bytes)",
            name,
            envelope.get("result", envelope.get("response")),
            elapsed,
            len(payload),
        )
        return envelope
