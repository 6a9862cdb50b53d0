"""Buttons: restart the router or a satellite, check for firmware, speed test, WPS pairing."""

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

from .const import DOMAIN
from .coordinator import LinksysJnapConfigEntry, LinksysJnapCoordinator
from .entity import (
    LinksysJnapEntity,
    LinksysJnapEntityDescription,
    LinksysJnapNodeEntity,
    async_add_node_entities,
    supports,
    supports_all,
)
from .jnap import JNAPClient
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
from .snapshot import NodeView, RouterSnapshot

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
    refusal_fn: Callable[[RouterSnapshot], str | None] = lambda _data: None
    """Translation key of a refusal the last poll already shows (nothing is sent)."""


def _wps_refusal(data: RouterSnapshot) -> str | None:
    """Return why pairing is refused when the last poll shows WPS off or unusable."""
    if data.wps_settings is not None and not data.wps_settings.enabled:
        return "wps_not_enabled"
    if data.wps_available is False:
        return "wps_not_available"
    return None


async def _run_speed_test(api: JNAPClient) -> None:
    await api.run_speed_test()


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
    LinksysJnapButtonEntityDescription(
        # Uses the whole line for half a minute: an opt-in, like its sensors.
        key="start_speed_test",
        translation_key="start_speed_test",
        entity_registry_enabled_default=False,
        press_fn=_run_speed_test,
        supported_fn=supports_all(RUN_HEALTH_CHECK, GET_HEALTH_CHECK_RESULTS),
        expect_outage=False,
    ),
    LinksysJnapButtonEntityDescription(
        key="start_wps",
        translation_key="start_wps",
        press_fn=lambda api: api.start_wps_session(),
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
            await self.async_router_write(description.press_fn, self.coordinator.api)
        except HomeAssistantError:
            stop_fast_poll()
            raise


@dataclass(frozen=True, kw_only=True)
class LinksysJnapNodeButtonEntityDescription(
    ButtonEntityDescription, LinksysJnapEntityDescription
):
    """A mesh satellite's button."""


NODE_RESTART = LinksysJnapNodeButtonEntityDescription(
    key="restart_node",
    device_class=ButtonDeviceClass.RESTART,
    entity_category=EntityCategory.CONFIG,
    supported_fn=lambda c: supports(c, REBOOT_NODE),
)


class LinksysJnapNodeRestartButton(LinksysJnapNodeEntity, ButtonEntity):
    """Restart one satellite (core/Reboot2 with its deviceID); never the primary."""

    entity_description: LinksysJnapNodeButtonEntityDescription

    def __init__(self, coordinator: LinksysJnapCoordinator, node: NodeView) -> None:
        """Initialise for one satellite."""
        assert not node.is_primary
        super().__init__(coordinator, NODE_RESTART, node)

    def _data_key(self) -> Any:
        return None

    async def async_press(self) -> None:
        """Restart the satellite; its entities follow it going offline and back."""
        await self.async_router_write(self.coordinator.api.reboot_node, self.node_key)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons the router supports, and a restart button per satellite."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        LinksysJnapButton(coordinator, description)
        for description in BUTTONS
        if description.supported_fn(coordinator)
    )
    if NODE_RESTART.supported_fn(coordinator):
        async_add_node_entities(
            entry,
            async_add_entities,
            lambda node: (
                []
                if node.is_primary
                else [LinksysJnapNodeRestartButton(coordinator, node)]
            ),
        )
