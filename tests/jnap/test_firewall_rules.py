"""The firmware's port rule checks as the library applies them (firewall.lua, util.lua)."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.linksys_jnap.jnap.errors import JNAPPreconditionError
from custom_components.linksys_jnap.jnap.firewall import (
    RULE_GONE,
    NewForward,
    add_forward_body,
    target_in_lan,
    toggle_body,
)
from custom_components.linksys_jnap.jnap.models_firewall import PortRules

LAN = {"ipAddress": "10.0.0.1", "networkPrefixLength": 30}


def _rule(port: int, **extra: Any) -> dict[str, Any]:
    return {
        "isEnabled": True,
        "externalPort": port,
        "protocol": "TCP",
        "internalServerIPAddress": "10.0.0.2",
        "internalPort": port,
        "description": "",
        **extra,
    }


def test_twin_and_unusable_rules() -> None:
    """Rules stored before the overlap check each get a key; unusable ones are skipped."""
    rules = PortRules.from_json(
        {"rules": [_rule(80), _rule(80), {"externalPort": "x"}]}, kind="single"
    )
    assert [r.key for r in rules.rules] == ["single_tcp_80", "single_tcp_80_2"]
    assert rules.rules[0].label == "TCP 80"
    body = toggle_body(
        {"rules": [_rule(80), _rule(80, isEnabled=False)]},
        "single",
        "single_tcp_80_2",
        True,
    )
    assert body == {"rules": [_rule(80), _rule(80)]}
    with pytest.raises(JNAPPreconditionError) as err:
        toggle_body({"rules": []}, "single", "single_tcp_80", True)
    assert err.value.code == RULE_GONE


@pytest.mark.parametrize(
    ("target", "lan_ip", "prefix", "ok"),
    [
        ("10.0.0.2", "10.0.0.1", 30, True),
        ("10.0.0.3", "10.0.0.1", 30, False),  # broadcast
        ("10.0.0.0", "10.0.0.1", 31, True),  # RFC 3021: /31 has no reserved addresses
        ("10.0.0.1", "10.0.0.1", 31, False),  # the router
        ("10.0.0.2", "not an address", 24, False),
    ],
)
def test_target_in_lan(target: str, lan_ip: str, prefix: int, ok: bool) -> None:
    assert target_in_lan(target, lan_ip, prefix) is ok


def test_unknown_protocol_is_not_sent() -> None:
    rule = NewForward("x", "ICMP", 1, 1, "10.0.0.2", internal_port=1)
    with pytest.raises(JNAPPreconditionError):
        add_forward_body(rule, {"rules": []}, {"rules": []}, LAN)


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        (
            NewForward("x", "TCP", 70000, 70000, "10.0.0.2", 1),
            "ErrorInvalidExternalPort",
        ),
        (NewForward("x", "TCP", 1, 1, "10.0.0.2", 70000), "ErrorInvalidInternalPort"),
        (NewForward("x", "TCP", 9, 1, "10.0.0.2"), "ErrorInvalidExternalPortRange"),
        (NewForward("é" * 17, "TCP", 1, 1, "10.0.0.2", 1), "ErrorDescriptionTooLong"),
    ],
)
def test_what_the_firmware_refuses_in_a_rule(rule: NewForward, code: str) -> None:
    lists = {"rules": [], "maxDescriptionLength": 32}
    with pytest.raises(JNAPPreconditionError) as err:
        add_forward_body(rule, lists, lists, LAN)
    assert err.value.code == code
