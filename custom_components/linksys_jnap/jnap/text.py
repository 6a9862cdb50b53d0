"""Text the firmware accepts in rule descriptions: printable ASCII, limited in bytes."""

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
