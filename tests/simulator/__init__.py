"""A stateful fake Linksys JNAP router for tests and demos (see README.md)."""

from .profiles import PROFILES, Profile
from .server import Fault, RequestRecord, RouterSimulator, WriteRecord
from .state import RouterState

__all__ = [
    "PROFILES",
    "Fault",
    "Profile",
    "RequestRecord",
    "RouterSimulator",
    "RouterState",
    "WriteRecord",
]
