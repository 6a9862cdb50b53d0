"""Headless Chromium (Debian's package, driven by Playwright) against a real Home Assistant.

Logs in through the login page, opens the router's device page, toggles the guest Wi-Fi
switch there and checks that the simulator follows. Screenshots go to artifacts/e2e/.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import time
from typing import Any

import pytest

from scripts.lib.browser import chromium_page, login, open_device_page
from scripts.lib.hass_runner import REPO_ROOT

from .stack import DOMAIN, OWNER, Stack, platform_built, running_stack

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser,
    pytest.mark.usefixtures("browser_deps", "require_config_flow"),
]

ARTIFACTS = REPO_ROOT / "artifacts" / "e2e"


async def _router_page_facts(stack: Stack, entry_id: str) -> tuple[str, str, str]:
    """Return the router's device id, the guest switch's entity id and its row label."""
    async with stack.client.websocket() as ws:
        registry = await ws.entity_registry()
        devices = await ws.device_registry()
    serial = stack.sim.state.device_info.serial_number
    router = next(
        d
        for d in devices
        if entry_id in d["config_entries"] and d.get("serial_number") == serial
    )
    guest = [
        e
        for e in registry
        if e["platform"] == DOMAIN
        and e["entity_id"].startswith("switch.")
        and e["device_id"] == router["id"]
        and "guest" in (e.get("translation_key") or e["unique_id"]).lower()
    ]
    assert len(guest) == 1, (
        f"expected one guest Wi-Fi switch on the router, got {guest}"
    )
    entity_id = str(guest[0]["entity_id"])
    state = await stack.client.state(entity_id)
    assert state is not None
    # The device page lists entities without the device's name in front.
    device_name = router.get("name_by_user") or router["name"]
    label = str(state["attributes"]["friendly_name"]).removeprefix(device_name).strip()
    return (
        str(router["id"]),
        entity_id,
        label or str(state["attributes"]["friendly_name"]),
    )


def _guest(stack: Stack) -> tuple[bool, list[tuple[str, str]]]:
    guest = stack.sim.state.guest
    return guest.is_guest_network_enabled, [
        (r.guest_ssid, r.guest_password) for r in guest.radios
    ]


async def _wait_router(
    stack: Stack, enabled: bool, radios: list[tuple[str, str]]
) -> None:
    deadline = time.monotonic() + 30
    while _guest(stack) != (enabled, radios):
        assert time.monotonic() < deadline, (
            f"the simulator's guest network did not become {'on' if enabled else 'off'}"
            f" (now {_guest(stack)[0]}) or its SSIDs/passphrases changed"
        )
        await asyncio.sleep(0.2)


async def test_browser_toggles_guest_wifi_on_device_page(tmp_path: Path) -> None:
    """Log in, open the router's device page, toggle guest Wi-Fi, the router follows."""
    if not platform_built("switch"):
        pytest.skip("the guest Wi-Fi switch (switch.py) is not built yet")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with running_stack(tmp_path) as stack:
        entry = await stack.add_router()
        device_id, entity_id, label = await _router_page_facts(stack, entry["entry_id"])
        enabled_before, radios = _guest(stack)
        base = stack.client.base_url

        async with chromium_page() as page:
            await login(page, base, OWNER)
            model = stack.sim.state.device_info.model_number
            await open_device_page(page, base, device_id, model)
            row = page.locator("hui-toggle-entity-row").filter(has_text=label)
            toggle = row.locator("ha-entity-toggle ha-switch")
            await toggle.wait_for()
            await page.screenshot(path=ARTIFACTS / "device-page.png", full_page=True)

            checked: Any = await toggle.evaluate("e => e.checked")
            assert checked is enabled_before

            await toggle.click()
            await _wait_router(stack, not enabled_before, radios)
            await stack.client.wait_state(
                entity_id,
                lambda s: s["state"] == ("off" if enabled_before else "on"),
                within=15,
            )
            await page.wait_for_function(
                "([el, want]) => el.checked === want",
                arg=[await toggle.element_handle(), not enabled_before],
            )
            await page.screenshot(
                path=ARTIFACTS / "device-page-toggled.png", full_page=True
            )

            # And back, so the router ends as it began.
            await toggle.click()
            await _wait_router(stack, enabled_before, radios)
