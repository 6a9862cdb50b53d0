"""The baseline: a poller written the way existing router integrations are.

One HTTP request per action, the full device list every time, a fresh dict of clients per
poll and a coordinator that pushes every poll to every entity (``always_update`` left on),
so every entity writes its state on every poll. It runs inside the same Home Assistant as
the real integration, on the same session, against the same simulator.
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import aiohttp
from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import (
    CoordinatorEntity,
    DataUpdateCoordinator,
)

_LOGGER = logging.getLogger(__name__)
PREFIX = "http://linksys.com/jnap/"

type NaiveData = dict[str, dict[str, Any]]


class NaiveCoordinator(DataUpdateCoordinator[NaiveData]):
    """Polls each action in its own request and rebuilds every client each time."""

    def __init__(
        self,
        hass: HomeAssistant,
        session: aiohttp.ClientSession,
        url: str,
        password: str,
        actions: list[str],
    ) -> None:
        super().__init__(
            hass, _LOGGER, config_entry=None, name="naive poller", update_interval=None
        )
        self.session = session
        self.url = url
        self.actions = actions
        token = base64.b64encode(f"admin:{password}".encode()).decode()
        self._auth = f"Basic {token}"

    async def call(self, action: str, *, auth: bool = True) -> dict[str, Any]:
        headers = {
            "X-JNAP-Action": PREFIX + action,
            "Content-Type": "application/json; charset=UTF-8",
        }
        if auth:
            headers["X-JNAP-Authorization"] = self._auth
        async with self.session.post(self.url, data="{}", headers=headers) as resp:
            envelope = json.loads(await resp.read())
        if envelope.get("result") != "OK":
            raise RuntimeError(
                f"naive poller: {action} answered {envelope.get('result')}"
            )
        output: dict[str, Any] = envelope.get("output", {})
        return output

    async def async_start(self) -> None:
        """Read the router's identity, as such integrations do first."""
        await self.call("core/GetDeviceInfo", auth=False)

    async def _async_update_data(self) -> NaiveData:
        outputs = {action: await self.call(action) for action in self.actions}
        devices: list[dict[str, Any]] = []
        live: dict[str, dict[str, Any]] = {}
        for action, output in outputs.items():
            if action.startswith("devicelist/"):
                devices = output["devices"]
            elif action.startswith("networkconnections/"):
                live = {c["macAddress"]: c for c in output["connections"]}
        clients: NaiveData = {}
        for device in devices:
            if device.get("isAuthority") or device.get("nodeType"):
                continue
            macs = device.get("knownMACAddresses") or [
                i["macAddress"] for i in device.get("knownInterfaces", [])
            ]
            if not macs:
                continue
            conn = next((live[m] for m in macs if m in live), None)
            ip = None
            if conn is not None:
                ip = next(
                    (
                        c.get("ipAddress")
                        for c in device.get("connections", [])
                        if c.get("macAddress") == conn["macAddress"]
                    ),
                    None,
                )
            wireless = (conn or {}).get("wireless") or {}
            clients[device["deviceID"]] = {
                "name": device.get("friendlyName") or macs[0],
                "mac": macs[0],
                "connected": conn is not None,
                "ip": ip,
                "band": wireless.get("band"),
                "signal": wireless.get("signalDecibels"),
            }
        return clients


class NaiveTracker(CoordinatorEntity[NaiveCoordinator]):
    """One presence entity per client; the base class writes state on every update."""

    _attr_should_poll = False

    def __init__(self, coordinator: NaiveCoordinator, key: str, index: int) -> None:
        super().__init__(coordinator)
        self.key = key
        self.entity_id = f"sensor.naive_client_{index}"
        self._attr_name = f"naive client {index}"

    @property
    def state(self) -> str:
        client = self.coordinator.data.get(self.key)
        return "home" if client and client["connected"] else "not_home"

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        client = self.coordinator.data.get(self.key) or {}
        return {k: client.get(k) for k in ("ip", "band", "signal")}
