"""The guest Wi-Fi's QR payload (the library's, no Home Assistant)."""

from __future__ import annotations

from custom_components.linksys_jnap.jnap import GuestNetworkSettings
from custom_components.linksys_jnap.jnap.guest import guest_payload, wifi_qr_payload


def test_payload_escapes_reserved_characters() -> None:
    assert (
        wifi_qr_payload('Caf\\e; "Guest", 2:4', 'p;a,s:s\\w"d')
        == 'WIFI:T:WPA;S:Caf\\\\e\\; \\"Guest\\"\\, 2\\:4;P:p\\;a\\,s\\:s\\\\w\\"d;;'
    )
    assert wifi_qr_payload("Open", None) == "WIFI:T:nopass;S:Open;;"
    assert wifi_qr_payload("Hidden", "secret99", hidden=True) == (
        "WIFI:T:WPA;S:Hidden;P:secret99;H:true;;"
    )


def test_guest_payload_picks_an_enabled_radio() -> None:
    def radio(radio_id: str, enabled: bool, ssid: str | None) -> dict[str, object]:
        return {
            "radioID": radio_id,
            "isEnabled": enabled,
            "guestSSID": ssid,
            "guestPassword": "pw-" + radio_id,
            "broadcastGuestSSID": True,
        }

    settings = GuestNetworkSettings.from_json(
        {
            "isGuestNetworkEnabled": True,
            "radios": [
                radio("RADIO_2.4GHz", False, "Off"),
                radio("RADIO_5GHz", True, "On"),
            ],
        }
    )
    assert guest_payload(settings) == "WIFI:T:WPA;S:On;P:pw-RADIO_5GHz;;"
    settings = GuestNetworkSettings.from_json(
        {"isGuestNetworkEnabled": False, "radios": [radio("R", False, "Only")]}
    )
    assert guest_payload(settings) == "WIFI:T:WPA;S:Only;P:pw-R;;"
    settings = GuestNetworkSettings.from_json(
        {"isGuestNetworkEnabled": True, "radios": []}
    )
    assert guest_payload(settings) is None
    assert guest_payload(None) is None
