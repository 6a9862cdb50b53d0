"""Presence of the router's clients (one tracker per client as the router groups it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.components.device_tracker.entity import ScannerEntity
from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import dt as dt_util

from .coordinator import ClientInfo, LinksysJnapCoordinator
from .entity import make_async_setup_entry

# Read-only platform: the coordinator does all I/O.
PARALLEL_UPDATES = 0

TRACKER_KEY = "tracker"


class LinksysJnapTracker(CoordinatorEntity[LinksysJnapCoordinator], ScannerEntity):
    """Home while any MAC of the client is connected, or seen less than consider_home ago."""

    # The main feature of the client's device (which the coordinator registers before
    # trackers are added), so it carries the device's name.
    _attr_has_entity_name = True
    _attr_name = None

    def __init__(self, coordinator: LinksysJnapCoordinator, client: ClientInfo) -> None:
        """Track one client."""
        super().__init__(coordinator)
        self.client_key = client.key
        self._tracker_unique_id = f"{coordinator.serial}_{client.key}_{TRACKER_KEY}"
        self._attr_mac_address = client.mac
        self._expiry_unsub: CALLBACK_TYPE | None = None
        self._written: Any = None
        self._apply(client)

    @property
    def unique_id(self) -> str:
        """Serial, client ID and key: stable across restarts and MAC changes."""
        return self._tracker_unique_id

    @property
    def suggested_object_id(self) -> str | None:
        """Name the entity id after the client (trackers get no device_info of their own)."""
        client = self.client
        return client.name if client is not None else None

    @property
    def client(self) -> ClientInfo | None:
        """The client in the last snapshot."""
        return self.coordinator.data.clients.get(self.client_key)

    @property
    def available(self) -> bool:
        """Available while the router answers and still lists the client."""
        return super().available and self.client is not None

    @property
    def is_connected(self) -> bool:
        """Home (consider_home applied by the coordinator's last-seen times)."""
        return self.coordinator.is_home(self.client_key)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Band, signal, network and link type while connected."""
        client = self.client
        if client is None or not client.connected:
            return {}
        attributes: dict[str, Any] = {}
        if client.is_wireless is not None:
            attributes["connection_type"] = (
                "wireless" if client.is_wireless else "wired"
            )
        if client.band is not None:
            attributes["band"] = client.band
        if client.signal_dbm is not None:
            attributes["signal_strength"] = client.signal_dbm
        if client.is_guest is not None:
            attributes["network"] = "guest" if client.is_guest else "main"
        return attributes

    def _apply(self, client: ClientInfo) -> None:
        self._attr_ip_address = client.ip_address
        self._attr_hostname = client.host_name

    async def async_added_to_hass(self) -> None:
        """Schedule the end of consider_home when needed."""
        await super().async_added_to_hass()
        # ScannerEntity renames the client's device after its host name when linking to it;
        # put back what the router calls the client (its user-given name, model...).
        if (client := self.client) is not None and self.platform.config_entry:
            dr.async_get(self.hass).async_get_or_create(
                config_entry_id=self.platform.config_entry.entry_id,
                **self.coordinator.client_device_info(client),
            )
        self.async_on_remove(self._async_cancel_expiry)
        self._written = self._fingerprint()
        self._async_schedule_expiry()

    def _fingerprint(self) -> tuple[Any, ...]:
        return (self.available, self.is_connected, self.client)

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write state only when this client's view changed."""
        if (client := self.client) is not None:
            self._apply(client)
        self._async_schedule_expiry()
        if (fingerprint := self._fingerprint()) == self._written:
            return
        self._written = fingerprint
        self.async_write_ha_state()

    @callback
    def _async_cancel_expiry(self) -> None:
        if self._expiry_unsub is not None:
            self._expiry_unsub()
            self._expiry_unsub = None

    @callback
    def _async_schedule_expiry(self) -> None:
        """Turn away exactly when consider_home ends, not at the next poll."""
        self._async_cancel_expiry()
        client = self.client
        if client is None or client.connected:
            return
        expiry = self.coordinator.home_until(self.client_key)
        if expiry is not None and expiry > dt_util.utcnow():
            self._expiry_unsub = async_track_point_in_utc_time(
                self.hass, self._async_expired, expiry
            )

    @callback
    def _async_expired(self, _now: datetime) -> None:
        self._expiry_unsub = None
        self._handle_coordinator_update()


# Adds a tracker per client, now and whenever a new client appears; none when the
# router has only stale v1 device connections (presence would lie).
async_setup_entry = make_async_setup_entry(
    clients=lambda coordinator: (
        None
        if coordinator.data.presence_source is None
        else lambda coordinator, client: [LinksysJnapTracker(coordinator, client)]
    )
)
