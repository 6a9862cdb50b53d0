"""Binary sensors: WAN connectivity."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import LinksysJnapConfigEntry
from .entity import LinksysJnapOnOffEntity, LinksysJnapOnOffEntityDescription, supports
from .jnap.actions import GET_WAN_STATUS

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


class LinksysJnapBinarySensor(LinksysJnapOnOffEntity, BinarySensorEntity):
    """A binary sensor of the router."""

    entity_description: LinksysJnapBinarySensorEntityDescription


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors the router supports."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        LinksysJnapBinarySensor(coordinator, description)
        for description in BINARY_SENSORS
        if description.supported_fn(coordinator)
    )
