"""Run a real Home Assistant (and the router simulator) as child processes, and talk to it.

Shared by scripts/demo and tests/e2e. Everything binds to 127.0.0.1. Children run in their own
process group and die with their parent (PR_SET_PDEATHSIG), so an interrupted run leaves nothing
behind; `stop()` ends the whole group (SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
import contextlib
import ctypes
from dataclasses import dataclass
from datetime import UTC, datetime
import json
import os
from pathlib import Path
import signal
import socket
import subprocess
import sys
import time
from typing import IO, Any, Self

import aiohttp

REPO_ROOT = Path(__file__).resolve().parents[2]
INTEGRATION_DIR = REPO_ROOT / "custom_components" / "linksys_jnap"
DOMAIN = "linksys_jnap"
LOOPBACK = "127.0.0.1"
CLIENT_ID_PATH = "/"  # HA accepts its own base URL as an IndieAuth client id
# Which Home Assistant `hass` runs: "pinned" (.venv, the release the unit tests pin), "newest"
# (.venv-newest, requirements_newest.txt), or the path of a `hass` executable. The test driver
# always stays in .venv.
HASS_ENV = "LINKSYS_JNAP_HASS"
RELEASES = ("pinned", "newest")
NEWEST_VENV = REPO_ROOT / ".venv-newest"

# Kept minimal on purpose (no default_config): the integrations HA sets up anyway. No `http:`
# here: since 2026 HA migrates it once into .storage/http as an unconfirmed trial that reverts
# (to 0.0.0.0:8123) after five minutes; write_config_dir stores the loopback settings directly.
# Logger levels hush start-up noise about host binaries a demo never uses.
CONFIGURATION_YAML = """\
# Throw-away Home Assistant configuration written by scripts/lib/hass_runner.py.
homeassistant:
  name: Linksys JNAP demo
  country: US
  currency: USD
  time_zone: UTC
  unit_system: metric
  latitude: 52.37
  longitude: 4.89
  elevation: 0
  external_url: http://{host}:{port}
  internal_url: http://{host}:{port}
frontend:
config:
# The Network dashboard's events card (logbook brings the recorder: a SQLite file here).
logbook:
logger:
  default: warning
  logs:
    custom_components.linksys_jnap: {integration_log_level}
    haffmpeg: critical
    homeassistant.components.camera.img_util: critical
    homeassistant.bootstrap: error
"""


class RunnerError(Exception):
    """Home Assistant or the simulator did not do what the runner needed."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


def port_is_free(port: int) -> bool:
    """Tell whether 127.0.0.1:port can be bound."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
        return True


def _die_with_parent() -> None:
    """Run in the child before exec: get SIGTERM when the parent dies (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class ManagedProcess:
    """A child process in its own process group, with its output in a log file."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        log_path: Path,
        cwd: Path = REPO_ROOT,
        env: Mapping[str, str] | None = None,
    ) -> None:
        """Describe the process; nothing starts before start()."""
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self.cwd = cwd
        self.env = dict(os.environ if env is None else env)
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        """Start the process (new session, so a terminal's Ctrl-C reaches only our parent)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - only calls prctl
        )

    @property
    def running(self) -> bool:
        """Tell whether the process is alive."""
        return self.proc is not None and self.proc.poll() is None

    def check_alive(self) -> None:
        """Raise with the log's tail when the process has exited."""
        if self.proc is not None and self.proc.poll() is not None:
            raise RunnerError(
                f"{self.name} exited with code {self.proc.returncode}; last output:\n{self.log_tail()}"
            )

    def log_tail(self, lines: int = 40) -> str:
        """Return the end of the process's output."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 20.0) -> int | None:
        """Stop the whole process group: SIGTERM, wait, then SIGKILL. Safe to call twice."""
        proc = self.proc
        if proc is not None:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(5)
            # Leftover grandchildren in the group die too.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        if self._log is not None:
            self._log.close()
            self._log = None
        return None if proc is None else proc.returncode

    async def astop(self, within: float = 20.0) -> int | None:
        """Like stop(), without blocking the event loop (in-process servers keep answering)."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            deadline = time.monotonic() + within
            while proc.poll() is None and time.monotonic() < deadline:  # noqa: ASYNC110 - polling a child
                await asyncio.sleep(0.1)
        return self.stop(timeout=5)


async def wait_for_port(proc: ManagedProcess, port: int, within: float) -> None:
    """Wait until something accepts connections on 127.0.0.1:port (and the process lives)."""
    deadline = time.monotonic() + within
    while True:
        proc.check_alive()
        try:
            _, writer = await asyncio.open_connection(LOOPBACK, port)
        except OSError:
            if time.monotonic() > deadline:
                raise RunnerError(
                    f"{proc.name} did not listen on {LOOPBACK}:{port} within {within:.0f} s;"
                    f" last output:\n{proc.log_tail()}"
                ) from None
            await asyncio.sleep(0.2)
        else:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            return


def simulator_process(
    *,
    port: int,
    password: str,
    profile: str,
    clients: int,
    lively: bool,
    log_path: Path,
    python: str = sys.executable,
) -> ManagedProcess:
    """Describe `python -m tests.simulator` on 127.0.0.1:port."""
    argv = [
        python,
        "-m",
        "tests.simulator",
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--password",
        password,
        "--profile",
        profile,
        "--clients",
        str(clients),
    ]
    if lively:
        argv.append("--lively")
    return ManagedProcess("router simulator", argv, log_path=log_path)


def _write_http_store(config_dir: Path, port: int) -> None:
    """Store the confirmed ("stable") HTTP settings: 127.0.0.1 only, on port.

    Written while Home Assistant is stopped, so a later run may pick another port.
    Format: homeassistant/components/http/config.py (store version 2.2).
    """
    storage = config_dir / ".storage"
    storage.mkdir(exist_ok=True)
    stable = {
        "server_host": [LOOPBACK],
        "server_port": port,
        "cors_allowed_origins": ["https://cast.home-assistant.io"],
        "login_attempts_threshold": -1,
        "ip_ban_enabled": True,
        "ssl_profile": "modern",
        "use_x_frame_options": True,
        "created_at": datetime.now(UTC).isoformat(),
        "error": None,
        "error_message": None,
    }
    document = {
        "version": 2,
        "minor_version": 2,
        "key": "http",
        "data": {"stable": stable, "pending": None, "yaml_migration_done": True},
    }
    (storage / "http").write_text(json.dumps(document, indent=2))


def _write_onboarding_store(config_dir: Path) -> None:
    """Before the first start: mark the location step of onboarding done.

    Finishing that step through the API starts Home Assistant's default integrations (met,
    radio_browser...), which need the internet and packages the demo doesn't install, and
    log errors. Format: homeassistant/components/onboarding (store version 4).
    """
    path = config_dir / ".storage" / "onboarding"
    if path.exists():
        return
    document = {
        "version": 4,
        "minor_version": 1,
        "key": "onboarding",
        "data": {"done": ["core_config"]},
    }
    path.write_text(json.dumps(document, indent=2))


def write_config_dir(
    config_dir: Path, *, port: int, integration_log_level: str = "info"
) -> None:
    """Create (or refresh) a minimal configuration with the integration linked in."""
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "configuration.yaml").write_text(
        CONFIGURATION_YAML.format(
            host=LOOPBACK, port=port, integration_log_level=integration_log_level
        )
    )
    _write_http_store(config_dir, port)
    _write_onboarding_store(config_dir)
    custom = config_dir / "custom_components"
    custom.mkdir(exist_ok=True)
    link = custom / DOMAIN
    if link.is_symlink() or link.exists():
        if link.is_symlink() and link.resolve() == INTEGRATION_DIR.resolve():
            return
        link.unlink()
    link.symlink_to(INTEGRATION_DIR, target_is_directory=True)


def hass_command(release: str | None = None) -> list[str]:
    """Return the command that starts `hass` of release (default: $LINKSYS_JNAP_HASS, pinned)."""
    release = release or os.environ.get(HASS_ENV) or "pinned"
    if release == "pinned":
        return [sys.executable, "-m", "homeassistant"]
    if release == "newest":
        python = NEWEST_VENV / "bin" / "python"
        if not python.exists():
            raise RunnerError(
                f"{NEWEST_VENV} is missing: scripts/bootstrap builds it (requirements_newest.txt)"
            )
        return [str(python), "-m", "homeassistant"]
    if not os.access(release, os.X_OK):
        raise RunnerError(
            f"{HASS_ENV}={release!r} is neither {' nor '.join(RELEASES)} nor an executable `hass`"
        )
    return [release]


def release_version(release: str | None = None) -> str | None:
    """Return the Home Assistant version release runs (None for a `hass` path: unknown)."""
    release = release or os.environ.get(HASS_ENV) or "pinned"
    if release == "pinned":
        from homeassistant.const import __version__

        return __version__
    if release == "newest":
        for line in (REPO_ROOT / "requirements_newest.txt").read_text().splitlines():
            if line.startswith("homeassistant=="):
                return line.removeprefix("homeassistant==").strip()
    return None


def hass_process(
    config_dir: Path, *, log_path: Path, release: str | None = None
) -> ManagedProcess:
    """Describe the real `hass` (see hass_command) on a prepared configuration directory.

    --skip-pip: every requirement is installed into its environment up front (bootstrap:
    requirements_demo.txt, .venv-newest), so a run needs no network.
    """
    env = dict(os.environ)
    env.pop(
        "PYTHONPATH", None
    )  # the config dir's custom_components, not the repo, is loaded
    return ManagedProcess(
        "Home Assistant",
        [
            *hass_command(release),
            "--config",
            str(config_dir),
            "--skip-pip",
            "--log-no-color",
        ],
        log_path=log_path,
        cwd=config_dir,
        env=env,
    )


@dataclass(frozen=True, slots=True)
class Owner:
    """The Home Assistant owner account created through onboarding."""

    name: str
    username: str
    password: str

    def __repr__(self) -> str:
        """Keep the password out of reprs."""
        return f"Owner(name={self.name!r}, username={self.username!r})"


class HassApiError(RunnerError):
    """Home Assistant answered an API call with an error."""


class HassClient:
    """REST + WebSocket access to a running Home Assistant, as a user's browser would."""

    def __init__(self, base_url: str, session: aiohttp.ClientSession) -> None:
        """Talk to base_url (http://127.0.0.1:<port>) with session."""
        self.base_url = base_url.rstrip("/")
        self.client_id = self.base_url + CLIENT_ID_PATH
        self.session = session
        self.access_token: str | None = None
        self.refresh_token: str | None = None

    # -- plumbing --------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        if self.access_token is None:
            return {}
        return {"Authorization": f"Bearer {self.access_token}"}

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201),
    ) -> Any:
        """Call the HTTP API; return the decoded JSON answer (text if not JSON, None if empty)."""
        async with self.session.request(
            method,
            self.base_url + path,
            json=json_body,
            data=None if form is None else dict(form),
            headers=self._headers(),
            timeout=aiohttp.ClientTimeout(total=60),
        ) as resp:
            text = await resp.text()
            if resp.status not in ok:
                raise HassApiError(
                    f"{method} {path} -> HTTP {resp.status}: {text[:500]}"
                )
            if not text:
                return None
            try:
                return json.loads(text)
            except ValueError:
                return text  # e.g. aiohttp's plain-text 404 page

    # -- start-up and authentication -------------------------------------------------------

    async def wait_http(
        self, proc: ManagedProcess | None, within: float = 120.0
    ) -> None:
        """Wait until the HTTP server answers (the login providers need no login)."""
        deadline = time.monotonic() + within
        while True:
            if proc is not None:
                proc.check_alive()
            # Any HTTP answer will do (before onboarding this one is a 4xx).
            with contextlib.suppress(aiohttp.ClientError, OSError, HassApiError):
                await self.request("GET", "/auth/providers", ok=tuple(range(200, 500)))
                return
            if time.monotonic() > deadline:
                tail = "" if proc is None else proc.log_tail()
                raise RunnerError(
                    f"Home Assistant did not answer within {within:.0f} s:\n{tail}"
                )
            await asyncio.sleep(0.25)

    async def onboarding_status(self) -> dict[str, bool]:
        """Return {step: done} of the onboarding (empty once it is complete)."""
        steps = await self.request("GET", "/api/onboarding", ok=(200, 404))
        if not isinstance(steps, list):
            return {}  # onboarding finished: its views are not registered any more
        return {item["step"]: bool(item["done"]) for item in steps}

    async def _exchange_code(self, code: str) -> None:
        tokens = await self.request(
            "POST",
            "/auth/token",
            form={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        )
        self.access_token = tokens["access_token"]
        self.refresh_token = tokens.get("refresh_token")

    async def onboard(self, owner: Owner, language: str = "en") -> None:
        """Create the owner and finish every onboarding step, leaving us logged in."""
        status = await self.onboarding_status()
        if not status.get("user", False):
            answer = await self.request(
                "POST",
                "/api/onboarding/users",
                json_body={
                    "client_id": self.client_id,
                    "name": owner.name,
                    "username": owner.username,
                    "password": owner.password,
                    "language": language,
                },
            )
            await self._exchange_code(answer["auth_code"])
        else:
            await self.login(owner)
        if not status.get("core_config", False):
            await self.request("POST", "/api/onboarding/core_config", json_body={})
        if not status.get("analytics", False):
            await self.request("POST", "/api/onboarding/analytics", json_body={})
        if not status.get("integration", False):
            await self.request(
                "POST",
                "/api/onboarding/integration",
                json_body={
                    "client_id": self.client_id,
                    "redirect_uri": self.base_url + "/?auth_callback=1",
                },
            )

    async def login(self, owner: Owner) -> None:
        """Log in through the login flow the frontend uses."""
        flow = await self.request(
            "POST",
            "/auth/login_flow",
            json_body={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.base_url + "/?auth_callback=1",
            },
        )
        result = await self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            json_body={
                "client_id": self.client_id,
                "username": owner.username,
                "password": owner.password,
            },
        )
        if result.get("type") != "create_entry":
            raise HassApiError(f"login failed: {result.get('errors')}")
        await self._exchange_code(result["result"])

    async def wait_running(
        self, proc: ManagedProcess | None, within: float = 120.0
    ) -> None:
        """Wait until Home Assistant reports it has finished starting."""
        deadline = time.monotonic() + within
        state = "?"
        while True:
            if proc is not None:
                proc.check_alive()
            config = await self.request("GET", "/api/config")
            state = config.get("state", "?")
            if state == "RUNNING":
                return
            if time.monotonic() > deadline:
                raise RunnerError(f"Home Assistant still {state} after {within:.0f} s")
            await asyncio.sleep(0.25)

    # -- config entries and flows ------------------------------------------------------------

    async def config_entries(self, domain: str = DOMAIN) -> list[dict[str, Any]]:
        """Return the config entries of domain."""
        entries: list[dict[str, Any]] = await self.request(
            "GET", f"/api/config/config_entries/entry?domain={domain}"
        )
        return entries

    async def start_flow(self, handler: str = DOMAIN) -> dict[str, Any]:
        """Start a config flow like the "Add integration" dialog does."""
        result: dict[str, Any] = await self.request(
            "POST",
            "/api/config/config_entries/flow",
            json_body={"handler": handler, "show_advanced_options": False},
        )
        return result

    async def flow_step(self, flow_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """Submit a config flow form."""
        result: dict[str, Any] = await self.request(
            "POST", f"/api/config/config_entries/flow/{flow_id}", json_body=dict(data)
        )
        return result

    async def add_router(
        self, *, host: str, password: str, ssl: bool = False, verify_ssl: bool = False
    ) -> dict[str, Any]:
        """Add the integration through its user step; return the created entry."""
        form = await self.start_flow()
        if form.get("type") != "form" or form.get("step_id") != "user":
            raise HassApiError(f"config flow did not show the user form: {form}")
        result = await self.flow_step(
            form["flow_id"],
            {"host": host, "password": password, "ssl": ssl, "verify_ssl": verify_ssl},
        )
        if result.get("type") != "create_entry":
            raise HassApiError(
                f"config flow did not create an entry: type={result.get('type')}"
                f" errors={result.get('errors')} reason={result.get('reason')}"
            )
        entry: dict[str, Any] = result["result"]
        return entry

    async def set_options(
        self, entry_id: str, data: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Run the options flow of an entry with data."""
        form = await self.request(
            "POST",
            "/api/config/config_entries/options/flow",
            json_body={"handler": entry_id, "show_advanced_options": False},
        )
        if form.get("type") != "form":
            raise HassApiError(f"options flow did not show a form: {form}")
        result: dict[str, Any] = await self.request(
            "POST",
            f"/api/config/config_entries/options/flow/{form['flow_id']}",
            json_body=dict(data),
        )
        if result.get("type") != "create_entry":
            raise HassApiError(f"options flow failed: {result}")
        return result

    async def reload_entry(self, entry_id: str) -> None:
        """Reload a config entry."""
        await self.request(
            "POST", f"/api/config/config_entries/entry/{entry_id}/reload"
        )

    async def remove_entry(self, entry_id: str) -> None:
        """Delete a config entry."""
        await self.request("DELETE", f"/api/config/config_entries/entry/{entry_id}")

    # -- states and services -----------------------------------------------------------------

    async def states(self) -> list[dict[str, Any]]:
        """Return every entity state."""
        states: list[dict[str, Any]] = await self.request("GET", "/api/states")
        return states

    async def state(self, entity_id: str) -> dict[str, Any] | None:
        """Return one entity's state, or None when it has none."""
        try:
            state: dict[str, Any] = await self.request(
                "GET", f"/api/states/{entity_id}"
            )
        except HassApiError as err:
            if "HTTP 404" in str(err):
                return None
            raise
        return state

    async def call_service(
        self, domain: str, service: str, data: Mapping[str, Any] | None = None
    ) -> Any:
        """Call a service and wait for it to finish."""
        return await self.request(
            "POST", f"/api/services/{domain}/{service}", json_body=dict(data or {})
        )

    async def wait_state(
        self,
        entity_id: str,
        predicate: Any,
        *,
        within: float,
        what: str = "",
        interval: float = 0.25,
    ) -> dict[str, Any]:
        """Poll an entity until predicate(state_dict) holds; return that state."""
        deadline = time.monotonic() + within
        last: dict[str, Any] | None = None
        while True:
            last = await self.state(entity_id)
            if last is not None and predicate(last):
                return last
            if time.monotonic() > deadline:
                shown = None if last is None else last.get("state")
                raise RunnerError(
                    f"{entity_id} did not become {what or 'as expected'} within"
                    f" {within:.0f} s (last state: {shown!r})"
                )
            await asyncio.sleep(interval)

    # -- WebSocket ---------------------------------------------------------------------------

    def websocket(self) -> HassWebSocket:
        """Return an (unopened) WebSocket API connection; use `async with`."""
        if self.access_token is None:
            raise RunnerError("log in before opening the WebSocket API")
        return HassWebSocket(self.base_url, self.access_token, self.session)


class HassWebSocket:
    """A small client of Home Assistant's WebSocket API (one command at a time)."""

    def __init__(
        self, base_url: str, token: str, session: aiohttp.ClientSession
    ) -> None:
        """Connect to base_url's /api/websocket with token on enter."""
        self._url = base_url.replace("http://", "ws://", 1) + "/api/websocket"
        self._token = token
        self._session = session
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._next_id = 1

    async def __aenter__(self) -> Self:
        """Connect and authenticate."""
        self._ws = await self._session.ws_connect(self._url, max_msg_size=0)
        hello = await self._ws.receive_json()
        if hello.get("type") != "auth_required":
            raise HassApiError(f"unexpected WebSocket greeting: {hello}")
        await self._ws.send_json({"type": "auth", "access_token": self._token})
        answer = await self._ws.receive_json()
        if answer.get("type") != "auth_ok":
            raise HassApiError(f"WebSocket authentication failed: {answer.get('type')}")
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Close the connection."""
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def command(self, msg_type: str, **payload: Any) -> Any:
        """Send one command and return its result."""
        if self._ws is None:
            raise RunnerError("WebSocket is not connected")
        msg_id = self._next_id
        self._next_id += 1
        await self._ws.send_json({"id": msg_id, "type": msg_type, **payload})
        while True:
            answer = await asyncio.wait_for(self._ws.receive_json(), 60)
            if answer.get("id") != msg_id or answer.get("type") != "result":
                continue  # events of earlier subscriptions
            if not answer.get("success"):
                raise HassApiError(f"{msg_type} failed: {answer.get('error')}")
            return answer.get("result")

    async def entity_registry(self) -> list[dict[str, Any]]:
        """Return the entity registry."""
        entries: list[dict[str, Any]] = await self.command(
            "config/entity_registry/list"
        )
        return entries

    async def device_registry(self) -> list[dict[str, Any]]:
        """Return the device registry."""
        devices: list[dict[str, Any]] = await self.command(
            "config/device_registry/list"
        )
        return devices

    async def enable_entity(self, entity_id: str) -> None:
        """Enable a disabled entity (takes effect after a reload of its entry)."""
        await self.command(
            "config/entity_registry/update", entity_id=entity_id, disabled_by=None
        )
