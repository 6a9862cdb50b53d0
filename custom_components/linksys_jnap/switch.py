"""Switches: guest Wi-Fi, LEDs, parental controls, WPS; per client internet access, QoS."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import LinksysJnapConfigEntry, LinksysJnapCoordinator
from .entity import (
    LinksysJnapClientEntity,
    LinksysJnapEntityDescription,
    LinksysJnapOnOffEntity,
    LinksysJnapOnOffEntityDescription,
    async_add_client_entities,
    parental_writes_safe,
    supports_all,
)
from .jnap import (
    JNAPClient,
    WANSchedule,
    blocked_periods,
    is_device_internet_blocked,
    is_device_prioritized,
)
from .jnap.actions import (
    GET_GUEST_RADIO_SETTINGS,
    GET_LED_NIGHT_MODE,
    GET_QOS_SETTINGS,
    GET_ROUTER_LED_SETTINGS,
    GET_WPS_SESSION_STATUS,
    GET_WPS_SETTINGS,
    SET_GUEST_RADIO_SETTINGS,
    SET_LED_NIGHT_MODE,
    SET_QOS_SETTINGS,
    SET_ROUTER_LED_SETTINGS,
    SET_WPS_SETTINGS,
)
from .snapshot import ClientView, RouterSnapshot

# Writes go to the router one at a time.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class LinksysJnapSwitchEntityDescription(
    SwitchEntityDescription, LinksysJnapOnOffEntityDescription
):
    """A router switch: state from the snapshot, writes through the client's safe setters."""

    turn_on_fn: Callable[[JNAPClient], Awaitable[None]]
    turn_off_fn: Callable[[JNAPClient], Awaitable[None]]


@dataclass(frozen=True, kw_only=True)
class LinksysJnapClientSwitchEntityDescription(
    SwitchEntityDescription, LinksysJnapEntityDescription
):
    """A per-client switch."""

    is_on_fn: Callable[[RouterSnapshot, ClientView], bool | None]
    turn_on_fn: Callable[[LinksysJnapCoordinator, ClientView], Awaitable[None]]
    turn_off_fn: Callable[[LinksysJnapCoordinator, ClientView], Awaitable[None]]
    attributes_fn: (
        Callable[[LinksysJnapCoordinator, ClientView], dict[str, Any] | None] | None
    ) = None


def _night_mode(coordinator: LinksysJnapCoordinator) -> bool:
    return supports_all(GET_LED_NIGHT_MODE, SET_LED_NIGHT_MODE)(coordinator)


SWITCHES: tuple[LinksysJnapSwitchEntityDescription, ...] = (
    LinksysJnapSwitchEntityDescription(
        key="guest_wifi",
        translation_key="guest_wifi",
        is_on_fn=lambda d: d.guest_network.is_enabled if d.guest_network else None,
        present_fn=lambda d: d.guest_network is not None,
        turn_on_fn=lambda api: api.set_guest_network_enabled(True),
        turn_off_fn=lambda api: api.set_guest_network_enabled(False),
        supported_fn=supports_all(GET_GUEST_RADIO_SETTINGS, SET_GUEST_RADIO_SETTINGS),
    ),
    LinksysJnapSwitchEntityDescription(
        key="leds",
        translation_key="leds",
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda d: d.leds.is_switchport_led_enabled if d.leds else None,
        present_fn=lambda d: d.leds is not None,
        turn_on_fn=lambda api: api.set_leds_enabled(True),
        turn_off_fn=lambda api: api.set_leds_enabled(False),
        # Where night mode is served, it is the LED control (as in the Linksys app).
        supported_fn=lambda c: (
            supports_all(GET_ROUTER_LED_SETTINGS, SET_ROUTER_LED_SETTINGS)(c)
            and not _night_mode(c)
        ),
    ),
    LinksysJnapSwitchEntityDescription(
        key="led_night_mode",
        translation_key="led_night_mode",
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda d: d.led_night_mode.enabled if d.led_night_mode else None,
        present_fn=lambda d: d.led_night_mode is not None,
        turn_on_fn=lambda api: api.set_led_night_mode(True),
        turn_off_fn=lambda api: api.set_led_night_mode(False),
        supported_fn=_night_mode,
    ),
    LinksysJnapSwitchEntityDescription(
        key="parental_controls",
        translation_key="parental_controls",
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda d: (
            d.parental_control.is_enabled if d.parental_control else None
        ),
        present_fn=lambda d: d.parental_control is not None,
        turn_on_fn=lambda api: api.set_parental_control_enabled(True),
        turn_off_fn=lambda api: api.set_parental_control_enabled(False),
        supported_fn=parental_writes_safe,
    ),
    LinksysJnapSwitchEntityDescription(
        # Where the WPS button refuses "WPS is off", this turns it on.
        key="wps",
        translation_key="wps",
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda d: d.wps_settings.enabled if d.wps_settings else None,
        present_fn=lambda d: d.wps_settings is not None,
        turn_on_fn=lambda api: api.set_wps_enabled(True),
        turn_off_fn=lambda api: api.set_wps_enabled(False),
        supported_fn=supports_all(
            GET_WPS_SETTINGS, SET_WPS_SETTINGS, GET_WPS_SESSION_STATUS
        ),
    ),
)


def _internet_access(data: RouterSnapshot, client: ClientView) -> bool | None:
    if data.parental_control is None:
        return None
    return not is_device_internet_blocked(data.parental_control, client.macs)


def _kept_schedule(
    coordinator: LinksysJnapCoordinator, client: ClientView
) -> WANSchedule | None:
    return coordinator.config_entry.runtime_data.plans.schedules.get(client.key)


def _schedule_attributes(
    coordinator: LinksysJnapCoordinator, client: ClientView
) -> dict[str, Any] | None:
    schedule = _kept_schedule(coordinator, client)
    if schedule is None:
        return None
    return {"internet_schedule": blocked_periods(schedule)}


CLIENT_SWITCHES: tuple[LinksysJnapClientSwitchEntityDescription, ...] = (
    LinksysJnapClientSwitchEntityDescription(
        key="internet_access",
        translation_key="internet_access",
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        is_on_fn=_internet_access,
        present_fn=lambda d: d.parental_control is not None,
        # Off blocks the client's MACs around the clock (a rule of ours, in place of its
        # schedule rule, with MACs lent out of the user's rules); on removes that block,
        # gives lent MACs back and puts the schedule back, if it has one.
        turn_on_fn=lambda co, c: co.config_entry.runtime_data.plans.async_unblock(c),
        turn_off_fn=lambda co, c: co.config_entry.runtime_data.plans.async_block_now(c),
        attributes_fn=_schedule_attributes,
        supported_fn=parental_writes_safe,
    ),
    LinksysJnapClientSwitchEntityDescription(
        key="qos_priority",
        translation_key="qos_priority",
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        is_on_fn=lambda d, c: (
            None if d.qos is None else is_device_prioritized(d.qos, c.macs)
        ),
        present_fn=lambda d: d.qos is not None,
        # On gives the client's MACs a High device rule (and turns QoS on); off drops it.
        turn_on_fn=lambda co, c: co.api.set_device_qos_priority(
            c.macs, True, label=c.name
        ),
        turn_off_fn=lambda co, c: co.api.set_device_qos_priority(
            c.macs, False, label=c.name
        ),
        supported_fn=supports_all(GET_QOS_SETTINGS, SET_QOS_SETTINGS),
    ),
)


class LinksysJnapSwitch(LinksysJnapOnOffEntity, SwitchEntity):
    """A switch of the router (no optimistic state: the refresh shows the result)."""

    entity_description: LinksysJnapSwitchEntityDescription

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch on through a read-modify-write of the router's settings."""
        await self.async_router_write(
            self.entity_description.turn_on_fn, self.coordinator.api
        )

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch off through a read-modify-write of the router's settings."""
        await self.async_router_write(
            self.entity_description.turn_off_fn, self.coordinator.api
        )


class LinksysJnapClientSwitch(LinksysJnapClientEntity, SwitchEntity):
    """A switch of one client."""

    entity_description: LinksysJnapClientSwitchEntityDescription

    def _data_key(self) -> Any:
        return self.is_on, self.extra_state_attributes

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The client's internet schedule, where it has one."""
        attributes_fn = self.entity_description.attributes_fn
        client = self.client
        if attributes_fn is None or client is None:
            return None
        return attributes_fn(self.coordinator, client)

    @property
    def is_on(self) -> bool | None:
        """On/off from the last snapshot."""
        client = self.client
        if client is None:
            return None
        return self.entity_description.is_on_fn(self.data, client)

    def _client_now(self) -> ClientView:
        client = self.client
        # Unavailable entities get no service calls, so the client is there.
        assert client is not None
        return client

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch on for this client."""
        await self.async_router_write(
            self.entity_description.turn_on_fn, self.coordinator, self._client_now()
        )

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch off for this client."""
        await self.async_router_write(
            self.entity_description.turn_off_fn, self.coordinator, self._client_now()
        )


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches the router supports, and per-client switches."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        LinksysJnapSwitch(coordinator, description)
        for description in SWITCHES
        if description.supported_fn(coordinator)
    )
    if supported := [d for d in CLIENT_SWITCHES if d.supported_fn(coordinator)]:
        async_add_client_entities(
            entry,
            async_add_entities,
            lambda client: [
                LinksysJnapClientSwitch(coordinator, d, client) for d in supported
            ],
        )
