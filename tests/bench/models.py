"""Our model layer beside mashumaro and msgspec, on a 1,000-client ``GetDevices3`` answer.

    .venv/bin/python -m tests.bench.models              # the table (docs/models.md has one)
    .venv/bin/python -m tests.bench.models --json       # one JSON object

msgspec is not in Home Assistant's environment: install it apart, e.g.
``pip install --target /tmp/msgspec msgspec`` and ``--msgspec-path /tmp/msgspec``; without it
its rows are left out. Variants:

- ``ours``: ``DeviceList.from_json(orjson.loads(raw))``, the library as it is.
- ``mashumaro``: the same models and the same tolerance (``field_options`` hooks with our
  parsers; a bad entry is skipped, a MAC normalised); the output is checked equal to ours.
- ``mashumaro-bare``: wire-shaped dataclasses, aliases only: no MAC normalisation, no
  tolerance. Its floor, not a usable replacement.
- ``msgspec-bare``: wire-shaped ``Struct``s decoded straight from the bytes; the same caveats.
- ``msgspec+ours``: msgspec decodes the bytes into wire structs, then our rules make ``Device``
  objects (checked equal to ours); strict types, so one bad member fails the whole answer.

Each variant parses the same bytes (JSON decoding included), ``--runs`` times after a
warm-up, in CPU time, the variants taking turns; the median and the fastest run are printed.
"one bad member" says what a variant makes of the same answer with one interface's MAC a
number: ours skips that interface and keeps the other 1,000 devices. A second table parses
``core/GetDeviceInfo`` with our declarative ``_model``/``_member`` and with mashumaro's
``field_options``. Speed goes here, never into a test's assertions.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
import gc
import inspect
import json
from pathlib import Path
import statistics
import sys
import time
from typing import Any

from mashumaro import field_options
from mashumaro.codecs.basic import BasicDecoder
import orjson

from custom_components.linksys_jnap.jnap import models_base
from custom_components.linksys_jnap.jnap.errors import JNAPProtocolError
from custom_components.linksys_jnap.jnap.models_base import (
    EMPTY,
    _date,
    _entries,
    _if_list,
    _object,
    _str_set,
    as_bool,
    as_int,
    as_list,
    as_mapping,
    as_str,
    normalize_mac,
)
from custom_components.linksys_jnap.jnap.models_devices import (
    USER_DEVICE_NAME,
    Device,
    DeviceConnection,
    DeviceList,
    KnownInterface,
)
from custom_components.linksys_jnap.jnap.models_router import DeviceInfo
from tests.simulator.actions import _get_devices, get_device_info
from tests.simulator.server import RouterSimulator

ROOT = Path(__file__).resolve().parents[2]

type Parser = Callable[[bytes], tuple[Any, ...]]


@dataclass(frozen=True)
class Variant:
    """One way to parse the answer, and the code it takes."""

    parse: Parser
    own: tuple[Any, ...]
    """Its models and functions (written for it)."""
    parsers: tuple[str, ...] = ()
    """The names of the parsers of models_base.py it uses as well."""


# --- mashumaro, with our tolerance --------------------------------------------------------


def _opt(alias: str, parse: Callable[[Any], Any] = as_str) -> Any:
    return field(default=None, metadata=field_options(alias=alias, deserialize=parse))


def _must[T](parse: Callable[[Any], T | None], label: str) -> Callable[[Any], T]:
    """``parse``, raising for None: what ``_member(..., required=True)`` says."""

    def read(value: Any) -> T:
        parsed = parse(value)
        if parsed is None:
            raise JNAPProtocolError(f"member {label!r} is missing or unusable")
        return parsed

    return read


def _req(alias: str, parse: Callable[[Any], Any]) -> Any:
    return field(metadata=field_options(alias=alias, deserialize=_must(parse, alias)))


@dataclass(frozen=True, slots=True)
class MInterface:
    mac: str = _req("macAddress", normalize_mac)
    interface_type: str | None = _opt("interfaceType")
    band: str | None = _opt("band")


@dataclass(frozen=True, slots=True)
class MConnection:
    mac: str = _req("macAddress", normalize_mac)
    ip_address: str | None = _opt("ipAddress")
    ipv6_address: str | None = _opt("ipv6Address")
    parent_device_id: str | None = _opt("parentDeviceID")
    is_guest: bool | None = _opt("isGuest", as_bool)


@dataclass(frozen=True, slots=True)
class MModel:
    device_type: str | None = _opt("deviceType")
    manufacturer: str | None = _opt("manufacturer")
    model_number: str | None = _opt("modelNumber")
    hardware_version: str | None = _opt("hardwareVersion")
    description: str | None = _opt("description")


@dataclass(frozen=True, slots=True)
class MUnit:
    operating_system: str | None = _opt("operatingSystem")
    serial_number: str | None = _opt("serialNumber")
    firmware_version: str | None = _opt("firmwareVersion")


def _lenient[T](cls: type[T]) -> Callable[[Any], T]:
    """Decode an object of ``cls``; anything mashumaro refuses raises our error."""
    decoder = BasicDecoder(cls)

    def decode(item: Any) -> T:
        try:
            return decoder.decode(_object(item, cls.__name__))
        except Exception as err:  # mashumaro wraps what a hook raised
            raise JNAPProtocolError(f"{cls.__name__}: {err}") from err

    return decode


_INTERFACE = _lenient(MInterface)
_CONNECTION = _lenient(MConnection)
_MODEL = BasicDecoder(MModel)
_UNIT = BasicDecoder(MUnit)


def _properties(value: Any) -> dict[str, str]:
    pairs = (
        (as_str(as_mapping(p).get("name")), as_str(as_mapping(p).get("value")))
        for p in as_list(value)
    )
    return {k: v for k, v in pairs if k is not None and v is not None}


@dataclass(frozen=True, slots=True)
class MDevice:
    device_id: str = _req("deviceID", as_str)
    friendly_name: str | None = _opt("friendlyName")
    is_authority: bool = field(
        default=False,
        metadata=field_options(
            alias="isAuthority", deserialize=lambda v: as_bool(v) or False
        ),
    )
    node_type: str | None = _opt("nodeType", lambda v: as_str(v) or None)
    known_macs: tuple[str, ...] = field(
        default=(),
        metadata=field_options(
            alias="knownMACAddresses", deserialize=models_base._mac_tuple
        ),
    )
    interfaces: tuple[MInterface, ...] = field(
        default=(),
        metadata=field_options(
            alias="knownInterfaces",
            deserialize=lambda v: _entries(v, _INTERFACE),
        ),
    )
    connections: tuple[MConnection, ...] = field(
        default=(),
        metadata=field_options(
            alias="connections", deserialize=lambda v: _entries(v, _CONNECTION)
        ),
    )
    model: MModel = field(
        default=MModel(),
        metadata=field_options(deserialize=lambda v: _MODEL.decode(as_mapping(v))),
    )
    unit: MUnit = field(
        default=MUnit(),
        metadata=field_options(deserialize=lambda v: _UNIT.decode(as_mapping(v))),
    )
    properties: Mapping[str, str] = field(
        default_factory=dict, metadata=field_options(deserialize=_properties)
    )
    last_change_revision: int | None = _opt("lastChangeRevision", as_int)
    max_allowed_properties: int | None = _opt("maxAllowedProperties", as_int)

    @property
    def macs(self) -> tuple[str, ...]:
        macs = list(self.known_macs)
        macs += [i.mac for i in self.interfaces if i.mac not in macs]
        return tuple(macs)


_DEVICE = _lenient(MDevice)


@dataclass(frozen=True, slots=True)
class MDeviceList:
    revision: int = field(metadata=field_options(deserialize=as_int))
    devices: tuple[MDevice, ...] = field(
        default=(),
        metadata=field_options(deserialize=lambda v: _entries(v, _DEVICE)),
    )
    deleted_device_ids: tuple[str, ...] = field(
        default=(),
        metadata=field_options(
            alias="deletedDeviceIDs", deserialize=models_base._str_tuple
        ),
    )


_DEVICE_LIST = BasicDecoder(MDeviceList)


def mashumaro_parse(raw: bytes) -> tuple[MDevice, ...]:
    """Parse with mashumaro and our tolerance."""
    return _DEVICE_LIST.decode(_object(orjson.loads(raw), "DeviceList")).devices


MASHUMARO = (
    _opt,
    _must,
    _req,
    MInterface,
    MConnection,
    MModel,
    MUnit,
    _properties,
    _lenient,
    MDevice,
    MDeviceList,
    mashumaro_parse,
)


# --- mashumaro, bare ----------------------------------------------------------------------


def _alias(name: str) -> Any:
    return field(default=None, metadata=field_options(alias=name))


@dataclass(frozen=True, slots=True)
class BInterface:
    macAddress: str  # noqa: N815 - the wire's names
    interfaceType: str | None = None  # noqa: N815
    band: str | None = None


@dataclass(frozen=True, slots=True)
class BConnection:
    macAddress: str  # noqa: N815
    ipAddress: str | None = None  # noqa: N815
    ipv6Address: str | None = None  # noqa: N815
    parentDeviceID: str | None = None  # noqa: N815
    isGuest: bool | None = None  # noqa: N815


@dataclass(frozen=True, slots=True)
class BProperty:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class BDevice:
    deviceID: str  # noqa: N815
    friendlyName: str | None = None  # noqa: N815
    isAuthority: bool = False  # noqa: N815
    nodeType: str | None = None  # noqa: N815
    knownInterfaces: tuple[BInterface, ...] = ()  # noqa: N815
    connections: tuple[BConnection, ...] = ()
    model: dict[str, str] = field(default_factory=dict)
    unit: dict[str, str] = field(default_factory=dict)
    properties: tuple[BProperty, ...] = ()
    lastChangeRevision: int | None = None  # noqa: N815


@dataclass(frozen=True, slots=True)
class BDeviceList:
    revision: int
    devices: tuple[BDevice, ...] = ()
    deletedDeviceIDs: tuple[str, ...] = ()  # noqa: N815


_BARE = BasicDecoder(BDeviceList)


def mashumaro_bare_parse(raw: bytes) -> tuple[BDevice, ...]:
    """Wire-shaped dataclasses, no rules."""
    return _BARE.decode(orjson.loads(raw)).devices


MASHUMARO_BARE = (
    BInterface,
    BConnection,
    BProperty,
    BDevice,
    BDeviceList,
    mashumaro_bare_parse,
)


def msgspec_variants() -> dict[str, Variant]:
    """Return the msgspec variants, or none when msgspec is not importable."""
    try:
        from tests.bench import models_msgspec as m
    except ImportError:
        return {}
    wire = (m.SInterface, m.SConnection, m.SProperty, m.SDevice, m.SDeviceList)
    mac = ("normalize_mac", "_normalize_mac_text")
    return {
        "msgspec-bare": Variant(m.bare, (*wire, m.bare)),
        "msgspec+ours": Variant(m.with_ours, (*wire, m.to_device, m.with_ours), mac),
    }


# --- a declarative model: ours (_model/_member) and mashumaro's (field_options) ------------


@dataclass(frozen=True, slots=True)
class MDeviceInfo:
    services: frozenset[str] = field(
        metadata=field_options(deserialize=_must(_if_list(_str_set), "services"))
    )
    model_number: str | None = _opt("modelNumber")
    manufacturer: str | None = _opt("manufacturer")
    description: str | None = _opt("description")
    serial_number: str | None = _opt("serialNumber")
    firmware_version: str | None = _opt("firmwareVersion")
    firmware_date: str | None = _opt("firmwareDate", _date)
    hardware_version: str | None = _opt("hardwareVersion")
    raw: Mapping[str, Any] = field(
        default=EMPTY,
        repr=False,
        compare=False,
        metadata=field_options(deserialize=lambda v: v),
    )


_DEVICE_INFO = _lenient(MDeviceInfo)


def mashumaro_device_info(obj: Mapping[str, Any]) -> MDeviceInfo:
    """Parse ``core/GetDeviceInfo`` with mashumaro, keeping the raw object as ours does."""
    return _DEVICE_INFO({**obj, "raw": obj})


DECLARATIVE = {
    "ours": (DeviceInfo.from_json, (DeviceInfo,)),
    "mashumaro": (
        mashumaro_device_info,
        (MDeviceInfo, mashumaro_device_info),
    ),
}
"""Each way to parse ``core/GetDeviceInfo`` and its code (both use our value parsers)."""
MACHINERY = (
    models_base._MemberSpec,
    models_base._member,
    models_base._Model,
    models_base._model,
)
"""What mashumaro's ``field_options`` + ``BasicDecoder`` would replace."""


def _thousand(parse: Callable[[Any], Any]) -> Callable[[Any], tuple[Any, ...]]:
    return lambda obj: tuple(parse(obj) for _ in range(1000))


def measure_declarative(runs: int) -> dict[str, Any]:
    """Parse ``core/GetDeviceInfo`` 1,000 times each way."""
    obj = get_device_info(RouterSimulator(clients=0), {})
    timed = _timed({n: _thousand(p) for n, (p, _) in DECLARATIVE.items()}, obj, runs)
    ours = DeviceInfo.from_json(obj)
    mashumaro = mashumaro_device_info(obj)
    assert all(
        getattr(ours, f) == getattr(mashumaro, f)
        for f in MDeviceInfo.__dataclass_fields__
    )
    return {
        "services": len(ours.services),
        "machinery_lines": code_lines(MACHINERY),
        "variants": {
            name: {
                "median_us": round(statistics.median(timed[name]), 2),
                "min_us": round(min(timed[name]), 2),
                "own_lines": code_lines(sources),
            }
            for name, (_, sources) in DECLARATIVE.items()
        },
    }


# --- the comparison -----------------------------------------------------------------------


def ours_parse(raw: bytes) -> tuple[Device, ...]:
    """Parse as the library does."""
    return DeviceList.from_json(orjson.loads(raw)).devices


PARSERS = (
    "as_mapping", "as_list", "as_str", "as_float", "as_int", "as_bool", "normalize_mac",
    "_normalize_mac_text", "_str_tuple", "_mac_tuple", "_object", "_required", "_entries",
)  # fmt: skip
"""The parsers of models_base.py that the library's parse of this answer runs."""


def variants() -> dict[str, Variant]:
    """Every variant that can run here."""
    ours = (KnownInterface, DeviceConnection, Device.from_json, DeviceList)
    return {
        "ours": Variant(ours_parse, ours, PARSERS),
        "mashumaro": Variant(
            mashumaro_parse, MASHUMARO, tuple(p for p in PARSERS if p != "_required")
        ),
        "mashumaro-bare": Variant(mashumaro_bare_parse, MASHUMARO_BARE),
        **msgspec_variants(),
    }


def code_lines(objects: tuple[Any, ...]) -> int:
    """Lines of code of ``objects``' source: no blank lines, comments or docstrings."""
    count = 0
    for obj in objects:
        in_doc = False
        for line in inspect.getsource(obj).splitlines():
            text = line.strip()
            if in_doc:
                in_doc = '"""' not in text
                continue
            if text.startswith('"""'):
                in_doc = text.count('"""') == 1
                continue
            if text and not text.startswith("#"):
                count += 1
    return count


def _same_as_ours(
    variant: str, parsed: tuple[Any, ...], ours: tuple[Device, ...]
) -> bool | None:
    if variant == "mashumaro":
        return tuple(_as_device(d) for d in parsed) == ours
    if variant in ("ours", "msgspec+ours"):
        return parsed == ours
    return None  # wire-shaped: not comparable


def _as_device(d: MDevice) -> Device:
    return Device(
        device_id=d.device_id,
        friendly_name=d.friendly_name,
        user_device_name=d.properties.get(USER_DEVICE_NAME),
        is_authority=d.is_authority,
        node_type=d.node_type,
        macs=d.macs,
        interfaces=tuple(
            KnownInterface(i.mac, i.interface_type, i.band) for i in d.interfaces
        ),
        connections=tuple(
            DeviceConnection(
                c.mac, c.ip_address, c.ipv6_address, c.parent_device_id, c.is_guest
            )
            for c in d.connections
        ),
        device_type=d.model.device_type,
        manufacturer=d.model.manufacturer,
        model_number=d.model.model_number,
        hardware_version=d.model.hardware_version,
        model_description=d.model.description,
        operating_system=d.unit.operating_system,
        serial_number=d.unit.serial_number,
        firmware_version=d.unit.firmware_version,
        properties=d.properties,
        last_change_revision=d.last_change_revision,
        max_allowed_properties=d.max_allowed_properties,
    )


def answer(clients: int) -> dict[str, Any]:
    """Return the simulator's ``GetDevices3`` output for a home of ``clients`` clients."""
    return _get_devices(RouterSimulator(clients=clients), {}, 3)


def _timed(
    parsers: Mapping[str, Callable[[Any], Any]], raw: Any, runs: int
) -> dict[str, list[float]]:
    """CPU milliseconds of each parse, the parsers taking turns (a busy machine hits all)."""
    times: dict[str, list[float]] = {name: [] for name in parsers}
    gc.collect()
    gc.freeze()  # what exists now is never scanned again: the collections below stay cheap
    for run in range(-3, runs):  # three to warm up
        for name, parse in parsers.items():
            gc.collect()
            start = time.thread_time()
            parse(raw)
            if run >= 0:
                times[name].append((time.thread_time() - start) * 1000)
    return times


def _bad_entry(variant: str, parse: Parser, bad: bytes) -> str:
    """Say what a variant makes of an answer with one bad member (a MAC that is a number)."""
    try:
        parsed = parse(bad)
    except Exception:  # noqa: BLE001 - any failure is the answer
        return "fails the answer"
    if _same_as_ours(variant, parsed, ours_parse(bad)):
        return "skips the entry"
    return "lets it through"


def measure(clients: int, runs: int) -> dict[str, Any]:
    """Parse time, code size, equality with ours and tolerance of every variant."""
    output = answer(clients)
    raw = orjson.dumps(output)
    bad = json.loads(raw)
    victim = [d for d in bad["devices"] if d.get("knownInterfaces")][-1]
    victim["knownInterfaces"][0]["macAddress"] = 12345
    bad_raw = orjson.dumps(bad)
    ours = ours_parse(raw)
    candidates = variants()
    timed = _timed(
        {"orjson.loads": orjson.loads} | {n: v.parse for n, v in candidates.items()},
        raw,
        runs,
    )
    rows: dict[str, Any] = {}
    for name, variant in candidates.items():
        times = timed[name]
        parsers = tuple(getattr(models_base, p) for p in variant.parsers)
        rows[name] = {
            "median_ms": round(statistics.median(times), 2),
            "min_ms": round(min(times), 2),
            "own_lines": code_lines(variant.own),
            "parser_lines": code_lines(parsers),
            "same_as_ours": _same_as_ours(name, variant.parse(raw), ours),
            "bad_entry": _bad_entry(name, variant.parse, bad_raw),
        }
    return {
        "clients": clients,
        "devices": len(output["devices"]),
        "answer_bytes": len(raw),
        "runs": runs,
        "orjson_loads_ms": round(statistics.median(timed["orjson.loads"]), 2),
        "variants": rows,
        "python": sys.version.split()[0],
    }


def table(result: dict[str, Any]) -> str:
    """Format the figures as a text table."""
    lines = [
        (
            f"GetDevices3, {result['devices']} devices, {result['answer_bytes']:,} bytes, "
            f"{result['runs']} runs, CPU time; orjson.loads alone: "
            f"{result['orjson_loads_ms']} ms (Python {result['python']})"
        ),
        (
            f"{'variant':<16}{'median ms':>10}{'min ms':>8}{'lines':>7}{'+parsers':>10}"
            "  same as ours  one bad member"
        ),
    ]
    for name, row in result["variants"].items():
        same = {True: "yes", False: "NO", None: "n/a (wire)"}[row["same_as_ours"]]
        lines.append(
            f"{name:<16}{row['median_ms']:>10}{row['min_ms']:>8}{row['own_lines']:>7}"
            f"{row['parser_lines']:>10}  {same:<12}  {row['bad_entry']}"
        )
    declarative = result["declarative"]
    lines += [
        "",
        (
            f"A declarative model: core/GetDeviceInfo ({declarative['services']} "
            "services), 1,000 parses (µs for one parse = ms shown)"
        ),
        f"{'variant':<16}{'median ms':>10}{'min ms':>8}{'lines':>7}",
    ]
    for name, row in declarative["variants"].items():
        lines.append(
            f"{name:<16}{row['median_us']:>10}{row['min_us']:>8}{row['own_lines']:>7}"
        )
    lines.append(
        f"_model/_member machinery (what mashumaro would replace): "
        f"{declarative['machinery_lines']} lines"
    )
    return "\n".join(lines)


def main() -> None:
    """Print the table, or ``--json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument(
        "--msgspec-path", help="a folder with msgspec in it (pip --target)"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.msgspec_path:
        sys.path.insert(0, args.msgspec_path)
    result = measure(args.clients, args.runs)
    result["declarative"] = measure_declarative(args.runs)
    sys.stdout.write((json.dumps(result) if args.json else table(result)) + "\n")


if __name__ == "__main__":
    main()
