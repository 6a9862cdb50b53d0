"""Debian's headless Chromium, driven by Playwright, on Home Assistant's frontend.

Never `playwright install`: the browser is /usr/bin/chromium (scripts/lib/ensure_demo_deps
--browser installs it). Each launch gets a fresh temporary profile from Playwright.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import contextlib
from pathlib import Path

from playwright.async_api import Error as PlaywrightError, Page, async_playwright

from scripts.lib.hass_runner import Owner

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",  # runs as root in CI containers
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
TIMEOUT_MS = 30_000


@contextlib.asynccontextmanager
async def chromium_page(width: int = 1280, height: int = 900) -> AsyncIterator[Page]:
    """Yield a page of a fresh headless Chromium; the browser is closed afterwards."""
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            context = await browser.new_context(
                viewport={"width": width, "height": height}, locale="en-US"
            )
            context.set_default_timeout(TIMEOUT_MS)
            yield await context.new_page()
        finally:
            # Leave Home Assistant's pages first: their websocket closes with a close
            # frame, so the server is not writing to a socket that just vanished (an
            # aiohttp "Cannot write to closing transport" traceback in its log).
            for open_page in [p for c in browser.contexts for p in c.pages]:
                with contextlib.suppress(PlaywrightError):
                    await open_page.goto("about:blank")
                    await open_page.wait_for_timeout(300)
            await browser.close()


async def login(page: Page, base_url: str, owner: Owner) -> None:
    """Log in through Home Assistant's login page, as a user does."""
    await page.goto(base_url + "/")
    await page.locator("input[name=username]").fill(owner.username)
    await page.locator("input[name=password]").fill(owner.password)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(
        lambda url: "/auth/" not in url and "auth_callback" not in url
    )


async def open_device_page(
    page: Page, base_url: str, device_id: str, wait_text: str
) -> None:
    """Open a device page and wait until wait_text (e.g. the model) shows."""
    await page.goto(f"{base_url}/config/devices/device/{device_id}")
    await page.get_by_text(wait_text).first.wait_for()
    await page.wait_for_timeout(1000)  # entity cards, icons and the brand image settle


async def screenshot_device_page(
    base_url: str, owner: Owner, device_id: str, wait_text: str, path: Path
) -> None:
    """Save a full-page screenshot of a device page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    async with chromium_page() as page:
        await login(page, base_url, owner)
        await open_device_page(page, base_url, device_id, wait_text)
        await page.screenshot(path=path, full_page=True)
