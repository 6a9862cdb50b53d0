"""Config flow for the Linksys Smart Wi-Fi (JNAP) integration."""

from __future__ import annotations

from homeassistant.config_entries import ConfigFlow

from .const import DOMAIN


class LinksysJnapConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Linksys router."""

    VERSION = 1
