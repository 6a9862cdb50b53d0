"""The Linksys Smart Wi-Fi (JNAP) integration."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .card import async_register_card
from .connection import configuration_url, create_client
from .const import DOMAIN, PLATFORMS
from .coordinator import (
    LinksysJnapConfigEntry,
    LinksysJnapCoordinator,
    LinksysJnapRuntimeData,
)
from .devices import client_key_of, router_device_info
from .errors import setup_error
from .jnap import JNAPAuthenticationError, JNAPError
from .jnap.actions import DELETE_DEVICE
from .jnap.writes import DeviceDeletions
from .plans import EntryPlans, plans_store
from .presence import presence_store
from .repairs import async_setup_password_check
from .services import async_setup_services
from .services_router import async_setup_router_services
from .services_wifi import async_setup_wifi_services
from .websocket import async_setup_websocket

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the service actions, the network map's commands and its card."""
    async_setup_services(hass)
    async_setup_router_services(hass)
    async_setup_wifi_services(hass)
    async_setup_websocket(hass)
    await async_register_card(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: LinksysJnapConfigEntry) -> bool:
    """Set up a router from a config entry."""
    data = dict(entry.data)
    try:
        api = create_client(hass, data)
    except ValueError as err:
        raise ConfigEntryError(
            translation_domain=DOMAIN, translation_key="invalid_host"
        ) from err
    # Capabilities are read once here, with the factory-password flag: one request of
    # open actions (no password), before the poll's password transaction.
    try:
        router, is_default_password = await api.read_router_info()
    except JNAPError as err:
        raise setup_error(err) from err
    if router.serial_number != entry.unique_id:
        # Another router answers at this address now; don't send it our password.
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="wrong_router",
            translation_placeholders={"host": api.host},
        )

    coordinator = LinksysJnapCoordinator(hass, entry, api, router)
    await coordinator.async_config_entry_first_refresh()

    device_info = router_device_info(
        router,
        configuration_url=configuration_url(data),
        macs=coordinator.data.router_macs,
    )
    # Pre-create the router device: client devices link to it by id.
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, **device_info
    )
    coordinator.devices.router_device_id = device.id
    coordinator.devices.async_register(coordinator.data.clients)
    coordinator.devices.async_register_nodes(coordinator.data.mesh_nodes())
    coordinator.async_remove_forgotten()
    plans = EntryPlans(hass, coordinator)
    await plans.async_load()
    entry.runtime_data = LinksysJnapRuntimeData(
        api=api, coordinator=coordinator, device_info=device_info, plans=plans
    )
    # A visitor Wi-Fi deadline that passed while Home Assistant was down acts now.
    plans.async_start()
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    # Factory-password repair issue: the answer read above now (setup, reload, reauth),
    # then checked hourly.
    async_setup_password_check(hass, entry, initial=is_default_password)
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: LinksysJnapConfigEntry
) -> bool:
    """Unload a config entry."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.coordinator.presence.async_save()
        await entry.runtime_data.plans.async_save()
    return unloaded


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: LinksysJnapConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user remove a client device that is not connected.

    The router keeps every client it ever saw, so the client is also deleted from the
    router's list when the router supports it; otherwise it returns after a reload.
    """
    coordinator = entry.runtime_data.coordinator
    if device.id == coordinator.devices.router_device_id:
        return False
    keys = [
        key
        for identifier in device.identifiers
        if (key := client_key_of(coordinator.serial, identifier)) is not None
    ]
    client = coordinator.data.clients.get(keys[0]) if keys else None
    if client is None:
        return True
    if coordinator.presence.is_home(client.key):
        return False
    api = entry.runtime_data.api
    if api.capabilities and api.capabilities.has_action(DELETE_DEVICE):
        if coordinator.auth_failed:
            return False  # never send a refused password again before reauth
        done = DeviceDeletions()
        try:
            await api.delete_devices([client.key], done)
        except JNAPAuthenticationError:
            coordinator.async_password_refused()
            return False
        except JNAPError:
            return False
        return not done.refused
    return True


async def async_remove_entry(
    hass: HomeAssistant, entry: LinksysJnapConfigEntry
) -> None:
    """Delete the stored presence times and plans of a removed entry."""
    await presence_store(hass, entry.entry_id).async_remove()
    await plans_store(hass, entry.entry_id).async_remove()
