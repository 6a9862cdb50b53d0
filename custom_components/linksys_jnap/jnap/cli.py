"""Command line of the JNAP library: ``info``, ``poll``, ``call`` and ``record``.

Run as ``python -m custom_components.linksys_jnap.jnap`` from this repository, or as
``linksys-jnap`` from the library's wheel (``jnap-lib/``). The admin password comes from the
environment variable ``LINKSYS_JNAP_PASSWORD`` or a prompt, never from the command line, and
is never printed: messages and log lines are scrubbed of it.

Exit codes: 0 done, 1 the router refused or failed the request, 2 usage, 3 router unreachable
(or no answer in time), 4 password refused, 5 password checks throttled or account locked.

Over 500 lines on purpose: one command per section, each its own parser, table and errors;
split across modules they would only import each other's formatting helpers.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
import getpass
import json
import logging
import os
from pathlib import Path
import sys
from typing import Any, Final, TextIO

import aiohttp

from . import (
    ACTIONS,
    FAMILIES,
    POLL_PARTS,
    Capabilities,
    Device,
    DeviceInfo,
    JNAPAccountLockedError,
    JNAPAuthenticationError,
    JNAPClient,
    JNAPConnectionError,
    JNAPError,
    JNAPPasswordThrottledError,
    JNAPProtocolError,
    JNAPTimeoutError,
    JNAPUnsupportedActionError,
    NetworkConnection,
    PollResult,
    needs_password,
    short_name,
)
from .presence import DeviceRole, device_roles
from .redact import Redactor

PROG: Final = "linksys-jnap"
PASSWORD_ENV: Final = "LINKSYS_JNAP_PASSWORD"  # noqa: S105 - the variable's name
HOST_ENV: Final = "LINKSYS_JNAP_HOST"
DEFAULT_HOST: Final = "192.168.1.1"

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
EXIT_USAGE: Final = 2
EXIT_UNREACHABLE: Final = 3
EXIT_AUTH: Final = 4
EXIT_THROTTLED: Final = 5

RECORD_SOURCE: Final = "linksys-jnap record"
"""``source`` of a recording made by ``record``."""

# Reads ``record`` leaves out: the router's traffic logs (the household's connections; they
# also need paging requests).
_NOT_RECORDED: Final = frozenset(
    {
        "routerlog/GetDHCPLogEntries",
        "routerlog/GetIncomingLogEntries",
        "routerlog/GetOutgoingLogEntries",
        "routerlog/GetSecurityLogEntries",
    }
)
_HINT_KEY: Final = "passwordHint"

_LOGGER = logging.getLogger(__package__)


class CLIError(Exception):
    """A failure to report as one line on stderr, with its exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        """Keep the message and exit code."""
        super().__init__(message)
        self.message = message
        self.code = code


class _PasswordGuard(logging.Filter):
    """Scrub the password from every log line (the client never logs it; belt and braces)."""

    def __init__(self, password: Callable[[], str]) -> None:
        super().__init__()
        self._password = password

    def filter(self, record: logging.LogRecord) -> bool:
        secret = self._password()
        if secret:
            message = record.getMessage()
            if secret in message:
                record.msg = message.replace(secret, "***")
                record.args = None
        return True


# --- arguments ---------------------------------------------------------------------------


class _RefusePassword(argparse.Action):
    """``--password`` exists only to refuse it without echoing its value."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        parser.error(
            f"the password is never taken from the command line (it would land in the "
            f"shell history and the process list): set {PASSWORD_ENV} or answer the prompt"
        )


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (``--help`` describes every command)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Talk JNAP to a Linksys Smart Wi-Fi or Velop router. The admin password is read "
            f"from ${PASSWORD_ENV} or asked for; it is never taken from the command line."
        ),
        epilog=(
            "exit codes: 0 done, 1 refused or failed, 2 usage, 3 unreachable, "
            "4 wrong password, 5 password checks throttled or account locked"
        ),
    )
    parser.add_argument(
        "-H",
        "--host",
        default=None,
        help=(
            f"router address, optionally with :port (default: ${HOST_ENV}, "
            f"else {DEFAULT_HOST})"
        ),
    )
    parser.add_argument(
        "--https", action="store_true", help="talk HTTPS instead of HTTP"
    )
    parser.add_argument(
        "--verify-ssl",
        action="store_true",
        help="with --https, check the router's certificate",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="seconds to wait for each answer (default 10)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log every request to stderr"
    )
    parser.add_argument(
        "--password", nargs="?", action=_RefusePassword, help=argparse.SUPPRESS
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    info = commands.add_parser(
        "info",
        help="model, firmware, services and chosen action versions (no password)",
        description=(
            "Show the model, firmware, listed services and the action version the library "
            "chooses for each family. Needs no password."
        ),
    )
    info.add_argument("--json", action="store_true", help="print JSON instead")

    commands.add_parser(
        "poll",
        help="one poll, printed as a table",
        description="Run one poll (what Home Assistant reads each interval) and print it.",
    )

    call = commands.add_parser(
        "call",
        help="run one action and print its output as JSON",
        description=(
            "Run one JNAP action, e.g. 'router/GetWANStatus3' or its full URI, and print "
            "its output as JSON."
        ),
    )
    call.add_argument("action", metavar="ACTION", help="short name or full URI")
    call.add_argument(
        "body",
        metavar="JSON",
        nargs="?",
        default=None,
        help="request body, a JSON object ('-' reads it from stdin; default {})",
    )

    record = commands.add_parser(
        "record",
        help="record every read answer, redacted, for a bug report",
        description=(
            "Record the router's services and the answers of every read action it lists, "
            "redacted as Home Assistant's diagnostics are (MACs become pseudonyms, serials, "
            "SSIDs, passphrases and the WAN address are replaced), in the replay router's "
            "format (tests/fixtures/real/README.md). Attach FILE to a bug report about a "
            "model the integration does not know yet."
        ),
    )
    record.add_argument("file", metavar="FILE", help="where to write ('-': stdout)")
    return parser


# --- entry points ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(run(args))
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


async def run(
    args: argparse.Namespace,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
    ask_password: Callable[[str], str] = getpass.getpass,
) -> int:
    """Run one parsed command; return the exit code (errors become one line on ``err``)."""
    cli = _Command(
        args,
        out=out or sys.stdout,
        err=err or sys.stderr,
        environ=os.environ if environ is None else environ,
        ask_password=ask_password,
    )
    return await cli.run()


class _Command:
    """One invocation: its streams, its password (once read) and its client."""

    def __init__(
        self,
        args: argparse.Namespace,
        *,
        out: TextIO,
        err: TextIO,
        environ: Mapping[str, str],
        ask_password: Callable[[str], str],
    ) -> None:
        self.args = args
        self.out = out
        self.err = err
        self.environ = environ
        self.ask_password = ask_password
        self.password = ""
        self.host = args.host or environ.get(HOST_ENV) or DEFAULT_HOST

    def scrub(self, text: str) -> str:
        """``text`` without the password."""
        return text.replace(self.password, "***") if self.password else text

    def read_password(self) -> str:
        """Return the admin password from the environment, else from a prompt."""
        value = self.environ.get(PASSWORD_ENV)
        if value:
            self.password = value
            return value
        try:
            value = self.ask_password(f"Admin password of {self.host}: ")
        except EOFError:
            value = ""
        if not value:
            raise CLIError(
                f"no password: set {PASSWORD_ENV} or answer the prompt in a terminal",
                EXIT_USAGE,
            )
        self.password = value
        return value

    async def run(self) -> int:
        guard = _PasswordGuard(lambda: self.password)
        handler: logging.Handler | None = None
        if self.args.verbose:
            handler = logging.StreamHandler(self.err)
            handler.setFormatter(
                logging.Formatter("%(levelname)s %(name)s: %(message)s")
            )
            handler.addFilter(guard)
            _LOGGER.addHandler(handler)
            _LOGGER.setLevel(logging.DEBUG)
        try:
            await self._dispatch()
        except CLIError as error:
            self._fail(error.message)
            return error.code
        except JNAPError as error:
            message, code = self._explain(error)
            self._fail(message)
            return code
        finally:
            if handler is not None:
                _LOGGER.removeHandler(handler)
        return EXIT_OK

    def _fail(self, message: str) -> None:
        print(f"{PROG}: error: {message}", file=self.err)

    async def _dispatch(self) -> None:
        command = self.args.command
        password = ""
        if command in ("poll", "record") or (
            command == "call" and needs_password(self.args.action)
        ):
            password = self.read_password()
        body = self._call_body() if command == "call" else None
        async with aiohttp.ClientSession() as session:
            try:
                client = JNAPClient(
                    self.host,
                    password,
                    session,
                    use_https=self.args.https,
                    verify_ssl=self.args.verify_ssl,
                    timeout=self.args.timeout,
                )
            except ValueError as error:
                raise CLIError(f"bad host {self.host!r}: {error}", EXIT_USAGE) from None
            if command == "info":
                await self._info(client)
            elif command == "poll":
                await self._poll(client)
            elif command == "call":
                await self._call(client, body or {})
            else:
                await self._record(client)

    def _explain(self, error: JNAPError) -> tuple[str, int]:
        """Return a sentence for a typed error, and the exit code.

        Only the router's own text is scrubbed (the client already removed any echo of
        the password from it): scrubbing the whole sentence would mangle a password such
        as "wrong" or "router" wherever the word occurs.
        """
        host = self.host
        detail = self.scrub(error.message)
        if isinstance(error, JNAPPasswordThrottledError):
            wait = (
                f"for {error.delay_seconds} more seconds"
                if error.delay_seconds is not None
                else "for a while"
            )
            return (
                (
                    f"{host} refuses password checks {wait} after too many wrong "
                    "passwords: wait, then try again with the right password"
                ),
                EXIT_THROTTLED,
            )
        if isinstance(error, JNAPAccountLockedError):
            return (
                (
                    f"{host} locked its admin account after too many wrong passwords: "
                    "restart the router (or wait until it unlocks), then use the right "
                    "password"
                ),
                EXIT_THROTTLED,
            )
        if isinstance(error, JNAPAuthenticationError):
            source = f" from ${PASSWORD_ENV}" if self.environ.get(PASSWORD_ENV) else ""
            left = (
                f" ({error.attempts_remaining} attempts remain before it locks)"
                if error.attempts_remaining is not None
                else ""
            )
            return f"{host} refused the admin password{source}{left}", EXIT_AUTH
        if isinstance(error, JNAPTimeoutError):
            return (
                (
                    f"{host} did not answer within {self.args.timeout:g} s: is it up, and "
                    "is this machine on its network?"
                ),
                EXIT_UNREACHABLE,
            )
        if isinstance(error, JNAPConnectionError):
            return (
                (
                    f"cannot reach {host} ({_reason(error)}): check the address, and that "
                    "this machine is on the router's network"
                ),
                EXIT_UNREACHABLE,
            )
        if isinstance(error, JNAPProtocolError):
            return f"{host} answered, but not as a JNAP router: {detail}", EXIT_FAILED
        if isinstance(error, JNAPUnsupportedActionError):
            return f"{host} does not offer this action: {detail}", EXIT_FAILED
        return f"{host} refused the request: {detail}", EXIT_FAILED

    # --- info ----------------------------------------------------------------------------

    async def _info(self, client: JNAPClient) -> None:
        info, admin_default = await client.read_router_info()
        caps = client.capabilities
        assert caps is not None
        chosen = _chosen_versions(caps)
        unknown = _unknown_services(caps)
        if self.args.json:
            data = {
                "host": client.host,
                "model": info.model_number,
                "description": info.description,
                "manufacturer": info.manufacturer,
                "hardware_version": info.hardware_version,
                "firmware": info.firmware_version,
                "firmware_date": info.firmware_date,
                "admin_password_default": admin_default,
                "services": sorted(caps.services),
                "services_without_known_actions": unknown,
                "chosen_actions": chosen,
                "poll_actions": client.poll_actions(),
            }
            self._print(json.dumps(data, indent=2, ensure_ascii=False))
            return
        self._print_info(client, info, admin_default, chosen, unknown)

    def _print_info(
        self,
        client: JNAPClient,
        info: DeviceInfo,
        admin_default: bool | None,
        chosen: Mapping[str, str],
        unknown: Sequence[str],
    ) -> None:
        firmware = info.firmware_version or "?"
        if info.firmware_date:
            firmware += f" ({info.firmware_date})"
        rows = [
            ("Router", client.host),
            ("Model", _join(info.model_number, info.description)),
            ("Manufacturer", info.manufacturer or "?"),
            ("Hardware version", info.hardware_version or "?"),
            ("Firmware", firmware),
            ("Default admin password", _yes_no(admin_default)),
        ]
        for label, value in rows:
            self._print(f"{label + ':':<24}{value}")
        caps = client.capabilities
        assert caps is not None
        self._print(f"\nServices ({len(caps.services)}):")
        for service in sorted(caps.services):
            mark = "  (no action known to this library)" if service in unknown else ""
            self._print(f"  {service}{mark}")
        self._print("\nChosen versions (highest the router lists, of each family):")
        width = max((len(f) for f in chosen), default=0)
        for family, action in chosen.items():
            self._print(f"  {family:<{width}}  {short_name(action).rsplit('/', 1)[1]}")
        self._print(
            "\nA poll sends: " + (", ".join(client.poll_actions()) or "nothing")
        )

    # --- poll ----------------------------------------------------------------------------

    async def _poll(self, client: JNAPClient) -> None:
        result = await client.poll()
        for line in format_poll(result):
            self._print(line)

    # --- call ----------------------------------------------------------------------------

    def _call_body(self) -> dict[str, Any]:
        text = self.args.body
        if text is None:
            return {}
        if text == "-":
            text = sys.stdin.read()
        try:
            body = json.loads(text)
        except ValueError as error:
            raise CLIError(f"JSON: not valid JSON ({error})", EXIT_USAGE) from None
        if not isinstance(body, dict):
            raise CLIError("JSON: the request body must be a JSON object", EXIT_USAGE)
        return body

    async def _call(self, client: JNAPClient, body: Mapping[str, Any]) -> None:
        output = await client.call_action(self.args.action, body)
        self._print(json.dumps(dict(output), indent=2, ensure_ascii=False))

    # --- record --------------------------------------------------------------------------

    async def _record(self, client: JNAPClient) -> None:
        await client.get_device_info()
        caps = client.capabilities
        assert caps is not None
        # A wrong password fails here, not as a recording full of _ErrorUnauthorized.
        await client.check_admin_password()
        recording = await client.record(read_actions(caps))
        recording["source"] = RECORD_SOURCE
        redacted = redact_recording(recording, self.password)
        text = json.dumps(redacted, indent=2, ensure_ascii=False) + "\n"
        answers: Mapping[str, Mapping[str, Any]] = redacted["answers"]
        failed = sorted(a for a, answer in answers.items() if answer["result"] != "OK")
        if self.args.file == "-":
            self.out.write(text)
        else:
            path = Path(self.args.file)
            try:
                await asyncio.to_thread(path.write_text, text, encoding="utf-8")
            except OSError as error:
                raise CLIError(f"cannot write {path}: {error.strerror}") from None
            print(
                f"Recorded {len(answers)} answers of {redacted['model'] or '?'} "
                f"{redacted['firmware'] or '?'} to {path} (redacted)",
                file=self.out,
            )
        if failed:
            print(
                f"{len(failed)} actions failed (their answers are in the file): "
                + ", ".join(failed),
                file=self.err,
            )

    def _print(self, line: str) -> None:
        print(line, file=self.out)


# --- helpers (public for the tests) ---------------------------------------------------------


def read_actions(caps: Capabilities) -> list[str]:
    """Every read action of the catalogue that ``caps`` lists (all versions), sorted.

    Reads are ``Get*``/``Is*`` actions; ``core/GetDeviceInfo`` is recorded anyway, and the
    traffic logs are left out.
    """
    return sorted(
        spec.short
        for spec in ACTIONS.values()
        if spec.name.startswith(("Get", "Is"))
        and spec.short != "core/GetDeviceInfo"
        and spec.short not in _NOT_RECORDED
        and caps.has_action(spec.short)
    )


def redact_recording(recording: Mapping[str, Any], password: str = "") -> Any:
    """Return a copy of a recording redacted as diagnostics are, the password hint too."""
    redacted = Redactor(recording).apply(recording)
    return _hide(redacted, password)


def _hide(value: Any, password: str, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _hide(v, password, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_hide(v, password, key) for v in value]
    if isinstance(value, str) and value and (key == _HINT_KEY or value == password):
        return "*" * len(value)
    return value


def _chosen_versions(caps: Capabilities) -> dict[str, str]:
    """Return family -> the version the library uses, for each family with a choice."""
    chosen: dict[str, str] = {}
    for family, specs in sorted(FAMILIES.items()):
        action = caps.version_of(family)
        if action is not None and len(specs) > 1:
            chosen[family] = action
    return chosen


def _unknown_services(caps: Capabilities) -> list[str]:
    """Return the listed services no catalogue action belongs to (new-model hints)."""
    known = {spec.service for spec in ACTIONS.values()}
    return sorted(s for s in caps.services if s not in known)


def _reason(error: JNAPConnectionError) -> str:
    """Return why a connection failed, from the OS error behind it when there is one."""
    cause: BaseException | None = error.__cause__
    while cause is not None:
        if (
            isinstance(cause, OSError)
            and isinstance(cause.errno, int)
            and cause.errno > 0
        ):
            return os.strerror(cause.errno).lower()
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror.lower()
        cause = cause.__cause__ or getattr(cause, "os_error", None)
    return type(error.__cause__).__name__ if error.__cause__ else "no connection"


def _join(*parts: str | None) -> str:
    return " - ".join(p for p in parts if p) or "?"


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def _on_off(value: bool | None) -> str:
    return "?" if value is None else "on" if value else "off"


def _connection_text(connection: NetworkConnection, nodes: Mapping[str, str]) -> str:
    if connection.is_wireless:
        text = connection.band or "Wi-Fi"
        if connection.signal_dbm is not None:
            text += f" {connection.signal_dbm} dBm"
    else:
        text = "wired"
    if connection.speed_mbps is not None:
        text += f" {connection.speed_mbps:g} Mbit/s"
    if connection.is_guest:
        text += " guest"
    if connection.node_id is not None:
        text += f" via {nodes.get(connection.node_id, connection.node_id)}"
    return text


def _listed_connections(result: PollResult) -> dict[str, str]:
    """MAC -> connection text of the clients only the device list shows connected.

    Only ``GetDevices3`` prunes ``connections`` to live MACs (v1 keeps stale ones). With
    the routers' connection lists beside it, it only adds wired clients (of satellites).
    """
    if result.devices is None or not result.actions.get("devices", "").endswith("3"):
        return {}
    alone = result.connections is None and result.node_connections is None
    roles = device_roles(result.devices.devices)
    listed: dict[str, str] = {}
    for device in result.devices.devices:
        if roles[device.device_id] is not DeviceRole.CLIENT:
            continue
        for conn in device.connections:
            kind = next(
                (i.interface_type for i in device.interfaces if i.mac == conn.mac), None
            )
            band = next((i.band for i in device.interfaces if i.mac == conn.mac), None)
            if alone or (kind != "Wireless" and not conn.is_guest):
                text = band or ("wired" if kind == "Wired" else kind or "connected")
                listed[conn.mac] = text + (" guest" if conn.is_guest else "")
    return listed


def _client_rows(result: PollResult) -> list[tuple[str, str, str, str]]:
    """Return (MAC, IP, name, connection) of every connected client, by name."""
    devices = result.devices.devices if result.devices is not None else ()
    # The nodes' station lists name the node: their entry wins over the router's own.
    live: dict[str, NetworkConnection] = {}
    for connection in (*(result.node_connections or ()), *(result.connections or ())):
        live.setdefault(connection.mac, connection)
    roles = device_roles(devices, live)
    nodes = {
        d.device_id: d.name for d in devices if roles[d.device_id] is DeviceRole.NODE
    }
    by_mac: dict[str, Device] = {}
    for known_device in devices:
        for mac in (*known_device.macs, *(c.mac for c in known_device.connections)):
            by_mac.setdefault(mac, known_device)
    texts = {mac: _connection_text(conn, nodes) for mac, conn in live.items()}
    for mac, text in _listed_connections(result).items():
        texts.setdefault(mac, text)
    rows: list[tuple[str, str, str, str]] = []
    for mac, text in texts.items():
        device = by_mac.get(mac)
        if device is not None and roles[device.device_id] is not DeviceRole.CLIENT:
            continue  # a node's backhaul station, not a client
        ip = None
        if device is not None:
            ip = next((c.ip_address for c in device.connections if c.mac == mac), None)
        name = device.name if device is not None else "?"
        rows.append((mac, ip or "-", name, text))
    rows.sort(key=lambda row: (row[2].casefold(), row[0]))
    return rows


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    rows = [list(header), *(list(r) for r in rows)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    return [
        "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]


def _part_line(result: PollResult, part: str) -> str | None:
    """One line for a settings part (None: nothing to say about it)."""
    value = getattr(result, part)
    if value is None:
        return None
    if part == "guest_network":
        radios = ", ".join(
            f"{r.radio_id} {_on_off(r.is_enabled)}" for r in value.radios
        )
        return f"Guest network: {_on_off(value.is_enabled)}" + (
            f" ({radios})" if radios else ""
        )
    if part == "leds":
        return f"LEDs: {_on_off(value.is_switchport_led_enabled)}"
    if part == "parental_control":
        enabled = sum(1 for r in value.rules if r.is_enabled)
        return (
            f"Parental control: {_on_off(value.is_enabled)}, {len(value.rules)} rules "
            f"({enabled} enabled)"
        )
    if part == "firmware_update":
        if value.pending_operation is not None:
            op = value.pending_operation
            state = f"{op.operation or 'operation'} in progress"
            if op.progress_percent is not None:
                state += f" ({op.progress_percent}%)"
        elif value.available_update is not None:
            state = (
                f"{value.available_update.firmware_version or 'an update'} available"
            )
        else:
            state = "up to date"
        checked = value.last_successful_check_time or "never"
        return f"Firmware update: {state} (last check {checked})"
    if part == "qos":
        return f"QoS: {_on_off(value.is_qos_enabled)}, {len(value.device_rules)} device rules"
    return _health_line(part, value)


def _health_line(part: str, value: Any) -> str | None:
    """One line for a health part (speed test, system stats, internet, WPS)."""
    if part == "speed_tests":
        last = value.latest
        if last is None:
            return "Speed test: no successful test"
        return (
            f"Speed test: {last.download_mbps} / {last.upload_mbps} Mbit/s down/up, "
            f"{last.latency_ms} ms ({last.timestamp:%Y-%m-%d %H:%M} UTC)"
        )
    if part == "speed_test_status":
        return "Speed test: running" if value.running else None
    if part == "system_stats":
        loads = [
            f"{name} {load}%"
            for name, load in (
                ("CPU", value.cpu_load_percent),
                ("memory", value.memory_load_percent),
            )
            if load is not None
        ]
        return f"Uptime: {value.uptime_seconds} s" + (
            f", {', '.join(loads)}" if loads else ""
        )
    if part == "internet":
        return f"Internet check: {value.status}"
    if part == "wps_settings":
        return f"WPS: {_on_off(value.enabled)}"
    if part == "wps":
        state = "pairing" if value.in_progress else "idle"
        return f"WPS session: {state}" + (
            f" (last {value.last_result})" if value.last_result else ""
        )
    return f"{part}: {value!r}"  # pragma: no cover - a part added to the poll later


def format_poll(result: PollResult) -> list[str]:
    """Return the lines ``poll`` prints: a client table, WAN, one line per part."""
    lines: list[str] = []
    rows = _client_rows(result)
    lines.append(f"Clients ({len(rows)}):")
    if rows:
        lines += [
            "  " + line for line in _table(("MAC", "IP", "NAME", "CONNECTION"), rows)
        ]
    lines.append("")
    wan = result.wan_status
    if wan is not None:
        connection = wan.connection
        details = [
            wan.wan_status or "?",
            (connection.wan_type if connection else None) or wan.detected_wan_type,
            wan.ip_address,
        ]
        if connection is not None and connection.gateway:
            details.append(f"gateway {connection.gateway}")
        lines.append("WAN: " + ", ".join(d for d in details if d))
    if result.devices is not None:
        roles = device_roles(result.devices.devices).values()
        nodes = sum(1 for role in roles if role is DeviceRole.NODE)
        lines.append(
            f"Devices: {len(result.devices.devices)} known ({nodes} router/nodes), "
            f"revision {result.devices.revision}"
        )
    for part in POLL_PARTS:
        if part in ("devices", "connections", "node_connections", "wan_status"):
            continue
        line = _part_line(result, part)
        if line is not None:
            lines.append(line)
    for part, error in result.errors.items():
        lines.append(f"{part}: failed ({error.message})")
    missing = [
        p for p in POLL_PARTS if getattr(result, p) is None and p not in result.errors
    ]
    if missing:
        lines.append("Not offered by this router: " + ", ".join(missing))
    lines.append(
        "Actions: " + ", ".join(f"{p}={a}" for p, a in sorted(result.actions.items()))
    )
    return lines
