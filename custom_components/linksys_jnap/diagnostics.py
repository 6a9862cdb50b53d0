"""Diagnostics: entry, capabilities, the last snapshot and the poll's answers, redacted.

``recording`` is in the replay router's format: dropped into tests/fixtures/real/, a user's
file becomes a replay test (CONTRIBUTING.md, "A router we have not seen"). Every MAC, in any
form (also inside node IDs), gets one pseudonym across the whole file.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD
from homeassistant.core import HomeAssistant

from .coordinator import LinksysJnapConfigEntry
from .jnap import JNAPError
from .jnap.redact import Redactor

TO_REDACT = {
    CONF_PASSWORD,
    CONF_HOST,
    "serial_number",
    "ssid",
    "passphrase",
    "unique_id",
    "title",
    "gateway",
    "dns_servers",
}


def _plain(value: Any) -> Any:
    """JSON-friendly copy; the ``raw`` router payloads are left out (secrets inside).

    So are private fields: caches of what the others hold (``RouterSnapshot.mesh_nodes``).
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "raw" and not f.name.startswith("_")
        }
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _redact_wan(snapshot: dict[str, Any]) -> None:
    """Redact the WAN address: it identifies the household (LAN addresses stay)."""
    wan = snapshot.get("wan_status")
    if isinstance(wan, dict) and isinstance(wan.get("connection"), dict):
        wan["connection"]["ip_address"] = "**REDACTED**"


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: LinksysJnapConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for a config entry."""
    runtime = entry.runtime_data
    coordinator = runtime.coordinator
    capabilities = runtime.api.capabilities
    snapshot = _plain(coordinator.data)
    _redact_wan(snapshot)
    data: dict[str, Any] = {
        "entry": async_redact_data(
            {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            TO_REDACT,
        ),
        "router": async_redact_data(_plain(coordinator.router), TO_REDACT),
        "capabilities": {
            "services": sorted(capabilities.services) if capabilities else [],
            "actions": sorted(capabilities.actions) if capabilities else [],
            "splits_mixed_transactions": runtime.api.splits_mixed_transactions,
        },
        "poll_actions": dict(sorted(coordinator.actions.items())),
        "last_update_success": coordinator.last_update_success,
        "snapshot": async_redact_data(snapshot, TO_REDACT),
        "recording": await _recording(entry),
    }
    return Redactor(data).apply(data)  # type: ignore[no-any-return]


async def _recording(entry: LinksysJnapConfigEntry) -> dict[str, Any]:
    """Return the poll's answers, read now (whole device list), never with a refused password."""
    coordinator = entry.runtime_data.coordinator
    if coordinator.auth_failed:
        return {"error": "not read: the router refused the password"}
    try:
        recording = await entry.runtime_data.api.record()
    except JNAPError as err:
        return {"error": f"not read: {err}"}
    recording["source"] = "Home Assistant diagnostics"
    return recording
