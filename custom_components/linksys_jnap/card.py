"""Serve the network map card (frontend/linksys-network-card.js) and load it on every page.

No HACS frontend install and no manual dashboard resource: the integration serves the file
and adds it to the frontend's extra modules. Only when the frontend runs (a headless
Home Assistant, or the test harness, has none; ``after_dependencies`` orders the two).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http.server import StaticPathConfig
from homeassistant.core import HomeAssistant

from .const import DOMAIN

CARD_FILE = Path(__file__).parent / "frontend" / "linksys-network-card.js"
CARD_URL = f"/{DOMAIN}/linksys-network-card.js"


async def async_register_card(hass: HomeAssistant) -> bool:
    """Serve the card and have the frontend load it; False without a frontend."""
    if "frontend" not in hass.config.components:
        return False
    content = await hass.async_add_executor_job(CARD_FILE.read_bytes)
    # The version in the URL changes with the file: browsers cache it until it does.
    version = hashlib.sha256(content).hexdigest()[:12]
    await hass.http.async_register_static_paths(
        [StaticPathConfig(CARD_URL, str(CARD_FILE), cache_headers=True)]
    )
    add_extra_js_url(hass, f"{CARD_URL}?v={version}")
    return True
