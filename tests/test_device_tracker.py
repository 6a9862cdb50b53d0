"""Presence: trackers per client, consider_home timing, restarts, new and deleted clients."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_HOME, STATE_NOT_HOME, Platform
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.linksys_jnap import async_remove_config_entry_device
from custom_components.linksys_jnap.const import CONF_CONSIDER_HOME, DOMAIN
from custom_components.linksys_jnap.snapshot import PRESENCE_DEVICE_LIST
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import coordinator_of, poll, state_of, tick
from tests.simulator import RouterSimulator
from tests.simulator.fixtures import RouterFactory

MAC_A = "02:AA:00:00:00:01"
MAC_B = "02:AA:00:00:00:02"


def _tracker(hass: HomeAssistant, entry: MockConfigEntry, device_id: str) -> str:
    serial = coordinator_of(entry).serial
    entity_id = er.async_get(hass).async_get_entity_id(
        Platform.DEVICE_TRACKER, DOMAIN, f"{serial}_{device_id}_tracker"
    )
    assert entity_id is not None
    return entity_id


async def test_snapshot(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    entry = await setup_integration(router)
    entries = sorted(
        (
            e
            for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id)
            if e.domain == Platform.DEVICE_TRACKER
        ),
        key=lambda e: e.entity_id,
    )
    assert entries
    for entity in entries:
        assert entity == snapshot(name=f"{entity.entity_id}-entry")
        state = hass.states.get(entity.entity_id)
        assert state == snapshot(name=f"{entity.entity_id}-state")


async def test_no_tracker_for_router_or_nodes(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    router = await router_factory(profile="velop", password=PASSWORD)
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    assert coordinator.data.nodes
    serial = coordinator.serial
    # A node record with deviceType Infrastructure but no nodeType is a node too.
    bare = [
        d.device_id
        for d in router.state.devices.values()
        if d.device_type == "Infrastructure" and d.node_type is None
    ]
    assert bare
    assert set(bare) <= set(coordinator.data.nodes)
    for node_id in coordinator.data.nodes:
        assert (
            er.async_get(hass).async_get_entity_id(
                Platform.DEVICE_TRACKER, DOMAIN, f"{serial}_{node_id}_tracker"
            )
            is None
        )
    assert len(hass.states.async_entity_ids(Platform.DEVICE_TRACKER)) == len(
        coordinator.data.clients
    )


async def test_arrive_leave_consider_home(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    device_id = router.add_client("phone", [MAC_A], band="5GHz", signal=-48)
    entry = await setup_integration(router, options={CONF_CONSIDER_HOME: 60})
    entity_id = _tracker(hass, entry, device_id)
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_HOME
    assert state.attributes["mac"] == MAC_A.lower() or MAC_A
    assert state.attributes["band"] == "5GHz"
    # Signal changes at nearly every poll: a sensor of its own, not a tracker attribute.
    assert "signal_strength" not in state.attributes
    assert state.attributes["network"] == "main"
    assert state.attributes["connection_type"] == "wireless"
    assert state.attributes["host_name"] == "phone"
    assert "ip" in state.attributes

    router.disconnect_client(MAC_A)
    await poll(hass, freezer)
    # v1 GetDevices keeps the stale connection: it must not count.
    device = coordinator_of(entry).data.clients[device_id].device
    assert any(c.mac == MAC_A for c in device.connections)
    assert state_of(hass, entity_id) == STATE_HOME
    assert "band" not in hass.states.get(entity_id).attributes  # type: ignore[union-attr]

    # Away exactly when consider_home ends (last seen one poll earlier), not a poll later.
    await tick(hass, freezer, 25)
    assert state_of(hass, entity_id) == STATE_HOME
    await tick(hass, freezer, 6)
    assert state_of(hass, entity_id) == STATE_NOT_HOME

    router.connect_client(MAC_A, band="2.4GHz")
    await poll(hass, freezer)
    assert state_of(hass, entity_id) == STATE_HOME


async def test_signal_change_writes_no_tracker_state(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    device_id = router.add_client("phone", [MAC_A], band="5GHz", signal=-48)
    entry = await setup_integration(router)
    tracker = _tracker(hass, entry, device_id)
    serial = coordinator_of(entry).serial
    signal = er.async_get(hass).async_get_entity_id(
        Platform.SENSOR, DOMAIN, f"{serial}_{device_id}_signal_strength"
    )
    assert signal is not None
    er.async_get(hass).async_update_entity(signal, disabled_by=None)
    await tick(hass, freezer, 31)  # HA reloads the entry to add the enabled sensor
    before = hass.states.get(tracker)
    assert before is not None
    assert state_of(hass, signal) == "-48"

    router.state.connections[MAC_A].signal = -70
    await poll(hass, freezer)
    assert state_of(hass, signal) == "-70"
    assert hass.states.get(tracker) is before  # no state write for the tracker

    router.roam(MAC_A, "2.4GHz")
    await poll(hass, freezer)
    after = hass.states.get(tracker)
    assert after is not None
    assert after is not before
    assert after.attributes["band"] == "2.4GHz"


async def test_two_mac_client_is_one_tracker(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    device_id = router.add_client("dual", [MAC_A, MAC_B], band="2.4GHz")
    entry = await setup_integration(router, options={CONF_CONSIDER_HOME: 0})
    entity_id = _tracker(hass, entry, device_id)
    assert state_of(hass, entity_id) == STATE_HOME

    router.disconnect_client(MAC_A)
    router.connect_client(MAC_B, band="5GHz")
    await poll(hass, freezer)
    assert state_of(hass, entity_id) == STATE_HOME
    assert hass.states.get(entity_id).attributes["band"] == "5GHz"  # type: ignore[union-attr]

    router.disconnect_client(MAC_B)
    await poll(hass, freezer)
    assert state_of(hass, entity_id) == STATE_NOT_HOME
    assert (
        len(
            [
                e
                for e in er.async_entries_for_config_entry(
                    er.async_get(hass), entry.entry_id
                )
                if e.unique_id.startswith(
                    f"{coordinator_of(entry).serial}_{device_id}_"
                )
                and e.domain == Platform.DEVICE_TRACKER
            ]
        )
        == 1
    )


async def test_last_seen_survives_restart(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    device_id = router.add_client("laptop", [MAC_A])
    entry = await setup_integration(router, options={CONF_CONSIDER_HOME: 120})
    entity_id = _tracker(hass, entry, device_id)
    router.disconnect_client(MAC_A)
    await poll(hass, freezer)
    assert state_of(hass, entity_id) == STATE_HOME

    assert await hass.config_entries.async_unload(entry.entry_id)
    await tick(hass, freezer, 30)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # Seen 60 s ago (one poll interval before the disconnect poll, plus 30 s down).
    assert state_of(hass, entity_id) == STATE_HOME
    await tick(hass, freezer, 61)
    assert state_of(hass, entity_id) == STATE_NOT_HOME


async def test_new_and_deleted_clients(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    entry = await setup_integration(router)
    before = len(hass.states.async_entity_ids(Platform.DEVICE_TRACKER))
    device_id = router.add_client("visitor", [MAC_A])
    await poll(hass, freezer)
    assert len(hass.states.async_entity_ids(Platform.DEVICE_TRACKER)) == before + 1
    entity_id = _tracker(hass, entry, device_id)
    assert state_of(hass, entity_id) == STATE_HOME
    # Enabled at once (its device existed before it was added), so Home Assistant does
    # not enable it later by reloading the entry.
    registry_entry = er.async_get(hass).async_get(entity_id)
    assert registry_entry is not None
    assert registry_entry.disabled_by is None
    runtime = entry.runtime_data
    await tick(hass, freezer, 40)
    assert entry.runtime_data is runtime

    router.delete_device(device_id)
    await poll(hass, freezer)
    assert (
        er.async_get(hass).async_get_entity_id(
            Platform.DEVICE_TRACKER,
            DOMAIN,
            f"{coordinator_of(entry).serial}_{device_id}_tracker",
        )
        is None
    )
    assert hass.states.get(entity_id) is None
    assert (
        dr.async_get(hass).async_get_device_by_identifier(
            coordinator_of(entry).devices.identifier(device_id), entry.entry_id
        )
        is None
    )


async def test_presence_from_getdevices3(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    router = await router_factory(profile="velop", password=PASSWORD)
    for version in ("NetworkConnections", "NetworkConnections2"):
        router.remove_service(f"http://linksys.com/jnap/networkconnections/{version}")
    router.remove_service(
        "http://linksys.com/jnap/nodes/networkconnections/NodesNetworkConnections"
    )
    device_id = router.add_client("tablet", [MAC_A])
    entry = await setup_integration(router, options={CONF_CONSIDER_HOME: 0})
    assert coordinator_of(entry).data.presence_source == PRESENCE_DEVICE_LIST
    entity_id = _tracker(hass, entry, device_id)
    assert state_of(hass, entity_id) == STATE_HOME
    router.disconnect_client(MAC_A)
    await poll(hass, freezer)
    assert state_of(hass, entity_id) == STATE_NOT_HOME


async def test_no_trackers_without_live_presence(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
) -> None:
    # Only v1 GetDevices, whose connections go stale: no presence at all.
    router.remove_service(
        "http://linksys.com/jnap/networkconnections/NetworkConnections"
    )
    entry = await setup_integration(router)
    assert coordinator_of(entry).data.presence_source is None
    assert hass.states.async_entity_ids(Platform.DEVICE_TRACKER) == []


async def test_router_rename_updates_the_device(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    device_id = router.add_client("phone", [MAC_A])
    entry = await setup_integration(router)
    coordinator = coordinator_of(entry)
    tracker = _tracker(hass, entry, device_id)
    dev_reg = dr.async_get(hass)
    identifier = coordinator.devices.identifier(device_id)
    device = dev_reg.async_get_device_by_identifier(identifier, entry.entry_id)
    assert device is not None
    assert device.name == "phone"

    # Renamed on the router: the device follows at the next poll, without a reload.
    router.rename_device(device_id, "kitchen-phone")
    await poll(hass, freezer)
    renamed = dev_reg.async_get_device_by_identifier(identifier, entry.entry_id)
    assert renamed is not None
    assert renamed.id == device.id
    assert renamed.name == "kitchen-phone"
    state = hass.states.get(tracker)
    assert state is not None
    assert state.attributes["friendly_name"] == "kitchen-phone"
    assert coordinator_of(entry) is coordinator

    # Removed by the user: a later rename does not bring it back before a reload.
    dev_reg.async_remove_device(device.id)
    assert dev_reg.async_get_device_by_identifier(identifier, entry.entry_id) is None
    router.rename_device(device_id, "hall-phone")
    await poll(hass, freezer)
    assert dev_reg.async_get_device_by_identifier(identifier, entry.entry_id) is None


async def test_manual_device_removal(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    home_id = router.add_client("home", [MAC_A])
    away_id = router.add_client("away", [MAC_B], online=False)
    entry = await setup_integration(router, options={CONF_CONSIDER_HOME: 0})
    coordinator = coordinator_of(entry)
    dev_reg = dr.async_get(hass)
    router_device = dev_reg.async_get(
        entry.runtime_data.coordinator.devices.router_device_id
    )
    assert router_device is not None
    assert not await async_remove_config_entry_device(hass, entry, router_device)

    def _device(key: str) -> dr.DeviceEntry:
        device = dev_reg.async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={coordinator.devices.identifier(key)},
        )
        assert device is not None
        return device

    assert not await async_remove_config_entry_device(hass, entry, _device(home_id))
    assert await async_remove_config_entry_device(hass, entry, _device(away_id))
    # The router forgot it too (DeleteDevice), so it does not come back.
    assert away_id not in router.state.devices
    gone = dev_reg.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, "unrelated")}
    )
    assert await async_remove_config_entry_device(hass, entry, gone)


async def test_manual_removal_never_resends_a_refused_password(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
) -> None:
    first = router.add_client("first", [MAC_A], online=False)
    second = router.add_client("second", [MAC_B], online=False)
    entry = await setup_integration(router, options={CONF_CONSIDER_HOME: 0})
    coordinator = coordinator_of(entry)
    dev_reg = dr.async_get(hass)

    def _device(key: str) -> dr.DeviceEntry:
        device = dev_reg.async_get_device_by_identifier(
            coordinator.devices.identifier(key), entry.entry_id
        )
        assert device is not None
        return device

    router.set_admin_password("changed on the router")
    assert not await async_remove_config_entry_device(hass, entry, _device(first))
    await hass.async_block_till_done()
    assert coordinator.auth_failed
    assert any(entry.async_get_active_flows(hass, {SOURCE_REAUTH}))
    # Until reauth, nothing more is sent: the router throttles wrong passwords.
    router.reset_counters()
    assert not await async_remove_config_entry_device(hass, entry, _device(second))
    assert router.requests == []
    assert first in router.state.devices
    assert second in router.state.devices


@pytest.mark.parametrize("profile", ["smartwifi", "velop", "legacy"])
async def test_profiles_set_up(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    profile: str,
) -> None:
    router = await router_factory(profile=profile, password=PASSWORD)
    entry = await setup_integration(router)
    assert coordinator_of(entry).data.presence_source is not None
    assert hass.states.async_entity_ids(Platform.DEVICE_TRACKER)


async def test_restart_leaves_client_devices_alone(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
) -> None:
    named = router.add_client("android-5f3a", [MAC_A], user_name="Emma's phone")
    entry = await setup_integration(router)
    dev_reg = dr.async_get(hass)
    identifier = coordinator_of(entry).devices.identifier(named)
    device = dev_reg.async_get_device_by_identifier(identifier, entry.entry_id)
    assert device is not None
    assert device.name == "Emma's phone"
    state = hass.states.get(_tracker(hass, entry, named))
    assert state is not None
    assert state.attributes["host_name"] == "android-5f3a"

    updates: list[str] = []

    @callback
    def _updated(event: Event[dr.EventDeviceRegistryUpdatedData]) -> None:
        updates.append(event.data["action"])

    unsub = hass.bus.async_listen(dr.EVENT_DEVICE_REGISTRY_UPDATED, _updated)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    unsub()
    # Nothing renamed back and forth (nor anything else) at a restart.
    assert updates == []
    device = dev_reg.async_get_device_by_identifier(identifier, entry.entry_id)
    assert device is not None
    assert device.name == "Emma's phone"
    state = hass.states.get(_tracker(hass, entry, named))
    assert state is not None
    assert state.attributes["host_name"] == "android-5f3a"
    assert state.attributes["friendly_name"] == "Emma's phone"


# --- a Velop mesh: presence from every node ----------------------------------------------


async def test_satellite_clients_are_home(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    """GetNetworkConnections2 lists only the master's clients; every node's count."""
    router = await router_factory(profile="velop", password=PASSWORD, clients=12)
    (satellite,) = router.satellite_ids
    on_satellite = router.add_client("upstairs", [MAC_A], node=satellite)
    on_master = router.add_client("downstairs", [MAC_B])
    entry = await setup_integration(router, options={CONF_CONSIDER_HOME: 0})
    assert state_of(hass, _tracker(hass, entry, on_satellite)) == STATE_HOME
    assert state_of(hass, _tracker(hass, entry, on_master)) == STATE_HOME
    data = coordinator_of(entry).data
    assert data.clients[on_satellite].node_id == satellite
    # Every live client of the mesh is home, whichever node it is on.
    st = router.state
    live = {
        st.device_for_mac(mac).device_id  # type: ignore[union-attr]
        for mac in st.connections
    } - set(router.node_ids)
    home = {key for key, client in data.clients.items() if client.connected}
    assert home == live
    assert data.client_counts.connected == len(live)

    # Roaming to the master keeps it home; leaving the mesh makes it away.
    router.roam(MAC_A, "2.4GHz", node=router.node_ids[0])
    await poll(hass, freezer)
    assert state_of(hass, _tracker(hass, entry, on_satellite)) == STATE_HOME
    assert coordinator_of(entry).data.clients[on_satellite].node_id is None or (
        coordinator_of(entry).data.clients[on_satellite].node_id == router.node_ids[0]
    )
    router.disconnect_client(MAC_A)
    await poll(hass, freezer)
    assert state_of(hass, _tracker(hass, entry, on_satellite)) == STATE_NOT_HOME


async def test_offline_guest_kept_on_a_mesh(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Devicedb drops offline guests from GetDevices3; their device and tracker stay."""
    router = await router_factory(profile="velop", password=PASSWORD, clients=4)
    guest = router.add_client("visitor", [MAC_A], guest=True)
    entry = await setup_integration(router, options={CONF_CONSIDER_HOME: 0})
    tracker = _tracker(hass, entry, guest)
    assert state_of(hass, tracker) == STATE_HOME
    router.disconnect_client(MAC_A)
    # Past the periodic full read of the device list, which no longer lists it.
    for _ in range(12):
        await poll(hass, freezer)
    assert state_of(hass, tracker) == STATE_NOT_HOME
    assert (
        dr.async_get(hass).async_get_device_by_identifier(
            coordinator_of(entry).devices.identifier(guest), entry.entry_id
        )
        is not None
    )
    # It comes back as the same device.
    router.connect_client(MAC_A, guest=True)
    await poll(hass, freezer)
    assert state_of(hass, tracker) == STATE_HOME


async def test_client_forgotten_while_home_assistant_was_down(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
) -> None:
    """The first full read at setup is the truth: devices the router forgot go."""
    gone = router.add_client("old-laptop", [MAC_A], online=False)
    entry = await setup_integration(router)
    identifier = coordinator_of(entry).devices.identifier(gone)
    dev_reg = dr.async_get(hass)
    assert dev_reg.async_get_device_by_identifier(identifier, entry.entry_id)
    assert await hass.config_entries.async_unload(entry.entry_id)
    router.delete_device(gone)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert dev_reg.async_get_device_by_identifier(identifier, entry.entry_id) is None
    assert gone not in coordinator_of(entry).presence.last_seen
