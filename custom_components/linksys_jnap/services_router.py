"""Service actions on the router's device list and from the router: clean-up, rename, ping.

Each is offered only where ``core/GetDeviceInfo`` lists its service (DeleteDevice:
DeviceList2, SetDeviceProperties: DeviceList, ping/traceroute: Diagnostics); elsewhere the
call is refused before any request. Input is checked before anything is sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util
import probatio

from .const import DOMAIN
from .coordinator import LinksysJnapCoordinator
from .entity import async_router_call, async_router_write, supports
from .jnap.actions import (
    DELETE_DEVICE,
    GET_PING_STATUS,
    GET_TRACEROUTE_STATUS,
    SET_DEVICE_PROPERTIES,
    START_PING,
    START_TRACEROUTE,
)
from .jnap.diagnostics import (
    MAX_PACKET_SIZE,
    MIN_PACKET_SIZE,
    DiagnosticRun,
    Wait,
    normalize_host,
    ping_summary,
    traceroute_hops,
)
from .jnap.text import PROPERTY_VALUE_MAX_BYTES, device_name
from .jnap.writes import DeviceDeletions
from .services import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DEVICE_ID,
    client_of_device,
    invalid_input,
    loaded_coordinator,
)
from .snapshot import ClientView

SERVICE_REMOVE_OFFLINE_CLIENTS: Final = "remove_offline_clients"
SERVICE_RENAME_CLIENT: Final = "rename_client"
SERVICE_PING: Final = "ping"
SERVICE_TRACEROUTE: Final = "traceroute"

ATTR_OLDER_THAN_DAYS: Final = "older_than_days"
ATTR_DRY_RUN: Final = "dry_run"
ATTR_NAME: Final = "name"
ATTR_HOST: Final = "host"
ATTR_COUNT: Final = "count"
ATTR_PACKET_SIZE: Final = "packet_size"
ATTR_TIMEOUT: Final = "timeout"

DEFAULT_OLDER_THAN_DAYS: Final = 30
DEFAULT_PING_COUNT: Final = 4
MAX_PING_COUNT: Final = 100
DEFAULT_PACKET_SIZE: Final = 56
"""``ping``'s own default payload."""
DEFAULT_TIMEOUT: Final = 60
MAX_TIMEOUT: Final = 600

REMOVE_OFFLINE_CLIENTS_SCHEMA: Final = probatio.Schema(
    {
        probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Optional(
            ATTR_OLDER_THAN_DAYS, default=DEFAULT_OLDER_THAN_DAYS
        ): probatio.All(probatio.Coerce(int), probatio.Range(min=1, max=3650)),
        probatio.Optional(ATTR_DRY_RUN, default=True): cv.boolean,
    }
)
RENAME_CLIENT_SCHEMA: Final = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Required(ATTR_NAME): str,
    }
)
_TEST_FIELDS: Final = {
    probatio.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
    probatio.Required(ATTR_HOST): cv.string,
    probatio.Optional(ATTR_TIMEOUT, default=DEFAULT_TIMEOUT): probatio.All(
        probatio.Coerce(int), probatio.Range(min=5, max=MAX_TIMEOUT)
    ),
}
PING_SCHEMA: Final = probatio.Schema(
    {
        **_TEST_FIELDS,
        probatio.Optional(ATTR_COUNT, default=DEFAULT_PING_COUNT): probatio.All(
            probatio.Coerce(int), probatio.Range(min=1, max=MAX_PING_COUNT)
        ),
        probatio.Optional(ATTR_PACKET_SIZE, default=DEFAULT_PACKET_SIZE): probatio.All(
            probatio.Coerce(int),
            probatio.Range(min=MIN_PACKET_SIZE, max=MAX_PACKET_SIZE),
        ),
    }
)
TRACEROUTE_SCHEMA: Final = probatio.Schema(_TEST_FIELDS)


# --- device-list clean-up ------------------------------------------------------------------


def _last_seen(coordinator: LinksysJnapCoordinator, key: str) -> datetime | None:
    """When presence last saw the client connected (the router keeps no such time)."""
    return coordinator.presence.last_seen.get(key)


def _offline_clients(
    coordinator: LinksysJnapCoordinator, older_than: timedelta
) -> list[tuple[ClientView, datetime | None]]:
    """Clients away for longer than ``older_than``, oldest first.

    Only the snapshot's clients (``jnap.presence`` roles: never the router, a node or a
    node's stale duplicate), never one home (connected or within consider_home). A client
    never seen connected counts from when this router was added to Home Assistant.
    """
    now = dt_util.utcnow()
    cutoff = now - older_than
    watched_since = coordinator.config_entry.created_at
    found: list[tuple[ClientView, datetime | None]] = []
    for client in coordinator.data.clients.values():
        if coordinator.presence.is_home(client.key, now):
            continue
        seen = _last_seen(coordinator, client.key)
        if (seen or watched_since) <= cutoff:
            found.append((client, seen))
    found.sort(key=lambda item: (item[1] or watched_since, item[0].name))
    return found


def _client_entry(client: ClientView, seen: datetime | None) -> dict[str, Any]:
    return {
        "name": client.name,
        "mac": client.mac,
        "last_seen": seen.isoformat() if seen else None,
    }


async def _async_remove_offline_clients(call: ServiceCall) -> ServiceResponse:
    """Delete clients long gone from the router's device list (dry run by default)."""
    coordinator = loaded_coordinator(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    if not supports(coordinator, DELETE_DEVICE):
        raise invalid_input("device_cleanup_unavailable")
    days: int = call.data[ATTR_OLDER_THAN_DAYS]
    offline = _offline_clients(coordinator, timedelta(days=days))
    dry_run: bool = call.data[ATTR_DRY_RUN]
    if offline and not dry_run:
        done = DeviceDeletions()
        # The refresh reads the whole list (DEVICE_LIST_WRITES): the deleted go with it.
        await async_router_write(
            coordinator,
            coordinator.api.delete_devices,
            [client.key for client, _ in offline],
            done,
        )
        if done.refused:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="clients_not_removed",
                translation_placeholders={
                    "removed": str(len(done.deleted)),
                    "refused": ", ".join(
                        client.name
                        for client, _ in offline
                        if client.key in done.refused
                    ),
                },
            )
    return {
        "dry_run": dry_run,
        "older_than_days": days,
        "clients": [_client_entry(client, seen) for client, seen in offline],
    }


# --- rename --------------------------------------------------------------------------------


async def _async_rename_client(call: ServiceCall) -> ServiceResponse:
    """Give a client the name the Linksys app shows (the router's ``userDeviceName``)."""
    coordinator, client = client_of_device(call.hass, call.data[ATTR_DEVICE_ID])
    if not supports(coordinator, SET_DEVICE_PROPERTIES):
        raise invalid_input("rename_unavailable")
    try:
        name = device_name(call.data[ATTR_NAME])
    except ValueError as err:
        raise invalid_input(
            "client_name_too_long", max_bytes=str(PROPERTY_VALUE_MAX_BYTES)
        ) from err
    if name != (client.device.user_device_name or ""):
        await async_router_write(
            coordinator, coordinator.api.set_device_name, client.key, name
        )
    renamed = coordinator.data.clients.get(client.key)
    return {"name": renamed.name if renamed else None}


# --- ping and traceroute -------------------------------------------------------------------


def _test_target(
    call: ServiceCall, start: str, status: str
) -> tuple[LinksysJnapCoordinator, str]:
    coordinator = loaded_coordinator(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    if not (supports(coordinator, start) and supports(coordinator, status)):
        raise invalid_input("diagnostics_unavailable")
    host = normalize_host(call.data[ATTR_HOST])
    if host is None:
        raise invalid_input("invalid_test_host", host=call.data[ATTR_HOST])
    return coordinator, host


def _waiter(hass: HomeAssistant) -> Wait:
    """Return a wait that follows Home Assistant's clock (simulated time in tests)."""

    async def wait(seconds: float) -> None:
        done = asyncio.Event()

        @callback
        def _wake(_now: datetime) -> None:
            done.set()

        cancel = async_call_later(hass, seconds, _wake)
        try:
            await done.wait()
        finally:
            cancel()

    return wait


async def _async_run_test(
    coordinator: LinksysJnapCoordinator, run: Callable[[], Awaitable[DiagnosticRun]]
) -> DiagnosticRun:
    """Start a test and wait for it; errors become translated refusals, nothing written.

    It changes nothing the poll reads: no refresh after it.
    """
    return await async_router_call(coordinator, run)


async def _async_ping(call: ServiceCall) -> ServiceResponse:
    """Ping a host from the router; the summary and output once it ended."""
    coordinator, host = _test_target(call, START_PING, GET_PING_STATUS)
    result = await _async_run_test(
        coordinator,
        lambda: coordinator.api.ping(
            host,
            count=call.data[ATTR_COUNT],
            packet_size=call.data[ATTR_PACKET_SIZE],
            max_seconds=call.data[ATTR_TIMEOUT],
            wait=_waiter(call.hass),
        ),
    )
    return {
        "host": host,
        "completed": result.completed,
        **ping_summary(result.log),
        "output": result.log,
    }


async def _async_traceroute(call: ServiceCall) -> ServiceResponse:
    """Trace the route from the router to a host; the hops once it ended."""
    coordinator, host = _test_target(call, START_TRACEROUTE, GET_TRACEROUTE_STATUS)
    result = await _async_run_test(
        coordinator,
        lambda: coordinator.api.traceroute(
            host, max_seconds=call.data[ATTR_TIMEOUT], wait=_waiter(call.hass)
        ),
    )
    hops: list[Any] = traceroute_hops(result.log)
    return {
        "host": host,
        "completed": result.completed,
        "hops": hops,
        "output": result.log,
    }


@callback
def async_setup_router_services(hass: HomeAssistant) -> None:
    """Register the device-list and diagnostics actions (once, for every entry)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_REMOVE_OFFLINE_CLIENTS,
        _async_remove_offline_clients,
        schema=REMOVE_OFFLINE_CLIENTS_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_RENAME_CLIENT,
        _async_rename_client,
        schema=RENAME_CLIENT_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_PING,
        _async_ping,
        schema=PING_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_TRACEROUTE,
        _async_traceroute,
        schema=TRACEROUTE_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
