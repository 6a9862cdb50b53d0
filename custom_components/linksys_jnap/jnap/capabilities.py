"""What a router supports, from the services ``core/GetDeviceInfo`` lists."""

from __future__ import annotations

from collections.abc import Iterable

from .actions import (
    ACTIONS,
    FAMILIES,
    GET_DEVICE_INFO,
    JNAP_PREFIX,
    SIBLINGS,
    short_name,
)


class Capabilities:
    """The actions a router offers.

    An action exists when the service the wire contract names for it is listed exactly
    (services are not cumulative). Actions the router answered ``_ErrorUnknownAction`` to are
    dropped for the life of this object.
    """

    __slots__ = ("_actions", "_available", "_removed", "services")

    def __init__(self, services: Iterable[str]) -> None:
        """Build from service URIs (either prefix) or short service names."""
        self.services: frozenset[str] = frozenset(short_name(s) for s in services)
        self._actions = frozenset(
            spec.short
            for spec in ACTIONS.values()
            if spec.service is None or spec.service in self.services
        )
        self._removed: set[str] = set()
        # ``actions``, kept up to date: every poll asks it once per action it sends.
        self._available = self._actions

    def __repr__(self) -> str:
        """Short summary."""
        return (
            f"Capabilities({len(self.services)} services, {len(self.actions)} actions)"
        )

    @property
    def actions(self) -> frozenset[str]:
        """Short names of every action currently considered available."""
        return self._available

    @property
    def service_uris(self) -> frozenset[str]:
        """Full service URIs."""
        return frozenset(JNAP_PREFIX + s for s in self.services)

    def has_action(self, action: str) -> bool:
        """Whether this exact action (short name or URI) is available."""
        return short_name(action) in self.actions

    def supports(self, family_or_action: str) -> bool:
        """Whether any version of a family, or this exact versioned action, is available.

        ``"router/GetWANStatus"`` is the family name: true when any of GetWANStatus/2/3 exists.
        """
        name = short_name(family_or_action)
        if name in FAMILIES:
            return self.version_of(name) is not None
        return self.has_action(name)

    def version_of(self, family: str) -> str | None:
        """Short name of the highest available version of a family, None if none is."""
        available = self.actions
        for spec in FAMILIES.get(short_name(family), ()):
            if spec.short in available:
                return spec.short
        return None

    def mark_unsupported(self, action: str) -> None:
        """Drop an action the router refused as unknown (and the ones that go with it).

        Never ``core/GetDeviceInfo``: capabilities are read from it, and a router that
        once refused it (a garbled answer) would never be asked again.
        """
        name = short_name(action)
        if name == GET_DEVICE_INFO:
            return
        self._removed.add(name)
        self._removed.update(SIBLINGS.get(name, ()))
        self._available = self._actions - self._removed
