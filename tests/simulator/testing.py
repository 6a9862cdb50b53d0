"""Small helpers for tests that talk raw JNAP to the simulator (no client code involved)."""

from __future__ import annotations

import base64
import json
from typing import Any

import aiohttp
from aiohttp import web

PREFIX = "http://linksys.com/jnap/"


class FakeClock:
    """A manually advanced clock to inject as RouterSimulator(clock=...)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds


class LoopbackEndpoint:
    """An HTTP endpoint on 127.0.0.1 (a free port) whose ``handle`` answers POST /JNAP/.

    For answers no simulator profile gives: subclasses script them.
    """

    def __init__(self) -> None:
        self.runner: web.AppRunner | None = None
        self.port = 0

    @property
    def host(self) -> str:
        """host:port, as a client's host setting."""
        return f"127.0.0.1:{self.port}"

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one request."""
        raise NotImplementedError

    async def start(self) -> None:
        """Listen on a free port."""
        app = web.Application()
        app.router.add_post("/JNAP/", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        """Stop listening."""
        assert self.runner is not None
        await self.runner.cleanup()


def basic(password: str) -> str:
    """X-JNAP-Authorization value for the admin user."""
    return "Basic " + base64.b64encode(f"admin:{password}".encode()).decode()


async def jnap(
    session: aiohttp.ClientSession,
    url: str,
    action: str,
    body: Any = None,
    *,
    password: str | None = None,
    prefix: str = PREFIX,
    raw: bytes | None = None,
) -> dict[str, Any]:
    """POST one action (short name) and return the decoded JSON answer."""
    headers = {
        "X-JNAP-Action": prefix + action,
        "Content-Type": "application/json; charset=UTF-8",
    }
    if password is not None:
        headers["X-JNAP-Authorization"] = basic(password)
    data = raw if raw is not None else json.dumps({} if body is None else body).encode()
    async with session.post(url, data=data, headers=headers) as resp:
        assert resp.status == 200
        result: dict[str, Any] = json.loads(await resp.read())
        return result


async def transaction(
    session: aiohttp.ClientSession,
    url: str,
    entries: list[tuple[str, dict[str, Any]]],
    *,
    password: str | None = None,
) -> dict[str, Any]:
    """POST a core/Transaction of (short action, request) pairs."""
    body = [{"action": PREFIX + name, "request": req} for name, req in entries]
    return await jnap(session, url, "core/Transaction", body, password=password)


class RawJnap:
    """Raw JNAP to one endpoint as one caller: ``password`` unless a call says otherwise.

    Calls take :func:`jnap`'s keywords (``password=None`` sends no credentials).
    """

    def __init__(
        self, session: aiohttp.ClientSession, url: str, password: str | None
    ) -> None:
        self.session = session
        self.url = url
        self.password = password

    async def __call__(
        self, action: str, body: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """POST one action (short name) and return the decoded answer."""
        kwargs.setdefault("password", self.password)
        return await jnap(self.session, self.url, action, body, **kwargs)

    async def result(self, action: str, body: Any = None, **kwargs: Any) -> str:
        """Return only the answer's result code."""
        result: str = (await self(action, body, **kwargs))["result"]
        return result

    async def output(
        self, action: str, body: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Return the output of an answer that must be OK."""
        answer = await self(action, body, **kwargs)
        assert answer["result"] == "OK", answer
        output: dict[str, Any] = answer["output"]
        return output

    async def transaction(
        self, *entries: str | tuple[str, dict[str, Any]], **kwargs: Any
    ) -> dict[str, Any]:
        """POST a core/Transaction of actions (a bare name sends an empty request)."""
        kwargs.setdefault("password", self.password)
        pairs = [(e, {}) if isinstance(e, str) else e for e in entries]
        return await transaction(self.session, self.url, pairs, **kwargs)


def entry_results(answer: dict[str, Any]) -> list[str]:
    """Return the result code of each entry of a transaction's answer."""
    return [r["result"] for r in answer["responses"]]
