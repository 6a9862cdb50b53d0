"""A replay router: serves a recording of a real router's JNAP answers over HTTP (see router.py)."""

from .router import (
    OPEN_ACTIONS,
    RECORDING_FORMAT,
    RECORDING_VERSION,
    ReplayRequest,
    ReplayRouter,
    SetRules,
    load_recording,
)

__all__ = [
    "OPEN_ACTIONS",
    "RECORDING_FORMAT",
    "RECORDING_VERSION",
    "ReplayRequest",
    "ReplayRouter",
    "SetRules",
    "load_recording",
]
