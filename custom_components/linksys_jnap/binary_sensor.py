"""Binary sensors: WAN connectivity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass

from .coordinator import LinksysJnapCoordinator, LinksysJnapData
from .entity import LinksysJnapEntity, make_async_setup_entry, router_entities, supports
from .jnap.actions import GET_WAN_STATUS

# Read-only platform: the coordinator does all I/O.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class LinksysJnapBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A router binary sensor: on/off from the snapshot, created when the router can."""

    is_on_fn: Callable[[LinksysJnapData], bool | None]
    present_fn: Callable[[LinksysJnapData], bool]
    supported_fn: Callable[[LinksysJnapCoordinator], bool]


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


class LinksysJnapBinarySensor(LinksysJnapEntity, BinarySensorEntity):
    """A binary sensor of the router."""

    entity_description: LinksysJnapBinarySensorEntityDescription

    def _is_data_present(self) -> bool:
        return self.entity_description.present_fn(self.data)

    def _data_key(self) -> Any:
        return self.is_on

    @property
    def is_on(self) -> bool | None:
        """On/off from the last snapshot."""
        return self.entity_description.is_on_fn(self.data)


# Adds the binary sensors the router supports.
async_setup_entry = make_async_setup_entry(
    router_entities(BINARY_SENSORS, LinksysJnapBinarySensor)
)
