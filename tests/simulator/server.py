"""RouterSimulator: a stateful fake Linksys router speaking JNAP over aiohttp."""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import Callable, Iterable
import contextlib
import copy
from dataclasses import dataclass, field
import datetime as dt
import enum
import json
import logging
import math
import random
import time
from typing import Any

from aiohttp import web

from . import actions as act, diagnostics, firewall, health, mesh, settings, wireless  # noqa: F401  (registers their actions)
from .generator import build_state, client_ip, guest_ip, make_connection
from .profiles import CISCO_PREFIX, JNAP_PREFIX, PROFILES, Profile
from .schema import InputError, check
from .state import AvailableUpdate, Device, Interface, RouterState

_LOGGER = logging.getLogger("tests.simulator")

TRANSACTION = "core/Transaction"
MAX_FAILURES = 10
DELAY_AFTER = 5
DELAY_SECONDS = 30.0
NOT_FOUND_HTML = (
    "<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
    "<body><h1>404 Not Found</h1><p>The requested URL was not found on this server.</p></body></html>"
)
LOGIN_HTML = (
    "<!DOCTYPE html><html><head><title>Linksys Smart Wi-Fi</title></head>"
    '<body><form action="/ui/login" method="post"><input type="password" name="password"></form></body></html>'
)
# Open actions the official app itself sends inside its password transactions, so the
# velop rule below (unverified) never refuses them: its polling carries core/GetDeviceInfo
# (the whole real answer of one: tests/fixtures/real/whw03_fee_tx.json) and its
# fetchIsConfigured core/IsAdminPasswordDefault (PrivacyGUI batch_extension.dart, auth: true).
MIXABLE_OPEN_ACTIONS = frozenset({"core/GetDeviceInfo", "core/IsAdminPasswordDefault"})
ERROR_500_HTML = "<html><head><title>500 Internal Server Error</title></head><body>Internal Server Error</body></html>"


class Fault(enum.Enum):
    """Injectable faults (sim.inject)."""

    TIMEOUT = (
        "timeout"  # no answer: hold the request for `seconds`, then drop the connection
    )
    LATENCY = "latency"  # answer normally after `seconds`
    HTTP_500 = "http_500"  # HTTP 500 with an HTML body
    HTML_LOGIN = "html_login"  # HTTP 200 with an HTML login page instead of JSON
    TRUNCATED_JSON = "truncated_json"  # the real answer cut in half
    NO_RESULT = "no_result"  # JSON object without the result key
    NOT_READY = "not_ready"  # matching actions answer _ErrorNotReady
    UNEXPECTED = "unexpected"  # matching actions answer _ErrorUnexpected
    # Matching actions answer _ErrorUnknownAction although their service is listed: a
    # firmware whose service claim is wrong (unverified for WPS on Velop; stay robust).
    UNKNOWN_ACTION = "unknown_action"
    CONNECTION_REFUSED = (
        "connection_refused"  # stop listening for `seconds` of sim clock
    )


# Faults answered with an HTML page instead of JSON: (HTTP status, page).
_HTML_FAULTS = {
    Fault.HTTP_500: (500, ERROR_500_HTML),
    Fault.HTML_LOGIN: (200, LOGIN_HTML),
}


DEFAULT_SECONDS = {
    Fault.TIMEOUT: 30.0,
    Fault.LATENCY: 0.2,
    Fault.CONNECTION_REFUSED: 5.0,
}
ACTION_FAULTS = {
    Fault.NOT_READY: "_ErrorNotReady",
    Fault.UNEXPECTED: "_ErrorUnexpected",
    Fault.UNKNOWN_ACTION: "_ErrorUnknownAction",
}


@dataclass
class FaultRule:
    kind: Fault
    action: str | None
    times: int | None
    seconds: float

    def matches(self, actions: Iterable[str]) -> bool:
        return self.action is None or self.action in actions


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One HTTP request the router received (refused connections are not recorded)."""

    time: float
    method: str
    path: str
    actions: tuple[str, ...]
    transaction: bool
    auth: str  # "none" | "ok" | "bad"
    bytes_in: int
    bytes_out: int
    status: int  # 0 when the connection was dropped without an answer


@dataclass(frozen=True, slots=True)
class WriteRecord:
    """One accepted write (its input, with any admin password masked)."""

    action: str
    request: dict[str, Any]
    time: float


@dataclass
class _Ctx:
    """Per-request evaluation context."""

    header_password: str | None
    action_faults: list[FaultRule] = field(default_factory=list)
    counted_failure: bool = False
    password_checked: bool = False
    auth: str = "none"


def short_name(uri: str) -> str | None:
    """Strip a known prefix from an action URI."""
    for prefix in (JNAP_PREFIX, CISCO_PREFIX):
        if uri.startswith(prefix):
            return uri[len(prefix) :]
    return None


class RouterSimulator:
    """A fake router. Start it, point a client at sim.url, script the world, inspect the logs."""

    def __init__(
        self,
        profile: str = "smartwifi",
        password: str = "admin",  # noqa: S107 (the factory default)
        clients: int = 12,
        seed: int = 1,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if profile not in PROFILES:
            raise ValueError(
                f"unknown profile {profile!r}; choose one of {sorted(PROFILES)}"
            )
        self.profile: Profile = PROFILES[profile]
        # Default: time.monotonic looked up at each call, so freezegun/freezer moves it too.
        self.clock: Callable[[], float] = clock or _monotonic
        self.seed = seed
        self.state: RouterState = build_state(self.profile, password, clients, seed)
        self.requests: list[RequestRecord] = []
        self.write_log: list[WriteRecord] = []
        self.reboot_downtime = 60.0
        # core/Reboot2 of a satellite: how long that node stays offline.
        self.node_reboot_downtime = 60.0
        self._rng = random.Random(seed + 1)
        self._faults: list[FaultRule] = []
        self._clock0 = self.clock()
        self._wall0 = dt.datetime(2026, 11, 25, 6, 0, tzinfo=dt.UTC)
        self._host = "127.0.0.1"
        self._port = 0
        self._runner: web.AppRunner | None = None
        self._server: asyncio.Server | None = None
        self._down_until: float | None = None
        self._watch_task: asyncio.Task[None] | None = None
        self._pending_reboot: float | None = None
        self._stopping = asyncio.Event()
        self._next_client = clients
        # Up for three days when the simulation starts.
        self.state.health.booted = self._clock0 - 3 * 86400
        if JNAP_PREFIX + "diagnostics/Diagnostics10" in self.state.services:
            # Newer firmware's load figures, as the official app reads them: fractions in text.
            self.state.health.cpu_load, self.state.health.memory_load = "0.12", "0.43"

    def __repr__(self) -> str:
        return f"<RouterSimulator {self.profile.name} {self.host}>"

    # ------------------------------------------------------------ lifecycle

    @property
    def port(self) -> int:
        """TCP port (known after start)."""
        return self._port

    @property
    def host(self) -> str:
        """host:port, as a client's host setting."""
        return f"{self._host}:{self._port}"

    @property
    def url(self) -> str:
        """The JNAP endpoint."""
        return f"http://{self._host}:{self._port}/JNAP/"

    @property
    def is_down(self) -> bool:
        """True while rebooting or refusing connections."""
        return self._down_until is not None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port (port 0 picks a free port)."""
        self._host, self._port = host, port
        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=0.5
        )
        await self._runner.setup()
        await self._listen()

    async def stop(self) -> None:
        """Stop listening, drop connections, cancel timers."""
        self._stopping.set()
        await self._stop_watching()
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _listen(self) -> None:
        assert self._runner is not None
        assert self._runner.server is not None
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self._runner.server, self._host, self._port, reuse_address=True
        )
        self._port = self._server.sockets[0].getsockname()[1]
        self._down_until = None

    def _go_down(self, seconds: float) -> None:
        """Stop listening now and come back after `seconds` of sim clock."""
        self._down_until = self.clock() + seconds
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._runner is not None and self._runner.server is not None:
            for conn in self._runner.server.connections:
                conn.force_close()
        if self._watch_task is None or self._watch_task.done():
            self._watch_task = asyncio.get_running_loop().create_task(self._watch())

    async def _stop_watching(self) -> None:
        if self._watch_task is not None:
            self._watch_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch_task
            self._watch_task = None

    async def _watch(self) -> None:
        while self._down_until is not None:
            if self.clock() >= self._down_until:
                await self._listen()
                break
            await asyncio.sleep(0.02)

    # ------------------------------------------------------------ reboot

    def schedule_reboot(self, downtime: float) -> None:
        """Reboot once the current answer has been sent (core/Reboot, firmware install)."""
        self._pending_reboot = downtime

    async def reboot(self, downtime: float = 60.0) -> None:
        """Reboot now: connections refused for `downtime` seconds of sim clock."""
        self._reboot_effects()
        self._go_down(downtime)
        # Let clients see their idle keep-alive connections close (no timer: safe under freezer).
        for _ in range(5):
            await asyncio.sleep(0)

    async def finish_reboot(self) -> None:
        """End a reboot (or refused-connection outage) early."""
        await self._stop_watching()
        if self._server is None and self._runner is not None:
            await self._listen()

    def _reboot_effects(self) -> None:
        st = self.state
        st.boot_count += 1
        st.admin.failures = 0
        st.admin.delay_until = 0.0
        st.firmware.pending = None
        health.stop_on_reboot(self)
        diagnostics.stop_on_reboot(self)

    # ------------------------------------------------------------ faults

    def inject(
        self,
        fault: Fault,
        *,
        action: str | None = None,
        times: int | None = None,
        seconds: float | None = None,
    ) -> None:
        """Add a fault. action: only requests containing it (short name); times: how many requests."""
        secs = DEFAULT_SECONDS.get(fault, 0.0) if seconds is None else seconds
        if fault is Fault.CONNECTION_REFUSED:
            # Refusal happens before any request exists: it lasts `seconds` of sim clock.
            self._go_down(secs)
            return
        self._faults.append(FaultRule(fault, action, times, secs))

    def clear_faults(self) -> None:
        """Remove every fault (and end a refused-connection outage at the next watcher tick)."""
        self._faults.clear()
        if self._down_until is not None:
            self._down_until = self.clock()

    def _take_faults(self, names: tuple[str, ...]) -> list[FaultRule]:
        hit = [f for f in self._faults if f.matches(names)]
        for f in hit:
            if f.times is not None:
                f.times -= 1
        self._faults = [f for f in self._faults if f.times is None or f.times > 0]
        return hit

    # ------------------------------------------------------------ counters

    @property
    def rng(self) -> random.Random:
        """The router's own randomness (ids), seeded."""
        return self._rng

    def reset_counters(self) -> None:
        """Forget recorded requests."""
        self.requests.clear()

    def wall_time(self) -> str:
        """Return the router's wall-clock time (follows the sim clock)."""
        now = self._wall0 + dt.timedelta(seconds=self.clock() - self._clock0)
        return now.strftime("%Y-%m-%dT%H:%M:%SZ")

    # ------------------------------------------------------------ world scripting

    def connect_client(
        self,
        mac: str,
        *,
        band: str | None = "5GHz",
        guest: bool = False,
        signal: int = -50,
        ip: str | None = None,
        node: str | None = None,
    ) -> str:
        """Bring a MAC online (creating its device if new); returns the device ID.

        On a mesh the client joins ``node`` (a node's device ID; default the router).
        """
        st = self.state
        mac = mac.upper()
        device = st.device_for_mac(mac)
        if device is None:
            device = Device(
                device_id=self._new_id(),
                last_change_revision=st.revision,
                device_type="Unknown",
            )
            device.interfaces.append(
                Interface(mac, "Wired" if band is None else "Wireless", band)
            )
            st.devices[device.device_id] = device
        else:
            iface = next(i for i in device.interfaces if i.mac == mac)
            if band is not None:
                iface.interface_type, iface.band = "Wireless", band
        if ip is None:
            old = st.connections.get(mac)
            prev = device.v1_connections.get(mac, {}).get("ipAddress")
            ip = old.ip if old else prev if isinstance(prev, str) else None
        if ip is None:
            n = self._next_client
            self._next_client += 1
            ip = guest_ip(n) if guest else client_ip(n)
        if node is None and self.profile.child_nodes:
            node = st.authority_id
        if node in st.nodes and not act.node_online(self, node):
            raise ValueError(f"node {node} is offline")
        parent = node
        device.on_guest = guest
        conn = make_connection(
            st, mac, ip, band=band, guest=guest, signal=signal, parent=parent
        )
        conn.since = self.wall_time()
        st.connections[mac] = conn
        entry: dict[str, Any] = {"macAddress": mac, "ipAddress": ip}
        if parent is not None:
            entry["parentDeviceID"] = parent
        device.v1_connections[mac] = entry
        st.bump(device)
        return device.device_id

    def disconnect_client(self, mac: str) -> None:
        """Take a MAC offline (v1 GetDevices keeps its stale connection)."""
        st = self.state
        mac = mac.upper()
        if st.connections.pop(mac, None) is not None:
            device = st.device_for_mac(mac)
            st.bump(device)

    def add_client(
        self,
        name: str | None,
        macs: list[str],
        *,
        band: str | None = "5GHz",
        guest: bool = False,
        online: bool = True,
        signal: int = -50,
        ip: str | None = None,
        user_name: str | None = None,
        node: str | None = None,
    ) -> str:
        """Add a known client device (its first MAC online unless online=False); returns its device ID."""
        st = self.state
        device = Device(
            device_id=self._new_id(),
            last_change_revision=st.revision,
            device_type="Unknown",
            friendly_name=name,
        )
        for mac in macs:
            device.interfaces.append(
                Interface(mac.upper(), "Wired" if band is None else "Wireless", band)
            )
        if user_name is not None:
            device.properties["userDeviceName"] = user_name
        st.devices[device.device_id] = device
        st.bump(device)
        if online and macs:
            self.connect_client(
                macs[0], band=band, guest=guest, signal=signal, ip=ip, node=node
            )
        return device.device_id

    def wear_master_identity(
        self, device_id: str, *, operating_system: str | None = None
    ) -> None:
        """List a client as current Velop firmware lists some computers.

        ``deviceType`` Infrastructure with the master's model, serial and firmware, no
        ``nodeType``; ``operating_system`` as ``unit.operatingSystem`` (PrivacyGUI's MBE70
        1.0.11 state; issue 24's LN16 1.0.10). How devicedb comes to fill a record so is in
        compiled code; its output is what VEL devicelist_devicedb.lua ``toOutputDevice``
        writes from such a record (docs/firmware-facts.md, "Velop node records").
        """
        st = self.state
        master = st.devices[st.authority_id]
        device = st.devices[device_id]
        device.device_type = "Infrastructure"
        device.manufacturer = master.manufacturer
        device.model_number = master.model_number
        device.hardware_version = master.hardware_version
        device.model_description = master.model_description
        device.serial_number = master.serial_number
        device.firmware_version = master.firmware_version
        device.operating_system = operating_system
        st.bump(device)

    def rename_device(self, device_id: str, name: str | None) -> None:
        """Change the DHCP host name (friendlyName)."""
        device = self.state.devices[device_id]
        device.friendly_name = name
        self.state.bump(device)

    def delete_device(self, device_id: str, *, keep_connections: bool = False) -> None:
        """Forget a device (reported in deletedDeviceIDs); its MACs go offline unless kept."""
        st = self.state
        device = st.devices.pop(device_id)
        st.nodes.pop(device_id, None)
        if not keep_connections:
            for mac in device.macs:
                st.connections.pop(mac, None)
        rev = st.bump()
        st.deleted.append((device_id, rev))

    def readd_device(self, old: Device, live: list[Interface]) -> str:
        """List still-connected MACs of a deleted device as a new device; returns its ID."""
        st = self.state
        device = Device(
            device_id=self._new_id(),
            last_change_revision=st.revision,
            device_type=old.device_type,
            friendly_name=old.friendly_name,
            manufacturer=old.manufacturer,
            operating_system=old.operating_system,
            interfaces=[Interface(i.mac, i.interface_type, i.band) for i in live],
        )
        for iface in live:
            conn = st.connections[iface.mac]
            entry: dict[str, Any] = {"macAddress": iface.mac, "ipAddress": conn.ip}
            if conn.parent_device_id is not None:
                entry["parentDeviceID"] = conn.parent_device_id
            device.v1_connections[iface.mac] = entry
        st.devices[device.device_id] = device
        st.bump(device)
        return device.device_id

    @property
    def node_ids(self) -> list[str]:
        """Device IDs of the mesh nodes, the router first (empty off a mesh)."""
        st = self.state
        return [d.device_id for d in st.devices.values() if d.node_type is not None]

    @property
    def satellite_ids(self) -> list[str]:
        """Device IDs of the mesh's satellites."""
        return [n for n in self.node_ids if n != self.state.authority_id]

    def roam(self, mac: str, band: str, *, node: str | None = None) -> None:
        """Move a live wireless MAC to another band (and, on a mesh, to ``node``)."""
        st = self.state
        conn = st.connections[mac.upper()]
        if node in st.nodes and not act.node_online(self, node):
            raise ValueError(f"node {node} is offline")
        if node is not None:
            conn.parent_device_id = node
        radio = next((r for r in st.radios if r.band == band), None)
        if radio is None:
            raise ValueError(f"no radio for band {band}")
        bssid = radio.bssid
        on = st.nodes.get(conn.parent_device_id or "")
        if on is not None:
            bssid = on.bssids.get(radio.radio_id, bssid)
        conn.band, conn.radio_id, conn.bssid = band, radio.radio_id, bssid
        conn.negotiated_mbps = 144 if band == "2.4GHz" else 866
        device = st.device_for_mac(mac)
        if device is not None:
            for iface in device.interfaces:
                if iface.mac == mac.upper():
                    iface.band = band
        st.bump(device)

    def set_node_online(self, node_id: str, online: bool) -> None:
        """Power a velop_mesh satellite off or on.

        Offline: its clients and its backhaul vanish from every source (and so does every
        node whose backhaul runs through it); its GetDevices3 record stays, without
        connections. Back online: the same clients return.
        """
        self.state.nodes[node_id].powered = online
        mesh.sync_nodes(self)

    def reboot_node(self, node_id: str, downtime: float = 60.0) -> None:
        """Reboot one satellite: offline (as ``set_node_online(False)``) for ``downtime`` s of sim clock."""
        if node_id == self.state.authority_id:
            raise ValueError("reboot the primary with await sim.reboot()")
        node = self.state.nodes[node_id]
        node.down_until = self.clock() + downtime
        node.firmware.pending = None
        mesh.sync_nodes(self)

    def node_is_online(self, node_id: str) -> bool:
        """Whether a satellite is up (powered, not rebooting, its backhaul path up)."""
        return act.node_online(self, node_id)

    def offer_node_firmware(
        self,
        node_id: str,
        version: str,
        *,
        date: str = "2026-11-20T00:00:00Z",
        description: str = "Security and stability fixes.",
    ) -> None:
        """Make a firmware update available to one satellite (the primary: offer_firmware)."""
        if node_id == self.state.authority_id:
            self.offer_firmware(version, date=date, description=description)
            return
        self.state.nodes[node_id].firmware.available = AvailableUpdate(
            version, date, description
        )

    def set_master_mode(self, master: bool) -> None:
        """Make the router the mesh master or not (False: node diagnostics answer ErrorDeviceNotInMasterMode)."""
        self.state.master_mode = master

    def set_wan_connected(self, connected: bool) -> None:
        """Plug or unplug the internet."""
        self.state.wan.connected = connected

    def set_wan_type(self, wan_type: str) -> None:
        """Set the WAN's connection type (DHCP, Static, PPPoE, PPTP, L2TP, Bridge...)."""
        self.state.wan.wan_type = wan_type

    def set_port_links(self, lan: list[str], wan: str = "1Gbps") -> None:
        """Set each LAN port's link and the WAN port's, as router.lua names them."""
        self.state.lan_port_links = list(lan)
        self.state.wan_port_link = wan

    def offer_firmware(
        self,
        version: str,
        *,
        date: str = "2026-11-20T00:00:00Z",
        description: str = "Security and stability fixes.",
    ) -> None:
        """Make a firmware update available."""
        act.offer(self, version, date, description)

    def set_admin_password(self, password: str) -> None:
        """Change the admin password from the outside (e.g. a user in the web UI)."""
        self.state.admin.password = password

    def unlock_admin_account(self) -> None:
        """Reset throttling and lockout."""
        adm = self.state.admin
        adm.failures, adm.delay_until, adm.locked = 0, 0.0, False

    def remove_service(self, uri: str) -> None:
        """Drop a service from GetDeviceInfo (its actions become unknown)."""
        full = uri if uri.startswith("http") else JNAP_PREFIX + uri
        if full in self.state.services:
            self.state.services.remove(full)

    def add_service(self, uri: str) -> None:
        """Add a service to GetDeviceInfo."""
        full = uri if uri.startswith("http") else JNAP_PREFIX + uri
        if full not in self.state.services:
            self.state.services.append(full)

    def _new_id(self) -> str:
        import uuid

        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    # ------------------------------------------------------------ HTTP

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        if request.path != "/JNAP/" or request.method != "POST":
            return await self._finish(
                request,
                web.Response(status=404, text=NOT_FOUND_HTML, content_type="text/html"),
                names=(),
                is_tx=False,
                auth="none",
                bytes_in=0,
            )
        body = await request.read()
        if self._down_until is not None:
            # A request on a connection kept alive through the outage: drop it.
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=503)
        act.firmware_tick(self)
        mesh.tick(self)
        uri = request.headers.get("X-JNAP-Action", "")
        name = short_name(uri)
        is_tx = name == TRANSACTION
        header_pw = _basic_password(request.headers.get("X-JNAP-Authorization"))
        ctx = _Ctx(header_password=header_pw)
        parsed: Any = None
        try:
            parsed = json.loads(body) if body else None
            json_ok = body != b""
        except ValueError:
            json_ok = False
        names: tuple[str, ...]
        if is_tx and isinstance(parsed, list):
            names = tuple(
                (short_name(e["action"]) or e["action"])
                if isinstance(e, dict) and isinstance(e.get("action"), str)
                else "?"
                for e in parsed
            )
        else:
            names = (name or uri,)
        faults = self._take_faults(names)
        for f in faults:
            if f.kind is Fault.LATENCY:
                await asyncio.sleep(f.seconds)
        terminal = next(
            (f for f in faults if f.kind not in (Fault.LATENCY, *ACTION_FAULTS)), None
        )
        ctx.action_faults = [f for f in faults if f.kind in ACTION_FAULTS]
        if terminal is not None and terminal.kind is Fault.TIMEOUT:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), terminal.seconds)
            if request.transport is not None:
                request.transport.abort()
            self._record(
                request,
                names=names,
                is_tx=is_tx,
                auth=_auth_label(header_pw, self.state),
                bytes_in=len(body),
                bytes_out=0,
                status=0,
            )
            return web.Response(status=504)
        if terminal is not None and terminal.kind in _HTML_FAULTS:
            status, html = _HTML_FAULTS[terminal.kind]
            resp = web.Response(status=status, text=html, content_type="text/html")
            return await self._finish(
                request,
                resp,
                names=names,
                is_tx=is_tx,
                auth=_auth_label(header_pw, self.state),
                bytes_in=len(body),
            )

        if not json_ok:
            answer = _invalid_input("Invalid JSON in request body")
        elif name is None:
            answer = _unknown_action(uri)
        elif is_tx:
            answer = self._transaction(parsed, ctx)
        else:
            answer = self._single(uri, name, parsed, ctx)
        if (
            header_pw is not None
            and not ctx.password_checked
            and header_pw != self.state.admin.password
        ):
            # Any request carrying a wrong password is a failed attempt, even if it
            # only held open actions (which still answer).
            self._register_stray_failure()
        if header_pw is None and ctx.auth == "none":
            auth = "none"
        elif ctx.auth == "none":
            auth = _auth_label(header_pw, self.state)
        else:
            auth = ctx.auth
        if terminal is not None and terminal.kind is Fault.NO_RESULT:
            answer.pop("result", None)
        text = json.dumps(answer, separators=(",", ":"))
        if terminal is not None and terminal.kind is Fault.TRUNCATED_JSON:
            text = text[: len(text) // 2]
        resp = web.Response(status=200, text=text, content_type="application/json")
        return await self._finish(
            request, resp, names=names, is_tx=is_tx, auth=auth, bytes_in=len(body)
        )

    async def _finish(
        self,
        request: web.Request,
        resp: web.Response,
        *,
        names: tuple[str, ...],
        is_tx: bool,
        auth: str,
        bytes_in: int,
    ) -> web.Response:
        if self._pending_reboot is not None:
            # The router goes down right after this answer: the client must not reuse the connection.
            resp.force_close()
        await resp.prepare(request)
        await resp.write_eof()
        self._record(
            request,
            names=names,
            is_tx=is_tx,
            auth=auth,
            bytes_in=bytes_in,
            bytes_out=len(resp.body)
            if isinstance(resp.body, (bytes, bytearray))
            else 0,
            status=resp.status,
        )
        if self._pending_reboot is not None:
            downtime, self._pending_reboot = self._pending_reboot, None
            self._reboot_effects()
            self._go_down(downtime)
        return resp

    def _record(
        self,
        request: web.Request,
        *,
        names: tuple[str, ...],
        is_tx: bool,
        auth: str,
        bytes_in: int,
        bytes_out: int,
        status: int,
    ) -> None:
        rec = RequestRecord(
            self.clock(),
            request.method,
            request.path,
            names,
            is_tx,
            auth,
            bytes_in,
            bytes_out,
            status,
        )
        self.requests.append(rec)
        _LOGGER.info(
            "%s %s %s auth=%s -> %s (%d B in, %d B out)",
            rec.method,
            rec.path,
            ",".join(names) or "-",
            auth,
            status or "dropped",
            bytes_in,
            bytes_out,
        )

    # ------------------------------------------------------------ JNAP

    def _single(self, uri: str, name: str, body: Any, ctx: _Ctx) -> dict[str, Any]:
        adef = self._lookup(name)
        if adef is None:
            return _unknown_action(uri)
        if not isinstance(body, dict):
            return _invalid_input("Request body must be a JSON object")
        return self._run(adef, body, ctx)

    def _lookup(self, name: str) -> act.ActionDef | None:
        adef = act.ACTIONS.get(name) or act.NODE_ACTIONS.get(name)
        if adef is None or JNAP_PREFIX + adef.service not in self.state.services:
            return None
        return adef

    def _transaction(self, body: Any, ctx: _Ctx) -> dict[str, Any]:
        if not isinstance(body, list):
            return _invalid_input("Transaction body must be a JSON array")
        entries: list[tuple[str, act.ActionDef | None, dict[str, Any]]] = []
        for entry in body:
            if not isinstance(entry, dict):
                return _invalid_input("Invalid transaction entry")
            for member in ("action", "request"):
                if member not in entry:
                    return _invalid_input(f'Missing member "{member}"')
            extra = next((m for m in entry if m not in ("action", "request")), None)
            if extra is not None:
                return _invalid_input(f'Encountered unexpected member "{extra}"')
            if not isinstance(entry["action"], str) or not isinstance(
                entry["request"], dict
            ):
                return _invalid_input("Invalid transaction entry")
            name = short_name(entry["action"])
            adef = (
                self._lookup(name) if name is not None and name != TRANSACTION else None
            )
            entries.append((entry["action"], adef, entry["request"]))
        if self.profile.legacy_unknown_action:
            unknown = next((uri for uri, adef, _ in entries if adef is None), None)
            if unknown is not None:
                return _unknown_action(unknown)
        mixed_at: int | None = None
        if self.profile.refuses_mixed_auth:
            kinds = {adef.auth for _, adef, _ in entries if adef is not None}
            mixed_at = next(
                (
                    i
                    for i, (_, adef, _) in enumerate(entries)
                    if adef is not None
                    and not adef.auth
                    and adef.name not in MIXABLE_OPEN_ACTIONS
                ),
                None,
            )
            if len(kinds) < 2:
                mixed_at = None
        responses: list[dict[str, Any]] = []
        failed = False
        for i, (uri, adef, request) in enumerate(entries):
            if failed:
                res = _error(
                    "_ErrorAbortedAction",
                    f"Action '{uri}' aborted due to previous transaction error",
                )
            elif i == mixed_at:
                res = _error("_ErrorUnauthorized", "Mixed authorization in transaction")
            elif adef is None:
                res = _unknown_action(uri)
            else:
                res = self._run(adef, request, ctx)
            failed = failed or res["result"] != "OK"
            responses.append(res)
        return {"result": "Error" if failed else "OK", "responses": responses}

    def _run(
        self, adef: act.ActionDef, body: dict[str, Any], ctx: _Ctx
    ) -> dict[str, Any]:
        for f in ctx.action_faults:
            if f.action is None or f.action == adef.name:
                return _error(
                    ACTION_FAULTS[f.kind], f"{ACTION_FAULTS[f.kind]} (injected)"
                )
        try:
            if adef.auth:
                self._authorize(adef, body, ctx)
            check(body, adef.spec)
            if adef.write:
                act.refuse_writes_while_installing(self)
            snapshot = copy.deepcopy(body) if adef.write else None
            output = adef.handler(self, body)
        except InputError as err:
            res = _error(err.result, err.error)
            if err.output is not None:
                res["output"] = err.output
            return res
        if snapshot is not None:
            if "adminPassword" in snapshot:
                snapshot["adminPassword"] = "********"
            self.write_log.append(WriteRecord(adef.name, snapshot, self.clock()))
        res = {"result": "OK", "output": output}
        if adef.side_effects:
            res["sideEffects"] = list(adef.side_effects)
        return res

    def _authorize(self, adef: act.ActionDef, body: dict[str, Any], ctx: _Ctx) -> None:
        adm = self.state.admin
        candidate = ctx.header_password
        if adef.name in (
            "core/CheckAdminPassword2",
            "core/CheckAdminPassword3",
        ) and isinstance(body.get("adminPassword"), str):
            candidate = body["adminPassword"]
        if candidate is None:
            raise InputError("_ErrorUnauthorized", "Invalid authorization credentials")
        ctx.auth = "ok" if candidate == adm.password else "bad"
        ctx.password_checked = True
        if adm.locked:
            raise InputError("ErrorAdminAccountLocked", "The admin account is locked")
        now = self.clock()
        if now < adm.delay_until:
            raise InputError(
                "ErrorPasswordCheckDelayed",
                "Password check delayed",
                {
                    "attemptsRemaining": MAX_FAILURES - adm.failures,
                    "delayTimeRemaining": math.ceil(adm.delay_until - now),
                },
            )
        if candidate == adm.password:
            adm.failures = 0
            return
        if not ctx.counted_failure:
            ctx.counted_failure = True
            self._register_failure(now)
        if adm.locked:
            raise InputError("ErrorAdminAccountLocked", "The admin account is locked")
        remaining = {"attemptsRemaining": MAX_FAILURES - adm.failures}
        # Only CheckAdminPassword3 (Core7) names the wrong password; v1 and v2 answer
        # like any password action (docs/firmware-facts.md, core).
        if adef.name == "core/CheckAdminPassword3":
            raise InputError(
                "ErrorInvalidAdminPassword", "Invalid admin password", remaining
            )
        raise InputError(
            "_ErrorUnauthorized", "Invalid authorization credentials", remaining
        )

    def _register_failure(self, now: float) -> None:
        adm = self.state.admin
        adm.failures += 1
        if adm.failures >= MAX_FAILURES:
            adm.locked = True
        elif adm.failures >= DELAY_AFTER:
            adm.delay_until = now + DELAY_SECONDS

    def _register_stray_failure(self) -> None:
        adm, now = self.state.admin, self.clock()
        if not adm.locked and now >= adm.delay_until:
            self._register_failure(now)


def _error(result: str, error: str) -> dict[str, Any]:
    """Return a JNAP error answer (the whole answer, or one transaction entry)."""
    return {"result": result, "error": error}


def _invalid_input(error: str) -> dict[str, Any]:
    return _error("_ErrorInvalidInput", error)


def _unknown_action(uri: str) -> dict[str, Any]:
    return _error("_ErrorUnknownAction", f"Unknown action '{uri}'")


def _monotonic() -> float:
    return time.monotonic()


def _basic_password(header: str | None) -> str | None:
    """Password from `Basic base64(admin:pw)`; a malformed header counts as a wrong password."""
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic":
        return "\x00invalid"
    try:
        user, sep, pw = (
            base64.b64decode(token.strip(), validate=True).decode().partition(":")
        )
    except binascii.Error, UnicodeDecodeError:
        return "\x00invalid"
    if not sep or user != "admin":
        return "\x00invalid"
    return pw


def _auth_label(password: str | None, state: RouterState) -> str:
    if password is None:
        return "none"
    return "ok" if password == state.admin.password else "bad"
