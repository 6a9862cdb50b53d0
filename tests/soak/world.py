"""The soak's world: a week of a busy home, scripted on the router simulator.

Deterministic for a seed. Everything here talks to the simulator only (never to the
integration); ``tests.soak.run`` moves time, and calls ``World.advance`` before each tick.

Each simulated day (times are seconds since the soak's start, UTC):

- people: most clients leave in the morning and come back in the evening; some are always
  on (TVs, wired desktops); a few show up on some days only;
- new clients: a few percent a day, half of them visitors seen once;
- random MACs: some phones join with a new locally administered MAC every day (the second
  hex digit 2, 6, A or E), so the router lists a new device each day;
- renames, band roams (and node roams on a mesh), a few signal moves per poll;
- the router forgets devices offline for longer than ``forget_after`` (twice a day, as
  the real router prunes its list), with ``sim.delete_device``.

Over the whole run (placed by fraction of the run, so a one-day soak has them all): two
router reboots, a WAN outage, a firmware offer and its install (done from Home Assistant
by ``run``), two Home Assistant restarts (the second spans a forget pass) and, every few
hours, one fault of the reliability suite's matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import heapq
import itertools
import random
from typing import Any

from tests.simulator import Fault, RouterSimulator

DAY = 86400.0
HOUR = 3600.0

# Shares of the generated clients (the rest commute: out in the day, home at night).
ALWAYS_ON = 0.22
OCCASIONAL = 0.08
ROTATING = 0.05
NEW_PER_DAY = 0.03
RENAMES_PER_DAY = 0.01
ROAMS_PER_HOUR = 0.02  # of the online wireless clients
SIGNALS_PER_POLL = 0.01  # of the online wireless clients
FORGET_PASSES = (3.5 * HOUR, 15.5 * HOUR)  # time of day the router prunes its list
FAULTS_PER_DAY = 6

# Poll faults of tests/reliability/test_faults.py (CONNECTION_REFUSED is a short outage).
FAULTS: tuple[tuple[Fault, dict[str, Any]], ...] = (
    (Fault.TIMEOUT, {"seconds": 15.0, "times": 1}),
    (Fault.CONNECTION_REFUSED, {"seconds": 90.0}),
    (Fault.HTTP_500, {"times": 1}),
    (Fault.HTML_LOGIN, {"times": 1}),
    (Fault.TRUNCATED_JSON, {"times": 1}),
    (Fault.NO_RESULT, {"times": 1}),
    (Fault.NOT_READY, {"times": 1}),
    (Fault.UNEXPECTED, {"times": 1}),
    (Fault.LATENCY, {"seconds": 2.0, "times": 3}),
)

CLIENT_OUIS = ("F0:18:98", "8C:F5:A3", "F4:F5:D8", "74:C2:46", "24:0A:C4", "A4:C3:F0")


@dataclass
class Person:
    """One client as the world sees it (its router device changes when its MAC rotates)."""

    kind: str  # always | commuter | occasional | rotating | visitor
    device_id: str
    mac: str
    band: str | None
    guest: bool = False
    online: bool = False
    gone: bool = False
    """A visitor that left for good, or a rotating phone's previous identity."""


@dataclass(order=True)
class Event:
    at: float
    seq: int
    name: str = field(compare=False)
    action: Callable[[], Any] = field(compare=False)


@dataclass
class Special:
    """A run-level event ``run`` performs itself (Home Assistant side or async router side)."""

    at: float
    name: str
    args: dict[str, Any] = field(default_factory=dict)


class World:
    """Scripted days on a RouterSimulator; ``advance(now)`` applies what is due."""

    def __init__(
        self,
        sim: RouterSimulator,
        *,
        days: int,
        seed: int,
        forget_after: float,
        start_offset: float = 0.0,
    ) -> None:
        self.sim = sim
        self.days = days
        self.rng = random.Random(seed)
        self.forget_after = forget_after
        self.now = 0.0
        self.people: list[Person] = []
        self.last_online: dict[str, float] = {}
        """Router device id -> when the world last had it online (seconds since start)."""
        self.counts: dict[str, int] = dict.fromkeys(
            (
                "left",
                "returned",
                "new",
                "rotated",
                "renamed",
                "roamed",
                "forgotten",
                "relisted",
                "faults",
            ),
            0,
        )
        self.forgotten_at: dict[str, float] = {}
        """Router device id -> when the router forgot it."""
        self._events: list[Event] = []
        self._seq = itertools.count()
        self._next_mac = 0x100000
        st = sim.state
        self.bands = [r.band for r in st.radios]
        self.nodes = list(sim.node_ids)
        for device in list(st.devices.values()):
            if (
                device.is_authority
                or device.node_type is not None
                or device.device_type == "Infrastructure"
                or not device.interfaces
            ):
                continue
            live = next((m for m in device.macs if m in st.connections), None)
            iface = device.interfaces[0]
            mac = live or iface.mac
            conn = st.connections.get(mac)
            band = (
                conn.band
                if conn is not None
                else (iface.band if iface.interface_type == "Wireless" else None)
            )
            roll = self.rng.random()
            if roll < ALWAYS_ON or (band is None and roll < 0.6):
                kind = "always"
            elif roll < ALWAYS_ON + OCCASIONAL:
                kind = "occasional"
            elif roll < ALWAYS_ON + OCCASIONAL + ROTATING and band is not None:
                kind = "rotating"
            else:
                kind = "commuter"
            person = Person(
                kind,
                device.device_id,
                mac,
                band,
                guest=bool(conn is not None and conn.guest),
                online=live is not None,
            )
            self.people.append(person)
            # Offline ones were last seen up to five days before the start.
            self.last_online[device.device_id] = (
                0.0 if live else -self.rng.uniform(0, 5 * DAY)
            )
        for person in self.people:
            if person.kind == "always" and not person.online:
                self._connect(person)
        for day in range(days):
            self._plan_day(day * DAY + start_offset)

    # --- the timeline ------------------------------------------------------------------

    def at(self, when: float, name: str, action: Callable[[], Any]) -> None:
        heapq.heappush(self._events, Event(when, next(self._seq), name, action))

    def advance(self, now: float) -> list[str]:
        """Apply every event due by ``now``; return their names."""
        self.now = now
        done: list[str] = []
        while self._events and self._events[0].at <= now:
            event = heapq.heappop(self._events)
            event.action()
            done.append(event.name)
        return done

    def per_poll(self) -> None:
        """Move a few live Wi-Fi signals a little, as a real router reports at each poll."""
        st = self.sim.state
        live = [c for c in st.connections.values() if c.band is not None]
        for conn in self.rng.sample(
            live, min(len(live), int(len(live) * SIGNALS_PER_POLL) + 1)
        ):
            conn.signal = max(-90, min(-30, conn.signal + self.rng.choice((-3, 3))))

    def specials(self) -> list[Special]:
        """Return the run-level events, placed by fraction of the run."""
        total = self.days * DAY
        last_day = (self.days - 1) * DAY
        return sorted(
            (
                Special(0.20 * total, "router_reboot", {"downtime": 90.0}),
                Special(0.30 * total, "ha_restart", {"downtime": 300.0}),
                Special(0.40 * total, "wan_outage", {"seconds": 1200.0}),
                Special(0.45 * total, "firmware_offer"),
                Special(0.47 * total, "firmware_install"),
                Special(0.62 * total, "router_reboot", {"downtime": 60.0}),
                # Spans the afternoon forget pass: the router forgets while HA is down.
                Special(
                    last_day + FORGET_PASSES[1] - 300.0,
                    "ha_restart",
                    {"downtime": 600.0},
                ),
            ),
            key=lambda s: s.at,
        )

    # --- one day -------------------------------------------------------------------------

    def _plan_day(self, start: float) -> None:
        rng = self.rng
        for person in self.people:
            if person.kind in ("commuter", "rotating"):
                self.at(
                    start + rng.uniform(7, 9.5) * HOUR, "leave", self._leave(person)
                )
                self.at(
                    start + rng.uniform(16.5, 21) * HOUR, "return", self._return(person)
                )
            elif person.kind == "occasional" and rng.random() < 0.4:
                come = rng.uniform(9, 20) * HOUR
                self.at(start + come, "return", self._return(person))
                self.at(
                    start + come + rng.uniform(1, 3) * HOUR,
                    "leave",
                    self._leave(person),
                )
        base = max(1, len(self.people))
        for _ in range(max(1, round(NEW_PER_DAY * base))):
            self.at(start + rng.uniform(8, 22) * HOUR, "new", self._new_client)
        for _ in range(max(1, round(RENAMES_PER_DAY * base))):
            self.at(start + rng.uniform(0, 24) * HOUR, "rename", self._rename)
        for hour in range(24):
            self.at(start + (hour + rng.random()) * HOUR, "roams", self._roams)
        for when in FORGET_PASSES:
            self.at(start + when, "forget", self._forget)
        for _ in range(FAULTS_PER_DAY):
            fault, kwargs = rng.choice(FAULTS)
            self.at(
                start + rng.uniform(0, 24) * HOUR,
                f"fault:{fault.name}",
                self._fault(fault, kwargs),
            )

    # --- what people do --------------------------------------------------------------------

    def _connect(self, person: Person) -> None:
        """Bring the person's MAC online; a MAC the router doesn't know is a new device."""
        sim = self.sim
        node = self.rng.choice(self.nodes) if self.nodes and person.band else None
        device_id = sim.connect_client(
            person.mac,
            band=person.band,
            guest=person.guest,
            signal=-self.rng.randrange(35, 80),
            node=node,
        )
        person.device_id = device_id
        person.online = True
        self.last_online[device_id] = self.now

    def _disconnect(self, person: Person) -> None:
        self.sim.disconnect_client(person.mac)
        person.online = False
        self.last_online[person.device_id] = self.now

    def _leave(self, person: Person) -> Callable[[], None]:
        def leave() -> None:
            if person.online and not person.gone:
                self._disconnect(person)
                self.counts["left"] += 1

        return leave

    def _return(self, person: Person) -> Callable[[], None]:
        def come_back() -> None:
            if person.online or person.gone:
                return
            if person.device_id not in self.sim.state.devices:
                # The router forgot it: it is listed anew when it connects.
                self.counts["relisted"] += 1
            if person.kind == "rotating":
                # A new random (locally administered) MAC: a new device on the router.
                self.people.append(
                    Person("gone", person.device_id, person.mac, person.band, gone=True)
                )
                person.mac = self._mac(local=True)
                self.counts["rotated"] += 1
            self._connect(person)
            self.counts["returned"] += 1

        return come_back

    def _new_client(self) -> None:
        rng = self.rng
        band = rng.choice([*self.bands, None])
        visitor = rng.random() < 0.5
        mac = self._mac(local=False)
        name = f"new-{mac[-5:].replace(':', '')}" if rng.random() < 0.8 else None
        node = rng.choice(self.nodes) if self.nodes and band else None
        device_id = self.sim.add_client(
            name, [mac], band=band, guest=visitor and rng.random() < 0.5, node=node
        )
        person = Person(
            "visitor" if visitor else "commuter", device_id, mac, band, online=True
        )
        person.guest = bool(self.sim.state.connections[mac].guest)
        self.people.append(person)
        self.last_online[device_id] = self.now
        self.counts["new"] += 1
        if visitor:
            self.at(
                self.now + rng.uniform(1, 4) * HOUR,
                "leave",
                self._visitor_leaves(person),
            )
        else:
            for day in range(1, self.days + 1):
                start = (self.now // DAY + day) * DAY
                if start >= self.days * DAY:
                    break
                self.at(
                    start + rng.uniform(7, 9.5) * HOUR, "leave", self._leave(person)
                )
                self.at(
                    start + rng.uniform(16.5, 21) * HOUR, "return", self._return(person)
                )

    def _visitor_leaves(self, person: Person) -> Callable[[], None]:
        def leave() -> None:
            if person.online:
                self._disconnect(person)
                self.counts["left"] += 1
            person.gone = True

        return leave

    def _rename(self) -> None:
        st = self.sim.state
        known = [p for p in self.people if not p.gone and p.device_id in st.devices]
        if known:
            person = self.rng.choice(known)
            self.sim.rename_device(
                person.device_id, f"renamed-{self.rng.randrange(1 << 24):06x}"
            )
            self.counts["renamed"] += 1

    def _roams(self) -> None:
        st = self.sim.state
        live = [
            p
            for p in self.people
            if p.online and p.band is not None and p.mac in st.connections
        ]
        for person in self.rng.sample(live, int(len(live) * ROAMS_PER_HOUR)):
            others = [b for b in self.bands if b != person.band] or self.bands
            person.band = self.rng.choice(others)
            node = self.rng.choice(self.nodes) if self.nodes else None
            self.sim.roam(person.mac, person.band, node=node)
            self.counts["roamed"] += 1

    def _forget(self) -> None:
        """Drop devices offline for longer than ``forget_after``, as the router does."""
        st = self.sim.state
        for device_id, last in list(self.last_online.items()):
            device = st.devices.get(device_id)
            if device is None:
                self.last_online.pop(device_id)
                continue
            if any(m in st.connections for m in device.macs):
                continue
            if self.now - last > self.forget_after:
                self.sim.delete_device(device_id)
                self.forgotten_at[device_id] = self.now
                self.last_online.pop(device_id)
                self.counts["forgotten"] += 1
        self.people = [
            p for p in self.people if not (p.gone and p.device_id not in st.devices)
        ]

    def _fault(self, fault: Fault, kwargs: dict[str, Any]) -> Callable[[], None]:
        def inject() -> None:
            self.sim.inject(fault, **kwargs)
            self.counts["faults"] += 1

        return inject

    def _mac(self, *, local: bool) -> str:
        self._next_mac += 1
        low = self._next_mac
        if local:
            first = f"{self.rng.randrange(16):X}{self.rng.choice('26AE')}"
            tail = [self.rng.randrange(256) for _ in range(2)]
            head = f"{first}:{tail[0]:02X}:{tail[1]:02X}"
        else:
            head = self.rng.choice(CLIENT_OUIS)
        return f"{head}:{low >> 16 & 0xFF:02X}:{low >> 8 & 0xFF:02X}:{low & 0xFF:02X}"
