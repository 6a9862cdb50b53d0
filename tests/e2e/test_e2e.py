"""The integration in a real Home Assistant process, driven only through HA's REST/WebSocket API.

Simulator (in this process) + `hass` (a child process) on free loopback ports: onboarding,
config flow over REST, entities, a guest Wi-Fi write, presence with a shortened consider_home,
and removal of the entry silencing the router. Both processes are torn down on any outcome.
"""

from __future__ import annotations

import asyncio
import base64
from collections import defaultdict
from pathlib import Path
import re
import time
from typing import Any
import warnings

import pytest

from .stack import (
    DOMAIN,
    ROUTER_PASSWORD,
    Stack,
    options_flow_built,
    platform_built,
    running_stack,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.usefixtures("hass_deps", "require_config_flow"),
]

# Platforms the issue names; a platform whose file does not exist yet is reported, not failed.
CHECKED_PLATFORMS = ("device_tracker", "sensor", "switch", "button", "update")
BAD_STATES = {"unavailable"}
CONSIDER_HOME = 3  # seconds, set through the options flow


def _by_domain(registry: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in registry:
        if entry["platform"] == DOMAIN:
            grouped[entry["entity_id"].split(".", 1)[0]].append(entry)
    return grouped


def _guest_snapshot(stack: Stack) -> tuple[bool, list[tuple[str, str, str, bool]]]:
    guest = stack.sim.state.guest
    return guest.is_guest_network_enabled, [
        (r.radio_id, r.guest_ssid, r.guest_password, r.broadcast_guest_ssid)
        for r in guest.radios
    ]


def _guest_switch(entities: dict[str, list[dict[str, Any]]]) -> str:
    candidates = [
        e["entity_id"]
        for e in entities.get("switch", [])
        if "guest" in (e.get("translation_key") or e["unique_id"]).lower()
    ]
    assert len(candidates) == 1, f"expected one guest Wi-Fi switch, found {candidates}"
    return str(candidates[0])


def _connected_client(stack: Stack) -> tuple[str, list[str]]:
    """Pick a connected client (not the router or a node): its device id and live MACs."""
    state = stack.sim.state
    for device in state.devices.values():
        if device.is_authority or device.node_type is not None:
            continue
        live = [mac for mac in device.macs if mac in state.connections]
        if live:
            return device.device_id, live
    raise AssertionError("the simulator has no connected client")


def _assert_secret_free(stack: Stack) -> None:
    log = stack.hass_log()
    basic = base64.b64encode(f"admin:{ROUTER_PASSWORD}".encode()).decode()
    assert ROUTER_PASSWORD not in log, (
        "the router password appears in Home Assistant's log"
    )
    assert basic not in log, "the Basic-auth header appears in Home Assistant's log"
    errors = [
        line for line in log.splitlines() if re.search(r"\b(ERROR|CRITICAL)\b", line)
    ]
    # Any error, not only ours: the runner keeps Home Assistant's own start quiet too.
    assert not errors, "errors logged:\n" + "\n".join(errors[:20])


async def _wait_quiet(stack: Stack, seconds: float) -> None:
    stack.sim.reset_counters()
    await asyncio.sleep(seconds)
    assert not stack.sim.requests, (
        f"{len(stack.sim.requests)} request(s) after the entry was removed:"
        f" {[r.actions for r in stack.sim.requests][:5]}"
    )


async def _check_entities(
    stack: Stack,
    entry_id: str,
    entities: dict[str, list[dict[str, Any]]],
    devices: list[dict[str, Any]],
    not_built: list[str],
) -> dict[str, dict[str, Any]]:
    """Check each platform has entities and enabled ones sensible states; return states."""
    serial = stack.sim.state.device_info.serial_number
    router = [
        d
        for d in devices
        if entry_id in d["config_entries"] and d.get("serial_number") == serial
    ]
    assert len(router) == 1, "the router device is missing from the device registry"
    assert router[0]["manufacturer"] == "Linksys"

    for platform in CHECKED_PLATFORMS:
        if platform not in not_built:
            assert entities.get(platform), f"no {platform} entities"
    states = {s["entity_id"]: s for s in await stack.client.states()}
    enabled = [
        e["entity_id"]
        for domain_entries in entities.values()
        for e in domain_entries
        if e["disabled_by"] is None
    ]
    if set(CHECKED_PLATFORMS) - {"device_tracker"} - set(not_built):
        assert enabled, "no enabled entities"
    for entity_id in enabled:
        if entity_id.startswith("device_tracker."):
            # HA enables a tracker once another entity's device carries its MAC; it is
            # added at the entry's next reload (the presence step does that).
            continue
        assert entity_id in states, f"{entity_id} is enabled but has no state"
        assert states[entity_id]["state"] not in BAD_STATES, states[entity_id]
    if "update" not in not_built:
        firmware = stack.sim.state.device_info.firmware_version
        updates = [states[e["entity_id"]] for e in entities["update"]]
        assert any(
            s["attributes"].get("installed_version") == firmware for s in updates
        ), updates
        assert all(s["state"] in {"on", "off"} for s in updates)
    if "button" not in not_built:
        for e in entities["button"]:
            if e["disabled_by"] is None:  # never pressed
                assert states[e["entity_id"]]["state"] == "unknown"
    return states


async def _check_guest_wifi(
    stack: Stack,
    entities: dict[str, list[dict[str, Any]]],
    states: dict[str, dict[str, Any]],
) -> None:
    """Switch guest Wi-Fi off and on: the router follows, SSIDs/passphrases are kept."""
    client = stack.client
    guest_switch = _guest_switch(entities)
    enabled_before, radios_before = _guest_snapshot(stack)
    assert states[guest_switch]["state"] == ("on" if enabled_before else "off")
    await client.call_service("switch", "turn_off", {"entity_id": guest_switch})
    assert _guest_snapshot(stack) == (False, radios_before)
    await client.wait_state(
        guest_switch, lambda s: s["state"] == "off", within=10, what="off"
    )
    await client.call_service("switch", "turn_on", {"entity_id": guest_switch})
    assert _guest_snapshot(stack) == (True, radios_before)
    await client.wait_state(
        guest_switch, lambda s: s["state"] == "on", within=10, what="on"
    )


async def _tracker_for(
    stack: Stack, trackers: list[dict[str, Any]], macs: list[str]
) -> str:
    """Find the tracker whose MAC is one of macs (states appear shortly after a reload)."""
    deadline = time.monotonic() + 20
    while True:
        for e in trackers:
            st = await stack.client.state(e["entity_id"])
            if st and (st["attributes"].get("mac") or "").upper() in macs:
                return str(e["entity_id"])
        if time.monotonic() > deadline:
            raise AssertionError(f"no tracker for the client with MACs {macs}")
        await asyncio.sleep(0.5)


async def _check_presence(
    stack: Stack, entry_id: str, trackers: list[dict[str, Any]], not_built: list[str]
) -> None:
    """Check a client leaving the router is not_home after consider_home (set by options)."""
    client = stack.client
    # Trackers of unknown MACs are disabled by default: enable them all.
    async with client.websocket() as ws:
        for e in trackers:
            if e["disabled_by"] is not None:
                await ws.enable_entity(e["entity_id"])
    has_options = options_flow_built()
    if has_options:
        await client.set_options(entry_id, {"consider_home": CONSIDER_HOME})
    else:
        not_built.append("options flow")
    await client.reload_entry(entry_id)

    _, macs = _connected_client(stack)
    tracker = await _tracker_for(stack, trackers, macs)
    await client.wait_state(
        tracker, lambda s: s["state"] == "home", within=15, what="home"
    )
    for mac in macs:
        stack.sim.disconnect_client(mac)
    left_at = time.monotonic()
    # Ask for a poll now instead of waiting for the 30 s interval.
    await client.call_service("homeassistant", "update_entity", {"entity_id": tracker})
    await client.wait_state(
        tracker,
        lambda s: s["state"] == "not_home",
        within=CONSIDER_HOME + 20,
        what="not_home",
    )
    if has_options:
        # Not before consider_home has passed, although the poll itself was immediate.
        assert time.monotonic() - left_at >= CONSIDER_HOME - 0.5


async def _check_tracker_devices(stack: Stack, entry_id: str) -> None:
    """Each tracker sits on its client's device, and no MAC is on two devices."""
    async with stack.client.websocket() as ws:
        trackers = _by_domain(await ws.entity_registry())["device_tracker"]
        devices = await ws.device_registry()
    owners: dict[str, list[str]] = defaultdict(list)
    for device in devices:
        for kind, value in device["connections"]:
            if kind == "mac":
                owners[value.lower()].append(device["id"])
    shared = {mac: ids for mac, ids in owners.items() if len(ids) > 1}
    assert not shared, f"MACs on more than one device: {shared}"
    for tracker in trackers:
        state = await stack.client.state(tracker["entity_id"])
        mac = ((state or {}).get("attributes", {}).get("mac") or "").lower()
        assert tracker["config_entry_id"] == entry_id
        assert mac in owners, f"{tracker['entity_id']} ({mac!r}) has no client device"
        assert tracker["device_id"] == owners[mac][0], tracker["entity_id"]


async def test_real_home_assistant_end_to_end(tmp_path: Path) -> None:
    """Config flow over REST, entities, guest Wi-Fi write, presence, removal."""
    not_built = [p for p in CHECKED_PLATFORMS if not platform_built(p)]
    async with running_stack(tmp_path) as stack:
        client = stack.client

        # Onboarding left us with a token, and Home Assistant is fully started.
        config = await client.request("GET", "/api/config")
        assert config["state"] == "RUNNING"
        assert DOMAIN not in config["components"]

        # The config flow, exactly as the "Add integration" dialog submits it.
        entry = await stack.add_router()
        assert entry["domain"] == DOMAIN
        assert entry["state"] == "loaded", entry
        assert stack.sim.state.device_info.model_number in entry["title"]
        entry_id = entry["entry_id"]

        async with client.websocket() as ws:
            entities = _by_domain(await ws.entity_registry())
            devices = await ws.device_registry()
        states = await _check_entities(stack, entry_id, entities, devices, not_built)
        if "switch" not in not_built:
            await _check_guest_wifi(stack, entities, states)
        if "device_tracker" not in not_built:
            # Enabled from the start on every release (2026.11 disables other scanners).
            disabled = [
                e["entity_id"]
                for e in entities["device_tracker"]
                if e["disabled_by"] is not None
            ]
            assert not disabled, f"trackers disabled at setup: {disabled}"
            await _check_presence(
                stack, entry_id, entities["device_tracker"], not_built
            )
            await _check_tracker_devices(stack, entry_id)

        # Removing the entry stops all polling: the router hears nothing for longer than
        # a poll interval (30 s).
        await client.remove_entry(entry_id)
        assert not await client.config_entries()
        await _wait_quiet(stack, 32)
        _assert_secret_free(stack)

    if not_built:
        warnings.warn(
            f"e2e checks left out, pieces not built yet: {', '.join(not_built)}",
            stacklevel=1,
        )
