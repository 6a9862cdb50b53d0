"""Presence timing: when each client was last seen, consider_home, and its Store.

Who is connected is the snapshot's (``jnap/presence.py`` decides it); how long a client
that left stays home is Home Assistant's side, kept here across restarts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import (
    CONF_CONSIDER_HOME,
    DEFAULT_CONSIDER_HOME,
    DOMAIN,
    PRESENCE_SAVE_DELAY,
    PRESENCE_STORAGE_VERSION,
)
from .snapshot import ClientView


def presence_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Where last-seen times of an entry's clients are kept across restarts."""
    return Store(hass, PRESENCE_STORAGE_VERSION, f"{DOMAIN}.{entry_id}.presence")


class PresenceTiming:
    """Last-seen times of an entry's clients, and whether each is home."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
        """Start empty; ``async_load`` reads the times saved before a restart."""
        self._entry = entry
        self._store = presence_store(hass, entry.entry_id)
        self.last_seen: dict[str, datetime] = {}
        """Client key -> when the router last reported it connected."""
        self._clients: Mapping[str, ClientView] = {}
        self.wake_ups = WakeUps(hass)
        """The trackers' ends of consider_home (one timer)."""
        entry.async_on_unload(self.wake_ups.close)
        self._options: Mapping[str, Any] | None = None
        self._consider_home = timedelta()

    @property
    def consider_home(self) -> timedelta:
        """How long a client stays home after the router last saw it."""
        # Read for every tracker written: made anew only when the options are replaced.
        options = self._entry.options
        if options is not self._options:
            self._options = options
            self._consider_home = timedelta(
                seconds=options.get(CONF_CONSIDER_HOME, DEFAULT_CONSIDER_HOME)
            )
        return self._consider_home

    def is_home(self, key: str, now: datetime | None = None) -> bool:
        """Return whether a client is connected or was seen less than consider_home ago."""
        client = self._clients.get(key)
        if client is not None and client.connected:
            return True
        expiry = self.home_until(key)
        return expiry is not None and (now or dt_util.utcnow()) < expiry

    def home_until(self, key: str) -> datetime | None:
        """When a disconnected client turns away (None if never seen)."""
        last = self.last_seen.get(key)
        return None if last is None else last + self.consider_home

    async def async_load(self) -> None:
        """Load last-seen times saved before a restart."""
        stored = await self._store.async_load() or {}
        for key, value in dict(stored.get("last_seen", {})).items():
            if (when := dt_util.parse_datetime(str(value))) is not None:
                self.last_seen[str(key)] = when

    @callback
    def async_seen(
        self, clients: Mapping[str, ClientView], removed: Iterable[str]
    ) -> None:
        """Note a poll's clients: the connected ones are seen now, removed ones forgotten."""
        self._clients = clients
        now = dt_util.utcnow()
        for client in clients.values():
            if client.connected:
                self.last_seen[client.key] = now
        self.forget(removed)
        self._store.async_delay_save(self._data, PRESENCE_SAVE_DELAY)

    def forget(self, keys: Iterable[str]) -> None:
        """Drop the times of clients that are gone."""
        for key in keys:
            self.last_seen.pop(key, None)

    @callback
    def _data(self) -> dict[str, Any]:
        return {
            "last_seen": {key: when.isoformat() for key, when in self.last_seen.items()}
        }

    async def async_save(self) -> None:
        """Write last-seen times now (on unload)."""
        await self._store.async_save(self._data())


class WakeUp:
    """One pending wake-up (the end of a consider_home), moved or cancelled as a whole."""

    __slots__ = ("_action", "_hass", "_unsub", "_when")

    def __init__(self, hass: HomeAssistant, action: Callable[[], None]) -> None:
        """Run ``action`` at the time given to ``at``."""
        self._hass = hass
        self._action = action
        self._unsub: CALLBACK_TYPE | None = None
        self._when: datetime | None = None

    @callback
    def cancel(self) -> None:
        """Drop the pending wake-up, if any."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None

    @callback
    def at(self, when: datetime | None) -> None:
        """Wake at ``when`` instead (nothing when None or past)."""
        if self._unsub is not None and when == self._when:
            return  # already set for then: polls needn't make a new timer each time
        self.cancel()
        if when is not None and when > dt_util.utcnow():
            self._when = when
            self._unsub = async_track_point_in_utc_time(self._hass, self._fire, when)

    @callback
    def _fire(self, _now: datetime) -> None:
        self._unsub = None
        self._action()


class WakeUps:
    """Wake-ups of many (each tracker's end of consider_home) on one timer, the earliest.

    Clients leave one by one, so their ends come in the order they are set: most calls
    keep the timer as it is instead of making one per client.
    """

    __slots__ = ("_due", "_hass", "_unsub", "_when")

    def __init__(self, hass: HomeAssistant) -> None:
        """Start with nothing due."""
        self._hass = hass
        self._due: dict[object, tuple[datetime, Callable[[], None]]] = {}
        self._unsub: CALLBACK_TYPE | None = None
        self._when: datetime | None = None

    @callback
    def at(
        self, owner: object, when: datetime | None, action: Callable[[], None]
    ) -> None:
        """Run ``owner``'s ``action`` at ``when`` instead (nothing when None or past)."""
        if when is None or when <= dt_util.utcnow():
            self.cancel(owner)
            return
        self._due[owner] = (when, action)
        if self._when is None or when < self._when:
            self._schedule(when)

    @callback
    def cancel(self, owner: object) -> None:
        """Drop ``owner``'s wake-up, if any (the timer too when nothing is left)."""
        if self._due.pop(owner, None) is not None and not self._due:
            self.close()

    @callback
    def close(self) -> None:
        """Drop the timer (on unload)."""
        if self._unsub is not None:
            self._unsub()
        self._unsub = self._when = None

    def _schedule(self, when: datetime) -> None:
        self.close()
        self._when = when
        self._unsub = async_track_point_in_utc_time(self._hass, self._fire, when)

    @callback
    def _fire(self, now: datetime) -> None:
        self._unsub = self._when = None
        due = [
            (owner, action)
            for owner, (when, action) in self._due.items()
            if when <= now
        ]
        for owner, _action in due:
            del self._due[owner]
        for _owner, action in due:
            action()  # may set its next wake-up (and the timer)
        self._reschedule()

    def _reschedule(self) -> None:
        if self._due:
            earliest = min(when for when, _action in self._due.values())
            if self._when is None or earliest < self._when:
                self._schedule(earliest)
