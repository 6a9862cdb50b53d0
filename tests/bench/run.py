"""Run the integration in Home Assistant against the simulator and measure a poll.

Home Assistant is the test harness's instance (``async_test_home_assistant``) in this
process; the simulator runs in a child process (``tests.bench.simproc``) so CPU figures
are Home Assistant's alone. See CONTRIBUTING.md ("Benchmark") for what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Iterator
import contextlib
from dataclasses import asdict, dataclass, field
import gc
import json
import logging
from pathlib import Path
import statistics
import sys
import tempfile
import time
import tracemalloc
from types import FunctionType, ModuleType
from typing import Any
from unittest.mock import patch

from aiohttp import ThreadedResolver
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_SSL,
    CONF_VERIFY_SSL,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
    STATE_UNAVAILABLE,
)
from homeassistant.core import Event, HomeAssistant, StateMachine, callback
from homeassistant.helpers import entity_registry as er, frame, translation
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.entity import Entity
from homeassistant.loader import DATA_CUSTOM_COMPONENTS, async_get_integration
from homeassistant.setup import async_setup_component
import orjson
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    MockEntityPlatform,
    async_test_home_assistant,
)

from custom_components.linksys_jnap.const import DOMAIN
from custom_components.linksys_jnap.coordinator import LinksysJnapCoordinator
from custom_components.linksys_jnap.jnap import transport as jnap_transport
from tests.bench.bare import BarePoller
from tests.bench.naive import NaiveCoordinator, NaiveTracker

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "bench password"
CHURN = 0.05
FULL_SIZES = (25, 250, 1000)
QUICK_SIZES = (25, 250)
WARMUP_POLLS = 3

# Targets from issue 8 (the bench reports them, it never fails on them).
TARGETS = {
    "requests_per_poll": 1,
    "startup_requests": 2,
    "idle_state_writes": 0,
    "cpu_ms_per_poll_250": 2.0,
    "cpu_ms_per_poll_1000": 10.0,
    "setup_s": 1.0,
    "idle_bytes_ratio": 0.20,
    # Issue 25: CPU of a changing poll against its floor, idle bytes against theirs.
    "cpu_floor_ratio": 2.5,
    "idle_bytes_floor_ratio": 1.2,
}
# Poll parts whose answers are the live connections (the bytes floor of an idle poll).
LIVE_PARTS = ("connections", "node_connections")

_LOGGER = logging.getLogger("bench")


class BenchError(Exception):
    """The integration misbehaved: the bench exits non-zero."""


# --- the simulator process ---------------------------------------------------------------


class SimProcess:
    """A simulator child process, driven over its stdin/stdout."""

    def __init__(self, proc: asyncio.subprocess.Process, hello: dict[str, Any]) -> None:
        self.proc = proc
        self.port = int(hello["port"])
        self.host = f"127.0.0.1:{self.port}"
        self.serial = str(hello["serial"])
        self.title = str(hello["title"])

    @classmethod
    async def start(cls, clients: int, profile: str) -> SimProcess:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.bench.simproc",
            "--clients",
            str(clients),
            "--password",
            PASSWORD,
            "--profile",
            profile,
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=1 << 20,
        )
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), 60)
        if not line:
            raise BenchError("the simulator process did not start")
        return cls(proc, json.loads(line))

    async def send(self, **msg: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self.proc.stdin.write((json.dumps(msg) + "\n").encode())
        await self.proc.stdin.drain()
        line = await asyncio.wait_for(self.proc.stdout.readline(), 60)
        if not line:
            raise BenchError("the simulator process died")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise BenchError(answer["error"])
        return answer

    async def stop(self) -> None:
        if self.proc.returncode is None:
            with contextlib.suppress(BenchError, ConnectionError):
                assert self.proc.stdin is not None
                self.proc.stdin.write(b'{"cmd": "quit"}\n')
                await self.proc.stdin.drain()
            try:
                await asyncio.wait_for(self.proc.wait(), 10)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


# --- figures -----------------------------------------------------------------------------


@dataclass
class PollSample:
    cpu_ms: float
    requests: int
    sent: int
    received: int
    body: int
    writes: int
    phases: dict[str, float] = field(default_factory=dict)
    floor_ms: float = 0.0
    """``orjson.loads`` of this poll's answer bytes plus HA's state machine writes."""
    bare_ms: float = 0.0
    """The floor plus what any poller pays beyond it (``bare.py``)."""

    @property
    def wire(self) -> int:
        return self.sent + self.received


@dataclass
class Figures:
    """One poller at one size."""

    entities: int = 0
    startup_requests: int = 0
    setup_s: float = 0.0
    startup_calls: list[str] = field(default_factory=list)
    first_startup_requests: int = 0
    first_setup_s: float = 0.0
    first_setup_pending_entities: int = 0
    entities_disabled: int = 0
    idle_requests: float = 0.0
    idle_bytes: float = 0.0
    idle_bytes_sent: float = 0.0
    idle_bytes_received: float = 0.0
    idle_body_bytes: float = 0.0
    idle_cpu_ms: float = 0.0
    idle_state_writes: int = 0
    churn_requests: float = 0.0
    churn_bytes: float = 0.0
    churn_cpu_ms: float = 0.0
    churn_state_writes: float = 0.0
    signal_cpu_ms: float = 0.0
    """Median CPU of a poll where every live Wi-Fi signal moved (as on a real router)."""
    signal_state_writes: float = 0.0
    cpu_phases_ms: dict[str, float] = field(default_factory=dict)
    churn_floor_ms: float = 0.0
    """Median floor of a changing poll: decoding its answer bytes + HA's state writes."""
    idle_floor_ms: float = 0.0
    churn_bare_ms: float = 0.0
    """Median least CPU of a changing poll: its floor, the request, HA's write path."""
    live_answer_bytes: int = 0
    """The bytes floor of an idle poll: the live-connection answers alone (bodies)."""
    snapshot_kib: float = 0.0
    snapshot_peak_kib: float = 0.0
    polls: int = 0


@dataclass
class SizeResult:
    clients: int
    ours: Figures
    naive: Figures


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def deep_size(root: object) -> int:
    """Bytes held by an object graph (each object once; classes and functions excluded)."""
    seen: set[int] = set()
    total = 0
    todo = [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, (type, ModuleType, FunctionType)):
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        todo.extend(gc.get_referents(obj))
    return total


class WriteCounter:
    """State writes: state_changed plus state_reported (a write of an unchanged state)."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.count = 0
        self.entities: set[str] = set()

        @callback
        def _any(_data: Any) -> bool:
            return True

        @callback
        def _count(event: Event[Any]) -> None:
            self.count += 1
            self.entities.add(event.data["entity_id"])

        self._unsubs = [
            hass.bus.async_listen(EVENT_STATE_CHANGED, _count),
            hass.bus.async_listen(EVENT_STATE_REPORTED, _count, event_filter=_any),
        ]

    def take(self) -> int:
        count, self.count = self.count, 0
        self.entities.clear()
        return count

    def close(self) -> None:
        for unsub in self._unsubs:
            unsub()


class PhaseTimer:
    """CPU time of the integration's poll phases, by wrapping the coordinator's instance."""

    def __init__(self, coordinator: LinksysJnapCoordinator, bare: BarePoller) -> None:
        self.ms: dict[str, float] = {}
        self.bare = bare
        client = coordinator.api
        poll = client.poll

        async def timed_poll(**kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return await poll(**kwargs)
            finally:
                self._add("client", start)

        client.poll = timed_poll  # type: ignore[method-assign]
        # The client's share that is one HTTP request (HA's aiohttp session + decoding).
        transport = client._transport
        post = transport.post

        async def timed_post(action: str, body: Any, *, with_auth: bool) -> Any:
            bare.last_post = (action, body, with_auth)
            start = time.process_time()
            try:
                return await post(action, body, with_auth=with_auth)
            finally:
                self._add("request", start)

        transport.post = timed_post  # type: ignore[method-assign]
        builder = coordinator.builder
        for target, name, phase in (
            (builder, "build", "snapshot"),
            (coordinator, "async_update_listeners", "entities"),
        ):
            setattr(target, name, self._wrap(getattr(target, name), phase))
        # Home Assistant's own share of the entity updates: its state machine (a slotted
        # class, so patched on the class until close()), outermost calls only.
        self._set_internal = StateMachine.async_set_internal
        depth = [0]

        def timed_set(machine: StateMachine, *args: Any, **kwargs: Any) -> Any:
            depth[0] += 1
            start = time.process_time()
            try:
                return self._set_internal(machine, *args, **kwargs)
            finally:
                depth[0] -= 1
                if not depth[0]:
                    self._add("ha_state", start)

        StateMachine.async_set_internal = timed_set  # type: ignore[method-assign,assignment]
        # And its whole write path (Entity.async_write_ha_state: the state machine, plus
        # computing the state from the entity's properties), outermost calls only.
        self._write = Entity.async_write_ha_state
        write_depth = [0]

        def timed_write(entity: Entity) -> None:
            write_depth[0] += 1
            start = time.process_time()
            try:
                self._write(entity)
            finally:
                write_depth[0] -= 1
                if not write_depth[0]:
                    self._add("ha_write", start)

        setattr(Entity, "async_write_ha_state", timed_write)  # noqa: B010 - a final method
        # The answer bytes of each request, for the floor (decoding them with orjson).
        self._decode = jnap_transport.decode
        self.payloads: list[bytes] = []

        def capture(name: str, payload: bytes) -> Any:
            self.payloads.append(payload)
            start = time.process_time()
            try:
                return self._decode(name, payload)
            finally:
                self._add("decode", start)

        jnap_transport.decode = capture

    def close(self) -> None:
        """Put Home Assistant's state machine and the transport's decoder back."""
        StateMachine.async_set_internal = self._set_internal  # type: ignore[method-assign]
        setattr(Entity, "async_write_ha_state", self._write)  # noqa: B010
        jnap_transport.decode = self._decode

    def floor_ms(self, phases: dict[str, float]) -> float:
        """Return the floor of the poll just taken: ``orjson.loads`` + HA's writes.

        Timed after the poll, outside its CPU figure; the best of three, as a floor is: the
        first decode after a poll can cost several times more (fresh memory pages).
        """
        payloads, self.payloads = self.payloads, []
        runs: list[float] = []
        for _ in range(3):
            start = time.process_time()
            for payload in payloads:
                orjson.loads(payload)
            runs.append((time.process_time() - start) * 1000)
        loads_ms = min(runs)
        phases["floor_loads"] = loads_ms
        return loads_ms + phases.get("ha_state", 0.0)

    async def bare_ms(self, phases: dict[str, float], writes: int) -> float:
        """Return what any poller pays beyond the floor of the poll just taken.

        The request sent again, and ``writes`` bare state writes: HA's write path around
        its state machine (the state machine itself is in the floor). Timed after the poll.
        """
        request = await self.bare.request_ms()
        self.take()
        self.bare.write(writes)
        ms = self.take()
        overhead = ms.get("ha_write", 0.0) - ms.get("ha_state", 0.0)
        phases["bare_request"] = request
        phases["bare_write_overhead"] = overhead
        return request + overhead

    def _add(self, phase: str, start: float) -> None:
        self.ms[phase] = self.ms.get(phase, 0.0) + (time.process_time() - start) * 1000

    def _wrap(self, func: Callable[..., Any], phase: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                self._add(phase, start)

        return timed

    def take(self) -> dict[str, float]:
        ms, self.ms = self.ms, {}
        return ms


# --- Home Assistant ----------------------------------------------------------------------


@contextlib.asynccontextmanager
async def home_assistant(config_dir: str) -> Any:
    exceptions: list[BaseException] = []
    loop = asyncio.get_running_loop()
    # HA's resolver needs zeroconf; the router is an IP literal, aiohttp's own resolver does.
    resolver = ThreadedResolver()
    resolver.real_close = resolver.close  # type: ignore[attr-defined]  # HA closes it so
    with (
        patch(
            "homeassistant.helpers.aiohttp_client._async_make_resolver",
            return_value=resolver,
        ),
        # The bench reloads the entry itself after enabling entities; HA's delayed
        # reload (30 s after a registry change) would land in the middle of the polls.
        patch("homeassistant.config_entries.RELOAD_AFTER_UPDATE_DELAY", 10**7),
    ):
        async with _hass(loop, config_dir, exceptions) as hass:
            yield hass
    if exceptions:
        raise BenchError(f"uncaught exception in Home Assistant: {exceptions[0]!r}")


@contextlib.asynccontextmanager
async def _hass(
    loop: asyncio.AbstractEventLoop, config_dir: str, exceptions: list[BaseException]
) -> Any:
    def on_exception(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exceptions.append(
            context.get("exception") or BenchError(str(context.get("message")))
        )
        loop.default_exception_handler(context)

    async with async_test_home_assistant(loop, config_dir=config_dir) as hass:
        loop.set_exception_handler(on_exception)
        frame.async_setup(hass)
        await translation.async_load_integrations(hass, {"homeassistant"})
        # enable_custom_integrations: let the loader find custom_components/.
        hass.data.pop(DATA_CUSTOM_COMPONENTS)
        try:
            yield hass
        finally:
            with patch.object(hass.loop, "stop"):
                await hass.async_block_till_done()
                await hass.async_stop(force=True)
            loop.set_exception_handler(None)


class ErrorLogs(logging.Handler):
    """Collect ERROR records: any of them fails the bench."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def preload(hass: HomeAssistant, platforms: list[str]) -> None:
    """Import the integration and set up the entity components, as a running HA has them."""
    integration = await async_get_integration(hass, DOMAIN)
    await integration.async_get_component()
    for domain in platforms:
        await async_setup_component(hass, domain, {})
    await hass.async_block_till_done()


def all_available(hass: HomeAssistant, entity_ids: list[str]) -> bool:
    for entity_id in entity_ids:
        state = hass.states.get(entity_id)
        if state is None or state.state == STATE_UNAVAILABLE:
            return False
    return True


async def timed_poll(
    refresh: Callable[[], Any],
    sim: SimProcess,
    writes: WriteCounter,
    hass: HomeAssistant,
    phases: PhaseTimer | None,
) -> PollSample:
    await sim.send(cmd="reset")
    writes.take()
    if phases is not None:
        phases.take()
        phases.payloads.clear()
    start = time.process_time()
    await refresh()
    cpu_ms = (time.process_time() - start) * 1000
    await hass.async_block_till_done()
    stats = await sim.send(cmd="stats")
    if stats["failed"]:
        raise BenchError(f"{stats['failed']} request(s) failed during a poll")
    taken = phases.take() if phases is not None else {}
    written = writes.take()
    floor = bare = 0.0
    if phases is not None:
        floor = phases.floor_ms(taken)
        bare = floor + await phases.bare_ms(taken, written)
        writes.take()  # the bare writes
        # The rest: the coordinator's own bookkeeping and HA's refresh machinery.
        taken["other"] = cpu_ms - sum(
            taken.get(p, 0.0) for p in ("client", "snapshot", "entities")
        )
    return PollSample(
        cpu_ms=cpu_ms,
        requests=stats["requests"],
        sent=stats["wire_sent"],
        received=stats["wire_received"],
        body=stats["body_sent"] + stats["body_received"],
        writes=written,
        phases=taken,
        floor_ms=floor,
        bare_ms=bare,
    )


async def signal_polls(
    refresh: Callable[[], Any],
    sim: SimProcess,
    writes: WriteCounter,
    hass: HomeAssistant,
    polls: int,
) -> list[PollSample]:
    """Poll after moving every live Wi-Fi signal a little (what real routers report)."""
    samples: list[PollSample] = []
    for _ in range(polls):
        await sim.send(cmd="jitter")
        with gc_paused():
            samples.append(await timed_poll(refresh, sim, writes, hass, None))
    return samples


def summarise(
    figures: Figures,
    idle: list[PollSample],
    churn: list[PollSample],
    signal: list[PollSample],
) -> None:
    figures.polls = len(idle) + len(churn)
    figures.idle_requests = median([s.requests for s in idle])
    figures.idle_bytes = median([s.wire for s in idle])
    figures.idle_bytes_sent = median([s.sent for s in idle])
    figures.idle_bytes_received = median([s.received for s in idle])
    figures.idle_body_bytes = median([s.body for s in idle])
    figures.idle_cpu_ms = median([s.cpu_ms for s in idle])
    figures.idle_state_writes = max((s.writes for s in idle), default=0)
    figures.churn_requests = median([s.requests for s in churn])
    figures.churn_bytes = median([s.wire for s in churn])
    figures.churn_cpu_ms = median([s.cpu_ms for s in churn])
    figures.churn_state_writes = median([s.writes for s in churn])
    figures.signal_cpu_ms = median([s.cpu_ms for s in signal])
    figures.signal_state_writes = median([s.writes for s in signal])
    figures.churn_floor_ms = median([s.floor_ms for s in churn])
    figures.idle_floor_ms = median([s.floor_ms for s in idle])
    figures.churn_bare_ms = median([s.bare_ms for s in churn])
    names = sorted({p for s in churn for p in s.phases})
    figures.cpu_phases_ms = {
        p: round(median([s.phases.get(p, 0.0) for s in churn]), 3) for p in names
    }


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Collect before a measured poll so one poll doesn't pay for another's garbage.

    Cheap: ``frozen_heap`` moved Home Assistant's long-lived objects out of the collector's way.
    """
    gc.collect()
    yield


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass
class SetupResult:
    seconds: float
    requests: int
    calls: list[str]
    entity_ids: list[str]
    pending: int
    """Enabled in the registry but not added (HA adds them at the next reload)."""


async def timed_setup(
    hass: HomeAssistant, sim: SimProcess, entry: MockConfigEntry
) -> SetupResult:
    """Set the entry up; seconds until all its added entities are available."""
    await sim.send(cmd="reset")
    gc.collect()
    start = time.perf_counter()
    ok = await hass.config_entries.async_setup(entry.entry_id)
    if not ok or entry.state is not ConfigEntryState.LOADED:
        raise BenchError(f"config entry setup failed: {entry.state} {entry.reason}")
    enabled = [
        e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.disabled_by is None
    ]
    entity_ids = [e for e in enabled if hass.states.get(e) is not None]
    deadline = time.perf_counter() + 30
    while not all_available(hass, entity_ids):
        if time.perf_counter() > deadline:
            raise BenchError("entities still unavailable 30 s after setup")
        await asyncio.sleep(0.001)
    elapsed = time.perf_counter() - start
    await hass.async_block_till_done()
    stats = await sim.send(cmd="stats")
    return SetupResult(
        elapsed,
        int(stats["requests"]),
        list(stats["calls"]),
        entity_ids,
        len(enabled) - len(entity_ids),
    )


_profilers: dict[str, Any] = {}


@contextlib.contextmanager
def profiling(profile_dir: Path | None, name: str) -> Iterator[None]:
    """With --pyinstrument DIR: profile these polls (accumulated per name) into DIR."""
    if profile_dir is None:
        yield
        return
    from pyinstrument import Profiler  # imported only when profiling

    profiler = _profilers.setdefault(
        name, Profiler(interval=0.0001, async_mode="disabled")
    )
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()


def write_profiles(profile_dir: Path) -> None:
    profile_dir.mkdir(parents=True, exist_ok=True)
    for name, profiler in _profilers.items():
        (profile_dir / f"{name}.txt").write_text(
            profiler.output_text(unicode=False, color=False, show_all=False)
        )


async def bench_ours(
    hass: HomeAssistant, sim: SimProcess, polls: int, profile_dir: Path | None
) -> tuple[Figures, list[str]]:
    figures = Figures()
    writes = WriteCounter(hass)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=sim.title,
        unique_id=sim.serial,
        data={
            CONF_HOST: sim.host,
            CONF_PASSWORD: PASSWORD,
            CONF_SSL: False,
            CONF_VERIFY_SSL: False,
        },
    )
    entry.add_to_hass(hass)
    registry = er.async_get(hass)
    # First start: empty registries (trackers of unknown MACs start disabled, as HA wants).
    first = await timed_setup(hass, sim, entry)
    figures.first_setup_s = first.seconds
    figures.first_startup_requests = first.requests
    figures.first_setup_pending_entities = first.pending
    figures.entities_disabled = sum(
        1
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.disabled_by is not None
    )
    # A restart: the registries as the first setup left them (entities the integration
    # disables by default stay disabled, as users get them).
    if not await hass.config_entries.async_unload(entry.entry_id):
        raise BenchError("the config entry did not unload")
    await hass.async_block_till_done()
    with profiling(profile_dir, "ours-setup"):
        restart = await timed_setup(hass, sim, entry)
    figures.setup_s = restart.seconds
    figures.startup_requests = restart.requests
    figures.startup_calls = restart.calls
    entity_ids = restart.entity_ids
    if restart.pending:
        raise BenchError(f"{restart.pending} enabled entities were not added")
    figures.entities = len(entity_ids)
    if not entity_ids:
        raise BenchError("the integration created no entities")

    coordinator: LinksysJnapCoordinator = entry.runtime_data.coordinator
    actions = [coordinator.actions[p] for p in sorted(coordinator.actions)]

    async def refresh() -> None:
        await coordinator.async_refresh()
        if not coordinator.last_update_success:
            raise BenchError(f"poll failed: {coordinator.last_exception!r}")

    for _ in range(WARMUP_POLLS):
        await refresh()
    bare = BarePoller(hass, coordinator.api._transport)
    await bare.start()
    phases = PhaseTimer(coordinator, bare)
    idle: list[PollSample] = []
    churn: list[PollSample] = []
    with frozen_heap():
        with profiling(profile_dir, f"ours-{len(entity_ids)}-idle"):
            for _ in range(polls):
                with gc_paused():
                    idle.append(await timed_poll(refresh, sim, writes, hass, phases))
        # The router as the idle polls saw it (the changing polls move clients).
        live = [coordinator.actions[p] for p in LIVE_PARTS if p in coordinator.actions]
        figures.live_answer_bytes = await live_answer_bytes(hass, sim, live)
        for _ in range(polls):
            await sim.send(cmd="churn", fraction=CHURN)
            with (
                gc_paused(),
                profiling(profile_dir, f"ours-{len(entity_ids)}-churn"),
            ):
                churn.append(await timed_poll(refresh, sim, writes, hass, phases))
        signal = await signal_polls(refresh, sim, writes, hass, polls)
    phases.close()
    summarise(figures, idle, churn, signal)
    if not all_available(hass, entity_ids):
        raise BenchError("entities became unavailable during the polls")

    figures.snapshot_kib = deep_size(coordinator.data) / 1024
    # Peak while a full read is parsed and the snapshot built (transient garbage included).
    coordinator.builder.device_list.request_full_read()  # one full device read
    gc.collect()
    tracemalloc.start()
    await refresh()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures.snapshot_peak_kib = peak / 1024

    writes.close()
    if not await hass.config_entries.async_unload(entry.entry_id):
        raise BenchError("the config entry did not unload")
    await hass.async_block_till_done()
    return figures, actions


async def live_answer_bytes(
    hass: HomeAssistant, sim: SimProcess, actions: list[str]
) -> int:
    """Body bytes of the live-connection answers, each read alone: an idle poll's floor."""
    probe = NaiveCoordinator(
        hass,
        async_get_clientsession(hass, verify_ssl=False),
        f"http://{sim.host}/JNAP/",
        PASSWORD,
        [],
    )
    await sim.send(cmd="reset")
    for action in actions:
        await probe.call(action)
    return int((await sim.send(cmd="stats"))["body_received"])


async def bench_naive(
    hass: HomeAssistant, sim: SimProcess, polls: int, actions: list[str]
) -> Figures:
    figures = Figures()
    writes = WriteCounter(hass)
    coordinator = NaiveCoordinator(
        hass,
        async_get_clientsession(hass, verify_ssl=False),
        f"http://{sim.host}/JNAP/",
        PASSWORD,
        actions,
    )
    platform = MockEntityPlatform(hass, domain="sensor", platform_name="naive_bench")
    await sim.send(cmd="reset")
    gc.collect()
    start = time.perf_counter()
    await coordinator.async_start()
    await coordinator.async_refresh()
    if not coordinator.last_update_success:
        raise BenchError(f"naive poller failed: {coordinator.last_exception!r}")
    entities = [
        NaiveTracker(coordinator, key, i) for i, key in enumerate(coordinator.data)
    ]
    await platform.async_add_entities(entities)
    figures.setup_s = time.perf_counter() - start
    await hass.async_block_till_done()
    figures.startup_requests = (await sim.send(cmd="stats"))["requests"]
    figures.entities = len(entities)

    async def refresh() -> None:
        await coordinator.async_refresh()
        if not coordinator.last_update_success:
            raise BenchError(f"naive poll failed: {coordinator.last_exception!r}")

    for _ in range(WARMUP_POLLS):
        await refresh()
    idle: list[PollSample] = []
    churn: list[PollSample] = []
    with frozen_heap():
        for _ in range(polls):
            with gc_paused():
                idle.append(await timed_poll(refresh, sim, writes, hass, None))
        for _ in range(polls):
            await sim.send(cmd="churn", fraction=CHURN)
            with gc_paused():
                churn.append(await timed_poll(refresh, sim, writes, hass, None))
        signal = await signal_polls(refresh, sim, writes, hass, polls)
    summarise(figures, idle, churn, signal)
    figures.snapshot_kib = deep_size(coordinator.data) / 1024
    gc.collect()
    tracemalloc.start()
    await refresh()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures.snapshot_peak_kib = peak / 1024
    writes.close()
    await platform.async_reset()
    await hass.async_block_till_done()
    return figures


async def bench_size(
    clients: int, polls: int, profile: str, profile_dir: Path | None
) -> SizeResult:
    sim = await SimProcess.start(clients, profile)
    try:
        with tempfile.TemporaryDirectory(prefix="linksys-jnap-bench-") as config_dir:
            async with home_assistant(config_dir) as hass:
                platforms = ["device_tracker", "sensor", "binary_sensor", "switch"]
                await preload(hass, platforms)
                ours, actions = await bench_ours(hass, sim, polls, profile_dir)
                naive = await bench_naive(hass, sim, polls, actions)
    finally:
        await sim.stop()
    return SizeResult(clients, ours, naive)


# --- report ------------------------------------------------------------------------------


def ratio(ours: float, naive: float) -> float | None:
    return None if naive == 0 else ours / naive


def headline(results: list[SizeResult]) -> dict[str, Any]:
    """Return the stable figures of issue 8 (unsuffixed ones: worst over the sizes run)."""
    by_size = {r.clients: r for r in results}

    def at(size: int, get: Callable[[Figures], float], naive: bool = False) -> Any:
        r = by_size.get(size)
        if r is None:
            return None
        return round(get(r.naive if naive else r.ours), 3)

    return {
        "requests_per_poll": max(
            max(r.ours.idle_requests, r.ours.churn_requests) for r in results
        ),
        "startup_requests": max(r.ours.startup_requests for r in results),
        "bytes_per_idle_poll_250": at(250, lambda f: f.idle_bytes),
        "cpu_ms_per_poll_250": at(250, lambda f: f.churn_cpu_ms),
        "cpu_ms_per_poll_1000": at(1000, lambda f: f.churn_cpu_ms),
        "cpu_ms_per_idle_poll_250": at(250, lambda f: f.idle_cpu_ms),
        "cpu_ms_per_idle_poll_1000": at(1000, lambda f: f.idle_cpu_ms),
        "cpu_ms_per_signal_poll_250": at(250, lambda f: f.signal_cpu_ms),
        "cpu_ms_per_signal_poll_1000": at(1000, lambda f: f.signal_cpu_ms),
        "snapshot_kib_1000": at(1000, lambda f: f.snapshot_kib),
        "idle_state_writes": max(r.ours.idle_state_writes for r in results),
        "setup_s": round(max(r.ours.setup_s for r in results), 3),
        "naive_requests_per_poll": max(
            max(r.naive.idle_requests, r.naive.churn_requests) for r in results
        ),
        "naive_bytes_per_idle_poll_250": at(250, lambda f: f.idle_bytes, naive=True),
        "cpu_floor_ms_250": at(250, lambda f: f.churn_floor_ms),
        "cpu_floor_ms_1000": at(1000, lambda f: f.churn_floor_ms),
        "cpu_floor_ratio_250": at(250, cpu_floor_ratio),
        "cpu_floor_ratio_1000": at(1000, cpu_floor_ratio),
        "cpu_bare_ms_250": at(250, lambda f: f.churn_bare_ms),
        "cpu_bare_ms_1000": at(1000, lambda f: f.churn_bare_ms),
        "cpu_bare_floor_ratio_250": at(250, bare_floor_ratio),
        "cpu_bare_floor_ratio_1000": at(1000, bare_floor_ratio),
        "cpu_own_ms_250": at(250, own_ms),
        "cpu_own_ms_1000": at(1000, own_ms),
        "idle_bytes_floor_250": at(250, lambda f: f.live_answer_bytes),
        "idle_bytes_floor_ratio_250": at(250, idle_bytes_floor_ratio),
    }


def cpu_floor_ratio(f: Figures) -> float:
    """Median CPU of a changing poll over its median floor (issue 25: <= 2.5)."""
    return f.churn_cpu_ms / f.churn_floor_ms if f.churn_floor_ms else 0.0


def bare_floor_ratio(f: Figures) -> float:
    """Return the least CPU any poller pays over the floor (the least ratio reachable)."""
    return f.churn_bare_ms / f.churn_floor_ms if f.churn_floor_ms else 0.0


def own_ms(f: Figures) -> float:
    """Return the CPU of our own code in a changing poll: ours minus the bare poll."""
    return f.churn_cpu_ms - f.churn_bare_ms


def idle_bytes_floor_ratio(f: Figures) -> float:
    """Idle poll bytes (wire) over the live-connection answers alone (issue 25: <= 1.2)."""
    return f.idle_bytes / f.live_answer_bytes if f.live_answer_bytes else 0.0


def targets(head: dict[str, Any]) -> dict[str, bool | None]:
    def le(value: Any, limit: float) -> bool | None:
        return None if value is None else bool(value <= limit)

    idle, naive_idle = (
        head["bytes_per_idle_poll_250"],
        head["naive_bytes_per_idle_poll_250"],
    )
    return {
        "requests_per_poll": le(
            head["requests_per_poll"], TARGETS["requests_per_poll"]
        ),
        "startup_requests": le(head["startup_requests"], TARGETS["startup_requests"]),
        "idle_state_writes": le(
            head["idle_state_writes"], TARGETS["idle_state_writes"]
        ),
        "cpu_ms_per_poll_250": le(
            head["cpu_ms_per_poll_250"], TARGETS["cpu_ms_per_poll_250"]
        ),
        "cpu_ms_per_poll_1000": le(
            head["cpu_ms_per_poll_1000"], TARGETS["cpu_ms_per_poll_1000"]
        ),
        "setup_s": le(head["setup_s"], TARGETS["setup_s"]),
        "cpu_floor_ratio_250": le(
            head["cpu_floor_ratio_250"], TARGETS["cpu_floor_ratio"]
        ),
        "cpu_floor_ratio_1000": le(
            head["cpu_floor_ratio_1000"], TARGETS["cpu_floor_ratio"]
        ),
        "idle_bytes_floor_ratio_250": le(
            head["idle_bytes_floor_ratio_250"], TARGETS["idle_bytes_floor_ratio"]
        ),
        "bytes_per_idle_poll_250": None
        if idle is None or not naive_idle
        else bool(idle / naive_idle <= TARGETS["idle_bytes_ratio"]),
    }


ROWS: tuple[tuple[str, str, Callable[[Figures], float], str], ...] = (
    ("HTTP round trips at start-up", "", lambda f: f.startup_requests, "{:.0f}"),
    ("HTTP round trips per poll (idle)", "", lambda f: f.idle_requests, "{:.0f}"),
    (
        "HTTP round trips per poll (5 % change)",
        "",
        lambda f: f.churn_requests,
        "{:.0f}",
    ),
    ("bytes per idle poll (sent+received)", "B", lambda f: f.idle_bytes, "{:,.0f}"),
    ("  sent", "B", lambda f: f.idle_bytes_sent, "{:,.0f}"),
    ("  received", "B", lambda f: f.idle_bytes_received, "{:,.0f}"),
    (
        "  floor: live-connection answers alone",
        "B",
        lambda f: f.live_answer_bytes,
        "{:,.0f}",
    ),
    ("  idle bytes / floor", "", idle_bytes_floor_ratio, "{:.2f}"),
    ("bytes per poll, 5 % changing", "B", lambda f: f.churn_bytes, "{:,.0f}"),
    ("CPU per poll, idle (median)", "ms", lambda f: f.idle_cpu_ms, "{:.2f}"),
    ("CPU per poll, 5 % changing (median)", "ms", lambda f: f.churn_cpu_ms, "{:.2f}"),
    (
        "  client (HTTP + parse)",
        "ms",
        lambda f: f.cpu_phases_ms.get("client", 0),
        "{:.2f}",
    ),
    (
        "    HTTP (HA's aiohttp session)",
        "ms",
        lambda f: f.cpu_phases_ms.get("request", 0) - f.cpu_phases_ms.get("decode", 0),
        "{:.2f}",
    ),
    ("    decoding", "ms", lambda f: f.cpu_phases_ms.get("decode", 0), "{:.2f}"),
    (
        "    parsing, transaction",
        "ms",
        lambda f: f.cpu_phases_ms.get("client", 0) - f.cpu_phases_ms.get("request", 0),
        "{:.2f}",
    ),
    ("  snapshot build", "ms", lambda f: f.cpu_phases_ms.get("snapshot", 0), "{:.2f}"),
    ("  entity updates", "ms", lambda f: f.cpu_phases_ms.get("entities", 0), "{:.2f}"),
    (
        "    of which HA's state machine",
        "ms",
        lambda f: f.cpu_phases_ms.get("ha_state", 0),
        "{:.2f}",
    ),
    (
        "    HA's entity write path (all)",
        "ms",
        lambda f: f.cpu_phases_ms.get("ha_write", 0),
        "{:.2f}",
    ),
    (
        "  other (coordinator, HA's refresh)",
        "ms",
        lambda f: f.cpu_phases_ms.get("other", 0),
        "{:.2f}",
    ),
    ("  floor: loads + HA's state writes", "ms", lambda f: f.churn_floor_ms, "{:.2f}"),
    (
        "    of which orjson.loads of the answer",
        "ms",
        lambda f: f.cpu_phases_ms.get("floor_loads", 0),
        "{:.2f}",
    ),
    ("  CPU / floor", "", cpu_floor_ratio, "{:.2f}"),
    (
        "  bare: floor + request + HA's write path",
        "ms",
        lambda f: f.churn_bare_ms,
        "{:.2f}",
    ),
    (
        "    the request again (plain aiohttp)",
        "ms",
        lambda f: f.cpu_phases_ms.get("bare_request", 0),
        "{:.2f}",
    ),
    (
        "    HA's write path around its state machine",
        "ms",
        lambda f: f.cpu_phases_ms.get("bare_write_overhead", 0),
        "{:.2f}",
    ),
    ("  bare / floor (the least reachable)", "", bare_floor_ratio, "{:.2f}"),
    ("  ours - bare (our own code)", "ms", own_ms, "{:.2f}"),
    (
        "CPU per poll, signals moving (median)",
        "ms",
        lambda f: f.signal_cpu_ms,
        "{:.2f}",
    ),
    ("state writes per idle poll (max)", "", lambda f: f.idle_state_writes, "{:.0f}"),
    (
        "state writes per poll, 5 % changing",
        "",
        lambda f: f.churn_state_writes,
        "{:.0f}",
    ),
    (
        "state writes per poll, signals moving",
        "",
        lambda f: f.signal_state_writes,
        "{:.0f}",
    ),
    ("snapshot size (retained)", "KiB", lambda f: f.snapshot_kib, "{:,.1f}"),
    ("peak memory, full read + build", "KiB", lambda f: f.snapshot_peak_kib, "{:,.1f}"),
    ("setup to all entities available", "s", lambda f: f.setup_s, "{:.3f}"),
    ("  first setup (empty registries)", "s", lambda f: f.first_setup_s, "{:.3f}"),
    (
        "  round trips at first setup",
        "",
        lambda f: f.first_startup_requests,
        "{:.0f}",
    ),
    (
        "  entities left for a reload",
        "",
        lambda f: f.first_setup_pending_entities,
        "{:.0f}",
    ),
    ("entities", "", lambda f: f.entities, "{:,.0f}"),
    (
        "  disabled by default (not measured)",
        "",
        lambda f: f.entities_disabled,
        "{:,.0f}",
    ),
)


# Rows the naive poller has no figure for.
OURS_ONLY = {
    "  client (HTTP + parse)",
    "    HTTP (HA's aiohttp session)",
    "    decoding",
    "    parsing, transaction",
    "  snapshot build",
    "  entity updates",
    "    of which HA's state machine",
    "    HA's entity write path (all)",
    "  other (coordinator, HA's refresh)",
    "  floor: loads + HA's state writes",
    "    of which orjson.loads of the answer",
    "  CPU / floor",
    "  bare: floor + request + HA's write path",
    "    the request again (plain aiohttp)",
    "    HA's write path around its state machine",
    "  bare / floor (the least reachable)",
    "  ours - bare (our own code)",
    "  floor: live-connection answers alone",
    "  idle bytes / floor",
    "  first setup (empty registries)",
    "  round trips at first setup",
    "  entities left for a reload",
    "  disabled by default (not measured)",
}


def table(results: list[SizeResult], polls: int) -> str:
    lines: list[str] = []
    for r in results:
        lines.append(
            f"\n{r.clients} clients  ({polls} idle + {polls} changing polls each)"
        )
        lines.append(f"{'figure':<42}{'ours':>12}{'naive':>12}{'ours/naive':>12}")
        for label, unit, get, fmt in ROWS:
            o, n = get(r.ours), get(r.naive)
            name = f"{label} [{unit}]" if unit else label
            only_ours = label in OURS_ONLY
            naive_txt = "-" if only_ours else fmt.format(n)
            rt = None if only_ours else ratio(o, n)
            lines.append(
                f"{name:<42}{fmt.format(o):>12}{naive_txt:>12}"
                f"{'-' if rt is None else f'{rt:.2f}':>12}"
            )
    return "\n".join(lines)


def summary(head: dict[str, Any], met: dict[str, bool | None]) -> str:
    lines = ["", "headline figures (target: met?)"]
    for key, value in head.items():
        mark = met.get(key)
        flag = "" if mark is None else ("  ok" if mark else "  MISSED")
        lines.append(f"  {key:<32}{value!s:>12}{flag}")
    return "\n".join(lines)


def say(text: str) -> None:
    """Progress and failures go to stderr (stdout is the table or the JSON)."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


async def run(
    sizes: list[int],
    polls: int,
    profile: str,
    progress: bool,
    profile_dir: Path | None = None,
) -> list[SizeResult]:
    results = []
    for size in sizes:
        if progress:
            say(f"bench: {size} clients ...")
        started = time.perf_counter()
        results.append(await bench_size(size, polls, profile, profile_dir))
        if progress:
            say(f"bench: {size} clients done in {time.perf_counter() - started:.1f} s")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Measure the integration against the router simulator (and a naive poller).",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--quick", action="store_true", help="25 and 250 clients, 15 polls each"
    )
    parser.add_argument(
        "--sizes", help="comma-separated client counts (default 25,250,1000)"
    )
    parser.add_argument(
        "--polls", type=int, help="measured polls per kind (default 50)"
    )
    parser.add_argument("--profile", default="smartwifi", help="simulator profile")
    parser.add_argument(
        "--pyinstrument",
        metavar="DIR",
        type=Path,
        help="profile the integration's polls and restart setup into DIR (inflates timings)",
    )
    args = parser.parse_args(argv)
    sizes = list(QUICK_SIZES if args.quick else FULL_SIZES)
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    polls = args.polls or (15 if args.quick else 50)
    if polls < 1 or not sizes:
        parser.error("need at least one size and one poll")

    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    errors = ErrorLogs()
    logging.getLogger().addHandler(errors)
    try:
        results = asyncio.run(
            run(sizes, polls, args.profile, not args.json, args.pyinstrument)
        )
    except BenchError as err:
        say(f"bench: FAILED: {err}")
        return 1
    if errors.records:
        first = errors.records[0]
        say(
            f"bench: FAILED: {len(errors.records)} error(s) logged, first: "
            f"{first.name}: {first.getMessage()}"
        )
        return 1
    if args.pyinstrument:
        write_profiles(args.pyinstrument)
    head = headline(results)
    met = targets(head)
    if args.json:
        out = {
            **head,
            "targets_met": met,
            "polls": polls,
            "churn_fraction": CHURN,
            "cpu_basis": "time.process_time() of Home Assistant's process (simulator in a child process) around coordinator.async_refresh(), median of the polls with 5 % of clients changing",
            "bytes_basis": "HTTP bytes on the wire (headers included), sent + received, median",
            "sizes": {
                str(r.clients): {"ours": asdict(r.ours), "naive": asdict(r.naive)}
                for r in results
            },
        }
        sys.stdout.write(json.dumps(out) + "\n")
    else:
        sys.stdout.write(table(results, polls) + "\n" + summary(head, met) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
