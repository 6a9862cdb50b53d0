"""Device-list clean-up, client rename, ping and traceroute through Home Assistant.

Against the simulator over real HTTP: what is written, what is left byte-identical, what
is refused before anything is sent, and the firmware's own refusals.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
import copy
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.linksys_jnap.const import DOMAIN
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import call_action, coordinator_of, poll, tick
from tests.simulator import RouterSimulator
from tests.simulator.fixtures import RouterFactory

DELETE = "devicelist/DeleteDevice"
SET_PROPERTIES = "devicelist/SetDeviceProperties"


def _device(
    hass: HomeAssistant, sim: RouterSimulator, key: str | None = None
) -> dr.DeviceEntry | None:
    """Return a client's device (the router's without ``key``)."""
    serial = sim.state.device_info.serial_number
    entry_id = hass.config_entries.async_entries(DOMAIN)[0].entry_id
    return dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, serial if key is None else f"{serial}_{key}"), entry_id
    )


def _sent(sim: RouterSimulator) -> list[str]:
    return [action for request in sim.requests for action in request.actions]


# --- remove_offline_clients ----------------------------------------------------------------


async def _month_later(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sim: RouterSimulator,
    entry: MockConfigEntry,
) -> tuple[set[str], str, str]:
    """Let a month pass: one client leaves at the start, one just now; the rest stay.

    Returns the keys a 30-day clean-up takes, the early leaver and the recent one.
    """
    coordinator = coordinator_of(entry)
    online = sorted(c.key for c in coordinator.data.clients.values() if c.connected)
    never_seen = {c.key for c in coordinator.data.clients.values() if not c.connected}
    early, recent = online[0], online[1]
    sim.disconnect_client(coordinator.data.clients[early].mac)
    await poll(hass, freezer)
    assert not coordinator.data.clients[early].connected
    await tick(hass, freezer, 31 * 86400)
    sim.disconnect_client(coordinator.data.clients[recent].mac)
    await poll(hass, freezer)
    assert not coordinator.data.clients[recent].connected
    assert never_seen, "the simulator generates offline clients"
    return never_seen | {early}, early, recent


async def test_remove_offline_clients_dry_run_then_for_real(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    sim = await router_factory(profile="velop", password=PASSWORD, clients=12, seed=1)
    entry = await setup_integration(sim)
    stale, early, recent = await _month_later(hass, freezer, sim, entry)
    coordinator = coordinator_of(entry)
    expected = {
        (coordinator.data.clients[key].name, coordinator.data.clients[key].mac)
        for key in stale
    }

    # Dry run (the default): the list, and not one request.
    sim.requests.clear()
    preview = await call_action(hass, "remove_offline_clients", {})
    assert preview is not None
    assert preview["dry_run"] is True
    assert preview["older_than_days"] == 30
    assert {(c["name"], c["mac"]) for c in preview["clients"]} == expected
    seen = {c["mac"]: c["last_seen"] for c in preview["clients"]}
    assert seen[coordinator.data.clients[early].mac] is not None
    assert sim.requests == []
    assert sim.write_log == []

    # A longer threshold spares them all.
    longer = await call_action(hass, "remove_offline_clients", {"older_than_days": 40})
    assert longer is not None
    assert longer["clients"] == []

    kept_before = {
        key: copy.deepcopy(device)
        for key, device in sim.state.devices.items()
        if key not in stale
    }
    # One the router forgot meanwhile answers ErrorUnknownDevice: gone all the same.
    forgotten = sorted(stale)[0]
    sim.delete_device(forgotten)
    done = await call_action(hass, "remove_offline_clients", {"dry_run": False})
    assert done is not None
    assert done["clients"] == preview["clients"]
    assert sorted(w.request["deviceID"] for w in sim.write_log) == sorted(
        stale - {forgotten}
    )
    assert {w.action for w in sim.write_log} == {DELETE}
    assert not stale & set(sim.state.devices)
    # Everything else on the router is as it was.
    assert dict(sim.state.devices.items()) == kept_before
    # Their devices left Home Assistant; the router's, the nodes' and the others' stay.
    for key in stale:
        assert _device(hass, sim, key) is None
        assert key not in coordinator.data.clients
    assert _device(hass, sim, recent) is not None
    assert _device(hass, sim) is not None
    assert coordinator.data.nodes
    for key in coordinator.data.nodes:
        assert key in sim.state.devices


async def test_remove_offline_clients_the_router_refuses(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    """EA/WRT topodb keeps a left client's connection: DeleteDevice refuses it."""
    entry = await setup_integration(router)
    router.add_client("Old tablet", ["02:00:00:00:00:31"], online=False)
    await poll(hass, freezer)
    stale, early, _recent = await _month_later(hass, freezer, router, entry)
    coordinator = coordinator_of(entry)
    refused = {key for key in stale if router.state.devices[key].v1_connections}
    assert early in refused
    assert len(refused) < len(stale)
    records = {key: copy.deepcopy(router.state.devices[key]) for key in refused}
    with pytest.raises(HomeAssistantError) as err:
        await call_action(
            hass, "remove_offline_clients", {"dry_run": False}, response=False
        )
    assert err.value.translation_key == "clients_not_removed"
    placeholders = err.value.translation_placeholders or {}
    assert placeholders["removed"] == str(len(stale - refused))
    assert set(placeholders["refused"].split(", ")) == {
        coordinator.data.clients[key].name for key in refused
    }
    # The refused clients are as they were, on the router and in Home Assistant.
    for key, record in records.items():
        assert router.state.devices[key] == record
        assert _device(hass, router, key) is not None
        assert key in coordinator.data.clients
    assert not (stale - refused) & set(router.state.devices)
    assert {w.request["deviceID"] for w in router.write_log} == stale - refused


async def test_remove_offline_clients_needs_the_service(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
) -> None:
    router.remove_service("devicelist/DeviceList2")
    await setup_integration(router)
    router.requests.clear()
    with pytest.raises(ServiceValidationError) as err:
        await call_action(hass, "remove_offline_clients", {"dry_run": False})
    assert err.value.translation_key == "device_cleanup_unavailable"
    assert router.requests == []


# --- rename_client -------------------------------------------------------------------------


async def test_rename_client(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    sim = await router_factory(profile="velop", password=PASSWORD, clients=6, seed=1)
    entry = await setup_integration(sim)
    coordinator = coordinator_of(entry)
    client = next(iter(coordinator.data.clients.values()))
    device = _device(hass, sim, client.key)
    assert device is not None
    before = copy.deepcopy(sim.state.devices)

    answer = await call_action(
        hass, "rename_client", {"device_id": device.id, "name": "  Den\n  TV\u200b "}
    )
    assert answer == {"name": "Den TV"}
    assert [(w.action, w.request) for w in sim.write_log] == [
        (
            SET_PROPERTIES,
            {
                "deviceID": client.key,
                "propertiesToModify": [{"name": "userDeviceName", "value": "Den TV"}],
            },
        )
    ]
    renamed = sim.state.devices[client.key]
    assert renamed.properties == {
        **before[client.key].properties,
        "userDeviceName": "Den TV",
    }
    assert {k: d for k, d in sim.state.devices.items() if k != client.key} == {
        k: d for k, d in before.items() if k != client.key
    }
    registry = dr.async_get(hass)
    assert (entry_now := registry.async_get(device.id))
    assert entry_now.name == "Den TV"

    # A name the user gave the device in Home Assistant stays theirs.
    registry.async_update_device(device.id, name_by_user="Mine")
    await call_action(
        hass, "rename_client", {"device_id": device.id, "name": "Lounge TV"}
    )
    updated = registry.async_get(device.id)
    assert updated
    assert updated.name == "Lounge TV"
    assert updated.name_by_user == "Mine"

    # The same name again writes nothing; an empty name goes back to the device's own.
    sim.write_log.clear()
    await call_action(
        hass, "rename_client", {"device_id": device.id, "name": "Lounge TV"}
    )
    assert sim.write_log == []
    back = await call_action(
        hass, "rename_client", {"device_id": device.id, "name": " "}
    )
    assert "userDeviceName" not in sim.state.devices[client.key].properties
    assert back == {"name": coordinator.data.clients[client.key].name}
    assert sim.write_log[-1].request["propertiesToRemove"] == ["userDeviceName"]


async def test_rename_client_needs_the_service(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    """A Velop listing DeviceList4 (GetDevices3) without DeviceList has no rename."""
    sim = await router_factory(profile="velop", password=PASSWORD, clients=4, seed=1)
    sim.remove_service("devicelist/DeviceList")
    entry = await setup_integration(sim)
    client = next(iter(coordinator_of(entry).data.clients.values()))
    device = _device(hass, sim, client.key)
    assert device is not None
    sim.requests.clear()
    with pytest.raises(ServiceValidationError) as err:
        await call_action(hass, "rename_client", {"device_id": device.id, "name": "TV"})
    assert err.value.translation_key == "rename_unavailable"
    assert sim.requests == []


async def test_rename_client_refused_before_sending(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
) -> None:
    entry = await setup_integration(router)
    client = next(iter(coordinator_of(entry).data.clients.values()))
    device = _device(hass, router, client.key)
    assert device is not None
    router.requests.clear()
    # 128 two-byte letters: 256 bytes, one more than the router keeps.
    with pytest.raises(ServiceValidationError) as err:
        await call_action(
            hass, "rename_client", {"device_id": device.id, "name": "é" * 128}
        )
    assert err.value.translation_key == "client_name_too_long"
    router_device = _device(hass, router)
    assert router_device is not None
    with pytest.raises(ServiceValidationError) as err:
        await call_action(
            hass, "rename_client", {"device_id": router_device.id, "name": "Hub"}
        )
    assert err.value.translation_key == "not_a_client"
    assert router.requests == []
    assert router.write_log == []


async def test_rename_client_the_router_refuses(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
) -> None:
    """16 properties already (devicelist.lua MAX_PROPERTIES): ErrorTooManyProperties."""
    entry = await setup_integration(router)
    client = next(iter(coordinator_of(entry).data.clients.values()))
    record = router.state.devices[client.key]
    record.properties = {f"p{i}": "x" for i in range(16)}
    kept = copy.deepcopy(record)
    device = _device(hass, router, client.key)
    assert device is not None
    with pytest.raises(HomeAssistantError) as err:
        await call_action(hass, "rename_client", {"device_id": device.id, "name": "TV"})
    assert err.value.translation_key == "too_many_properties"
    assert router.state.devices[client.key] == kept
    assert router.write_log == []


async def test_a_device_list_write_makes_the_next_read_whole(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    """After a rename the device list is read whole, not from the last revision.

    Whether such writes move the revision an incremental read asks from is unverified: a
    record the router drops without moving it shows what each kind of read sees.
    """
    sim = await router_factory(profile="velop", password=PASSWORD, clients=6, seed=1)
    entry = await setup_integration(sim)
    coordinator = coordinator_of(entry)
    renamed, dropped = list(coordinator.data.clients)[:2]
    device = _device(hass, sim, renamed)
    assert device is not None
    record = sim.state.devices.pop(dropped)
    for mac in record.macs:
        sim.state.connections.pop(mac, None)
    # An incremental read doesn't see it go.
    await poll(hass, freezer)
    assert coordinator.last_update_success
    assert dropped in coordinator.data.clients

    await call_action(hass, "rename_client", {"device_id": device.id, "name": "Den TV"})
    assert dropped not in coordinator.data.clients
    assert coordinator.data.clients[renamed].name == "Den TV"


# --- ping and traceroute -------------------------------------------------------------------


async def _in_simulated_time(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, call: Awaitable[Any]
) -> Any:
    """Run a service call that waits on Home Assistant's clock, moving the clock along."""
    task = asyncio.ensure_future(call)
    for _ in range(2000):
        for _ in range(30):
            await asyncio.sleep(0)
            if task.done():
                break
        if task.done():
            break
        freezer.tick(timedelta(seconds=1))
        async_fire_time_changed(hass)
    result = await task
    await hass.async_block_till_done()
    return result


async def test_ping(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_integration(router)
    router.requests.clear()
    result = await _in_simulated_time(
        hass, freezer, call_action(hass, "ping", {"host": " example.com. ", "count": 3})
    )
    # A ping changes nothing the poll reads: no refresh follows it.
    assert {a for r in router.requests for a in r.actions} == {
        "diagnostics/StartPing",
        "diagnostics/GetPingStatus",
    }
    assert result["host"] == "example.com"
    assert result["completed"] is True
    assert (result["transmitted"], result["received"]) == (3, 3)
    assert result["loss_percent"] == 0.0
    assert result["rtt_min_ms"] <= result["rtt_avg_ms"] <= result["rtt_max_ms"]
    assert "ping statistics" in result["output"]
    start = next(r for r in router.requests if "diagnostics/StartPing" in r.actions)
    assert start.auth == "ok"
    assert router.write_log == []


async def test_ping_times_out_and_stops(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_integration(router)
    result = await _in_simulated_time(
        hass,
        freezer,
        call_action(hass, "ping", {"host": "192.0.2.7", "count": 100, "timeout": 10}),
    )
    assert result["completed"] is False
    assert 0 < result["transmitted"] < 100
    assert result["transmitted"] == result["received"]
    test = router.state.tests["ping"]
    assert test.stopped is not None
    assert "diagnostics/StopPing" in _sent(router)


async def test_traceroute(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_integration(router)
    result = await _in_simulated_time(
        hass, freezer, call_action(hass, "traceroute", {"host": "2001:db8::1"})
    )
    assert result["completed"] is True
    hops = result["hops"]
    assert [hop["hop"] for hop in hops] == [1, 2, 3, 4]
    assert hops[-1]["address"] == "2001:db8::1"
    assert all(len(hop["rtt_ms"]) == 3 for hop in hops)


@pytest.mark.parametrize(
    "host", ["", "bad host", "-lead.example", "a..b", "x" * 64 + ".com", "1.2.3.4;ls"]
)
async def test_ping_refuses_what_is_no_host(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    host: str,
) -> None:
    await setup_integration(router)
    router.requests.clear()
    for service in ("ping", "traceroute"):
        with pytest.raises(ServiceValidationError) as err:
            await call_action(hass, service, {"host": host})
        assert err.value.translation_key == "invalid_test_host"
    assert router.requests == []


async def test_ping_needs_the_service(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
) -> None:
    router.remove_service("diagnostics/Diagnostics")
    await setup_integration(router)
    router.requests.clear()
    with pytest.raises(ServiceValidationError) as err:
        await call_action(hass, "ping", {"host": "example.com"})
    assert err.value.translation_key == "diagnostics_unavailable"
    assert router.requests == []
