"""Buttons: restart the router, check for a firmware update."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.components.button.const import ButtonDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import LinksysJnapConfigEntry
from .entity import (
    LinksysJnapEntity,
    LinksysJnapEntityDescription,
    supports,
    supports_all,
)
from .jnap import JNAPClient
from .jnap.actions import GET_FIRMWARE_UPDATE_STATUS, REBOOT, UPDATE_FIRMWARE_NOW

# Writes go to the router one at a time.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class LinksysJnapButtonEntityDescription(
    ButtonEntityDescription, LinksysJnapEntityDescription
):
    """A router button."""

    press_fn: Callable[[JNAPClient], Awaitable[None]]
    expect_outage: bool
    """The router goes away after the press (polling speeds up until it is back)."""


BUTTONS: tuple[LinksysJnapButtonEntityDescription, ...] = (
    LinksysJnapButtonEntityDescription(
        key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda api: api.reboot(),
        supported_fn=lambda c: supports(c, REBOOT),
        expect_outage=True,
    ),
    LinksysJnapButtonEntityDescription(
        key="check_firmware_update",
        translation_key="check_firmware_update",
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda api: api.check_for_firmware_update(),
        supported_fn=supports_all(UPDATE_FIRMWARE_NOW, GET_FIRMWARE_UPDATE_STATUS),
        expect_outage=False,
    ),
)


class LinksysJnapButton(LinksysJnapEntity, ButtonEntity):
    """A button of the router."""

    entity_description: LinksysJnapButtonEntityDescription

    def _data_key(self) -> Any:
        # A button shows no router data: only availability changes its state.
        return None

    async def async_press(self) -> None:
        """Send the action, then poll faster until the router is back and idle."""
        description = self.entity_description
        stop_fast_poll = self.coordinator.async_poll_fast(
            expect_outage=description.expect_outage
        )
        try:
            await self.async_router_write(description.press_fn, self.coordinator.api)
        except HomeAssistantError:
            stop_fast_poll()
            raise


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons the router supports."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        LinksysJnapButton(coordinator, description)
        for description in BUTTONS
        if description.supported_fn(coordinator)
    )
