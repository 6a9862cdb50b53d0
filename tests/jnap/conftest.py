"""Fixtures for the JNAP client tests: clients bound to a simulator, a scripted endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.linksys_jnap.jnap import JNAPClient
from tests.simulator.testing import LoopbackEndpoint

PASSWORD = "correct horse"


@pytest.fixture
def make_client(session: aiohttp.ClientSession) -> Callable[..., JNAPClient]:
    """Build a client for a started simulator."""

    def _make(sim: Any, password: str = PASSWORD, **kwargs: Any) -> JNAPClient:
        return JNAPClient(sim.host, password, session, **kwargs)

    return _make


@pytest.fixture
async def client(router: Any, make_client: Callable[..., JNAPClient]) -> JNAPClient:
    """Return a client of the default simulator that has read GetDeviceInfo."""
    ready = make_client(router)
    await ready.get_device_info()
    return ready


SERVICES = [
    "http://linksys.com/jnap/core/Core",
    "http://linksys.com/jnap/router/Router",
    "http://linksys.com/jnap/routerleds/RouterLEDs",
    "http://linksys.com/jnap/firmwareupdate/FirmwareUpdate",
]


class Scripted(LoopbackEndpoint):
    """An HTTP endpoint answering from a queue of canned bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: list[Any] = []
        self.seen: list[tuple[str, Any, dict[str, str]]] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.seen.append(
            (request.headers["X-JNAP-Action"], body, dict(request.headers))
        )
        reply = self.replies.pop(0)
        if isinstance(reply, web.StreamResponse):
            return reply
        if isinstance(reply, bytes):
            return web.Response(body=reply, content_type="application/json")
        return web.json_response(reply)


@pytest.fixture
async def scripted() -> AsyncIterator[Scripted]:
    server = Scripted()
    await server.start()
    yield server
    await server.stop()
