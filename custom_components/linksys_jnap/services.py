"""Service actions: visitor Wi-Fi, internet schedules per client, port forwarding.

Registered once in ``async_setup``; each call finds its router's loaded entry (by
``config_entry_id``, or the client's device) and writes through the same read-modify-write
helpers as the entities, refreshing after the write.
"""

from __future__ import annotations

from datetime import time, timedelta
import ipaddress
from typing import Any, Final

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.service import async_get_config_entry
from homeassistant.util import dt as dt_util
import probatio

from .const import DOMAIN
from .coordinator import LinksysJnapConfigEntry, LinksysJnapCoordinator
from .devices import client_key_of
from .entity import async_router_write, parental_writes_safe, supports
from .jnap import (
    blocked_periods,
    generate_guest_passphrase,
    is_device_internet_blocked,
    is_valid_guest_passphrase,
    weekly_schedule,
)
from .jnap.actions import (
    GET_GUEST_RADIO_SETTINGS,
    GET_LAN_SETTINGS,
    GET_PORT_RANGE_FORWARDING,
    GET_SINGLE_PORT_FORWARDING,
    SET_GUEST_RADIO_SETTINGS,
    SET_PORT_RANGE_FORWARDING,
    SET_SINGLE_PORT_FORWARDING,
)
from .jnap.firewall import PROTOCOLS, NewForward
from .jnap.guest import guest_payload
from .jnap.models import DAYS
from .snapshot import ClientView

SERVICE_SET_GUEST_WIFI: Final = "set_guest_wifi"
SERVICE_SET_INTERNET_SCHEDULE: Final = "set_internet_schedule"
SERVICE_CLEAR_INTERNET_SCHEDULE: Final = "clear_internet_schedule"

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_DEVICE_ID: Final = "device_id"
ATTR_ENABLED: Final = "enabled"
ATTR_DURATION: Final = "duration"
ATTR_PASSPHRASE: Final = "passphrase"  # noqa: S105
ATTR_GENERATE: Final = "generate_passphrase"
ATTR_DAYS: Final = "days"
ATTR_START: Final = "start"
ATTR_END: Final = "end"
ATTR_REPLACE: Final = "replace"

SET_GUEST_WIFI_SCHEMA: Final = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Required(ATTR_ENABLED): cv.boolean,
        probatio.Optional(ATTR_DURATION): probatio.All(
            cv.time_period, cv.positive_timedelta
        ),
        probatio.Optional(ATTR_PASSPHRASE): cv.string,
        probatio.Optional(ATTR_GENERATE, default=False): cv.boolean,
    }
)
# The week's fields of both schedule actions (clients' internet, the main Wi-Fi).
WEEKLY_FIELDS: Final = {
    probatio.Required(ATTR_DAYS): probatio.All(
        cv.ensure_list, [probatio.In(DAYS)], probatio.Length(1)
    ),
    probatio.Required(ATTR_START): cv.time,
    probatio.Required(ATTR_END): cv.time,
    probatio.Optional(ATTR_REPLACE, default=True): cv.boolean,
}
SET_INTERNET_SCHEDULE_SCHEMA: Final = probatio.Schema(
    {probatio.Required(ATTR_DEVICE_ID): cv.string, **WEEKLY_FIELDS}
)
CLEAR_INTERNET_SCHEDULE_SCHEMA: Final = probatio.Schema(
    {probatio.Required(ATTR_DEVICE_ID): cv.string}
)
SERVICE_ADD_PORT_FORWARD: Final = "add_port_forward"
ATTR_DESCRIPTION: Final = "description"
ATTR_PROTOCOL: Final = "protocol"
ATTR_EXTERNAL_PORT: Final = "external_port"
ATTR_EXTERNAL_PORT_END: Final = "external_port_end"
ATTR_INTERNAL_PORT: Final = "internal_port"
ATTR_IP_ADDRESS: Final = "ip_address"
# Ports are checked by the handler, so a bad one gets a translated error.
ADD_PORT_FORWARD_SCHEMA: Final = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Required(ATTR_DESCRIPTION): cv.string,
        probatio.Required(ATTR_IP_ADDRESS): cv.string,
        probatio.Required(ATTR_EXTERNAL_PORT): probatio.Coerce(int),
        probatio.Optional(ATTR_EXTERNAL_PORT_END): probatio.Coerce(int),
        probatio.Optional(ATTR_INTERNAL_PORT): probatio.Coerce(int),
        probatio.Optional(ATTR_PROTOCOL, default="Both"): probatio.In(PROTOCOLS),
        probatio.Optional(ATTR_ENABLED, default=True): cv.boolean,
    }
)


def invalid_input(key: str, **placeholders: str) -> ServiceValidationError:
    """Return the translated refusal of a service call's input (nothing was sent)."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def loaded_coordinator(
    hass: HomeAssistant, entry_id: str | None
) -> LinksysJnapCoordinator:
    """Return the coordinator of the call's (or the only) loaded router entry."""
    entry: LinksysJnapConfigEntry = async_get_config_entry(hass, DOMAIN, entry_id)
    return entry.runtime_data.coordinator


async def _async_set_guest_wifi(call: ServiceCall) -> ServiceResponse:
    """Turn the guest Wi-Fi on (for a while, with a new password) or off."""
    coordinator = loaded_coordinator(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    guest = coordinator.data.guest_network
    if guest is None or not (
        supports(coordinator, GET_GUEST_RADIO_SETTINGS)
        and supports(coordinator, SET_GUEST_RADIO_SETTINGS)
    ):
        raise invalid_input("guest_wifi_unavailable")
    enabled: bool = call.data[ATTR_ENABLED]
    duration: timedelta | None = call.data.get(ATTR_DURATION)
    passphrase: str | None = call.data.get(ATTR_PASSPHRASE)
    if duration is not None and not enabled:
        raise invalid_input("duration_needs_on")
    portal = guest.uses_portal_password
    if call.data[ATTR_GENERATE]:
        if passphrase is not None:
            raise invalid_input("passphrase_and_generate")
        passphrase = generate_guest_passphrase(portal=portal)
    elif passphrase is not None and not is_valid_guest_passphrase(
        passphrase, portal=portal
    ):
        if portal is None:
            raise invalid_input("invalid_guest_password")
        raise invalid_input(
            "invalid_guest_portal_password" if portal else "invalid_guest_passphrase"
        )
    await async_router_write(
        coordinator,
        coordinator.api.set_guest_network_enabled,
        enabled,
        passphrase=passphrase,
    )
    plans = coordinator.config_entry.runtime_data.plans
    until = None
    if enabled and duration is not None:
        until = (dt_util.utcnow() + duration).replace(microsecond=0)
    plans.async_set_guest_deadline(until)
    if not call.return_response:
        return None
    guest = coordinator.data.guest_network
    radio = next((r for r in guest.radios if r.ssid), None) if guest else None
    return {
        "enabled": guest.is_enabled if guest else None,
        "ssid": radio.ssid if radio else None,
        "passphrase": radio.passphrase if radio else None,
        "qr_payload": guest_payload(guest),
        "ends_at": plans.guest_until.isoformat() if plans.guest_until else None,
    }


def client_of_device(
    hass: HomeAssistant, device_id: str
) -> tuple[LinksysJnapCoordinator, ClientView]:
    """Return the loaded entry and snapshot client of a client's device."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        raise invalid_input("unknown_device", device_id=device_id)
    for entry_id in device.config_entries:
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            continue
        coordinator = loaded_coordinator(hass, entry_id)
        for identifier in device.identifiers:
            key = client_key_of(coordinator.serial, identifier)
            if key is not None and (client := coordinator.data.clients.get(key)):
                return coordinator, client
    raise invalid_input("not_a_client", device=device.name_by_user or device.name or "")


def _half_hour_slot(value: time) -> int:
    """Return the half-hour slot of a time; refuse a time between slots."""
    if value.minute not in (0, 30) or value.second or value.microsecond:
        raise invalid_input("schedule_half_hours", time=value.strftime("%H:%M:%S"))
    return value.hour * 2 + value.minute // 30


def weekly_windows(call: ServiceCall) -> list[tuple[int, int, int]]:
    """Return the call's ``WEEKLY_FIELDS`` as ``weekly_schedule`` windows (checked here)."""
    first = _half_hour_slot(call.data[ATTR_START])
    end = _half_hour_slot(call.data[ATTR_END])
    return [(DAYS.index(day), first, end) for day in call.data[ATTR_DAYS]]


def _schedules_writable(coordinator: LinksysJnapCoordinator) -> None:
    if (
        not parental_writes_safe(coordinator)
        or coordinator.data.parental_control is None
    ):
        raise invalid_input("schedules_unavailable")


async def _async_set_internet_schedule(call: ServiceCall) -> ServiceResponse:
    """Give a client weekly blocked hours (a rule of ours on the router)."""
    coordinator, client = client_of_device(call.hass, call.data[ATTR_DEVICE_ID])
    _schedules_writable(coordinator)
    windows = weekly_windows(call)
    plans = coordinator.config_entry.runtime_data.plans
    base = None if call.data[ATTR_REPLACE] else plans.schedules.get(client.key)
    schedule = weekly_schedule(windows, base)
    rules = coordinator.data.parental_control
    assert rules is not None
    # A block now holds the client's MACs (a MAC is in one rule only): the schedule waits
    # for the user to turn Internet access on, so nothing is written behind their back.
    if is_device_internet_blocked(rules, client.macs):
        raise invalid_input("client_blocked", name=client.name)
    await async_router_write(
        coordinator,
        coordinator.api.set_device_internet_schedule,
        client.macs,
        schedule,
        label=client.name,
    )
    plans.async_set_schedule(client.key, schedule)
    if not call.return_response:
        return None
    blocked: dict[str, Any] = dict(blocked_periods(schedule))
    return {"active": True, "blocked": blocked}


async def _async_clear_internet_schedule(call: ServiceCall) -> None:
    """Remove a client's schedule (a block by the Internet access switch stays)."""
    coordinator, client = client_of_device(call.hass, call.data[ATTR_DEVICE_ID])
    _schedules_writable(coordinator)
    rules = coordinator.data.parental_control
    assert rules is not None
    if not is_device_internet_blocked(rules, client.macs):
        await async_router_write(
            coordinator,
            coordinator.api.set_device_internet_schedule,
            client.macs,
            None,
            label=client.name,
        )
    coordinator.config_entry.runtime_data.plans.async_set_schedule(client.key, None)


def _port_forward_rule(call: ServiceCall, max_description: int | None) -> NewForward:
    """Return the rule the call asks for; what is wrong with it alone is refused here."""
    first: int = call.data[ATTR_EXTERNAL_PORT]
    last: int = call.data.get(ATTR_EXTERNAL_PORT_END, first)
    internal: int | None = call.data.get(ATTR_INTERNAL_PORT)
    # Port 0 passes the firmware's check (0-65535) but forwards nothing: refused here.
    for port in (first, last, internal):
        if port is not None and not 1 <= port <= 65535:
            raise invalid_input("port_out_of_range", port=str(port))
    if first > last:
        raise invalid_input("port_range_reversed", start=str(first), end=str(last))
    if internal is not None and last != first:
        raise invalid_input("port_internal_with_range")
    target: str = call.data[ATTR_IP_ADDRESS].strip()
    try:
        ipaddress.IPv4Address(target)
    except ValueError:
        raise invalid_input("port_target_invalid", ip_address=target) from None
    description: str = call.data[ATTR_DESCRIPTION].strip()
    limit = max_description or 32
    if not description or len(description.encode()) > limit:
        raise invalid_input("port_description_invalid", limit=str(limit))
    return NewForward(
        description=description,
        protocol=call.data[ATTR_PROTOCOL],
        first_port=first,
        last_port=last,
        target=target,
        # One port: a single-port rule (to the same port unless told); a range forwards
        # to the same ports (firewall.lua sets its internal port to the first).
        internal_port=None
        if last != first
        else first
        if internal is None
        else internal,
        enabled=call.data[ATTR_ENABLED],
    )


async def _async_add_port_forward(call: ServiceCall) -> None:
    """Add a port forwarding rule: one port (or a range) to a LAN host."""
    coordinator = loaded_coordinator(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    data = coordinator.data
    needed = (
        GET_LAN_SETTINGS,
        GET_SINGLE_PORT_FORWARDING,
        SET_SINGLE_PORT_FORWARDING,
        GET_PORT_RANGE_FORWARDING,
        SET_PORT_RANGE_FORWARDING,
    )
    if not all(supports(coordinator, action) for action in needed):
        raise invalid_input("port_forwarding_unavailable")
    rules = data.single_port_forwarding or data.port_range_forwarding
    rule = _port_forward_rule(call, rules.max_description_length if rules else None)
    # The LAN, the overlap and the router's limits are checked against fresh lists.
    await async_router_write(coordinator, coordinator.api.add_port_forward, rule)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's service actions (once, for every entry)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_SET_GUEST_WIFI,
        _async_set_guest_wifi,
        schema=SET_GUEST_WIFI_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_SET_INTERNET_SCHEDULE,
        _async_set_internet_schedule,
        schema=SET_INTERNET_SCHEDULE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_CLEAR_INTERNET_SCHEDULE,
        _async_clear_internet_schedule,
        schema=CLEAR_INTERNET_SCHEDULE_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_ADD_PORT_FORWARD,
        _async_add_port_forward,
        schema=ADD_PORT_FORWARD_SCHEMA,
    )
