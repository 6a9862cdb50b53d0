"""Real routers' recorded answers, replayed through Home Assistant (tests/fixtures/real/).

Each recording is served by the replay router (tests/replay/) over HTTP on 127.0.0.1: its
real ``services``, its real answers, ``_ErrorUnknownAction`` for what the services don't
list, writes checked by the simulator's firmware rules. What is expected is computed from
the recording itself, never from the integration's code.
"""

from __future__ import annotations

from datetime import datetime
import json
from pathlib import Path
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import config_entries
from homeassistant.components.switch import SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_SSL,
    CONF_VERIFY_SSL,
    STATE_HOME,
    STATE_NOT_HOME,
    STATE_OFF,
    STATE_ON,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.linksys_jnap.const import DOMAIN
from tests.helpers import call_service, enable_all, poll
from tests.replay.fixtures import RECORDINGS, ReplayRouterFactory
from tests.replay.router import ReplayRouter

PASSWORD = "replay-pass"
_HEX12 = re.compile(r"[0-9A-F]{12}")


def _answer(recording: dict[str, Any], action: str) -> dict[str, Any] | None:
    answer = recording["answers"].get(action)
    if answer is None or answer.get("result") != "OK":
        return None
    output: dict[str, Any] = answer.get("output", {})
    return output


def _hex(mac: str) -> str:
    return re.sub(r"[^0-9A-Fa-f]", "", mac).upper()


def _role(device: dict[str, Any], devices: list[dict[str, Any]]) -> str:
    """``node``, ``client`` or ``stale``, by the rules of issue 24 (docs/firmware-facts.md).

    A record that claims a node's identity (Infrastructure, a node's serial, no nodeType)
    is a computer when it has a connection or an operating system.
    """
    if device.get("isAuthority") or device.get("nodeType"):
        return "node"
    if device.get("model", {}).get("deviceType") != "Infrastructure":
        return "client"
    serial = device.get("unit", {}).get("serialNumber")
    owners = {
        d.get("unit", {}).get("serialNumber")
        for d in devices
        if d.get("isAuthority") or d.get("nodeType")
    }
    if not serial or serial not in owners:
        return "node"  # a former node: offline, no nodeType, a serial of its own
    if device.get("connections") or device.get("unit", {}).get("operatingSystem"):
        return "client"
    return "stale"


def _of_role(devices: list[dict[str, Any]], role: str) -> list[dict[str, Any]]:
    return [d for d in devices if _role(d, devices) == role]


def _device_macs(device: dict[str, Any]) -> set[str]:
    macs = {i["macAddress"].upper() for i in device.get("knownInterfaces", [])}
    macs |= {m.upper() for m in device.get("knownMACAddresses", [])}
    return macs


def _expected_home(recording: dict[str, Any]) -> set[str]:
    """Client deviceIDs the recording shows live, by any source the firmware has."""
    devices = _answer(recording, "devicelist/GetDevices3")
    assert devices is not None
    live: set[str] = set()
    for action in (
        "networkconnections/GetNetworkConnections2",
        "networkconnections/GetNetworkConnections",
    ):
        if (out := _answer(recording, action)) is not None:
            live |= {c["macAddress"].upper() for c in out["connections"]}
    nodes = _answer(
        recording, "nodes/networkconnections/GetNodesWirelessNetworkConnections"
    )
    for node in (nodes or {}).get("nodeWirelessConnections", []):
        live |= {c["macAddress"].upper() for c in node["connections"]}
    home = set()
    for device in _of_role(devices["devices"], "client"):
        if _device_macs(device) & live:
            home.add(device["deviceID"])
        elif any(
            i.get("interfaceType") != "Wireless"
            for c in device.get("connections", [])
            for i in device.get("knownInterfaces", [])
            if i["macAddress"] == c["macAddress"]
        ):
            home.add(device["deviceID"])  # a wired client of a satellite
    return home


async def _add_through_the_flow(hass: HomeAssistant, router: ReplayRouter) -> Any:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: router.host,
            CONF_PASSWORD: PASSWORD,
            CONF_SSL: False,
            CONF_VERIFY_SSL: False,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry = result["result"]
    assert entry.state is config_entries.ConfigEntryState.LOADED
    return entry


def _entity(hass: HomeAssistant, domain: str, unique_id: str) -> str | None:
    return er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: p.stem)
async def test_recorded_router(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    replay_router_factory: ReplayRouterFactory,
    freezer: FrozenDateTimeFactory,
    path: Path,
) -> None:
    text = path.read_text()  # noqa: ASYNC240 - a small fixture file
    recording = json.loads(text)
    router = await replay_router_factory(recording, password=PASSWORD)
    entry = await _add_through_the_flow(hass, router)
    serial = entry.unique_id
    info = _answer(recording, "core/GetDeviceInfo")
    assert info is not None
    assert serial == info["serialNumber"]
    devices = _answer(recording, "devicelist/GetDevices3")
    assert devices is not None

    # Every live client is home, satellites' clients included; no tracker for a node.
    home = _expected_home(recording)
    assert home, "a recording without a live client proves nothing"
    for device_id in home:
        tracker = _entity(
            hass, Platform.DEVICE_TRACKER, f"{serial}_{device_id}_tracker"
        )
        assert tracker is not None, device_id
        assert hass.states.get(tracker).state == STATE_HOME, device_id
    trackers = {
        e.unique_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.domain == Platform.DEVICE_TRACKER
    }
    for node in _of_role(devices["devices"], "node"):
        assert f"{serial}_{node['deviceID']}_tracker" not in trackers
    # A stale duplicate of a node's identity: no device, no entity.
    dev_reg = dr.async_get(hass)
    for stale in _of_role(devices["devices"], "stale"):
        key = f"{serial}_{stale['deviceID']}"
        assert (
            dev_reg.async_get_device_by_identifier((DOMAIN, key), entry.entry_id)
            is None
        )
        assert f"{key}_tracker" not in trackers

    # Client counts add up.
    connected = _entity(hass, Platform.SENSOR, f"{serial}_clients_connected")
    assert connected is not None
    assert int(hass.states.get(connected).state) == len(home)

    # Every node a device (satellites on their own, linked to the router); the nodes'
    # client counts add up to the router's.
    router_device = dev_reg.async_get_device_by_identifier(
        (DOMAIN, serial), entry.entry_id
    )
    assert router_device is not None
    per_node = 0
    for node in _of_role(devices["devices"], "node"):
        if not node.get("isAuthority"):
            device = dev_reg.async_get_device_by_identifier(
                (DOMAIN, f"{serial}_{node['deviceID']}"), entry.entry_id
            )
            assert device is not None, node["deviceID"]
            assert device.via_device_id == router_device.id
        count = _entity(
            hass, Platform.SENSOR, f"{serial}_{node['deviceID']}_node_clients"
        )
        if count is not None:
            per_node += int(hass.states.get(count).state)
    assert per_node == len(home)

    # WAN status as the router reports it.
    wan = _answer(recording, "router/GetWANStatus3")
    if wan is not None:
        status = _entity(hass, Platform.SENSOR, f"{serial}_wan_status")
        assert status is not None
        assert hass.states.get(status).state == wan["wanStatus"].lower()

    # Firmware version.
    version = _entity(hass, Platform.SENSOR, f"{serial}_firmware_version")
    assert version is not None
    assert hass.states.get(version).state == info["firmwareVersion"]

    # Guest Wi-Fi off and on: every SSID and passphrase as it was.
    guest_action = "guestnetwork/GetGuestRadioSettings2"
    guest = _answer(recording, guest_action)
    if guest is not None:
        switch = _entity(hass, Platform.SWITCH, f"{serial}_guest_wifi")
        assert switch is not None
        before = router.answers[guest_action]["output"]
        first = SERVICE_TURN_OFF if guest["isGuestNetworkEnabled"] else SERVICE_TURN_ON
        second = SERVICE_TURN_ON if first == SERVICE_TURN_OFF else SERVICE_TURN_OFF
        await call_service(hass, Platform.SWITCH, first, switch)
        middle = router.answers[guest_action]["output"]
        assert middle["isGuestNetworkEnabled"] is (first == SERVICE_TURN_ON)
        assert {k: v for k, v in middle.items() if k != "isGuestNetworkEnabled"} == {
            k: v for k, v in before.items() if k != "isGuestNetworkEnabled"
        }
        assert hass.states.get(switch).state == (
            STATE_ON if first == SERVICE_TURN_ON else STATE_OFF
        )
        await call_service(hass, Platform.SWITCH, second, switch)
        assert router.answers[guest_action]["output"] == before
        assert len(router.writes) == 2

    # A poll later, still the same (the replayed answers don't move).
    await poll(hass, freezer)
    assert int(hass.states.get(connected).state) == len(home)

    # Diagnostics: no MAC of the recording in any form.
    result = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    dump = json.dumps(result).upper()
    bare = dump.replace(":", "").replace("-", "")
    macs = {_hex(m) for m in re.findall(r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}", text)}
    macs.discard("000000000000")  # a placeholder some answers carry, nobody's address
    assert macs
    assert not [m for m in macs if m in bare]
    assert result["recording"]["answers"]["devicelist/GetDevices3"]["result"] == "OK"


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: p.stem)
async def test_recorded_speed_tests(
    hass: HomeAssistant,
    replay_router_factory: ReplayRouterFactory,
    path: Path,
) -> None:
    """The last good speed test of each recording, in Mbit/s, whatever the answer's order."""
    recording = json.loads(path.read_text())  # noqa: ASYNC240 - a small fixture file
    answer = _answer(recording, "healthcheck/GetHealthCheckResults")
    assert answer is not None  # every recording lists HealthCheckManager
    router = await replay_router_factory(recording, password=PASSWORD)
    entry = await _add_through_the_flow(hass, router)
    serial = entry.unique_id
    await enable_all(hass, entry)
    good = sorted(
        (
            r
            for r in answer["healthCheckResults"]
            if r.get("speedTestResult", {}).get("exitCode") == "Success"
        ),
        key=lambda r: r["timestamp"],
    )
    download = _entity(hass, Platform.SENSOR, f"{serial}_speed_test_download")
    last_run = _entity(hass, Platform.SENSOR, f"{serial}_speed_test_last_run")
    latency = _entity(hass, Platform.SENSOR, f"{serial}_speed_test_latency")
    assert download is not None
    assert last_run is not None
    assert latency is not None
    if not good:
        # None yet (mx42_home_a, whw03_007), or only failures (mbe70_oak): unknown.
        assert hass.states.get(download).state == STATE_UNKNOWN
        return
    newest = good[-1]
    figures = newest["speedTestResult"]
    assert float(hass.states.get(download).state) == pytest.approx(
        figures["downloadBandwidth"] / 1000
    )
    assert float(hass.states.get(latency).state) == figures["latency"]
    assert datetime.fromisoformat(hass.states.get(last_run).state) == (
        datetime.fromisoformat(newest["timestamp"])
    )


BORROWED = (
    Path(__file__).parent / "fixtures" / "real" / "mbe70_oak_borrowed_identity.json"
)


async def test_computers_wearing_the_masters_identity(
    hass: HomeAssistant, replay_router_factory: ReplayRouterFactory
) -> None:
    """Infrastructure records with the master's serial are clients or nothing, never nodes.

    Derived recording (tests/fixtures/real/README.md): the app's host as PrivacyGUI lists it
    on this mesh's newer firmware, a wired and an offline computer, a stale duplicate.
    """
    recording = json.loads(BORROWED.read_text())
    router = await replay_router_factory(recording, password=PASSWORD)
    entry = await _add_through_the_flow(hass, router)
    serial = entry.unique_id
    dev_reg = dr.async_get(hass)
    expected = {
        # deviceID: (name shown, state)
        "28461643-58d4-4a5b-bada-3dc652d93c3e": ("ASTWP-29134", STATE_HOME),
        "6d0f3a1e-2b4c-4d5e-8f60-7a8b9c0d1e2f": ("Lab desktop", STATE_HOME),
        "7c6b5a49-3827-4165-a4b3-c2d1e0f9a8b7": ("ASTWP-29877", STATE_NOT_HOME),
    }
    for device_id, (name, state) in expected.items():
        tracker = _entity(
            hass, Platform.DEVICE_TRACKER, f"{serial}_{device_id}_tracker"
        )
        assert tracker is not None, name
        assert hass.states.get(tracker).state == state, name
        device = dev_reg.async_get_device_by_identifier(
            (DOMAIN, f"{serial}_{device_id}"), entry.entry_id
        )
        assert device is not None
        assert device.name == name
        # Not the mesh's model: the record borrowed it.
        assert (device.manufacturer, device.model, device.serial_number) == (
            None,
            None,
            None,
        )
        assert (
            _entity(hass, Platform.SENSOR, f"{serial}_{device_id}_node_clients") is None
        )
    # The stale duplicate: nothing at all.
    stale = f"{serial}_0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"
    assert (
        dev_reg.async_get_device_by_identifier((DOMAIN, stale), entry.entry_id) is None
    )
    assert not [
        e
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.unique_id.startswith(stale)
    ]
    # Counted: mbe70_oak's one live client and the two computers at home.
    connected = _entity(hass, Platform.SENSOR, f"{serial}_clients_connected")
    assert connected is not None
    assert hass.states.get(connected).state == "3"
    # The node devices are the router and the two LN12s: none wears the master's serial.
    master_serial = recording["answers"]["core/GetDeviceInfo"]["output"]["serialNumber"]
    nodes = [
        d
        for d in dr.async_entries_for_config_entry(dev_reg, entry.entry_id)
        if d.manufacturer == "Linksys"
    ]
    assert sorted(d.serial_number or "" for d in nodes) == sorted(
        ["60D10M18D90015", "60D10M18D90016", master_serial]
    )


@pytest.mark.parametrize(
    ("stem", "former"),
    [
        ("whw03_007", "3a73a758-e858-41ed-8089-80691a0e0bf8"),
        ("mx42_home_b", "bef49325-a33c-4b0d-b323-d8ec5ea18810"),
    ],
)
async def test_former_node_stays_a_node(
    hass: HomeAssistant,
    replay_router_factory: ReplayRouterFactory,
    stem: str,
    former: str,
) -> None:
    """An offline Infrastructure record with a serial of its own is a node: no tracker."""
    recording = json.loads(BORROWED.with_name(f"{stem}.json").read_text())
    record = next(
        d
        for d in recording["answers"]["devicelist/GetDevices3"]["output"]["devices"]
        if d["deviceID"] == former
    )
    assert "nodeType" not in record
    assert not record["connections"]
    router = await replay_router_factory(recording, password=PASSWORD)
    entry = await _add_through_the_flow(hass, router)
    serial = entry.unique_id
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"{serial}_{former}"), entry.entry_id
    )
    assert device is not None
    assert device.serial_number == record["unit"]["serialNumber"]
    assert _entity(hass, Platform.DEVICE_TRACKER, f"{serial}_{former}_tracker") is None
