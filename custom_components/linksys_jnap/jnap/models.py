"""Frozen models of JNAP outputs.

Parsers never trust types: routers send numbers as strings (``"433"``), ``0`` for dates,
near-empty objects. Optional members default to None, unknown members are ignored (but kept in
``raw``), and ``JNAPProtocolError`` is raised only when a required member is unusable. Entries
of a list that are unusable are skipped. MAC addresses are normalised to ``AA:BB:CC:DD:EE:FF``.

Models that back a write keep ``raw`` (the Get output) so a read-modify-write can send back
every member exactly as the router gave it. Secrets (passphrases) are left out of ``repr``.

The models live in ``models_base`` (parsers and the declarative machinery),
``models_devices``, ``models_firewall``, ``models_health``, ``models_nodes``, ``models_router``, ``models_rules`` and
``models_settings``; this module
is their one import path.
"""

from __future__ import annotations

from . import (
    models_base,
    models_devices,
    models_firewall,
    models_health,
    models_nodes,
    models_router,
    models_rules,
    models_settings,
)
from .models_base import *  # noqa: F403
from .models_devices import *  # noqa: F403
from .models_firewall import *  # noqa: F403
from .models_health import *  # noqa: F403
from .models_nodes import *  # noqa: F403
from .models_router import *  # noqa: F403
from .models_rules import *  # noqa: F403
from .models_settings import *  # noqa: F403

__all__: list[str] = []
__all__ += models_base.__all__
__all__ += models_devices.__all__
__all__ += models_firewall.__all__
__all__ += models_health.__all__
__all__ += models_nodes.__all__
__all__ += models_router.__all__
__all__ += models_rules.__all__
__all__ += models_settings.__all__
