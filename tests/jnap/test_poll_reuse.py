"""Polls reuse what did not change: parsed connections, MAC spellings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from custom_components.linksys_jnap.jnap import JNAPClient
from custom_components.linksys_jnap.jnap.client import _loads
from custom_components.linksys_jnap.jnap.models import (
    EntryMemo,
    NetworkConnection,
    normalize_mac,
)

from .conftest import PASSWORD


def _conn(mac: str, signal: int = -50) -> dict[str, Any]:
    return {
        "macAddress": mac,
        "negotiatedMbps": 866,
        "wireless": {
            "bssid": "c4:41:1e:00:00:01",
            "isGuest": False,
            "band": "5GHz",
            "signalDecibels": signal,
        },
    }


def test_memo_reuses_unchanged_entries_only() -> None:
    memo = NetworkConnection.memo()
    first = NetworkConnection.list_from_json(
        {"connections": [_conn("aa:bb:cc:00:00:01"), _conn("AA-BB-CC-00-00-02")]}, memo
    )
    second = NetworkConnection.list_from_json(
        {
            "connections": [
                _conn("aa:bb:cc:00:00:01"),
                _conn("AA-BB-CC-00-00-02", signal=-70),
                _conn("aa:bb:cc:00:00:03"),
            ]
        },
        memo,
    )
    assert [c.mac for c in second] == [
        "AA:BB:CC:00:00:01",
        "AA:BB:CC:00:00:02",
        "AA:BB:CC:00:00:03",
    ]
    assert second[0] is first[0]
    assert second[1] is not first[1]
    assert second[1].signal_dbm == -70
    assert second[1].bssid == "C4:41:1E:00:00:01"
    # Parsed with and without the memo: the same models.
    assert second == NetworkConnection.list_from_json(
        {
            "connections": [
                _conn("aa:bb:cc:00:00:01"),
                _conn("AA-BB-CC-00-00-02", signal=-70),
                _conn("aa:bb:cc:00:00:03"),
            ]
        }
    )


def test_memo_returns_the_same_tuple_for_the_same_list() -> None:
    memo = NetworkConnection.memo()
    items = [_conn("aa:bb:cc:00:00:01")]
    first = memo.parse(items)
    assert memo.parse([_conn("aa:bb:cc:00:00:01")]) is first
    assert memo.parse([_conn("aa:bb:cc:00:00:01", signal=-60)]) is not first


def test_json_the_fast_decoder_refuses_still_decodes() -> None:
    assert _loads('{"a": NaN, "b": [1]}')["b"] == [1]
    assert _loads('{"result": "OK"}') == {"result": "OK"}


def test_memo_forgets_entries_that_left_and_skips_unusable_ones() -> None:
    calls: list[Any] = []

    def parser(item: Any) -> str:
        calls.append(item)
        return str(NetworkConnection.from_json(item).mac)

    memo: EntryMemo[str] = EntryMemo("macAddress", parser)
    assert memo.parse([_conn("aa:bb:cc:00:00:01"), {"macAddress": "nope"}, 7]) == (
        "AA:BB:CC:00:00:01",
    )
    assert memo.parse([]) == ()
    calls.clear()
    # Gone in between: parsed again when it comes back.
    assert memo.parse([_conn("aa:bb:cc:00:00:01")]) == ("AA:BB:CC:00:00:01",)
    assert len(calls) == 1
    assert memo.parse("not a list") == ()


def test_normalize_mac_spellings_stay_the_same_when_cached() -> None:
    for _ in range(2):
        assert normalize_mac("aa-bb-cc-dd-ee-ff") == "AA:BB:CC:DD:EE:FF"
        assert normalize_mac("aabb.ccdd.eeff") == "AA:BB:CC:DD:EE:FF"
        assert normalize_mac(" a:b:c:d:e:f ") == "0A:0B:0C:0D:0E:0F"
        assert normalize_mac("aa:bb:cc:dd:ee") is None
        assert normalize_mac("gg:bb:cc:dd:ee:ff") is None
        assert normalize_mac(42) is None


async def test_poll_reuses_connections_the_router_reports_unchanged(
    router_factory: Callable[..., Awaitable[Any]],
    make_client: Callable[..., JNAPClient],
) -> None:
    sim = await router_factory(clients=20, seed=3, password=PASSWORD)
    client = make_client(sim)
    first = await client.poll()
    assert first.connections
    wireless = next(c for c in first.connections if c.band == "5GHz")
    sim.roam(wireless.mac, "2.4GHz")
    second = await client.poll()
    assert second.connections is not None
    before = {c.mac: c for c in first.connections}
    for conn in second.connections:
        if conn.mac == wireless.mac:
            assert conn is not before[conn.mac]
            assert conn.band == "2.4GHz"
        else:
            assert conn is before[conn.mac]


async def test_poll_reuses_settings_the_router_reports_unchanged(
    router_factory: Callable[..., Awaitable[Any]],
    make_client: Callable[..., JNAPClient],
) -> None:
    sim = await router_factory(password=PASSWORD)
    client = make_client(sim)
    first = await client.poll()
    second = await client.poll()
    parts = (
        "wan_status",
        "guest_network",
        "leds",
        "parental_control",
        "firmware_update",
    )
    for part in parts:
        assert getattr(first, part) is not None, part
        assert getattr(second, part) is getattr(first, part), part
    assert first.leds is not None
    assert first.leds.is_switchport_led_enabled is True
    sim.state.leds.is_switchport_led_enabled = False
    third = await client.poll()
    assert third.leds is not first.leds
    assert third.leds is not None
    assert third.leds.is_switchport_led_enabled is False
    assert third.guest_network is first.guest_network


def test_memo_reuses_entries_that_moved_and_reparses_changed_ones() -> None:
    memo = NetworkConnection.memo()
    a, b, c = (_conn(f"aa:bb:cc:00:00:0{i}") for i in (1, 2, 3))
    first = memo.parse([a, b, 7, c])
    assert len(first) == 3
    # Reordered (by key), one changed in place, an unusable entry replaced by a usable one.
    second = memo.parse([c, _conn("aa:bb:cc:00:00:02", signal=-80), a, b])
    assert second[0] is first[2]
    assert second[1] is not first[1]
    assert second[1].signal_dbm == -80
    assert second[2] is first[0]
    assert second[3] is first[1]  # found by key: same JSON as last time
    assert second == NetworkConnection.list_from_json(
        {"connections": [c, _conn("aa:bb:cc:00:00:02", signal=-80), a, b]}
    )


def test_memo_of_keyed_objects_skips_unusable_ones_and_asks_them_again() -> None:
    calls: list[Any] = []

    def parser(item: Any) -> str:
        calls.append(item)
        return str(NetworkConnection.from_json(item).mac)

    memo: EntryMemo[str] = EntryMemo("macAddress", parser)
    good, bad = _conn("aa:bb:cc:00:00:01"), {"macAddress": "nope"}
    twin = _conn("AA:BB:CC:00:00:01", signal=-70)  # the same key twice in one answer
    assert memo.parse([good, bad, twin]) == ("AA:BB:CC:00:00:01",) * 2
    calls.clear()
    # A new list with the same entries: the unusable one is parsed (and refused) again,
    # the usable ones only if they differ from the entry their key held last time.
    assert memo.parse([bad, twin, _conn("aa:bb:cc:00:00:02")]) == (
        "AA:BB:CC:00:00:01",
        "AA:BB:CC:00:00:02",
    )
    assert calls == [bad, _conn("aa:bb:cc:00:00:02")]
