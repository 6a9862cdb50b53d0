"""WAN connectivity binary sensor (its behaviour is in test_sensor's WAN test)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from tests.helpers import snapshot_domain


async def test_snapshot(
    hass: HomeAssistant, snapshot_entry: MockConfigEntry, snapshot: SnapshotAssertion
) -> None:
    await snapshot_domain(hass, snapshot_entry, snapshot, "binary_sensor")
