"""Building blocks of the models, shared by the ``models_*`` modules.

Defensive value parsers, ``EntryMemo``, the declarative ``_model``/``_member`` machinery and
``pick`` for Set inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import Field, dataclass, field, fields
import functools
from itertools import compress
import math
from operator import itemgetter, ne
import re
from types import MappingProxyType
from typing import Any, ClassVar, Literal, Self, dataclass_transform, overload

from .errors import JNAPProtocolError

__all__ = [
    "DAYS",
    "EMPTY",
    "SLOTS_PER_DAY",
    "EntryMemo",
    "as_bool",
    "as_float",
    "as_int",
    "as_list",
    "as_mapping",
    "as_str",
    "normalize_mac",
    "pick",
]

EMPTY: Mapping[str, Any] = MappingProxyType({})

DAYS: tuple[str, ...] = (
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
)
SLOTS_PER_DAY = 48
"""A day of a WAN schedule: one character per half hour from midnight, '1' allowed."""

# --- defensive value parsers ---------------------------------------------------------------

_NUMBER_RE = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)")
_HEX12_RE = re.compile(r"^[0-9A-Fa-f]{12}$")


def as_mapping(value: Any) -> Mapping[str, Any]:
    """Value if it is a JSON object, else an empty mapping."""
    # A decoded answer holds plain dicts: skip the slower ABC check for them.
    return value if type(value) is dict or isinstance(value, Mapping) else EMPTY


def as_list(value: Any) -> list[Any]:
    """Value if it is a JSON array, else an empty list."""
    return list(value) if isinstance(value, (list, tuple)) else []


def as_str(value: Any) -> str | None:
    """Read a string; numbers become their text, anything else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() else str(value)
    return None


def as_float(value: Any) -> float | None:
    """Read a number; strings such as ``"433"`` or ``"433 Mbps"`` too."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        match = _NUMBER_RE.match(value)
        if match is None:
            return None
        number = float(match.group(1))
    else:
        return None
    return number if math.isfinite(number) else None


def as_int(value: Any) -> int | None:
    """Read an integer (floats and numeric strings are rounded down)."""
    if type(value) is int:  # the usual case, exact (bool is not int here)
        return value
    number = as_float(value)
    return None if number is None else int(number)


def as_bool(value: Any) -> bool | None:
    """Read a boolean; ``0``/``1`` and ``"true"``/``"false"`` too."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1", "yes", "on"):
            return True
        if lowered in ("false", "0", "no", "off"):
            return False
    return None


def normalize_mac(value: Any) -> str | None:
    """``AA:BB:CC:DD:EE:FF`` from any common spelling, None when it is not a MAC."""
    if not isinstance(value, str):
        return None
    return _normalize_mac_text(value)


# Every poll sees the same few hundred MACs: parse each spelling once.
@functools.lru_cache(maxsize=4096)
def _normalize_mac_text(value: str) -> str | None:
    text = value.strip().replace("-", ":").replace(".", "")
    if _HEX12_RE.match(text):
        text = ":".join(text[i : i + 2] for i in range(0, 12, 2))
    parts = text.split(":")
    if len(parts) != 6:
        return None
    try:
        octets = [int(part, 16) for part in parts]
    except ValueError:
        return None
    if any(
        not 0 <= octet <= 255 or not part
        for octet, part in zip(octets, parts, strict=True)
    ):
        return None
    return ":".join(f"{octet:02X}" for octet in octets)


def _str_tuple(value: Any) -> tuple[str, ...]:
    return tuple(s for s in (as_str(v) for v in as_list(value)) if s is not None)


def _mac_tuple(value: Any) -> tuple[str, ...]:
    macs: list[str] = []
    for item in as_list(value):
        mac = normalize_mac(item)
        if mac is not None and mac not in macs:
            macs.append(mac)
    return tuple(macs)


def _object(data: Any, model: str) -> Mapping[str, Any]:
    if type(data) is not dict and not isinstance(data, Mapping):
        raise JNAPProtocolError(f"{model}: output is not a JSON object")
    return data


def _required[T](
    data: Mapping[str, Any], key: str, parser: Callable[[Any], T | None], model: str
) -> T:
    value = parser(data.get(key))
    if value is None:
        raise JNAPProtocolError(f"{model}: member {key!r} is missing or unusable")
    return value


def _entries[T](items: Any, parser: Callable[[Any], T]) -> tuple[T, ...]:
    """Parse each entry of a list, skipping unusable ones."""
    parsed: list[T] = []
    for item in as_list(items):
        try:
            parsed.append(parser(item))
        except JNAPProtocolError:
            continue
    return tuple(parsed)


class EntryMemo[T]:
    """Reuse the model of a list entry whose JSON is unchanged since the last parse.

    Polls return mostly the same entries; comparing an entry's JSON with last time is far
    cheaper than parsing it, and unchanged entries keep their identity (cheap equality
    later on). Holds the previous poll's entries, keyed by ``key`` (e.g. ``macAddress``).
    """

    __slots__ = ("_finish", "_items", "_key", "_parsed", "_parser", "_seen", "_values")

    def __init__(
        self,
        key: str,
        parser: Callable[[Any], T],
        *,
        finish: Callable[[tuple[T, ...]], tuple[T, ...]] | None = None,
    ) -> None:
        """Memoize ``parser`` for entries identified by their ``key`` member.

        ``finish`` post-processes a whole list once it changed (the same list keeps its
        tuple).
        """
        self._key = key
        self._parser = parser
        self._finish = finish
        self._seen: dict[Any, Any] = {}
        """Key -> the entry's JSON last time (usable entries only)."""
        self._values: dict[Any, T] = {}
        """Key -> its model."""
        self._items: Any = None
        self._parsed: tuple[T, ...] = ()

    def parse(self, items: Any) -> tuple[T, ...]:
        """Parse each entry of a list like ``_entries`` (unusable ones are skipped).

        The very same list as last time returns the very same tuple.
        """
        if self._items is not None and items == self._items:
            return self._parsed
        self._items = items
        parsed = self._parse(as_list(items))
        self._parsed = parsed if self._finish is None else self._finish(parsed)
        return self._parsed

    def _parse(self, entries: list[Any]) -> tuple[T, ...]:
        # The hot path of a poll: keys, lookups and comparisons run in C (map), and only
        # the entries that differ from last time are visited here.
        try:
            keys = list(map(itemgetter(self._key), entries))
            before = list(map(self._seen.get, keys))
            values: list[Any] = list(map(self._values.get, keys))
        except KeyError, TypeError:  # an entry that is no object with a hashable key
            return self._parse_each(entries)
        unusable = False
        for index in compress(
            range(len(entries)), map(ne, entries, before, strict=True)
        ):
            try:
                values[index] = self._parser(entries[index])
            except JNAPProtocolError:
                values[index] = _UNUSABLE
                unusable = True
        if not unusable:
            self._seen = dict(zip(keys, entries, strict=True))
            self._values = dict(zip(keys, values, strict=True))
            return tuple(values)
        seen: dict[Any, Any] = {}
        kept: dict[Any, T] = {}
        for key, entry, value in zip(keys, entries, values, strict=True):
            if value is not _UNUSABLE:
                seen[key] = entry
                kept[key] = value
        self._seen, self._values = seen, kept
        return tuple(v for v in values if v is not _UNUSABLE)

    def _parse_each(self, entries: list[Any]) -> tuple[T, ...]:
        """Entry by entry, for a list with entries that are not keyed objects."""
        seen: dict[Any, Any] = {}
        kept: dict[Any, T] = {}
        parsed: list[T] = []
        for entry in entries:
            key = entry.get(self._key) if isinstance(entry, dict) else None
            if not isinstance(key, str):
                key = None
            elif key in self._seen and self._seen[key] == entry:
                parsed.append(self._values[key])
                seen[key] = entry
                kept[key] = self._values[key]
                continue
            try:
                value = self._parser(entry)
            except JNAPProtocolError:
                continue
            if key is not None:
                seen[key] = entry
                kept[key] = value
            parsed.append(value)
        self._seen, self._values = seen, kept
        return tuple(parsed)


_UNUSABLE: Any = object()
"""An entry the parser refused (``EntryMemo``)."""


def _date(value: Any) -> str | None:
    # Some firmware sends 0 for "no date".
    if value in (0, "0", "", None):
        return None
    return as_str(value)


def _str_set(value: Any) -> frozenset[str]:
    return frozenset(_str_tuple(value))


def _objects(value: Any) -> tuple[Mapping[str, Any], ...]:
    """Keep the entries of a list that are JSON objects, as the router sent them."""
    return tuple(item for item in as_list(value) if isinstance(item, Mapping))


def _object_or_none(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def _true_or_false(value: Any) -> bool:
    return as_bool(value) or False


def _str_or_empty(value: Any) -> str:
    return as_str(value) or ""


def _entries_of[T](parser: Callable[[Any], T]) -> Callable[[Any], tuple[T, ...]]:
    """Parse a list with ``parser`` per entry, skipping unusable ones (``_entries``)."""
    return lambda items: _entries(items, parser)


def _if_list[T](parser: Callable[[Any], T]) -> Callable[[Any], T | None]:
    """``parser``, but None (unusable) for anything but a JSON array."""
    return lambda value: parser(value) if isinstance(value, list) else None


def _if_object[T](parser: Callable[[Any], T]) -> Callable[[Any], T | None]:
    """``parser``, but None for anything but a JSON object."""
    return lambda value: parser(value) if isinstance(value, Mapping) else None


# --- declarative models --------------------------------------------------------------------
#
# Most models read each field from one member (or one of its spellings) with one parser. Their
# fields say so with ``_member`` and the ``_Model.from_json`` built from that serves them all.
# Models with more logic, and those parsed per client every poll (hand-written code is faster
# there than any loop over specs), keep their own ``from_json``.

_SPEC = "jnap"
"""Key of a ``_member`` field's ``_MemberSpec`` in its ``dataclasses.Field.metadata``."""


@dataclass(frozen=True, slots=True)
class _MemberSpec:
    """Where a field's value is in a JNAP object, and how it is parsed."""

    label: str
    """The member named in errors: the first spelling."""
    paths: tuple[tuple[str, ...], ...]
    parse: Callable[[Any], Any]
    required: bool

    def read(self, obj: Mapping[str, Any]) -> Any:
        """Value of the first path whose last member is present, else None."""
        for path in self.paths:
            node = obj
            for key in path[:-1]:
                node = as_mapping(node.get(key))
            if path[-1] in node:
                return node[path[-1]]
        return None


@overload
def _member[T](
    key: str | tuple[str, ...],
    parse: Callable[[Any], T | None],
    *,
    required: Literal[True],
    secret: bool = False,
) -> T: ...


@overload
def _member[T](
    key: str | tuple[str, ...],
    parse: Callable[[Any], T],
    *,
    required: Literal[False] = False,
    secret: bool = False,
) -> T: ...


def _member(
    key: str | tuple[str, ...],
    parse: Callable[[Any], Any],
    *,
    required: bool = False,
    secret: bool = False,
) -> Any:
    """Declare a field of a ``_model``: read from member ``key``, parsed with ``parse``.

    ``key`` may be a path into nested objects (``"settings.ssid"``) or a tuple of spellings,
    the first one present wins (``obj.get(a, obj.get(b))``). A ``required`` field that parses
    to None makes ``from_json`` raise ``JNAPProtocolError``; a ``secret`` one stays out of
    ``repr``.
    """
    keys = (key,) if isinstance(key, str) else key
    spec = _MemberSpec(
        keys[0], tuple(tuple(k.split(".")) for k in keys), parse, required
    )
    return field(repr=not secret, metadata={_SPEC: spec})


class _Model:
    """Base of the ``_model`` classes: ``from_json`` reads their ``_member`` fields."""

    __slots__ = ()
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]  # set by @_model
    _members: ClassVar[tuple[tuple[str, _MemberSpec], ...]] = ()
    _keeps_raw: ClassVar[bool] = False

    @classmethod
    def from_json(cls, data: Any) -> Self:
        """Parse; a required member that is missing or unusable raises."""
        return cls._parse(data)

    @classmethod
    def _parse(cls, data: Any, **others: Any) -> Self:
        """Parse the ``_member`` fields; ``others`` gives the remaining ones."""
        obj = _object(data, cls.__name__)
        values = others
        for name, spec in cls._members:
            value = spec.parse(spec.read(obj))
            if value is None and spec.required:
                raise JNAPProtocolError(
                    f"{cls.__name__}: member {spec.label!r} is missing or unusable"
                )
            values[name] = value
        if cls._keeps_raw:
            values["raw"] = obj
        return cls(**values)


@dataclass_transform(frozen_default=True, field_specifiers=(field, _member))
def _model[M: _Model](cls: type[M]) -> type[M]:
    """Make a frozen, slotted dataclass and precompute what its ``from_json`` reads."""
    cls = dataclass(frozen=True, slots=True)(cls)
    cls._members = tuple(
        (f.name, f.metadata[_SPEC]) for f in fields(cls) if _SPEC in f.metadata
    )
    cls._keeps_raw = any(f.name == "raw" for f in fields(cls))
    return cls


def pick(raw: Mapping[str, Any], keys: Sequence[str], model: str) -> dict[str, Any]:
    """Copy exactly ``keys`` from a Get output, for a Set input; every key must be present."""
    missing = [key for key in keys if key not in raw]
    if missing:
        raise JNAPProtocolError(
            f"{model}: the router's settings lack {', '.join(missing)}; refusing a partial write"
        )
    return {key: raw[key] for key in keys}
