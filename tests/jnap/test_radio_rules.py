"""The firmware's rules for the radio and Wi-Fi schedule Set inputs (jnap/radio.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.linksys_jnap.jnap import JNAPInvalidInputError
from custom_components.linksys_jnap.jnap.errors import JNAPPreconditionError
from custom_components.linksys_jnap.jnap.parental import weekly_schedule
from custom_components.linksys_jnap.jnap.radio import (
    BAND_STEERING_JOINED,
    radio_enabled_body,
    scheduler_body,
)

REAL = Path(__file__).parents[1] / "fixtures" / "real"
SRC = "wirelessap/GetRadioInfo3"


def _radios(recording: str) -> dict[str, Any]:
    answers = json.loads((REAL / f"{recording}.json").read_text())["answers"]
    output: dict[str, Any] = answers[SRC]["output"]
    return output


def test_real_mx62_open_radio_gets_no_passphrase_block() -> None:
    """A real main radio with security None has no wpaPersonalSettings: none is sent."""
    current = _radios("mx62_maple")
    body = radio_enabled_body(current, "RADIO_2.4GHz", False, source=SRC)
    assert body is not None
    assert set(body) == {"radios"}  # isBandSteeringSupported false: no steering members
    by_id = {r["radioID"]: r["settings"] for r in body["radios"]}
    assert by_id["RADIO_2.4GHz"]["isEnabled"] is False
    assert "wpaPersonalSettings" not in by_id["RADIO_2.4GHz"]
    # Every other radio exactly as read (settings members only).
    for radio in current["radios"]:
        if radio["radioID"] != "RADIO_2.4GHz":
            assert by_id[radio["radioID"]] == radio["settings"]


def test_unchanged_radio_sends_nothing_and_unknown_radio_is_refused() -> None:
    current = _radios("whw03_fee")
    assert radio_enabled_body(current, "RADIO_5GHz", True, source=SRC) is None
    with pytest.raises(JNAPInvalidInputError):
        radio_enabled_body(current, "RADIO_60GHz", False, source=SRC)


def test_security_blocks_and_band_steering_members() -> None:
    current = copy.deepcopy(_radios("whw03_fee"))
    wep = {"encryption": "WEP-64", "key1": "ABCDEF0123", "key2": "", "key3": "",
           "key4": "", "txKey": 1}  # fmt: skip
    settings = current["radios"][0]["settings"]
    settings["security"] = "WEP"
    del settings["wpaPersonalSettings"]
    settings["wepSettings"] = wep
    current |= {"isBandSteeringSupported": True, "isBandSteeringEnabled": False}
    body = radio_enabled_body(current, "RADIO_2.4GHz", False, source=SRC)
    assert body is not None
    assert body["isBandSteeringEnabled"] is False
    assert "bandSteeringMode" not in body
    assert body["radios"][0]["settings"]["wepSettings"] == wep
    # On, in Basic mode: the two 5 GHz radios are joined, the 2.4 GHz one is not.
    current |= {"isBandSteeringEnabled": True, "bandSteeringMode": "Basic"}
    body = radio_enabled_body(current, "RADIO_2.4GHz", False, source=SRC)
    assert body is not None
    assert body["bandSteeringMode"] == "Basic"
    with pytest.raises(JNAPPreconditionError) as err:
        radio_enabled_body(current, "RADIO_5GHz_2", False, source=SRC)
    assert err.value.code == BAND_STEERING_JOINED
    # A mode the client doesn't know: TriBand's rule, the strictest.
    current["bandSteeringMode"] = "Future"
    with pytest.raises(JNAPPreconditionError):
        radio_enabled_body(current, "RADIO_2.4GHz", False, source=SRC)


SCHEDULER: dict[str, Any] = {
    "isWirelessSchedulerEnabled": False,
    "wirelessSchedule": dict.fromkeys(
        ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"),
        "1" * 48,
    ),
    "configuredRadios": [],
    "configurableRadios": [
        {"radioID": "RADIO_2.4GHz", "isGuestRadio": False},
        {"radioID": "RADIO_5GHz", "isGuestRadio": False},
        {"radioID": "RADIO_6GHz", "isGuestRadio": False},
        {"radioID": "RADIO_2.4GHz", "isGuestRadio": True},
    ],
}


def test_scheduler_body() -> None:
    src = "wirelessscheduler/GetWirelessSchedulerSettings"
    # The real answer's shape (PrivacyGUI jnap_result_test.dart): three members back.
    assert scheduler_body(SCHEDULER, source=src) == {
        k: SCHEDULER[k]
        for k in ("isWirelessSchedulerEnabled", "wirelessSchedule", "configuredRadios")
    }
    week = weekly_schedule([(1, 44, 14)])
    body = scheduler_body(SCHEDULER, schedule=week, enabled=True, source=src)
    assert body["configuredRadios"] == [
        {"radioID": r, "isGuestRadio": False}
        for r in ("RADIO_2.4GHz", "RADIO_5GHz", "RADIO_6GHz")
    ]
    current = SCHEDULER | {
        "configuredRadios": [{"radioID": "RADIO_2.4GHz", "isGuestRadio": True}]
    }
    body = scheduler_body(current, radios=["RADIO_6GHz"], source=src)
    assert body["configuredRadios"] == [
        {"radioID": "RADIO_6GHz", "isGuestRadio": False},
        {"radioID": "RADIO_2.4GHz", "isGuestRadio": True},
    ]
    with pytest.raises(JNAPInvalidInputError):
        scheduler_body(current, radios=["RADIO_5GHz_2"], source=src)
