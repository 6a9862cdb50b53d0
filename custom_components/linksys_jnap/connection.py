"""The client for a config entry's (or a flow's) data: setup and the config flow share it."""

from __future__ import annotations

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_SSL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .const import DEFAULT_SSL, DEFAULT_VERIFY_SSL, REQUEST_TIMEOUT
from .jnap import JNAPClient


def create_client(hass: HomeAssistant, data: dict[str, object]) -> JNAPClient:
    """Create a JNAP client for config entry (or flow) data on Home Assistant's session."""
    verify_ssl = bool(data.get(CONF_VERIFY_SSL, DEFAULT_VERIFY_SSL))
    return JNAPClient(
        str(data[CONF_HOST]),
        str(data[CONF_PASSWORD]),
        async_get_clientsession(hass, verify_ssl=verify_ssl),
        use_https=bool(data.get(CONF_SSL, DEFAULT_SSL)),
        verify_ssl=verify_ssl,
        timeout=REQUEST_TIMEOUT,
    )


def configuration_url(data: dict[str, object]) -> str:
    """Return the URL of the router's web interface."""
    scheme = "https" if data.get(CONF_SSL, DEFAULT_SSL) else "http"
    return f"{scheme}://{data[CONF_HOST]}/"
