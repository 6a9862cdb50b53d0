"""Buttons: restart, firmware check, speed test, WPS, WAN reconnect, node identify."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
import logging
from typing import Any

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.components.button.const import ButtonDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later

from .const import DOMAIN
from .coordinator import LinksysJnapConfigEntry, LinksysJnapCoordinator
from .entity import (
    NODES,
    SATELLITES,
    LinksysJnapControlEntityDescription,
    LinksysJnapEntity,
    LinksysJnapEntityDescription,
    LinksysJnapNodeEntity,
    async_add_described,
    async_add_described_for,
    supports,
    supports_all,
)
from .jnap import JNAPError
from .jnap.actions import (
    CONNECT_PPP_WAN,
    DISCONNECT_PPP_WAN,
    GET_FIRMWARE_UPDATE_STATUS,
    GET_HEALTH_CHECK_RESULTS,
    GET_WAN_STATUS,
    GET_WPS_SESSION_STATUS,
    IS_WPS_AVAILABLE,
    REBOOT,
    REBOOT_NODE,
    RENEW_DHCP_WAN_LEASE,
    RUN_HEALTH_CHECK,
    START_BLINKING_NODE_LED,
    START_WPS_SESSION,
    STOP_BLINKING_NODE_LED,
    UPDATE_FIRMWARE_NOW,
)
from .jnap.writes import wan_reconnect_actions
from .snapshot import RouterSnapshot

_LOGGER = logging.getLogger(__name__)

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


# --- WAN reconnect -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LinksysJnapWanButtonEntityDescription(
    ButtonEntityDescription, LinksysJnapEntityDescription
):
    """The WAN reconnect button: what a press sends depends on the WAN type it saw."""


WAN_RECONNECT = LinksysJnapWanButtonEntityDescription(
    key="reconnect_wan",
    entity_category=EntityCategory.CONFIG,
    supported_fn=supports_all(
        GET_WAN_STATUS, RENEW_DHCP_WAN_LEASE, CONNECT_PPP_WAN, DISCONNECT_PPP_WAN
    ),
)


class LinksysJnapWanReconnectButton(LinksysJnapEntity, ButtonEntity):
    """Renew the WAN's DHCP lease or redial its PPP link, by the WAN type last shown.

    ``GetWANStatus`` names the type only while the WAN is connected (router.lua), so the
    button remembers the last one it saw: a WAN that is down is what one reconnects.
    """

    entity_description: LinksysJnapWanButtonEntityDescription

    def __init__(self, coordinator: LinksysJnapCoordinator) -> None:
        """Initialise; the type comes from the setup's poll, if the WAN was up."""
        super().__init__(coordinator, WAN_RECONNECT)
        self.wan_type: str | None = None
        self._remember_wan_type()

    def _remember_wan_type(self) -> None:
        wan = self.data.wan_status
        if wan is not None and wan.connection is not None and wan.connection.wan_type:
            self.wan_type = wan.connection.wan_type

    def _data_key(self) -> Any:
        self._remember_wan_type()
        return None

    async def async_press(self) -> None:
        """Reconnect; refuse (nothing sent) a type that has no lease or PPP link."""
        wan_type = self.wan_type
        if wan_type is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="wan_type_unknown"
            )
        if not wan_reconnect_actions(wan_type):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="wan_not_reconnectable",
                translation_placeholders={"wan_type": wan_type},
            )
        # Watch the WAN come back at the short interval (``Connecting`` keeps it short).
        stop_fast_poll = self.coordinator.async_poll_fast(expect_outage=False)
        try:
            await self.async_router_write(self.coordinator.api.reconnect_wan, wan_type)
        except HomeAssistantError:
            stop_fast_poll()
            raise


# --- identify a mesh node --------------------------------------------------------------------

IDENTIFY_SECONDS = 24
"""How long a node blinks: the official app stops it after 24 s, or at a second tap
(PrivacyGUI ``node_detail_provider.dart`` ``toggleBlinkNode``)."""

NODE_IDENTIFY = LinksysJnapNodeButtonEntityDescription(
    key="identify_node",
    device_class=ButtonDeviceClass.IDENTIFY,
    named_by_device_class=True,
    entity_category=EntityCategory.DIAGNOSTIC,
    control_fn=lambda co, node, _press: co.api.start_node_blink(node),
    supported_fn=supports_all(START_BLINKING_NODE_LED, STOP_BLINKING_NODE_LED),
)


class NodeBlinker:
    """Stops the blinking ``IDENTIFY_SECONDS`` after the last press, for the whole mesh.

    ``StopBlinkingNodeLed`` takes no node: one timer per router, restarted by every press.
    """

    def __init__(self, coordinator: LinksysJnapCoordinator) -> None:
        """Blink the nodes of this router."""
        self._coordinator = coordinator
        self._unsub: CALLBACK_TYPE | None = None

    @callback
    def restart(self) -> None:
        """Stop the blinking ``IDENTIFY_SECONDS`` from now."""
        self.cancel()
        self._unsub = async_call_later(
            self._coordinator.hass, IDENTIFY_SECONDS, self._stop
        )

    @callback
    def cancel(self) -> None:
        """Forget the pending stop."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None

    async def _stop(self, _now: datetime) -> None:
        self._unsub = None
        if self._coordinator.auth_failed:
            return  # never send a refused password again before reauth
        try:
            await self._coordinator.api.stop_node_blink()
        except JNAPError as err:
            # Nothing shown depends on it; the next press sends a stop again later.
            _LOGGER.debug("Stopping the node light's blinking failed: %s", err)


class LinksysJnapNodeIdentifyButton(LinksysJnapNodeEntity, ButtonEntity):
    """Blink one node's light (``StartBlinkingNodeLed`` with its ``deviceID``)."""

    entity_description: LinksysJnapNodeButtonEntityDescription

    def __init__(
        self,
        coordinator: LinksysJnapCoordinator,
        description: LinksysJnapNodeButtonEntityDescription,
        node: Any,
        blinker: NodeBlinker,
    ) -> None:
        """Initialise for one node, sharing the router's blink timer."""
        super().__init__(coordinator, description, node)
        self._blinker = blinker

    def _data_key(self) -> Any:
        return None

    async def async_press(self) -> None:
        """Start blinking; it stops ``IDENTIFY_SECONDS`` after the last press."""
        await self.async_control(self.entity_description.control_fn, True)
        self._blinker.restart()


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
    if WAN_RECONNECT.supported_fn(entry.runtime_data.coordinator):
        async_add_entities(
            [LinksysJnapWanReconnectButton(entry.runtime_data.coordinator)]
        )
    blinker = NodeBlinker(entry.runtime_data.coordinator)
    entry.async_on_unload(blinker.cancel)
    async_add_described_for(
        entry,
        async_add_entities,
        NODES,
        lambda co, description, node: LinksysJnapNodeIdentifyButton(
            co, description, node, blinker
        ),
        (NODE_IDENTIFY,),
    )
