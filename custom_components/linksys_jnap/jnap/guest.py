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
from typing import Any, Final

from .errors import JNAPProtocolError
from .models import as_bool, as_mapping, pick

_RADIO_KEYS: Final = ("radioID", "isEnabled", "broadcastGuestSSID", "guestSSID")


def is_captive_portal(current: Mapping[str, Any]) -> bool:
    """Whether a v2 Get describes a captive-portal guest network."""
    return as_bool(current.get("isGuestNetworkACaptivePortal")) is True


def guest_set_body(
    current: Mapping[str, Any], *, version: int, enabled: bool, source: str
) -> dict[str, Any]:
    """Return the Set input that turns the guest network on or off, keeping the rest.

    Refuses (``JNAPProtocolError``, nothing sent) when the Get lacks a member the Set needs:
    a guessed passphrase would replace the user's.
    """
    captive = version >= 2 and is_captive_portal(current)
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
    return body
