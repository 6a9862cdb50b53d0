"""WebSocket commands of the network map card: the topology, and its updates.

``linksys_jnap/topology`` answers once; ``linksys_jnap/subscribe_topology`` sends the
topology at once and again whenever the coordinator's snapshot changes (or a client's
consider_home ends). The card never reads entity states: with 1,000 clients it gets one
message per poll that changed something, built once for every open dashboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.const import ERR_NOT_FOUND
from homeassistant.components.websocket_api.decorators import websocket_command
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey
import probatio

from .const import DOMAIN
from .coordinator import LinksysJnapConfigEntry
from .devices import client_unique_id, router_unique_id
from .presence import WakeUp
from .topology import Topology, build_topology, with_entities

TRACKER_KEY = "tracker"  # device_tracker.TRACKER_KEY (not imported: a platform module)
# The entity a tap on a node opens, in order of preference (the first that exists).
SATELLITE_ENTITIES = (("binary_sensor", "node_online"), ("sensor", "node_clients"))
PRIMARY_ENTITIES = (("sensor", "node_clients"),)
ROUTER_ENTITIES = (("sensor", "clients_connected"), ("sensor", "wan_status"))

DATA_MAPS: HassKey[dict[str, EntryTopology]] = HassKey(f"{DOMAIN}_topology")


@callback
def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register the card's commands."""
    async_register_command(hass, ws_topology)
    async_register_command(hass, ws_subscribe_topology)


def _entity_ids(
    hass: HomeAssistant, entry: LinksysJnapConfigEntry, topology: Topology
) -> Topology:
    registry = er.async_get(hass)
    serial = entry.runtime_data.coordinator.serial

    def find(candidates: Sequence[tuple[str, str]], unique: list[str]) -> str | None:
        for (domain, _), unique_id in zip(candidates, unique, strict=True):
            if entity_id := registry.async_get_entity_id(domain, DOMAIN, unique_id):
                return entity_id
        return None

    trackers = {
        c["id"]: entity_id
        for c in topology["clients"]
        if (
            entity_id := registry.async_get_entity_id(
                "device_tracker",
                DOMAIN,
                client_unique_id(serial, c["id"], TRACKER_KEY),
            )
        )
    }
    nodes: dict[str, str] = {}
    for node in topology["nodes"]:
        candidates: Sequence[tuple[str, str]]
        if node["primary"]:
            candidates = ROUTER_ENTITIES + PRIMARY_ENTITIES
            unique = [router_unique_id(serial, key) for _, key in ROUTER_ENTITIES] + [
                client_unique_id(serial, node["id"], key) for _, key in PRIMARY_ENTITIES
            ]
        else:
            candidates = SATELLITE_ENTITIES
            unique = [
                client_unique_id(serial, node["id"], key)
                for _, key in SATELLITE_ENTITIES
            ]
        if found := find(candidates, unique):
            nodes[node["id"]] = found
    return with_entities(topology, trackers, nodes)


class EntryTopology:
    """The topology of one loaded entry, rebuilt on updates while anyone subscribes."""

    def __init__(self, hass: HomeAssistant, entry: LinksysJnapConfigEntry) -> None:
        """Follow one loaded entry until it unloads."""
        self.hass = hass
        self.entry = entry
        self.coordinator = entry.runtime_data.coordinator
        self.subscribers: dict[tuple[ActiveConnection, int], None] = {}
        self.topology: Topology | None = None
        self._unlisten: CALLBACK_TYPE | None = None
        self._wake = WakeUp(hass, self._async_update)
        entry.async_on_unload(self._async_close)

    def build(self) -> Topology:
        """Build the topology now (the previous one places clients that left)."""
        coordinator = self.coordinator
        topology = build_topology(
            coordinator.data,
            router_name=self.entry.title,
            is_home=coordinator.presence.is_home,
            previous=self.topology,
        )
        topology["entry_id"] = self.entry.entry_id
        topology["title"] = self.entry.title
        topology["available"] = coordinator.last_update_success
        return _entity_ids(self.hass, self.entry, topology)

    @callback
    def async_subscribe(
        self, connection: ActiveConnection, msg_id: int
    ) -> CALLBACK_TYPE:
        """Send the topology now and at every change; return the unsubscribe."""
        key = (connection, msg_id)
        self.subscribers[key] = None
        if self._unlisten is None:
            self._unlisten = self.coordinator.async_add_listener(self._async_update)
            self.topology = self.build()
            self._schedule_expiry()
        assert self.topology is not None
        connection.send_message(event_message(msg_id, self.topology))

        @callback
        def _unsubscribe() -> None:
            self.subscribers.pop(key, None)
            if not self.subscribers and self._unlisten is not None:
                self._unlisten()
                self._unlisten = None
                self._wake.cancel()

        return _unsubscribe

    @callback
    def _async_update(self) -> None:
        topology = self.build()
        self._schedule_expiry()
        if topology == self.topology:
            return
        self.topology = topology
        for connection, msg_id in list(self.subscribers):
            connection.send_message(event_message(msg_id, topology))

    @callback
    def _schedule_expiry(self) -> None:
        """Wake when the next client that left turns away (its consider_home ends)."""
        coordinator = self.coordinator
        now = dt_util.utcnow()
        ends: list[datetime] = [
            until
            for client in coordinator.data.clients.values()
            if not client.connected
            and (until := coordinator.presence.home_until(client.key)) is not None
            and until > now
        ]
        self._wake.at(min(ends, default=None))

    @callback
    def _async_close(self) -> None:
        """Tell the cards the entry unloads (they subscribe again once it is back)."""
        self._wake.cancel()
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None
        for connection, msg_id in list(self.subscribers):
            connection.send_message(event_message(msg_id, {"unloaded": True}))
        self.subscribers.clear()
        maps = self.hass.data.get(DATA_MAPS, {})
        if maps.get(self.entry.entry_id) is self:
            del maps[self.entry.entry_id]


def _entry_topology(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> EntryTopology | None:
    """Return the map of the entry asked for (the first loaded one when none is named)."""
    entries: list[LinksysJnapConfigEntry] = hass.config_entries.async_loaded_entries(
        DOMAIN
    )
    wanted = msg.get("entry_id")
    entry = next(
        (e for e in entries if wanted is None or e.entry_id == wanted),
        None,
    )
    if entry is None or entry.state is not ConfigEntryState.LOADED:
        connection.send_error(
            msg["id"],
            ERR_NOT_FOUND,
            "No loaded Linksys router with that entry_id",
        )
        return None
    maps = hass.data.setdefault(DATA_MAPS, {})
    if (found := maps.get(entry.entry_id)) is None:
        found = maps[entry.entry_id] = EntryTopology(hass, entry)
    return found


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/topology",
        probatio.Optional("entry_id"): str,
    }
)
@callback
def ws_topology(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Answer the topology of a router once."""
    if (found := _entry_topology(hass, connection, msg)) is not None:
        connection.send_result(msg["id"], found.build())


@websocket_command(
    {
        probatio.Required("type"): f"{DOMAIN}/subscribe_topology",
        probatio.Optional("entry_id"): str,
    }
)
@callback
def ws_subscribe_topology(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Send the topology of a router now and whenever it changes."""
    if (found := _entry_topology(hass, connection, msg)) is None:
        return
    connection.send_result(msg["id"])
    connection.subscriptions[msg["id"]] = found.async_subscribe(connection, msg["id"])
