"""The network map: the snapshot's nodes and clients as a tree, for the Lovelace card.

No Home Assistant here: ``websocket.py`` passes presence (the coordinator's ``is_home``)
and entity ids in, and sends what ``build_topology`` returns as JSON. The card draws it
without reading a single entity state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .snapshot import ClientView, NodeView, RouterSnapshot

type Topology = dict[str, Any]


def _backhaul(node: NodeView) -> dict[str, Any] | None:
    """How a satellite reaches its parent (None: the primary, or the router did not say)."""
    link = node.backhaul
    if link is None or link.is_wireless is None:
        return None
    return {
        "type": "wireless" if link.is_wireless else "wired",
        "signal_dbm": link.signal_dbm,
        "speed_mbps": link.speed_mbps,
    }


def _router(snapshot: RouterSnapshot, router_name: str) -> dict[str, Any]:
    """Return the router itself as the root node (its own device record, when listed)."""
    own = next((d for d in snapshot.nodes.values() if d.is_authority), None)
    return {
        "id": own.device_id if own else "router",
        "name": router_name,
        "model": own.model_number if own else None,
        "primary": True,
        "parent": None,
        "online": True,
        "backhaul": None,
    }


def _nodes(snapshot: RouterSnapshot, router_name: str) -> list[dict[str, Any]]:
    """Return the nodes, the primary (the router) first and the only root.

    A mesh whose answering node has no ``nodeType`` (some real MX42 and WHW03 records) has
    no primary among its mesh nodes: the router's own record stands in.
    """
    mesh = sorted(
        snapshot.mesh_nodes().values(), key=lambda n: (not n.is_primary, n.name)
    )
    root = next(
        (
            {
                "id": n.key,
                "name": n.name,
                "model": n.model,
                "primary": True,
                "parent": None,
                "online": n.online,
                "backhaul": None,
            }
            for n in mesh
            if n.is_primary
        ),
        None,
    ) or _router(snapshot, router_name)
    ids = {root["id"], *(n.key for n in mesh)}
    return [root] + [
        {
            "id": node.key,
            "name": node.name,
            "model": node.model,
            "primary": False,
            # A parent the mesh does not hold (or none): the node hangs off the router.
            "parent": node.parent_id
            if node.parent_id in ids and node.parent_id != node.key
            else root["id"],
            "online": node.online,
            "backhaul": _backhaul(node),
        }
        for node in mesh
        if node.key != root["id"]
    ]


def _client(
    snapshot: RouterSnapshot, client: ClientView, node: str | None, home: bool
) -> dict[str, Any]:
    link = snapshot.link(client)
    return {
        "id": client.key,
        "name": client.name,
        "node": node,
        "connected": client.connected,
        "home": home,
        "band": client.band,
        "signal_dbm": link.signal_dbm if link is not None else None,
        "guest": bool(client.is_guest),
        "wireless": client.is_wireless,
        "ip": client.ip_address,
    }


def build_topology(
    snapshot: RouterSnapshot,
    *,
    router_name: str,
    is_home: Callable[[str], bool],
    previous: Topology | None = None,
) -> Topology:
    """Return the router, its nodes and every client with its node and presence.

    A client that left stays under the node it was last seen on (from ``previous``, the
    last topology sent); one never seen connected since start has no node.
    """
    nodes = _nodes(snapshot, router_name)
    node_ids = {n["id"] for n in nodes}
    primary = nodes[0]["id"]
    mesh = len(nodes) > 1
    last: Mapping[str, str | None] = (
        {c["id"]: c["node"] for c in previous["clients"]} if previous else {}
    )
    clients = []
    for client in snapshot.clients.values():
        if client.connected:
            node = snapshot.node_of(client) if mesh else primary
            if node not in node_ids:
                node = primary
        else:
            node = last.get(client.key)
            if node not in node_ids:
                node = None
        clients.append(_client(snapshot, client, node, is_home(client.key)))
    clients.sort(key=lambda c: (not c["connected"], c["name"].casefold(), c["id"]))
    # The counts are the rows drawn under each node (on a mesh, the node sensors' counts).
    counts = dict.fromkeys(node_ids, 0)
    for row in clients:
        if row["connected"]:
            counts[row["node"]] += 1
    for node in nodes:
        node["clients"] = counts[node["id"]]
    return {"mesh": mesh, "nodes": nodes, "clients": clients}


def with_entities(
    topology: Topology,
    trackers: Mapping[str, str],
    node_entities: Mapping[str, str],
) -> Topology:
    """Add the entity the card opens on a tap: a client's tracker, an entity of a node."""
    for node in topology["nodes"]:
        node["entity_id"] = node_entities.get(node["id"])
    for client in topology["clients"]:
        client["entity_id"] = trackers.get(client["id"])
    return topology
