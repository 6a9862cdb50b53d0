"""Presence rules: which answers say who is connected (the version facts, declared once)."""

from __future__ import annotations

from typing import Final

from .actions import ACTIONS, GET_DEVICES, short_name

DEVICE_LIST_LIVE_VERSION: Final = 3
"""First ``GetDevices`` version whose ``connections`` are live (docs/firmware-facts.md,
"GetDevices / GetDevices3"): v3 drops a MAC without a live link, v1 keeps stale ones. Later
versions are assumed to keep v3's rule (unverified: none is known yet)."""


def device_list_has_live_connections(action: str) -> bool:
    """Whether this device-list action's ``connections`` are live (presence may use them).

    ``action`` is the short name or URI the ``devices`` poll part was read with; an action
    outside the catalogue, or of another family, has no live connections.
    """
    spec = ACTIONS.get(short_name(action))
    return (
        spec is not None
        and spec.family == GET_DEVICES
        and spec.version >= DEVICE_LIST_LIVE_VERSION
    )
