"""Markers and shared fixtures of the end-to-end tests (deselect with -m "not e2e")."""

from __future__ import annotations

import subprocess

import pytest

from scripts.lib.hass_runner import (
    HASS_ENV,
    REPO_ROOT,
    RunnerError,
    hass_command,
    release_version,
)

from .stack import config_flow_user_step_built


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers (setup.cfg runs pytest with --strict-markers)."""
    config.addinivalue_line(
        "markers", "e2e: starts a real Home Assistant process (deselect: -m 'not e2e')"
    )
    config.addinivalue_line(
        "markers", "browser: drives headless Chromium (deselect: -m 'not browser')"
    )


def pytest_report_header() -> str:
    """Say which Home Assistant the e2e tests start ($LINKSYS_JNAP_HASS)."""
    try:
        command = " ".join(hass_command())
    except RunnerError as err:
        command = str(err)
    return f"e2e: Home Assistant {release_version() or '?'} ({HASS_ENV}): {command}"


def _ensure_deps(*flags: str) -> None:
    result = subprocess.run(  # noqa: S603 - our own script
        [str(REPO_ROOT / "scripts" / "lib" / "ensure_demo_deps"), *flags],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if result.returncode != 0:
        pytest.fail(
            f"scripts/lib/ensure_demo_deps failed:\n{result.stderr}{result.stdout}"
        )


@pytest.fixture(scope="session")
def hass_deps() -> None:
    """Install Home Assistant's frontend and the other packages a real hass needs (once)."""
    _ensure_deps()


@pytest.fixture(scope="session")
def browser_deps() -> None:
    """Install the same, plus Debian's chromium (once)."""
    _ensure_deps("--browser")


@pytest.fixture
def require_config_flow() -> None:
    """Skip until the config flow's user step exists (the rest of the stack needs it)."""
    if not config_flow_user_step_built():
        pytest.skip("the config flow's user step is not built yet (config_flow.py)")
