"""Constants of the Linksys Smart Wi-Fi (JNAP) integration."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

DOMAIN: Final = "linksys_jnap"
MANUFACTURER: Final = "Linksys"

CONF_CONSIDER_HOME: Final = "consider_home"
DEFAULT_CONSIDER_HOME: Final = 180  # seconds
DEFAULT_HOST: Final = "192.168.1.1"

SCAN_INTERVAL: Final = timedelta(seconds=30)
REQUEST_TIMEOUT: Final = 10.0  # seconds, per HTTP round trip
