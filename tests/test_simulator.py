"""Pin the simulator's protocol behaviour: envelope, auth, throttling, transactions, Set rules."""

from __future__ import annotations

from collections.abc import Callable
import copy
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.simulator import RouterSimulator
from tests.simulator.actions import ACTIONS
from tests.simulator.fixtures import RouterFactory
from tests.simulator.testing import FakeClock, RawJnap, basic, entry_results

PW = "correct horse"
CHECK = "core/CheckAdminPassword"
LEDS_OFF = ("routerleds/SetRouterLEDSettings", {"isSwitchportLEDEnabled": False})


# ---------------------------------------------------------------- envelope


async def test_envelope_and_both_prefixes(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    anonymous = RawJnap(session, router.url, None)
    for prefix in ("http://linksys.com/jnap/", "http://cisco.com/jnap/"):
        out = await anonymous.output("core/GetDeviceInfo", prefix=prefix)
        assert out["modelNumber"] == "EA7500"
        assert out["manufacturer"] == "Linksys"
        assert "http://linksys.com/jnap/router/Router3" in out["services"]
        assert set(out) >= {
            "serialNumber",
            "firmwareVersion",
            "firmwareDate",
            "hardwareVersion",
            "description",
        }


async def test_head_and_other_paths(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    async with session.head(router.url) as resp:
        assert resp.status == 404
    async with session.get(f"http://{router.host}/ui/dynamic/home.html") as resp:
        assert resp.status == 404
        assert resp.content_type == "text/html"
        assert "404" in await resp.text()
    async with session.get(router.url) as resp:
        assert resp.status == 404


async def test_unknown_action_and_bad_bodies(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    anonymous = RawJnap(session, router.url, None)
    info = "core/GetDeviceInfo"
    unknown = "_ErrorUnknownAction"
    assert await anonymous.result("core/NoSuchAction", password=PW) == unknown
    assert await anonymous.result(info, prefix="http://example.com/jnap/") == unknown
    assert await anonymous.result(info, raw=b"{not json") == "_ErrorInvalidInput"
    assert await anonymous.result(info, raw=b"") == "_ErrorInvalidInput"
    assert await anonymous.result(info, []) == "_ErrorInvalidInput"
    assert await anonymous(info, {"x": 1}) == {
        "result": "_ErrorInvalidInput",
        "error": 'Encountered unexpected member "x"',
    }


# ---------------------------------------------------------------- auth


async def test_open_and_password_actions(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    anonymous = RawJnap(session, router.url, None)
    admin = RawJnap(session, router.url, PW)
    for action in (
        "core/GetDeviceInfo",
        "core/IsAdminPasswordDefault",
        "core/GetAdminPasswordHint",
        "core/GetAdminPasswordRestrictions",
    ):
        assert await anonymous.result(action) == "OK"
        assert await admin.result(action) == "OK"
    for action in ("devicelist/GetDevices", "router/GetWANStatus", CHECK):
        assert await anonymous.result(action) == "_ErrorUnauthorized"
        assert await admin.result(action) == "OK"
    answer = await anonymous("router/GetWANStatus", password="nope")
    assert answer["result"] == "_ErrorUnauthorized"
    assert answer["output"] == {"attemptsRemaining": 9}
    # CheckAdminPassword2 takes the password in the body too.
    check2 = "core/CheckAdminPassword2"
    assert await anonymous.result(check2, {"adminPassword": PW}) == "OK"
    assert (
        await anonymous.result(check2, {"adminPassword": "x"}) == "_ErrorUnauthorized"
    )
    # Core7 is not on this profile.
    assert await admin.result("core/CheckAdminPassword3") == "_ErrorUnknownAction"
    assert [r.auth for r in router.requests][-3:] == ["ok", "bad", "ok"]


async def test_throttle_delay_and_lockout(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    clock = FakeClock()
    sim = await router_factory(password=PW, clock=clock)
    admin = RawJnap(session, sim.url, PW)
    for n in range(1, 6):
        answer = await admin(CHECK, password="wrong")
        assert answer["result"] == "_ErrorUnauthorized"
        assert answer["output"] == {"attemptsRemaining": 10 - n}
    # Delayed for 30 s, even with the right password; delayed requests do not count.
    for _ in range(2):
        assert await admin(CHECK) == {
            "result": "ErrorPasswordCheckDelayed",
            "error": "Password check delayed",
            "output": {"attemptsRemaining": 5, "delayTimeRemaining": 30},
        }
    clock.advance(20)
    answer = await admin("router/GetWANStatus")
    assert answer["result"] == "ErrorPasswordCheckDelayed"
    assert answer["output"]["delayTimeRemaining"] == 10
    clock.advance(10)
    # A success resets the counter.
    assert await admin.result(CHECK) == "OK"
    assert sim.state.admin.failures == 0
    # Ten failures lock the account; each failure after the fifth starts a new delay.
    results = []
    for _ in range(10):
        results.append(await admin.result(CHECK, password="wrong"))
        clock.advance(31)
    assert results == ["_ErrorUnauthorized"] * 9 + ["ErrorAdminAccountLocked"]
    assert await admin.result(CHECK) == "ErrorAdminAccountLocked"
    # Open actions stay open; no header is just unauthorized.
    assert await admin.result("core/GetDeviceInfo", password=None) == "OK"
    assert (
        await admin.result("router/GetWANStatus", password=None) == "_ErrorUnauthorized"
    )
    sim.unlock_admin_account()
    assert await admin.result(CHECK) == "OK"


async def test_password_change(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    admin = RawJnap(session, router.url, PW)
    change = {"adminPassword": "new secret", "passwordHint": "h"}
    assert await admin.result("core/SetAdminPassword2", change) == "OK"
    assert await admin.result(CHECK) == "_ErrorUnauthorized"
    assert await admin.result(CHECK, password="new secret") == "OK"
    assert router.write_log[-1].request == {
        "adminPassword": "********",
        "passwordHint": "h",
    }
    router.set_admin_password(PW)
    assert await admin.result(CHECK) == "OK"
    short = {"adminPassword": "abc", "passwordHint": ""}
    assert await admin.result("core/SetAdminPassword2", short) == "_ErrorInvalidInput"
    assert "correct horse" not in repr(router)
    assert basic(PW) not in repr(router)


# ---------------------------------------------------------------- transactions


async def test_transaction_ok(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    router.reset_counters()
    answer = await RawJnap(session, router.url, PW).transaction(
        "router/GetWANStatus2",
        "routerleds/GetRouterLEDSettings",
        ("devicelist/GetDevices", {"sinceRevision": 0}),
    )
    assert answer["result"] == "OK"
    assert entry_results(answer) == ["OK"] * 3
    assert answer["responses"][1]["output"] == {"isSwitchportLEDEnabled": True}
    assert len(router.requests) == 1
    rec = router.requests[0]
    assert rec.transaction
    assert rec.actions == (
        "router/GetWANStatus2",
        "routerleds/GetRouterLEDSettings",
        "devicelist/GetDevices",
    )
    assert rec.auth == "ok"
    assert rec.status == 200
    assert rec.bytes_in > 100
    assert rec.bytes_out > rec.bytes_in


async def test_transaction_cascade(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    answer = await RawJnap(session, router.url, PW).transaction(
        LEDS_OFF,
        "router/GetWANStatus",
        "router/GetWANStatus3",
        "router/GetLANSettings",
        "routerleds/GetRouterLEDSettings",
    )
    assert answer["result"] == "Error"
    assert entry_results(answer) == [
        "OK",
        "OK",
        "_ErrorUnknownAction",
        "_ErrorAbortedAction",
        "_ErrorAbortedAction",
    ]
    assert (
        answer["responses"][3]["error"]
        == "Action 'http://linksys.com/jnap/router/GetLANSettings' aborted due to previous transaction error"
    )
    # The Set before the failure stays applied.
    assert router.state.leds.is_switchport_led_enabled is False


async def test_transaction_wrong_password(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    answer = await RawJnap(session, router.url, "wrong").transaction(
        "core/GetDeviceInfo", CHECK, "router/GetWANStatus"
    )
    assert entry_results(answer) == [
        "OK",
        "_ErrorUnauthorized",
        "_ErrorAbortedAction",
    ]
    assert router.state.admin.failures == 1
    assert router.requests[-1].auth == "bad"


async def test_transaction_bad_shapes(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    admin = RawJnap(session, router.url, PW)
    assert await admin.result("core/Transaction", {}) == "_ErrorInvalidInput"
    no_request = [{"action": "http://linksys.com/jnap/router/GetWANStatus"}]
    answer = await admin("core/Transaction", no_request)
    assert answer["error"] == 'Missing member "request"'
    assert await admin("core/Transaction", []) == {"result": "OK", "responses": []}


async def test_legacy_top_level_unknown_action(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim = await router_factory(profile="legacy", password=PW)
    admin = RawJnap(session, sim.url, PW)
    answer = await admin.transaction(LEDS_OFF, "router/GetWANStatus2")
    assert answer["result"] == "_ErrorUnknownAction"
    assert "responses" not in answer
    assert sim.state.leds.is_switchport_led_enabled is True
    ok = await admin.transaction("router/GetWANStatus", "devicelist/GetDevices")
    assert ok["result"] == "OK"


async def test_velop_mixed_auth_refusal(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim = await router_factory(profile="velop", password=PW)
    admin = RawJnap(session, sim.url, PW)
    answer = await admin.transaction(
        "router/GetWANStatus3", "core/GetAdminPasswordHint", "devicelist/GetDevices3"
    )
    assert answer["result"] == "Error"
    assert entry_results(answer) == ["OK", "_ErrorUnauthorized", "_ErrorAbortedAction"]
    assert answer["responses"][1]["error"] == "Mixed authorization in transaction"
    # The open actions the official app sends with its password transactions pass.
    app = await admin.transaction(
        "core/GetDeviceInfo", "router/GetWANStatus3", "core/IsAdminPasswordDefault"
    )
    assert entry_results(app) == ["OK", "OK", "OK"]
    opened = await admin.transaction(
        "core/GetDeviceInfo", "core/IsAdminPasswordDefault", password=None
    )
    assert opened["result"] == "OK"
    closed = await admin.transaction("router/GetWANStatus3", "devicelist/GetDevices3")
    assert closed["result"] == "OK"
    # smartwifi accepts the same mix.
    mixed = await router_factory(password=PW)
    ok = await RawJnap(session, mixed.url, PW).transaction(
        "core/GetDeviceInfo", "router/GetWANStatus"
    )
    assert ok["result"] == "OK"


# ---------------------------------------------------------------- service gating


@pytest.mark.parametrize(
    ("profile", "available", "missing"),
    [
        (
            "smartwifi",
            [
                "router/GetWANStatus",
                "router/GetWANStatus2",
                "devicelist/GetDevices",
                "guestnetwork/GetGuestRadioSettings",
                "routerleds/GetRouterLEDSettings",
                "wirelessap/GetRadioInfo3",
                "networkconnections/GetNetworkConnections",
                "devicelist/DeleteDevice",
            ],
            [
                "router/GetWANStatus3",
                "devicelist/GetDevices3",
                "guestnetwork/GetGuestRadioSettings2",
                "networkconnections/GetNetworkConnections2",
                "wirelessap/GetRadioInfo2",
                "core/CheckAdminPassword3",
            ],
        ),
        (
            "velop",
            [
                "router/GetWANStatus",
                "router/GetWANStatus3",
                "devicelist/GetDevices3",
                "guestnetwork/GetGuestRadioSettings2",
                "networkconnections/GetNetworkConnections2",
                "core/CheckAdminPassword3",
                "router/GetIPv6Settings2",
            ],
            [
                "router/GetWANStatus2",
                "routerleds/GetRouterLEDSettings",
                "guestnetwork/GetGuestRadioSettings",
                "storage/GetPartitions",
            ],
        ),
        (
            "legacy",
            [
                "router/GetWANStatus",
                "devicelist/GetDevices",
                "networkconnections/GetNetworkConnections",
                "guestnetwork/GetGuestRadioSettings",
                "wirelessap/GetRadioInfo",
                "vlantagging/GetProfiles",
            ],
            [
                "router/GetWANStatus2",
                "devicelist/GetDevices3",
                "devicelist/DeleteDevice",
                "core/CheckAdminPassword2",
                "wirelessap/GetRadioInfo3",
                "guestnetwork/GetGuestRadioSettings2",
            ],
        ),
    ],
)
async def test_service_gating(
    router_factory: RouterFactory,
    session: aiohttp.ClientSession,
    profile: str,
    available: list[str],
    missing: list[str],
) -> None:
    sim = await router_factory(profile=profile, password=PW, clients=3)
    admin = RawJnap(session, sim.url, PW)
    for action in missing:
        assert await admin.result(action) == "_ErrorUnknownAction", action
    for action in available:
        body = {"deviceID": "nope"} if action == "devicelist/DeleteDevice" else {}
        answer = await admin(action, body)
        assert answer["result"] in ("OK", "ErrorUnknownDevice"), (action, answer)


async def test_add_remove_service(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    admin = RawJnap(session, router.url, PW)
    router.remove_service("routerleds/RouterLEDs")
    leds = "routerleds/GetRouterLEDSettings"
    assert await admin.result(leds) == "_ErrorUnknownAction"
    info = await admin.output("core/GetDeviceInfo", password=None)
    assert "http://linksys.com/jnap/routerleds/RouterLEDs" not in info["services"]
    router.add_service("http://linksys.com/jnap/routerleds/RouterLEDs")
    assert await admin.result(leds) == "OK"


# ---------------------------------------------------------------- Set = replace

GUEST_SET = "guestnetwork/SetGuestRadioSettings"
PARENTAL_SET = "parentalcontrol/SetParentalControlSettings"
RADIO_SET = "wirelessap/SetRadioSettings3"
LED_SET = "routerleds/SetRouterLEDSettings"
FIRMWARE_SET = "firmwareupdate/SetFirmwareUpdateSettings"
INVALID = "_ErrorInvalidInput"


def _guest_input(out: dict[str, Any], key: str = "guestPassword") -> dict[str, Any]:
    return {
        "isGuestNetworkEnabled": out["isGuestNetworkEnabled"],
        "maxSimultaneousGuests": out["maxSimultaneousGuests"],
        "radios": [
            {
                k: r[k]
                for k in (
                    "radioID",
                    "isEnabled",
                    "guestSSID",
                    key,
                    "broadcastGuestSSID",
                )
            }
            for r in out["radios"]
        ],
    }


def _parental_input(out: dict[str, Any]) -> dict[str, Any]:
    return {
        "isParentalControlEnabled": out["isParentalControlEnabled"],
        "rules": copy.deepcopy(out["rules"]),
    }


def _radio_input(out: dict[str, Any]) -> dict[str, Any]:
    # wirelessap.lua setWirelessRadioSettings3: band steering only where supported.
    steering = {
        k: out[k] for k in ("isBandSteeringEnabled", "bandSteeringMode") if k in out
    }
    return {
        **steering,
        "radios": [
            {"radioID": r["radioID"], "settings": copy.deepcopy(r["settings"])}
            for r in out["radios"]
        ],
    }


# Set action -> (its Get, the Set's input built from the Get's output).
SET_INPUTS: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    GUEST_SET: ("guestnetwork/GetGuestRadioSettings", _guest_input),
    PARENTAL_SET: ("parentalcontrol/GetParentalControlSettings", _parental_input),
    RADIO_SET: ("wirelessap/GetRadioInfo3", _radio_input),
    LED_SET: ("routerleds/GetRouterLEDSettings", copy.deepcopy),
    FIRMWARE_SET: ("firmwareupdate/GetFirmwareUpdateSettings", copy.deepcopy),
}
DROP = object()
"""As the value of an edit: remove the member."""
ERRORS = {
    "missing": "Missing member",
    "unexpected": "Encountered unexpected member",
    "invalid": "Invalid value for member",
}
"""Refusals as _ErrorInvalidInput whose error names the edited member."""


def _main_ssid(sim: RouterSimulator, _body: dict[str, Any]) -> str:
    return sim.state.radios[0].settings.ssid


def _eight_times(_sim: RouterSimulator, body: dict[str, Any]) -> Any:
    # Without MACs: setRules checks every rule (overlap first) before counting them.
    return [{**rule, "macAddresses": []} for rule in body["rules"]] * 8


def _first_rule_macs(_sim: RouterSimulator, body: dict[str, Any]) -> Any:
    return list(body["rules"][0]["macAddresses"])


# Set -> name -> (dotted member path in its input, new value or DROP, refusal: a key
# of ERRORS or the result code).
REFUSED: dict[str, dict[str, tuple[str, Any, str]]] = {
    GUEST_SET: {
        "no-password": ("radios.1.guestPassword", DROP, "missing"),
        "read-only-limit": ("maxSimultaneousGuestsLimit", 50, "unexpected"),
        "read-only-can-enable": ("radios.0.canEnableRadio", True, "unexpected"),
        "main-ssid": ("radios.0.guestSSID", _main_ssid, "ErrorGuestSSIDConflict"),
        "count-as-text": ("maxSimultaneousGuests", "10", "invalid"),
        "short-passphrase": (
            "radios.0.guestPassword",
            "short",
            "ErrorInvalidGuestPassword",
        ),
        "too-many-guests": (
            "maxSimultaneousGuests",
            51,
            "ErrorInvalidMaxSimultaneousGuests",
        ),
    },
    PARENTAL_SET: {
        "read-only-max-rules": ("maxRules", 14, "unexpected"),
        "rule-without-urls": ("rules.1.blockedURLs", DROP, "missing"),
        "schedule-without-a-day": ("rules.0.wanSchedule.saturday", DROP, "missing"),
        "schedule-extra-day": ("rules.0.wanSchedule.holiday", "1" * 48, "unexpected"),
        "schedule-short": (
            "rules.0.wanSchedule.monday",
            "1" * 47,
            "ErrorInvalidWANSchedule",
        ),
        "schedule-not-0-1": (
            "rules.0.wanSchedule.monday",
            "2" * 48,
            "ErrorInvalidWANSchedule",
        ),
        # setRules: `#schedule ~= 48`; Python's `$` would let a final newline through.
        "schedule-final-newline": (
            "rules.0.wanSchedule.monday",
            "1" * 48 + "\n",
            "ErrorInvalidWANSchedule",
        ),
        "too-many-rules": ("rules", _eight_times, "ErrorTooManyRules"),
        # parentalcontrol.lua setRules: one MAC in two rules, ASCII 32-126, bytes.
        "mac-in-two-rules": (
            "rules.1.macAddresses",
            _first_rule_macs,
            "ErrorRulesOverlap",
        ),
        "curly-apostrophe": (
            "rules.0.description",
            "John\u2019s iPhone",
            "ErrorInvalidDescription",
        ),
        "description-too-long": (
            "rules.0.description",
            "x" * 33,
            "ErrorDescriptionTooLong",
        ),
        "zero-mac": (
            "rules.1.macAddresses",
            ["00:00:00:00:00:00"],
            "ErrorInvalidMACAddress",
        ),
        "flag-as-number": ("rules.0.isEnabled", 1, "invalid"),
    },
    RADIO_SET: {
        "no-passphrase": (
            "radios.0.settings.wpaPersonalSettings.passphrase",
            DROP,
            "missing",
        ),
        "no-passphrase-block": (
            "radios.0.settings.wpaPersonalSettings",
            DROP,
            "ErrorMissingWPAPersonalSettings",
        ),
        "short-passphrase": (
            "radios.0.settings.wpaPersonalSettings.passphrase",
            "short",
            "ErrorInvalidPassphrase",
        ),
        "read-only-bssid": ("radios.1.settings.bssid", "x", "unexpected"),
        "read-only-band": ("radios.0.band", "2.4GHz", "unexpected"),
        "steering-unsupported": (
            "isBandSteeringEnabled",
            True,
            "ErrorBandSteeringNotSupported",
        ),
        "unknown-radio": ("radios.0.radioID", "RADIO_60GHz", "ErrorUnknownRadio"),
        "unsupported-channel": (
            "radios.0.settings.channel",
            165,
            "ErrorUnsupportedChannel",
        ),
        "long-ssid": ("radios.0.settings.ssid", "x" * 33, "ErrorInvalidSSID"),
    },
    LED_SET: {
        "no-flag": ("isSwitchportLEDEnabled", DROP, "missing"),
        "flag-as-text": ("isSwitchportLEDEnabled", "false", "invalid"),
    },
    FIRMWARE_SET: {
        "no-window": ("autoUpdateWindow", DROP, "missing"),
        "window-without-duration": (
            "autoUpdateWindow.durationMinutes",
            DROP,
            "missing",
        ),
        # firmwareupdate.lua setAutoUpdateWindow: start 0-1439, duration 0-1440.
        "start-past-midnight": (
            "autoUpdateWindow.startMinute",
            1440,
            "ErrorInvalidAutoUpdateWindowStartMinute",
        ),
        "duration-over-a-day": (
            "autoUpdateWindow.durationMinutes",
            1441,
            "ErrorInvalidAutoUpdateWindowDurationMinutes",
        ),
    },
}


@pytest.mark.parametrize(
    ("action", "path", "value", "refusal"),
    [
        pytest.param(action, *edit, id=f"{action.split('/')[1]}-{name}")
        for action, edits in REFUSED.items()
        for name, edit in edits.items()
    ],
)
async def test_set_refuses_what_its_get_would_not_give_back(
    router: RouterSimulator,
    session: aiohttp.ClientSession,
    *,
    action: str,
    path: str,
    value: Any,
    refusal: str,
) -> None:
    """A Set takes exactly its Get's writable members, valid: anything else is refused."""
    admin = RawJnap(session, router.url, PW)
    reads = [get for get, _ in SET_INPUTS.values()]
    before = [await admin.output(get) for get in reads]
    get, build = SET_INPUTS[action]
    body = build(await admin.output(get))
    *parents, member = [int(k) if k.isdigit() else k for k in path.split(".")]
    node: Any = body
    for key in parents:
        node = node[key]
    if value is DROP:
        del node[member]
    else:
        node[member] = value(router, body) if callable(value) else value

    answer = await admin(action, body)
    if refusal in ERRORS:
        assert answer == {
            "result": INVALID,
            "error": f'{ERRORS[refusal]} "{member}"',
        }
    else:
        assert answer["result"] == refusal, answer
    # Nothing changed, nothing logged.
    assert router.write_log == []
    assert [await admin.output(get) for get in reads] == before


async def test_set_accepted_writes(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    admin = RawJnap(session, router.url, PW)
    guest = await admin.output("guestnetwork/GetGuestRadioSettings")
    # Read-only members the Sets refuse are in the Gets.
    assert len(guest["radios"]) == 2
    assert guest["maxSimultaneousGuestsLimit"] == 50
    assert "canEnableRadio" in guest["radios"][0]
    g = _guest_input(guest)
    g["isGuestNetworkEnabled"] = False
    assert await admin(GUEST_SET, g) == {
        "result": "OK",
        "output": {},
        "sideEffects": ["WirelessInterruption"],
    }
    after = await admin.output("guestnetwork/GetGuestRadioSettings")
    assert after["isGuestNetworkEnabled"] is False
    assert after["radios"] == guest["radios"]

    parental = await admin.output("parentalcontrol/GetParentalControlSettings")
    assert len(parental["rules"]) == 2
    assert all(len(r["blockedURLs"]) > 0 for r in parental["rules"])
    assert parental["maxRules"] == 14
    p = _parental_input(parental)
    p["rules"] = p["rules"][:1]
    assert await admin.result(PARENTAL_SET, p) == "OK"
    assert len(router.state.parental.rules) == 1

    radios = await admin.output("wirelessap/GetRadioInfo3")
    r = _radio_input(radios)
    r["radios"] = r["radios"][1:]
    r["radios"][0]["settings"]["ssid"] = "NewName5"
    assert await admin.result(RADIO_SET, r) == "OK"
    assert router.state.radios[1].settings.ssid == "NewName5"
    assert (
        router.state.radios[0].settings.ssid == radios["radios"][0]["settings"]["ssid"]
    )

    fw = {
        "updatePolicy": "Manual",
        "autoUpdateWindow": {"startMinute": 60, "durationMinutes": 120},
    }
    assert await admin.result(FIRMWARE_SET, fw) == "OK"
    assert router.state.firmware.update_policy == "Manual"
    assert [w.action for w in router.write_log] == [
        GUEST_SET,
        PARENTAL_SET,
        RADIO_SET,
        FIRMWARE_SET,
    ]
    assert router.write_log[0].request == g


GUEST2_GET = "guestnetwork/GetGuestRadioSettings2"
GUEST2_SET = "guestnetwork/SetGuestRadioSettings2"


def _guest2_input(out: dict[str, Any], key: str) -> dict[str, Any]:
    body = _guest_input({"maxSimultaneousGuests": None, **out}, key)
    if body["maxSimultaneousGuests"] is None:
        del body["maxSimultaneousGuests"]
    return body


async def test_guest_v2_wpa(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    """guestnetwork.lua v2, WPA guest network: passphrase per radio, no guest limit."""
    sim = await router_factory(profile="velop", password=PW, clients=4)
    admin = RawJnap(session, sim.url, PW)
    out = await admin.output(GUEST2_GET)
    assert len(out["radios"]) == 3
    assert out["isGuestNetworkACaptivePortal"] is False
    assert "maxSimultaneousGuests" not in out
    assert "guestWPAPassphrase" in out["radios"][0]
    assert "guestPassword" not in out["radios"][0]
    good = _guest2_input(out, "guestWPAPassphrase")
    refusals: list[tuple[dict[str, Any], str]] = [
        ({**good, "maxSimultaneousGuests": 5}, "ErrorSuperfluousMaxSimultaneousGuests"),
        # Router state, never a Set member.
        ({**good, "isGuestNetworkACaptivePortal": False}, INVALID),
    ]
    renamed = copy.deepcopy(good)
    renamed["radios"][1]["guestPassword"] = renamed["radios"][1].pop(
        "guestWPAPassphrase"
    )
    refusals.append((renamed, "ErrorMissingGuestWPAPasphrase"))
    both = copy.deepcopy(good)
    both["radios"][0]["guestPassword"] = "welcome42"
    refusals.append((both, "ErrorSuperfluousGuestPassword"))
    missing = copy.deepcopy(good)
    del missing["radios"][1]["guestWPAPassphrase"]
    refusals.append((missing, "ErrorMissingGuestWPAPasphrase"))
    for body, code in refusals:
        assert await admin.result(GUEST2_SET, body) == code, body
    assert sim.write_log == []
    good["radios"][2]["guestWPAPassphrase"] = "another-passphrase"
    assert await admin.result(GUEST2_SET, good) == "OK"
    assert sim.state.guest.radios[2].guest_password == "another-passphrase"


async def test_guest_v2_captive_portal(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    """guestnetwork.lua v2, captive portal: guestPassword per radio and a guest limit."""
    sim = await router_factory(profile="velop_captive", password=PW, clients=4)
    admin = RawJnap(session, sim.url, PW)
    out = await admin.output(GUEST2_GET)
    assert out["isGuestNetworkACaptivePortal"] is True
    assert out["maxSimultaneousGuests"] == 10
    restrictions = out["guestPasswordRestrictions"]
    assert (restrictions["minLength"], restrictions["maxLength"]) == (4, 32)
    assert "guestPassword" in out["radios"][0]
    assert "guestWPAPassphrase" not in out["radios"][0]
    good = _guest2_input(out, "guestPassword")
    no_limit = {k: v for k, v in good.items() if k != "maxSimultaneousGuests"}
    wpa = copy.deepcopy(good)
    wpa["radios"][0]["guestWPAPassphrase"] = "welcome-guests-42"
    not_alnum = copy.deepcopy(good)
    not_alnum["radios"][0]["guestPassword"] = "welcome-42"
    for body, code in (
        (no_limit, "ErrorMissingMaxSimultaneousGuests"),
        (wpa, "ErrorSuperfluousGuestWPAPasphrase"),
        (not_alnum, "ErrorInvalidGuestPassword"),
    ):
        assert await admin.result(GUEST2_SET, body) == code, body
    assert sim.write_log == []
    good["maxSimultaneousGuests"] = 20
    assert await admin.result(GUEST2_SET, good) == "OK"
    assert sim.state.guest.max_simultaneous_guests == 20


async def test_other_settings(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    admin = RawJnap(session, router.url, PW)
    t = await admin.output("locale/GetTimeSettings")
    assert {
        "timeZoneID",
        "autoAdjustForDST",
        "currentTime",
        "supportedTimeZones",
    } <= set(t)
    body = {"timeZoneID": "CET-1CEST", "autoAdjustForDST": True}
    assert await admin.result("locale/SetTimeSettings", body) == "OK"
    mars = {"timeZoneID": "Mars"}
    assert await admin.result("locale/SetTimeSettings", mars) == "_ErrorInvalidInput"
    logging_on = {"isLoggingEnabled": True}
    assert await admin.result("routerlog/SetLogSettings", logging_on) == "OK"
    entries = await admin.output(
        "routerlog/GetOutgoingLogEntries", {"firstEntryIndex": 1, "entryCount": 5}
    )
    assert len(entries["entries"]) == 5
    for action in (
        "firewall/GetALGSettings",
        "qos/GetQoSSettings",
        "qos/GetWLANQoSSettings",
        "router/GetDHCPClientLeases",
        "router/GetEthernetPortConnections",
        "router/GetExpressForwardingSettings",
        "router/GetIPv6Settings",
        "router/GetLANSettings",
        "router/GetMACAddressCloneSettings",
        "router/GetRoutingSettings",
        "routermanagement/GetManagementSettings",
        "routermanagement/GetRemoteManagementStatus",
        "routerupnp/GetUPnPSettings",
        "storage/GetPartitions",
        "wirelessscheduler/GetWirelessSchedulerSettings",
        "wirelessap/GetRadioInfo",
        "firmwareupdate/GetFirmwareUpdateSettings",
        "devicelist/GetLocalDevice",
    ):
        assert await admin.result(action) == "OK", action


async def test_wrong_password_on_open_actions_counts(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    wrong = RawJnap(session, router.url, "wrong")
    assert await wrong.result("core/GetDeviceInfo") == "OK"
    assert router.state.admin.failures == 1
    assert router.requests[-1].auth == "bad"
    # Split batches with a wrong password: each POST counts once.
    await wrong.transaction("core/GetDeviceInfo")
    await wrong.transaction("router/GetWANStatus", "router/GetLANSettings")
    assert router.state.admin.failures == 3


def test_default_clock_follows_freezer(freezer: Any) -> None:
    sim = RouterSimulator(password=PW)
    start = sim.clock()
    freezer.tick(100)
    assert sim.clock() - start == pytest.approx(100)


def _contract_table() -> dict[str, tuple[str, str]]:
    """Read action → (service, auth) from docs/wire-contract.md."""
    text = (Path(__file__).parent.parent / "docs" / "wire-contract.md").read_text()
    table: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or "/" not in cells[0] or cells[0].startswith("-"):
            continue
        group = cells[0].split("/", 1)[0]
        for cell in cells[0].split(","):
            name = cell.strip()
            full = name if "/" in name else f"{group}/{name}"
            table[full] = (cells[1], cells[2].split(" ", 1)[0])
    return table


def test_every_contract_action_is_served_as_the_contract_says() -> None:
    table = _contract_table()
    assert len(table) > 60
    for name, (service, auth) in table.items():
        if name == "core/Transaction":
            continue
        adef = ACTIONS.get(name)
        assert adef is not None, name
        assert adef.service == service, name
        assert adef.auth == (auth == "password"), name
    assert set(ACTIONS) == set(table) - {"core/Transaction"}


async def test_check_admin_password3_names_the_wrong_password(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    """Core7's CheckAdminPassword3 answers ErrorInvalidAdminPassword with the count."""
    sim = await router_factory(profile="velop", password=PW)
    admin = RawJnap(session, sim.url, PW)
    answer = await admin("core/CheckAdminPassword3", {"adminPassword": "x"})
    assert answer["result"] == "ErrorInvalidAdminPassword"
    assert answer["output"] == {"attemptsRemaining": 9}
    assert await admin.result("core/CheckAdminPassword", password="x") == (
        "_ErrorUnauthorized"
    )


async def test_parental_set_refused_under_a_shield_licence(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    """parentalcontrol.lua setRules: with a Linksys Shield licence, ErrorDeprecatedAction."""
    admin = RawJnap(session, router.url, PW)
    body = _parental_input(
        await admin.output("parentalcontrol/GetParentalControlSettings")
    )
    router.state.shield_license_id = "licence-1"
    assert await admin.result(PARENTAL_SET, body) == "ErrorDeprecatedAction"
    assert router.write_log == []
    router.state.shield_license_id = None
    assert await admin.result(PARENTAL_SET, body) == "OK"


async def test_speed_tests_as_healthcheck_lua_keeps_them(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    """One test at a time; the final status once; newest first only with a limit."""
    clock = FakeClock()
    sim = await router_factory(profile="velop", password=PW, clock=clock)
    admin = RawJnap(session, sim.url, PW)
    run = "healthcheck/RunHealthCheck"
    results = "healthcheck/GetHealthCheckResults"
    status = "healthcheck/GetHealthCheckStatus"
    assert await admin.output(results) == {"healthCheckResults": []}
    assert await admin.result(run, {"runHealthCheckModule": "Ping"}) == (
        "ErrorUnsupportedHealthCheckModule"
    )
    ids = []
    for _ in range(2):
        ids.append((await admin.output(run, {}))["resultID"])
        assert await admin.result(run, {}) == "ErrorHealthCheckAlreadyRunning"
        running = await admin.output(status)
        assert running["speedTestResult"]["exitCode"] == "Unavailable"
        clock.advance(60)
        done = await admin.output(status)
        assert done["speedTestResult"]["exitCode"] == "Success"
        assert await admin.output(status) == {}  # reported once
    whole = await admin.output(results, {"includeModuleResults": True})
    assert [r["resultID"] for r in whole["healthCheckResults"]] == ids  # table order
    newest = await admin.output(
        results, {"includeModuleResults": True, "lastNumberOfResults": 1}
    )
    assert [r["resultID"] for r in newest["healthCheckResults"]] == ids[-1:]
    assert (
        "speedTestResult" not in (await admin.output(results))["healthCheckResults"][0]
    )
