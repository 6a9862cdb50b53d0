"""Firmware update entity, faster polling while the router is busy, and its return."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any

from homeassistant.components.update import (
    UpdateDeviceClass,
    UpdateEntity,
    UpdateEntityDescription,
    UpdateEntityFeature,
)
from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_call_later

from .const import SCAN_INTERVAL
from .coordinator import LinksysJnapCoordinator
from .entity import LinksysJnapEntity, make_async_setup_entry, supports_all
from .jnap import FirmwareUpdateStatus, JNAPError
from .jnap.actions import GET_FIRMWARE_UPDATE_STATUS, UPDATE_FIRMWARE_NOW

_LOGGER = logging.getLogger(__name__)

# Writes go to the router one at a time.
PARALLEL_UPDATES = 1

# While a reboot or firmware operation runs, poll faster to notice its end sooner.
FAST_SCAN_INTERVAL = timedelta(seconds=10)
# The vendor app waits up to 4 minutes for a router restart; a firmware install is longer.
FAST_POLL_LIMIT = timedelta(minutes=10)
CHECKING = "Checking"

FIRMWARE = UpdateEntityDescription(
    key="firmware", device_class=UpdateDeviceClass.FIRMWARE
)


def _busy(status: FirmwareUpdateStatus | None) -> bool:
    return status is not None and status.is_update_in_progress


@callback
def async_poll_fast(
    coordinator: LinksysJnapCoordinator, *, expect_outage: bool
) -> CALLBACK_TYPE:
    """Poll every FAST_SCAN_INTERVAL until the router is back and idle.

    Call it before the write so the refresh after the write already uses the short
    interval. With ``expect_outage`` (reboot, firmware install) the normal interval returns
    only after the router went away and answered again. Returns a callback that ends the
    fast polling now (e.g. when the write failed).
    """
    coordinator.update_interval = FAST_SCAN_INTERVAL
    saw_outage = not expect_outage
    unsubs: list[CALLBACK_TYPE] = []

    @callback
    def _done(*_: Any) -> None:
        if not unsubs:
            return
        for unsub in unsubs:
            unsub()
        unsubs.clear()
        coordinator.update_interval = SCAN_INTERVAL

    @callback
    def _check() -> None:
        nonlocal saw_outage
        if not coordinator.last_update_success:
            saw_outage = True
            return
        if saw_outage and not _busy(coordinator.data.firmware_update):
            _done()

    unsubs.append(coordinator.async_add_listener(_check))
    unsubs.append(async_call_later(coordinator.hass, FAST_POLL_LIMIT, _done))
    coordinator.config_entry.async_on_unload(_done)
    return _done


@callback
def _async_watch_router_return(coordinator: LinksysJnapCoordinator) -> CALLBACK_TYPE:
    """After an outage, re-read the firmware version; a new one reloads the entry.

    A new firmware can add or remove actions, so entities are rebuilt from fresh
    capabilities (and the device registry gets the new version).
    """
    entry = coordinator.config_entry
    was_up = coordinator.last_update_success

    async def _async_check_firmware() -> None:
        try:
            info = await coordinator.client.get_device_info()
        except JNAPError as err:
            _LOGGER.debug("Could not re-read the router's firmware version: %s", err)
            return
        if info.firmware_version != coordinator.router.firmware_version:
            _LOGGER.info(
                "Router firmware changed from %s to %s; reloading",
                coordinator.router.firmware_version,
                info.firmware_version,
            )
            coordinator.hass.config_entries.async_schedule_reload(entry.entry_id)

    @callback
    def _listener() -> None:
        nonlocal was_up
        up = coordinator.last_update_success
        if up and not was_up:
            entry.async_create_background_task(
                coordinator.hass,
                _async_check_firmware(),
                f"{entry.title} firmware version check",
            )
        was_up = up

    return coordinator.async_add_listener(_listener)


class LinksysJnapFirmwareUpdate(LinksysJnapEntity, UpdateEntity):
    """Installed and latest firmware; install with progress from ``pendingOperation``."""

    _attr_supported_features = (
        UpdateEntityFeature.INSTALL | UpdateEntityFeature.PROGRESS
    )

    def __init__(self, coordinator: LinksysJnapCoordinator) -> None:
        """Initialise."""
        super().__init__(coordinator, FIRMWARE)
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
        stop_fast_poll = async_poll_fast(self.coordinator, expect_outage=True)
        try:
            await self.async_router_write(self.coordinator.client.update_firmware)
        except HomeAssistantError:
            self._installing = False
            stop_fast_poll()
            raise


# Watches the router's return (a new firmware reloads the entry), and adds the
# firmware entity when the router reports and installs updates.
async_setup_entry = make_async_setup_entry(
    lambda coordinator: (
        [LinksysJnapFirmwareUpdate(coordinator)]
        if supports_all(GET_FIRMWARE_UPDATE_STATUS, UPDATE_FIRMWARE_NOW)(coordinator)
        else []
    ),
    watch=_async_watch_router_return,
)
