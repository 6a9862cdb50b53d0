"""Service action: the main Wi-Fi's weekly off hours (the router's wireless scheduler).

The schedule is the router's own (``wirelessscheduler``): it runs while Home Assistant is
down. Written by the same read-modify-write helper as the **Wi-Fi schedule** switch.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
import probatio

from .const import DOMAIN
from .entity import async_router_write, supports_all
from .jnap import blocked_periods, weekly_schedule
from .jnap.actions import (
    GET_WIRELESS_SCHEDULER_SETTINGS,
    SET_WIRELESS_SCHEDULER_SETTINGS,
)
from .jnap.radio import configurable_main_radios
from .services import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_REPLACE,
    WEEKLY_FIELDS,
    invalid_input,
    loaded_coordinator,
    weekly_windows,
)

SERVICE_SET_WIFI_SCHEDULE: Final = "set_wifi_schedule"
ATTR_RADIOS: Final = "radios"
ATTR_ENABLE: Final = "enable"

SET_WIFI_SCHEDULE_SCHEMA: Final = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        **WEEKLY_FIELDS,
        probatio.Optional(ATTR_RADIOS): probatio.All(
            cv.ensure_list, [cv.string], probatio.Length(1)
        ),
        probatio.Optional(ATTR_ENABLE, default=True): cv.boolean,
    }
)


async def _async_set_wifi_schedule(call: ServiceCall) -> ServiceResponse:
    """Turn the main Wi-Fi off between two times on some days, every week."""
    coordinator = loaded_coordinator(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    current = coordinator.data.wireless_scheduler
    if current is None or not supports_all(
        GET_WIRELESS_SCHEDULER_SETTINGS, SET_WIRELESS_SCHEDULER_SETTINGS
    )(coordinator):
        raise invalid_input("wifi_schedule_unavailable")
    windows = weekly_windows(call)
    radios: list[str] | None = call.data.get(ATTR_RADIOS)
    known = configurable_main_radios(current.raw)
    if radios is not None and (unknown := [r for r in radios if r not in known]):
        raise invalid_input(
            "unknown_wifi_radio", radio=", ".join(unknown), radios=", ".join(known)
        )
    base = None if call.data[ATTR_REPLACE] else current.schedule
    # 1 is Wi-Fi on, as 1 is internet allowed in a parental rule: the same week.
    schedule = weekly_schedule(windows, base)
    await async_router_write(
        coordinator,
        coordinator.api.set_wireless_scheduler,
        enabled=True if call.data[ATTR_ENABLE] else None,
        schedule=schedule,
        radios=radios,
    )
    if not call.return_response:
        return None
    after = coordinator.data.wireless_scheduler
    result: dict[str, Any] = {
        "enabled": after.is_enabled if after else None,
        "wifi_off": dict(blocked_periods(after.schedule))
        if after and after.schedule
        else None,
        "radios": configurable_main_radios(after.raw, configured=True)
        if after
        else None,
    }
    return result


@callback
def async_setup_wifi_services(hass: HomeAssistant) -> None:
    """Register the Wi-Fi schedule action (once, for every entry)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_SET_WIFI_SCHEDULE,
        _async_set_wifi_schedule,
        schema=SET_WIFI_SCHEDULE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
