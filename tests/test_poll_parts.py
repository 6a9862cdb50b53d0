"""Every poll part reaches the snapshot, or is declared read elsewhere: none is dropped.

The parts are ``PollResult``'s fields that declare one (``POLL_PARTS``). Each must be in
``snapshot.POLL_PART_FIELDS`` (the snapshot fields built from it) or in
``POLL_PARTS_READ_ELSEWHERE``. A declared field must really come from its part: a snapshot
built from a real poll differs in that field from one built from the same poll without
the part.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from custom_components.linksys_jnap.builder import SnapshotBuilder
from custom_components.linksys_jnap.jnap import POLL_PARTS, JNAPClient, PollResult
from custom_components.linksys_jnap.snapshot import (
    POLL_PART_FIELDS,
    POLL_PARTS_READ_ELSEWHERE,
    RouterSnapshot,
)
from tests.conftest import PASSWORD
from tests.simulator.fixtures import RouterFactory

# Between them these profiles answer every part (a speed test running for its status).
PROFILES = ("smartwifi", "velop_mesh")


def _build(result: PollResult) -> RouterSnapshot:
    """Build the snapshot a coordinator's first poll builds from ``result``."""
    return SnapshotBuilder().build(result, None, datetime.now(UTC)).snapshot


@pytest.fixture
async def polls(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> list[PollResult]:
    """One real poll of each profile in ``PROFILES``."""
    results: list[PollResult] = []
    for profile in PROFILES:
        router = await router_factory(profile=profile, password=PASSWORD, clients=8)
        client = JNAPClient(router.host, PASSWORD, session)
        await client.get_device_info()
        if client.capabilities is not None and client.capabilities.has_action(
            "healthcheck/RunHealthCheck"
        ):
            await client.run_speed_test()
        results.append(await client.poll())
    return results


def test_every_part_is_declared_once() -> None:
    # Every part PollResult declares, those asked only now and then included.
    parts = {f.name for f in fields(PollResult) if "poll" in f.metadata}
    assert set(POLL_PARTS) <= parts
    assert {"devices", "connections", "wan_status"} <= parts
    reached, elsewhere = set(POLL_PART_FIELDS), set(POLL_PARTS_READ_ELSEWHERE)
    dropped = parts - reached - elsewhere
    assert not dropped, (
        f"poll parts neither in the snapshot nor read elsewhere: {dropped}"
    )
    stale = (reached | elsewhere) - parts
    assert not stale, f"declared parts PollResult no longer has: {stale}"
    assert not reached & elsewhere, f"parts declared both ways: {reached & elsewhere}"
    snapshot_fields = {f.name for f in fields(RouterSnapshot)}
    for part, targets in POLL_PART_FIELDS.items():
        assert targets, part
        assert set(targets) <= snapshot_fields, (part, targets)
    for part, reason in POLL_PARTS_READ_ELSEWHERE.items():
        assert reason.strip(), f"{part}: say who reads it and why"


async def test_every_declared_field_comes_from_its_part(
    polls: list[PollResult],
) -> None:
    checked: list[tuple[str, str]] = []
    for part, targets in POLL_PART_FIELDS.items():
        result = next((r for r in polls if getattr(r, part) is not None), None)
        assert result is not None, f"no profile of {PROFILES} answers {part}"
        with_part = _build(result)
        without: dict[str, Any] = {part: None}
        without_part = _build(replace(result, **without))
        for target in targets:
            assert getattr(with_part, target) != getattr(without_part, target), (
                f"{part} does not reach RouterSnapshot.{target}"
            )
            checked.append((part, target))
    assert len(checked) == sum(len(t) for t in POLL_PART_FIELDS.values())
