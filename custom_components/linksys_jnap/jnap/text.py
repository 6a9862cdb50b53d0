"""Text the firmware accepts: rule descriptions (printable ASCII) and device names, in bytes."""

from __future__ import annotations

import unicodedata

# Typographic characters phones put in device names (a curly apostrophe in "John's iPhone").
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": ",",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
    }
)


def ascii_text(text: str, max_bytes: int | None = None) -> str:
    """Return ``text`` as printable ASCII (32-126), cut to ``max_bytes``.

    parentalcontrol.lua ``isValidDescription`` accepts only bytes 32-126
    (``ErrorInvalidDescription``) and measures the limit in bytes (``ErrorDescriptionTooLong``);
    qos.lua measures its limit in bytes too. Accents lose their marks, other characters go.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    kept = "".join(ch for ch in decomposed if 32 <= ord(ch) <= 126)
    kept = " ".join(kept.split())
    if max_bytes is not None and max_bytes > 0:
        kept = kept[:max_bytes].rstrip()
    return kept


PROPERTY_VALUE_MAX_BYTES = 255
"""A device property's value: ``ErrorPropertyValueTooLong`` above 255 bytes
(devicelist.lua / devicelist_devicedb.lua ``isValidPropertyValue``)."""


def device_name(text: str) -> str:
    """Return a user's device name as it is stored (``userDeviceName``).

    The firmware takes any text up to 255 bytes; control characters are dropped and runs
    of white space become one space, so every app shows the same one-line name. Raises
    ``ValueError`` when the name is longer than the firmware takes (it is not cut).
    """
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in unicodedata.normalize("NFC", text)
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )
    name = " ".join(kept.split())
    if len(name.encode()) > PROPERTY_VALUE_MAX_BYTES:
        raise ValueError(f"over {PROPERTY_VALUE_MAX_BYTES} bytes")
    return name
