"""Binary sensors: WAN connectivity, and whether each mesh satellite is online."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import LinksysJnapConfigEntry
from .entity import (
    LinksysJnapEntityDescription,
    LinksysJnapNodeEntity,
    LinksysJnapOnOffEntity,
    LinksysJnapOnOffEntityDescription,
    async_add_node_entities,
    supports,
)
from .jnap.actions import GET_WAN_STATUS
from .snapshot import NodeView

# Read-only platform: the coordinator does all I/O.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class LinksysJnapBinarySensorEntityDescription(
    BinarySensorEntityDescription, LinksysJnapOnOffEntityDescription
):
    """A router binary sensor: on/off from the snapshot, created when the router can."""


BINARY_SENSORS: tuple[LinksysJnapBinarySensorEntityDescription, ...] = (
    LinksysJnapBinarySensorEntityDescription(
        key="wan_connectivity",
        translation_key="wan_connectivity",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        is_on_fn=lambda d: d.wan_status.is_connected if d.wan_status else None,
        present_fn=lambda d: d.wan_status is not None,
        supported_fn=lambda c: supports(c, GET_WAN_STATUS),
    ),
)


@dataclass(frozen=True, kw_only=True)
class LinksysJnapNodeBinarySensorEntityDescription(
    BinarySensorEntityDescription, LinksysJnapEntityDescription
):
    """A mesh node's binary sensor (satellites only: the primary is the router)."""

    node_is_on_fn: Callable[[NodeView], bool | None]


NODE_BINARY_SENSORS: tuple[LinksysJnapNodeBinarySensorEntityDescription, ...] = (
    LinksysJnapNodeBinarySensorEntityDescription(
        key="node_online",
        translation_key="node_online",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        node_is_on_fn=lambda node: node.online,
    ),
)


class LinksysJnapBinarySensor(LinksysJnapOnOffEntity, BinarySensorEntity):
    """A binary sensor of the router."""

    entity_description: LinksysJnapBinarySensorEntityDescription


class LinksysJnapNodeBinarySensor(LinksysJnapNodeEntity, BinarySensorEntity):
    """A binary sensor of one mesh satellite."""

    entity_description: LinksysJnapNodeBinarySensorEntityDescription

    def _data_key(self) -> Any:
        return self.is_on

    @property
    def is_on(self) -> bool | None:
        """From the node's record in the last snapshot."""
        node = self.node
        return None if node is None else self.entity_description.node_is_on_fn(node)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors the router supports, and one per mesh satellite."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        LinksysJnapBinarySensor(coordinator, description)
        for description in BINARY_SENSORS
        if description.supported_fn(coordinator)
    )
    async_add_node_entities(
        entry,
        async_add_entities,
        lambda node: (
            []
            if node.is_primary
            else [
                LinksysJnapNodeBinarySensor(coordinator, description, node)
                for description in NODE_BINARY_SENSORS
            ]
        ),
    )
