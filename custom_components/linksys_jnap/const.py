"""Constants of the Linksys Smart Wi-Fi (JNAP) integration."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from homeassistant.const import Platform

DOMAIN: Final = "linksys_jnap"
MANUFACTURER: Final = "Linksys"

CONF_CONSIDER_HOME: Final = "consider_home"
DEFAULT_CONSIDER_HOME: Final = 180  # seconds
MAX_CONSIDER_HOME: Final = 86400  # seconds
DEFAULT_HOST: Final = "192.168.1.1"
DEFAULT_SSL: Final = False
DEFAULT_VERIFY_SSL: Final = False

SCAN_INTERVAL: Final = timedelta(seconds=30)
# While a reboot or firmware operation runs, poll faster to notice its end sooner.
FAST_SCAN_INTERVAL: Final = timedelta(seconds=10)
# The vendor app waits up to 4 minutes for a router restart; a firmware install is longer.
FAST_POLL_LIMIT: Final = timedelta(minutes=10)
REQUEST_TIMEOUT: Final = 10.0  # seconds, per HTTP round trip

# Presence bookkeeping (last seen per client) survives restarts in this store.
PRESENCE_STORAGE_VERSION: Final = 1
PRESENCE_SAVE_DELAY: Final = 60.0  # seconds

# Every platform the integration can have; __init__ forwards those whose module exists.
PLATFORMS: Final[tuple[Platform, ...]] = (
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.DEVICE_TRACKER,
    Platform.EVENT,
    Platform.IMAGE,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.UPDATE,
)
