"""The coordinator rebuilds only the client views whose router data changed."""

from __future__ import annotations

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.linksys_jnap.listeners import ClientContext
from tests.helpers import coordinator_of
from tests.simulator import Fault, RouterSimulator


async def test_idle_poll_reuses_every_view_and_the_mac_index(
    init_integration: MockConfigEntry,
) -> None:
    coordinator = coordinator_of(init_integration)
    before = coordinator.data
    await coordinator.async_refresh()
    after = coordinator.data
    assert after == before
    for key, view in after.clients.items():
        assert view is before.clients[key]
    assert after.client_keys_by_mac is before.client_keys_by_mac
    assert after.clients is before.clients
    assert after.connections is before.connections


async def test_changes_rebuild_only_the_clients_concerned(
    router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    coordinator = coordinator_of(init_integration)
    before = coordinator.data
    online = [c for c in before.clients.values() if c.connected and c.band]
    roamer, signal_only, leaver = online[0], online[1], online[2]
    router.roam(
        roamer.connected_mac or "", "2.4GHz" if roamer.band == "5GHz" else "5GHz"
    )
    # A signal change bumps no revision: only the live connection differs.
    router.state.connections[signal_only.connected_mac or ""].signal -= 7
    router.disconnect_client(leaver.connected_mac or "")
    new_id = router.add_client("bench-phone", ["AA:BB:CC:00:00:42"])
    await coordinator.async_refresh()
    after = coordinator.data
    changed = {
        key
        for key, view in after.clients.items()
        if view is not before.clients.get(key)
    }
    # A new signal alone keeps the view: the link's metrics live in the connections.
    assert changed == {roamer.key, leaver.key, new_id}
    assert after.clients[roamer.key].band != roamer.band
    old_link, new_link = before.link(signal_only), after.link(signal_only)
    assert old_link is not None
    assert new_link is not None
    assert new_link.signal_dbm == (old_link.signal_dbm or 0) - 7
    assert not after.clients[leaver.key].connected
    assert after.client_for_mac("aa:bb:cc:00:00:42") is after.clients[new_id]

    router.delete_device(new_id)
    await coordinator.async_refresh()
    assert new_id not in coordinator.data.clients
    assert coordinator.data.client_for_mac("AA:BB:CC:00:00:42") is None


async def test_client_listeners_hear_only_their_client_or_router_changes(
    router: RouterSimulator, init_integration: MockConfigEntry
) -> None:
    coordinator = coordinator_of(init_integration)
    online = [c for c in coordinator.data.clients.values() if c.connected and c.band]
    mover, still = online[0], online[1]
    heard: list[str] = []
    for key in (mover.key, still.key):
        coordinator.async_add_listener(
            lambda key=key: heard.append(key), ClientContext(key)
        )
    coordinator.async_add_listener(lambda: heard.append("router"))

    await coordinator.async_refresh()
    assert heard == []  # idle: nobody

    router.roam(mover.connected_mac or "", "2.4GHz" if mover.band == "5GHz" else "5GHz")
    await coordinator.async_refresh()
    assert sorted(heard) == sorted([mover.key, "router"])

    heard.clear()
    router.set_wan_connected(False)
    await coordinator.async_refresh()
    assert sorted(heard) == sorted([mover.key, still.key, "router"])

    heard.clear()
    router.inject(Fault.HTTP_500, times=1)
    await coordinator.async_refresh()
    assert not coordinator.last_update_success
    assert sorted(heard) == sorted([mover.key, still.key, "router"])
    heard.clear()
    await coordinator.async_refresh()  # recovery reaches everyone
    assert sorted(heard) == sorted([mover.key, still.key, "router"])


async def test_client_entities_listen_with_their_client_context(
    init_integration: MockConfigEntry,
) -> None:
    coordinator = coordinator_of(init_integration)
    contexts = list(coordinator.async_contexts())
    assert contexts
    assert {c.key for c in contexts if isinstance(c, ClientContext)} == set(
        coordinator.data.clients
    )
