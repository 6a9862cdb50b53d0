"""Who is connected, where, from which source: jnap/presence.py alone (no Home Assistant)."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.linksys_jnap.jnap import (
    Device,
    JNAPConnectionError,
    NetworkConnection,
    PollResult,
)
from custom_components.linksys_jnap.jnap.presence import (
    PRESENCE_DEVICE_LIST,
    PRESENCE_NETWORK_CONNECTIONS,
    PRESENCE_NODE_CONNECTIONS,
    ClientPresence,
    ConnectionLists,
    client_presence,
    device_list_connection,
    is_mesh_node,
    live_connection,
    merge_connections,
    node_of,
    presence_sources,
    primary_node,
    same_link,
)

V3, V1 = "devicelist/GetDevices3", "devicelist/GetDevices"
PHONE, LAPTOP, PRINTER = "AA:00:00:00:00:01", "AA:00:00:00:00:02", "AA:00:00:00:00:03"


def _conn(mac: str, *, band: str | None = "5GHz", **more: Any) -> NetworkConnection:
    wireless = None if band is None else {"band": band, "signalDecibels": -50, **more}
    return NetworkConnection.from_json(
        {"macAddress": mac, "negotiatedMbps": 866, "wireless": wireless},
        node_id=more.get("node"),
    )


def _device(
    device_id: str,
    interfaces: list[tuple[str, str, str | None]],
    connections: list[dict[str, Any]] | None = None,
    **record: Any,
) -> Device:
    """Return a record with ``(mac, interfaceType, band)`` interfaces and connections."""
    return Device.from_json(
        {
            "deviceID": device_id,
            "model": {"deviceType": record.pop("device_type", "Computer")},
            "unit": {},
            "isAuthority": record.pop("authority", False),
            "knownInterfaces": [
                {"macAddress": mac, "interfaceType": kind, "band": band}
                for mac, kind, band in interfaces
            ],
            "connections": connections or [],
            **record,
        }
    )


@pytest.mark.parametrize(
    ("lists", "action", "expected"),
    [
        # The device list alone is presence from v3 on; v1 connections are stale.
        ((), V3, {PRESENCE_DEVICE_LIST}),
        ((), V1, set()),
        ((), None, set()),
        # Beside the nodes' station lists it adds wired clients of satellites.
        (
            (PRESENCE_NODE_CONNECTIONS,),
            V3,
            {PRESENCE_NODE_CONNECTIONS, PRESENCE_DEVICE_LIST},
        ),
        # Beside the router's own list alone it adds nothing.
        ((PRESENCE_NETWORK_CONNECTIONS,), V3, {PRESENCE_NETWORK_CONNECTIONS}),
        (
            (PRESENCE_NETWORK_CONNECTIONS, PRESENCE_NODE_CONNECTIONS),
            V1,
            {PRESENCE_NETWORK_CONNECTIONS, PRESENCE_NODE_CONNECTIONS},
        ),
    ],
)
def test_sources(
    lists: tuple[str, ...], action: str | None, expected: set[str]
) -> None:
    assert presence_sources(set(lists), action) == expected


def test_the_nodes_entry_wins_the_merge() -> None:
    own = (_conn(PHONE, band="2.4GHz"), _conn(LAPTOP, band=None))
    nodes = (_conn(PHONE, node="satellite"),)
    merged = merge_connections(own, nodes)
    assert merged[PHONE] is nodes[0]
    assert merged[LAPTOP] is own[1]
    assert merge_connections(None, None) == {}


def test_connection_lists_keep_a_failed_lists_last_answer() -> None:
    lists = ConnectionLists()
    own = (_conn(PHONE),)
    sources, merged = lists.update(PollResult(connections=own), V3)
    assert sources == {PRESENCE_NETWORK_CONNECTIONS}
    assert merged == {PHONE: own[0]}
    # The same answer again: the same map (an idle poll rebuilds nothing).
    assert lists.update(PollResult(connections=own), V3)[1] is merged
    # A failed read keeps the last answer; a list the router no longer sends is gone.
    failed = PollResult(errors={"connections": JNAPConnectionError("boom")})
    assert lists.update(failed, V3) == (sources, merged)
    assert lists.update(PollResult(), V3) == ({PRESENCE_DEVICE_LIST}, None)
    assert lists.update(failed, V3) == ({PRESENCE_DEVICE_LIST}, None)
    # The nodes' lists likewise, and the router's own list beside them still counts.
    nodes = (_conn(PHONE, node="satellite"),)
    both = PollResult(connections=own, node_connections=nodes)
    sources, merged = lists.update(both, V3)
    assert merged == {PHONE: nodes[0]}
    nodes_failed = PollResult(
        connections=own, errors={"node_connections": JNAPConnectionError("boom")}
    )
    assert lists.update(nodes_failed, V3) == (sources, merged)
    assert sources == {
        PRESENCE_NETWORK_CONNECTIONS,
        PRESENCE_NODE_CONNECTIONS,
        PRESENCE_DEVICE_LIST,
    }


def test_presence_from_a_live_connection() -> None:
    laptop = _device(
        "laptop",
        [(PRINTER, "Wired", None), (LAPTOP, "Wireless", "5GHz")],
        [{"macAddress": LAPTOP, "ipAddress": "192.168.1.20", "parentDeviceID": "sat"}],
    )
    connections = merge_connections((_conn(LAPTOP, band="6GHz", isGuest=True),), ())
    live = live_connection(laptop, connections)
    assert live is connections[LAPTOP]
    presence = client_presence(laptop, live, frozenset({PRESENCE_NETWORK_CONNECTIONS}))
    # The live entry decides; the device list adds the address and, lacking a node in
    # the entry, its parent.
    assert presence == ClientPresence(
        connected=True,
        mac=LAPTOP,
        ip_address="192.168.1.20",
        band="6GHz",
        is_guest=True,
        is_wireless=True,
        node_id="sat",
    )
    assert live_connection(laptop, {}) is None
    assert live_connection(laptop, None) is None


def test_presence_from_the_device_list() -> None:
    tv = _device(
        "tv",
        [(PHONE, "Wireless", "5GHz"), (PRINTER, "Wired", None)],
        [
            {"macAddress": PHONE, "ipAddress": "192.168.1.5", "isGuest": False},
            {"macAddress": PRINTER, "ipAddress": "192.168.1.6", "parentDeviceID": "s"},
        ],
    )
    alone = frozenset({PRESENCE_DEVICE_LIST})
    assert client_presence(tv, None, alone) == ClientPresence(
        connected=True,
        mac=PHONE,
        ip_address="192.168.1.5",
        band="5GHz",
        is_guest=False,
        is_wireless=True,
    )
    # Beside the nodes' lists only a wired, non-guest connection counts.
    beside = frozenset({PRESENCE_NODE_CONNECTIONS, PRESENCE_DEVICE_LIST})
    listed = device_list_connection(tv, beside)
    assert listed is not None
    assert listed.mac == PRINTER
    presence = client_presence(tv, None, beside)
    assert (presence.mac, presence.is_wireless, presence.node_id) == (
        PRINTER,
        False,
        "s",
    )
    # Not a source (v1, or beside the router's own list): away.
    assert not client_presence(tv, None, frozenset()).connected
    guest = _device(
        "guest",
        [(LAPTOP, "Wired", None)],
        [{"macAddress": LAPTOP, "isGuest": True}],
    )
    assert device_list_connection(guest, beside) is None


def test_same_link_ignores_metrics_only() -> None:
    old = _conn(PHONE)
    assert same_link(old, old)
    assert same_link(old, _conn(PHONE, signalDecibels=-70))
    assert not same_link(old, _conn(PHONE, band="2.4GHz"))
    assert not same_link(old, None)
    assert not same_link(None, old)


def test_nodes_of_a_mesh() -> None:
    master = _device(
        "master", [], authority=True, device_type="Infrastructure", nodeType="Master"
    )
    satellite = _device("sat", [], device_type="Infrastructure", nodeType="Slave")
    lone = _device("router", [], authority=True, device_type="Infrastructure")
    assert is_mesh_node(master)
    assert is_mesh_node(satellite)
    assert not is_mesh_node(lone)
    nodes = {"master": master, "sat": satellite}
    assert primary_node(nodes) == "master"
    assert primary_node({"router": lone}) is None
    on_sat = ClientPresence(connected=True, node_id="sat")
    assert node_of(on_sat, nodes, "master") == "sat"
    # A node the list does not hold, or none named: the answering node's.
    assert node_of(ClientPresence(connected=True, node_id="gone"), nodes, "master") == (
        "master"
    )
    assert node_of(ClientPresence(connected=True), nodes, "master") == "master"
    assert node_of(ClientPresence(connected=False, node_id="sat"), nodes, "x") is None
