"""Device registry bookkeeping, and the one place unique ids and identifiers are composed.

The router is the device ``(DOMAIN, <serial>)``; each client and each mesh satellite is
``(DOMAIN, "<serial>_<deviceID>")`` linked to it; entity unique ids are ``<serial>_<key>``
for the router's and ``<serial>_<deviceID>_<key>`` for a client's or a satellite's (the
primary node's entities are the router's: ``<serial>_<deviceID>_<key>`` on its device).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo

from .const import DOMAIN, MANUFACTURER
from .jnap import DeviceInfo as RouterInfo
from .snapshot import ClientView, NodeView


def router_unique_id(serial: str, key: str) -> str:
    """Return the unique id of a router entity."""
    return f"{serial}_{key}"


def client_unique_id(serial: str, device_id: str, key: str) -> str:
    """Return the unique id of a client entity."""
    return f"{serial}_{device_id}_{key}"


def port_rule_unique_id(serial: str, rule_key: str) -> str:
    """Return the unique id of a port rule's switch (``PortRule.key``: kind, ports)."""
    return f"{serial}_port_rule_{rule_key}"


def client_identifier(serial: str, device_id: str) -> tuple[str, str]:
    """Device registry identifier of a client."""
    return (DOMAIN, f"{serial}_{device_id}")


def client_key_of(serial: str, identifier: tuple[str, str]) -> str | None:
    """Return the client's ``deviceID`` from its identifier (None: not a client's)."""
    domain, value = identifier
    prefix = f"{serial}_"
    if domain != DOMAIN or not value.startswith(prefix):
        return None
    return value[len(prefix) :]


def router_title(router: RouterInfo) -> str:
    """Config entry title: the router's description and model."""
    description = (router.description or "").strip()
    model = (router.model_number or "").strip()
    if description and model and model not in description:
        return f"{description} {model}"
    return description or model or f"{MANUFACTURER} router"


def router_device_info(
    router: RouterInfo, *, configuration_url: str, macs: Iterable[str] = ()
) -> DeviceInfo:
    """Device registry info of the router."""
    assert router.serial_number is not None
    manufacturer = router.manufacturer or MANUFACTURER
    model = (router.description or router.model_number or "").strip()
    if model.lower().startswith(manufacturer.lower() + " "):
        model = model[len(manufacturer) + 1 :]
    info = DeviceInfo(
        identifiers={(DOMAIN, router.serial_number)},
        manufacturer=manufacturer,
        model=model or None,
        model_id=router.model_number,
        name=" ".join(p for p in (manufacturer, router.model_number) if p),
        serial_number=router.serial_number,
        sw_version=router.firmware_version,
        hw_version=router.hardware_version,
        configuration_url=configuration_url,
    )
    if connections := {(dr.CONNECTION_NETWORK_MAC, mac) for mac in macs}:
        info["connections"] = connections
    return info


class ClientDevices:
    """The devices of one router's clients in the device registry.

    Registers a client's device when it is new or its details changed (before its entities
    are added, so Home Assistant enables its tracker), and removes devices and entities of
    clients the router deleted.
    """

    def __init__(self, hass: HomeAssistant, entry_id: str, serial: str) -> None:
        """Bookkeeping for one config entry."""
        self._hass = hass
        self._entry_id = entry_id
        self._serial = serial
        self.router_device_id: str | None = None
        """Device registry id of the router (set at setup; client devices link to it)."""
        self._known: dict[str, tuple[tuple[object, ...], str]] = {}
        """Client key -> (what we registered, device id)."""

    def identifier(self, device_id: str) -> tuple[str, str]:
        """Device registry identifier of a client."""
        return client_identifier(self._serial, device_id)

    def _via_router(self, info: DeviceInfo) -> DeviceInfo:
        if self.router_device_id is not None:
            info["via_device_id"] = self.router_device_id
        return info

    def info(self, client: ClientView) -> DeviceInfo:
        """Device registry info of a client, linked to the router."""
        return self._via_router(
            DeviceInfo(
                identifiers={self.identifier(client.key)},
                connections={(dr.CONNECTION_NETWORK_MAC, m) for m in client.macs},
                name=client.name,
                manufacturer=client.manufacturer,
                model=client.model,
                # A computer once shown as a node (issue 24) leaves the node's behind.
                serial_number=None,
                sw_version=None,
            )
        )

    def node_info(self, node: NodeView) -> DeviceInfo:
        """Device registry info of a satellite, linked to the router (the primary)."""
        return self._via_router(
            DeviceInfo(
                identifiers={self.identifier(node.key)},
                connections={(dr.CONNECTION_NETWORK_MAC, m) for m in node.macs},
                name=node.name,
                manufacturer=MANUFACTURER,
                model=node.model,
                serial_number=node.serial,
                sw_version=node.firmware,
            )
        )

    @callback
    def async_register_nodes(self, nodes: Mapping[str, NodeView]) -> None:
        """Create or update the devices of the mesh's satellites."""
        if self.router_device_id is None:
            return
        dev_reg = dr.async_get(self._hass)
        for node in nodes.values():
            if node.is_primary:
                continue
            shown: tuple[object, ...] = (
                node.name,
                node.model,
                node.serial,
                node.firmware,
                node.macs,
            )
            known = self._known.get(node.key)
            if known is not None and known[0] == shown and dev_reg.async_get(known[1]):
                continue
            device = dev_reg.async_get_or_create(
                config_entry_id=self._entry_id, **self.node_info(node)
            )
            self._known[node.key] = (shown, device.id)

    @callback
    def async_register(
        self, clients: Mapping[str, ClientView], keys: Iterable[str] | None = None
    ) -> None:
        """Create the devices of new clients and update renamed ones (``keys``: only these).

        Home Assistant enables a client's tracker only if a device with its MAC exists
        when the tracker is added; otherwise it enables it later by reloading the entry.
        """
        if self.router_device_id is None:
            return  # first refresh: setup calls this again once the router device exists
        for key in clients if keys is None else keys:
            if (client := clients.get(key)) is not None:
                self._async_register_one(client)

    @callback
    def _async_register_one(self, client: ClientView) -> str:
        shown = (client.name, client.manufacturer, client.model, client.macs)
        dev_reg = dr.async_get(self._hass)
        if (known := self._known.get(client.key)) is not None and (
            known[0] == shown
            # Removed by the user: it comes back with the client after a reload.
            or dev_reg.async_get(known[1]) is None
        ):
            return known[1]
        device = dev_reg.async_get_or_create(
            config_entry_id=self._entry_id, **self.info(client)
        )
        self._known[client.key] = (shown, device.id)
        return device.id

    @callback
    def async_entry_for(self, client: ClientView) -> dr.AnyDeviceEntry | None:
        """Return the client's device, for its entities to attach to without device info.

        Saves Home Assistant a device registry update per entity at every start (five
        entities per client, most of them disabled).
        """
        return dr.async_get(self._hass).async_get(self._async_register_one(client))

    @callback
    def async_registered_keys(self) -> set[str]:
        """Return the ``deviceID`` of every client or satellite device of this entry."""
        dev_reg = dr.async_get(self._hass)
        return {
            key
            for device in dr.async_entries_for_config_entry(dev_reg, self._entry_id)
            for identifier in device.identifiers
            if (key := client_key_of(self._serial, identifier)) is not None
        }

    @callback
    def async_remove(self, keys: Iterable[str]) -> None:
        """Drop the entities and devices of clients (or satellites) the router deleted.

        Entities are found through their device (a forget pass removes dozens of clients
        at once: one scan of every entity per client would cost 60 x 7,000 at 1,000
        clients); only a client without a device needs the scan by unique id.
        """
        dev_reg = dr.async_get(self._hass)
        ent_reg = er.async_get(self._hass)
        orphaned: list[str] = []
        for key in keys:
            self._known.pop(key, None)
            device = dev_reg.async_get_device_by_identifier(
                self.identifier(key), self._entry_id
            )
            if device is None:
                orphaned.append(client_unique_id(self._serial, key, ""))
                continue
            for entity in er.async_entries_for_device(
                ent_reg, device.id, include_disabled_entities=True
            ):
                if entity.config_entry_id == self._entry_id:
                    ent_reg.async_remove(entity.entity_id)
            dev_reg.async_remove_device(device.id)
        if orphaned:
            prefixes = tuple(orphaned)
            for entity in er.async_entries_for_config_entry(ent_reg, self._entry_id):
                if entity.unique_id.startswith(prefixes):
                    ent_reg.async_remove(entity.entity_id)
