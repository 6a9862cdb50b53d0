"""Firmware update entities: the router's, and each mesh satellite's (Velop)."""

from __future__ import annotations

from dataclasses import dataclass, replace
import logging
from typing import Any

from homeassistant.components.update import (
    UpdateDeviceClass,
    UpdateEntity,
    UpdateEntityDescription,
    UpdateEntityFeature,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import LinksysJnapConfigEntry, LinksysJnapCoordinator
from .devices import client_unique_id
from .entity import (
    SATELLITES,
    LinksysJnapEntity,
    LinksysJnapEntityDescription,
    async_add_described,
    async_add_described_for,
    supports_all,
)
from .jnap import FirmwareUpdateStatus
from .jnap.actions import (
    GET_FIRMWARE_UPDATE_STATUS,
    GET_NODES_FIRMWARE_UPDATE_STATUS,
    UPDATE_FIRMWARE_NOW,
    UPDATE_NODES_FIRMWARE_NOW,
)
from .snapshot import NodeView

_LOGGER = logging.getLogger(__name__)

# Writes go to the router one at a time.
PARALLEL_UPDATES = 1

CHECKING = "Checking"


def _busy(status: FirmwareUpdateStatus | None) -> bool:
    return status is not None and status.is_update_in_progress


@dataclass(frozen=True, kw_only=True)
class LinksysJnapUpdateEntityDescription(
    UpdateEntityDescription, LinksysJnapEntityDescription
):
    """The firmware's description."""


FIRMWARE = LinksysJnapUpdateEntityDescription(
    key="firmware",
    device_class=UpdateDeviceClass.FIRMWARE,
    named_by_device_class=True,
    supported_fn=supports_all(GET_FIRMWARE_UPDATE_STATUS, UPDATE_FIRMWARE_NOW),
)
# A satellite's firmware: the same key, on the satellite's device.
NODE_FIRMWARE = replace(
    FIRMWARE,
    supported_fn=supports_all(
        GET_NODES_FIRMWARE_UPDATE_STATUS, UPDATE_NODES_FIRMWARE_NOW
    ),
)
UPDATES = (FIRMWARE,)


class LinksysJnapFirmwareUpdate(LinksysJnapEntity, UpdateEntity):
    """Installed and latest firmware; install with progress from ``pendingOperation``."""

    _attr_supported_features = (
        UpdateEntityFeature.INSTALL | UpdateEntityFeature.PROGRESS
    )

    def __init__(
        self,
        coordinator: LinksysJnapCoordinator,
        description: LinksysJnapUpdateEntityDescription,
    ) -> None:
        """Initialise."""
        super().__init__(coordinator, description)
        self._installing = False

    @property
    def _status(self) -> FirmwareUpdateStatus | None:
        return self.data.firmware_update

    def _is_data_present(self) -> bool:
        return self._status is not None

    def _data_key(self) -> Any:
        return (self._status, self.installed_version, self._installing)

    @property
    def installed_version(self) -> str | None:
        """The firmware the router runs (read at setup; a new one reloads the entry)."""
        return self.coordinator.router.firmware_version

    @property
    def latest_version(self) -> str | None:
        """The offered firmware, or the installed one when none is offered."""
        status = self._status
        if (
            status
            and status.available_update
            and status.available_update.firmware_version
        ):
            return status.available_update.firmware_version
        return self.installed_version

    @property
    def release_summary(self) -> str | None:
        """The router's description of the offered firmware."""
        status = self._status
        if status is None or status.available_update is None:
            return None
        return status.available_update.description

    @property
    def in_progress(self) -> bool:
        """Installing: a pending operation other than a plain check (or ours)."""
        status = self._status
        if status is None or status.pending_operation is None:
            return False
        return self._installing or status.pending_operation.operation != CHECKING

    @property
    def update_percentage(self) -> int | None:
        """Progress of the current stage, as the router reports it."""
        status = self._status
        if not self.in_progress or status is None or status.pending_operation is None:
            return None
        return status.pending_operation.progress_percent

    async def _install(self) -> None:
        await self.coordinator.api.update_firmware()

    @callback
    def _handle_coordinator_update(self) -> None:
        if self.coordinator.last_update_success and not _busy(self._status):
            self._installing = False
        super()._handle_coordinator_update()

    async def async_install(
        self, version: str | None, backup: bool, **kwargs: Any
    ) -> None:
        """Start ``UpdateFirmwareNow``; the router downloads, installs and restarts."""
        self._installing = True
        stop_fast_poll = self.coordinator.async_poll_fast(expect_outage=True)
        try:
            await self.async_router_write(self._install)
        except HomeAssistantError:
            self._installing = False
            stop_fast_poll()
            raise


class LinksysJnapNodeFirmwareUpdate(LinksysJnapFirmwareUpdate):
    """One satellite's firmware, from the nodes' status list; install updates the mesh."""

    def __init__(
        self,
        coordinator: LinksysJnapCoordinator,
        description: LinksysJnapUpdateEntityDescription,
        node: NodeView,
    ) -> None:
        """Initialise for one satellite, on its device."""
        super().__init__(coordinator, description)
        self.node_key = node.key
        self._attr_unique_id = client_unique_id(
            coordinator.serial, node.key, description.key
        )
        self._attr_device_info = coordinator.devices.node_info(node)

    @property
    def _status(self) -> FirmwareUpdateStatus | None:
        nodes = self.data.nodes_firmware
        return None if nodes is None else nodes.of(self.node_key)

    @property
    def installed_version(self) -> str | None:
        """The firmware the satellite's record reports."""
        device = self.data.nodes.get(self.node_key)
        return None if device is None else device.firmware_version

    async def _install(self) -> None:
        # The firmware installs on every node that has an update: the mesh's update.
        await self.coordinator.api.update_mesh_firmware()


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the firmware entities where the router reports and installs updates."""
    async_add_described(entry, async_add_entities, LinksysJnapFirmwareUpdate, UPDATES)
    async_add_described_for(
        entry,
        async_add_entities,
        SATELLITES,
        LinksysJnapNodeFirmwareUpdate,
        (NODE_FIRMWARE,),
    )
