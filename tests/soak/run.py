"""A week in a day: the integration in Home Assistant against a scripted router world.

Home Assistant is the test harness's instance, in this process (as in ``tests.bench.run``);
the router simulator runs in the same process so the world can be scripted directly, and
time is simulated (freezegun: ``freezer.tick`` + ``async_fire_time_changed``) at the real
poll interval. ``soak()`` is shared by ``scripts/soak`` and ``tests/test_soak.py``.
See CONTRIBUTING.md ("The soak") for what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from collections.abc import Callable, Iterator
import contextlib
from dataclasses import asdict, dataclass, field
from datetime import timedelta
import gc
import json
import logging
import re
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from types import FunctionType, ModuleType
from typing import Any
from unittest.mock import patch

from aiohttp import ClientSession, ThreadedResolver
import freezegun.api
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.update import DOMAIN as UPDATE, SERVICE_INSTALL
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_SSL,
    CONF_VERIFY_SSL,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.entity_platform import EntityPlatform
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.linksys_jnap.const import DOMAIN, SCAN_INTERVAL
from custom_components.linksys_jnap.coordinator import LinksysJnapCoordinator
from custom_components.linksys_jnap.devices import client_key_of
from tests.simulator import RouterSimulator
from tests.soak.world import DAY, Special, World

PASSWORD = "soak password"
START = "2026-11-25 00:00:00"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_")
# The coordinator's own line for a failed poll (no traceback): expected during outages.
POLL_FAILED = re.compile(r"^(Error fetching|Error requesting) .* data")
MEMORY_FILES = (
    "*/custom_components/linksys_jnap/*",
    "*/homeassistant/helpers/entity_registry.py",
    "*/homeassistant/helpers/device_registry.py",
    "*/homeassistant/helpers/registry.py",
)
TRACE_FRAMES = 4  # 12 frames made the run 20 times slower; 1 frame misses most
# Requests next to the poll's transaction: only user actions (CONTRIBUTING.md, "The soak").
# The hourly factory-password check and the firmware re-read after an outage ride in the
# poll's transaction; parts a fault aborted and a reset device list wait for the next poll.
# User actions (the firmware install) happen before a tick's counting starts: none here.
EXPECTED_EXTRA: dict[str, str] = {}


FAULT_RETRY = "(poll parts asked again after a fault)"


GRAPH_STOP_TYPES: tuple[type, ...] = (
    HomeAssistant,
    EntityPlatform,
    asyncio.AbstractEventLoop,
    asyncio.Task,
    ClientSession,
    logging.Logger,
)


class SoakError(Exception):
    """The soak could not go on (setup failed, a poll hung)."""


@dataclass
class SoakConfig:
    days: int = 7
    clients: int = 1000
    profile: str = "smartwifi"
    seed: int = 1
    forget_after_days: float = 2.0
    """The router forgets a device offline for longer than this."""
    memory: bool = False
    """Also trace allocations (tracemalloc; slows the run down about twentyfold)."""


@dataclass
class DayFigures:
    day: int
    polls: int = 0
    failed_polls: int = 0
    router_devices: int = 0
    """Devices the router lists besides itself: clients and mesh nodes (the registries'
    bound: the router's device and one per listed device)."""
    devices: int = 0
    entities: int = 0
    states: int = 0
    deleted_devices: int = 0
    """Home Assistant's device registry ``deleted_devices`` (kept 30 days)."""
    deleted_entities: int = 0
    listeners: int = 0
    bus_listeners: int = 0
    timers: int = 0
    tasks: int = 0
    presence: int = 0
    known_devices: int = 0
    """``ClientDevices._known`` entries."""
    orphan_devices: int = 0
    orphan_entities: int = 0
    orphans_forgotten_while_down: int = 0
    """Of the orphans: clients the router forgot while Home Assistant was down."""
    stale_presence: int = 0
    """``last_seen`` keys of devices the router forgot."""
    integration_objects: int = 0
    coordinators: int = 0
    retained_kib: float = 0.0
    """The coordinator's object graph (snapshot, builder, presence, listeners and the
    entities they reach) plus the entity and device registries (``graph_kib``)."""
    memory_kib: float | None = None
    """With tracemalloc: memory allocated from the integration's and the registries'
    modules and still held."""
    cpu_ms_median: float = 0.0
    cpu_ms_p95: float = 0.0
    max_requests_per_poll: int = 0
    dropped_requests: int = 0
    extra_requests: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    poll_failure_logs: int = 0
    world: dict[str, int] = field(default_factory=dict)


@dataclass
class SoakResult:
    config: SoakConfig
    days: list[DayFigures] = field(default_factory=list)
    startup_requests: list[int] = field(default_factory=list)
    error_messages: list[str] = field(default_factory=list)
    warning_messages: Counter[str] = field(default_factory=Counter)
    extra_requests: Counter[str] = field(default_factory=Counter)
    unexpected_requests: list[str] = field(default_factory=list)
    """Requests next to the poll not in EXPECTED_EXTRA: when, what, and what happened."""
    orphan_names: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(d.errors for d in self.days)

    @property
    def orphans(self) -> int:
        return max((d.orphan_devices + d.orphan_entities for d in self.days), default=0)

    @property
    def orphans_forgotten_while_down(self) -> int:
        return max((d.orphans_forgotten_while_down for d in self.days), default=0)

    @property
    def retained_growth_pct(self) -> float | None:
        """Growth from the end of day one to the end (tracemalloc's if traced)."""
        first, last = self.days[0].memory_kib, self.days[-1].memory_kib
        if first is None or last is None:
            first, last = self.days[0].retained_kib, self.days[-1].retained_kib
        if not first:
            return None
        return round((last - first) / first * 100, 1)

    @property
    def max_requests_per_poll(self) -> int:
        return max((d.max_requests_per_poll for d in self.days), default=0)

    def summary(self) -> dict[str, Any]:
        return {
            "days": self.config.days,
            "clients": self.config.clients,
            "profile": self.config.profile,
            "errors": self.errors,
            "orphans": self.orphans,
            "orphans_forgotten_while_down": self.orphans_forgotten_while_down,
            "retained_growth_pct": self.retained_growth_pct,
            "max_requests_per_poll": self.max_requests_per_poll,
            "extra_requests": dict(self.extra_requests),
            "unexpected_requests": self.unexpected_requests,
            "orphan_names": self.orphan_names,
            "startup_requests": self.startup_requests,
            "seconds": round(self.seconds, 1),
            "per_day": [asdict(d) for d in self.days],
        }


class LogCollector(logging.Handler):
    """Warnings and errors logged during the soak."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(flatten(record))

    def take(self) -> list[logging.LogRecord]:
        records, self.records = self.records, []
        return records


def flatten(record: logging.LogRecord) -> logging.LogRecord:
    """Keep a record's text, not its arguments and traceback.

    A kept record would keep what it refers to alive (an ``UpdateFailed`` in its
    arguments holds its traceback's frames, and so the coordinator of that poll), and the
    soak counts what stays alive.
    """
    if record.args:
        record.msg, record.args = record.getMessage(), None
    if record.exc_info:
        if not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
    return record


def flatten_kept_records() -> None:
    """Flatten the records other handlers keep (pytest's log capture)."""
    for handler in logging.getLogger().handlers:
        for record in getattr(handler, "records", None) or ():
            if isinstance(record, logging.LogRecord):
                flatten(record)


def is_error(record: logging.LogRecord) -> bool:
    """Return whether the soak fails on it: any error but the plain failed-poll line."""
    if record.levelno < logging.ERROR:
        return False
    if record.exc_info or record.exc_text:
        return True
    return not POLL_FAILED.match(record.getMessage())


# --- time ----------------------------------------------------------------------------------


async def settle(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Run what is due, polls in flight included.

    Under the freezer the loop's clock stands still: a request held by the router (a
    TIMEOUT or LATENCY fault) only times out when simulated time moves, so while nothing
    progresses for 0.1 s of real time, simulated time moves by a second.
    """
    loop = asyncio.get_running_loop()
    for _ in range(600):
        await hass.async_block_till_done()
        pending = [t for t in hass._background_tasks if not t.done()]
        if not pending:
            return
        # A real-time timer (the loop's own timers are frozen too).
        stalled: asyncio.Future[None] = loop.create_future()
        timer = threading.Timer(0.1, loop.call_soon_threadsafe, (_set_done, stalled))
        timer.start()
        await asyncio.wait([*pending, stalled], return_when=asyncio.FIRST_COMPLETED)
        timer.cancel()
        if stalled.done() and not any(t.done() for t in pending):
            freezer.tick(timedelta(seconds=1))
            async_fire_time_changed(hass)
    raise SoakError("background tasks still running after 60 s of real time")


def _set_done(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


# --- measurement ---------------------------------------------------------------------------


def _sim_cpu(sim: RouterSimulator) -> list[float]:
    """Count the CPU the simulator's request handler uses (subtracted from each poll)."""
    spent = [0.0]
    dispatch = sim._dispatch

    async def timed(request: Any) -> Any:
        start = time.process_time()
        try:
            return await dispatch(request)
        finally:
            spent[0] += time.process_time() - start

    sim._dispatch = timed  # type: ignore[method-assign]
    return spent


def orphans(
    hass: HomeAssistant, entry: MockConfigEntry, sim: RouterSimulator, serial: str
) -> dict[str, list[str]]:
    """Return what the registries keep of devices the router no longer lists.

    Router device id -> names of its devices and entity ids.
    """
    listed = sim.state.devices
    found: dict[str, list[str]] = {}
    for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id):
        for ident in device.identifiers:
            if (key := client_key_of(serial, ident)) is not None and key not in listed:
                found.setdefault(key, []).append(f"device {device.name or device.id}")
    prefix = f"{serial}_"
    for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
        rest = entity.unique_id.removeprefix(prefix)
        if UUID.match(rest) and (key := rest[:36]) not in listed:
            found.setdefault(key, []).append(entity.entity_id)
    return found


def integration_objects() -> Counter[str]:
    """Live instances of the integration's classes, by class name."""
    found: Counter[str] = Counter()
    for obj in gc.get_objects():
        cls = type(obj)
        module = cls.__dict__.get("__module__")
        if isinstance(module, str) and module.startswith(
            "custom_components.linksys_jnap"
        ):
            found[cls.__qualname__] += 1
    return found


def graph_kib(roots: list[object], stop: list[object]) -> float:
    """KiB of the object graph under ``roots`` (each object once), not crossing ``stop``.

    Classes, modules and functions are not counted (code, not data), nor is anything
    under the ``stop`` objects (Home Assistant, its loop, bus and state machine, the
    config entry, the HTTP session, entity platforms).
    """
    seen = {id(obj) for obj in stop}
    total = 0
    todo = list(roots)
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, (type, ModuleType, FunctionType)):
            continue
        seen.add(id(obj))
        if isinstance(obj, GRAPH_STOP_TYPES):
            continue
        total += sys.getsizeof(obj)
        todo.extend(gc.get_referents(obj))
    return round(total / 1024, 1)


def retained_kib() -> float:
    snap = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(True, pattern, all_frames=True) for pattern in MEMORY_FILES]
    )
    return round(sum(t.size for t in snap.traces) / 1024, 1)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct))]


# --- the run -------------------------------------------------------------------------------


def entry_for(sim: RouterSimulator) -> MockConfigEntry:
    info = sim.state.device_info
    return MockConfigEntry(
        domain=DOMAIN,
        title=info.description,
        unique_id=info.serial_number,
        data={
            CONF_HOST: sim.host,
            CONF_PASSWORD: PASSWORD,
            CONF_SSL: False,
            CONF_VERIFY_SSL: False,
        },
    )


def next_version(version: str) -> str:
    parts = version.split(".")
    parts[min(2, len(parts) - 1)] = str(int(parts[min(2, len(parts) - 1)]) + 1)
    return ".".join(parts)


class Soak:
    """One soak: the router, the world, Home Assistant's entry, and the figures."""

    def __init__(
        self,
        hass: HomeAssistant,
        freezer: FrozenDateTimeFactory,
        config: SoakConfig,
        say: Callable[[str], None] | None,
    ) -> None:
        self.hass = hass
        self.freezer = freezer
        self.config = config
        self.say = say or (lambda _text: None)
        self.result = SoakResult(config)
        self.logs = LogCollector()
        self.sim = RouterSimulator(
            config.profile, PASSWORD, config.clients, config.seed
        )
        self.sim_cpu = _sim_cpu(self.sim)
        self.entry: MockConfigEntry | None = None
        self.serial = str(self.sim.state.device_info.serial_number)
        self._day = DayFigures(day=1)
        self._cpu: list[float] = []
        self._ha_up = False
        self._polls = [0, 0]
        self._instrumented: LinksysJnapCoordinator | None = None
        self._down: list[tuple[float, float]] = []
        """(from, to) seconds of the run while the entry was unloaded."""
        self._down_since = 0.0

    def _was_down(self, when: float | None) -> bool:
        return when is not None and any(a <= when <= b for a, b in self._down)

    @property
    def coordinator(self) -> LinksysJnapCoordinator | None:
        entry = self.entry
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return None
        coordinator: LinksysJnapCoordinator = entry.runtime_data.coordinator
        return coordinator

    async def run(self) -> SoakResult:
        started = freezegun.api.real_perf_counter()  # real time, frozen or not
        root = logging.getLogger()
        root.addHandler(self.logs)
        await self.sim.start(host="127.0.0.1", port=0)
        try:
            self.entry = entry_for(self.sim)
            self.entry.add_to_hass(self.hass)
            await self._setup()
            await self._days()
        finally:
            if self.entry is not None and self.entry.state is ConfigEntryState.LOADED:
                await self.hass.config_entries.async_unload(self.entry.entry_id)
                await self.hass.async_block_till_done()
            await self.sim.stop()
            root.removeHandler(self.logs)
            self.result.seconds = freezegun.api.real_perf_counter() - started
        return self.result

    async def _setup(self) -> None:
        assert self.entry is not None
        self.sim.reset_counters()
        await self.hass.config_entries.async_setup(self.entry.entry_id)
        await settle(self.hass, self.freezer)
        if self.entry.state is not ConfigEntryState.LOADED:
            raise SoakError(f"setup failed: {self.entry.state} {self.entry.reason}")
        self.result.startup_requests.append(len(self.sim.requests))
        self.sim.reset_counters()
        self._ha_up = True

    async def _days(self) -> None:
        config = self.config
        world = World(
            self.sim,
            days=config.days,
            seed=config.seed,
            forget_after=config.forget_after_days * DAY,
        )
        specials = world.specials()
        start = dt_util.utcnow()
        total = config.days * DAY
        ha_back_at: float | None = None
        day_end = DAY
        while True:
            now = (dt_util.utcnow() - start).total_seconds()
            if now >= day_end:
                await self._end_day(world)
                if day_end >= total:
                    return
                day_end += DAY
            coordinator = self.coordinator
            step = (
                coordinator.update_interval or SCAN_INTERVAL
                if coordinator is not None
                else SCAN_INTERVAL
            ).total_seconds()
            happened = world.advance(now + step)
            world.per_poll()
            setup_tick = False
            while specials and specials[0].at <= now + step:
                special = specials.pop(0)
                if special.name == "ha_restart":
                    ha_back_at = now + float(special.args["downtime"])
                await self._special(special, world, now)
            if ha_back_at is not None and now >= ha_back_at:
                ha_back_at = None
                self._down.append((self._down_since, now))
                await self._setup()
                setup_tick = True
            faulted = bool(self.sim._faults) or self.sim.is_down
            self.sim.reset_counters()
            cpu0, sim0 = time.process_time(), self.sim_cpu[0]
            self.freezer.tick(timedelta(seconds=step))
            async_fire_time_changed(self.hass)
            await settle(self.hass, self.freezer)
            cpu_ms = (time.process_time() - cpu0 - (self.sim_cpu[0] - sim0)) * 1000
            after = self.coordinator
            if after is not coordinator:
                setup_tick = True  # the entry reloaded (new firmware)
            if after is not None and after is not self._instrumented:
                self._instrument(after)
                self._instrumented = after
            if after is not None and self._ha_up and not setup_tick:
                self._count_poll(after, cpu_ms, now, happened, faulted=faulted)

    def _count_poll(
        self,
        coordinator: LinksysJnapCoordinator,
        cpu_ms: float,
        now: float,
        happened: list[str],
        *,
        faulted: bool,
    ) -> None:
        day = self._day
        polls, failed = self._polls
        self._polls[:] = [0, 0]
        day.polls += polls
        day.failed_polls += failed
        # A request the router held and dropped (TIMEOUT) is recorded when it lets go,
        # during a later poll: it is counted as dropped, not as one of that poll's.
        requests = [r for r in self.sim.requests if r.status != 0]
        day.dropped_requests += len(self.sim.requests) - len(requests)
        if not requests:
            return
        day.max_requests_per_poll = max(day.max_requests_per_poll, len(requests))
        if len(requests) > 1:
            poll = max(requests, key=lambda r: len(r.actions))
            for record in requests:
                if record is poll:
                    continue
                name = FAULT_RETRY if faulted else "+".join(record.actions) or "-"
                day.extra_requests[name] = day.extra_requests.get(name, 0) + 1
                self.result.extra_requests[name] += 1
                if name not in EXPECTED_EXTRA:
                    self.result.unexpected_requests.append(
                        f"{now / 3600:.2f} h: {name} (this tick: {sorted(set(happened))})"
                    )
        if polls == 1 and len(requests) == 1 and requests[0].status == 200:
            self._cpu.append(cpu_ms)

    def _instrument(self, coordinator: LinksysJnapCoordinator) -> None:
        """Count the coordinator's polls and failed polls (``self._polls``)."""
        update = coordinator._async_update_data
        counts = self._polls

        async def counted() -> Any:
            counts[0] += 1
            try:
                return await update()
            except Exception:
                counts[1] += 1
                raise

        coordinator._async_update_data = counted  # type: ignore[method-assign]

    async def _special(self, special: Special, world: World, now: float) -> None:
        sim, hass = self.sim, self.hass
        self.say(f"soak: {now / 3600:7.2f} h  {special.name} {special.args or ''}")
        if special.name == "router_reboot":
            await sim.reboot(downtime=float(special.args["downtime"]))
        elif special.name == "wan_outage":
            sim.set_wan_connected(False)
            world.at(
                now + float(special.args["seconds"]),
                "wan_back",
                lambda: sim.set_wan_connected(True),
            )
        elif special.name == "firmware_offer":
            sim.offer_firmware(
                next_version(str(sim.state.device_info.firmware_version))
            )
        elif special.name == "firmware_install":
            target = er.async_get(hass).async_get_entity_id(
                UPDATE, DOMAIN, f"{self.serial}_firmware"
            )
            if target is None:
                raise SoakError("no firmware update entity")
            await hass.services.async_call(
                UPDATE, SERVICE_INSTALL, {ATTR_ENTITY_ID: target}, blocking=True
            )
        elif special.name == "ha_restart":
            assert self.entry is not None
            if not await hass.config_entries.async_unload(self.entry.entry_id):
                raise SoakError("the config entry did not unload")
            await hass.async_block_till_done()
            self._ha_up = False
            self._down_since = now

    async def _end_day(self, world: World) -> None:
        hass, day = self.hass, self._day
        assert self.entry is not None
        entry_id = self.entry.entry_id
        flatten_kept_records()
        gc.collect()
        dev_reg, ent_reg = dr.async_get(hass), er.async_get(hass)
        day.router_devices = len(self.sim.state.devices) - 1  # the router's own record
        day.devices = len(dr.async_entries_for_config_entry(dev_reg, entry_id))
        day.entities = len(er.async_entries_for_config_entry(ent_reg, entry_id))
        day.states = len(hass.states.async_entity_ids())
        day.deleted_devices = len(dev_reg._deleted_devices)
        day.deleted_entities = len(ent_reg.deleted_entities)
        day.bus_listeners = sum(hass.bus.async_listeners().values())
        day.timers = sum(
            1
            for h in hass.loop._scheduled  # type: ignore[attr-defined]
            if not h.cancelled()
        )
        day.tasks = len(asyncio.all_tasks())
        coordinator = self.coordinator
        if coordinator is not None:
            day.listeners = len(coordinator._listeners)
            day.presence = len(coordinator.presence.last_seen)
            day.known_devices = len(coordinator.devices._known)
            day.stale_presence = sum(
                1
                for k in coordinator.presence.last_seen
                if k not in self.sim.state.devices
            )
        lost = orphans(hass, self.entry, self.sim, self.serial)
        names = [name for found in lost.values() for name in found]
        day.orphan_devices = sum(1 for n in names if n.startswith("device "))
        day.orphan_entities = len(names) - day.orphan_devices
        day.orphans_forgotten_while_down = sum(
            len(found)
            for key, found in lost.items()
            if self._was_down(world.forgotten_at.get(key))
        )
        self.result.orphan_names = names
        objects = integration_objects()
        day.integration_objects = sum(objects.values())
        day.coordinators = objects.get("LinksysJnapCoordinator", 0)
        if tracemalloc.is_tracing():
            day.memory_kib = retained_kib()
        day.retained_kib = graph_kib(
            [
                coordinator,
                ent_reg.entities,
                ent_reg.deleted_entities,
                dev_reg.devices,
                dev_reg._deleted_devices,
            ],
            [hass, self.entry, hass.states, hass.bus, hass.config_entries, hass.data],
        )
        day.cpu_ms_median = round(statistics.median(self._cpu), 3) if self._cpu else 0
        day.cpu_ms_p95 = round(percentile(self._cpu, 0.95), 3)
        for record in self.logs.take():
            if is_error(record):
                day.errors += 1
                self.result.error_messages.append(
                    f"{record.name}: {record.getMessage()}"
                )
            elif record.levelno >= logging.ERROR:
                day.poll_failure_logs += 1
            else:
                day.warnings += 1
                self.result.warning_messages[
                    f"{record.name}: {record.getMessage()[:100]}"
                ] += 1
        day.world = dict(world.counts)
        self.result.days.append(day)
        self.say(row(day))
        self._day = DayFigures(day=day.day + 1)
        self._cpu = []


async def soak(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    config: SoakConfig,
    say: Callable[[str], None] | None = None,
) -> SoakResult:
    """Run a soak in this Home Assistant (time frozen by ``freezer``)."""
    loop = asyncio.get_running_loop()
    debug = loop.get_debug()
    sim_logger = logging.getLogger("tests.simulator")
    sim_level = sim_logger.level
    # The test harness runs the loop in debug mode and the simulator logs every request
    # at INFO: both cost more than the integration itself over 20,000 polls.
    loop.set_debug(False)
    sim_logger.setLevel(logging.WARNING)
    try:
        with tracing(config.memory):
            return await Soak(hass, freezer, config, say).run()
    finally:
        loop.set_debug(debug)
        sim_logger.setLevel(sim_level)


@contextlib.contextmanager
def tracing(enabled: bool) -> Iterator[None]:
    if not enabled:
        yield
        return
    tracemalloc.start(TRACE_FRAMES)
    try:
        yield
    finally:
        tracemalloc.stop()


# --- report --------------------------------------------------------------------------------

COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("day", "day", 3),
    ("polls", "polls", 5),
    ("failed_polls", "fail", 4),
    ("router_devices", "router", 6),
    ("devices", "devs", 5),
    ("entities", "ents", 5),
    ("deleted_entities", "del.e", 5),
    ("listeners", "lstn", 5),
    ("bus_listeners", "bus", 5),
    ("timers", "tmrs", 4),
    ("tasks", "task", 4),
    ("presence", "pres", 5),
    ("orphan_devices", "orph.d", 6),
    ("orphan_entities", "orph.e", 6),
    ("stale_presence", "st.pr", 5),
    ("integration_objects", "objs", 6),
    ("retained_kib", "KiB", 7),
    ("memory_kib", "tr.KiB", 7),
    ("cpu_ms_median", "cpu.ms", 6),
    ("cpu_ms_p95", "p95", 6),
    ("max_requests_per_poll", "req", 3),
    ("errors", "err", 3),
    ("warnings", "warn", 4),
)


SUMMARY_KEYS = (
    "days",
    "clients",
    "profile",
    "errors",
    "orphans",
    "orphans_forgotten_while_down",
    "retained_growth_pct",
    "max_requests_per_poll",
    "startup_requests",
    "seconds",
)


def header() -> str:
    return " ".join(f"{title:>{width}}" for _, title, width in COLUMNS)


def row(day: DayFigures) -> str:
    values = asdict(day)
    cells = []
    for key, _, width in COLUMNS:
        value = values[key]
        text = (
            "-"
            if value is None
            else f"{value:g}"
            if isinstance(value, float)
            else str(value)
        )
        cells.append(f"{text:>{width}}")
    return " ".join(cells)


def table(result: SoakResult) -> str:
    lines = [header(), *(row(d) for d in result.days), ""]
    summary = result.summary()
    lines.extend(f"{key:<30}{summary[key]!s}" for key in SUMMARY_KEYS)
    if result.extra_requests:
        lines.append("requests next to the poll (why):")
        lines.extend(
            f"  {count:>5}  {name}  ({EXPECTED_EXTRA.get(name, 'UNEXPECTED')})"
            for name, count in result.extra_requests.most_common()
        )
    if result.warning_messages:
        lines.append("warnings:")
        lines.extend(
            f"  {count:>5}  {text}"
            for text, count in result.warning_messages.most_common(12)
        )
    lines.extend(f"UNEXPECTED REQUEST {t}" for t in result.unexpected_requests[:10])
    lines.extend(f"ORPHAN {t}" for t in result.orphan_names[:10])
    lines.extend(f"ERROR {t}" for t in result.error_messages[:10])
    return "\n".join(lines)


# --- the command line ----------------------------------------------------------------------


def say(text: str) -> None:
    """Progress goes to stderr (stdout is the table or the JSON)."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def freeze(start: str) -> Any:
    """Freeze time the way pytest-homeassistant-custom-component's plugin does."""
    import freezegun
    from pytest_homeassistant_custom_component import patch_time

    api: Any = freezegun.api
    api.FakeDate = patch_time.HAFakeDate
    api.datetime_to_fakedatetime = patch_time.ha_datetime_to_fakedatetime
    api.FakeDatetime = patch_time.HAFakeDatetime
    api._get_module_attributes = patch_time.ha_get_module_attributes
    api._get_module_attributes_hash = patch_time.ha_get_module_attributes_hash
    api._should_use_real_time = patch_time.ha_should_use_real_time
    api.get_current_time = patch_time.ha_get_current_time
    return freezegun.freeze_time(start)


async def run_cli(
    config: SoakConfig, progress: bool
) -> tuple[SoakResult, list[BaseException]]:
    from tests.bench.run import _hass

    exceptions: list[BaseException] = []
    loop = asyncio.get_running_loop()
    resolver = ThreadedResolver()
    resolver.real_close = resolver.close  # type: ignore[attr-defined]
    freezer_ctx = freeze(START)
    freezer = freezer_ctx.start()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="linksys-jnap-soak-") as config_dir,
            patch(
                "homeassistant.helpers.aiohttp_client._async_make_resolver",
                return_value=resolver,
            ),
        ):
            async with _hass(loop, config_dir, exceptions) as hass:
                for handler in logging.getLogger().handlers:
                    handler.setLevel(logging.CRITICAL)
                result = await soak(hass, freezer, config, say if progress else None)
    finally:
        freezer_ctx.stop()
    return result, exceptions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/soak",
        description="A week of a busy home, in simulated time, against the router simulator.",
    )
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--profile", default="smartwifi", help="simulator profile")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--forget-after",
        type=float,
        default=2.0,
        metavar="DAYS",
        help="the router forgets devices offline this long (default 2)",
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace allocations (tr.KiB column; about 20 times slower)",
    )
    parser.add_argument(
        "--json", action="store_true", help="one JSON object on the last line"
    )
    args = parser.parse_args(argv)
    if args.days < 1 or not 0 <= args.clients <= 1000:
        parser.error("need --days >= 1 and 0 <= --clients <= 1000")
    config = SoakConfig(
        days=args.days,
        clients=args.clients,
        profile=args.profile,
        seed=args.seed,
        forget_after_days=args.forget_after,
        memory=args.tracemalloc,
    )
    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    say(header())
    result, exceptions = asyncio.run(run_cli(config, progress=True))
    failed = bool(result.errors or result.orphans or exceptions)
    for exc in exceptions:
        say(f"soak: uncaught exception in Home Assistant: {exc!r}")
    if args.json:
        sys.stdout.write(json.dumps(result.summary()) + "\n")
    else:
        sys.stdout.write(table(result) + "\n")
    return 1 if failed else 0
