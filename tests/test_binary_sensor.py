"""WAN connectivity binary sensor (its behaviour is in test_sensor's WAN test)."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from syrupy.assertion import SnapshotAssertion

from tests.conftest import PASSWORD, SetupIntegration
from tests.simulator.fixtures import RouterFactory
from tests.test_switch import snapshot_domain


async def test_snapshot(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    snapshot: SnapshotAssertion,
) -> None:
    sim = await router_factory(
        profile="smartwifi", password=PASSWORD, clients=2, seed=1
    )
    entry = await setup_integration(sim)
    await snapshot_domain(hass, entry, snapshot, "binary_sensor")
