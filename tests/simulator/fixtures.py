"""Pytest fixtures: `router` (a started smartwifi simulator) and `router_factory`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from .server import RouterSimulator

type RouterFactory = Callable[..., Awaitable[RouterSimulator]]


@pytest.fixture
async def router_factory(socket_enabled: Any) -> AsyncIterator[RouterFactory]:
    """Start simulators on demand (same kwargs as RouterSimulator); all stopped at teardown."""
    started: list[RouterSimulator] = []

    async def factory(**kwargs: Any) -> RouterSimulator:
        sim = RouterSimulator(**kwargs)
        await sim.start(host="127.0.0.1", port=0)
        started.append(sim)
        return sim

    yield factory
    for sim in started:
        await sim.stop()


@pytest.fixture
async def router(router_factory: RouterFactory) -> RouterSimulator:
    """Start a smartwifi simulator: password "correct horse", 12 clients, seed 1."""
    return await router_factory(
        profile="smartwifi", password="correct horse", clients=12, seed=1
    )
