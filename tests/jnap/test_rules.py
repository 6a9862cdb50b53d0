"""The Set inputs the library builds, checked against the firmware's rules (docs/firmware-facts.md)."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.linksys_jnap.jnap import JNAPRuleConflictError
from custom_components.linksys_jnap.jnap.guest import guest_set_body
from custom_components.linksys_jnap.jnap.models import (
    Device,
    NetworkConnection,
    WANSchedule,
    node_connections_from_json,
)
from custom_components.linksys_jnap.jnap.parental import (
    LentRule,
    NotRestored,
    block_body,
    block_now_body,
    block_rule_description,
    unblock_now_body,
)
from custom_components.linksys_jnap.jnap.presence import DeviceRole, device_roles
from custom_components.linksys_jnap.jnap.qos import priority_body
from custom_components.linksys_jnap.jnap.text import ascii_text

BLOCKED = "0" * 48
ALLOWED = "1" * 48
DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")


def _rule(description: str, macs: list[str], day: str = BLOCKED) -> dict[str, Any]:
    return {
        "isEnabled": True,
        "description": description,
        "macAddresses": macs,
        "blockedURLs": [],
        "wanSchedule": dict.fromkeys(DAYS, day),
    }


def _parental(*rules: dict[str, Any], enabled: bool = True) -> dict[str, Any]:
    return {
        "isParentalControlEnabled": enabled,
        "rules": list(rules),
        "maxRules": 14,
        "maxRuleMACAddresses": 32,
        "maxRuleBlockedURLs": 10,
        "maxRuleBlockedURLLength": 63,
        "maxRuleDescriptionLength": 32,
    }


def test_descriptions_are_printable_ascii_within_the_byte_limit() -> None:
    # isValidDescription: bytes 32-126 only; the limit counts bytes.
    assert ascii_text("John\u2019s iPhone") == "John's iPhone"
    assert ascii_text("Zo\u00eb\u2019s  Café 📱") == "Zoe's Cafe"
    assert ascii_text("書房") == ""
    text = block_rule_description("Natalie\u7684MacBook Air", 16)
    assert text == "HA block Natalie"
    assert len(text.encode()) <= 16
    assert all(32 <= b <= 126 for b in text.encode())


def test_block_never_overlaps_a_users_rule() -> None:
    mac = "AA:BB:CC:DD:EE:01"
    scheduled = _rule("Homework", [mac], day="0" * 16 + "1" * 32)
    with pytest.raises(JNAPRuleConflictError) as err:
        block_body(_parental(scheduled), [mac], True, label="tablet")
    assert err.value.rule == "Homework"
    # A user's rule that already blocks around the clock is reused: no write at all.
    assert (
        block_body(_parental(_rule("Grounded", [mac])), [mac], True, label="x") is None
    )
    # ...and the device's other MAC goes into a rule of ours.
    other = "AA:BB:CC:DD:EE:02"
    body = block_body(
        _parental(_rule("Grounded", [mac])), [mac, other], True, label="x"
    )
    assert body is not None
    assert body["rules"][0] == _rule("Grounded", [mac])
    assert body["rules"][1]["macAddresses"] == [other]
    all_macs = [m for r in body["rules"] for m in r["macAddresses"]]
    assert len(all_macs) == len(set(all_macs))  # ErrorRulesOverlap never happens
    # Unblocking can't lift a user's block: refused, nothing sent.
    with pytest.raises(JNAPRuleConflictError):
        block_body(_parental(_rule("Grounded", [mac])), [mac], False, label="x")


def _applied(current: dict[str, Any], body: dict[str, Any] | None) -> dict[str, Any]:
    return current if body is None else {**current, **body}


def test_block_now_lends_and_unblock_gives_back_in_order() -> None:
    a, b, c = "AA:00:00:00:00:01", "AA:00:00:00:00:02", "AA:00:00:00:00:03"
    start = _parental(_rule("Homework", [a, b, c], day="0" * 16 + "1" * 32))
    body, lent = block_now_body(start, [b.lower()], label="tablet")
    assert body is not None
    assert body["rules"][0]["macAddresses"] == [a, c]
    assert body["rules"][1]["macAddresses"] == [b]
    assert lent == (LentRule(0, start["rules"][0], frozenset({b})),)
    assert LentRule.from_json(lent[0].to_json()) == lent[0]
    blocked = _applied(start, body)
    # Blocked already: nothing to send, the loans as they were.
    assert block_now_body(blocked, [b], label="tablet", lent=lent) == (None, lent)
    body, left, missing = unblock_now_body(blocked, [b], label="tablet", lent=lent)
    assert _applied(blocked, body) == start
    assert (left, missing) == ((), ())


def test_a_rule_left_without_macs_is_disabled_until_they_return() -> None:
    a = "AA:00:00:00:00:01"
    start = _parental(_rule("Bedtime", [a], day="1" * 40 + "0" * 8))
    body, lent = block_now_body(start, [a], label="tablet")
    assert body is not None
    assert body["rules"][0] == {
        **start["rules"][0],
        "macAddresses": [],
        "isEnabled": False,
    }
    body, left, missing = unblock_now_body(
        _applied(start, body), [a], label="tablet", lent=lent
    )
    assert _applied(start, body) == start
    assert (left, missing) == ((), ())


def test_unblock_puts_back_only_what_is_free() -> None:
    a, b, c = "AA:00:00:00:00:01", "AA:00:00:00:00:02", "AA:00:00:00:00:03"
    start = _parental(_rule("Homework", [a, b], day="0" * 16 + "1" * 32))
    body, lent = block_now_body(start, [a, b], label="tablet")
    blocked = _applied(start, body)
    # The user deletes our block and lists b in a rule of theirs: b stays there.
    users = _rule("Other", [b], day=ALLOWED)
    edited = {**blocked, "rules": [blocked["rules"][0], users]}
    body, left, missing = unblock_now_body(edited, [a, b], label="tablet", lent=lent)
    assert body is not None
    assert body["rules"] == [_rule("Homework", [a], day="0" * 16 + "1" * 32), users]
    assert (left, missing) == ((), ())
    # A rule the user changed is not touched; its MACs are reported, others kept lent.
    body, lent = block_now_body(start, [a], label="tablet")
    blocked = _applied(start, body)
    body, lent = block_now_body(blocked, [b, c], label="phone", lent=lent)
    blocked = _applied(blocked, body)
    blocked["rules"][0]["blockedURLs"] = ["example.com"]
    # Blocking another device meanwhile keeps the changed rule's loan as it is.
    other = "AA:00:00:00:00:04"
    assert block_now_body(blocked, [other], label="tv", lent=lent)[1] == lent
    body, left, missing = unblock_now_body(blocked, [a], label="tablet", lent=lent)
    assert missing == (NotRestored("Homework", (a,)),)
    assert [loan.lent for loan in left] == [frozenset({b})]
    assert body is not None
    assert body["rules"][0] == blocked["rules"][0]


def test_unblock_gives_the_schedule_back_to_free_macs_only() -> None:
    a, b = "AA:00:00:00:00:01", "AA:00:00:00:00:02"
    start = _parental(_rule("Homework", [a], day="0" * 16 + "1" * 32))
    body, lent = block_now_body(start, [a, b], label="tablet")
    blocked = _applied(start, body)
    week = WANSchedule.from_json(dict.fromkeys(DAYS, "1" * 40 + "0" * 8))
    body, _left, _missing = unblock_now_body(
        blocked, [a, b], label="tablet", lent=lent, schedule_after=week
    )
    assert body is not None
    assert body["rules"][0] == start["rules"][0]
    assert body["rules"][1]["macAddresses"] == [b]
    assert body["rules"][1]["description"] == "HA schedule tablet"


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"index": 0, "rule": {"description": "x"}, "lent": ["AA:00:00:00:00:01"]},
        {"index": "0", "rule": _rule("x", []), "lent": ["AA:00:00:00:00:01"]},
        {"index": 0, "rule": _rule("x", []), "lent": []},
        {
            "index": 0,
            "rule": {**_rule("x", []), "macAddresses": "AA"},
            "lent": ["AA:00:00:00:00:01"],
        },
    ],
)
def test_kept_loans_that_are_not_loans(data: Any) -> None:
    with pytest.raises(ValueError):
        LentRule.from_json(data)
    with pytest.raises(ValueError):
        block_now_body(_parental(), ["00:00:00:00:00:00"], label="x")
    with pytest.raises(ValueError):
        unblock_now_body(_parental(), [], label="x")


def test_block_and_unblock_keep_every_other_rule() -> None:
    users = _rule("Bedtime", ["11:22:33:44:55:66"], day="1" * 40 + "0" * 8)
    mac = "aa:bb:cc:dd:ee:03"
    body = block_body(_parental(users, enabled=False), [mac], True, label="TV")
    assert body is not None
    assert body["isParentalControlEnabled"] is True
    assert body["rules"][0] == users
    assert body["rules"][1]["macAddresses"] == ["AA:BB:CC:DD:EE:03"]
    assert set(body) == {"isParentalControlEnabled", "rules"}  # limits are output only
    unblocked = block_body(body, [mac], False, label="TV")
    assert unblocked == {"isParentalControlEnabled": True, "rules": [users]}
    assert block_body(unblocked, [mac], False, label="TV") is None
    with pytest.raises(ValueError):
        block_body(unblocked, ["00:00:00:00:00:00"], True, label="x")


def _guest(captive: bool) -> dict[str, Any]:
    key = "guestPassword" if captive else "guestWPAPassphrase"
    out: dict[str, Any] = {
        "isGuestNetworkACaptivePortal": captive,
        "isGuestNetworkEnabled": False,
        "radios": [
            {
                "radioID": "RADIO_2.4GHz",
                "isEnabled": True,
                "broadcastGuestSSID": True,
                "guestSSID": "Guests",
                key: "guest passphrase",
                "canEnableRadio": True,
            }
        ],
    }
    if captive:
        out |= {"maxSimultaneousGuests": 5, "maxSimultaneousGuestsLimit": 50}
    return out


def test_guest_v2_body_per_mode() -> None:
    wpa = guest_set_body(_guest(False), version=2, enabled=True, source="g")
    assert wpa == {
        "isGuestNetworkEnabled": True,
        "radios": [
            {
                "radioID": "RADIO_2.4GHz",
                "isEnabled": True,
                "broadcastGuestSSID": True,
                "guestSSID": "Guests",
                "guestWPAPassphrase": "guest passphrase",
            }
        ],
    }
    captive = guest_set_body(_guest(True), version=2, enabled=True, source="g")
    assert captive["maxSimultaneousGuests"] == 5
    assert "guestWPAPassphrase" not in captive["radios"][0]
    assert captive["radios"][0]["guestPassword"] == "guest passphrase"
    assert "isGuestNetworkACaptivePortal" not in captive


def test_qos_body_changes_only_the_devices_rules() -> None:
    current = {
        "isQoSEnabled": False,
        "isQoSAutoPrioritizingEnabled": True,
        "upstreamBandwidthbps": 10_000_000,
        "downstreamBandwidthbps": 100_000_000,
        "deviceRules": [
            {
                "macAddress": "11:22:33:44:55:66",
                "priority": "Low",
                "trafficType": "Background",
                "description": "NAS",
            }
        ],
        "applicationRules": [],
        "maxDescriptionLength": 64,
        "maxDeviceRules": 100,
    }
    body = priority_body(
        current, ["aa:bb:cc:dd:ee:01"], True, label="Zo\u00eb\u2019s TV"
    )
    assert body is not None
    assert "maxDeviceRules" not in body
    assert body["isQoSEnabled"] is True
    assert body["deviceRules"][0] == current["deviceRules"][0]
    assert body["deviceRules"][1] == {
        "macAddress": "AA:BB:CC:DD:EE:01",
        "priority": "High",
        "trafficType": "Generic",
        "description": "Zoe's TV",
    }
    off = priority_body(body, ["AA:BB:CC:DD:EE:01"], False, label="x")
    assert off is not None
    assert off["deviceRules"] == current["deviceRules"]
    assert priority_body(off, ["AA:BB:CC:DD:EE:01"], False, label="x") is None


def test_real_answer_quirks() -> None:
    # WHW03: its own list reports 37 where the nodes' list says -50 for the same station.
    conn = NetworkConnection.from_json(
        {
            "macAddress": "1a:f6:62:9c:7a:2b",
            "negotiatedMbps": 360,
            "wireless": {
                "band": "5GHz",
                "signalDecibels": 37,
                "radioID": "RADIO_5GHz_2",
            },
        }
    )
    assert conn.signal_dbm is None
    assert conn.radio_id == "RADIO_5GHz_2"
    # Nodes' lists: every station tagged with its node; kbit/s answers scaled.
    nodes = node_connections_from_json(
        {
            "lastTriggered": "2024-02-05T06:27:06Z",
            "nodeWirelessConnections": [
                {
                    "deviceID": "node-a",
                    "connections": [
                        {
                            "macAddress": "A8:16:9D:D6:1A:3A",
                            "negotiatedMbps": 1201000,
                            "wireless": {"band": "5GHz", "signalDecibels": -45},
                        },
                        {
                            "macAddress": "A8:16:9D:D6:1A:3B",
                            "negotiatedMbps": 6000,
                            "wireless": {"band": "2.4GHz", "signalDecibels": -70},
                        },
                    ],
                },
                {
                    "deviceID": "node-b",
                    "connections": [
                        {
                            "macAddress": "20:1F:3B:74:0B:F0",
                            "negotiatedMbps": 866,
                            "wireless": {"band": "5GHz", "signalDecibels": -60},
                        },
                    ],
                },
            ],
        }
    )
    assert [(c.node_id, c.speed_mbps) for c in nodes] == [
        ("node-a", 1201.0),
        ("node-a", 6.0),
        ("node-b", 866.0),
    ]
    # A node record without nodeType is still a node (WHW03, MX42).
    node = Device.from_json(
        {
            "deviceID": "d8ec5ea18810",
            "model": {"deviceType": "Infrastructure"},
            "knownInterfaces": [{"macAddress": "D8:EC:5E:A1:88:10"}],
        }
    )
    assert device_roles([node]) == {"d8ec5ea18810": DeviceRole.NODE}
