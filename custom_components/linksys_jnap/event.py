"""Network events of the router: clients arriving, leaving, new; the router restarting.

Fired from the difference between snapshots, never from a request of their own. The first
snapshot after a start or reload only sets the baseline, so nothing fires in a burst.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .coordinator import LinksysJnapConfigEntry, LinksysJnapCoordinator
from .entity import LinksysJnapEntity, LinksysJnapEntityDescription, async_add_described
from .jnap import JNAPConnectionError
from .presence import WakeUp
from .snapshot import ClientView, RouterSnapshot, band_option, changed_clients

# Read-only platform: the coordinator does all I/O.
PARALLEL_UPDATES = 0

CLIENT_CONNECTED = "client_connected"
CLIENT_DISCONNECTED = "client_disconnected"
NEW_CLIENT = "new_client"
ROUTER_RESTARTED = "router_restarted"

# Unreachable at least this long, then back: a restart (a reboot takes a minute or more);
# one failed poll (a timeout, a busy answer) is not.
RESTART_OUTAGE = timedelta(seconds=45)


@dataclass(frozen=True, kw_only=True)
class LinksysJnapEventEntityDescription(
    EventEntityDescription, LinksysJnapEntityDescription
):
    """The router's network events."""


NETWORK_EVENTS = LinksysJnapEventEntityDescription(
    key="network_events",
    # Clients need a live presence source.
    supported_fn=lambda c: c.data.presence_source is not None,
    event_types=[CLIENT_CONNECTED, CLIENT_DISCONNECTED, NEW_CLIENT, ROUTER_RESTARTED],
)
EVENTS = (NETWORK_EVENTS,)


def client_event_data(data: RouterSnapshot, client: ClientView) -> dict[str, Any]:
    """Return what an automation needs to know about the client of an event."""
    node = data.node_of(client)
    node_device = None if node is None else data.nodes.get(node)
    return {
        "device_id": client.key,
        "name": client.name,
        "mac": client.connected_mac or client.mac,
        "ip_address": client.ip_address,
        "band": band_option(client.band),
        "guest": client.is_guest,
        "node": None if node_device is None else node_device.name,
    }


def _started_over(previous: RouterSnapshot, data: RouterSnapshot) -> bool:
    """Whether the device list's revision or the uptime went back (a new boot)."""
    if (
        previous.revision is not None
        and data.revision is not None
        and data.revision < previous.revision
    ):
        return True
    before = previous.system.booted_at if previous.system else None
    now = data.system.booted_at if data.system else None
    # The snapshot keeps the boot time while it is the same boot: any move is a new one.
    return before is not None and now is not None and now > before


class LinksysJnapEventEntity(LinksysJnapEntity, EventEntity):
    """The router's network events, in step with the trackers (consider_home applied)."""

    def __init__(
        self,
        coordinator: LinksysJnapCoordinator,
        description: LinksysJnapEventEntityDescription,
    ) -> None:
        """Initialise; the baseline is the snapshot at hand when added."""
        super().__init__(coordinator, description)
        self._home: set[str] = set()
        self._away_at: dict[str, datetime] = {}
        """Clients home while disconnected -> when their consider_home ends."""
        self._first_away: datetime | None = None
        self._macs: set[str] = set()
        self._seen: RouterSnapshot | None = None
        self._down_since: datetime | None = None

    async def async_added_to_hass(self) -> None:
        """Take the first snapshot as the baseline: nothing fires for it."""
        await super().async_added_to_hass()
        self._wake = WakeUp(
            self.hass, lambda: self._evaluate(self.coordinator.data, None)
        )
        self.async_on_remove(self._wake.cancel)
        data = self.coordinator.data
        self._seen = data
        self._home = set()
        self._update_home(data, data.clients.keys(), dt_util.utcnow())
        self._macs = set(data.client_keys_by_mac)
        self._async_schedule_expiry()

    def _update_home(
        self, data: RouterSnapshot, keys: Iterable[str], now: datetime
    ) -> set[str]:
        """Decide again whether these clients are home; return those whose answer moved.

        Only clients whose view changed (or whose consider_home ended) can move: a poll
        never walks every client.
        """
        home, away_at = self._home, self._away_at
        presence = self.coordinator.presence
        moved: set[str] = set()
        for key in keys:
            client = data.clients.get(key)
            away_at.pop(key, None)
            if client is None:
                is_home = False
            elif client.connected:
                is_home = True
            elif (until := presence.home_until(key)) is not None and now < until:
                is_home = True
                away_at[key] = until
            else:
                is_home = False
            if is_home != (key in home):
                moved.add(key)
                if is_home:
                    home.add(key)
                else:
                    home.discard(key)
        return moved

    @callback
    def _handle_coordinator_update(self) -> None:
        """Fire what changed since the last snapshot; write state only for events."""
        now = dt_util.utcnow()
        if not self.coordinator.last_update_success:
            cause = getattr(self.coordinator.last_exception, "__cause__", None)
            # Unreachable (refused, timed out), not answering with an error.
            if self._down_since is None and isinstance(cause, JNAPConnectionError):
                self._down_since = now
            super()._handle_coordinator_update()
            return
        down_since, self._down_since = self._down_since, None
        returned = down_since is not None and now - down_since >= RESTART_OUTAGE
        data = self.coordinator.data
        previous = self._seen
        if returned or (previous is not None and _started_over(previous, data)):
            # Back after an outage, its device list or uptime started over: it restarted.
            self._fire(ROUTER_RESTARTED, {})
        self._seen = data
        self._evaluate(data, previous)
        super()._handle_coordinator_update()

    def _data_key(self) -> Any:
        # Events write their own state; a poll alone writes nothing.
        return None

    def _evaluate(self, data: RouterSnapshot, previous: RouterSnapshot | None) -> None:
        now = dt_util.utcnow()
        # Clients whose consider_home ended, and those whose view changed: no other
        # client's answer can move.
        candidates: set[str] = set()
        if self._first_away is not None and self._first_away <= now:
            candidates.update(k for k, until in self._away_at.items() if until <= now)
        if previous is not None and data.clients is not previous.clients:
            changed = changed_clients(previous.clients, data.clients)
            for key in sorted(changed - previous.clients.keys()):
                if (client := data.clients.get(key)) is not None and not (
                    set(client.macs) <= self._macs
                ):
                    self._fire(NEW_CLIENT, client_event_data(data, client))
            # Only a changed view can bring a MAC not seen before.
            for key in changed:
                if (client := data.clients.get(key)) is not None:
                    self._macs.update(client.macs)
            candidates.update(changed)
        moved = self._update_home(data, candidates, now)
        for key in sorted(moved & self._home):
            self._fire(CLIENT_CONNECTED, client_event_data(data, data.clients[key]))
        for key in sorted(moved - self._home):
            if (gone := data.clients.get(key)) is not None:
                self._fire(CLIENT_DISCONNECTED, client_event_data(data, gone))
        self._async_schedule_expiry()

    def _fire(self, event_type: str, attributes: dict[str, Any]) -> None:
        self._trigger_event(event_type, attributes)
        self.async_write_ha_state()

    @callback
    def _async_schedule_expiry(self) -> None:
        """Wake when the first away client's consider_home ends (as its tracker does)."""
        self._first_away = min(self._away_at.values()) if self._away_at else None
        self._wake.at(self._first_away)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the router's network events entity."""
    async_add_described(entry, async_add_entities, LinksysJnapEventEntity, EVENTS)
