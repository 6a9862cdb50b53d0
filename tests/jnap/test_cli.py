"""The library's command line (jnap/cli.py) against the simulator and scripted endpoints.

Most tests run a command in this process (``cli.run``: the simulator serves from the test's
event loop); the last ones start ``python -m custom_components.linksys_jnap.jnap`` as a
real process, awaited asynchronously so the loop keeps serving the simulator.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
import io
import json
import logging
import os
from pathlib import Path
import socket
import sys
from typing import Any

from aiohttp import web
import pytest

from custom_components.linksys_jnap.jnap import (
    Capabilities,
    JNAPClient,
    JNAPConnectionError,
    PollResult,
    cli,
)
from custom_components.linksys_jnap.jnap.cli_format import format_poll
from custom_components.linksys_jnap.jnap.recording import (
    RECORD_SOURCE,
    read_actions,
    redact_recording,
)
from tests.replay import ReplayRouter, load_recording
from tests.simulator import RouterSimulator
from tests.simulator.fixtures import RouterFactory
from tests.simulator.testing import LoopbackEndpoint

PASSWORD = "correct horse"
ROOT = Path(__file__).resolve().parents[2]


def _no_prompt(prompt: str) -> str:
    raise AssertionError(f"unexpected password prompt: {prompt}")


class Run:
    """The outcome of one command."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err

    def __repr__(self) -> str:
        return f"Run({self.code}, out={self.out!r}, err={self.err!r})"


async def run_cli(
    *argv: str,
    password: str | None = PASSWORD,
    ask: Callable[[str], str] = _no_prompt,
    environ: Mapping[str, str] | None = None,
) -> Run:
    """Run one command in this process; ``password`` goes to the environment variable."""
    env = dict(environ or {})
    if password is not None:
        env[cli.PASSWORD_ENV] = password
    out, err = io.StringIO(), io.StringIO()
    args = cli.build_parser().parse_args(list(argv))
    code = await cli.run(args, out=out, err=err, environ=env, ask_password=ask)
    return Run(code, out.getvalue(), err.getvalue())


def closed_port() -> int:
    """Return a loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# --- info ----------------------------------------------------------------------------------


async def test_info_needs_no_password(router: RouterSimulator) -> None:
    result = await run_cli("-H", router.host, "info", password=None)
    assert result.code == 0, result
    info = router.state.device_info
    assert info.model_number in result.out
    assert info.firmware_version in result.out
    assert info.serial_number not in result.out
    for service in router.state.services:
        assert f"  {service.removeprefix('http://linksys.com/jnap/')}" in result.out
    # The chosen version of each family with several, and the poll's actions.
    assert "router/GetWANStatus" in result.out
    assert "GetWANStatus2" in result.out
    assert "A poll sends: devicelist/GetDevices" in result.out
    assert "Default admin password: no" in result.out
    assert router.requests[-1].auth == "none"


async def test_info_json(router_factory: RouterFactory) -> None:
    router = await router_factory(profile="velop", password=PASSWORD)
    result = await run_cli("-H", router.host, "info", "--json", password=None)
    assert result.code == 0, result
    data = json.loads(result.out)
    caps = Capabilities(router.state.services)
    assert data["model"] == "MX4200"
    assert data["services"] == sorted(caps.services)
    assert data["chosen_actions"]["router/GetWANStatus"] == "router/GetWANStatus3"
    assert data["chosen_actions"]["devicelist/GetDevices"] == "devicelist/GetDevices3"
    assert "core/Transaction" not in data["chosen_actions"]
    assert "router/GetWANStatus3" in data["poll_actions"]
    assert data["admin_password_default"] is False


async def test_info_marks_services_without_known_actions(
    router: RouterSimulator,
) -> None:
    router.add_service("http://linksys.com/jnap/smartmode/SmartMode9")
    result = await run_cli("-H", router.host, "info", password=None)
    assert "smartmode/SmartMode9  (no action known to this library)" in result.out
    data = json.loads((await run_cli("-H", router.host, "info", "--json")).out)
    assert data["services_without_known_actions"] == ["smartmode/SmartMode9"]


async def test_host_from_environment(router: RouterSimulator) -> None:
    result = await run_cli("info", environ={cli.HOST_ENV: router.host})
    assert result.code == 0, result
    assert router.host in result.out


# --- poll ----------------------------------------------------------------------------------


async def test_poll_prints_clients_and_parts(router: RouterSimulator) -> None:
    result = await run_cli("-H", router.host, "poll")
    assert result.code == 0, result
    lines = result.out.splitlines()
    header = next(line for line in lines if line.strip().startswith("MAC"))
    assert header.split() == ["MAC", "IP", "NAME", "CONNECTION"]
    live = router.state.connections
    assert f"Clients ({len(live)}):" in lines
    for conn in live.values():
        row = next(line for line in lines if conn.mac in line)
        assert ("wired" in row) == (conn.band is None)
    assert any(line.startswith("WAN: Connected, DHCP, ") for line in lines)
    for prefix in (
        "Guest network: on",
        "LEDs: ",
        "Parental control: ",
        "QoS: ",
        "Uptime: 259",
        "WPS session: idle",
        "WPS: on",
        "Single-port forwarding: 0 rules (0 enabled)",
        "Port range forwarding: 0 rules",
        "Port triggering: 0 rules",
        "Ethernet ports: WAN 1Gbps; LAN ",
        "Wi-Fi radios: RADIO_2.4GHz on, RADIO_5GHz on",
        "Wi-Fi schedule: off",
        "Firmware update policy: AutomaticallyCheckAndInstall",
    ):
        assert any(line.startswith(prefix) for line in lines), prefix
    assert any(line.startswith("Firmware update: up to date") for line in lines)
    assert (
        "Not offered by this router: node_connections, backhaul, led_night_mode,"
        " nodes_firmware, speed_tests, speed_test_status, internet" in lines
    )
    assert PASSWORD not in result.out + result.err


async def test_poll_asks_for_the_password(router: RouterSimulator) -> None:
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return PASSWORD

    result = await run_cli("-H", router.host, "poll", password=None, ask=ask)
    assert result.code == 0, result
    assert prompts == [f"Admin password of {router.host}: "]
    assert PASSWORD not in result.out + result.err


@pytest.mark.parametrize("answer", ["", EOFError])
async def test_no_password(router: RouterSimulator, answer: Any) -> None:
    def ask(prompt: str) -> str:
        if isinstance(answer, str):
            return answer
        raise answer

    result = await run_cli("-H", router.host, "poll", password=None, ask=ask)
    assert result.code == cli.EXIT_USAGE
    assert cli.PASSWORD_ENV in result.err
    assert router.requests == []


async def test_poll_of_a_mesh_names_the_nodes(router_factory: RouterFactory) -> None:
    router = await router_factory(profile="velop", password=PASSWORD, clients=8)
    result = await run_cli("-H", router.host, "poll")
    assert result.code == 0, result
    assert " via " in result.out
    assert "router/nodes" in result.out
    assert "node_connections=nodes/networkconnections/" in result.out


def _device(
    device_id: str, macs: list[str], *, wired: bool, guest: bool = False
) -> dict[str, Any]:
    kind = "Wired" if wired else "Wireless"
    return {
        "deviceID": device_id,
        "lastChangeRevision": 1,
        "model": {"deviceType": ""},
        "unit": {},
        "isAuthority": False,
        "friendlyName": device_id,
        "knownInterfaces": [{"macAddress": m, "interfaceType": kind} for m in macs],
        "connections": [
            {"macAddress": m, "ipAddress": "192.168.1.9", "isGuest": guest}
            for m in macs
        ],
        "properties": [],
        "maxAllowedProperties": 16,
    }


def test_format_poll_from_the_device_list_alone() -> None:
    """Without connection lists, GetDevices3 ``connections`` are the presence."""
    from custom_components.linksys_jnap.jnap import (
        DeviceList,
        FirmwareUpdateStatus,
        WANStatus,
    )

    devices = DeviceList.from_json(
        {
            "revision": 7,
            "devices": [
                _device("tv", ["AA:00:00:00:00:01"], wired=True),
                _device("phone", ["AA:00:00:00:00:02"], wired=False, guest=True),
            ],
            "deletedDeviceIDs": [],
        }
    )
    wan = WANStatus.from_json({"wanStatus": "Disconnected", "detectedWANType": "PPPoE"})
    firmware = FirmwareUpdateStatus.from_json(
        {"pendingOperation": {"operation": "Update", "progressPercent": 40}}
    )
    result = PollResult(
        devices=devices,
        wan_status=wan,
        firmware_update=firmware,
        actions={"devices": "devicelist/GetDevices3"},
        errors={"qos": JNAPConnectionError("qos/GetQoSSettings: boom")},
    )
    lines = format_poll(result)
    assert "Clients (2):" in lines
    assert any("AA:00:00:00:00:01" in ln and "wired" in ln for ln in lines)
    assert any("AA:00:00:00:00:02" in ln and "Wireless guest" in ln for ln in lines)
    assert "WAN: Disconnected, PPPoE" in lines
    assert "Devices: 2 known (0 router/nodes), revision 7" in lines
    assert "qos: failed (qos/GetQoSSettings: boom)" in lines
    assert "Firmware update: Update in progress (40%) (last check never)" in lines


def test_format_poll_without_anything() -> None:
    lines = format_poll(PollResult())
    assert lines[0] == "Clients (0):"
    assert lines[-2].startswith("Not offered by this router: devices, connections")


async def test_poll_firmware_update_lines(router: RouterSimulator) -> None:
    router.offer_firmware("9.9.9.999999")
    result = await run_cli("-H", router.host, "poll")
    assert "Firmware update: 9.9.9.999999 available" in result.out


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["poll"], ["record", "-"], ["call", "qos/GetQoSSettings"]]
)
async def test_wrong_password(router: RouterSimulator, command: list[str]) -> None:
    secret = "not the password"
    result = await run_cli("-H", router.host, *command, password=secret)
    assert result.code == cli.EXIT_AUTH, result
    assert f"{router.host} refused the admin password from ${cli.PASSWORD_ENV}" in (
        result.err
    )
    assert "attempts remain" in result.err
    assert secret not in result.out + result.err
    assert result.out == ""


async def test_password_checks_throttled(router: RouterSimulator) -> None:
    for _ in range(5):
        assert (await run_cli("-H", router.host, "poll", password="wrong")).code == 4
    result = await run_cli("-H", router.host, "poll")
    assert result.code == cli.EXIT_THROTTLED, result
    assert "refuses password checks for 30 more seconds after too many wrong" in (
        result.err
    )


async def test_account_locked(router: RouterSimulator) -> None:
    router.state.admin.locked = True
    result = await run_cli("-H", router.host, "poll")
    assert result.code == cli.EXIT_THROTTLED
    assert "locked its admin account" in result.err


async def test_unreachable_host() -> None:
    host = f"127.0.0.1:{closed_port()}"
    result = await run_cli("-H", host, "info")
    assert result.code == cli.EXIT_UNREACHABLE
    assert result.err.startswith(f"linksys-jnap: error: cannot reach {host} (")
    assert "connection refused" in result.err


class Slow(LoopbackEndpoint):
    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        await self.release.wait()
        return web.json_response({"result": "OK", "output": {}})


class Html(LoopbackEndpoint):
    async def handle(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text="<html>login</html>", content_type="text/html")


async def test_no_answer_in_time() -> None:
    server = Slow()
    await server.start()
    try:
        result = await run_cli("-H", server.host, "--timeout", "0.2", "info")
    finally:
        server.release.set()
        await server.stop()
    assert result.code == cli.EXIT_UNREACHABLE
    assert f"{server.host} did not answer within 0.2 s" in result.err


async def test_not_a_jnap_router() -> None:
    server = Html()
    await server.start()
    try:
        result = await run_cli("-H", server.host, "call", "core/GetDeviceInfo")
    finally:
        await server.stop()
    assert result.code == cli.EXIT_FAILED
    assert "answered, but not as a JNAP router" in result.err


async def test_bad_host() -> None:
    result = await run_cli("-H", "http://192.0.2.1/", "info")
    assert result.code == cli.EXIT_USAGE
    assert "not a URL" in result.err


def test_password_on_the_command_line_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.build_parser().parse_args(["--password", "hunter22", "poll"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "never taken from the command line" in err
    assert "hunter22" not in err


@pytest.mark.parametrize(
    ("cause", "reason"),
    [
        (None, "no connection"),
        (ValueError("odd"), "ValueError"),
        (OSError("plain text"), "OSError"),
        (OSError(None, "Odd Failure"), "odd failure"),
    ],
)
def test_reason_of_a_connection_error(cause: BaseException | None, reason: str) -> None:
    error = JNAPConnectionError("x")
    error.__cause__ = cause
    assert cli._reason(error) == reason


def test_main_help_and_interrupt(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    assert exc.value.code == 0
    assert "info" in capsys.readouterr().out

    def interrupted(coro: Any) -> int:
        coro.close()
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.asyncio, "run", interrupted)
    assert cli.main(["info"]) == 130
    assert "interrupted" in capsys.readouterr().err


async def test_verbose_logs_without_the_password(router: RouterSimulator) -> None:
    result = await run_cli("-v", "-H", router.host, "poll")
    assert result.code == 0
    assert "DEBUG" in result.err
    assert "core/Transaction" in result.err
    assert PASSWORD not in result.err
    # Handlers are removed again.
    assert not logging.getLogger(cli.__package__).handlers


def test_log_guard_scrubs_the_password() -> None:
    guard = cli._PasswordGuard(lambda: "s3cret")
    record = logging.LogRecord(
        "x", logging.DEBUG, "f", 1, "echo %s", ("s3cret!",), None
    )
    assert guard.filter(record)
    assert record.getMessage() == "echo ***!"
    empty = cli._PasswordGuard(lambda: "")
    assert empty.filter(record)


# --- call ----------------------------------------------------------------------------------


async def test_call_prints_the_output(router: RouterSimulator) -> None:
    result = await run_cli("-H", router.host, "call", "router/GetWANStatus2")
    assert result.code == 0, result
    assert json.loads(result.out)["wanStatus"] == "Connected"


async def test_call_with_a_body_and_full_uri(router: RouterSimulator) -> None:
    body = json.dumps({"firstEntryIndex": 1, "entryCount": 2})
    result = await run_cli(
        "-H",
        router.host,
        "call",
        "http://linksys.com/jnap/routerlog/GetDHCPLogEntries",
        body,
    )
    assert result.code == 0, result
    assert "entries" in json.loads(result.out)


async def test_call_of_an_open_action_asks_no_password(
    router: RouterSimulator,
) -> None:
    result = await run_cli(
        "-H", router.host, "call", "core/GetAdminPasswordRestrictions", password=None
    )
    assert result.code == 0, result
    assert "maxLength" in json.loads(result.out)


async def test_call_body_from_stdin(
    router: RouterSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"unexpected": 1}'))
    result = await run_cli("-H", router.host, "call", "core/GetDeviceInfo", "-")
    assert result.code == cli.EXIT_FAILED
    assert "refused the request" in result.err
    assert "_ErrorInvalidInput" in result.err


@pytest.mark.parametrize(
    ("body", "message"), [("{", "not valid JSON"), ("[1]", "object")]
)
async def test_call_bad_body(body: str, message: str) -> None:
    result = await run_cli("-H", "127.0.0.1:9", "call", "core/GetDeviceInfo", body)
    assert result.code == cli.EXIT_USAGE
    assert message in result.err


async def test_call_unknown_action(router: RouterSimulator) -> None:
    result = await run_cli("-H", router.host, "call", "nope/GetNothing")
    assert result.code == cli.EXIT_FAILED
    assert "does not offer this action" in result.err


# --- record --------------------------------------------------------------------------------


def _all_strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_all_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _all_strings(v)]
    return [value] if isinstance(value, str) else []


async def test_record_then_replay(
    router: RouterSimulator,
    tmp_path: Path,
    replay_router_factory: Callable[..., Any],
) -> None:
    path = tmp_path / "router.json"
    result = await run_cli("-H", router.host, "record", str(path))
    assert result.code == 0, result
    assert f"to {path} (redacted)" in result.out
    assert result.err == ""
    recording = load_recording(path)
    assert recording["source"] == RECORD_SOURCE
    assert recording["model"] == router.state.device_info.model_number
    answers = recording["answers"]
    # Every read action the router lists, all versions, each answered.
    caps = Capabilities(router.state.services)
    assert set(answers) == {"core/GetDeviceInfo", *read_actions(caps)}
    assert "router/GetWANStatus" in answers
    assert "router/GetWANStatus2" in answers
    assert "routerlog/GetLogSettings" in answers
    assert "routerlog/GetDHCPLogEntries" not in answers
    assert all(a["result"] == "OK" for a in answers.values())
    # Redacted as diagnostics are.
    text = path.read_text(encoding="utf-8")
    strings = _all_strings(recording)
    assert PASSWORD not in text
    assert router.state.device_info.serial_number not in text
    for conn in router.state.connections.values():
        assert conn.mac not in text
        assert conn.mac.replace(":", "") not in text.upper()
    assert (
        answers["core/GetAdminPasswordHint"]["output"]["passwordHint"].strip("*") == ""
    )
    wan = answers["router/GetWANStatus2"]["output"]["wanConnection"]
    assert wan["ipAddress"] == "**REDACTED**"
    assert any(s.startswith("02:00:00:00:00:") for s in strings)

    # The file serves as a router: the CLI polls it like the simulator.
    replay: ReplayRouter = await replay_router_factory(path, password=PASSWORD)
    polled = await run_cli("-H", replay.host, "poll")
    assert polled.code == 0, polled
    original = await run_cli("-H", router.host, "poll")
    count = next(ln for ln in original.out.splitlines() if ln.startswith("Clients"))
    assert count in polled.out.splitlines()
    assert replay.misses == []


async def test_record_of_a_velop(
    router_factory: RouterFactory,
    replay_router_factory: Callable[..., Any],
    tmp_path: Path,
) -> None:
    """A Velop refuses mixing open and password actions: every answer is still recorded."""
    router = await router_factory(profile="velop", password=PASSWORD, clients=6)
    result = await run_cli("-H", router.host, "record", "-")
    assert result.code == 0, result
    recording = json.loads(result.out)
    assert recording["answers"]["devicelist/GetDevices3"]["result"] == "OK"
    # Every action of a listed service answers (WPS under wirelessap/WPSServer included).
    refused = {
        name: a["result"]
        for name, a in recording["answers"].items()
        if a["result"] != "OK"
    }
    assert refused == {}
    assert (
        recording["answers"]["wirelessap/GetWPSServerSessionStatus"]["result"] == "OK"
    )
    path = tmp_path / "velop.json"
    path.write_text(result.out, encoding="utf-8")
    replay = await replay_router_factory(
        path, password=PASSWORD, refuse_mixed_auth=True
    )
    info = await run_cli("-H", replay.host, "info", password=None)
    assert "MX4200" in info.out


async def test_record_reports_failed_answers(
    router: RouterSimulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = JNAPClient.record

    async def record(self: JNAPClient, actions: Any = None) -> dict[str, Any]:
        recording = await real(self, actions)
        recording["answers"]["qos/GetQoSSettings"] = {
            "result": "_ErrorUnexpected",
            "error": "x",
        }
        return recording

    monkeypatch.setattr(JNAPClient, "record", record)
    result = await run_cli("-H", router.host, "record", str(tmp_path / "r.json"))
    assert result.code == 0
    assert "1 actions failed (their answers are in the file): qos/GetQoSSettings" in (
        result.err
    )


async def test_record_to_an_unwritable_path(
    router: RouterSimulator, tmp_path: Path
) -> None:
    result = await run_cli("-H", router.host, "record", str(tmp_path / "no" / "r.json"))
    assert result.code == cli.EXIT_FAILED
    assert "cannot write" in result.err


def test_redact_recording_hides_the_password_and_the_hint() -> None:
    recording = {
        "answers": {
            "core/GetAdminPasswordHint": {
                "result": "OK",
                "output": {"passwordHint": "dog"},
            },
            "x/GetY": {"result": "OK", "output": {"note": ["pw-123", "other"]}},
        }
    }
    redacted = redact_recording(recording, "pw-123")
    assert redacted["answers"]["core/GetAdminPasswordHint"]["output"] == {
        "passwordHint": "***"
    }
    assert redacted["answers"]["x/GetY"]["output"]["note"] == ["******", "other"]


def test_redact_recording_hides_wep_keys() -> None:
    # A WEP radio's keys are 10 or 26 hex digits: no MAC rule catches them, the member does.
    keys = {"key1": "0a1b2c3d4e", "key2": "00112233445566778899aabbcc"}
    recording = {
        "answers": {
            "wirelessap/GetRadioInfo3": {
                "result": "OK",
                "output": {
                    "radios": [
                        {
                            "settings": {
                                "security": "WEP",
                                "wepSettings": {"encryption": "WEP-64", **keys},
                            }
                        }
                    ]
                },
            }
        }
    }
    redacted = redact_recording(recording, "pw-123")
    text = str(redacted)
    assert all(key not in text for key in keys.values())
    assert "WEP-64" in text


# --- the real entry point ------------------------------------------------------------------


async def run_module(*argv: str, password: str | None = PASSWORD) -> Run:
    """Run ``python -m custom_components.linksys_jnap.jnap`` (asynchronously)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINKSYS_JNAP_")}
    if password is not None:
        env[cli.PASSWORD_ENV] = password
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "custom_components.linksys_jnap.jnap",
        *argv,
        cwd=ROOT,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,  # no terminal: getpass cannot prompt
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return Run(proc.returncode, out.decode(), err.decode())


async def test_python_m_info_poll_record(
    router: RouterSimulator, tmp_path: Path
) -> None:
    info, poll, record = await asyncio.gather(
        run_module("-H", router.host, "info", password=None),
        run_module("-H", router.host, "poll"),
        run_module("-H", router.host, "record", str(tmp_path / "r.json")),
    )
    assert info.code == 0, info
    assert router.state.device_info.model_number in info.out
    assert poll.code == 0, poll
    assert "Clients (" in poll.out
    assert record.code == 0, record
    assert load_recording(tmp_path / "r.json")["source"] == RECORD_SOURCE


async def test_python_m_wrong_password_and_no_password(router: RouterSimulator) -> None:
    wrong, missing = await asyncio.gather(
        run_module("-H", router.host, "poll", password="bad secret"),
        run_module("-H", router.host, "poll", password=None),
    )
    assert wrong.code == cli.EXIT_AUTH
    assert "refused the admin password" in wrong.err
    assert "bad secret" not in wrong.out + wrong.err
    assert missing.code == cli.EXIT_USAGE
    assert cli.PASSWORD_ENV in missing.err


async def test_poll_lists_computers_wearing_the_masters_identity(
    replay_router_factory: Callable[..., Any],
) -> None:
    """Clients by jnap/presence.py: no node rows for them, the stale duplicate nowhere."""
    path = ROOT / "tests" / "fixtures" / "real" / "mbe70_oak_borrowed_identity.json"
    replay = await replay_router_factory(path, password=PASSWORD)
    result = await run_cli("-H", replay.host, "poll")
    assert result.code == 0, result
    assert "Devices: 17 known (3 router/nodes), revision 1435" in result.out
    rows = result.out.splitlines()
    assert any("3C:22:FB:E4:4F:18" in r and "ASTWP-29134" in r for r in rows)
    assert any("00:E0:4C:68:01:7A" in r and "Lab desktop" in r for r in rows)
    assert "ASTWP-30211" not in result.out
