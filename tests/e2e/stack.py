"""A router simulator (in this process) and a real Home Assistant (a child process) for e2e tests."""

from __future__ import annotations

import ast
from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass
from pathlib import Path
import re
from typing import Any

import aiohttp

from scripts.lib.hass_runner import (
    INTEGRATION_DIR,
    LOOPBACK,
    HassClient,
    ManagedProcess,
    Owner,
    free_port,
    hass_process,
    release_version,
    write_config_dir,
)
from tests.simulator import RouterSimulator

ROUTER_PASSWORD = "e2e correct horse"
OWNER = Owner(name="E2E Owner", username="owner", password="e2e-owner-pass")
DOMAIN = "linksys_jnap"


# A log record's first line: "2026-12-06 18:00:00.123 WARNING (MainThread) [logger] message".
_RECORD = re.compile(
    r"^\S+ \S+ (?P<level>[A-Z]+) \([^)]*\) \[(?P<logger>[^\]]+)\] (?P<msg>.*)$"
)
_BAD_LEVELS = {"WARNING", "ERROR", "CRITICAL"}
# Home Assistant says this of every custom integration at every start.
_UNTESTED_NOTICE = f"We found a custom integration {DOMAIN} which has not been tested"


def log_problems(log: str) -> list[str]:
    """Return the log's lines the integration must never cause, once each.

    Warnings and errors of its loggers or naming it (other than the untested-custom-
    integration notice), and Home Assistant's reports of deprecated use ("Detected that
    custom integration ..."), which become errors in a later release.
    """
    found: dict[str, None] = {}
    for line in log.splitlines():
        if "Detected that custom integration" in line:
            found[line] = None
            continue
        record = _RECORD.match(line)
        if record is None or record["level"] not in _BAD_LEVELS:
            continue
        ours = record["logger"].startswith(f"custom_components.{DOMAIN}")
        if ours or (DOMAIN in record["msg"] and _UNTESTED_NOTICE not in line):
            found[line] = None
    return list(found)


def _functions_in_classes(path: Path) -> set[str]:
    try:
        tree = ast.parse(path.read_text())
    except OSError, SyntaxError:
        return set()
    return {
        node.name
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef)
        for node in cls.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def config_flow_user_step_built() -> bool:
    """Tell whether config_flow.py has its user step (read, not imported)."""
    return "async_step_user" in _functions_in_classes(
        INTEGRATION_DIR / "config_flow.py"
    )


def options_flow_built() -> bool:
    """Tell whether the config flow offers an options flow."""
    return "async_get_options_flow" in _functions_in_classes(
        INTEGRATION_DIR / "config_flow.py"
    )


def platform_built(platform: str) -> bool:
    """Tell whether the integration has this entity platform yet."""
    return (INTEGRATION_DIR / f"{platform}.py").exists()


@dataclass
class Stack:
    """Everything an e2e test talks to."""

    sim: RouterSimulator
    hass: ManagedProcess
    client: HassClient
    config_dir: Path
    version: str
    """The Home Assistant release running (its /api/config)."""

    def hass_log(self) -> str:
        """Return Home Assistant's log file and console output."""
        parts = []
        for path in (self.config_dir / "home-assistant.log", self.hass.log_path):
            with contextlib.suppress(OSError):
                parts.append(path.read_text(errors="replace"))
        return "\n".join(parts)

    async def add_router(self) -> dict[str, Any]:
        """Add the simulator through the config flow's user step, over REST."""
        return await self.client.add_router(
            host=self.sim.host, password=ROUTER_PASSWORD, ssl=False, verify_ssl=False
        )


@contextlib.asynccontextmanager
async def running_stack(
    tmp_path: Path, *, profile: str = "smartwifi", clients: int = 12, seed: int = 7
) -> AsyncIterator[Stack]:
    """Start the simulator and an onboarded Home Assistant; always tear both down."""
    sim = RouterSimulator(
        profile=profile, password=ROUTER_PASSWORD, clients=clients, seed=seed
    )
    await sim.start(host=LOOPBACK, port=0)
    hass: ManagedProcess | None = None
    session: aiohttp.ClientSession | None = None
    stack: Stack | None = None
    try:
        port = free_port()
        config_dir = tmp_path / "config"
        # Debug logging, so the test also proves the password stays out of verbose logs.
        write_config_dir(config_dir, port=port, integration_log_level="debug")
        hass = hass_process(config_dir, log_path=tmp_path / "hass.out")
        hass.start()
        session = aiohttp.ClientSession()
        client = HassClient(f"http://{LOOPBACK}:{port}", session)
        await client.wait_http(hass, within=180)
        await client.onboard(OWNER)
        await client.wait_running(hass, within=180)
        version = str((await client.request("GET", "/api/config"))["version"])
        # LINKSYS_JNAP_HASS picks the release (scripts/test runs tests/e2e on both).
        expected = release_version()
        assert expected in {None, version}, (
            f"Home Assistant {version} runs, not {expected}"
        )
        stack = Stack(
            sim=sim, hass=hass, client=client, config_dir=config_dir, version=version
        )
        try:
            yield stack
        except Exception as err:
            # pytest shows notes with the failure.
            tail = "\n".join(stack.hass_log().splitlines()[-80:])
            err.add_note(f"---- Home Assistant log (tail) ----\n{tail}")
            raise
    finally:
        if hass is not None:
            await hass.astop()
        if session is not None:
            await session.close()
        await sim.stop()
    # After the stop, so unloading at shutdown is checked too (only when the test passed).
    assert stack is not None
    problems = log_problems(stack.hass_log())
    assert not problems, (
        f"Home Assistant {stack.version} logged about the integration:\n"
        + "\n".join(problems[:20])
    )
