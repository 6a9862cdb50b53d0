"""The device list's live-connection version, declared once in jnap/presence.py."""

from __future__ import annotations

from custom_components.linksys_jnap.jnap import FAMILIES, JNAP_PREFIX
from custom_components.linksys_jnap.jnap.actions import GET_DEVICES
from custom_components.linksys_jnap.jnap.presence import (
    DEVICE_LIST_LIVE_VERSION,
    device_list_has_live_connections,
)


def test_only_device_list_versions_from_3_have_live_connections() -> None:
    versions = {spec.short: spec.version for spec in FAMILIES[GET_DEVICES]}
    assert versions == {"devicelist/GetDevices3": 3, "devicelist/GetDevices": 1}
    for short, version in versions.items():
        expected = version >= DEVICE_LIST_LIVE_VERSION
        assert device_list_has_live_connections(short) is expected
        assert device_list_has_live_connections(JNAP_PREFIX + short) is expected


def test_other_actions_have_no_live_device_connections() -> None:
    # Same version number, other family; and an action the catalogue doesn't know.
    assert not device_list_has_live_connections("router/GetWANStatus3")
    assert not device_list_has_live_connections("devicelist/GetDevices13")
    assert not device_list_has_live_connections("")
