"""Binary sensors: WAN connectivity."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass

from .entity import (
    LinksysJnapOnOffEntity,
    LinksysJnapOnOffEntityDescription,
    make_async_setup_entry,
    router_entities,
    supports,
)
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


# Adds the binary sensors the router supports.
async_setup_entry = make_async_setup_entry(
    router_entities(BINARY_SENSORS, LinksysJnapBinarySensor)
)
