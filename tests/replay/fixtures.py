"""Pytest fixtures: `replay_router_factory`, and RECORDINGS (every recording) to parametrise.

Register in tests/conftest.py with
``from tests.replay.fixtures import replay_router_factory  # noqa: F401``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from .router import ReplayRouter

RECORDINGS_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "real"
RECORDINGS: list[Path] = sorted(RECORDINGS_DIR.glob("*.json"))

type ReplayRouterFactory = Callable[..., Awaitable[ReplayRouter]]


def recording_id(path: Path) -> str:
    """Readable pytest id for a recording path (its file stem)."""
    return path.stem


@pytest.fixture
async def replay_router_factory(
    socket_enabled: Any,
) -> AsyncIterator[ReplayRouterFactory]:
    """Start replay routers on demand (same args as ReplayRouter); all stopped at teardown."""
    started: list[ReplayRouter] = []

    async def factory(recording: Any, *args: Any, **kwargs: Any) -> ReplayRouter:
        router = ReplayRouter(recording, *args, **kwargs)
        await router.start(host="127.0.0.1", port=0)
        started.append(router)
        return router

    yield factory
    for router in started:
        await router.stop()
