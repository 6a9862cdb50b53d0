"""Fixtures for the JNAP client tests: an aiohttp session and clients bound to a simulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from custom_components.linksys_jnap.jnap import JNAPClient

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
