"""Binary sensors: WAN, internet check, speed test and WPS running, mesh satellites online."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import re
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
    SATELLITES,
    LinksysJnapEntityDescription,
    LinksysJnapNodeEntity,
    LinksysJnapOnOffEntity,
    LinksysJnapOnOffEntityDescription,
    async_add_described,
    async_add_described_for,
    supports,
)
from .jnap.actions import (
    GET_HEALTH_CHECK_STATUS,
    GET_INTERNET_CONNECTION_STATUS,
    GET_WAN_STATUS,
    GET_WPS_SESSION_STATUS,
)
from .snapshot import NodeView, RouterSnapshot

# Read-only platform: the coordinator does all I/O.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class LinksysJnapBinarySensorEntityDescription(
    BinarySensorEntityDescription, LinksysJnapOnOffEntityDescription
):
    """A router binary sensor: on/off from the snapshot, created when the router can."""

    attributes_fn: Callable[[RouterSnapshot], dict[str, Any] | None] = lambda _d: None


_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _camel_to_snake(text: str) -> str:
    """``NoWANConnection`` -> ``no_wan_connection``."""
    return _WORD_START.sub("_", text).lower()


def _internet_problem(data: RouterSnapshot) -> bool | None:
    connected = data.internet.is_connected if data.internet else None
    return None if connected is None else not connected


def _speed_test_progress(data: RouterSnapshot) -> dict[str, Any] | None:
    test = data.speed_test.progress if data.speed_test else None
    if test is None:
        return None
    return {
        "latency_ms": test.latency_ms or None,
        "download_mbps": test.download_mbps or None,
        "upload_mbps": test.upload_mbps or None,
    }


BINARY_SENSORS: tuple[LinksysJnapBinarySensorEntityDescription, ...] = (
    LinksysJnapBinarySensorEntityDescription(
        key="wan_connectivity",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        is_on_fn=lambda d: d.wan_status.is_connected if d.wan_status else None,
        present_fn=lambda d: d.wan_status is not None,
        supported_fn=lambda c: supports(c, GET_WAN_STATUS),
    ),
    LinksysJnapBinarySensorEntityDescription(
        # The router's own internet check (its WAN can be up while this fails).
        key="internet_problem",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=_internet_problem,
        attributes_fn=lambda d: (
            {"connection_status": _camel_to_snake(d.internet.status)}
            if d.internet and d.internet.status
            else None
        ),
        present_fn=lambda d: d.internet is not None,
        supported_fn=lambda c: supports(c, GET_INTERNET_CONNECTION_STATUS),
    ),
    LinksysJnapBinarySensorEntityDescription(
        key="speed_test_running",
        device_class=BinarySensorDeviceClass.RUNNING,
        entity_registry_enabled_default=False,
        is_on_fn=lambda d: d.speed_test.running if d.speed_test else None,
        attributes_fn=_speed_test_progress,
        present_fn=lambda d: d.speed_test is not None,
        supported_fn=lambda c: supports(c, GET_HEALTH_CHECK_STATUS),
    ),
    LinksysJnapBinarySensorEntityDescription(
        key="wps_pairing",
        device_class=BinarySensorDeviceClass.RUNNING,
        is_on_fn=lambda d: d.wps.in_progress if d.wps else None,
        attributes_fn=lambda d: (
            {"last_result": d.wps.last_result.lower()}
            if d.wps and d.wps.last_result
            else None
        ),
        present_fn=lambda d: d.wps is not None,
        supported_fn=lambda c: supports(c, GET_WPS_SESSION_STATUS),
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
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        node_is_on_fn=lambda node: node.online,
    ),
)


class LinksysJnapBinarySensor(LinksysJnapOnOffEntity, BinarySensorEntity):
    """A binary sensor of the router."""

    entity_description: LinksysJnapBinarySensorEntityDescription

    def _data_key(self) -> Any:
        return (self.is_on, self.extra_state_attributes)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Why (the internet check's answer), or a running test's figures so far."""
        return self.entity_description.attributes_fn(self.data)


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
    async_add_described(
        entry, async_add_entities, LinksysJnapBinarySensor, BINARY_SENSORS
    )
    async_add_described_for(
        entry,
        async_add_entities,
        SATELLITES,
        LinksysJnapNodeBinarySensor,
        NODE_BINARY_SENSORS,
    )
