"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: Any) -> None:
    """Let Home Assistant load custom_components/linksys_jnap in every test."""


@pytest.fixture(autouse=True)
def allow_loopback_sockets(socket_enabled: Any) -> None:
    """Allow real HTTP to the router simulator on 127.0.0.1 (other hosts stay blocked)."""
