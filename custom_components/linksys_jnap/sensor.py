"""Sensors: WAN state, client counts, firmware, per-client link details, mesh nodes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
    UnitOfDataRate,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .coordinator import LinksysJnapConfigEntry, LinksysJnapCoordinator
from .entity import (
    CLIENTS,
    NODES,
    SATELLITES,
    LinksysJnapClientEntity,
    LinksysJnapDescribedEntity,
    LinksysJnapEntity,
    LinksysJnapEntityDescription,
    LinksysJnapNodeEntity,
    async_add_described,
    async_add_described_for,
    supports,
    supports_all,
)
from .jnap import NetworkConnection
from .jnap.actions import (
    GET_BACKHAUL_INFO,
    GET_ETHERNET_PORT_CONNECTIONS,
    GET_GUEST_RADIO_SETTINGS,
    GET_HEALTH_CHECK_RESULTS,
    GET_NODES_WIRELESS_CONNECTIONS2,
    GET_SYSTEM_STATS,
    GET_WAN_STATUS,
    SET_GUEST_RADIO_SETTINGS,
)
from .jnap.models import SpeedTestResult, port_link_mbps
from .jnap.presence import PRESENCE_NETWORK_CONNECTIONS, is_mesh_node
from .snapshot import ClientView, NodeView, RouterSnapshot, SystemView, band_option

# Read-only platform: the coordinator does all I/O.
PARALLEL_UPDATES = 0

WAN_STATES = ["connected", "connecting", "disconnected", "indeterminate"]


def _has_presence(coordinator: LinksysJnapCoordinator) -> bool:
    return coordinator.data.presence_source is not None


def _wan_status(data: RouterSnapshot) -> str | None:
    if data.wan_status is None or data.wan_status.wan_status is None:
        return None
    state = data.wan_status.wan_status.lower()
    return state if state in WAN_STATES else None


def _wan_type(data: RouterSnapshot) -> str | None:
    wan = data.wan_status
    if wan is None:
        return None
    if wan.connection is not None and wan.connection.wan_type:
        return wan.connection.wan_type
    return wan.detected_wan_type


@dataclass(frozen=True, kw_only=True)
class LinksysJnapSensorEntityDescription(
    SensorEntityDescription, LinksysJnapEntityDescription
):
    """A router sensor: its value from the snapshot, created when the router can."""

    value_fn: Callable[[RouterSnapshot], StateType | datetime]


@dataclass(frozen=True, kw_only=True)
class LinksysJnapClientSensorEntityDescription(
    SensorEntityDescription, LinksysJnapEntityDescription
):
    """A per-client sensor: from the client in the snapshot (``link``: its live link's)."""

    value_fn: Callable[[RouterSnapshot, ClientView], StateType]


@dataclass(frozen=True, kw_only=True)
class LinksysJnapNodeSensorEntityDescription(
    SensorEntityDescription, LinksysJnapEntityDescription
):
    """A mesh node's sensor: from the node and the snapshot it is in."""

    node_value_fn: Callable[[RouterSnapshot, NodeView], StateType]


def _backhaul_type(node: NodeView) -> str | None:
    if node.backhaul is None or node.backhaul.is_wireless is None:
        return None
    return "wireless" if node.backhaul.is_wireless else "wired"


def _node_name(data: RouterSnapshot, key: str | None) -> str | None:
    device = None if key is None else data.nodes.get(key)
    return None if device is None else device.name


NODE_SENSORS: tuple[LinksysJnapNodeSensorEntityDescription, ...] = (
    LinksysJnapNodeSensorEntityDescription(
        key="node_clients",
        state_class=SensorStateClass.MEASUREMENT,
        node_value_fn=lambda d, node: d.clients_on(node.key),
    ),
)
# The primary's link upstream is the WAN, whose sensors are the router's.
SATELLITE_SENSORS: tuple[LinksysJnapNodeSensorEntityDescription, ...] = (
    LinksysJnapNodeSensorEntityDescription(
        key="backhaul_type",
        device_class=SensorDeviceClass.ENUM,
        options=["wired", "wireless"],
        node_value_fn=lambda _d, node: _backhaul_type(node),
        supported_fn=lambda c: supports(c, GET_BACKHAUL_INFO),
    ),
    LinksysJnapNodeSensorEntityDescription(
        key="backhaul_signal",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        node_value_fn=lambda _d, node: (
            node.backhaul.signal_dbm if node.backhaul else None
        ),
        supported_fn=lambda c: supports(c, GET_BACKHAUL_INFO),
    ),
    LinksysJnapNodeSensorEntityDescription(
        key="backhaul_speed",
        device_class=SensorDeviceClass.DATA_RATE,
        native_unit_of_measurement=UnitOfDataRate.MEGABITS_PER_SECOND,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        node_value_fn=lambda _d, node: (
            node.backhaul.speed_mbps if node.backhaul else None
        ),
        supported_fn=lambda c: supports(c, GET_BACKHAUL_INFO),
    ),
    LinksysJnapNodeSensorEntityDescription(
        key="parent_node",
        entity_category=EntityCategory.DIAGNOSTIC,
        node_value_fn=lambda d, node: _node_name(d, node.parent_id),
    ),
)


def _is_mesh(coordinator: LinksysJnapCoordinator) -> bool:
    return any(is_mesh_node(device) for device in coordinator.data.nodes.values())


def _wan_present(data: RouterSnapshot) -> bool:
    return data.wan_status is not None


def _speed_test_sensor(
    key: str,
    read: Callable[[SpeedTestResult], StateType | datetime],
    **kwargs: Any,
) -> LinksysJnapSensorEntityDescription:
    """Describe a figure of the newest successful speed test (disabled by default)."""

    def value(data: RouterSnapshot) -> StateType | datetime:
        last = data.speed_test.last if data.speed_test is not None else None
        return None if last is None else read(last)

    return LinksysJnapSensorEntityDescription(
        key=key,
        entity_registry_enabled_default=False,
        value_fn=value,
        supported_fn=lambda c: supports(c, GET_HEALTH_CHECK_RESULTS),
        present_fn=lambda d: d.speed_test is not None,
        **kwargs,
    )


def _load_sensor(
    key: str,
    read: Callable[[SystemView], float | None],
    reported: Callable[[SystemView], bool],
) -> LinksysJnapSensorEntityDescription:
    """Describe the CPU or memory load (disabled by default).

    Only newer firmware reports it: the sensor is made when the first poll's answer has
    the member, even as ``""`` (no figure now: the sensor is unknown, never 0).
    """
    return LinksysJnapSensorEntityDescription(
        key=key,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda d: read(d.system) if d.system else None,
        supported_fn=lambda c: c.data.system is not None and reported(c.data.system),
        present_fn=lambda d: d.system is not None,
    )


_DATA_RATE: dict[str, Any] = {
    "device_class": SensorDeviceClass.DATA_RATE,
    "native_unit_of_measurement": UnitOfDataRate.KILOBITS_PER_SECOND,
    "suggested_unit_of_measurement": UnitOfDataRate.MEGABITS_PER_SECOND,
    "suggested_display_precision": 1,
    "state_class": SensorStateClass.MEASUREMENT,
}

# A speed test is started by hand and its figures change only then, but they and the
# router's load are extras most users never look at: disabled by default.
HEALTH_SENSORS: tuple[LinksysJnapSensorEntityDescription, ...] = (
    _speed_test_sensor("speed_test_download", lambda t: t.download_kbps, **_DATA_RATE),
    _speed_test_sensor("speed_test_upload", lambda t: t.upload_kbps, **_DATA_RATE),
    _speed_test_sensor(
        "speed_test_latency",
        lambda t: t.latency_ms,
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MILLISECONDS,
        state_class=SensorStateClass.MEASUREMENT,
    ),
    _speed_test_sensor(
        "speed_test_last_run",
        lambda t: t.timestamp,
        device_class=SensorDeviceClass.TIMESTAMP,
    ),
    LinksysJnapSensorEntityDescription(
        key="last_boot",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.system.booted_at if d.system else None,
        supported_fn=lambda c: supports(c, GET_SYSTEM_STATS),
        present_fn=lambda d: d.system is not None,
    ),
    _load_sensor(
        "cpu_load", lambda s: s.cpu_load_percent, lambda s: s.cpu_load_reported
    ),
    _load_sensor(
        "memory_load",
        lambda s: s.memory_load_percent,
        lambda s: s.memory_load_reported,
    ),
)

ROUTER_SENSORS: tuple[LinksysJnapSensorEntityDescription, ...] = (
    LinksysJnapSensorEntityDescription(
        key="wan_status",
        device_class=SensorDeviceClass.ENUM,
        options=["connected", "connecting", "disconnected", "indeterminate"],
        value_fn=_wan_status,
        supported_fn=lambda c: supports(c, GET_WAN_STATUS),
        present_fn=_wan_present,
    ),
    LinksysJnapSensorEntityDescription(
        key="wan_connection_type",
        value_fn=_wan_type,
        supported_fn=lambda c: supports(c, GET_WAN_STATUS),
        present_fn=_wan_present,
    ),
    LinksysJnapSensorEntityDescription(
        key="wan_ip_address",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: d.wan_status.ip_address if d.wan_status else None,
        supported_fn=lambda c: supports(c, GET_WAN_STATUS),
        present_fn=_wan_present,
    ),
    LinksysJnapSensorEntityDescription(
        key="clients_connected",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda d: d.client_counts.connected,
        supported_fn=_has_presence,
    ),
    LinksysJnapSensorEntityDescription(
        key="wireless_clients",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda d: d.client_counts.wireless,
        supported_fn=_has_presence,
    ),
    LinksysJnapSensorEntityDescription(
        key="wired_clients",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda d: d.client_counts.wired,
        supported_fn=_has_presence,
    ),
    LinksysJnapSensorEntityDescription(
        key="guest_clients",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda d: d.client_counts.guest,
        supported_fn=_has_presence,
    ),
)

# --- Ethernet ports: the link speed of each LAN port and of the WAN port -------------------


def _ports_present(data: RouterSnapshot) -> bool:
    return data.ethernet_ports is not None


def _port_sensor(
    key: str, link_fn: Callable[[RouterSnapshot], str | None], **kwargs: Any
) -> LinksysJnapSensorEntityDescription:
    """Describe a port's link speed in Mbit/s: 0 without a link, unknown if unreadable."""
    return LinksysJnapSensorEntityDescription(
        key=key,
        device_class=SensorDeviceClass.DATA_RATE,
        native_unit_of_measurement=UnitOfDataRate.MEGABITS_PER_SECOND,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda d: port_link_mbps(link_fn(d)),
        supported_fn=lambda c: supports(c, GET_ETHERNET_PORT_CONNECTIONS),
        present_fn=_ports_present,
        **kwargs,
    )


def _lan_link(data: RouterSnapshot, *, index: int) -> str | None:
    ports = data.ethernet_ports
    if ports is None or index >= len(ports.lan_port_connections):
        return None
    return ports.lan_port_connections[index]


WAN_PORT_SENSOR = _port_sensor(
    "wan_port_link",
    lambda d: d.ethernet_ports.wan_port_connection if d.ethernet_ports else None,
)


def lan_port_sensors(data: RouterSnapshot) -> list[LinksysJnapSensorEntityDescription]:
    """One sensor per LAN port the router listed at setup (``lan_port_<n>_link``)."""
    count = len(data.ethernet_ports.lan_port_connections) if data.ethernet_ports else 0
    return [
        _port_sensor(
            f"lan_port_{n}_link",
            partial(_lan_link, index=n - 1),
            translation_key="lan_port_link",
            translation_placeholders={"port": str(n)},
        )
        for n in range(1, count + 1)
    ]


FIRMWARE_VERSION_SENSOR = SensorEntityDescription(
    key="firmware_version",
    entity_category=EntityCategory.DIAGNOSTIC,
)
GUEST_WIFI_ENDS_SENSOR = SensorEntityDescription(
    key="guest_wifi_ends",
    device_class=SensorDeviceClass.TIMESTAMP,
)


def _live_details(coordinator: LinksysJnapCoordinator) -> bool:
    # Signal and rate come only from the live connection list.
    return coordinator.data.presence_source == PRESENCE_NETWORK_CONNECTIONS


def _of_link(
    read: Callable[[NetworkConnection], StateType],
) -> Callable[[RouterSnapshot, ClientView], StateType]:
    """Read a metric of the client's live link (None while it has none)."""

    def value(data: RouterSnapshot, client: ClientView) -> StateType:
        link = data.link(client)
        return None if link is None else read(link)

    return value


def _node_rates(coordinator: LinksysJnapCoordinator) -> bool:
    # Only the nodes' list v2 reports the rates of each station's last frames.
    return (
        coordinator.actions.get("node_connections") == GET_NODES_WIRELESS_CONNECTIONS2
    )


CLIENT_SENSORS: tuple[LinksysJnapClientSensorEntityDescription, ...] = (
    LinksysJnapClientSensorEntityDescription(
        key="band",
        device_class=SensorDeviceClass.ENUM,
        options=["2_4ghz", "5ghz", "6ghz"],
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda _d, c: band_option(c.band),
        supported_fn=_has_presence,
    ),
    LinksysJnapClientSensorEntityDescription(
        key="node",
        entity_category=EntityCategory.DIAGNOSTIC,
        # One more entity per client that changes on roaming: the tracker has it too.
        entity_registry_enabled_default=False,
        value_fn=lambda d, c: _node_name(d, d.node_of(c)),
        supported_fn=_is_mesh,
    ),
    LinksysJnapClientSensorEntityDescription(
        key="signal_strength",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        named_by_device_class=True,
        link=True,
        value_fn=_of_link(lambda link: link.signal_dbm),
        supported_fn=_live_details,
    ),
    LinksysJnapClientSensorEntityDescription(
        key="link_rate",
        device_class=SensorDeviceClass.DATA_RATE,
        native_unit_of_measurement=UnitOfDataRate.MEGABITS_PER_SECOND,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        link=True,
        value_fn=_of_link(lambda link: link.speed_mbps),
        supported_fn=_live_details,
    ),
    *(
        LinksysJnapClientSensorEntityDescription(
            key=key,
            device_class=SensorDeviceClass.DATA_RATE,
            native_unit_of_measurement=UnitOfDataRate.KILOBITS_PER_SECOND,
            suggested_unit_of_measurement=UnitOfDataRate.MEGABITS_PER_SECOND,
            state_class=SensorStateClass.MEASUREMENT,
            entity_category=EntityCategory.DIAGNOSTIC,
            entity_registry_enabled_default=False,
            link=True,
            value_fn=value_fn,
            supported_fn=_node_rates,
        )
        for key, value_fn in (
            ("transmit_rate", _of_link(lambda link: link.tx_rate_kbps)),
            ("receive_rate", _of_link(lambda link: link.rx_rate_kbps)),
        )
    ),
)


class LinksysJnapSensor(LinksysJnapDescribedEntity, SensorEntity):
    """A sensor of the router."""

    entity_description: LinksysJnapSensorEntityDescription

    def _data_key(self) -> Any:
        return self.native_value

    @property
    def native_value(self) -> StateType | datetime:
        """The value from the last snapshot."""
        return self.entity_description.value_fn(self.data)


class LinksysJnapFirmwareVersionSensor(LinksysJnapEntity, SensorEntity):
    """Installed firmware, as the router reported it at setup (a new one reloads)."""

    def __init__(self, coordinator: LinksysJnapCoordinator) -> None:
        """Initialise."""
        super().__init__(coordinator, FIRMWARE_VERSION_SENSOR)

    def _data_key(self) -> Any:
        return self.native_value

    @property
    def native_value(self) -> str | None:
        """The installed firmware version."""
        return self.coordinator.router.firmware_version


class LinksysJnapGuestWifiEndsSensor(LinksysJnapEntity, SensorEntity):
    """When ``set_guest_wifi`` turns the guest network off (unknown: no deadline)."""

    def __init__(self, coordinator: LinksysJnapCoordinator) -> None:
        """Initialise."""
        super().__init__(coordinator, GUEST_WIFI_ENDS_SENSOR)

    def _is_data_present(self) -> bool:
        return self.data.guest_network is not None

    def _data_key(self) -> Any:
        return self.native_value

    @property
    def native_value(self) -> datetime | None:
        """The deadline kept for the guest network."""
        return self.coordinator.config_entry.runtime_data.plans.guest_until


class LinksysJnapClientSensor(LinksysJnapClientEntity, SensorEntity):
    """A sensor of one client."""

    entity_description: LinksysJnapClientSensorEntityDescription

    def _data_key(self) -> Any:
        return self.native_value

    @property
    def native_value(self) -> StateType:
        """The value from the client's last view or live link (None while it is away)."""
        client = self.client
        if client is None:
            return None
        return self.entity_description.value_fn(self.data, client)


class LinksysJnapNodeSensor(LinksysJnapNodeEntity, SensorEntity):
    """A sensor of one mesh node."""

    entity_description: LinksysJnapNodeSensorEntityDescription

    def _data_key(self) -> Any:
        return self.native_value

    @property
    def native_value(self) -> StateType:
        """From the node and the last snapshot."""
        node = self.node
        if node is None:
            return None
        return self.entity_description.node_value_fn(self.data, node)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the router's sensors, and per-client sensors (also for clients that appear)."""
    async_add_described(entry, async_add_entities, LinksysJnapSensor, ROUTER_SENSORS)
    async_add_described(entry, async_add_entities, LinksysJnapSensor, HEALTH_SENSORS)
    async_add_described(
        entry,
        async_add_entities,
        LinksysJnapSensor,
        (WAN_PORT_SENSOR, *lan_port_sensors(entry.runtime_data.coordinator.data)),
    )
    coordinator = entry.runtime_data.coordinator
    async_add_entities([LinksysJnapFirmwareVersionSensor(coordinator)])
    if supports_all(GET_GUEST_RADIO_SETTINGS, SET_GUEST_RADIO_SETTINGS)(coordinator):
        async_add_entities([LinksysJnapGuestWifiEndsSensor(coordinator)])
    async_add_described_for(
        entry, async_add_entities, NODES, LinksysJnapNodeSensor, NODE_SENSORS
    )
    async_add_described_for(
        entry, async_add_entities, SATELLITES, LinksysJnapNodeSensor, SATELLITE_SENSORS
    )
    async_add_described_for(
        entry, async_add_entities, CLIENTS, LinksysJnapClientSensor, CLIENT_SENSORS
    )
