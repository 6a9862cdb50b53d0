"""Switches: Wi-Fi (guest, main, schedule), LEDs, parental, WPS, updates, port rules.

Per client: internet access, QoS priority.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import LinksysJnapConfigEntry, LinksysJnapCoordinator
from .devices import port_rule_unique_id
from .entity import (
    CLIENTS,
    LinksysJnapClientEntity,
    LinksysJnapControlEntityDescription,
    LinksysJnapEntity,
    LinksysJnapOnOffEntity,
    LinksysJnapOnOffEntityDescription,
    async_add_described,
    async_add_described_for,
    async_router_write,
    parental_writes_safe,
    supports_all,
)
from .jnap import (
    WANSchedule,
    blocked_periods,
    is_device_internet_blocked,
    is_device_prioritized,
)
from .jnap.actions import (
    GET_FIRMWARE_UPDATE_SETTINGS,
    GET_GUEST_RADIO_SETTINGS,
    GET_LED_NIGHT_MODE,
    GET_QOS_SETTINGS,
    GET_RADIO_INFO,
    GET_ROUTER_LED_SETTINGS,
    GET_WIRELESS_SCHEDULER_SETTINGS,
    GET_WPS_SESSION_STATUS,
    GET_WPS_SETTINGS,
    SET_FIRMWARE_UPDATE_SETTINGS,
    SET_GUEST_RADIO_SETTINGS,
    SET_LED_NIGHT_MODE,
    SET_QOS_SETTINGS,
    SET_RADIO_SETTINGS,
    SET_ROUTER_LED_SETTINGS,
    SET_WIRELESS_SCHEDULER_SETTINGS,
    SET_WPS_SETTINGS,
)
from .jnap.firewall import GET_ACTIONS, SET_ACTIONS
from .jnap.models import (
    PORT_RULE_KINDS,
    RANGE_FORWARDING,
    SINGLE_FORWARDING,
    TRIGGERING,
    PortRule,
    PortRules,
)
from .jnap.writes import AUTO_INSTALL
from .snapshot import ClientView, RouterSnapshot

# Writes go to the router one at a time.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class LinksysJnapControlSwitchEntityDescription(
    SwitchEntityDescription, LinksysJnapControlEntityDescription
):
    """A switch: written through the client's safe setters by its ``control_fn``."""


@dataclass(frozen=True, kw_only=True)
class LinksysJnapSwitchEntityDescription(
    LinksysJnapControlSwitchEntityDescription, LinksysJnapOnOffEntityDescription
):
    """A router switch: its state from the snapshot."""


@dataclass(frozen=True, kw_only=True)
class LinksysJnapClientSwitchEntityDescription(
    LinksysJnapControlSwitchEntityDescription
):
    """A per-client switch."""

    is_on_fn: Callable[[RouterSnapshot, ClientView], bool | None]
    attributes_fn: (
        Callable[[LinksysJnapCoordinator, ClientView], dict[str, Any] | None] | None
    ) = None


def _night_mode(coordinator: LinksysJnapCoordinator) -> bool:
    return supports_all(GET_LED_NIGHT_MODE, SET_LED_NIGHT_MODE)(coordinator)


SWITCHES: tuple[LinksysJnapSwitchEntityDescription, ...] = (
    LinksysJnapSwitchEntityDescription(
        key="guest_wifi",
        is_on_fn=lambda d: d.guest_network.is_enabled if d.guest_network else None,
        present_fn=lambda d: d.guest_network is not None,
        control_fn=lambda co, _router, on: co.api.set_guest_network_enabled(on),
        supported_fn=supports_all(GET_GUEST_RADIO_SETTINGS, SET_GUEST_RADIO_SETTINGS),
    ),
    LinksysJnapSwitchEntityDescription(
        key="leds",
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda d: d.leds.is_switchport_led_enabled if d.leds else None,
        present_fn=lambda d: d.leds is not None,
        control_fn=lambda co, _router, on: co.api.set_leds_enabled(on),
        # Where night mode is served, it is the LED control (as in the Linksys app).
        supported_fn=lambda c: (
            supports_all(GET_ROUTER_LED_SETTINGS, SET_ROUTER_LED_SETTINGS)(c)
            and not _night_mode(c)
        ),
    ),
    LinksysJnapSwitchEntityDescription(
        key="led_night_mode",
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda d: d.led_night_mode.enabled if d.led_night_mode else None,
        present_fn=lambda d: d.led_night_mode is not None,
        control_fn=lambda co, _router, on: co.api.set_led_night_mode(on),
        supported_fn=_night_mode,
    ),
    LinksysJnapSwitchEntityDescription(
        key="parental_controls",
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda d: (
            d.parental_control.is_enabled if d.parental_control else None
        ),
        present_fn=lambda d: d.parental_control is not None,
        control_fn=lambda co, _router, on: co.api.set_parental_control_enabled(on),
        supported_fn=parental_writes_safe,
    ),
    LinksysJnapSwitchEntityDescription(
        # Where the WPS button refuses "WPS is off", this turns it on.
        key="wps",
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda d: d.wps_settings.enabled if d.wps_settings else None,
        present_fn=lambda d: d.wps_settings is not None,
        control_fn=lambda co, _router, on: co.api.set_wps_enabled(on),
        supported_fn=supports_all(
            GET_WPS_SETTINGS, SET_WPS_SETTINGS, GET_WPS_SESSION_STATUS
        ),
    ),
)


# --- main Wi-Fi per radio, its schedule, automatic firmware updates -----------------------


def _radio_enabled(data: RouterSnapshot, radio_id: str) -> bool | None:
    radios = data.radios.radios if data.radios is not None else ()
    return next((r.is_enabled for r in radios if r.radio_id == radio_id), None)


def _radio_label(radio_id: str) -> str:
    # RADIO_2.4GHz -> "2.4 GHz", RADIO_5GHz_2 -> "5 GHz 2" (the firmware's radio IDs).
    label = radio_id.removeprefix("RADIO_").replace("GHz", " GHz").replace("_", " ")
    return " ".join(label.split())


def radio_switches(
    coordinator: LinksysJnapCoordinator,
) -> list[LinksysJnapSwitchEntityDescription]:
    """One switch per main radio the router lists (``SetRadioSettings3`` where served)."""
    radios = coordinator.data.radios
    if radios is None or not supports_all(GET_RADIO_INFO, SET_RADIO_SETTINGS)(
        coordinator
    ):
        return []
    return [_radio_switch(radio.radio_id) for radio in radios.radios]


def _radio_switch(radio_id: str) -> LinksysJnapSwitchEntityDescription:
    def control(co: LinksysJnapCoordinator, _router: str, on: bool) -> Awaitable[None]:
        return co.api.set_radio_enabled(radio_id, on)

    return LinksysJnapSwitchEntityDescription(
        key=f"main_wifi_{radio_id}",
        translation_key="main_wifi",
        translation_placeholders={"band": _radio_label(radio_id)},
        is_on_fn=lambda d: _radio_enabled(d, radio_id),
        present_fn=lambda d: _radio_enabled(d, radio_id) is not None,
        control_fn=control,
    )


WIFI_SWITCHES: tuple[LinksysJnapSwitchEntityDescription, ...] = (
    LinksysJnapSwitchEntityDescription(
        key="wifi_schedule",
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda d: (
            d.wireless_scheduler.is_enabled if d.wireless_scheduler else None
        ),
        present_fn=lambda d: d.wireless_scheduler is not None,
        control_fn=lambda co, _router, on: co.api.set_wireless_scheduler(enabled=on),
        supported_fn=supports_all(
            GET_WIRELESS_SCHEDULER_SETTINGS, SET_WIRELESS_SCHEDULER_SETTINGS
        ),
    ),
    LinksysJnapSwitchEntityDescription(
        key="auto_firmware_update",
        entity_category=EntityCategory.CONFIG,
        is_on_fn=lambda d: (
            d.firmware_update_settings.update_policy == AUTO_INSTALL
            if d.firmware_update_settings
            and d.firmware_update_settings.update_policy is not None
            else None
        ),
        present_fn=lambda d: d.firmware_update_settings is not None,
        control_fn=lambda co, _router, on: co.api.set_auto_firmware_update(on),
        supported_fn=supports_all(
            GET_FIRMWARE_UPDATE_SETTINGS, SET_FIRMWARE_UPDATE_SETTINGS
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


async def _set_internet_access(
    coordinator: LinksysJnapCoordinator, key: str, on: bool
) -> None:
    # Off blocks the client's MACs around the clock (a rule of ours, in place of its
    # schedule rule, with MACs lent out of the user's rules); on removes that block,
    # gives lent MACs back and puts the schedule back, if it has one.
    client = coordinator.data.clients[key]
    plans = coordinator.config_entry.runtime_data.plans
    if on:
        await plans.async_unblock(client)
    else:
        await plans.async_block_now(client)


async def _set_qos_priority(
    coordinator: LinksysJnapCoordinator, key: str, on: bool
) -> None:
    # On gives the client's MACs a High device rule (and turns QoS on); off drops it.
    client = coordinator.data.clients[key]
    await coordinator.api.set_device_qos_priority(client.macs, on, label=client.name)


CLIENT_SWITCHES: tuple[LinksysJnapClientSwitchEntityDescription, ...] = (
    LinksysJnapClientSwitchEntityDescription(
        key="internet_access",
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        is_on_fn=_internet_access,
        present_fn=lambda d: d.parental_control is not None,
        control_fn=_set_internet_access,
        attributes_fn=_schedule_attributes,
        supported_fn=parental_writes_safe,
    ),
    LinksysJnapClientSwitchEntityDescription(
        key="qos_priority",
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        is_on_fn=lambda d, c: (
            None if d.qos is None else is_device_prioritized(d.qos, c.macs)
        ),
        present_fn=lambda d: d.qos is not None,
        control_fn=_set_qos_priority,
        supported_fn=supports_all(GET_QOS_SETTINGS, SET_QOS_SETTINGS),
    ),
)


class _ControlSwitch(LinksysJnapEntity, SwitchEntity):
    """Turned on and off through its description's ``control_fn`` (no optimistic state)."""

    entity_description: LinksysJnapControlSwitchEntityDescription

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch on through a read-modify-write of the router's settings."""
        await self.async_control(self.entity_description.control_fn, True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch off through a read-modify-write of the router's settings."""
        await self.async_control(self.entity_description.control_fn, False)


class LinksysJnapSwitch(LinksysJnapOnOffEntity, _ControlSwitch):
    """A switch of the router."""

    entity_description: LinksysJnapSwitchEntityDescription


class LinksysJnapClientSwitch(LinksysJnapClientEntity, _ControlSwitch):
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


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches the router supports, and per-client switches."""
    async_add_described(entry, async_add_entities, LinksysJnapSwitch, SWITCHES)
    async_add_described(
        entry,
        async_add_entities,
        LinksysJnapSwitch,
        (*WIFI_SWITCHES, *radio_switches(entry.runtime_data.coordinator)),
    )
    async_add_described_for(
        entry, async_add_entities, CLIENTS, LinksysJnapClientSwitch, CLIENT_SWITCHES
    )
    _async_add_port_rule_switches(hass, entry, async_add_entities)


# --- port forwarding and triggering: a switch per rule, coming and going with the rules ---

# The snapshot field of each kind of rule (``PortRule.kind``).
_PORT_RULE_PARTS: dict[str, str] = {
    SINGLE_FORWARDING: "single_port_forwarding",
    RANGE_FORWARDING: "port_range_forwarding",
    TRIGGERING: "port_range_triggering",
}
PORT_RULE_SWITCHES: dict[str, SwitchEntityDescription] = {
    kind: SwitchEntityDescription(
        key="port_triggering" if kind == TRIGGERING else "port_forwarding",
        entity_category=EntityCategory.CONFIG,
    )
    for kind in PORT_RULE_KINDS
}


def _rules_of(data: RouterSnapshot, kind: str) -> PortRules | None:
    rules: PortRules | None = getattr(data, _PORT_RULE_PARTS[kind])
    return rules


def _rule_attributes(rule: PortRule) -> dict[str, Any]:
    attributes: dict[str, Any] = {"description": rule.description}
    if rule.kind == TRIGGERING:
        attributes["trigger_ports"] = rule.ports
        if rule.forwarded is not None:
            low, high = rule.forwarded
            attributes["forwarded_ports"] = str(low) if low == high else f"{low}-{high}"
        return attributes
    attributes.update(
        protocol=rule.protocol, external_ports=rule.ports, target=rule.target
    )
    if rule.internal_port is not None:
        attributes["internal_port"] = rule.internal_port
    return attributes


class LinksysJnapPortRuleSwitch(LinksysJnapEntity, SwitchEntity):
    """One port forwarding or triggering rule of the router, named by its description."""

    def __init__(self, coordinator: LinksysJnapCoordinator, rule: PortRule) -> None:
        """Initialise for one rule of the snapshot."""
        super().__init__(coordinator, PORT_RULE_SWITCHES[rule.kind])
        self.kind, self.rule_key = rule.kind, rule.key
        self._attr_unique_id = port_rule_unique_id(coordinator.serial, rule.key)
        self._attr_translation_placeholders = {"rule": rule.label}

    @property
    def rule(self) -> PortRule | None:
        """This rule in the last snapshot (None: its list failed, or it is gone)."""
        rules = _rules_of(self.data, self.kind)
        return None if rules is None else rules.get(self.rule_key)

    def _is_data_present(self) -> bool:
        return self.rule is not None

    def _data_key(self) -> Any:
        rule = self.rule
        return None if rule is None else (rule.is_enabled, rule.label, rule.raw)

    @callback
    def _handle_coordinator_update(self) -> None:
        rule = self.rule
        if rule is not None and rule.label != self.translation_placeholders["rule"]:
            # Renamed on the router: the name follows (it is cached until told).
            self._attr_translation_placeholders = {"rule": rule.label}
            self.__dict__.pop("name", None)
        super()._handle_coordinator_update()

    @property
    def is_on(self) -> bool | None:
        """Whether the rule is enabled."""
        rule = self.rule
        return None if rule is None else rule.is_enabled

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Ports, protocol and target, as the router lists them."""
        rule = self.rule
        return None if rule is None else _rule_attributes(rule)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Enable the rule (every other rule stays as it is)."""
        await self._async_set(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Disable the rule (every other rule stays as it is)."""
        await self._async_set(False)

    async def _async_set(self, enabled: bool) -> None:
        await async_router_write(
            self.coordinator,
            self.coordinator.api.set_port_rule_enabled,
            self.kind,
            self.rule_key,
            enabled,
        )


@callback
def _async_add_port_rule_switches(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a switch per rule now and as rules appear; remove those of deleted rules.

    A list that failed keeps its switches (unavailable); a rule the router no longer lists
    loses its entity, as core integrations remove entities of objects that are gone.
    """
    coordinator = entry.runtime_data.coordinator
    kinds = [
        kind
        for kind in PORT_RULE_KINDS
        if supports_all(GET_ACTIONS[kind], SET_ACTIONS[kind])(coordinator)
    ]
    registry = er.async_get(hass)
    prefix = port_rule_unique_id(coordinator.serial, "")
    # Rule keys with an entity: registered ones (kept from before a restart) and added ones.
    known: set[str] = {
        e.unique_id.removeprefix(prefix)
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.domain == "switch" and e.unique_id.startswith(prefix)
    }
    added: set[str] = set()
    seen: list[PortRules | None] = []

    @callback
    def _async_sync() -> None:
        data = coordinator.data
        parts = [_rules_of(data, kind) for kind in PORT_RULE_KINDS]
        if parts == seen:
            return
        seen[:] = parts
        listed: dict[str, PortRule] = {}
        kept: set[str] = set()
        for kind, rules in zip(PORT_RULE_KINDS, parts, strict=True):
            if kind in kinds and rules is None:
                kept |= {k for k in known if k.startswith(f"{kind}_")}
            elif rules is not None and kind in kinds:
                listed.update((rule.key, rule) for rule in rules.rules)
        for key in known - set(listed) - kept:
            known.discard(key)
            added.discard(key)
            unique_id = port_rule_unique_id(coordinator.serial, key)
            if entity_id := registry.async_get_entity_id("switch", DOMAIN, unique_id):
                registry.async_remove(entity_id)
        new = [key for key in listed if key not in added]
        known.update(new)
        added.update(new)
        if new:
            async_add_entities(
                LinksysJnapPortRuleSwitch(coordinator, listed[key]) for key in new
            )

    _async_sync()
    entry.async_on_unload(coordinator.async_add_listener(_async_sync))
