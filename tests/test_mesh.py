"""A Velop mesh in Home Assistant: every node a device, every client on its node."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import (
    STATE_HOME,
    STATE_NOT_HOME,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.linksys_jnap.const import CONF_CONSIDER_HOME, DOMAIN
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import coordinator_of, enable_all, poll, state_of, tick
from tests.simulator import RouterSimulator
from tests.simulator.fixtures import RouterFactory

MAC = "02:AA:00:00:00:11"


def _entity(hass: HomeAssistant, domain: str, serial: str, key: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        domain, DOMAIN, f"{serial}_{key}"
    )
    assert entity_id is not None, key
    return entity_id


async def _mesh(
    router_factory: RouterFactory, setup_integration: SetupIntegration
) -> tuple[RouterSimulator, str]:
    router = await router_factory(profile="velop", password=PASSWORD, clients=12)
    entry = await setup_integration(router, options={CONF_CONSIDER_HOME: 0})
    return router, entry.entry_id


async def test_nodes_are_devices(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    snapshot: SnapshotAssertion,
) -> None:
    router, entry_id = await _mesh(router_factory, setup_integration)
    st = router.state
    serial = st.device_info.serial_number
    dev_reg = dr.async_get(hass)
    router_device = dev_reg.async_get_device_by_identifier((DOMAIN, serial), entry_id)
    assert router_device is not None
    (satellite,) = router.satellite_ids
    record = st.devices[satellite]
    node = dev_reg.async_get_device_by_identifier(
        (DOMAIN, f"{serial}_{satellite}"), entry_id
    )
    assert node is not None
    assert node.via_device_id == router_device.id
    assert node.serial_number == record.serial_number
    assert node.sw_version == record.firmware_version
    assert node.model == record.model_number
    assert (
        state_of(
            hass,
            _entity(hass, Platform.BINARY_SENSOR, serial, f"{satellite}_node_online"),
        )
        == STATE_ON
    )
    # The unplugged node (no nodeType, no connection) is a device too, offline.
    (old,) = [
        d.device_id
        for d in st.devices.values()
        if d.device_type == "Infrastructure" and d.node_type is None
    ]
    assert (
        state_of(
            hass, _entity(hass, Platform.BINARY_SENSOR, serial, f"{old}_node_online")
        )
        == STATE_OFF
    )
    assert (
        state_of(
            hass, _entity(hass, Platform.SENSOR, serial, f"{satellite}_parent_node")
        )
        == st.devices[st.authority_id].friendly_name
    )
    entries = sorted(
        (
            e
            for e in er.async_entries_for_config_entry(er.async_get(hass), entry_id)
            if e.translation_key in ("node_online", "node_clients", "parent_node")
        ),
        key=lambda e: e.unique_id,
    )
    assert [
        (e.unique_id.removeprefix(serial), e.translation_key) for e in entries
    ] == snapshot


async def test_counts_add_up_and_clients_follow_their_node(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    router, entry_id = await _mesh(router_factory, setup_integration)
    entry = hass.config_entries.async_get_entry(entry_id)
    assert entry is not None
    serial = router.state.device_info.serial_number
    (satellite,) = router.satellite_ids
    primary = router.state.authority_id
    key = router.add_client("roamer", [MAC], node=satellite)
    await poll(hass, freezer)
    await enable_all(hass, entry)
    total = int(
        state_of(hass, _entity(hass, Platform.SENSOR, serial, "clients_connected"))
    )
    per_node = [
        int(state_of(hass, _entity(hass, Platform.SENSOR, serial, f"{n}_node_clients")))
        for n in router.node_ids
    ]
    assert sum(per_node) == total
    assert per_node[1] >= 1
    node_sensor = _entity(hass, Platform.SENSOR, serial, f"{key}_node")
    tracker = _entity(hass, Platform.DEVICE_TRACKER, serial, f"{key}_tracker")
    satellite_name = router.state.devices[satellite].friendly_name
    assert state_of(hass, node_sensor) == satellite_name
    assert hass.states.get(tracker).attributes["node"] == satellite_name  # type: ignore[union-attr]

    router.roam(MAC, "2.4GHz", node=primary)
    await poll(hass, freezer)
    primary_name = router.state.devices[primary].friendly_name
    assert state_of(hass, node_sensor) == primary_name
    assert hass.states.get(tracker).attributes["node"] == primary_name  # type: ignore[union-attr]
    assert coordinator_of(entry).data.clients_on(satellite) == per_node[1] - 1


async def test_a_computer_wearing_the_masters_identity_is_a_client(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Issue 24: Infrastructure records with the master's serial are clients, not nodes."""
    router, entry_id = await _mesh(router_factory, setup_integration)
    st = router.state
    serial = st.device_info.serial_number
    (satellite,) = router.satellite_ids
    key = router.add_client("ASTWP-29134", [MAC], node=satellite)
    await poll(hass, freezer)
    connected = _entity(hass, Platform.SENSOR, serial, "clients_connected")
    counted = int(state_of(hass, connected))
    # No operating system: its live connection alone makes it a client.
    router.wear_master_identity(key)
    stale = router.add_client("copy", ["02:AA:00:00:00:12"], online=False)
    router.wear_master_identity(stale)
    await poll(hass, freezer)
    tracker = _entity(hass, Platform.DEVICE_TRACKER, serial, f"{key}_tracker")
    assert state_of(hass, tracker) == STATE_HOME
    assert int(state_of(hass, connected)) == counted
    dev_reg = dr.async_get(hass)
    ent_reg = er.async_get(hass)
    device = dev_reg.async_get_device_by_identifier(
        (DOMAIN, f"{serial}_{key}"), entry_id
    )
    assert device is not None
    assert device.name == "ASTWP-29134"
    assert (device.manufacturer, device.model, device.serial_number) == (
        None,
        None,
        None,
    )
    for domain, suffix in (
        (Platform.SENSOR, "node_clients"),
        (Platform.BINARY_SENSOR, "node_online"),
    ):
        assert (
            ent_reg.async_get_entity_id(domain, DOMAIN, f"{serial}_{key}_{suffix}")
            is None
        )
    entry = hass.config_entries.async_get_entry(entry_id)
    assert entry is not None
    unplugged = [d.device_id for d in st.devices.values() if d.model_number == "WHW01"]
    assert set(coordinator_of(entry).data.mesh_nodes()) == {
        *router.node_ids,
        *unplugged,
    }
    # The duplicate with neither a connection nor an OS: nothing at all.
    assert (
        dev_reg.async_get_device_by_identifier((DOMAIN, f"{serial}_{stale}"), entry_id)
        is None
    )
    assert not [
        e
        for e in er.async_entries_for_config_entry(ent_reg, entry_id)
        if e.unique_id.startswith(f"{serial}_{stale}")
    ]

    # It roams (its record unchanged): its role follows its live MACs, so a full build.
    router.roam(MAC, "2.4GHz", node=st.authority_id)
    await poll(hass, freezer)
    assert coordinator_of(entry).data.clients[key].band == "2.4GHz"
    assert int(state_of(hass, connected)) == counted

    # It leaves: still a client, away (seen connected before), also after a restart.
    router.disconnect_client(MAC)
    await poll(hass, freezer)
    assert state_of(hass, tracker) == STATE_NOT_HOME
    assert int(state_of(hass, connected)) == counted - 1
    assert await hass.config_entries.async_reload(entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, tracker) == STATE_NOT_HOME
    assert dev_reg.async_get_device_by_identifier((DOMAIN, f"{serial}_{key}"), entry_id)


async def test_a_node_that_turns_out_a_computer(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A record shown as a node (a serial of its own) that then wears the master's.

    What an install upgraded from a version that showed such computers as nodes has: the
    same device becomes the client's, without the node's serial and firmware.
    """
    router, entry_id = await _mesh(router_factory, setup_integration)
    st = router.state
    serial = st.device_info.serial_number
    key = router.add_client("ASTWP-29134", [MAC], online=False)
    record = st.devices[key]
    record.device_type, record.serial_number = "Infrastructure", "65G10M27E00001"
    record.firmware_version = "1.0.10.216621"
    st.bump(record)
    await poll(hass, freezer)
    dev_reg = dr.async_get(hass)
    ent_reg = er.async_get(hass)
    identifier = (DOMAIN, f"{serial}_{key}")
    device = dev_reg.async_get_device_by_identifier(identifier, entry_id)
    assert device is not None
    assert device.serial_number == "65G10M27E00001"
    node_online = _entity(hass, Platform.BINARY_SENSOR, serial, f"{key}_node_online")

    router.wear_master_identity(key, operating_system="macOS")
    router.connect_client(MAC)
    await poll(hass, freezer)
    device = dev_reg.async_get_device_by_identifier(identifier, entry_id)
    assert device is not None
    assert (device.serial_number, device.sw_version, device.model) == (None, None, None)
    tracker = _entity(hass, Platform.DEVICE_TRACKER, serial, f"{key}_tracker")
    assert state_of(hass, tracker) == STATE_HOME
    assert ent_reg.async_get(tracker).device_id == device.id  # type: ignore[union-attr]
    # Its node entities are no longer provided (README, known limitations).
    assert state_of(hass, node_online) == STATE_UNAVAILABLE


async def test_satellite_outage_and_removal(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    router, entry_id = await _mesh(router_factory, setup_integration)
    st = router.state
    serial = st.device_info.serial_number
    (satellite,) = router.satellite_ids
    online = _entity(hass, Platform.BINARY_SENSOR, serial, f"{satellite}_node_online")
    record = st.devices[satellite]
    (backhaul,) = record.macs
    # Unplugged: no live link, so GetDevices3 lists no connection for it.
    fixed_ip, record.fixed_ip = record.fixed_ip, None
    router.disconnect_client(backhaul)
    await poll(hass, freezer)
    assert state_of(hass, online) == STATE_OFF
    record.fixed_ip = fixed_ip
    router.connect_client(backhaul, band=None, ip=fixed_ip)
    await poll(hass, freezer)
    assert state_of(hass, online) == STATE_ON

    # The router forgets the node: its device and entities go.
    router.delete_device(satellite)
    await poll(hass, freezer)
    assert hass.states.get(online) is None
    assert (
        dr.async_get(hass).async_get_device_by_identifier(
            (DOMAIN, f"{serial}_{satellite}"), entry_id
        )
        is None
    )


async def test_a_lone_router_has_no_node_entities(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    entry = await setup_integration(router)
    keys = {
        e.translation_key
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    assert not keys & {"node_online", "node_clients", "parent_node", "node"}


# --- the three-node mesh: backhaul, multi-hop, restart -------------------------------------


async def test_backhaul_multi_hop_and_restart(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    """velop_mesh: a wired satellite and a wireless one behind it, read in one request."""
    router = await router_factory(profile="velop_mesh", password=PASSWORD, clients=20)
    entry = await setup_integration(router, options={CONF_CONSIDER_HOME: 0})
    await enable_all(hass, entry)
    await tick(hass, freezer, 40)  # Home Assistant's reload after enabling entities
    st = router.state
    serial = st.device_info.serial_number
    wired, wireless = router.satellite_ids
    names = {key: st.devices[key].friendly_name for key in router.node_ids}

    def sensor(node: str, key: str) -> str:
        return state_of(hass, _entity(hass, Platform.SENSOR, serial, f"{node}_{key}"))

    assert sensor(wired, "backhaul_type") == "wired"
    assert sensor(wireless, "backhaul_type") == "wireless"
    assert float(sensor(wireless, "backhaul_speed")) > 0
    assert int(sensor(wireless, "backhaul_signal")) < 0
    # Multi-hop: the wireless satellite's parent is the wired one (backhaul parent IP).
    assert sensor(wireless, "parent_node") == names[wired]
    assert sensor(wired, "parent_node") == names[st.authority_id]
    # Every node read inside the one poll transaction.
    router.reset_counters()
    await poll(hass, freezer)
    assert len(router.requests) == 1

    # Restart the wireless satellite: it goes offline, then comes back by itself.
    online = _entity(hass, Platform.BINARY_SENSOR, serial, f"{wireless}_node_online")
    restart = _entity(hass, Platform.BUTTON, serial, f"{wireless}_restart_node")
    await hass.services.async_call(
        "button", "press", {"entity_id": restart}, blocking=True
    )
    assert state_of(hass, online) == STATE_OFF
    assert st.devices[st.authority_id]  # the primary stayed up
    for _ in range(4):
        await poll(hass, freezer)
    assert state_of(hass, online) == STATE_ON
    # No restart button for the primary (its own is the router's Restart).
    assert (
        er.async_get(hass).async_get_entity_id(
            Platform.BUTTON, DOMAIN, f"{serial}_{st.authority_id}_restart_node"
        )
        is None
    )


async def test_satellite_outage_takes_its_clients_and_recovers(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    router = await router_factory(profile="velop_mesh", password=PASSWORD, clients=20)
    entry = await setup_integration(router, options={CONF_CONSIDER_HOME: 0})
    serial = router.state.device_info.serial_number
    _wired, wireless = router.satellite_ids
    key = router.add_client("upstairs", [MAC], node=wireless)
    await poll(hass, freezer)
    tracker = _entity(hass, Platform.DEVICE_TRACKER, serial, f"{key}_tracker")
    online = _entity(hass, Platform.BINARY_SENSOR, serial, f"{wireless}_node_online")
    assert state_of(hass, tracker) == "home"
    total = _entity(hass, Platform.SENSOR, serial, "clients_connected")

    router.set_node_online(wireless, False)
    await poll(hass, freezer)  # one poll shows it
    assert state_of(hass, online) == STATE_OFF
    assert state_of(hass, tracker) == "not_home"
    per_node = sum(
        int(state_of(hass, _entity(hass, Platform.SENSOR, serial, f"{n}_node_clients")))
        for n in router.node_ids
    )
    assert per_node == int(state_of(hass, total))

    router.set_node_online(wireless, True)
    await poll(hass, freezer)
    assert state_of(hass, online) == STATE_ON
    assert state_of(hass, tracker) == "home"
    assert coordinator_of(entry).data.failed_parts == frozenset()


async def test_satellite_firmware_offer_and_install(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    router = await router_factory(profile="velop_mesh", password=PASSWORD, clients=6)
    await setup_integration(router)
    serial = router.state.device_info.serial_number
    wired, _wireless = router.satellite_ids
    target = _entity(hass, Platform.UPDATE, serial, f"{wired}_firmware")
    installed = router.state.devices[wired].firmware_version
    state = hass.states.get(target)
    assert state is not None
    assert state.state == STATE_OFF
    assert state.attributes["installed_version"] == installed

    router.offer_node_firmware(wired, "9.9.9.999999")
    await poll(hass, freezer)
    state = hass.states.get(target)
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes["latest_version"] == "9.9.9.999999"

    await hass.services.async_call(
        "update", "install", {"entity_id": target}, blocking=True
    )
    assert [w.action for w in router.write_log] == [
        "nodes/firmwareupdate/UpdateFirmwareNow"
    ]
    state = hass.states.get(target)
    assert state is not None
    assert state.attributes["in_progress"] is True


async def test_node_action_refused_off_master_mode(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """ErrorDeviceNotInMasterMode: one warning, that part's entities unavailable, no cascade."""
    router = await router_factory(profile="velop_mesh", password=PASSWORD, clients=6)
    entry = await setup_integration(router)
    serial = router.state.device_info.serial_number
    wired, _wireless = router.satellite_ids
    router.set_master_mode(False)
    caplog.clear()
    for _ in range(3):
        await poll(hass, freezer)
    data = coordinator_of(entry).data
    assert data.failed_parts == {"backhaul"}
    assert data.wan_status is not None
    assert data.firmware_update is not None
    warnings = [
        r
        for r in caplog.records
        if r.levelname == "WARNING" and r.name.startswith("custom_components")
    ]
    assert len(warnings) == 1
    assert "ErrorDeviceNotInMasterMode" in warnings[0].getMessage()
    assert state_of(
        hass, _entity(hass, Platform.SENSOR, serial, f"{wired}_backhaul_type")
    ) in (
        "unknown",
        "unavailable",
    )
    router.reset_counters()
    await poll(hass, freezer)
    assert len(router.requests) == 1  # refused last in the transaction: nothing aborted


async def test_led_night_mode_is_the_led_control(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    """RouterLEDs4: night mode (the app's 20-8 when the router has no hours), no LEDs switch."""
    router = await router_factory(profile="velop_mesh", password=PASSWORD, clients=4)
    entry = await setup_integration(router)
    await enable_all(hass, entry)
    serial = router.state.device_info.serial_number
    registry = er.async_get(hass)
    assert (
        registry.async_get_entity_id(Platform.SWITCH, DOMAIN, f"{serial}_leds") is None
    )
    target = _entity(hass, Platform.SWITCH, serial, "led_night_mode")
    nm = router.state.night_mode
    assert state_of(hass, target) == (STATE_ON if nm.enabled else STATE_OFF)
    for service, on in (("turn_off", False), ("turn_on", True)):
        await hass.services.async_call(
            "switch", service, {"entity_id": target}, blocking=True
        )
        assert nm.enabled is on
        assert state_of(hass, target) == (STATE_ON if on else STATE_OFF)
    assert router.write_log[-1].request == {
        "Enable": True,
        "StartingTime": nm.starting_hour,
        "EndingTime": nm.ending_hour,
    }


async def test_station_rates_per_node_and_the_v2_list(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    # velop_mesh lists NodesNetworkConnections2 (a real LN16 1.0.10 does): the poll reads
    # GetNodesWirelessNetworkConnections2, whose master gives rates in kbit/s and whose
    # satellites give Mbit/s in the same answer. Each node's unit is its own.
    router = await router_factory(profile="velop_mesh", password=PASSWORD, clients=12)
    master_client = router.connect_client(MAC, band="5GHz")  # on the master
    entry = await setup_integration(router)
    await enable_all(hass, entry)
    coordinator = coordinator_of(entry)
    assert coordinator.actions["node_connections"] == (
        "nodes/networkconnections/GetNodesWirelessNetworkConnections2"
    )
    serial = router.state.device_info.serial_number
    on_master = (master_client, router.state.connections[MAC])
    on_satellite = next(
        (device.device_id, conn)
        for conn in router.state.connections.values()
        if conn.band is not None
        and conn.parent_device_id in router.satellite_ids
        and (device := router.state.device_for_mac(conn.mac)) is not None
        and device.node_type is None
    )
    for device_id, conn in (on_master, on_satellite):
        rate = state_of(
            hass, _entity(hass, Platform.SENSOR, serial, f"{device_id}_link_rate")
        )
        assert float(rate) == conn.negotiated_mbps
    device_id, conn = on_master
    sent = state_of(
        hass, _entity(hass, Platform.SENSOR, serial, f"{device_id}_transmit_rate")
    )
    received = state_of(
        hass, _entity(hass, Platform.SENSOR, serial, f"{device_id}_receive_rate")
    )
    assert float(sent) == round(conn.negotiated_mbps * 0.7, 1)
    assert float(received) == round(conn.negotiated_mbps * 0.5, 1)
    # The satellites answer 0 (no figure), as the LN16's MX42 satellites do: unknown.
    device_id, _conn = on_satellite
    assert (
        state_of(
            hass, _entity(hass, Platform.SENSOR, serial, f"{device_id}_transmit_rate")
        )
        == "unknown"
    )
    await poll(hass, freezer)
    assert (
        float(
            state_of(
                hass,
                _entity(hass, Platform.SENSOR, serial, f"{on_master[0]}_link_rate"),
            )
        )
        == on_master[1].negotiated_mbps
    )


async def test_a_check_on_the_nodes_is_not_an_install(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    # nodes_firmwareupdate.lua: state 1 is pendingOperation "Checking" (a real LN16 mesh
    # answered it for two nodes at once): no update entity shows an install.
    router = await router_factory(profile="velop_mesh", password=PASSWORD, clients=4)
    entry = await setup_integration(router)
    serial = router.state.device_info.serial_number
    wired, wireless = router.satellite_ids
    router.offer_node_firmware(wired, "9.9.9.999999")
    await entry.runtime_data.api.check_for_firmware_update()
    await coordinator_of(entry).async_refresh()
    await hass.async_block_till_done()
    nodes = coordinator_of(entry).data.nodes_firmware
    assert nodes is not None
    for node in (wired, wireless):
        status = nodes.of(node)
        assert status is not None
        assert status.pending_operation is not None
        assert status.pending_operation.operation == "Checking"
        state = hass.states.get(
            _entity(hass, Platform.UPDATE, serial, f"{node}_firmware")
        )
        assert state is not None
        assert state.attributes["in_progress"] is False
        assert state.attributes["update_percentage"] is None
    state = hass.states.get(_entity(hass, Platform.UPDATE, serial, f"{wired}_firmware"))
    assert state is not None
    assert state.state == STATE_ON
