"""The network map card's data: its websocket commands, through Home Assistant's API.

A real client polls the simulator; the commands answer what the card draws (nodes, links,
clients with their node, presence and tracker), and the subscription follows the polls.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)
import yaml

from custom_components.linksys_jnap.card import CARD_URL
from custom_components.linksys_jnap.const import CONF_CONSIDER_HOME, DOMAIN
from custom_components.linksys_jnap.websocket import DATA_MAPS
from scripts.lib.dashboard import RouterEntities, network_dashboard
from tests.conftest import PASSWORD, SetupIntegration, entry_at
from tests.helpers import coordinator_of, tick
from tests.replay.fixtures import RECORDINGS, ReplayRouterFactory, recording_id
from tests.simulator.fixtures import RouterFactory

MAC = "02:AA:BB:CC:DD:01"
GUEST_MAC = "02:AA:BB:CC:DD:02"


def recording_serial(recording: dict[str, Any]) -> str:
    """Return the recorded router's serial number (the config entry's unique id)."""
    return str(recording["answers"]["core/GetDeviceInfo"]["output"]["serialNumber"])


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


async def _result(ws: Any, **command: Any) -> Any:
    await ws.send_json_auto_id(command)
    msg = await ws.receive_json()
    assert msg["success"], msg
    return msg["result"]


async def _not_found(ws: Any, **command: Any) -> None:
    await ws.send_json_auto_id(command)
    msg = await ws.receive_json()
    assert not msg["success"]
    assert msg["error"]["code"] == "not_found"


async def test_mesh_topology(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    """Nodes with their parents and backhaul, clients under their node, tracker ids."""
    router = await router_factory(profile="velop_mesh", password=PASSWORD, clients=12)
    primary = router.state.authority_id
    wired, wireless = router.satellite_ids
    upstairs = router.add_client("Upstairs laptop", [MAC], node=wireless, signal=-61)
    visitor = router.add_client(
        "Visitor phone", [GUEST_MAC], node=wired, guest=True, band="2.4GHz"
    )
    entry = await setup_integration(router)
    ws = await hass_ws_client(hass)

    topology = await _result(ws, type=f"{DOMAIN}/topology", entry_id=entry.entry_id)

    assert topology["mesh"] is True
    assert topology["entry_id"] == entry.entry_id
    assert topology["available"] is True
    nodes = _by_id(topology["nodes"])
    assert topology["nodes"][0]["id"] == primary
    assert nodes[primary]["primary"] is True
    assert nodes[primary]["parent"] is None
    # Multi-hop: the wireless satellite hangs off the wired one.
    assert nodes[wired]["parent"] == primary
    assert nodes[wireless]["parent"] == wired
    assert nodes[wired]["backhaul"]["type"] == "wired"
    link = nodes[wireless]["backhaul"]
    assert link["type"] == "wireless"
    assert link["signal_dbm"] < 0
    assert link["speed_mbps"] > 0
    assert all(nodes[n]["online"] for n in router.node_ids)

    clients = _by_id(topology["clients"])
    assert clients[upstairs]["node"] == wireless
    assert clients[upstairs]["connected"] is clients[upstairs]["home"] is True
    assert clients[upstairs]["band"] == "5GHz"
    assert clients[upstairs]["signal_dbm"] == -61
    assert clients[upstairs]["guest"] is False
    assert clients[visitor]["node"] == wired
    assert clients[visitor]["guest"] is True
    # The counts the nodes show are the clients drawn under them.
    for key in router.node_ids:
        under = [c for c in topology["clients"] if c["node"] == key and c["connected"]]
        assert nodes[key]["clients"] == len(under), key
    assert not any(c["node"] is None for c in topology["clients"] if c["connected"])

    # A tap opens the client's tracker, or an entity of the node's device.
    registry = er.async_get(hass)
    tracker = registry.async_get(clients[upstairs]["entity_id"])
    assert tracker is not None
    assert tracker.unique_id.endswith(f"_{upstairs}_tracker")
    for key in router.node_ids:
        entity = registry.async_get(nodes[key]["entity_id"])
        assert entity is not None, key
        assert entity.config_entry_id == entry.entry_id
    satellite = registry.async_get(nodes[wireless]["entity_id"])
    assert satellite is not None
    assert satellite.unique_id.endswith(f"_{wireless}_node_online")


async def test_subscription_follows_polls(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A client leaving shows at the next poll, under its last node, away then."""
    router = await router_factory(profile="velop_mesh", password=PASSWORD, clients=6)
    _wired, wireless = router.satellite_ids
    key = router.add_client("Upstairs laptop", [MAC], node=wireless)
    entry = await setup_integration(router, options={CONF_CONSIDER_HOME: 20})
    coordinator = coordinator_of(entry)
    ws = await hass_ws_client(hass)
    await ws.send_json_auto_id({"type": f"{DOMAIN}/subscribe_topology"})
    assert (await ws.receive_json())["success"]
    first = (await ws.receive_json())["event"]
    assert _by_id(first["clients"])[key]["connected"] is True

    # A change the map does not show (the WAN) sends nothing: the next event is the leave.
    router.set_wan_connected(False)
    await coordinator.async_refresh()
    router.disconnect_client(MAC)
    # Polls without moving time: the websocket's heartbeat would close it after 55 s.
    await coordinator.async_refresh()
    left = _by_id((await ws.receive_json())["event"]["clients"])[key]
    # Gone from the router, home for consider_home, drawn where it was.
    assert (left["connected"], left["home"], left["node"]) == (False, True, wireless)

    # consider_home ends between polls: the card hears it then.
    await tick(hass, freezer, 21)
    away = _by_id((await ws.receive_json())["event"]["clients"])[key]
    assert (away["connected"], away["home"], away["node"]) == (False, False, wireless)

    # Back on another node.
    router.connect_client(MAC, node=router.state.authority_id)
    await coordinator.async_refresh()
    back = _by_id((await ws.receive_json())["event"]["clients"])[key]
    assert (back["connected"], back["node"]) == (True, router.state.authority_id)

    # Unsubscribing stops the listener: an idle map costs the coordinator nothing.
    maps = hass.data[DATA_MAPS][entry.entry_id]
    await ws.send_json_auto_id({"type": "unsubscribe_events", "subscription": 1})
    assert (await ws.receive_json())["success"]
    assert not maps.subscribers
    listeners = len(coordinator._listeners)
    await ws.send_json_auto_id({"type": f"{DOMAIN}/subscribe_topology"})
    assert (await ws.receive_json())["success"]
    assert (await ws.receive_json())["event"]["entry_id"] == entry.entry_id
    assert len(coordinator._listeners) == listeners + 1

    # The entry unloads: the card is told, and subscribes again once it is back.
    await hass.config_entries.async_unload(entry.entry_id)
    assert (await ws.receive_json())["event"] == {"unloaded": True}
    assert entry.entry_id not in hass.data[DATA_MAPS]
    await _not_found(ws, type=f"{DOMAIN}/subscribe_topology")


async def test_lone_router_topology(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    """A router without nodes is the one node; every connected client is under it."""
    router = await router_factory(profile="smartwifi", password=PASSWORD, clients=12)
    entry = await setup_integration(router)
    ws = await hass_ws_client(hass)

    topology = await _result(ws, type=f"{DOMAIN}/topology")

    assert topology["mesh"] is False
    (node,) = topology["nodes"]
    assert node["name"] == entry.title
    assert node["entity_id"] is not None
    connected = [c for c in topology["clients"] if c["connected"]]
    assert node["clients"] == len(connected) > 0
    assert all(c["node"] == node["id"] for c in connected)
    assert {c["band"] for c in connected if c["wireless"]} <= {"2.4GHz", "5GHz"}
    # Clients the router knows but never saw connected since start have no node.
    offline = [c for c in topology["clients"] if not c["connected"]]
    assert offline, "the simulator generates offline clients"
    assert all(c["node"] is None for c in offline)
    assert all(c["entity_id"] for c in topology["clients"])

    await _not_found(ws, type=f"{DOMAIN}/topology", entry_id="nope")


async def test_card_is_served_and_loaded(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    """With the frontend running, the integration serves its card and loads it on every page."""
    assert await async_setup_component(hass, "frontend", {})
    router = await router_factory(profile="smartwifi", password=PASSWORD, clients=2)
    await setup_integration(router)

    (url,) = [u for u in hass.data[DATA_EXTRA_MODULE_URL].urls if CARD_URL in u]
    assert url.startswith(f"{CARD_URL}?v=")
    client = await hass_client()
    resp = await client.get(CARD_URL)
    assert resp.status == 200
    text = await resp.text()
    assert "customElements.define(CARD, LinksysNetworkCard)" in text
    assert "linksys_jnap/subscribe_topology" in text


def test_readme_dashboard_is_the_demo_s() -> None:
    """The README's Network dashboard YAML is what scripts/demo creates (for one router)."""
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("### A ready Network dashboard", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    shown = yaml.safe_load(block)
    router = {
        key: entity_id
        for card in (c for s in shown["views"][0]["sections"] for c in s["cards"])
        if (entity_id := card.get("entity"))
        for key in [_key_of(entity_id)]
    }
    router["network_events"] = "event.linksys_mx4200_network_events"
    trackers = next(
        c["entities"]
        for s in shown["views"][0]["sections"]
        for c in s["cards"]
        if c["type"] == "entities"
    )
    expected = network_dashboard(RouterEntities("", router=router, trackers=trackers))
    assert shown == expected


def _key_of(entity_id: str) -> str:
    """Return the translation key of a demo router's entity id (linksys_mx4200_<name>)."""
    names = {
        "guest_wi_fi": "guest_wifi",
        "guest_wi_fi_turns_off": "guest_wifi_ends",
        "guest_wi_fi_qr_code": "guest_wifi_qr_code",
    }
    name = entity_id.split(".", 1)[1].removeprefix("linksys_mx4200_")
    return names.get(name, name)


@pytest.mark.parametrize("path", RECORDINGS, ids=recording_id)
async def test_real_routers_map(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    replay_router_factory: ReplayRouterFactory,
    path: Path,
) -> None:
    """Every recorded router: one root (the router), each live client under a node."""
    recording = json.loads(path.read_text())  # noqa: ASYNC240 - a small fixture file
    router = await replay_router_factory(recording, password=PASSWORD)
    entry = entry_at(router.host, recording_serial(recording))
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    ws = await hass_ws_client(hass)

    topology = await _result(ws, type=f"{DOMAIN}/topology")

    nodes = _by_id(topology["nodes"])
    (root,) = [n for n in topology["nodes"] if n["parent"] is None]
    assert root is topology["nodes"][0]
    assert root["primary"] is True
    for node in topology["nodes"]:
        # Every node reaches the root.
        seen, key = set(), node["id"]
        while nodes[key]["parent"] is not None:
            assert key not in seen, f"a cycle through {key}"
            seen.add(key)
            key = nodes[key]["parent"]
        assert key == root["id"]
    connected = [c for c in topology["clients"] if c["connected"]]
    assert connected
    assert all(c["node"] in nodes for c in connected)
    assert sum(n["clients"] for n in topology["nodes"]) == len(connected)
    counts = coordinator_of(entry).data.client_counts
    assert len(connected) == counts.connected
    assert topology["mesh"] is (len(topology["nodes"]) > 1)
