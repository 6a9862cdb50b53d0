"""Pin the simulator's world: devices, presence, reboots, firmware, faults, the generator."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import json
from pathlib import Path
import random
import sys
import time
from typing import Any

import aiohttp
import pytest

from tests.simulator import PROFILES, Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory
from tests.simulator.lively import Lively
from tests.simulator.testing import (
    PREFIX,
    FakeClock,
    RawJnap,
    basic,
    entry_results,
    jnap,
)

PW = "correct horse"
INFO = "core/GetDeviceInfo"
DEVICES = "devicelist/GetDevices"
CONNECTIONS = "networkconnections/GetNetworkConnections"
FIRMWARE_STATUS = "firmwareupdate/GetFirmwareUpdateStatus"


async def _wait_up(session: aiohttp.ClientSession, sim: RouterSimulator) -> None:
    for _ in range(100):
        if not sim.is_down:
            async with session.head(sim.url) as resp:
                assert resp.status == 404
            return
        await asyncio.sleep(0.02)
    raise AssertionError("simulator did not come back")


# ---------------------------------------------------------------- devices and presence


async def test_devices_v1_shape(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    out = await RawJnap(session, router.url, PW).output(DEVICES)
    assert out["deletedDeviceIDs"] == []
    devices = out["devices"]
    assert len(devices) == 13
    authority = [d for d in devices if d["isAuthority"]]
    assert len(authority) == 1
    assert authority[0]["model"]["modelNumber"] == "EA7500"
    assert authority[0]["connections"][0]["ipAddress"] == "192.168.1.1"
    for d in devices:
        assert set(d) >= {
            "deviceID",
            "lastChangeRevision",
            "model",
            "unit",
            "knownMACAddresses",
            "connections",
            "properties",
            "maxAllowedProperties",
        }
        assert "knownInterfaces" not in d
        assert "nodeType" not in d
        for mac in d["knownMACAddresses"]:
            assert mac == mac.upper()
            assert len(mac) == 17
    assert any(len(d["knownMACAddresses"]) == 2 for d in devices), "a two-MAC client"
    assert any("friendlyName" not in d for d in devices), "a client without a host name"
    assert any(p["name"] == "userDeviceName" for d in devices for p in d["properties"])
    # Every client was seen once: v1 lists a connection even for the offline ones.
    live = {c.mac for c in router.state.connections.values()}
    offline = [
        d for d in devices if not any(c["macAddress"] in live for c in d["connections"])
    ]
    assert offline
    assert all(d["connections"] for d in offline)


async def test_network_connections(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    conns = (await RawJnap(session, router.url, PW).output(CONNECTIONS))["connections"]
    assert {c["macAddress"] for c in conns} == set(router.state.connections)
    wired = [c for c in conns if "wireless" not in c]
    wireless = [c for c in conns if "wireless" in c]
    assert wired
    assert wireless
    assert {w["wireless"]["band"] for w in wireless} == {"2.4GHz", "5GHz"}
    assert any(w["wireless"]["isGuest"] for w in wireless)
    for w in wireless:
        assert set(w["wireless"]) == {"bssid", "isGuest", "band", "signalDecibels"}
    assert 0.5 < len(conns) / 12 < 0.95


async def test_velop_devices3_nodes_and_pruning(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim = await router_factory(profile="velop", password=PW, clients=12, seed=3)
    admin = RawJnap(session, sim.url, PW)
    out = await admin.output("devicelist/GetDevices3")
    devices = out["devices"]
    nodes = {d["nodeType"]: d for d in devices if "nodeType" in d}
    assert set(nodes) == {"Master", "Slave"}
    assert nodes["Master"]["isAuthority"] is True
    assert nodes["Slave"]["isAuthority"] is False
    for d in devices:
        assert "knownMACAddresses" not in d
        for i in d["knownInterfaces"]:
            assert i["interfaceType"] in ("Wireless", "Wired", "Unknown")
        for c in d["connections"]:
            # devicedb outputs isGuest only when true.
            assert c.get("isGuest", True) is True
    # Pick an online wireless client and let it leave.
    mac, conn = next(
        (m, c) for m, c in sim.state.connections.items() if c.band is not None
    )
    assert conn.parent_device_id in {
        nodes["Master"]["deviceID"],
        nodes["Slave"]["deviceID"],
    }
    dev_id = sim.state.device_for_mac(mac).device_id  # type: ignore[union-attr]
    sim.disconnect_client(mac)
    v3 = {
        d["deviceID"]: d
        for d in (await admin.output("devicelist/GetDevices3"))["devices"]
    }
    v1 = {d["deviceID"]: d for d in (await admin.output(DEVICES))["devices"]}
    assert mac not in [c["macAddress"] for c in v3[dev_id]["connections"]]
    assert mac in [c["macAddress"] for c in v1[dev_id]["connections"]], (
        "v1 keeps the stale entry"
    )
    conns2 = (await admin.output("networkconnections/GetNetworkConnections2"))[
        "connections"
    ]
    assert mac not in {c["macAddress"] for c in conns2}
    assert all("radioID" in c["wireless"] for c in conns2 if "wireless" in c)


async def test_since_revision_and_deletions(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    admin = RawJnap(session, router.url, PW)
    full = await admin.output(DEVICES)
    rev = full["revision"]
    same = await admin.output(DEVICES, {"sinceRevision": rev})
    assert same == {"revision": rev, "devices": [], "deletedDeviceIDs": []}
    new_id = router.add_client(
        "Guest-Phone",
        ["aa:bb:cc:00:00:01", "AA:BB:CC:00:00:02"],
        band="2.4GHz",
        guest=True,
    )
    offline = router.state.devices[
        router.add_client("Old-Laptop", ["aa:bb:cc:00:00:09"], online=False)
    ]
    delete = "devicelist/DeleteDevice"
    assert await admin.result(delete, {"deviceID": offline.device_id}) == "OK"
    delta = await admin.output(DEVICES, {"sinceRevision": rev})
    assert delta["revision"] > rev
    assert [d["deviceID"] for d in delta["devices"]] == [new_id]
    assert delta["devices"][0]["knownMACAddresses"] == [
        "AA:BB:CC:00:00:01",
        "AA:BB:CC:00:00:02",
    ]
    assert delta["deletedDeviceIDs"] == [offline.device_id]
    # Full reads do not repeat deletions.
    assert (await admin.output(DEVICES))["deletedDeviceIDs"] == []
    conns = (await admin.output(CONNECTIONS))["connections"]
    guest = next(c for c in conns if c["macAddress"] == "AA:BB:CC:00:00:01")
    assert guest["wireless"]["isGuest"] is True
    assert guest["wireless"]["band"] == "2.4GHz"
    # Rename, roam, disconnect: each bumps the revision and shows up in a delta.
    changes: list[Callable[[], None]] = [
        lambda: router.rename_device(new_id, "Renamed"),
        lambda: router.roam("AA:BB:CC:00:00:01", "5GHz"),
        lambda: router.disconnect_client("AA:BB:CC:00:00:01"),
    ]
    for change in changes:
        before = router.state.revision
        change()
        delta = await admin.output(DEVICES, {"sinceRevision": before})
        assert [d["deviceID"] for d in delta["devices"]] == [new_id]
    # Unknown and connected devices cannot be deleted.
    assert await admin.result(delete, {"deviceID": "nope"}) == "ErrorUnknownDevice"
    # innerDeleteDevice: never the router, a connected device, or (WRT topodb) one whose
    # record still holds a connection.
    cannot = "ErrorCannotDeleteDevice"
    node = {"deviceID": router.state.authority_id}
    assert await admin.result(delete, node) == cannot
    mac = next(iter(router.state.connections))
    online = router.state.device_for_mac(mac)
    assert online is not None
    assert await admin.result(delete, {"deviceID": online.device_id}) == cannot
    router.disconnect_client(mac)
    assert await admin.result(delete, {"deviceID": online.device_id}) == cannot
    assert online.device_id in router.state.devices


async def test_device_properties(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    admin = RawJnap(session, router.url, PW)

    async def set_properties(body: dict[str, Any]) -> dict[str, Any]:
        return await admin("devicelist/SetDeviceProperties", body)

    dev_id = next(d for d in router.state.devices if d != router.state.authority_id)
    rev = router.state.revision
    body = {
        "deviceID": dev_id,
        "propertiesToModify": [{"name": "userDeviceName", "value": "Lounge TV"}],
    }
    assert (await set_properties(body))["result"] == "OK"
    assert router.state.devices[dev_id].properties["userDeviceName"] == "Lounge TV"
    assert router.state.devices[dev_id].last_change_revision == rev + 1
    body = {
        "deviceID": dev_id,
        "propertiesToModify": [],
        "propertiesToRemove": ["userDeviceName"],
    }
    assert (await set_properties(body))["result"] == "OK"
    assert "userDeviceName" not in router.state.devices[dev_id].properties
    bad: dict[str, Any] = {"deviceID": "missing", "propertiesToModify": []}
    assert (await set_properties(bad))["result"] == "ErrorUnknownDevice"
    bad = {
        "deviceID": dev_id,
        "propertiesToModify": [{"name": "bad name", "value": "x"}],
    }
    assert (await set_properties(bad))["result"] == "ErrorInvalidPropertyName"
    # devicelist.lua isValidPropertyName / isValidPropertyValue: Lua's `$` is the very
    # end, and both limits count bytes.
    for name in ("userDeviceName\n", "x" * 32):
        bad = {"deviceID": dev_id, "propertiesToModify": [{"name": name, "value": ""}]}
        assert (await set_properties(bad))["result"] == "ErrorInvalidPropertyName"
    bad = {
        "deviceID": dev_id,
        "propertiesToModify": [{"name": "userDeviceName", "value": "\u00e9" * 128}],
    }
    assert (await set_properties(bad))["result"] == "ErrorPropertyValueTooLong"
    bad = {"deviceID": dev_id}
    assert (await set_properties(bad))["error"] == 'Missing member "propertiesToModify"'


async def test_wan(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim = await router_factory(profile="velop", password=PW, clients=0)
    admin = RawJnap(session, sim.url, PW)
    v3 = await admin.output("router/GetWANStatus3")
    assert v3["wanStatus"] == "Connected"
    assert {
        "wanConnection",
        "supportedWANTypes",
        "supportedIPv6WANTypes",
        "wanIPv6Connection",
    } <= set(v3)
    sim.set_wan_connected(False)
    v1 = await admin.output("router/GetWANStatus")
    assert v1["wanStatus"] == "Disconnected"
    assert "wanConnection" not in v1
    assert "supportedWANTypes" not in v1


# ---------------------------------------------------------------- reboot and firmware


async def _clocked(
    router_factory: RouterFactory, **world: Any
) -> tuple[RouterSimulator, FakeClock]:
    """Start a router on a clock that only moves when the test says."""
    clock = FakeClock()
    return await router_factory(password=PW, clock=clock, **world), clock


async def test_reboot_outage(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim, clock = await _clocked(router_factory)
    anonymous = RawJnap(session, sim.url, None)
    answer = await anonymous("core/Reboot", password=PW)
    assert answer == {"result": "OK", "output": {}, "sideEffects": ["DeviceRestart"]}
    assert sim.is_down
    with pytest.raises(aiohttp.ClientConnectorError):
        await anonymous(INFO)
    clock.advance(59)
    await asyncio.sleep(0.06)
    assert sim.is_down
    clock.advance(2)
    await _wait_up(session, sim)
    assert await anonymous.result(INFO) == "OK"
    assert sim.state.boot_count == 1
    # A scripted reboot, ended early.
    await sim.reboot(downtime=600)
    with pytest.raises(aiohttp.ClientConnectorError):
        await anonymous(INFO)
    await sim.finish_reboot()
    assert await anonymous.result(INFO) == "OK"


async def test_firmware_update_stages(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim, clock = await _clocked(router_factory, clients=2)
    admin = RawJnap(session, sim.url, PW)
    update_now = "firmwareupdate/UpdateFirmwareNow"
    status = await admin.output(FIRMWARE_STATUS)
    assert set(status) == {"lastSuccessfulCheckTime"}
    # Checking only.
    assert await admin.result(update_now, {"onlyCheck": True}) == "OK"
    status = await admin.output(FIRMWARE_STATUS)
    assert status["pendingOperation"] == {"operation": "Checking", "progressPercent": 0}
    clock.advance(6)
    status = await admin.output(FIRMWARE_STATUS)
    assert "pendingOperation" not in status
    assert status["lastSuccessfulCheckTime"] == sim.wall_time()
    # A real install.
    sim.offer_firmware("2.0.9.201000", date="2026-11-20T00:00:00Z", description="Fixes")
    status = await admin.output(FIRMWARE_STATUS)
    assert status["availableUpdate"] == {
        "firmwareVersion": "2.0.9.201000",
        "firmwareDate": "2026-11-20T00:00:00Z",
        "description": "Fixes",
    }
    assert await admin.result(update_now, {"onlyCheck": False}) == "OK"
    busy = await admin.result(update_now, {"onlyCheck": False})
    assert busy == "_ErrorNotReady"
    seen = []
    leds_on = {"isSwitchportLEDEnabled": True}
    for step in (2.5, 10, 10, 10, 10, 10, 10, 3):
        clock.advance(step)
        led = await admin.result("routerleds/SetRouterLEDSettings", leds_on)
        # Setters are refused once the install has started.
        assert led == ("_ErrorNotReady" if clock.now - 1000 >= 35 + 6 else "OK")
        pending = (await admin.output(FIRMWARE_STATUS))["pendingOperation"]
        seen.append((pending["operation"], pending["progressPercent"]))
    assert seen == [
        ("Checking", 50),
        ("Downloading", 25),
        ("Downloading", 58),
        ("Downloading", 91),
        ("Installing", 25),
        ("Installing", 58),
        ("Installing", 91),
        ("Rebooting", 10),
    ]
    clock.advance(5)
    # This request is answered, then the router goes down for the install reboot.
    assert await admin.result(INFO, password=None) == "OK"
    assert sim.is_down
    with pytest.raises(aiohttp.ClientConnectorError):
        await admin(INFO, password=None)
    clock.advance(61)
    await _wait_up(session, sim)
    info = await admin.output(INFO, password=None)
    assert info["firmwareVersion"] == "2.0.9.201000"
    status = await admin.output(FIRMWARE_STATUS)
    assert "availableUpdate" not in status
    assert "pendingOperation" not in status


# ---------------------------------------------------------------- faults


async def _raw(
    session: aiohttp.ClientSession,
    sim: RouterSimulator,
    action: str,
    password: str | None = PW,
) -> tuple[int, str, bytes]:
    headers = {"X-JNAP-Action": PREFIX + action}
    if password:
        headers["X-JNAP-Authorization"] = basic(password)
    async with session.post(sim.url, data=b"{}", headers=headers) as resp:
        return resp.status, resp.content_type, await resp.read()


async def test_http_faults(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    router.inject(Fault.HTTP_500, times=1)
    status, ctype, _ = await _raw(session, router, "core/GetDeviceInfo")
    assert (status, ctype) == (500, "text/html")
    assert (await _raw(session, router, "core/GetDeviceInfo"))[0] == 200
    router.inject(Fault.HTML_LOGIN, action="router/GetWANStatus", times=2)
    assert (await _raw(session, router, "core/GetDeviceInfo"))[1] == "application/json"
    for _ in range(2):
        status, ctype, body = await _raw(session, router, "router/GetWANStatus")
        assert (status, ctype) == (200, "text/html")
        assert b"<form" in body
    assert (await _raw(session, router, "router/GetWANStatus"))[1] == "application/json"
    router.inject(Fault.TRUNCATED_JSON, times=1)
    body = (await _raw(session, router, "core/GetDeviceInfo"))[2]
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    router.inject(Fault.NO_RESULT)
    body = (await _raw(session, router, "core/GetDeviceInfo"))[2]
    assert "result" not in json.loads(body)
    assert "output" in json.loads(body)
    router.clear_faults()
    assert (
        json.loads((await _raw(session, router, "core/GetDeviceInfo"))[2])["result"]
        == "OK"
    )
    assert [r.status for r in router.requests][:2] == [500, 200]


async def test_jnap_error_faults(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    admin = RawJnap(session, router.url, PW)
    leds_off = ("routerleds/SetRouterLEDSettings", {"isSwitchportLEDEnabled": False})
    router.inject(Fault.NOT_READY, action=leds_off[0], times=1)
    answer = await admin.transaction(
        "routerleds/GetRouterLEDSettings", leds_off, "router/GetWANStatus"
    )
    assert entry_results(answer) == ["OK", "_ErrorNotReady", "_ErrorAbortedAction"]
    assert router.state.leds.is_switchport_led_enabled is True
    assert router.write_log == []
    assert await admin.result(*leds_off) == "OK"
    router.inject(Fault.UNEXPECTED, times=2)
    for _ in range(2):
        assert await admin.result(INFO, password=None) == "_ErrorUnexpected"
    assert await admin.result(INFO, password=None) == "OK"


async def test_timeout_latency_and_refused(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim, clock = await _clocked(router_factory, clients=1)
    anonymous = RawJnap(session, sim.url, None)
    sim.inject(Fault.LATENCY, seconds=0.15, times=1)
    start = time.monotonic()
    assert await anonymous.result(INFO) == "OK"
    assert time.monotonic() - start >= 0.15
    sim.inject(Fault.TIMEOUT, seconds=0.1, times=1)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await anonymous(INFO)
    assert sim.requests[-1].status == 0
    sim.inject(Fault.TIMEOUT, seconds=30, times=1)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.2):
            await anonymous(INFO)
    sim.inject(Fault.CONNECTION_REFUSED, seconds=10)
    with pytest.raises(aiohttp.ClientConnectorError):
        await anonymous(INFO)
    clock.advance(10)
    await _wait_up(session, sim)
    assert await anonymous.result(INFO) == "OK"


async def test_stop_releases_a_hanging_request(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim = await router_factory(password=PW, clients=0)
    sim.inject(Fault.TIMEOUT, seconds=60)
    pending = asyncio.ensure_future(jnap(session, sim.url, INFO))
    await asyncio.sleep(0.05)
    await asyncio.wait_for(sim.stop(), 2)
    with pytest.raises(aiohttp.ClientError):
        await pending


# ---------------------------------------------------------------- request log, generator


async def test_request_log(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    admin = RawJnap(session, router.url, PW)
    router.reset_counters()
    await admin(INFO, password=None)
    await admin("router/GetWANStatus", password="bad")
    await admin.transaction("router/GetWANStatus", "router/GetLANSettings")
    async with session.head(router.url):
        pass
    assert [
        (r.method, r.actions, r.transaction, r.auth, r.status) for r in router.requests
    ] == [
        ("POST", ("core/GetDeviceInfo",), False, "none", 200),
        ("POST", ("router/GetWANStatus",), False, "bad", 200),
        ("POST", ("router/GetWANStatus", "router/GetLANSettings"), True, "ok", 200),
        ("HEAD", (), False, "none", 404),
    ]
    assert router.requests[0].bytes_in == 2
    assert router.requests[0].bytes_out > 500
    router.reset_counters()
    assert router.requests == []


def test_generator_deterministic() -> None:
    a = RouterSimulator(profile="velop", password=PW, clients=40, seed=7)
    b = RouterSimulator(profile="velop", password=PW, clients=40, seed=7)
    c = RouterSimulator(profile="velop", password=PW, clients=40, seed=8)
    assert a.state == b.state
    assert a.state != c.state


def test_generator_thousand_clients() -> None:
    sim = RouterSimulator(profile="smartwifi", password=PW, clients=1000, seed=1)
    st = sim.state
    clients = [d for d in st.devices.values() if not d.is_authority]
    assert len(clients) == 1000
    macs = [m for d in st.devices.values() for m in d.macs]
    assert len(macs) == len(set(macs))
    online = sum(1 for d in clients if any(m in st.connections for m in d.macs))
    assert 0.65 < online / 1000 < 0.75
    conns = list(st.connections.values())
    assert len({c.ip for c in conns}) == len(conns)
    kinds = {
        "wired": sum(1 for c in conns if c.band is None),
        "2.4": sum(1 for c in conns if c.band == "2.4GHz" and not c.guest),
        "5": sum(1 for c in conns if c.band == "5GHz" and not c.guest),
        "guest": sum(1 for c in conns if c.guest),
        "dual": sum(1 for d in clients if len(d.macs) == 2),
    }
    assert all(n > 40 for n in kinds.values()), kinds
    with pytest.raises(ValueError):
        RouterSimulator(clients=1001)
    with pytest.raises(ValueError):
        RouterSimulator(profile="nope")


async def test_thousand_clients_served(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim = await router_factory(password=PW, clients=1000)
    admin = RawJnap(session, sim.url, PW)
    out = await admin.output(DEVICES)
    assert len(out["devices"]) == 1001
    conns = (await admin.output(CONNECTIONS))["connections"]
    assert len(conns) == len(sim.state.connections)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_profiles_have_worlds(profile: str) -> None:
    sim = RouterSimulator(profile=profile, password=PW)
    st = sim.state
    assert (
        len([d for d in st.devices.values() if d.device_type != "Infrastructure"]) == 12
    )
    assert len(st.parental.rules) == 2
    assert all(
        r.blocked_urls and "0" in "".join(r.wan_schedule.values())
        for r in st.parental.rules
    )
    assert st.guest.is_guest_network_enabled
    assert len(st.guest.radios) == len(PROFILES[profile].radio_ids) >= 2
    assert st.device_info.serial_number.startswith(PROFILES[profile].serial_prefix)


async def test_reboot_ends_with_freezer_tick(
    router: RouterSimulator, session: aiohttp.ClientSession, freezer: Any
) -> None:
    """Home Assistant tests freeze time: ticking the freezer ends the outage."""
    anonymous = RawJnap(session, router.url, None)
    await router.reboot(downtime=60)
    with pytest.raises(aiohttp.ClientConnectorError):
        await anonymous(INFO)
    freezer.tick(61)
    for _ in range(50):
        if not router.is_down:
            break
        await asyncio.sleep(0)
    assert not router.is_down
    assert await anonymous.result(INFO) == "OK"


def test_lively_world() -> None:
    clock = FakeClock()
    sim = RouterSimulator(password=PW, clients=20, seed=2, clock=clock)
    world = Lively(sim, random.Random(2))
    toggler = world.toggler
    assert toggler is not None
    bands = []
    events: list[str] = []
    for _ in range(20):
        clock.advance(60)
        events += world.minute()
        bands.append(sim.state.connections[toggler].band)
    assert set(bands) == {"2.4GHz", "5GHz"}
    assert bands[0] != bands[1]
    assert any(e.endswith(("left", "arrived")) for e in events)
    assert sim.state.devices[sim.state.authority_id].macs[0] not in " ".join(events)


async def test_command_line(socket_enabled: Any) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.simulator",
        "--port",
        "0",
        "--password",
        "s3cret pw",
        "--profile",
        "legacy",
        "--clients",
        "3",
        "--lively",
        cwd=Path(__file__).parent.parent,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    try:
        async with asyncio.timeout(10):
            line = (await proc.stderr.readline()).decode()
            while "listening on" not in line:
                line = (await proc.stderr.readline()).decode()
            url = line.rsplit(" ", 1)[1].strip()
            async with aiohttp.ClientSession() as session:
                answer = await jnap(
                    session, url, "core/CheckAdminPassword", password="s3cret pw"
                )
                assert answer["result"] == "OK"
            logged = (await proc.stderr.readline()).decode()
            assert "core/CheckAdminPassword auth=ok -> 200" in logged
            assert "s3cret" not in logged
    finally:
        proc.terminate()
        await proc.wait()


async def test_ping_host_rule(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    """util.lua isValidHostName: labels by RFC 1123, matched to the string's very end."""
    admin = RawJnap(session, router.url, PW)
    for host, result in (
        ("a", "OK"),
        ("router-1.example", "OK"),
        ("a\n", "ErrorInvalidHost"),
        ("-a", "ErrorInvalidHost"),
        ("a..b", "ErrorInvalidHost"),
    ):
        body = {"host": host, "packetSizeBytes": 56, "pingCount": 1}
        assert (await admin("diagnostics/StartPing", body))["result"] == result, host


async def test_radio_width_checks_in_the_firmwares_order(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    """wirelessap.lua setWirelessRadioSettings (v2 rule): the channel before the mode's widths."""
    admin = RawJnap(session, router.url, PW)
    radio = router.state.radios[1]
    radio.supported_channels["Wide80"] = [36]
    assert radio.settings.mode not in ("802.11ac", "802.11anac")
    out = await admin.output("wirelessap/GetRadioInfo3")
    read = next(r for r in out["radios"] if r["radioID"] == radio.radio_id)
    for channel, result in (
        (40, "ErrorUnsupportedChannel"),
        (36, "ErrorUnsupportedChannelWidth"),
    ):
        settings = {**read["settings"], "channelWidth": "Wide80", "channel": channel}
        body = {"radios": [{"radioID": radio.radio_id, "settings": settings}]}
        answer = await admin("wirelessap/SetRadioSettings3", body)
        assert answer["result"] == result, channel


async def test_radio_info_v1_members(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    """wirelessap.lua getRadioInfo: channels and wide channels, no per-width lists."""
    admin = RawJnap(session, router.url, PW)
    for radio in (await admin.output("wirelessap/GetRadioInfo"))["radios"]:
        assert "supportedChannelsForChannelWidths" not in radio
        assert "supportedChannelWidths" not in radio
        assert radio["supportedChannels"][0] == 0
        assert set(radio["supportedWideChannels"]) <= set(radio["supportedChannels"])
        assert 165 not in radio["supportedWideChannels"] or radio["band"] != "5GHz"
