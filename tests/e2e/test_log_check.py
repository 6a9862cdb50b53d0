"""The hass.log check every e2e stack runs at its end (no Home Assistant process needed)."""

from __future__ import annotations

from .stack import log_problems

START = (
    "2026-12-06 18:10:48.453+00:00 WARNING (MainThread) [homeassistant.bootstrap]"
    " Skipping pip installation of required modules. This may cause issues\n"
    "2026-12-06 18:10:48.456+00:00 WARNING (SyncWorker_0) [homeassistant.loader]"
    " We found a custom integration linksys_jnap which has not been tested by Home"
    " Assistant. This component might cause stability problems\n"
    "2026-12-06 18:10:49.001+00:00 DEBUG (MainThread)"
    " [custom_components.linksys_jnap.coordinator] Finished fetching data\n"
    "2026-12-06 18:10:49.002+00:00 WARNING (MainThread) [homeassistant.components.met]"
    " Unrelated warning of another integration\n"
)
DETECTED = (
    "2026-12-06 18:10:49.100+00:00 WARNING (MainThread) [homeassistant.helpers.frame]"
    " Detected that custom integration 'linksys_jnap' does not provide device info for"
    " its ScannerEntity device tracker, ... This will stop working in Home Assistant"
    " 2027.11.0"
)
OURS = (
    "2026-12-06 18:10:49.200+00:00 WARNING (MainThread)"
    " [custom_components.linksys_jnap.jnap.transport] Router answered slowly"
)
ABOUT_US = (
    "2026-12-06 18:10:49.300+00:00 ERROR (MainThread) [homeassistant.config_entries]"
    " Error setting up entry EA7500 for linksys_jnap"
)


def test_a_clean_start_passes() -> None:
    assert log_problems(START) == []


def test_deprecations_and_our_warnings_fail_once_each() -> None:
    log = f"{START}\n{DETECTED}\n{OURS}\n{ABOUT_US}\n{DETECTED}\nTraceback (most..."
    assert log_problems(log) == [DETECTED, OURS, ABOUT_US]
