"""Diagnostics: entry, capabilities, chosen actions and the last snapshot, redacted."""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
import re
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD
from homeassistant.core import HomeAssistant

from .coordinator import LinksysJnapConfigEntry

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
_MAC = re.compile(r"\b[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}\b")


def _plain(value: Any) -> Any:
    """JSON-friendly copy; the ``raw`` router payloads are left out (secrets inside)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "raw"
        }
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class _Pseudonyms:
    """Replace each MAC by a stable pseudonym (same MAC, same name, within one dump)."""

    def __init__(self, data: Any) -> None:
        found: set[str] = set()
        self._collect(data, found)
        self._names = {
            mac: f"mac_{i:03d}" for i, mac in enumerate(sorted(found), start=1)
        }

    def _collect(self, value: Any, found: set[str]) -> None:
        if isinstance(value, str):
            found.update(m.upper() for m in _MAC.findall(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                self._collect(key, found)
                self._collect(item, found)
        elif isinstance(value, list):
            for item in value:
                self._collect(item, found)

    def apply(self, value: Any) -> Any:
        if isinstance(value, str):
            return _MAC.sub(lambda m: self._names[m.group(0).upper()], value)
        if isinstance(value, dict):
            return {self.apply(k): self.apply(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.apply(v) for v in value]
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
    capabilities = runtime.client.capabilities
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
        "router": async_redact_data(_plain(runtime.router), TO_REDACT),
        "capabilities": {
            "services": sorted(capabilities.services) if capabilities else [],
            "actions": sorted(capabilities.actions) if capabilities else [],
            "splits_mixed_transactions": runtime.client.splits_mixed_transactions,
        },
        "poll_actions": dict(sorted(coordinator.actions.items())),
        "last_update_success": coordinator.last_update_success,
        "snapshot": async_redact_data(snapshot, TO_REDACT),
    }
    return _Pseudonyms(data).apply(data)  # type: ignore[no-any-return]
