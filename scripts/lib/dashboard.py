"""The "Network" dashboard: created through Home Assistant's own dashboard API.

Shared by scripts/demo (the ready dashboard) and tests/e2e (the browser test opens it). The
README's YAML is this dashboard as `network_dashboard_yaml` prints it for the demo router.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scripts.lib.hass_runner import DOMAIN, HassClient, HassWebSocket

URL_PATH = "linksys-network"  # Home Assistant wants a hyphen in a dashboard's path
TITLE = "Network"
VISITOR_DURATION = "04:00:00"
# Entities the router gets disabled by default that the dashboard shows (the demo enables them).
SPEED_TEST = (
    "start_speed_test",
    "speed_test_download",
    "speed_test_upload",
    "speed_test_latency",
)


@dataclass
class RouterEntities:
    """The entities of one config entry the dashboard shows, by translation key."""

    entry_id: str
    router: dict[str, str] = field(default_factory=dict)
    """Translation key -> entity id, of the router's own device (enabled entities)."""
    trackers: list[str] = field(default_factory=list)
    disabled: dict[str, str] = field(default_factory=dict)
    """Translation key -> entity id of disabled router entities (SPEED_TEST...)."""


def router_entities(
    registry: Iterable[Mapping[str, Any]],
    devices: Iterable[Mapping[str, Any]],
    entry_id: str,
) -> RouterEntities:
    """Sort the entry's entities: the router device's by key, and every tracker."""
    router_ids = {
        d["id"]
        for d in devices
        if entry_id in d.get("config_entries", []) and not d.get("via_device_id")
    }
    found = RouterEntities(entry_id)
    for entity in registry:
        if (
            entity.get("platform") != DOMAIN
            or entity.get("config_entry_id") != entry_id
        ):
            continue
        entity_id = str(entity["entity_id"])
        if entity_id.startswith("device_tracker.") and not entity.get("disabled_by"):
            found.trackers.append(entity_id)
            continue
        key = entity.get("translation_key")
        if entity.get("device_id") not in router_ids or not key:
            continue
        target = found.disabled if entity.get("disabled_by") else found.router
        target.setdefault(str(key), entity_id)
    found.trackers.sort()
    return found


# Short tile names: the entities' own names repeat the router's (long) device name.
NAMES = {
    "guest_wifi": "Guest Wi-Fi",
    "guest_wifi_ends": "Guest Wi-Fi ends",
    "wan_connectivity": "WAN",
    "wan_status": "WAN status",
    "wan_ip_address": "WAN IP address",
    "internet_problem": "Internet problem",
    "start_speed_test": "Start speed test",
    "speed_test_download": "Download",
    "speed_test_upload": "Upload",
    "speed_test_latency": "Latency",
}


def _tiles(entities: Mapping[str, str], keys: Iterable[str]) -> list[dict[str, Any]]:
    return [
        {"type": "tile", "entity": entities[key], "name": NAMES.get(key, key)}
        for key in keys
        if key in entities
    ]


def network_dashboard(found: RouterEntities) -> dict[str, Any]:
    """Return the dashboard's Lovelace configuration."""
    e = found.router
    guest: list[dict[str, Any]] = _tiles(e, ("guest_wifi", "guest_wifi_ends"))
    guest.append(
        {
            "type": "button",
            "name": "Visitor Wi-Fi for 4 hours",
            "icon": "mdi:account-clock",
            "show_state": False,
            "tap_action": {
                "action": "perform-action",
                "perform_action": f"{DOMAIN}.set_guest_wifi",
                # Without an entry id (the README's YAML), the one router is meant.
                "data": {
                    **({"config_entry_id": found.entry_id} if found.entry_id else {}),
                    "enabled": True,
                    "duration": VISITOR_DURATION,
                },
                "confirmation": {"text": "Turn guest Wi-Fi on for 4 hours?"},
            },
            "grid_options": {"columns": 12, "rows": 1},
        }
    )
    if "guest_wifi_qr_code" in e:
        guest.append(
            {
                "type": "picture-entity",
                "entity": e["guest_wifi_qr_code"],
                "show_name": False,
                "show_state": False,
                "grid_options": {"columns": 6},
            }
        )
    internet = _tiles(
        e,
        (
            "wan_connectivity",
            "wan_status",
            "wan_ip_address",
            "internet_problem",
            *SPEED_TEST,
        ),
    )
    sections: list[dict[str, Any]] = [
        {
            "type": "grid",
            "column_span": 2,
            "cards": [
                {"type": "heading", "heading": "Network map"},
                {
                    "type": "custom:linksys-network-card",
                    **({"entry_id": found.entry_id} if found.entry_id else {}),
                    "show_offline": True,
                    "show_guests": True,
                    "grid_options": {"columns": "full"},
                },
            ],
        },
        {
            "type": "grid",
            "cards": [
                {"type": "heading", "heading": "Who is home"},
                {
                    "type": "entities",
                    "state_color": True,
                    "entities": found.trackers,
                },
            ],
        },
        {
            "type": "grid",
            "cards": [{"type": "heading", "heading": "Guest Wi-Fi"}, *guest],
        },
        {
            "type": "grid",
            "cards": [{"type": "heading", "heading": "Internet"}, *internet],
        },
    ]
    if "network_events" in e:
        sections.append(
            {
                "type": "grid",
                "cards": [
                    {"type": "heading", "heading": "Network events"},
                    {
                        "type": "logbook",
                        "hours_to_show": 24,
                        "target": {"entity_id": [e["network_events"]]},
                        "grid_options": {"columns": "full"},
                    },
                ],
            }
        )
    return {
        "title": TITLE,
        "views": [
            {
                "title": TITLE,
                "path": "network",
                "icon": "mdi:lan",
                "type": "sections",
                "max_columns": 3,
                "sections": sections,
            }
        ],
    }


async def enable_speed_test(client: HassClient, found: RouterEntities) -> bool:
    """Enable the speed test's disabled entities; True when the entry must reload."""
    keys = [key for key in SPEED_TEST if key in found.disabled]
    if not keys:
        return False
    async with client.websocket() as ws:
        for key in keys:
            await ws.enable_entity(found.disabled[key])
    await client.reload_entry(found.entry_id)
    return True


async def _lookup(ws: HassWebSocket, entry_id: str) -> RouterEntities:
    return router_entities(
        await ws.entity_registry(), await ws.device_registry(), entry_id
    )


async def ensure_network_dashboard(
    client: HassClient, entry_id: str, *, speed_test: bool = True
) -> str:
    """Create (or update) the Network dashboard of an entry; return its URL."""
    async with client.websocket() as ws:
        found = await _lookup(ws, entry_id)
    if speed_test and await enable_speed_test(client, found):
        async with client.websocket() as ws:
            found = await _lookup(ws, entry_id)
    async with client.websocket() as ws:
        dashboards = await ws.command("lovelace/dashboards/list")
        if not any(d.get("url_path") == URL_PATH for d in dashboards):
            await ws.command(
                "lovelace/dashboards/create",
                url_path=URL_PATH,
                title=TITLE,
                icon="mdi:lan",
                show_in_sidebar=True,
                require_admin=False,
                mode="storage",
            )
        await ws.command(
            "lovelace/config/save", url_path=URL_PATH, config=network_dashboard(found)
        )
    return f"{client.base_url}/{URL_PATH}/network"
