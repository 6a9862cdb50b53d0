"""The incremental snapshot builder: polls in, snapshots out, reusing what did not change.

No Home Assistant here. The coordinator trades with the builder once per poll
(``SnapshotBuilder.poll``): the builder says how much of the device list to read, merges
the answer, builds the snapshot and returns it with what changed (``BuildResult``).
Presence rules are the library's (``jnap/presence.py``); the snapshot and its views are
``snapshot.py``'s.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Container, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import compress
import logging
from operator import is_not
from typing import NamedTuple

from .jnap import Device, JNAPError, NetworkConnection, PollResult
from .jnap.actions import DEVICE_LIST_WRITES
from .jnap.presence import (
    PRESENCE_DEVICE_LIST,
    ConnectionLists,
    DeviceRole,
    device_role,
    live_connection,
    may_be_node,
    node_serials,
    same_link,
)
from .snapshot import (
    ClientCounts,
    ClientView,
    RouterSnapshot,
    SnapshotMaker,
    count_by_node,
)

_LOGGER = logging.getLogger(__name__)

DEVICE_LIST_FULL_READ = timedelta(minutes=5)
"""How often a mesh re-reads the whole device list: whether a client leaving bumps its
revision is unverified, so departures an incremental read misses show within this."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What one poll gave: its answer, its snapshot and which clients changed."""

    poll: PollResult
    snapshot: RouterSnapshot
    rebuilt: frozenset[str]
    """Client keys whose view the build made anew (new, renamed, connected, roamed...)."""
    relinked: frozenset[str]
    """Client keys whose view stayed while their link's metrics moved."""
    removed: frozenset[str]
    """Keys of the devices the router deleted."""


class DeviceListState:
    """The whole device list across incremental reads, and when to read it whole."""

    __slots__ = (
        "_full_read",
        "_last_full_read",
        "action",
        "changed_ids",
        "devices",
        "revision",
        "sources",
    )

    def __init__(self) -> None:
        """Start with nothing: the first poll reads the whole list."""
        self.devices: dict[str, Device] | None = None
        self.revision: int | None = None
        self.action: str | None = None
        """The action the list was last read with (``presence_sources`` needs it)."""
        self.changed_ids: set[str] | None = None
        """Devices the merges since the last build changed (None: build everything)."""
        self.sources: frozenset[str] = frozenset()
        """The presence sources of the last build."""
        self._full_read = True
        self._last_full_read: datetime | None = None

    def since_revision(self, now: datetime) -> int | None:
        """``sinceRevision`` for this poll; None reads the whole device list.

        Whole when asked (first poll, after an outage or a reset), at every poll while the
        device list alone is presence, and every ``DEVICE_LIST_FULL_READ`` while it is one
        of the sources.
        """
        if self._full_read or self.sources == {PRESENCE_DEVICE_LIST}:
            return None
        if (
            PRESENCE_DEVICE_LIST in self.sources
            and self._last_full_read is not None
            and now - self._last_full_read >= DEVICE_LIST_FULL_READ
        ):
            return None
        return self.revision

    def request_full_read(self) -> None:
        """Read the whole device list at the next poll (after an outage, a reset)."""
        self._full_read = True

    def note_call(self, action: str) -> None:
        """Before ``action`` is sent: a write to the device list makes the next read whole."""
        if action in DEVICE_LIST_WRITES:
            self._full_read = True

    def absorb(self, result: PollResult, now: datetime) -> set[str]:
        """Merge this poll's device list (read at ``now``); return the keys that went away."""
        device_list = result.devices
        if device_list is None:
            if "devices" in result.errors:
                # Keep what we know; start over with a full read next time.
                self._full_read = True
            return set()
        since = device_list.since_revision
        if since is None:
            self._last_full_read = now
        elif device_list.revision < since:
            # The router's revision went back (reset/reboot): this answer is not a change
            # list; the next poll reads everything (never a second request now).
            _LOGGER.debug("device list revision went back; full read next poll")
            self._full_read = True
            return set()
        self.action = result.actions.get("devices", self.action)
        previous = self.devices or {}
        if since is None:
            # Only a whole read answers a request for one: a rename's, made while an
            # incremental read was out, stays for the next poll.
            self._full_read = False
        removed: set[str] = set()
        if since is None or self.devices is None:
            devices = {d.device_id: d for d in device_list.devices}
            self.changed_ids = None
            for key in set(previous) - set(devices):
                old = previous[key]
                if any(c.is_guest for c in old.connections):
                    # Velop leaves offline guests out of full reads, without deleting
                    # them (devicelist_devicedb.lua innerGetDevices): keep, offline.
                    devices[key] = replace(old, connections=())
                else:
                    removed.add(key)
        elif not device_list.devices and not device_list.deleted_device_ids:
            # Nothing changed: keep the same dict (the snapshot build reuses its indexes).
            devices = self.devices
        else:
            devices = dict(self.devices)
            for device_id in device_list.deleted_device_ids:
                if devices.pop(device_id, None) is not None:
                    removed.add(device_id)
            for device in device_list.devices:
                devices[device.device_id] = device
            if (changed := self.changed_ids) is not None:
                changed.update(device_list.deleted_device_ids)
                changed.update(d.device_id for d in device_list.devices)
        self.devices = devices
        self.revision = device_list.revision
        return removed


class _View(NamedTuple):
    """What a client's view was built from, and the view."""

    device: Device
    live: NetworkConnection | None
    sources: frozenset[str]
    view: ClientView


class _Built(NamedTuple):
    """What a build made, before the snapshot is made of it."""

    clients: Mapping[str, ClientView]
    nodes: Mapping[str, Device]
    by_mac: Mapping[str, str]
    counts: ClientCounts
    node_counts: Mapping[str, int]
    rebuilt: set[str]
    relinked: set[str]


_NOTHING: frozenset[str] = frozenset()


class SnapshotBuilder:
    """Turns polls into snapshots, reusing every piece a poll did not change.

    It keeps the whole device list across incremental reads (``DeviceListState``) and the
    last build (per client: device, live connection, sources, view), so an idle poll
    returns the same views and a poll that touched a few clients rebuilds only theirs.
    ``tests/test_incremental_build.py`` compares every incremental build with a full one.
    """

    def __init__(self, seen: Container[str] = ()) -> None:
        """Start with nothing: the first poll reads and builds everything.

        ``seen``: keys of clients seen connected before (kept up to date by the owner),
        so a computer wearing a node's identity that leaves stays a client
        (``jnap.presence.device_role``).
        """
        self._seen = seen
        self.device_list = DeviceListState()
        self._lists = ConnectionLists()
        self._maker = SnapshotMaker()
        self._views: dict[str, _View] = {}
        self._built_devices: dict[str, Device] | None = None
        """The device dict the last build used (the same object: nothing merged since)."""
        self._shared_macs = False
        """Some MAC belongs to two devices: the MAC index can't name all its clients."""
        self._watched_macs: frozenset[str] = frozenset()
        """MACs of non-node Infrastructure records: their live state decides their role."""

    async def poll(
        self,
        fetch: Callable[[int | None], Awaitable[PollResult]],
        previous: RouterSnapshot | None,
        now: datetime,
    ) -> BuildResult:
        """Poll through ``fetch(since_revision)`` and build: the one exchange of a poll.

        A failed poll (a ``JNAPError``) re-reads the whole device list next time: back
        from an outage the router may have rebooted, which resets its revision.
        """
        try:
            result = await fetch(self.device_list.since_revision(now))
        except JNAPError:
            self.device_list.request_full_read()
            raise
        return self.build(result, previous, now)

    def build(
        self, result: PollResult, previous: RouterSnapshot | None, now: datetime
    ) -> BuildResult:
        """Merge this poll's device list and build its snapshot.

        ``previous``: the snapshot in use, if any; ``now``: when the poll was sent.
        """
        state = self.device_list
        removed = state.absorb(result, now)
        source, connections = self._lists.update(result, state.action)
        state.sources = source
        devices = state.devices or {}
        changed_ids, state.changed_ids = state.changed_ids, set()
        built: _Built | None = None
        if (
            previous is not None
            # Builds below start from the last build: it must be the snapshot in use (a
            # refresh failing after its build would leave them apart).
            and previous is self._maker.last
            and source == previous.presence_sources
            and changed_ids is not None
        ):
            if devices is self._built_devices and connections is previous.connections:
                # Idle poll: same devices, same live connections, so the same views.
                built = _Built(
                    previous.clients,
                    previous.nodes,
                    previous.client_keys_by_mac,
                    previous.client_counts,
                    previous.node_client_counts,
                    set(),
                    set(),
                )
            elif (
                touched := self._touched(previous, devices, connections, changed_ids)
            ) is not None:
                built = self._build_touched(previous, source, connections, touched)
        if built is None:
            built = self._build_all(source, connections, devices)
        self._built_devices = devices
        snapshot = self._maker.snapshot(
            result,
            source,
            connections,
            revision=state.revision,
            clients=built.clients,
            nodes=built.nodes,
            index=built.by_mac,
            counts=built.counts,
            node_counts=built.node_counts,
        )
        return BuildResult(
            result,
            snapshot,
            frozenset(built.rebuilt) if built.rebuilt else _NOTHING,
            frozenset(built.relinked) if built.relinked else _NOTHING,
            frozenset(removed) if removed else _NOTHING,
        )

    def _touched(
        self,
        previous: RouterSnapshot,
        devices: Mapping[str, Device],
        connections: Mapping[str, NetworkConnection] | None,
        changed_ids: set[str],
    ) -> set[str] | None:
        """Clients whose device or live connection changed; None: rebuild everything.

        Only changes that keep the set of clients, nodes and MACs qualify (a client
        connecting, leaving, roaming or renamed); anything else is a full build.
        """
        built = self._built_devices
        if (
            built is None
            or self._shared_macs
            or (connections is None) != (previous.connections is None)
        ):
            return None
        for key in changed_ids:
            old, new = built.get(key), devices.get(key)
            if (
                old is None
                or new is None
                or old.macs != new.macs
                or may_be_node(old)
                or may_be_node(new)
            ):
                return None
        views = self._views
        touched = {key for key in changed_ids if key in views}  # clients only
        old_connections = previous.connections
        if connections is not None and old_connections is not None:
            index = previous.client_keys_by_mac
            # Every poll compares every live connection: by identity, in C (map).
            before = map(old_connections.get, connections)
            moved = set(
                compress(
                    connections, map(is_not, before, connections.values(), strict=True)
                )
            )
            moved.update(old_connections.keys() - connections.keys())
            if not moved.isdisjoint(self._watched_macs):
                return None
            touched.update(index[mac] for mac in moved if mac in index)
        return touched

    def _build_touched(
        self,
        previous: RouterSnapshot,
        source: frozenset[str],
        connections: Mapping[str, NetworkConnection] | None,
        touched: set[str],
    ) -> _Built:
        """Rebuild the views of the touched clients; share everything else."""
        devices = self.device_list.devices or {}
        views = self._views  # only builds read it: updated in place
        clients: Mapping[str, ClientView] = previous.clients
        changed: dict[str, ClientView] = {}
        rebuilt: set[str] = set()
        relinked: set[str] = set()
        replaced: list[ClientView] = []
        for key in touched:
            old = views[key]
            device = devices[key]
            live = live_connection(device, connections)
            if old.device is device and same_link(old.live, live):
                if old.live is not live:
                    # Only the link's metrics moved: same view, link listeners only.
                    views[key] = _View(device, live, source, old.view)
                    relinked.add(key)
                continue
            if not rebuilt:
                clients = changed = dict(clients)
            view = ClientView.of(device, live, source)
            views[key] = _View(device, live, source, view)
            changed[key] = view
            rebuilt.add(key)
            replaced.append(old.view)
        new = [clients[key] for key in rebuilt]
        return _Built(
            clients,
            previous.nodes,
            previous.client_keys_by_mac,
            previous.client_counts.updated(replaced, new),
            count_by_node(previous.node_client_counts, previous.nodes, replaced, new)
            if rebuilt
            else previous.node_client_counts,
            rebuilt,
            relinked,
        )

    def _build_all(
        self,
        source: frozenset[str],
        connections: Mapping[str, NetworkConnection] | None,
        devices: dict[str, Device],
    ) -> _Built:
        """Build every view, reusing those whose device and connection are the same."""
        clients: dict[str, ClientView] = {}
        views: dict[str, _View] = {}
        previous_views = self._views
        rebuilt: set[str] = set()
        relinked: set[str] = set()
        nodes: dict[str, Device] = {}
        by_mac: dict[str, str] = {}
        shared_macs = False
        serials = node_serials(devices.values())
        watched: set[str] = set()
        for device_id, device in devices.items():
            role = device_role(device, serials, connections or (), self._seen)
            if role is DeviceRole.NODE:
                nodes[device_id] = device
                continue
            if may_be_node(device):
                # Its role moves with its live MACs: a change there is a full build.
                watched.update(device.macs)
            if role is DeviceRole.STALE or not device.macs:
                continue
            live = live_connection(device, connections)
            old = previous_views.get(device_id)
            if (
                old is not None
                and old.device is device
                and old.sources == source
                and same_link(old.live, live)
            ):
                view = old.view
                if old.live is not live:
                    relinked.add(device_id)
            else:
                view = ClientView.of(device, live, source)
                rebuilt.add(device_id)
            views[device_id] = _View(device, live, source, view)
            clients[device_id] = view
            for mac in device.macs:
                if by_mac.setdefault(mac, device_id) != device_id:
                    shared_macs = True
        self._shared_macs = shared_macs
        self._watched_macs = frozenset(watched)
        self._views = views
        return _Built(
            clients,
            nodes,
            by_mac,
            ClientCounts.of(clients.values()),
            count_by_node({}, nodes, (), clients.values()),
            rebuilt,
            relinked,
        )
