"""Redaction for what users share: MAC pseudonyms in every form, placeholders for secrets.

Used by the integration's diagnostics and the library's ``record`` command, so a user's
file can be replayed as a router (tests/fixtures/real/README.md): every replacement keeps
the value's shape (a MAC stays a MAC, an SSID stays a distinct SSID of the same length).
"""

from __future__ import annotations

from collections.abc import Iterable
import re
from typing import Any, Final

_MAC: Final = re.compile(
    r"(?<![0-9A-Fa-f:-])[0-9A-Fa-f]{2}(?:([:-])[0-9A-Fa-f]{2})(?:\1[0-9A-Fa-f]{2}){4}(?![0-9A-Fa-f:-])"
)
_BARE_HEX: Final = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{12}(?![0-9A-Fa-f])")

SECRET_KEYS: Final = frozenset(
    {
        "passphrase",
        "guestPassword",
        "guestWPAPassphrase",
        "adminPassword",
        "password",
        "radiusSharedKey",
        "sharedKey",
        "wepKey",
        # GetRadioInfo* wepSettings (wirelessap.lua): the WEP keys of a radio.
        "key1",
        "key2",
        "key3",
        "key4",
        # The router's WPS PIN joins anyone to the network (GetWPSServerSessionStatus).
        "serverPIN",
        "clientPIN",
    }
)
"""Members whose value is a secret: same-length placeholder."""
SSID_KEYS: Final = frozenset({"ssid", "guestSSID"})
SERIAL_KEYS: Final = frozenset({"serialNumber", "serial_number"})
WAN_ADDRESS_KEYS: Final = frozenset(
    {
        "ipAddress",
        "gateway",
        "dnsServer1",
        "dnsServer2",
        "dnsServer3",
        "ipv6Address",
        "linkLocalIPv6Address",
    }
)
"""Redacted inside ``wanConnection``/``wanIPv6Connection`` (the household's public address)."""
_WAN_OBJECTS: Final = frozenset({"wanConnection", "wanIPv6Connection", "connection"})


def _hex12(mac: str) -> str:
    return re.sub(r"[^0-9A-Fa-f]", "", mac).upper()


class Redactor:
    """One consistent set of pseudonyms for a whole dump."""

    def __init__(self, data: Any, *, extra_macs: Iterable[str] = ()) -> None:
        """Collect the MACs of ``data`` (any separator); ``extra_macs`` too."""
        found: set[str] = {_hex12(m) for m in extra_macs if len(_hex12(m)) == 12}
        self._collect(data, found)
        self._macs = {
            mac: f"02{i:010X}" for i, mac in enumerate(sorted(found), start=1)
        }
        self._texts: dict[tuple[str, str], str] = {}

    def _collect(self, value: Any, found: set[str]) -> None:
        if isinstance(value, str):
            found.update(_hex12(m.group(0)) for m in _MAC.finditer(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                self._collect(key, found)
                self._collect(item, found)
        elif isinstance(value, (list, tuple)):
            for item in value:
                self._collect(item, found)

    def mac(self, text: str) -> str:
        """Replace every known MAC in ``text``, with colons, dashes or none (in IDs)."""

        def sub(match: re.Match[str]) -> str:
            raw = match.group(0)
            pseudo = self._macs.get(_hex12(raw))
            if pseudo is None:
                return raw
            sep = ":" if ":" in raw else "-" if "-" in raw else ""
            out = sep.join(pseudo[i : i + 2] for i in range(0, 12, 2))
            return out.lower() if any(c.islower() for c in raw) else out

        return _BARE_HEX.sub(sub, _MAC.sub(sub, text))

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._texts:
            index = sum(1 for k in self._texts if k[0] == kind) + 1
            stem = f"{kind}{index}"
            self._texts[key] = stem.ljust(len(value), "x")
        return self._texts[key]

    def apply(self, value: Any, *, key: str | None = None, wan: bool = False) -> Any:
        """Return a redacted copy of ``value`` (``key``: the member it is the value of)."""
        if isinstance(value, str):
            if key in SECRET_KEYS:
                return "*" * len(value)
            if key in SSID_KEYS and value:
                return self._placeholder("ssid", value)
            if key in SERIAL_KEYS and value:
                return self._placeholder("SN", value)
            if wan and key in WAN_ADDRESS_KEYS and value:
                return "**REDACTED**"
            return self.mac(value)
        if isinstance(value, dict):
            return {
                self.mac(str(k)): self.apply(
                    v, key=str(k), wan=wan or str(k) in _WAN_OBJECTS
                )
                for k, v in value.items()
            }
        if isinstance(value, (list, tuple)):
            return [self.apply(v, key=key, wan=wan) for v in value]
        return value
