"""The guest network's Set input, per API version and mode (guestnetwork.lua).

v1 (``SetGuestRadioSettings``) always takes ``maxSimultaneousGuests`` and each radio's
``guestPassword``. v2 (``SetGuestRadioSettings2``) depends on the router's mode, which the
Set never takes (``isGuestNetworkACaptivePortal`` is router state): a WPA guest network takes
each radio's ``guestWPAPassphrase`` and no ``maxSimultaneousGuests``
(``ErrorSuperfluousMaxSimultaneousGuests``, ``ErrorSuperfluousGuestPassword``); a captive
portal takes ``guestPassword`` and ``maxSimultaneousGuests`` (``ErrorMissing...``,
``ErrorSuperfluousGuestWPAPasphrase``). Every member comes from a fresh Get, so SSIDs and
passphrases go back exactly as the router holds them.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
import secrets
from typing import Any, Final

from .errors import JNAPInvalidInputError, JNAPProtocolError
from .models import (
    MIN_PORTAL_PASSWORD,
    GuestNetworkSettings,
    as_bool,
    as_mapping,
    pick,
    portal_password_mode,
)

_RADIO_KEYS: Final = ("radioID", "isEnabled", "broadcastGuestSSID", "guestSSID")
_HEX64: Final = re.compile(r"[0-9A-Fa-f]{64}")
_ALNUM: Final = re.compile(r"[0-9A-Za-z]+")
# Letters and digits that can't be misread (no 0/O, 1/l/I): typed from a screen or a card.
_GENERATED_ALPHABET: Final = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
GENERATED_WPA_LENGTH: Final = 16
MAX_PORTAL_PASSWORD: Final = 32
GENERATED_PORTAL_LENGTH: Final = 12


def is_captive_portal(current: Mapping[str, Any]) -> bool:
    """Whether a v2 Get describes a captive-portal guest network."""
    return as_bool(current.get("isGuestNetworkACaptivePortal")) is True


def uses_portal_password(current: Mapping[str, Any], version: int) -> bool | None:
    """``portal_password_mode`` of a Get's raw answer."""
    restrictions = current.get("guestPasswordRestrictions")
    min_length = (
        restrictions.get("minLength") if isinstance(restrictions, Mapping) else None
    )
    return portal_password_mode(
        version, current.get("isGuestNetworkACaptivePortal"), min_length
    )


def is_valid_guest_passphrase(passphrase: str, *, portal: bool | None) -> bool:
    """Return whether a password meets the firmware's rule for the mode.

    A captive portal's password is 4-32 letters and digits (guestnetwork.lua
    ``isValidGuestPassword``); a WPA passphrase is 8-63 printable ASCII characters or 64 hex
    digits (wirelessap.lua ``isValidWPAPassphrase``). An unknown mode takes both rules.
    """
    if portal is None:
        return is_valid_guest_passphrase(
            passphrase, portal=True
        ) and is_valid_guest_passphrase(passphrase, portal=False)
    if portal:
        return (
            MIN_PORTAL_PASSWORD <= len(passphrase) <= MAX_PORTAL_PASSWORD
            and _ALNUM.fullmatch(passphrase) is not None
        )
    if _HEX64.fullmatch(passphrase):
        return True
    return 8 <= len(passphrase) <= 63 and all(32 <= ord(c) <= 126 for c in passphrase)


def generate_guest_passphrase(*, portal: bool | None) -> str:
    """Return a random password that meets the mode's rule (letters and digits only)."""
    # 16 fits WPA (8-63) and an unknown mode (8-32); a portal's 12 fits 4-32.
    length = GENERATED_PORTAL_LENGTH if portal else GENERATED_WPA_LENGTH
    return "".join(secrets.choice(_GENERATED_ALPHABET) for _ in range(length))


def guest_set_body(
    current: Mapping[str, Any],
    *,
    version: int,
    enabled: bool,
    source: str,
    passphrase: str | None = None,
) -> dict[str, Any]:
    """Return the Set input that turns the guest network on or off, keeping the rest.

    ``passphrase`` replaces every radio's password (checked first: ``JNAPInvalidInputError``,
    nothing sent). Refuses (``JNAPProtocolError``, nothing sent) when the Get lacks a member
    the Set needs: a guessed passphrase would replace the user's.
    """
    captive = version >= 2 and is_captive_portal(current)
    if passphrase is not None and not is_valid_guest_passphrase(
        passphrase, portal=uses_portal_password(current, version)
    ):
        raise JNAPInvalidInputError(
            f"{source}: the guest password does not meet the router's rules",
            action=source,
            code="ErrorInvalidGuestPassword",
        )
    password_key = (
        "guestWPAPassphrase" if version >= 2 and not captive else "guestPassword"
    )
    body: dict[str, Any] = {"isGuestNetworkEnabled": enabled}
    if version < 2 or captive:
        body.update(pick(current, ("maxSimultaneousGuests",), source))
    radios = current.get("radios")
    if not isinstance(radios, list):
        raise JNAPProtocolError(f"{source}: member 'radios' is unusable")
    body["radios"] = [
        pick(as_mapping(radio), (*_RADIO_KEYS, password_key), source)
        for radio in radios
    ]
    if passphrase is not None:
        for radio in body["radios"]:
            radio[password_key] = passphrase
    return body


# The Wi-Fi QR payload (as aiounifi keeps it with its WLANs): what a phone joins by.
_SPECIAL = ("\\", ";", ",", ":", '"')


def _escape(text: str) -> str:
    """Backslash the characters the WIFI: format reserves (backslash first)."""
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text


def wifi_qr_payload(ssid: str, passphrase: str | None, *, hidden: bool = False) -> str:
    """Return the de-facto standard Wi-Fi QR text: ``WIFI:T:WPA;S:<ssid>;P:<passphrase>;;``."""
    parts = ["WIFI:"]
    if passphrase:
        parts.append(f"T:WPA;S:{_escape(ssid)};P:{_escape(passphrase)};")
    else:
        parts.append(f"T:nopass;S:{_escape(ssid)};")
    if hidden:
        parts.append("H:true;")
    parts.append(";")
    return "".join(parts)


def guest_payload(guest: GuestNetworkSettings | None) -> str | None:
    """Payload for the guest network (its first enabled radio with an SSID)."""
    if guest is None:
        return None
    radios = [r for r in guest.radios if r.ssid]
    radio = next((r for r in radios if r.is_enabled), radios[0] if radios else None)
    if radio is None or radio.ssid is None:
        return None
    # A captive portal's Wi-Fi is open: its password is asked in the browser, not by Wi-Fi.
    passphrase = None if guest.uses_portal_password else radio.passphrase
    return wifi_qr_payload(radio.ssid, passphrase, hidden=radio.broadcast_ssid is False)
