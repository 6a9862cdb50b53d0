"""The rules the client applies before a ping, a traceroute or a rename is sent."""

from __future__ import annotations

import pytest

from custom_components.linksys_jnap.jnap.diagnostics import (
    normalize_host,
    ping_summary,
    traceroute_hops,
)
from custom_components.linksys_jnap.jnap.text import device_name


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("192.168.1.20", "192.168.1.20"),
        (" 2001:DB8:0:0::1 ", "2001:db8::1"),
        ("www.example.com.", "www.example.com"),
        ("3com", "3com"),  # RFC 1123: a label may start with a digit
        ("a" * 63 + ".example", "a" * 63 + ".example"),
        ("a" * 64 + ".example", None),  # util.lua: labels up to 63
        (".".join(["abc"] * 64), ".".join(["abc"] * 64)),  # 255 characters
        (".".join(["abc"] * 64) + "d", None),  # 256
        ("host_name", None),
        ("-x.example", None),
        ("x-.example", None),
        ("a..b", None),
        ("example.com..", None),
        ("", None),
        ("8.8.8.8; reboot", None),
        ("a\n.example", None),  # a label is whole: no newline before its end
    ],
)
def test_hosts_the_firmware_takes(text: str, host: str | None) -> None:
    assert normalize_host(text) == host


def test_ping_summaries_of_busybox_and_iputils() -> None:
    busybox = (
        "--- 8.8.8.8 ping statistics ---\n"
        "4 packets transmitted, 3 packets received, 25% packet loss\n"
        "round-trip min/avg/max = 10.1/11.2/12.3 ms\n"
    )
    assert ping_summary(busybox) == {
        "transmitted": 4,
        "received": 3,
        "loss_percent": 25.0,
        "rtt_min_ms": 10.1,
        "rtt_avg_ms": 11.2,
        "rtt_max_ms": 12.3,
    }
    iputils = (
        "2 packets transmitted, 2 received, 0% packet loss, time 1001ms\n"
        "rtt min/avg/max/mdev = 1.000/1.500/2.000/0.500 ms\n"
    )
    assert ping_summary(iputils)["received"] == 2
    assert ping_summary(iputils)["rtt_max_ms"] == 2.0
    unknown = ping_summary("ping: bad address 'x'\n")
    assert set(unknown.values()) == {None}


def test_traceroute_hops_with_silent_ones() -> None:
    log = (
        "traceroute to example.com (93.184.216.34), 30 hops max, 38 byte packets\n"
        " 1  192.168.1.1 (192.168.1.1)  0.512 ms  0.401 ms  0.399 ms\n"
        " 2  * * *\n"
        " 3  example.com (93.184.216.34)  12.1 ms  11.9 ms  12.0 ms\n"
    )
    assert traceroute_hops(log) == [
        {
            "hop": 1,
            "host": "192.168.1.1",
            "address": "192.168.1.1",
            "rtt_ms": [0.512, 0.401, 0.399],
        },
        {"hop": 2, "host": None, "address": None, "rtt_ms": []},
        {
            "hop": 3,
            "host": "example.com",
            "address": "93.184.216.34",
            "rtt_ms": [12.1, 11.9, 12.0],
        },
    ]


def test_device_names_as_the_router_keeps_them() -> None:
    assert device_name("  Emma's\tiPad \n") == "Emma's iPad"
    assert device_name("Cafe\u0301 TV\u200b") == "Café TV"
    assert device_name("x" * 255) == "x" * 255
    with pytest.raises(ValueError, match="255 bytes"):
        device_name("é" * 128)  # 256 bytes
