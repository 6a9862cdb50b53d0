"""Buttons: restart the router or a satellite, check for firmware, speed test, WPS pairing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.components.button.const import ButtonDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import LinksysJnapConfigEntry
from .entity import (
    SATELLITES,
    LinksysJnapControlEntityDescription,
    LinksysJnapEntity,
    LinksysJnapNodeEntity,
    async_add_described,
    async_add_described_for,
    supports,
    supports_all,
)
from .jnap.actions import (
    GET_FIRMWARE_UPDATE_STATUS,
    GET_HEALTH_CHECK_RESULTS,
    GET_WPS_SESSION_STATUS,
    IS_WPS_AVAILABLE,
    REBOOT,
    REBOOT_NODE,
    RUN_HEALTH_CHECK,
    START_WPS_SESSION,
    UPDATE_FIRMWARE_NOW,
)
from .snapshot import RouterSnapshot

# Writes go to the router one at a time.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class LinksysJnapButtonEntityDescription(
    ButtonEntityDescription, LinksysJnapControlEntityDescription
):
    """A router button: a press is ``control_fn(coordinator, serial, True)``."""

    expect_outage: bool
    """The router goes away after the press (polling speeds up until it is back)."""
    refusal_fn: Callable[[RouterSnapshot], str | None] = lambda _data: None
    """Translation key of a refusal the last poll already shows (nothing is sent)."""


def _wps_refusal(data: RouterSnapshot) -> str | None:
    """Return why pairing is refused when the last poll shows WPS off or unusable."""
    if data.wps_settings is not None and not data.wps_settings.enabled:
        return "wps_not_enabled"
    if data.wps_available is False:
        return "wps_not_available"
    return None


BUTTONS: tuple[LinksysJnapButtonEntityDescription, ...] = (
    LinksysJnapButtonEntityDescription(
        key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        named_by_device_class=True,
        entity_category=EntityCategory.CONFIG,
        control_fn=lambda co, _router, _press: co.api.reboot(),
        supported_fn=lambda c: supports(c, REBOOT),
        expect_outage=True,
    ),
    LinksysJnapButtonEntityDescription(
        key="check_firmware_update",
        entity_category=EntityCategory.CONFIG,
        control_fn=lambda co, _router, _press: co.api.check_for_firmware_update(),
        supported_fn=supports_all(UPDATE_FIRMWARE_NOW, GET_FIRMWARE_UPDATE_STATUS),
        expect_outage=False,
    ),
    LinksysJnapButtonEntityDescription(
        # Uses the whole line for half a minute: an opt-in, like its sensors.
        key="start_speed_test",
        entity_registry_enabled_default=False,
        control_fn=lambda co, _router, _press: co.api.run_speed_test(),
        supported_fn=supports_all(RUN_HEALTH_CHECK, GET_HEALTH_CHECK_RESULTS),
        expect_outage=False,
    ),
    LinksysJnapButtonEntityDescription(
        key="start_wps",
        control_fn=lambda co, _router, _press: co.api.start_wps_session(),
        # The pairing sensor's read answered: this firmware really serves WPS.
        supported_fn=supports_all(
            START_WPS_SESSION, IS_WPS_AVAILABLE, GET_WPS_SESSION_STATUS
        ),
        expect_outage=False,
        refusal_fn=_wps_refusal,
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
        if (refusal := description.refusal_fn(self.coordinator.data)) is not None:
            raise HomeAssistantError(translation_domain=DOMAIN, translation_key=refusal)
        stop_fast_poll = self.coordinator.async_poll_fast(
            expect_outage=description.expect_outage
        )
        try:
            await self.async_control(description.control_fn, True)
        except HomeAssistantError:
            stop_fast_poll()
            raise


@dataclass(frozen=True, kw_only=True)
class LinksysJnapNodeButtonEntityDescription(
    ButtonEntityDescription, LinksysJnapControlEntityDescription
):
    """A mesh satellite's button: a press is ``control_fn(coordinator, node, True)``."""


NODE_RESTART = LinksysJnapNodeButtonEntityDescription(
    key="restart_node",
    device_class=ButtonDeviceClass.RESTART,
    named_by_device_class=True,
    entity_category=EntityCategory.CONFIG,
    control_fn=lambda co, node, _press: co.api.reboot_node(node),
    supported_fn=lambda c: supports(c, REBOOT_NODE),
)


class LinksysJnapNodeRestartButton(LinksysJnapNodeEntity, ButtonEntity):
    """Restart one satellite (core/Reboot2 with its deviceID); never the primary."""

    entity_description: LinksysJnapNodeButtonEntityDescription

    def _data_key(self) -> Any:
        return None

    async def async_press(self) -> None:
        """Restart the satellite; its entities follow it going offline and back."""
        await self.async_control(self.entity_description.control_fn, True)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons the router supports, and a restart button per satellite."""
    async_add_described(entry, async_add_entities, LinksysJnapButton, BUTTONS)
    async_add_described_for(
        entry,
        async_add_entities,
        SATELLITES,
        LinksysJnapNodeRestartButton,
        (NODE_RESTART,),
    )
