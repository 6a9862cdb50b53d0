"""Pin the velop_mesh world over real HTTP (docs/firmware-facts.md ("Mesh nodes")).

Topology, backhaul, outages, roaming, node reboot, per-node firmware, master mode and LED
night mode.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from tests.simulator import RouterSimulator
from tests.simulator.fixtures import RouterFactory
from tests.simulator.testing import FakeClock, RawJnap

PW = "correct horse"
DEVICES = "devicelist/GetDevices3"
BACKHAUL = "nodes/diagnostics/GetBackhaulInfo"
BACKHAUL2 = "nodes/diagnostics/GetBackhaulInfo2"
NODES_WIFI = "nodes/networkconnections/GetNodesWirelessNetworkConnections"
NC2 = "networkconnections/GetNetworkConnections2"
NODE_FW = "nodes/firmwareupdate/GetFirmwareUpdateStatus"
NODE_FW_NOW = "nodes/firmwareupdate/UpdateFirmwareNow"
CLIENT = "02:AA:00:00:00:21"


async def _mesh(
    router_factory: RouterFactory, session: aiohttp.ClientSession, **kwargs: Any
) -> tuple[RouterSimulator, RawJnap]:
    sim = await router_factory(profile="velop_mesh", password=PW, **kwargs)
    return sim, RawJnap(session, sim.url, PW)


def _wired_wireless(sim: RouterSimulator) -> tuple[str, str]:
    wired, wireless = sim.satellite_ids
    assert sim.state.nodes[wired].connection_type == "Wired"
    assert sim.state.nodes[wireless].parent_id == wired
    return wired, wireless


async def _presence(admin: RawJnap) -> dict[str, set[str]]:
    """Live MACs per presence source."""
    devices = (await admin.output(DEVICES))["devices"]
    nodes = (await admin.output(NODES_WIFI))["nodeWirelessConnections"]
    nc2 = (await admin.output(NC2))["connections"]
    leases = (await admin.output("router/GetDHCPClientLeases"))["leases"]
    return {
        "devices": {c["macAddress"] for d in devices for c in d["connections"]},
        "nodes": {c["macAddress"] for n in nodes for c in n["connections"]},
        "nc2": {c["macAddress"] for c in nc2},
        "leases": {lease["macAddress"] for lease in leases},
    }


async def test_topology_as_real_meshes_list_it(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim, admin = await _mesh(router_factory, session)
    wired, wireless = _wired_wireless(sim)
    primary = sim.state.authority_id
    assert sim.node_ids == [primary, wired, wireless]
    info = await admin.output("core/GetDeviceInfo", password=None)
    for svc in (
        "nodes/diagnostics/Diagnostics6",
        "core/Core8",
        "routerleds/RouterLEDs4",
    ):
        assert f"http://linksys.com/jnap/{svc}" in info["services"]
    records = {d["deviceID"]: d for d in (await admin.output(DEVICES))["devices"]}
    assert records[primary]["nodeType"] == "Master"
    assert records[primary]["isAuthority"] is True
    for node in (wired, wireless):
        assert records[node]["nodeType"] == "Slave"
        assert records[node]["isAuthority"] is False
        (conn,) = records[node]["connections"]
        # No recorded mesh names a parent on a node's own connection.
        assert set(conn) == {"macAddress", "ipAddress"}
        assert conn["ipAddress"] == sim.state.nodes[node].ip
    station = sim.state.nodes[wireless].station_mac
    assert {
        "macAddress": station,
        "interfaceType": "Wireless",
        "band": "5GHz",
    } in records[wireless]["knownInterfaces"]
    # The unplugged node stays: Infrastructure, no nodeType, no connections.
    (old,) = [
        d
        for d in records.values()
        if d["model"]["deviceType"] == "Infrastructure" and "nodeType" not in d
    ]
    assert old["connections"] == []

    devices = (await admin.output(BACKHAUL))["backhaulDevices"]
    by_id = {d["deviceUUID"]: d for d in devices}
    assert set(by_id) == {wired, wireless}
    assert by_id[wired]["connectionType"] == "Wired"
    assert "wirelessConnectionInfo" not in by_id[wired]
    assert by_id[wired]["parentIPAddress"] == sim.state.lan_ip
    assert by_id[wireless]["connectionType"] == "Wireless"
    assert by_id[wireless]["parentIPAddress"] == sim.state.nodes[wired].ip
    link = by_id[wireless]["wirelessConnectionInfo"]
    assert list(link) == [
        "radioID",
        "channel",
        "apRSSI",
        "stationRSSI",
        "apBSSID",
        "stationBSSID",
    ]
    assert link["radioID"] == "5GH"
    assert link["stationBSSID"] == station
    assert link["apBSSID"] in sim.state.nodes[wired].bssids.values()
    for d in devices:
        assert isinstance(d["speedMbps"], str)
        float(d["speedMbps"])
        assert d["timestamp"].endswith("Z")
    v2 = {
        d["deviceUUID"]: d for d in (await admin.output(BACKHAUL2))["backhaulDevices"]
    }
    extra = v2[wireless]["wirelessConnectionInfo"]
    assert {"txRate", "rxRate", "isMultiLinkOperation"} <= set(extra)
    assert extra["isMultiLinkOperation"] is False
    assert "wirelessConnectionInfo" not in v2[wired]

    # Served only while GetDeviceInfo lists the service; never on the plain velop.
    sim.remove_service("nodes/diagnostics/Diagnostics6")
    assert await admin.result(BACKHAUL2) == "_ErrorUnknownAction"
    velop = await router_factory(profile="velop", password=PW)
    other = RawJnap(session, velop.url, PW)
    for name in (BACKHAUL, NODE_FW, "routerleds/GetLedNightModeSetting"):
        assert await other.result(name) == "_ErrorUnknownAction", name


async def test_satellite_outage_hides_its_clients_everywhere(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim, admin = await _mesh(router_factory, session)
    wired, wireless = _wired_wireless(sim)
    phone = sim.add_client("phone", [CLIENT], band="5GHz", node=wireless)
    before = await _presence(admin)
    assert CLIENT in before["devices"]
    assert CLIENT in before["nodes"]
    assert CLIENT not in before["nc2"]  # the master lists only its own stations
    # The wired satellite's own clients (not the wireless satellite's backhaul link).
    behind = set(sim.state.devices[wireless].macs)
    on_wired = {
        c.mac
        for c in sim.state.connections.values()
        if c.parent_device_id == wired and c.mac not in behind
    }
    assert on_wired

    # The wired satellite goes: it, its clients and the node behind it vanish.
    sim.set_node_online(wired, False)
    assert not sim.node_is_online(wireless)
    during = await _presence(admin)
    for source in during.values():
        assert CLIENT not in source
        assert not on_wired & source
    records = {d["deviceID"]: d for d in (await admin.output(DEVICES))["devices"]}
    assert records[wired]["connections"] == []
    assert records[wireless]["connections"] == []
    assert records[phone]["connections"] == []
    assert (await admin.output(BACKHAUL))["backhaulDevices"] == []
    wifi = (await admin.output(NODES_WIFI))["nodeWirelessConnections"]
    assert [n["deviceID"] for n in wifi] == [sim.state.authority_id]

    sim.set_node_online(wired, True)
    after = await _presence(admin)
    assert after == before
    assert len((await admin.output(BACKHAUL))["backhaulDevices"]) == 2

    # Only the wireless one: the wired satellite's clients stay.
    sim.set_node_online(wireless, False)
    now = await _presence(admin)
    assert CLIENT not in now["devices"]
    assert on_wired <= now["devices"]
    (left,) = (await admin.output(BACKHAUL))["backhaulDevices"]
    assert left["deviceUUID"] == wired


async def test_roaming_between_nodes(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim, admin = await _mesh(router_factory, session)
    wired, wireless = _wired_wireless(sim)
    primary = sim.state.authority_id
    phone = sim.add_client("phone", [CLIENT], band="5GHz")

    async def where() -> tuple[str | None, str | None, str | None]:
        wifi = (await admin.output(NODES_WIFI))["nodeWirelessConnections"]
        node, bssid = next(
            (n["deviceID"], c["wireless"]["bssid"])
            for n in wifi
            for c in n["connections"]
            if c["macAddress"] == CLIENT
        )
        records = {d["deviceID"]: d for d in (await admin.output(DEVICES))["devices"]}
        (conn,) = records[phone]["connections"]
        return node, bssid, conn["parentDeviceID"]

    node, bssid, parent = await where()
    assert node == parent == primary
    assert bssid in {r.bssid for r in sim.state.radios}
    sim.roam(CLIENT, "2.4GHz", node=wireless)
    node, bssid, parent = await where()
    assert node == parent == wireless
    assert bssid == sim.state.nodes[wireless].bssids["RADIO_2.4GHz"]
    assert CLIENT not in {
        c["macAddress"] for c in (await admin.output(NC2))["connections"]
    }
    sim.roam(CLIENT, "5GHz", node=wired)
    node, _, parent = await where()
    assert node == parent == wired


async def test_reboot2_restarts_one_satellite_never_the_primary(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    clock = FakeClock()
    sim, admin = await _mesh(router_factory, session, clock=clock)
    wired, wireless = _wired_wireless(sim)
    sim.add_client("phone", [CLIENT], band="5GHz", node=wireless)
    answer = await admin("core/Reboot2", {"deviceUUID": wireless})
    assert answer["result"] == "OK", answer
    assert not sim.is_down  # the primary keeps answering
    assert not sim.node_is_online(wireless)
    assert sim.node_is_online(wired)
    assert CLIENT not in (await _presence(admin))["devices"]
    assert [w.action for w in sim.write_log] == ["core/Reboot2"]
    clock.advance(sim.node_reboot_downtime + 1)
    assert CLIENT in (await _presence(admin))["devices"]
    assert sim.node_is_online(wireless)

    unknown = await admin("core/Reboot2", {"deviceUUID": CLIENT})
    assert unknown["result"] == "ErrorUnknownDevice"
    assert await admin.result("core/Reboot2", {}) == "_ErrorInvalidInput"
    sim.set_node_online(wired, False)
    assert await admin.result("core/Reboot2", {"deviceUUID": wired}) == (
        "ErrorUnknownDevice"
    )
    assert not sim.is_down
    sim.remove_service("core/Core8")
    assert await admin.result("core/Reboot2", {"deviceUUID": wireless}) == (
        "_ErrorUnknownAction"
    )


async def test_per_node_firmware_stages(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    clock = FakeClock()
    sim, admin = await _mesh(router_factory, session, clock=clock)
    wired, wireless = _wired_wireless(sim)
    primary = sim.state.authority_id

    async def status() -> dict[str, dict[str, Any]]:
        entries = (await admin.output(NODE_FW))["firmwareUpdateStatus"]
        assert entries[0]["deviceUUID"] == primary
        return {e["deviceUUID"]: e for e in entries}

    idle = await status()
    assert set(idle) == {primary, wired, wireless}
    assert all(
        set(e) == {"deviceUUID", "lastSuccessfulCheckTime"} for e in idle.values()
    )
    sim.offer_node_firmware(wired, "1.0.14.220000")
    offered = await status()
    assert offered[wired]["availableUpdate"]["firmwareVersion"] == "1.0.14.220000"
    assert "availableUpdate" not in offered[primary]

    assert await admin.result(NODE_FW_NOW, {"onlyCheck": False}) == "OK"
    stages = []
    for _ in range(8):
        clock.advance(10)
        entries = await status()
        op = entries[wired].get("pendingOperation")
        stages.append(op["operation"] if op else None)
        assert not sim.is_down
    assert stages[:6] == [
        "Downloading",
        "Downloading",
        "Downloading",
        "Installing",
        "Installing",
        "Installing",
    ]
    # Past 70 s the satellite installed and reboots alone; the primary only checked.
    assert not sim.node_is_online(wired)
    assert not sim.node_is_online(wireless)  # its backhaul runs through the wired one
    assert sim.state.devices[wired].firmware_version == "1.0.14.220000"
    assert "availableUpdate" not in (await status())[wired]
    assert (await status())[primary]["lastSuccessfulCheckTime"] != (
        idle[primary]["lastSuccessfulCheckTime"]
    )
    clock.advance(61)
    assert len((await admin.output(BACKHAUL))["backhaulDevices"]) == 2
    records = {d["deviceID"]: d for d in (await admin.output(DEVICES))["devices"]}
    assert records[wired]["unit"]["firmwareVersion"] == "1.0.14.220000"

    bad = await admin(NODE_FW_NOW, {"onlyCheck": True, "updateServerURL": "ftp://x"})
    assert bad["result"] == "ErrorInvalidUpdateServerURL"
    assert await admin.result(NODE_FW_NOW, {"onlyCheck": True, "extra": 1}) == (
        "_ErrorInvalidInput"
    )


async def test_node_diagnostics_need_master_mode(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim, admin = await _mesh(router_factory, session)
    sim.set_master_mode(False)
    for name in (BACKHAUL, BACKHAUL2):
        assert await admin.result(name) == "ErrorDeviceNotInMasterMode", name
    # nodes_firmwareupdate.lua checks no mode.
    assert await admin.result(NODE_FW) == "OK"
    sim.set_master_mode(True)
    assert await admin.result(BACKHAUL) == "OK"


async def test_led_night_mode(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim, admin = await _mesh(router_factory, session)
    get, set2 = (
        "routerleds/GetLedNightModeSetting",
        "routerleds/SetLedNightModeSetting2",
    )
    assert await admin.output(get) == {"Enable": False}
    assert await admin.result(get, password=None) == "_ErrorUnauthorized"
    night = {"Enable": True, "StartingTime": 20, "EndingTime": 8}
    assert await admin.result(set2, night) == "OK"
    assert await admin.output(get) == night
    # The app's members only: pyvelop's "Enabled" is an unknown member.
    assert await admin.result(set2, {"Enabled": True}) == "_ErrorInvalidInput"
    assert await admin.result(set2, {"Enable": True}) == "_ErrorInvalidInput"
    bad = {"Enable": True, "StartingTime": 25, "EndingTime": 8}
    assert await admin.result(set2, bad) == "_ErrorInvalidInput"
    assert await admin.result(set2, {"Enable": False}) == "OK"
    assert await admin.output(get) == {"Enable": False}
    assert [w.action for w in sim.write_log] == [set2, set2]
