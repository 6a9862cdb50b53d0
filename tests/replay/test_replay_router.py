"""Pin the replay router against every real recording, through raw JNAP over HTTP."""

from __future__ import annotations

from collections.abc import Mapping
import copy
import json
from pathlib import Path
from typing import Any, ClassVar

import aiohttp
import pytest

from tests.replay import ReplayRequest, ReplayRouter, SetRules, load_recording
from tests.replay.fixtures import (
    RECORDINGS,
    ReplayRouterFactory,
    recording_id,
    replay_router_factory,  # noqa: F401
)
from tests.replay.router import OPEN_ACTIONS, default_rules
from tests.simulator.actions import ACTIONS
from tests.simulator.schema import InputError, ListOf, Spec, check, invalid
from tests.simulator.testing import PREFIX, RawJnap, basic, entry_results

PW = "replay-pass"
FW_GET = "firmwareupdate/GetFirmwareUpdateSettings"
FW_SET = "firmwareupdate/SetFirmwareUpdateSettings"
GUEST_GET = "guestnetwork/GetGuestRadioSettings2"
GUEST_SET = "guestnetwork/SetGuestRadioSettings2"
DEVICES = "devicelist/GetDevices3"
RECORDING_KEYS = {
    "format",
    "version",
    "source",
    "model",
    "hardware_version",
    "firmware",
    "notes",
    "answers",
}

by_recording = pytest.mark.parametrize("path", RECORDINGS, ids=recording_id)


class StandInRules:
    """A tiny stand-in for tests/simulator/rules.py (used until that module exists).

    Replace, never merge: every member of the Set input, nothing else, checked types.
    """

    SUPPORTED_SETS = frozenset({FW_SET, GUEST_SET})
    FW_SPEC: ClassVar[dict[str, Spec]] = {
        "updatePolicy": str,
        "autoUpdateWindow": {"startMinute": int, "durationMinutes": int},
    }
    GUEST_SPEC: ClassVar[dict[str, Spec]] = {
        "isGuestNetworkEnabled": bool,
        "radios": ListOf(
            {
                "radioID": str,
                "isEnabled": bool,
                "broadcastGuestSSID": bool,
                "guestSSID": str,
                "guestWPAPassphrase": str,
            }
        ),
    }

    def __init__(self, supported: frozenset[str] | None = None) -> None:
        if supported is not None:
            self.SUPPORTED_SETS = supported

    def apply_set(
        self,
        action: str,
        body: Mapping[str, Any],
        read: Any,
    ) -> dict[str, dict[str, Any]]:
        if action == FW_SET:
            check(body, self.FW_SPEC)
            if body["updatePolicy"] not in ("Manual", "AutomaticallyCheckAndInstall"):
                raise invalid('Invalid value for member "updatePolicy"')
            if read(FW_GET) is None:
                raise InputError("_ErrorUnexpected", "no firmware update settings")
            return {FW_GET: dict(copy.deepcopy(body))}
        current = read(GUEST_GET)
        if current is None:
            raise InputError("_ErrorUnexpected", "no guest settings")
        check(body, self.GUEST_SPEC)
        new = copy.deepcopy(dict(current))
        radios = {r["radioID"]: r for r in new["radios"]}
        for radio in body["radios"]:
            if radio["radioID"] not in radios:
                raise invalid(f'Invalid value for member "radioID": {radio["radioID"]}')
            radios[radio["radioID"]].update(radio)
        new["isGuestNetworkEnabled"] = body["isGuestNetworkEnabled"]
        return {GUEST_GET: new}


RULES: SetRules = default_rules() or StandInRules()


def recorded(path: Path) -> dict[str, Any]:
    return load_recording(path)


def services_of(rec: Mapping[str, Any]) -> set[str]:
    services = rec["answers"]["core/GetDeviceInfo"]["output"]["services"]
    return {s.removeprefix(PREFIX) for s in services}


def reads_of(rec: Mapping[str, Any]) -> list[str]:
    """Return the recorded actions that are not writes (and whose service is listed)."""
    services = services_of(rec)
    return [
        name
        for name in rec["answers"]
        if not (name in ACTIONS and ACTIONS[name].write)
        and not (name in ACTIONS and ACTIONS[name].service not in services)
        and not name.rpartition("/")[2].startswith("Set")
    ]


# ---------------------------------------------------------------- the files


@by_recording
def test_recording_file_format(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert set(raw) == RECORDING_KEYS
    assert raw["format"] == "linksys_jnap.recording"
    assert raw["version"] == 1
    for key in ("source", "model", "hardware_version", "firmware", "notes"):
        assert isinstance(raw[key], str)
    for key in ("source", "model", "firmware", "notes"):
        assert raw[key], key
    for name, answer in raw["answers"].items():
        assert not name.startswith("http"), name
        assert name.count("/") >= 1, name
        assert set(answer) <= {"result", "output", "error", "sideEffects"}, name
        assert isinstance(answer["result"], str)
    services = raw["answers"]["core/GetDeviceInfo"]["output"]["services"]
    assert services == sorted(services)  # as recorded: Router10 before Router3
    assert load_recording(path)["answers"] == raw["answers"]


# mx62_maple's GetDeviceInfo is a WHW03's copy: its MX62 answers (GetBackhaulInfo2) need
# services that copy does not list.
BORROWED_DEVICE_INFO = frozenset({"mx62_maple"})


@by_recording
def test_catalogue_agrees_with_recording(path: Path) -> None:
    """Every recorded action the simulator's catalogue knows has its service listed."""
    if path.stem in BORROWED_DEVICE_INFO:
        pytest.skip(
            "its GetDeviceInfo is another router's (tests/fixtures/real/README.md)"
        )
    rec = recorded(path)
    services = services_of(rec)
    for name in rec["answers"]:
        if name in ACTIONS:
            assert ACTIONS[name].service in services, name


def test_load_recording_from_a_diagnostics_file(tmp_path: Path) -> None:
    rec = json.loads(RECORDINGS[0].read_text(encoding="utf-8"))
    wrapped = {"home_assistant": {"version": "x"}, "data": {"recording": rec}}
    file = tmp_path / "config_entry-linksys_jnap-1.json"
    file.write_text(json.dumps(wrapped))
    assert load_recording(file)["answers"] == rec["answers"]
    with pytest.raises(ValueError, match="recording"):
        load_recording({"format": "other"})
    with pytest.raises(ValueError, match="version"):
        load_recording({**rec, "version": 2})
    no_info = {**rec, "answers": {"router/GetWANStatus3": {"result": "OK"}}}
    with pytest.raises(ValueError, match="GetDeviceInfo"):
        load_recording(no_info)


# ---------------------------------------------------------------- auth


@by_recording
async def test_open_actions_answer_without_password(
    path: Path,
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    router = await replay_router_factory(path, rules=RULES)
    rec = recorded(path)
    anonymous = RawJnap(session, router.url, None)
    assert await anonymous("core/GetDeviceInfo") == rec["answers"]["core/GetDeviceInfo"]
    wrong = await anonymous("core/GetDeviceInfo", password="nope")
    assert wrong == rec["answers"]["core/GetDeviceInfo"]
    for name in OPEN_ACTIONS & set(rec["answers"]):
        assert await anonymous(name) == rec["answers"][name]
    assert router.requests[:2] == [
        ReplayRequest(("core/GetDeviceInfo",), "none"),
        ReplayRequest(("core/GetDeviceInfo",), "bad"),
    ]
    assert router.device_info == rec["answers"]["core/GetDeviceInfo"]["output"]
    assert router.misses == []


@by_recording
async def test_every_other_recorded_action_needs_the_password(
    path: Path,
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    router = await replay_router_factory(path, rules=RULES)
    rec = recorded(path)
    jnap = RawJnap(session, router.url, PW)
    closed = [n for n in reads_of(rec) if n not in OPEN_ACTIONS]
    assert DEVICES in closed
    for name in closed:
        assert await jnap(name) == rec["answers"][name], name
        none = await jnap(name, password=None)
        assert none["result"] == "_ErrorUnauthorized", name
        assert "output" not in none
        assert await jnap.result(name, password="wrong") == "_ErrorUnauthorized"
    # All recorded reads in one transaction, answered as recorded.
    answer = await jnap.transaction(*reads_of(rec))
    assert answer["result"] == "OK"
    assert answer["responses"] == [rec["answers"][n] for n in reads_of(rec)]
    assert router.requests[-1] == ReplayRequest(tuple(reads_of(rec)), "ok")
    assert router.misses == []
    assert router.writes == []


@by_recording
async def test_check_admin_password(
    path: Path,
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    router = await replay_router_factory(path, rules=RULES)
    services = services_of(recorded(path))
    jnap = RawJnap(session, router.url, PW)
    checks = [
        name
        for name in (
            "core/CheckAdminPassword",
            "core/CheckAdminPassword2",
            "core/CheckAdminPassword3",
        )
        if ACTIONS[name].service in services
    ]
    assert checks  # every recording lists Core..Core7
    for name in checks:
        assert await jnap(name) == {"result": "OK", "output": {}}
        assert await jnap.result(name, password=None) == "_ErrorUnauthorized"
        assert await jnap.result(name, password="wrong") == "ErrorInvalidAdminPassword"
    for name in checks[1:]:
        body = {"adminPassword": PW}
        assert await jnap.result(name, body, password=None) == "OK"
        bad = {"adminPassword": "wrong"}
        assert await jnap.result(name, bad, password=PW) == "ErrorInvalidAdminPassword"
    assert router.misses == []


# ---------------------------------------------------------------- unknown actions


@by_recording
async def test_unlisted_services_are_unknown_actions(
    path: Path,
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    router = await replay_router_factory(path, rules=RULES)
    rec = recorded(path)
    services = services_of(rec)
    jnap = RawJnap(session, router.url, PW)
    unlisted = [
        n
        for n, d in ACTIONS.items()
        if d.service not in services and n not in rec["answers"]
    ]
    assert unlisted  # e.g. storage/GetPartitions, router/GetWANStatus2 on Velop
    for name in [*unlisted, "nodes/replay/GetNothing", "router/GetWANStatus99"]:
        answer = await jnap(name)
        assert answer == {
            "result": "_ErrorUnknownAction",
            "error": f"Unknown action '{PREFIX}{name}'",
        }
        # Unknown wins over unauthorized, as on the simulator.
        assert await jnap.result(name, password=None) == "_ErrorUnknownAction"
    assert await jnap.result("Transaction", prefix="http://example.com/") == (
        "_ErrorUnknownAction"
    )
    assert router.misses == []


async def test_listed_but_unrecorded_read_is_a_miss(
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    path = next(p for p in RECORDINGS if p.stem == "whw03_fee")
    router = await replay_router_factory(path, rules=RULES)
    jnap = RawJnap(session, router.url, PW)
    # DeviceList is listed, GetDevices (v1) was never recorded.
    assert await jnap("devicelist/GetDevices") == {
        "result": "_ErrorUnexpected",
        "error": "replay: no recorded answer for 'devicelist/GetDevices'",
    }
    # The password check comes first.
    assert await jnap.result("devicelist/GetDevices", password=None) == (
        "_ErrorUnauthorized"
    )
    assert router.misses == ["devicelist/GetDevices"]


# ---------------------------------------------------------------- transactions


@by_recording
async def test_transaction_aborts_after_the_first_failure(
    path: Path,
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    router = await replay_router_factory(path, rules=RULES)
    rec = recorded(path)
    jnap = RawJnap(session, router.url, PW)
    answer = await jnap.transaction(
        "core/GetDeviceInfo", "nodes/replay/GetNothing", DEVICES
    )
    assert answer["result"] == "Error"
    assert answer["responses"] == [
        rec["answers"]["core/GetDeviceInfo"],
        {
            "result": "_ErrorUnknownAction",
            "error": f"Unknown action '{PREFIX}nodes/replay/GetNothing'",
        },
        {
            "result": "_ErrorAbortedAction",
            "error": f"Action '{PREFIX}{DEVICES}' aborted due to previous transaction error",
        },
    ]
    wrong = await jnap.transaction(
        "core/GetDeviceInfo", DEVICES, "wirelessap/GetRadioInfo3", password="wrong"
    )
    assert wrong["result"] == "Error"
    assert entry_results(wrong) == ["OK", "_ErrorUnauthorized", "_ErrorAbortedAction"]
    # Mixed open + password actions are accepted (no recording shows a refusal).
    mixed = await jnap.transaction("core/GetDeviceInfo", DEVICES)
    assert entry_results(mixed) == ["OK", "OK"]
    assert router.requests[0] == ReplayRequest(
        ("core/GetDeviceInfo", "nodes/replay/GetNothing", DEVICES), "ok"
    )
    assert router.misses == []


async def test_transaction_envelope_errors(
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    router = await replay_router_factory(RECORDINGS[0], rules=RULES)
    jnap = RawJnap(session, router.url, PW)
    assert await jnap.result("core/Transaction", {}) == "_ErrorInvalidInput"
    assert await jnap.result("core/Transaction", [{"action": PREFIX + DEVICES}]) == (
        "_ErrorInvalidInput"
    )
    extra = [{"action": PREFIX + DEVICES, "request": {}, "x": 1}]
    assert await jnap("core/Transaction", extra) == {
        "result": "_ErrorInvalidInput",
        "error": 'Encountered unexpected member "x"',
    }
    nested = await jnap.transaction("core/Transaction")
    assert entry_results(nested) == ["_ErrorUnknownAction"]
    assert await jnap.result(DEVICES, raw=b"{not json") == "_ErrorInvalidInput"
    assert await jnap.result(DEVICES, raw=b"") == "_ErrorInvalidInput"
    assert await jnap.result(DEVICES, []) == "_ErrorInvalidInput"


async def test_refuse_mixed_auth_option(
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    router = await replay_router_factory(
        RECORDINGS[0], rules=RULES, refuse_mixed_auth=True
    )
    jnap = RawJnap(session, router.url, PW)
    mixed = await jnap.transaction(DEVICES, "core/GetDeviceInfo")
    assert entry_results(mixed) == ["OK", "_ErrorUnauthorized"]
    assert entry_results(
        await jnap.transaction(DEVICES, "wirelessap/GetRadioInfo3")
    ) == [
        "OK",
        "OK",
    ]


# ---------------------------------------------------------------- device list revisions


@by_recording
async def test_get_devices3_since_revision(
    path: Path,
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    router = await replay_router_factory(path, rules=RULES)
    full = recorded(path)["answers"][DEVICES]
    revision = full["output"]["revision"]
    jnap = RawJnap(session, router.url, PW)
    empty = {
        "result": "OK",
        "output": {"revision": revision, "devices": [], "deletedDeviceIDs": []},
    }
    assert await jnap(DEVICES, {"sinceRevision": revision}) == empty
    assert await jnap(DEVICES, {"sinceRevision": revision + 7}) == empty
    assert await jnap(DEVICES, {"sinceRevision": revision - 1}) == full
    assert await jnap(DEVICES, {"sinceRevision": 0}) == full
    assert await jnap(DEVICES, {}) == full
    assert await jnap.result(DEVICES, {"sinceRevision": "1"}) == "_ErrorInvalidInput"
    assert await jnap.result(DEVICES, {"sinceRevision": True}) == "_ErrorInvalidInput"
    assert await jnap(DEVICES, {"since": 1}) == {
        "result": "_ErrorInvalidInput",
        "error": 'Encountered unexpected member "since"',
    }
    assert router.misses == []


# ---------------------------------------------------------------- writes


@pytest.mark.parametrize(
    "path",
    [p for p in RECORDINGS if FW_GET in recorded(p)["answers"]],
    ids=recording_id,
)
async def test_write_firmware_update_settings(
    path: Path,
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    router = await replay_router_factory(path, rules=RULES)
    jnap = RawJnap(session, router.url, PW)
    current = await jnap.output(FW_GET)
    body = {
        "updatePolicy": "Manual"
        if current["updatePolicy"] != "Manual"
        else "AutomaticallyCheckAndInstall",
        "autoUpdateWindow": current["autoUpdateWindow"],
    }
    assert await jnap.result(FW_SET, body, password=None) == "_ErrorUnauthorized"
    assert (await jnap(FW_SET, body))["result"] == "OK"
    assert router.writes == [(FW_SET, body)]
    assert (await jnap.output(FW_GET))["updatePolicy"] == body["updatePolicy"]
    assert router.answers[FW_GET]["output"]["updatePolicy"] == body["updatePolicy"]
    # A rejected write changes nothing and is not logged.
    rejected = await jnap(FW_SET, {**body, "extra": 1})
    assert rejected["result"] == "_ErrorInvalidInput"
    assert router.writes == [(FW_SET, body)]
    assert router.misses == []


@by_recording
async def test_write_guest_network(
    path: Path,
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    router = await replay_router_factory(path, rules=RULES)
    jnap = RawJnap(session, router.url, PW)
    current = await jnap.output(GUEST_GET)
    assert current["isGuestNetworkACaptivePortal"] is False
    members = (
        "radioID",
        "isEnabled",
        "broadcastGuestSSID",
        "guestSSID",
        "guestWPAPassphrase",
    )
    body = {
        "isGuestNetworkEnabled": not current["isGuestNetworkEnabled"],
        "radios": [{m: r[m] for m in members} for r in current["radios"]],
    }
    answer = await jnap.transaction((GUEST_SET, body), GUEST_GET)
    assert entry_results(answer) == ["OK", "OK"]
    new = answer["responses"][1]["output"]
    assert new["isGuestNetworkEnabled"] is body["isGuestNetworkEnabled"]
    assert new["radios"] == current["radios"]
    assert router.writes == [(GUEST_SET, body)]
    assert router.misses == []
    # A guest SSID equal to a main SSID (the recorded radios') is refused, nothing written.
    main = (await jnap.output("wirelessap/GetRadioInfo3"))["radios"][0]["settings"][
        "ssid"
    ]
    clash = {
        "isGuestNetworkEnabled": True,
        "radios": [{**body["radios"][0], "isEnabled": True, "guestSSID": main}],
    }
    assert await jnap.result(GUEST_SET, clash) == "ErrorGuestSSIDConflict"
    assert router.writes == [(GUEST_SET, body)]


async def test_writes_without_rules(
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    path = next(p for p in RECORDINGS if p.stem == "whw03_fee")
    router = await replay_router_factory(path, rules=StandInRules(frozenset()))
    jnap = RawJnap(session, router.url, PW)
    leds = ("routerleds/SetRouterLEDSettings", {"isSwitchportLEDEnabled": False})
    assert await jnap(*leds) == {
        "result": "_ErrorUnexpected",
        "error": "replay: write not modelled",
    }
    assert await jnap("core/Reboot") == {
        "result": "OK",
        "output": {},
        "sideEffects": ["DeviceRestart"],
    }
    update = "firmwareupdate/UpdateFirmwareNow"
    assert await jnap.result(update, {"onlyCheck": True}) == "OK"
    assert await jnap.result(update, {}) == "_ErrorInvalidInput"
    assert await jnap.result(update, {"onlyCheck": True}, password=None) == (
        "_ErrorUnauthorized"
    )
    assert router.writes == [("core/Reboot", {}), (update, {"onlyCheck": True})]
    assert router.misses == ["routerleds/SetRouterLEDSettings"]


async def test_stand_in_rejection_is_answered(
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    path = next(p for p in RECORDINGS if p.stem == "mx42_home_a")
    router = await replay_router_factory(path, rules=StandInRules())
    jnap = RawJnap(session, router.url, PW)
    body = {
        "updatePolicy": "Manual",
        "autoUpdateWindow": {"startMinute": 0, "durationMinutes": 240},
    }
    # FirmwareUpdate is listed but GetFirmwareUpdateSettings was not recorded.
    assert await jnap(FW_SET, body) == {
        "result": "_ErrorUnexpected",
        "error": "no firmware update settings",
    }
    assert router.misses == [FW_GET]
    assert router.writes == []


# ---------------------------------------------------------------- HTTP


async def test_http_edges(
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    router: ReplayRouter = await replay_router_factory(RECORDINGS[0], rules=RULES)
    assert router.url == f"http://{router.host}/JNAP/"
    assert router.host == f"127.0.0.1:{router.port}"
    async with session.head(router.url) as resp:
        assert resp.status == 404
    async with session.get(router.url) as resp:
        assert resp.status == 404
        assert resp.content_type == "text/html"
    headers = {
        "X-JNAP-Action": "http://cisco.com/jnap/" + DEVICES,
        "X-JNAP-Authorization": basic(PW),
    }
    async with session.post(router.url, data=b"{}", headers=headers) as resp:
        assert resp.status == 200
        assert resp.content_type == "application/json"
        assert (await resp.json())["result"] == "OK"
    headers["X-JNAP-Authorization"] = "Bearer x"
    async with session.post(router.url, data=b"{}", headers=headers) as resp:
        assert (await resp.json())["result"] == "_ErrorUnauthorized"
    assert [r.auth for r in router.requests] == ["none", "none", "ok", "bad"]
    assert "ReplayRouter" in repr(router)


async def test_a_recorded_answer_needs_its_service_listed(
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    """As the firmware: no listed service, no action, whatever the recording holds."""
    path = next(p for p in RECORDINGS if p.stem == "mx62_maple")
    router = await replay_router_factory(path, rules=RULES)
    assert "nodes/diagnostics/GetBackhaulInfo2" in recorded(path)["answers"]
    assert "nodes/diagnostics/Diagnostics6" not in router.services
    jnap = RawJnap(session, router.url, PW)
    assert await jnap.result("nodes/diagnostics/GetBackhaulInfo2") == (
        "_ErrorUnknownAction"
    )


async def test_misses_abort_option(
    replay_router_factory: ReplayRouterFactory,  # noqa: F811
    session: aiohttp.ClientSession,
) -> None:
    """Off, a miss fails only its own entry; a real failure still aborts the rest."""
    path = next(p for p in RECORDINGS if p.stem == "whw03_fee")
    router = await replay_router_factory(path, rules=RULES, misses_abort=False)
    jnap = RawJnap(session, router.url, PW)
    answer = await jnap.transaction("devicelist/GetDevices", DEVICES)
    assert answer["result"] == "Error"
    assert entry_results(answer) == ["_ErrorUnexpected", "OK"]
    aborted = await jnap.transaction("nodes/replay/GetNothing", DEVICES)
    assert entry_results(aborted) == ["_ErrorUnknownAction", "_ErrorAbortedAction"]
    assert router.misses == ["devicelist/GetDevices"]
