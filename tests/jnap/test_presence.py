"""Node, client or stale duplicate: jnap/presence.py on real records (no Home Assistant)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.linksys_jnap.jnap import Device, DeviceList
from custom_components.linksys_jnap.jnap.presence import (
    DeviceRole,
    device_role,
    device_roles,
    may_be_node,
    node_serials,
)

REAL = Path(__file__).parents[1] / "fixtures" / "real"

# The master and the app's host of PrivacyGUI's dashboardHomeOfflineStateData
# (test/test_data/dashboard_home_test_state.dart at 0d872ea5): an MBE70 at 1.0.11.215918.
# Members as GetDevices3 names them (the app's state says modelDescription: null).
MASTER: dict[str, Any] = {
    "deviceID": "ef07238c-4870-46fb-a524-80691a13160e",
    "model": {
        "deviceType": "Infrastructure",
        "manufacturer": "Linksys",
        "modelNumber": "MBE70",
        "hardwareVersion": "1",
    },
    "unit": {
        "serialNumber": "59A10M23D00060",
        "firmwareVersion": "1.0.11.215918",
        "firmwareDate": "2024-06-14T03:50:41Z",
    },
    "isAuthority": True,
    "nodeType": "Master",
    "friendlyName": "Linksys00060",
    "knownInterfaces": [
        {"macAddress": "80:69:1A:13:16:0E", "interfaceType": "Unknown"}
    ],
    "connections": [{"macAddress": "80:69:1A:13:16:0E", "ipAddress": "10.205.1.1"}],
}
APP_HOST: dict[str, Any] = {
    "deviceID": "28461643-58d4-4a5b-bada-3dc652d93c3e",
    "model": MASTER["model"],
    "unit": {**MASTER["unit"], "operatingSystem": "macOS"},
    "isAuthority": False,
    "friendlyName": "ASTWP-29134",
    "knownInterfaces": [
        {"macAddress": "3C:22:FB:E4:4F:18", "interfaceType": "Wireless", "band": "5GHz"}
    ],
    "connections": [
        {
            "macAddress": "3C:22:FB:E4:4F:18",
            "ipAddress": "10.205.1.30",
            "parentDeviceID": MASTER["deviceID"],
        }
    ],
}


def _device(base: dict[str, Any], **changes: Any) -> Device:
    return Device.from_json({**base, **changes})


def _recorded(stem: str) -> tuple[Device, ...]:
    raw = json.loads((REAL / f"{stem}.json").read_text(encoding="utf-8"))
    return DeviceList.from_json(
        raw["answers"]["devicelist/GetDevices3"]["output"]
    ).devices


def test_the_apps_host_wearing_the_masters_identity_is_a_client() -> None:
    master, host = Device.from_json(MASTER), Device.from_json(APP_HOST)
    assert may_be_node(host)
    assert node_serials([master, host]) == {"59A10M23D00060"}
    assert device_roles([master, host]) == {
        master.device_id: DeviceRole.NODE,
        host.device_id: DeviceRole.CLIENT,
    }
    # Either piece of evidence is enough; neither makes a stale duplicate.
    serials = node_serials([master])
    no_os = _device(APP_HOST, unit=MASTER["unit"])
    offline = _device(APP_HOST, connections=[])
    stale = _device(APP_HOST, unit=MASTER["unit"], connections=[])
    assert device_role(no_os, serials) is DeviceRole.CLIENT
    assert device_role(offline, serials) is DeviceRole.CLIENT
    assert device_role(stale, serials) is DeviceRole.STALE
    # A live MAC in a station list counts as a connection; so does having been seen
    # connected before (a computer that left, not a duplicate).
    assert device_role(stale, serials, {"3C:22:FB:E4:4F:18"}) is DeviceRole.CLIENT
    assert device_role(stale, serials, (), {host.device_id}) is DeviceRole.CLIENT
    # Without the master in the list its serial is nobody's: a (former) node.
    assert device_roles([host]) == {host.device_id: DeviceRole.NODE}


def test_serials_compare_as_the_same_text() -> None:
    master = Device.from_json(MASTER)
    host = _device(APP_HOST, unit={"serialNumber": " 59a10m23d00060 "})
    assert device_roles([master, host])[host.device_id] is DeviceRole.CLIENT


@pytest.mark.parametrize(
    "record",
    [
        # An authority without nodeType (PrivacyGUI: a router in factory settings).
        {**MASTER, "nodeType": None, "deviceID": "a"},
        # A satellite whose record lacks its connection (offline).
        {**MASTER, "isAuthority": False, "nodeType": "Slave", "connections": []},
        # An Infrastructure record without any serial: a node, as before.
        {**APP_HOST, "unit": {"operatingSystem": "macOS"}},
    ],
)
def test_nodes(record: dict[str, Any]) -> None:
    device = Device.from_json(record)
    assert device_role(device, frozenset({"59A10M23D00060"})) is DeviceRole.NODE


def test_a_client_repeating_a_serial_is_a_client_whatever_its_type_says_otherwise() -> (
    None
):
    phone = _device(APP_HOST, model={"deviceType": "Phone"}, connections=[])
    assert not may_be_node(phone)
    assert device_role(phone, frozenset({"59A10M23D00060"})) is DeviceRole.CLIENT


def test_real_recordings() -> None:
    """Every recorded node stays one: nodeType, former nodes, a master with an OS."""
    for stem in ("whw03_fee", "whw03_007", "whw03_fee_tx", "mx42_home_a"):
        devices = _recorded(stem)
        roles = device_roles(devices)
        nodes = {d.device_id for d in devices if may_be_node(d)}
        assert {k for k, r in roles.items() if r is DeviceRole.NODE} == nodes, stem
        assert DeviceRole.STALE not in roles.values()
    # whw03_007: the master's record carries operatingSystem macOS; LN11 is a former node.
    by_id = {d.device_id: d for d in _recorded("whw03_007")}
    master = by_id["5391a1d4-12fa-95c6-0b68-30230335e007"]
    assert master.operating_system == "macOS"
    former = by_id["3a73a758-e858-41ed-8089-80691a0e0bf8"]
    assert former.node_type is None
    assert not former.connections
    roles = device_roles(by_id.values())
    assert roles[master.device_id] is roles[former.device_id] is DeviceRole.NODE
    # mx42_home_b: an MX42 without nodeType, serial of its own, offline.
    roles = device_roles(_recorded("mx42_home_b"))
    assert roles["bef49325-a33c-4b0d-b323-d8ec5ea18810"] is DeviceRole.NODE


def test_derived_recording() -> None:
    """The records tests/fixtures/real/README.md lists, each with its role."""
    roles = device_roles(_recorded("mbe70_oak_borrowed_identity"))
    assert roles["28461643-58d4-4a5b-bada-3dc652d93c3e"] is DeviceRole.CLIENT
    assert roles["6d0f3a1e-2b4c-4d5e-8f60-7a8b9c0d1e2f"] is DeviceRole.CLIENT
    assert roles["7c6b5a49-3827-4165-a4b3-c2d1e0f9a8b7"] is DeviceRole.CLIENT
    assert roles["0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"] is DeviceRole.STALE
    assert sum(r is DeviceRole.NODE for r in roles.values()) == 3
