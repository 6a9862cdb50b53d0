"""Listener fan-out by client: after a poll that changed a few clients, only theirs run.

``DataUpdateCoordinator`` calls every listener after every refresh. With 1,000 clients
(five entities each) most polls change a handful, so the coordinator asks this helper
for the callbacks that matter. The coordinator registers every listener here as well as
with ``DataUpdateCoordinator`` (no private member of it is read); the grouping is cached
until a listener is added or removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
import logging
from typing import Any

from homeassistant.core import CALLBACK_TYPE


@dataclass(frozen=True, slots=True)
class ClientContext:
    """Listener context of a client's entities: updated only when that client changed.

    ``link``: the entity shows the live link's metrics (signal, rate), so it is also updated
    when only those moved, which routers report at nearly every poll.
    """

    key: str
    link: bool = False


class ClientListeners:
    """Router-level listeners, and client and link-metric listeners by client key."""

    __slots__ = ("_by_client", "_by_link", "_listeners", "_router", "_valid")

    def __init__(self) -> None:
        """Start with no listener."""
        self._listeners: dict[object, tuple[CALLBACK_TYPE, Any]] = {}
        self._valid = False
        self._router: list[CALLBACK_TYPE] = []
        self._by_client: dict[str, list[CALLBACK_TYPE]] = {}
        self._by_link: dict[str, list[CALLBACK_TYPE]] = {}

    def add(self, update_callback: CALLBACK_TYPE, context: Any) -> CALLBACK_TYPE:
        """Register a listener with its context; return what removes it."""
        token = object()
        self._listeners[token] = (update_callback, context)
        self._valid = False

        def remove() -> None:
            self._listeners.pop(token, None)
            self._valid = False

        return remove

    def _group(self) -> None:
        self._router, self._by_client, self._by_link = [], {}, {}
        for update_callback, context in self._listeners.values():
            if isinstance(context, ClientContext):
                group = self._by_link if context.link else self._by_client
                group.setdefault(context.key, []).append(update_callback)
            else:
                self._router.append(update_callback)
        self._valid = True

    def callbacks(
        self, rebuilt: Iterable[str], relinked: Iterable[str]
    ) -> list[CALLBACK_TYPE]:
        """Return the callbacks to run after a poll that changed only some clients.

        Router-level listeners, every listener of ``rebuilt`` clients, and the link
        listeners of ``relinked`` ones (their view stayed, their signal or rate moved).
        """
        if not self._valid:
            self._group()
        found = list(self._router)
        for key in rebuilt:
            found.extend(self._by_client.get(key, ()))
            found.extend(self._by_link.get(key, ()))
        for key in relinked:
            found.extend(self._by_link.get(key, ()))
        return found

    def run(
        self,
        rebuilt: Iterable[str],
        relinked: Iterable[str],
        logger: logging.Logger,
        name: str,
    ) -> None:
        """Run the ``callbacks`` of a poll that changed only some clients.

        A failing listener is logged (as the coordinator ``name``) and the others still
        run, as ``DataUpdateCoordinator.async_update_listeners`` does.
        """
        for update_callback in self.callbacks(rebuilt, relinked):
            try:
                update_callback()
            except Exception:
                logger.exception(
                    "Unexpected error updating listener %s for %s",
                    id(update_callback),
                    name,
                )
