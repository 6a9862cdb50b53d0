"""Fuzzed input: odd JNAP answers through the client into the coordinator and entities.

A tiny aiohttp endpoint on 127.0.0.1 answers like a router whose answers hypothesis
generates: plausible outputs (taken from the simulator) with mutations (wrong types,
missing members, huge lists, odd unicode, numbers where strings belong) and broken
envelopes. Only the client's typed errors (as the coordinator's translated failures) or
a valid snapshot may come out; never an unhandled exception.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
import copy
import dataclasses
import json
import logging
import math
from typing import Any

from aiohttp import web
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import UpdateFailed
from hypothesis import strategies as st
import pytest

from custom_components.linksys_jnap.coordinator import LinksysJnapCoordinator
from custom_components.linksys_jnap.jnap import JNAPClient, JNAPError
from custom_components.linksys_jnap.snapshot import ClientView, RouterSnapshot
from tests.conftest import PASSWORD, entry_at
from tests.reliability.conftest import run_examples
from tests.simulator import RouterSimulator
from tests.simulator.fixtures import RouterFactory
from tests.simulator.testing import LoopbackEndpoint, jnap, transaction

PREFIX = "http://linksys.com/jnap/"
POLL_EXAMPLES = 400
READ_EXAMPLES = 150
EXAMPLES_RUN: dict[str, int] = {}
"""Examples each fuzz test really ran (the report counts them)."""

type Json = Any

# --- the endpoint -------------------------------------------------------------------------


class OddRouter(LoopbackEndpoint):
    """Answers GetDeviceInfo from a fixed copy; everything else from ``self.answer``."""

    def __init__(self, device_info: Json, baseline: dict[str, Json]) -> None:
        super().__init__()
        self.device_info = device_info
        self.baseline = baseline
        self.answer: Callable[[str, Json], bytes] = self.valid

    def valid(self, action: str, body: Json) -> bytes:
        """Answer as a healthy router does (outputs captured from the simulator)."""
        if action == "core/Transaction":
            responses = [
                {
                    "result": "OK",
                    "output": self.baseline.get(e["action"].removeprefix(PREFIX), {}),
                }
                for e in body
            ]
            return json.dumps({"result": "OK", "responses": responses}).encode()
        return json.dumps(
            {"result": "OK", "output": self.baseline.get(action, {})}
        ).encode()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        action = request.headers.get("X-JNAP-Action", "").removeprefix(PREFIX)
        body = json.loads(await request.read() or b"null")
        if action == "core/GetDeviceInfo":
            payload = json.dumps({"result": "OK", "output": self.device_info}).encode()
        else:
            payload = self.answer(action, body)
        return web.Response(body=payload, content_type="application/json")


POLL_ACTIONS = (
    "devicelist/GetDevices",
    "networkconnections/GetNetworkConnections",
    "router/GetWANStatus2",
    "guestnetwork/GetGuestRadioSettings",
    "routerleds/GetRouterLEDSettings",
    "parentalcontrol/GetParentalControlSettings",
    "firmwareupdate/GetFirmwareUpdateStatus",
    "wirelessap/GetRadioInfo3",
    "core/IsAdminPasswordDefault",
    "firmwareupdate/GetFirmwareUpdateSettings",
)


@pytest.fixture
async def odd_router(router_factory: RouterFactory) -> AsyncIterator[OddRouter]:
    """Start an endpoint primed with real outputs of a simulated smartwifi router."""
    sim: RouterSimulator = await router_factory(
        profile="smartwifi", password=PASSWORD, clients=6, seed=5
    )
    sim.offer_firmware("2.0.9.1", description="fixes")
    import aiohttp

    baseline: dict[str, Json] = {}
    async with aiohttp.ClientSession() as session:
        info = await jnap(session, sim.url, "core/GetDeviceInfo")
        answer = await transaction(
            session, sim.url, [(a, {}) for a in POLL_ACTIONS], password=PASSWORD
        )
    for action, response in zip(POLL_ACTIONS, answer["responses"], strict=True):
        if response["result"] == "OK":
            baseline[action] = response["output"]
    assert "devicelist/GetDevices" in baseline
    server = OddRouter(info["output"], baseline)
    await server.start()
    yield server
    await server.stop()


# --- strategies ---------------------------------------------------------------------------

ODD_TEXT = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=12
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | ODD_TEXT
    | st.sampled_from(["", "0", "-1", "1e309", "2.4GHz", "AA:BB:CC:DD:EE:FF", "OK"])
)
ANY_JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(ODD_TEXT, children, max_size=4)
    ),
    max_leaves=12,
)
CODES = st.sampled_from(
    [
        "OK",
        "Error",
        "_ErrorUnauthorized",
        "_ErrorUnknownAction",
        "_ErrorNotReady",
        "_ErrorUnexpected",
        "_ErrorAbortedAction",
        "_ErrorInvalidInput",
        "ErrorPasswordCheckDelayed",
        "ErrorAdminAccountLocked",
        "ErrorInvalidAdminPassword",
    ]
) | st.one_of(ODD_TEXT, st.integers(), st.none())

MOSTLY_OK = st.one_of(st.just("OK"), st.just("OK"), st.just("OK"), CODES)


def mutate(draw: Callable[..., Any], value: Json, depth: int = 0) -> Json:
    """Return a copy of ``value`` with random damage, drawn through hypothesis."""
    kind = draw(
        st.sampled_from(
            ["keep", "keep", "keep", "recurse", "recurse", "replace", "wrong_type"]
        )
    )
    if kind == "keep" or depth > 6:
        return value
    if kind == "replace":
        return draw(ANY_JSON)
    if kind == "wrong_type":
        if isinstance(value, bool):
            return draw(st.sampled_from([0, 1, "true", None, []]))
        if isinstance(value, (int, float)):
            return draw(st.sampled_from([str(value), None, True, [value], {}]))
        if isinstance(value, str):
            return draw(
                st.sampled_from(
                    [0, -1, 3.5, math.inf, None, True, [value], {"": value}]
                )
            )
        return draw(SCALARS)
    if isinstance(value, dict):
        result: dict[str, Json] = {}
        for key, item in value.items():
            action = draw(st.sampled_from(["keep", "keep", "drop", "mutate"]))
            if action == "drop":
                continue  # a missing member
            result[key] = mutate(draw, item, depth + 1) if action == "mutate" else item
        if draw(st.booleans()):
            result[draw(ODD_TEXT)] = draw(ANY_JSON)  # an unknown member
        return result
    if isinstance(value, list):
        items = [mutate(draw, item, depth + 1) for item in value]
        if items and draw(st.integers(0, 9)) == 0:
            # A huge list: the router's answer repeated many times.
            items *= draw(st.integers(50, 400))
        return items
    return draw(ANY_JSON)


@st.composite
def poll_answers(draw: Callable[..., Any], baseline: dict[str, Json]) -> Json:
    """Draw a recipe for the poll transaction's answer (the endpoint applies it)."""
    shape = draw(
        st.sampled_from(
            [
                "entries",
                "entries",
                "entries",
                "entries",
                "top_level",
                "raw",
                "not_object",
            ]
        )
    )
    if shape == "raw":
        return {"raw": draw(st.binary(max_size=40))}
    if shape == "not_object":
        return {"json": draw(ANY_JSON.filter(lambda v: not isinstance(v, dict)))}
    if shape == "top_level":
        envelope: dict[str, Json] = {"result": draw(CODES)}
        if draw(st.booleans()):
            envelope["error"] = draw(ANY_JSON)
        if draw(st.booleans()):
            envelope["output"] = draw(ANY_JSON)
        if draw(st.booleans()):
            envelope["responses"] = draw(ANY_JSON)
        return {"json": envelope}
    outputs = {a: mutate(draw, copy.deepcopy(v)) for a, v in baseline.items()}
    return {
        "outputs": outputs,
        "codes": draw(st.lists(MOSTLY_OK, max_size=10)),
        # Mostly a well-formed envelope, so the outputs reach the parsers.
        "damage": draw(st.sampled_from([*[None] * 10, *ENVELOPE_DAMAGE])),
        "top": draw(CODES),
        "junk": draw(st.sampled_from([0, "x", [], None])),
    }


ENVELOPE_DAMAGE = (
    "no_status",
    "response_key",
    "fewer",
    "more",
    "junk_entry",
    "odd_top",
)


def serve(recipe: Json, action: str, body: Json) -> bytes:
    """Build the HTTP body for one request from a recipe."""
    if "raw" in recipe:
        raw: bytes = recipe["raw"]
        return raw
    if "json" in recipe:
        return json.dumps(recipe["json"]).encode()
    outputs: dict[str, Json] = recipe["outputs"]
    if action != "core/Transaction":
        return json.dumps({"result": "OK", "output": outputs.get(action, {})}).encode()
    entries = body if isinstance(body, list) else []
    codes: list[Json] = recipe["codes"]
    damage = recipe["damage"]
    status_key = {"no_status": None, "response_key": "response"}.get(damage, "result")
    responses: list[Json] = []
    for index, entry in enumerate(entries):
        name = str(entry.get("action", "")).removeprefix(PREFIX)
        code = codes[index] if index < len(codes) else "OK"
        response: dict[str, Json] = {}
        if status_key is not None:
            response[status_key] = code
        response["output"] = outputs.get(name, {})
        if code != "OK":
            response["error"] = f"{code} (fuzz)"
        responses.append(response)
    if damage == "junk_entry" and responses:
        responses[0] = recipe["junk"]
    elif damage == "fewer":
        responses = responses[:-1]
    elif damage == "more":
        responses.append({"result": "OK", "output": {}})
    top = recipe["top"] if damage == "odd_top" else "OK"
    if top == "OK" and any(r != "OK" for r in codes[: len(responses)]):
        top = "Error"
    return json.dumps({"result": top, "responses": responses}).encode()


# --- checks -------------------------------------------------------------------------------


def check_snapshot(data: RouterSnapshot) -> None:
    """Check a snapshot holds the types entities rely on."""
    assert isinstance(data, RouterSnapshot)
    for key, client in data.clients.items():
        assert isinstance(client, ClientView)
        assert client.key == key
        assert isinstance(client.name, str)
        assert isinstance(client.mac, str)
        assert client.mac in client.macs
        assert isinstance(client.connected, bool)
        if (link := data.link(client)) is not None:
            assert link.signal_dbm is None or isinstance(link.signal_dbm, int)
            assert link.speed_mbps is None or isinstance(link.speed_mbps, (int, float))
        assert client.band is None or isinstance(client.band, str)
        assert client.ip_address is None or isinstance(client.ip_address, str)
    for mac, key in data.client_keys_by_mac.items():
        assert isinstance(mac, str)
        assert key in data.clients
    assert isinstance(data.failed_parts, frozenset)
    for part in dataclasses.fields(data):
        assert part.name  # every field readable
        getattr(data, part.name)


def check_outcome(coordinator: LinksysJnapCoordinator) -> str:
    """Return ``ok`` or the typed error's class name; fail on anything else."""
    if coordinator.last_update_success:
        check_snapshot(coordinator.data)
        return "ok"
    err = coordinator.last_exception
    assert isinstance(err, (UpdateFailed, ConfigEntryAuthFailed)), repr(err)
    cause = err.__cause__
    # Only the coordinator's own refusal after an auth failure has no JNAP cause.
    assert isinstance(cause, JNAPError) or isinstance(err, ConfigEntryAuthFailed), (
        repr(err),
        repr(cause),
    )
    return type(cause).__name__ if cause is not None else type(err).__name__


async def test_fuzzed_poll_answers(
    hass: HomeAssistant,
    odd_router: OddRouter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = entry_at(
        odd_router.host, odd_router.device_info["serialNumber"], title="fuzz"
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    coordinator: LinksysJnapCoordinator = entry.runtime_data.coordinator
    client: JNAPClient = entry.runtime_data.api
    outcomes: dict[str, int] = {}

    async def one(recipe: Json) -> None:
        # A fresh start per example: capabilities re-read, no auth lockout carried over.
        odd_router.answer = odd_router.valid
        await client.get_device_info()
        coordinator.auth_failed = False
        odd_router.answer = lambda action, body: serve(recipe, action, body)
        await coordinator.async_refresh()
        await hass.async_block_till_done()
        outcome = check_outcome(coordinator)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1

    with caplog.at_level(logging.WARNING):
        count = await run_examples(
            hass, poll_answers(odd_router.baseline), POLL_EXAMPLES, one
        )
    EXAMPLES_RUN["poll"] = count
    assert count >= POLL_EXAMPLES // 2
    # The fuzz reached both sides: valid snapshots and typed errors.
    assert outcomes.get("ok", 0) > 0
    assert len(outcomes) > 3, outcomes
    unexpected = [
        r.getMessage() for r in caplog.records if "Unexpected error" in r.getMessage()
    ]
    assert unexpected == []
    odd_router.answer = odd_router.valid
    coordinator.auth_failed = False


READERS: tuple[tuple[str, Callable[[JNAPClient], Awaitable[Any]]], ...] = (
    ("wirelessap/GetRadioInfo3", lambda c: c.get_radio_info()),
    ("router/GetWANStatus2", lambda c: c.get_wan_status()),
    ("devicelist/GetDevices", lambda c: c.get_devices()),
    (
        "firmwareupdate/GetFirmwareUpdateStatus",
        lambda c: c.get_firmware_update_status(),
    ),
    ("guestnetwork/GetGuestRadioSettings", lambda c: c.get_guest_radio_settings()),
)


@st.composite
def read_answers(draw: Callable[..., Any], baseline: dict[str, Json]) -> Json:
    """Draw a reader (its index) and a recipe for its answer."""
    index = draw(st.integers(0, len(READERS) - 1))
    action = READERS[index][0]
    return index, draw(poll_answers({action: baseline[action]}))


async def test_fuzzed_single_reads(hass: HomeAssistant, odd_router: OddRouter) -> None:
    """The client's own reads (used by switches, image, update): typed errors or models."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        client = JNAPClient(odd_router.host, PASSWORD, session)

        async def one(drawn: tuple[int, Json]) -> None:
            index, recipe = drawn
            odd_router.answer = odd_router.valid
            await client.get_device_info()
            odd_router.answer = lambda action, body: serve(recipe, action, body)
            try:
                model = await READERS[index][1](client)
            except JNAPError:
                return
            assert dataclasses.is_dataclass(model) or isinstance(model, tuple)
            repr(model)

        count = await run_examples(
            hass, read_answers(odd_router.baseline), READ_EXAMPLES, one
        )
    EXAMPLES_RUN["reads"] = count
    assert count >= READ_EXAMPLES // 2
