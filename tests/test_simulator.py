"""Pin the simulator's protocol behaviour: envelope, auth, throttling, transactions, Set rules."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.simulator import RouterSimulator
from tests.simulator.actions import ACTIONS
from tests.simulator.fixtures import RouterFactory
from tests.simulator.testing import FakeClock, basic, jnap, transaction

PW = "correct horse"


# ---------------------------------------------------------------- envelope


async def test_envelope_and_both_prefixes(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    for prefix in ("http://linksys.com/jnap/", "http://cisco.com/jnap/"):
        answer = await jnap(session, router.url, "core/GetDeviceInfo", prefix=prefix)
        assert answer["result"] == "OK"
        out = answer["output"]
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
    answer = await jnap(session, router.url, "core/NoSuchAction", password=PW)
    assert answer["result"] == "_ErrorUnknownAction"
    answer = await jnap(
        session, router.url, "core/GetDeviceInfo", prefix="http://example.com/jnap/"
    )
    assert answer["result"] == "_ErrorUnknownAction"
    answer = await jnap(session, router.url, "core/GetDeviceInfo", raw=b"{not json")
    assert answer["result"] == "_ErrorInvalidInput"
    answer = await jnap(session, router.url, "core/GetDeviceInfo", raw=b"")
    assert answer["result"] == "_ErrorInvalidInput"
    answer = await jnap(session, router.url, "core/GetDeviceInfo", [])
    assert answer["result"] == "_ErrorInvalidInput"
    answer = await jnap(session, router.url, "core/GetDeviceInfo", {"x": 1})
    assert answer == {
        "result": "_ErrorInvalidInput",
        "error": 'Encountered unexpected member "x"',
    }


# ---------------------------------------------------------------- auth


async def test_open_and_password_actions(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    for action in (
        "core/GetDeviceInfo",
        "core/IsAdminPasswordDefault",
        "core/GetAdminPasswordHint",
        "core/GetAdminPasswordRestrictions",
    ):
        assert (await jnap(session, router.url, action))["result"] == "OK"
        assert (await jnap(session, router.url, action, password=PW))["result"] == "OK"
    for action in (
        "devicelist/GetDevices",
        "router/GetWANStatus",
        "core/CheckAdminPassword",
    ):
        assert (await jnap(session, router.url, action))[
            "result"
        ] == "_ErrorUnauthorized"
        assert (await jnap(session, router.url, action, password=PW))["result"] == "OK"
    answer = await jnap(session, router.url, "router/GetWANStatus", password="nope")
    assert answer["result"] == "_ErrorUnauthorized"
    assert answer["output"] == {"attemptsRemaining": 9}
    # CheckAdminPassword2 takes the password in the body too.
    ok = await jnap(
        session, router.url, "core/CheckAdminPassword2", {"adminPassword": PW}
    )
    assert ok["result"] == "OK"
    bad = await jnap(
        session, router.url, "core/CheckAdminPassword2", {"adminPassword": "x"}
    )
    assert bad["result"] == "ErrorInvalidAdminPassword"
    # Core7 is not on this profile.
    assert (await jnap(session, router.url, "core/CheckAdminPassword3", password=PW))[
        "result"
    ] == "_ErrorUnknownAction"
    assert [r.auth for r in router.requests][-3:] == ["ok", "bad", "ok"]


async def test_throttle_delay_and_lockout(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    clock = FakeClock()
    sim = await router_factory(password=PW, clock=clock)
    for n in range(1, 6):
        answer = await jnap(
            session, sim.url, "core/CheckAdminPassword", password="wrong"
        )
        assert answer["result"] == "ErrorInvalidAdminPassword"
        assert answer["output"] == {"attemptsRemaining": 10 - n}
    # Delayed for 30 s, even with the right password; delayed requests do not count.
    for _ in range(2):
        answer = await jnap(session, sim.url, "core/CheckAdminPassword", password=PW)
        assert answer == {
            "result": "ErrorPasswordCheckDelayed",
            "error": "Password check delayed",
            "output": {"attemptsRemaining": 5, "delayTimeRemaining": 30},
        }
    clock.advance(20)
    answer = await jnap(session, sim.url, "router/GetWANStatus", password=PW)
    assert answer["result"] == "ErrorPasswordCheckDelayed"
    assert answer["output"]["delayTimeRemaining"] == 10
    clock.advance(10)
    # A success resets the counter.
    assert (await jnap(session, sim.url, "core/CheckAdminPassword", password=PW))[
        "result"
    ] == "OK"
    assert sim.state.admin.failures == 0
    # Ten failures lock the account; each failure after the fifth starts a new delay.
    results = []
    for _ in range(10):
        results.append(
            (await jnap(session, sim.url, "core/CheckAdminPassword", password="wrong"))[
                "result"
            ]
        )
        clock.advance(31)
    assert results == ["ErrorInvalidAdminPassword"] * 9 + ["ErrorAdminAccountLocked"]
    assert (await jnap(session, sim.url, "core/CheckAdminPassword", password=PW))[
        "result"
    ] == "ErrorAdminAccountLocked"
    # Open actions stay open; no header is just unauthorized.
    assert (await jnap(session, sim.url, "core/GetDeviceInfo"))["result"] == "OK"
    assert (await jnap(session, sim.url, "router/GetWANStatus"))[
        "result"
    ] == "_ErrorUnauthorized"
    sim.unlock_admin_account()
    assert (await jnap(session, sim.url, "core/CheckAdminPassword", password=PW))[
        "result"
    ] == "OK"


async def test_password_change(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    answer = await jnap(
        session,
        router.url,
        "core/SetAdminPassword2",
        {"adminPassword": "new secret", "passwordHint": "h"},
        password=PW,
    )
    assert answer["result"] == "OK"
    assert (await jnap(session, router.url, "core/CheckAdminPassword", password=PW))[
        "result"
    ] == "ErrorInvalidAdminPassword"
    assert (
        await jnap(
            session, router.url, "core/CheckAdminPassword", password="new secret"
        )
    )["result"] == "OK"
    assert router.write_log[-1].request == {
        "adminPassword": "********",
        "passwordHint": "h",
    }
    router.set_admin_password(PW)
    assert (await jnap(session, router.url, "core/CheckAdminPassword", password=PW))[
        "result"
    ] == "OK"
    short = await jnap(
        session,
        router.url,
        "core/SetAdminPassword2",
        {"adminPassword": "abc", "passwordHint": ""},
        password=PW,
    )
    assert short["result"] == "_ErrorInvalidInput"
    assert "correct horse" not in repr(router)
    assert basic(PW) not in repr(router)


# ---------------------------------------------------------------- transactions


async def test_transaction_ok(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    router.reset_counters()
    answer = await transaction(
        session,
        router.url,
        [
            ("router/GetWANStatus2", {}),
            ("routerleds/GetRouterLEDSettings", {}),
            ("devicelist/GetDevices", {"sinceRevision": 0}),
        ],
        password=PW,
    )
    assert answer["result"] == "OK"
    assert [r["result"] for r in answer["responses"]] == ["OK"] * 3
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
    answer = await transaction(
        session,
        router.url,
        [
            ("routerleds/SetRouterLEDSettings", {"isSwitchportLEDEnabled": False}),
            ("router/GetWANStatus", {}),
            ("router/GetWANStatus3", {}),
            ("router/GetLANSettings", {}),
            ("routerleds/GetRouterLEDSettings", {}),
        ],
        password=PW,
    )
    assert answer["result"] == "Error"
    res = answer["responses"]
    assert [r["result"] for r in res] == [
        "OK",
        "OK",
        "_ErrorUnknownAction",
        "_ErrorAbortedAction",
        "_ErrorAbortedAction",
    ]
    assert (
        res[3]["error"]
        == "Action 'http://linksys.com/jnap/router/GetLANSettings' aborted due to previous transaction error"
    )
    # The Set before the failure stays applied.
    assert router.state.leds.is_switchport_led_enabled is False


async def test_transaction_wrong_password(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    answer = await transaction(
        session,
        router.url,
        [
            ("core/GetDeviceInfo", {}),
            ("core/CheckAdminPassword", {}),
            ("router/GetWANStatus", {}),
        ],
        password="wrong",
    )
    assert [r["result"] for r in answer["responses"]] == [
        "OK",
        "ErrorInvalidAdminPassword",
        "_ErrorAbortedAction",
    ]
    assert router.state.admin.failures == 1
    assert router.requests[-1].auth == "bad"


async def test_transaction_bad_shapes(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    assert (await jnap(session, router.url, "core/Transaction", {}, password=PW))[
        "result"
    ] == "_ErrorInvalidInput"
    no_request = [{"action": "http://linksys.com/jnap/router/GetWANStatus"}]
    assert (
        await jnap(session, router.url, "core/Transaction", no_request, password=PW)
    )["error"] == 'Missing member "request"'
    empty = await jnap(session, router.url, "core/Transaction", [], password=PW)
    assert empty == {"result": "OK", "responses": []}


async def test_legacy_top_level_unknown_action(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim = await router_factory(profile="legacy", password=PW)
    answer = await transaction(
        session,
        sim.url,
        [
            ("routerleds/SetRouterLEDSettings", {"isSwitchportLEDEnabled": False}),
            ("router/GetWANStatus2", {}),
        ],
        password=PW,
    )
    assert answer["result"] == "_ErrorUnknownAction"
    assert "responses" not in answer
    assert sim.state.leds.is_switchport_led_enabled is True
    ok = await transaction(
        session,
        sim.url,
        [("router/GetWANStatus", {}), ("devicelist/GetDevices", {})],
        password=PW,
    )
    assert ok["result"] == "OK"


async def test_velop_mixed_auth_refusal(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim = await router_factory(profile="velop", password=PW)
    answer = await transaction(
        session,
        sim.url,
        [
            ("router/GetWANStatus3", {}),
            ("core/GetDeviceInfo", {}),
            ("devicelist/GetDevices3", {}),
        ],
        password=PW,
    )
    assert answer["result"] == "Error"
    res = answer["responses"]
    assert [r["result"] for r in res] == [
        "OK",
        "_ErrorUnauthorized",
        "_ErrorAbortedAction",
    ]
    assert res[1]["error"] == "Mixed authorization in transaction"
    opened = await transaction(
        session,
        sim.url,
        [("core/GetDeviceInfo", {}), ("core/IsAdminPasswordDefault", {})],
    )
    assert opened["result"] == "OK"
    closed = await transaction(
        session,
        sim.url,
        [("router/GetWANStatus3", {}), ("devicelist/GetDevices3", {})],
        password=PW,
    )
    assert closed["result"] == "OK"
    # smartwifi accepts the same mix.
    mixed = await router_factory(password=PW)
    ok = await transaction(
        session,
        mixed.url,
        [("core/GetDeviceInfo", {}), ("router/GetWANStatus", {})],
        password=PW,
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
    for action in missing:
        assert (await jnap(session, sim.url, action, password=PW))[
            "result"
        ] == "_ErrorUnknownAction", action
    for action in available:
        body = {"deviceID": "nope"} if action == "devicelist/DeleteDevice" else {}
        answer = await jnap(session, sim.url, action, body, password=PW)
        assert answer["result"] in ("OK", "ErrorUnknownDevice"), (action, answer)


async def test_add_remove_service(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    router.remove_service("routerleds/RouterLEDs")
    assert (
        await jnap(session, router.url, "routerleds/GetRouterLEDSettings", password=PW)
    )["result"] == "_ErrorUnknownAction"
    info = await jnap(session, router.url, "core/GetDeviceInfo")
    assert (
        "http://linksys.com/jnap/routerleds/RouterLEDs"
        not in info["output"]["services"]
    )
    router.add_service("http://linksys.com/jnap/routerleds/RouterLEDs")
    assert (
        await jnap(session, router.url, "routerleds/GetRouterLEDSettings", password=PW)
    )["result"] == "OK"


# ---------------------------------------------------------------- Set = replace


async def _get(
    session: aiohttp.ClientSession, sim: RouterSimulator, action: str
) -> dict[str, Any]:
    answer = await jnap(session, sim.url, action, password=PW)
    assert answer["result"] == "OK", answer
    out: dict[str, Any] = answer["output"]
    return out


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
    return {
        "isBandSteeringEnabled": out["isBandSteeringEnabled"],
        "bandSteeringMode": out["bandSteeringMode"],
        "radios": [
            {"radioID": r["radioID"], "settings": copy.deepcopy(r["settings"])}
            for r in out["radios"]
        ],
    }


async def test_set_replace_rules(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    url = router.url
    guest = await _get(session, router, "guestnetwork/GetGuestRadioSettings")
    parental = await _get(session, router, "parentalcontrol/GetParentalControlSettings")
    radios = await _get(session, router, "wirelessap/GetRadioInfo3")
    leds = await _get(session, router, "routerleds/GetRouterLEDSettings")
    assert len(parental["rules"]) == 2
    assert all(len(r["blockedURLs"]) > 0 for r in parental["rules"])
    assert parental["maxRules"] == 14
    assert len(guest["radios"]) == 2
    assert guest["maxSimultaneousGuestsLimit"] == 50
    assert "canEnableRadio" in guest["radios"][0]

    cases: list[tuple[str, dict[str, Any], str, str]] = []
    g = _guest_input(guest)
    del g["radios"][1]["guestPassword"]
    cases.append(
        (
            "guestnetwork/SetGuestRadioSettings",
            g,
            "_ErrorInvalidInput",
            'Missing member "guestPassword"',
        )
    )
    g = _guest_input(guest)
    g["maxSimultaneousGuestsLimit"] = 50
    cases.append(
        (
            "guestnetwork/SetGuestRadioSettings",
            g,
            "_ErrorInvalidInput",
            'Encountered unexpected member "maxSimultaneousGuestsLimit"',
        )
    )
    g = _guest_input(guest)
    g["radios"][0]["canEnableRadio"] = True
    cases.append(
        (
            "guestnetwork/SetGuestRadioSettings",
            g,
            "_ErrorInvalidInput",
            'Encountered unexpected member "canEnableRadio"',
        )
    )
    g = _guest_input(guest)
    g["radios"][0]["guestSSID"] = radios["radios"][0]["settings"]["ssid"]
    cases.append(
        ("guestnetwork/SetGuestRadioSettings", g, "ErrorGuestSSIDConflict", "")
    )
    g = _guest_input(guest)
    g["maxSimultaneousGuests"] = "10"
    cases.append(
        (
            "guestnetwork/SetGuestRadioSettings",
            g,
            "_ErrorInvalidInput",
            'Invalid value for member "maxSimultaneousGuests"',
        )
    )
    p = _parental_input(parental)
    p["maxRules"] = 14
    cases.append(
        (
            "parentalcontrol/SetParentalControlSettings",
            p,
            "_ErrorInvalidInput",
            'Encountered unexpected member "maxRules"',
        )
    )
    p = _parental_input(parental)
    del p["rules"][1]["blockedURLs"]
    cases.append(
        (
            "parentalcontrol/SetParentalControlSettings",
            p,
            "_ErrorInvalidInput",
            'Missing member "blockedURLs"',
        )
    )
    p = _parental_input(parental)
    del p["rules"][0]["wanSchedule"]["saturday"]
    cases.append(
        (
            "parentalcontrol/SetParentalControlSettings",
            p,
            "_ErrorInvalidInput",
            'Missing member "saturday"',
        )
    )
    p = _parental_input(parental)
    p["rules"][0]["wanSchedule"]["holiday"] = "1" * 48
    cases.append(
        (
            "parentalcontrol/SetParentalControlSettings",
            p,
            "_ErrorInvalidInput",
            'Encountered unexpected member "holiday"',
        )
    )
    p = _parental_input(parental)
    p["rules"][0]["wanSchedule"]["monday"] = "1" * 47
    cases.append(
        ("parentalcontrol/SetParentalControlSettings", p, "ErrorInvalidWANSchedule", "")
    )
    p = _parental_input(parental)
    p["rules"][0]["wanSchedule"]["monday"] = "2" * 48
    cases.append(
        ("parentalcontrol/SetParentalControlSettings", p, "ErrorInvalidWANSchedule", "")
    )
    p = _parental_input(parental)
    p["rules"] = p["rules"] * 8
    cases.append(
        ("parentalcontrol/SetParentalControlSettings", p, "_ErrorInvalidInput", "")
    )
    p = _parental_input(parental)
    p["rules"][0]["isEnabled"] = 1
    cases.append(
        (
            "parentalcontrol/SetParentalControlSettings",
            p,
            "_ErrorInvalidInput",
            'Invalid value for member "isEnabled"',
        )
    )
    r = _radio_input(radios)
    del r["radios"][0]["settings"]["wpaPersonalSettings"]["passphrase"]
    cases.append(
        (
            "wirelessap/SetRadioSettings3",
            r,
            "_ErrorInvalidInput",
            'Missing member "passphrase"',
        )
    )
    r = _radio_input(radios)
    r["radios"][1]["settings"]["bssid"] = "x"
    cases.append(
        (
            "wirelessap/SetRadioSettings3",
            r,
            "_ErrorInvalidInput",
            'Encountered unexpected member "bssid"',
        )
    )
    r = _radio_input(radios)
    r["radios"][0]["band"] = "2.4GHz"
    cases.append(
        (
            "wirelessap/SetRadioSettings3",
            r,
            "_ErrorInvalidInput",
            'Encountered unexpected member "band"',
        )
    )
    r = _radio_input(radios)
    del r["bandSteeringMode"]
    cases.append(
        (
            "wirelessap/SetRadioSettings3",
            r,
            "_ErrorInvalidInput",
            'Missing member "bandSteeringMode"',
        )
    )
    r = _radio_input(radios)
    r["radios"][0]["settings"]["channel"] = 165
    cases.append(
        (
            "wirelessap/SetRadioSettings3",
            r,
            "_ErrorInvalidInput",
            'Invalid value for member "channel"',
        )
    )
    cases.append(
        (
            "routerleds/SetRouterLEDSettings",
            {},
            "_ErrorInvalidInput",
            'Missing member "isSwitchportLEDEnabled"',
        )
    )
    cases.append(
        (
            "routerleds/SetRouterLEDSettings",
            {"isSwitchportLEDEnabled": "false"},
            "_ErrorInvalidInput",
            'Invalid value for member "isSwitchportLEDEnabled"',
        )
    )
    cases.append(
        (
            "firmwareupdate/SetFirmwareUpdateSettings",
            {"updatePolicy": "Manual"},
            "_ErrorInvalidInput",
            'Missing member "autoUpdateWindow"',
        )
    )
    cases.append(
        (
            "firmwareupdate/SetFirmwareUpdateSettings",
            {"updatePolicy": "Manual", "autoUpdateWindow": {"startMinute": 0}},
            "_ErrorInvalidInput",
            'Missing member "durationMinutes"',
        )
    )

    for action, body, result, error in cases:
        answer = await jnap(session, url, action, body, password=PW)
        assert answer["result"] == result, (action, body, answer)
        if error:
            assert answer["error"] == error, (action, answer)
    # Nothing changed, nothing logged.
    assert router.write_log == []
    assert await _get(session, router, "guestnetwork/GetGuestRadioSettings") == guest
    assert (
        await _get(session, router, "parentalcontrol/GetParentalControlSettings")
        == parental
    )
    assert await _get(session, router, "wirelessap/GetRadioInfo3") == radios
    assert await _get(session, router, "routerleds/GetRouterLEDSettings") == leds


async def test_set_accepted_writes(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    guest = await _get(session, router, "guestnetwork/GetGuestRadioSettings")
    g = _guest_input(guest)
    g["isGuestNetworkEnabled"] = False
    answer = await jnap(
        session, router.url, "guestnetwork/SetGuestRadioSettings", g, password=PW
    )
    assert answer == {
        "result": "OK",
        "output": {},
        "sideEffects": ["WirelessInterruption"],
    }
    after = await _get(session, router, "guestnetwork/GetGuestRadioSettings")
    assert after["isGuestNetworkEnabled"] is False
    assert after["radios"] == guest["radios"]

    parental = await _get(session, router, "parentalcontrol/GetParentalControlSettings")
    p = _parental_input(parental)
    p["rules"] = p["rules"][:1]
    assert (
        await jnap(
            session,
            router.url,
            "parentalcontrol/SetParentalControlSettings",
            p,
            password=PW,
        )
    )["result"] == "OK"
    assert len(router.state.parental.rules) == 1

    radios = await _get(session, router, "wirelessap/GetRadioInfo3")
    r = _radio_input(radios)
    r["radios"] = r["radios"][1:]
    r["radios"][0]["settings"]["ssid"] = "NewName5"
    assert (
        await jnap(session, router.url, "wirelessap/SetRadioSettings3", r, password=PW)
    )["result"] == "OK"
    assert router.state.radios[1].settings.ssid == "NewName5"
    assert (
        router.state.radios[0].settings.ssid == radios["radios"][0]["settings"]["ssid"]
    )

    fw = {
        "updatePolicy": "Manual",
        "autoUpdateWindow": {"startMinute": 60, "durationMinutes": 120},
    }
    assert (
        await jnap(
            session,
            router.url,
            "firmwareupdate/SetFirmwareUpdateSettings",
            fw,
            password=PW,
        )
    )["result"] == "OK"
    assert router.state.firmware.update_policy == "Manual"
    assert [w.action for w in router.write_log] == [
        "guestnetwork/SetGuestRadioSettings",
        "parentalcontrol/SetParentalControlSettings",
        "wirelessap/SetRadioSettings3",
        "firmwareupdate/SetFirmwareUpdateSettings",
    ]
    assert router.write_log[0].request == g


async def test_guest_v2_on_velop(
    router_factory: RouterFactory, session: aiohttp.ClientSession
) -> None:
    sim = await router_factory(profile="velop", password=PW, clients=4)
    out = await _get(session, sim, "guestnetwork/GetGuestRadioSettings2")
    assert len(out["radios"]) == 3
    assert "guestWPAPassphrase" in out["radios"][0]
    assert "guestPassword" not in out["radios"][0]
    g = _guest_input(out, "guestWPAPassphrase")
    assert (
        await jnap(
            session, sim.url, "guestnetwork/SetGuestRadioSettings2", g, password=PW
        )
    )["error"] == 'Missing member "isGuestNetworkACaptivePortal"'
    g["isGuestNetworkACaptivePortal"] = False
    g["radios"][2]["guestWPAPassphrase"] = "another-passphrase"
    assert (
        await jnap(
            session, sim.url, "guestnetwork/SetGuestRadioSettings2", g, password=PW
        )
    )["result"] == "OK"
    assert sim.state.guest.radios[2].guest_password == "another-passphrase"


async def test_other_settings(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    url = router.url
    t = await _get(session, router, "locale/GetTimeSettings")
    assert {
        "timeZoneID",
        "autoAdjustForDST",
        "currentTime",
        "supportedTimeZones",
    } <= set(t)
    body = {"timeZoneID": "CET-1CEST", "autoAdjustForDST": True}
    assert (await jnap(session, url, "locale/SetTimeSettings", body, password=PW))[
        "result"
    ] == "OK"
    assert (
        await jnap(
            session, url, "locale/SetTimeSettings", {"timeZoneID": "Mars"}, password=PW
        )
    )["result"] == "_ErrorInvalidInput"
    assert (
        await jnap(
            session,
            url,
            "routerlog/SetLogSettings",
            {"isLoggingEnabled": True},
            password=PW,
        )
    )["result"] == "OK"
    entries = await jnap(
        session,
        url,
        "routerlog/GetOutgoingLogEntries",
        {"firstEntryIndex": 1, "entryCount": 5},
        password=PW,
    )
    assert len(entries["output"]["entries"]) == 5
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
        assert (await jnap(session, url, action, password=PW))["result"] == "OK", action


async def test_wrong_password_on_open_actions_counts(
    router: RouterSimulator, session: aiohttp.ClientSession
) -> None:
    answer = await jnap(session, router.url, "core/GetDeviceInfo", password="wrong")
    assert answer["result"] == "OK"
    assert router.state.admin.failures == 1
    assert router.requests[-1].auth == "bad"
    # Split batches with a wrong password: each POST counts once.
    await transaction(
        session, router.url, [("core/GetDeviceInfo", {})], password="wrong"
    )
    await transaction(
        session,
        router.url,
        [("router/GetWANStatus", {}), ("router/GetLANSettings", {})],
        password="wrong",
    )
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
