"""A poll that rebuilds only the touched clients equals a snapshot built from scratch."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
import random
from typing import Any

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest

from custom_components.linksys_jnap.connection import create_client
from custom_components.linksys_jnap.const import DOMAIN
from custom_components.linksys_jnap.coordinator import LinksysJnapCoordinator
from custom_components.linksys_jnap.jnap.poll import REGISTRY
from custom_components.linksys_jnap.listeners import ClientContext
from custom_components.linksys_jnap.snapshot import (
    POLL_PART_FIELDS,
    ClientCounts,
    RouterSnapshot,
)
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import coordinator_of
from tests.simulator import RouterSimulator
from tests.simulator.fixtures import RouterFactory

BANDS = ("2.4GHz", "5GHz")


def _other_band(band: str | None) -> str:
    return BANDS[1] if band == BANDS[0] else BANDS[0]


def _change(sim: RouterSimulator, rng: random.Random, step: int) -> str:
    """Change the router the way a home does; return what was done."""
    st = sim.state
    clients = [
        d
        for d in st.devices.values()
        if not d.is_authority and d.node_type is None and d.interfaces
    ]
    device = rng.choice(clients)
    live = next((m for m in device.macs if m in st.connections), None)
    roll = rng.random()
    if roll < 0.08:
        number = len(sim.state.devices) + step * 8  # unique: devices only grow per step
        sim.add_client(
            f"new-{number}", [f"02:CC:00:00:{number // 256:02X}:{number % 256:02X}"]
        )
        return "add"
    if roll < 0.12 and live is None:
        sim.delete_device(device.device_id)
        return "delete"
    if roll < 0.2:
        sim.rename_device(device.device_id, f"renamed-{step}")
        return "rename"
    if live is None:
        iface = device.interfaces[0]
        band = iface.band if iface.interface_type == "Wireless" else None
        sim.connect_client(iface.mac, band=band, signal=-rng.randrange(35, 80))
        return "connect"
    conn = st.connections[live]
    if conn.guest and sim.profile.child_nodes:
        # devicedb drops offline guests from the list a fresh build reads, while the
        # incremental build keeps them on purpose (test_offline_guest_kept_on_a_mesh).
        conn.signal = -rng.randrange(35, 80)
        return "signal"
    if conn.band is None or roll < 0.45:
        sim.disconnect_client(live)
        return "disconnect"
    if roll < 0.7:
        sim.roam(live, _other_band(conn.band))
        return "roam"
    conn.signal = -rng.randrange(35, 80)
    return "signal"


async def _from_scratch(
    hass: HomeAssistant, coordinator: LinksysJnapCoordinator
) -> RouterSnapshot:
    """Build what a coordinator that never polled before sees on the router now."""
    entry = coordinator.config_entry
    fresh = LinksysJnapCoordinator(
        hass, entry, create_client(hass, dict(entry.data)), coordinator.router
    )
    await fresh.async_refresh()
    assert fresh.last_update_success
    return fresh.data


# Parts read every Nth poll keep their last answer in between; a fresh build reads them now.
_RARE_FIELDS = frozenset(
    name for part in REGISTRY if part.every > 1 for name in POLL_PART_FIELDS[part.name]
)


def _same(data: RouterSnapshot, expected: RouterSnapshot) -> bool:
    """Return whether equal but for the boot time and the rarely read parts.

    A build keeps its boot time while it is the same boot; a fresh one reads uptime later.
    """
    rare: dict[str, Any] = dict.fromkeys(_RARE_FIELDS)
    data, expected = replace(data, **rare), replace(expected, **rare)
    if (data.system is None) != (expected.system is None):
        return False
    if data.system is not None and expected.system is not None:
        a, b = data.system.booted_at, expected.system.booted_at
        if (a is None) != (b is None) or (
            a and b and abs(a - b) > timedelta(seconds=2)
        ):
            return False
    return replace(data, system=None) == replace(expected, system=None)


@pytest.mark.parametrize("profile", ["smartwifi", "velop", "legacy"])
async def test_touched_rebuild_equals_full_build(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    profile: str,
) -> None:
    router = await router_factory(profile=profile, password=PASSWORD, clients=40)
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    if router.profile.child_nodes:
        # Two computers listed with the master's identity (issue 24): their changes take
        # the full build, which must agree too. With an OS they are clients whatever
        # happens, as a fresh coordinator (no last-seen keys) sees them.
        st = router.state
        computers = [
            d.device_id
            for d in st.devices.values()
            if d.device_type != "Infrastructure"
            and any(m in st.connections and st.connections[m].band for m in d.macs)
        ][:2]
        for device_id in computers:
            router.wear_master_identity(device_id, operating_system="macOS")
        await coordinator.async_refresh()
        assert set(computers) <= coordinator.data.clients.keys()
        # Only its Wi-Fi link moves (no record change): still the same as from scratch.
        live = next(m for m in st.devices[computers[0]].macs if m in st.connections)
        st.connections[live].signal -= 7
        await coordinator.async_refresh()
        assert _same(coordinator.data, await _from_scratch(hass, coordinator))
    rng = random.Random(f"incremental-{profile}")
    done: set[str] = set()
    partial = 0
    for step in range(60):
        for _ in range(rng.randrange(1, 4)):
            done.add(_change(router, rng, step))
        before = coordinator.data
        await coordinator.async_refresh()
        assert coordinator.last_update_success
        data = coordinator.data
        expected = await _from_scratch(hass, coordinator)
        diff = {
            k: (v, expected.clients.get(k))
            for k, v in data.clients.items()
            if expected.clients.get(k) != v
        }
        assert _same(data, expected), (step, sorted(done), diff)
        assert data.client_counts == ClientCounts.of(data.clients.values())
        # Views of untouched clients are shared, not rebuilt.
        shared = sum(1 for k, v in data.clients.items() if before.clients.get(k) is v)
        if data.clients is not before.clients and shared:
            partial += 1
    assert done >= {"connect", "disconnect", "roam", "signal", "rename", "add"}
    assert partial > 0

    # A MAC the router lists under two devices: both clients follow its connection.
    mac = next(m for m, c in router.state.connections.items() if c.band is not None)
    twin = router.add_client("twin", [mac], online=False)
    await coordinator.async_refresh()
    band = router.state.connections[mac].band
    router.roam(mac, _other_band(band))
    await coordinator.async_refresh()
    data = coordinator.data
    assert _same(data, await _from_scratch(hass, coordinator))
    owner = data.client_for_mac(mac)
    assert owner is not None
    assert owner.key != twin
    assert data.clients[twin].band == owner.band != band


async def test_new_client_entities_hear_their_changes(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
) -> None:
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    mover = next(c for c in coordinator.data.clients.values() if c.band)
    # A poll that changes one client only: listeners are grouped by client now.
    router.roam(mover.connected_mac or "", _other_band(mover.band))
    await coordinator.async_refresh()
    new_id = router.add_client("newcomer", ["02:DD:00:00:00:01"], band="5GHz")
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    tracker = er.async_get(hass).async_get_entity_id(
        Platform.DEVICE_TRACKER, DOMAIN, f"{coordinator.serial}_{new_id}_tracker"
    )
    assert tracker is not None
    assert hass.states.get(tracker).attributes["band"] == "5GHz"  # type: ignore[union-attr]

    router.roam("02:DD:00:00:00:01", "2.4GHz")
    await coordinator.async_refresh()
    assert hass.states.get(tracker).attributes["band"] == "2.4GHz"  # type: ignore[union-attr]


async def test_change_of_a_second_mac_keeps_the_view(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
) -> None:
    dual = router.add_client("dual", ["02:DD:00:00:00:0A", "02:DD:00:00:00:0B"])
    router.connect_client("02:DD:00:00:00:0B", band="2.4GHz")
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    view = coordinator.data.clients[dual]
    assert view.connected_mac == "02:DD:00:00:00:0A"
    # The client shows its first connected MAC: the other one's signal changes nothing.
    router.state.connections["02:DD:00:00:00:0B"].signal = -77
    await coordinator.async_refresh()
    assert coordinator.data.clients[dual] is view


async def test_a_failing_client_listener_does_not_stop_the_others(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    mover = next(c for c in coordinator.data.clients.values() if c.band)
    heard: list[str] = []

    def _fail() -> None:
        raise RuntimeError("listener bug")

    coordinator.async_add_listener(_fail, ClientContext(mover.key))
    coordinator.async_add_listener(lambda: heard.append("router"))
    router.roam(mover.connected_mac or "", _other_band(mover.band))
    await coordinator.async_refresh()
    assert heard == ["router"]
    assert "Unexpected error updating listener" in caplog.text


async def test_build_starts_over_when_the_data_is_not_its_last_build(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
) -> None:
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    online = [c for c in coordinator.data.clients.values() if c.band]
    first, second = online[0], online[1]
    older = coordinator.data
    router.roam(first.connected_mac or "", _other_band(first.band))
    await coordinator.async_refresh()
    # The coordinator's data is not the snapshot of its last build any more.
    coordinator.async_set_updated_data(older)
    router.roam(second.connected_mac or "", _other_band(second.band))
    await coordinator.async_refresh()
    assert _same(coordinator.data, await _from_scratch(hass, coordinator))
    assert coordinator.data.clients[first.key].band != first.band


async def test_a_new_signal_reaches_only_link_listeners(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
) -> None:
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    client = next(c for c in coordinator.data.clients.values() if c.band)
    heard: list[str] = []
    coordinator.async_add_listener(
        lambda: heard.append("client"), ClientContext(client.key)
    )
    coordinator.async_add_listener(
        lambda: heard.append("link"), ClientContext(client.key, link=True)
    )
    view = coordinator.data.clients[client.key]

    router.state.connections[client.connected_mac or ""].signal -= 9
    await coordinator.async_refresh()
    assert heard == ["link"]
    assert coordinator.data.clients[client.key] is view
    link = coordinator.data.link(view)
    assert link is not None
    assert (
        link.signal_dbm == router.state.connections[client.connected_mac or ""].signal
    )

    heard.clear()
    router.disconnect_client(client.connected_mac or "")
    await coordinator.async_refresh()
    assert sorted(heard) == ["client", "link"]
    assert coordinator.data.link(coordinator.data.clients[client.key]) is None
