"""``read_router_info``: device info and the factory-password flag in one open transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import logging
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.linksys_jnap.jnap import (
    JNAPAuthenticationError,
    JNAPClient,
    JNAPConnectionError,
    JNAPProtocolError,
    JNAPTimeoutError,
    JNAPUnsupportedActionError,
)
from tests.jnap.conftest import SERVICES, Scripted
from tests.simulator import Fault

from .conftest import PASSWORD

ClientFactory = Callable[..., JNAPClient]
RouterFactory = Callable[..., Awaitable[Any]]

PAIR = ("core/GetDeviceInfo", "core/IsAdminPasswordDefault")
TX_URI = "http://linksys.com/jnap/core/Transaction"
INFO_URI = "http://linksys.com/jnap/core/GetDeviceInfo"
INFO = {"modelNumber": "X1", "serialNumber": "S1", "services": SERVICES}


# --- against the simulator ---------------------------------------------------------------


@pytest.mark.parametrize("profile", ["smartwifi", "velop", "legacy"])
async def test_one_open_transaction_per_profile(
    router_factory: RouterFactory, make_client: ClientFactory, profile: str
) -> None:
    sim = await router_factory(profile=profile, password=PASSWORD, clients=3, seed=2)
    client = make_client(sim)
    info, is_default = await client.read_router_info()
    assert is_default is False
    assert len(sim.requests) == 1
    record = sim.requests[0]
    assert record.transaction
    assert record.actions == PAIR
    assert record.auth == "none"  # open actions only: no password on the wire
    assert record.status == 200
    assert client.device_info is info
    assert not client.splits_mixed_transactions

    # Same answer and capabilities as GetDeviceInfo alone.
    plain = make_client(sim)
    assert await plain.get_device_info() == info
    assert client.capabilities is not None
    assert plain.capabilities is not None
    assert client.capabilities.actions == plain.capabilities.actions
    assert info.serial_number == sim.state.device_info.serial_number

    sim.state.admin.is_default = True
    assert (await client.read_router_info())[1] is True


async def test_wrong_password_is_never_sent(
    router: Any, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.linksys_jnap.jnap")
    client = make_client(router, password="not the password")
    info, is_default = await client.read_router_info()
    assert info.serial_number == router.state.device_info.serial_number
    assert is_default is False
    assert router.state.admin.failures == 0
    assert [r.auth for r in router.requests] == ["none"]
    assert "not the password" not in caplog.text
    assert "Basic " not in caplog.text


async def test_refused_transaction_falls_back_to_device_info(
    router: Any, make_client: ClientFactory
) -> None:
    router.inject(Fault.HTTP_500, action="core/IsAdminPasswordDefault", times=1)
    client = make_client(router)
    info, is_default = await client.read_router_info()
    assert is_default is None
    assert info.serial_number == router.state.device_info.serial_number
    assert client.capabilities is not None
    assert client.capabilities.has_action("core/IsAdminPasswordDefault")
    assert [(r.transaction, r.actions, r.auth) for r in router.requests] == [
        (True, PAIR, "none"),
        (False, ("core/GetDeviceInfo",), "none"),
    ]


async def test_failed_device_info_entry_falls_back(
    router: Any, make_client: ClientFactory
) -> None:
    router.inject(Fault.UNEXPECTED, action="core/GetDeviceInfo", times=1)
    client = make_client(router)
    info, is_default = await client.read_router_info()
    assert is_default is None
    assert info.serial_number == router.state.device_info.serial_number
    assert len(router.requests) == 2


async def test_failed_password_entry_is_no_answer(
    router: Any, make_client: ClientFactory
) -> None:
    router.inject(Fault.UNEXPECTED, action="core/IsAdminPasswordDefault", times=1)
    client = make_client(router)
    info, is_default = await client.read_router_info()
    assert is_default is None
    assert client.device_info is info
    assert len(router.requests) == 1
    # A passing failure: the action stays supported and answers when asked again.
    router.state.admin.is_default = True
    assert await client.is_admin_password_default() is True


async def test_fallback_failing_too_raises(
    router: Any, make_client: ClientFactory
) -> None:
    router.inject(Fault.HTTP_500, times=2)
    with pytest.raises(JNAPProtocolError):
        await make_client(router).read_router_info()
    assert len(router.requests) == 2


async def test_timeout_raises_without_fallback(
    router: Any, make_client: ClientFactory
) -> None:
    router.inject(Fault.TIMEOUT, times=1, seconds=0.5)
    client = make_client(router, timeout=0.2)
    with pytest.raises(JNAPTimeoutError):
        await client.read_router_info()
    await asyncio.sleep(0.6)  # the simulator logs a held request when it drops it
    assert [r.status for r in router.requests] == [0]
    assert client.capabilities is None


async def test_unreachable_raises_without_fallback(
    session: aiohttp.ClientSession,
) -> None:
    client = JNAPClient("127.0.0.1:9", PASSWORD, session, timeout=2)
    with pytest.raises(JNAPConnectionError):
        await client.read_router_info()
    assert client.capabilities is None


# --- odd answers from a scripted endpoint ------------------------------------------------


@pytest.fixture
def fresh(scripted: Scripted, session: aiohttp.ClientSession) -> JNAPClient:
    return JNAPClient(f"127.0.0.1:{scripted.port}", "s3cret", session)


async def test_request_shape(scripted: Scripted, fresh: JNAPClient) -> None:
    scripted.replies.append(
        {
            "result": "OK",
            "responses": [
                {"result": "OK", "output": INFO},
                {"result": "OK", "output": {"isAdminPasswordDefault": True}},
            ],
        }
    )
    info, is_default = await fresh.read_router_info()
    assert (info.model_number, is_default) == ("X1", True)
    action, body, headers = scripted.seen[0]
    assert action == TX_URI
    assert body == [
        {"action": INFO_URI, "request": {}},
        {
            "action": "http://linksys.com/jnap/core/IsAdminPasswordDefault",
            "request": {},
        },
    ]
    assert "X-JNAP-Authorization" not in headers


async def test_legacy_top_level_unknown_action_falls_back(
    scripted: Scripted, fresh: JNAPClient
) -> None:
    # Legacy firmware: one unknown action fails the whole batch, without entries.
    scripted.replies.append(
        {
            "result": "_ErrorUnknownAction",
            "error": "Unknown action 'http://linksys.com/jnap/core/IsAdminPasswordDefault'",
        }
    )
    scripted.replies.append({"result": "OK", "output": INFO})
    info, is_default = await fresh.read_router_info()
    assert (info.model_number, is_default) == ("X1", None)
    assert [action for action, _, _ in scripted.seen] == [TX_URI, INFO_URI]
    assert all("X-JNAP-Authorization" not in h for _, _, h in scripted.seen)
    assert fresh.capabilities is not None


async def test_unknown_password_entry_drops_the_action(
    scripted: Scripted, fresh: JNAPClient
) -> None:
    scripted.replies.append(
        {
            "result": "Error",
            "responses": [
                {"result": "OK", "output": INFO},
                {"result": "_ErrorUnknownAction", "error": "Unknown action"},
            ],
        }
    )
    info, is_default = await fresh.read_router_info()
    assert (info.model_number, is_default) == ("X1", None)
    assert fresh.capabilities is not None
    assert not fresh.capabilities.has_action("core/IsAdminPasswordDefault")
    # Not asked again later: refused without a request.
    with pytest.raises(JNAPUnsupportedActionError):
        await fresh.is_admin_password_default()
    assert len(scripted.seen) == 1


async def test_answer_ignored_when_services_lack_it(
    scripted: Scripted, fresh: JNAPClient
) -> None:
    services = [s for s in SERVICES if not s.endswith("/core/Core")]
    scripted.replies.append(
        {
            "result": "OK",
            "responses": [
                {"result": "OK", "output": {**INFO, "services": services}},
                {"result": "OK", "output": {"isAdminPasswordDefault": True}},
            ],
        }
    )
    info, is_default = await fresh.read_router_info()
    assert is_default is None
    assert info.services == frozenset(services)


@pytest.mark.parametrize(
    "reply",
    [
        {"result": "OK"},
        {"result": "OK", "responses": [{"result": "OK", "output": INFO}]},
        {"result": "OK", "responses": [{"output": INFO}, {"result": "OK"}]},
        {
            "result": "OK",
            "responses": [
                {"result": "OK", "output": {"modelNumber": "X1"}},
                {"result": "OK", "output": {"isAdminPasswordDefault": True}},
            ],
        },
        {
            "result": "_ErrorInvalidInput",
            "error": "Transaction body must be a JSON array",
        },
        b"<html><body>Login</body></html>",
        web.Response(status=500, text="busy"),
    ],
    ids=[
        "no-responses",
        "one-response",
        "entry-without-result",
        "info-without-services",
        "top-level-error",
        "html",
        "http-500",
    ],
)
async def test_malformed_answers_fall_back(
    scripted: Scripted, fresh: JNAPClient, reply: Any
) -> None:
    scripted.replies.append(reply)
    scripted.replies.append({"result": "OK", "output": INFO})
    info, is_default = await fresh.read_router_info()
    assert (info.model_number, is_default) == ("X1", None)
    assert len(scripted.seen) == 2
    assert fresh.capabilities is not None


async def test_fallback_error_is_scrubbed(
    scripted: Scripted, fresh: JNAPClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.linksys_jnap.jnap")
    for _ in range(2):
        scripted.replies.append(
            {
                "result": "_ErrorUnauthorized",
                "error": "Invalid authorization credentials 's3cret'",
            }
        )
    with pytest.raises(JNAPAuthenticationError) as info:
        await fresh.read_router_info()
    assert "s3cret" not in str(info.value)
    assert "s3cret" not in caplog.text
    assert len(scripted.seen) == 2
