"""Presence of the router's clients (one tracker per client as the router groups it)."""

from __future__ import annotations

from typing import Any

from homeassistant.components.device_tracker.entity import ScannerEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import LinksysJnapConfigEntry, LinksysJnapCoordinator
from .devices import client_unique_id
from .entity import CLIENTS, async_add_entities_for
from .listeners import ClientContext
from .snapshot import ClientView, RouterSnapshot

# Read-only platform: the coordinator does all I/O.
PARALLEL_UPDATES = 0

TRACKER_KEY = "tracker"


class LinksysJnapTracker(CoordinatorEntity[LinksysJnapCoordinator], ScannerEntity):
    """Home while any MAC of the client is connected, or seen less than consider_home ago."""

    # The main feature of the client's device (registered by the coordinator before
    # trackers are added, and attached through device_entry), so it carries its name.
    _attr_has_entity_name = True
    _attr_name = None
    # 2026.10 types it None (trackers had no device info); 2026.11 declares the same.
    _attr_device_info: DeviceInfo | None  # type: ignore[assignment]

    def __init__(self, coordinator: LinksysJnapCoordinator, client: ClientView) -> None:
        """Track one client."""
        # Updated when its client (or a router-level part) changed, not for every client.
        super().__init__(coordinator, ClientContext(client.key))
        self.client_key = client.key
        self._tracker_unique_id = client_unique_id(
            coordinator.serial, client.key, TRACKER_KEY
        )
        self._attr_mac_address = client.mac
        self.device_entry = coordinator.devices.async_entry_for(client)
        # Home Assistant 2026.11 reads a tracker's device from its device info (the client's,
        # MAC connections included: the same device, no duplicate) and warns without one;
        # 2026.10 ignores it (device_info is final there) and keeps device_entry.
        self._attr_device_info = coordinator.devices.info(client)
        self._written: Any = None
        self._link_of: RouterSnapshot | None = None
        self._link: tuple[tuple[str, str], ...] = ()
        self._apply(client)
        # ScannerEntity names the device after `hostname` when it links it, as the tracker
        # is added: offer the client's name then (no rename back and forth at each start);
        # the host name is shown from the first state on.
        self._attr_hostname = client.name

    @property
    def unique_id(self) -> str:
        """Serial, client ID and key: stable across restarts and MAC changes."""
        return self._tracker_unique_id

    @property
    def entity_registry_enabled_default(self) -> bool:
        """Enabled, as the main entity of its client's device, on every release.

        2026.10 enabled a tracker whose MAC a device carries (its client's always does);
        2026.11 disables every ScannerEntity by default.
        """
        return True

    @property
    def client(self) -> ClientView | None:
        """The client in the last snapshot."""
        return self.coordinator.data.clients.get(self.client_key)

    @property
    def available(self) -> bool:
        """Available while the router answers and still lists the client."""
        return super().available and self.client is not None

    @property
    def is_connected(self) -> bool:
        """Home (consider_home applied to the last-seen times, ``presence.py``)."""
        return self.coordinator.presence.is_home(self.client_key)

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Link type, band and network while connected.

        Signal and link rate change at nearly every poll: they are sensors of their own,
        so the tracker (and the recorder) is written only when presence or the link does.
        """
        return dict(self._link_attributes())

    def _link_attributes(self) -> tuple[tuple[str, str], ...]:
        # A write reads them twice (fingerprint, attributes): once per snapshot.
        data = self.coordinator.data
        if self._link_of is not data:
            self._link_of, self._link = data, self._link_attributes_of(data)
        return self._link

    def _link_attributes_of(self, data: RouterSnapshot) -> tuple[tuple[str, str], ...]:
        client = data.clients.get(self.client_key)
        if client is None or not client.connected:
            return ()
        attributes: list[tuple[str, str]] = []
        if client.is_wireless is not None:
            attributes.append(
                ("connection_type", "wireless" if client.is_wireless else "wired")
            )
        if client.band is not None:
            attributes.append(("band", client.band))
        if client.is_guest is not None:
            attributes.append(("network", "guest" if client.is_guest else "main"))
        node = data.node_of(client)
        if node is not None and (device := data.nodes.get(node)) is not None:
            attributes.append(("node", device.name))
        return tuple(attributes)

    def _apply(self, client: ClientView) -> None:
        self._attr_ip_address = client.ip_address
        self._attr_hostname = client.host_name

    async def async_added_to_hass(self) -> None:
        """Schedule the end of consider_home when needed."""
        await super().async_added_to_hass()
        if (client := self.client) is not None:
            self._apply(client)
        wake_ups = self.coordinator.presence.wake_ups
        self.async_on_remove(lambda: wake_ups.cancel(self))
        self._written = self._fingerprint()
        self._async_schedule_expiry()

    def _fingerprint(self) -> tuple[Any, ...]:
        # What the state shows: a new signal or link rate alone writes nothing.
        return (
            self.available,
            self.is_connected,
            self._attr_ip_address,
            self._attr_hostname,
            self._link_attributes(),
        )

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
    def _async_schedule_expiry(self) -> None:
        """Turn away exactly when consider_home ends, not at the next poll."""
        client = self.client
        if client is None or client.connected:
            self.coordinator.presence.wake_ups.cancel(self)
            return
        presence = self.coordinator.presence
        presence.wake_ups.at(
            self, presence.home_until(self.client_key), self._handle_coordinator_update
        )


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a tracker per client, now and whenever a new client appears.

    None when the router has only stale v1 device connections (presence would lie).
    """
    coordinator = entry.runtime_data.coordinator
    if coordinator.data.presence_source is None:
        return
    async_add_entities_for(
        entry,
        async_add_entities,
        CLIENTS,
        lambda client: [LinksysJnapTracker(coordinator, client)],
    )
