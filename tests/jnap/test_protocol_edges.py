"""Odd answers no well-behaved simulator profile gives, served by a scripted HTTP endpoint.

The simulator is the contract; these cover the client's defences against what firmware has
been seen to send (or could send) beyond it: the `response` status key, missing or miscounted
transaction entries, top-level errors, the lone `_ErrorUnauthorized` quirk.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.linksys_jnap.jnap import (
    Call,
    JNAPAuthenticationError,
    JNAPClient,
    JNAPProtocolError,
    JNAPUnsupportedActionError,
)
from tests.jnap.conftest import SERVICES, Scripted


@pytest.fixture
async def client(scripted: Scripted, session: aiohttp.ClientSession) -> JNAPClient:
    jnap = JNAPClient(scripted.host, "s3cret", session)
    scripted.replies.append(
        {"response": "OK", "output": {"modelNumber": "X1", "services": SERVICES}}
    )
    await jnap.get_device_info()
    return jnap


async def test_response_key_and_side_effects(
    scripted: Scripted, client: JNAPClient
) -> None:
    scripted.replies.append(
        {
            "result": "OK",
            "responses": [
                {"response": "OK", "output": {"isSwitchportLEDEnabled": True}},
                {"result": "OK", "output": {}, "sideEffects": ["DeviceRestart", 3]},
            ],
        }
    )
    results = await client.transaction(
        [Call("routerleds/GetRouterLEDSettings"), Call("core/Reboot")]
    )
    assert results[0].ok
    assert results[1].side_effects == ("DeviceRestart", "3")
    action, body, headers = scripted.seen[-1]
    assert action == "http://linksys.com/jnap/core/Transaction"
    assert body == [
        {
            "action": "http://linksys.com/jnap/routerleds/GetRouterLEDSettings",
            "request": {},
        },
        {"action": "http://linksys.com/jnap/core/Reboot", "request": {}},
    ]
    assert headers["X-JNAP-Authorization"].startswith("Basic ")


@pytest.mark.parametrize(
    "reply",
    [
        {"result": "OK"},
        {"result": "OK", "responses": []},
        {"result": "OK", "responses": [{"output": {}}]},
        [1, 2],
        {"output": {}},
        b"",
        b'{"result": "OK", "outp',
        b"<html><body>Login</body></html>",
        web.Response(status=503, text="busy"),
    ],
)
async def test_malformed_transaction_answers(
    scripted: Scripted, client: JNAPClient, reply: Any
) -> None:
    scripted.replies.append(reply)
    with pytest.raises(JNAPProtocolError):
        await client.transaction([Call("routerleds/GetRouterLEDSettings")])


async def test_top_level_error_without_entries(
    scripted: Scripted, client: JNAPClient
) -> None:
    scripted.replies.append(
        {
            "result": "_ErrorUnauthorized",
            "error": "Invalid authorization credentials 's3cret'",
        }
    )
    with pytest.raises(JNAPAuthenticationError) as info:
        await client.transaction([Call("routerleds/GetRouterLEDSettings")])
    assert "s3cret" not in str(info.value)
    assert "***" in str(info.value)


# router/GetEthernetPortConnections (router.lua's answer).
PORTS = {"wanPortConnection": "1Gbps", "lanPortConnections": ["None"]}


async def test_lone_unauthorized_after_success_is_a_part_error(
    scripted: Scripted, client: JNAPClient
) -> None:
    # Seen on newer firmware: one action refused with a valid password.
    scripted.replies.append(
        {
            "result": "Error",
            "responses": [
                {"result": "OK", "output": {"wanStatus": "Connected"}},
                {
                    "result": "_ErrorUnauthorized",
                    "error": "Invalid authorization credentials",
                },
                {"result": "_ErrorAbortedAction", "error": "aborted"},
                {"result": "_ErrorAbortedAction", "error": "aborted"},
                {"result": "_ErrorAbortedAction", "error": "aborted"},
            ],
        }
    )
    scripted.replies.append(
        {
            "result": "OK",
            "responses": [
                {"result": "OK", "output": {"lastSuccessfulCheckTime": 0}},
                {"result": "OK", "output": PORTS},
                {"result": "OK", "output": {"updatePolicy": "Manual"}},
            ],
        }
    )
    result = await client.poll()
    assert result.wan_status is not None
    assert result.leds is None
    assert isinstance(result.errors["leds"], JNAPAuthenticationError)
    assert result.firmware_update is not None
    assert result.firmware_update.last_successful_check_time is None
    assert result.actions == {
        "wan_status": "router/GetWANStatus",
        "firmware_update": "firmwareupdate/GetFirmwareUpdateStatus",
        "ethernet_ports": "router/GetEthernetPortConnections",
        "firmware_update_settings": "firmwareupdate/GetFirmwareUpdateSettings",
    }


async def test_unparsable_part_is_a_part_error(
    scripted: Scripted, client: JNAPClient
) -> None:
    scripted.replies.append(
        {
            "result": "OK",
            "responses": [
                {"result": "OK", "output": {"wanStatus": "Connected"}},
                {"result": "OK", "output": {"unexpected": True}},
                {"result": "OK", "output": {}},
                {"result": "OK", "output": PORTS},
                {"result": "OK", "output": {}},
            ],
        }
    )
    result = await client.poll()
    assert isinstance(result.errors["leds"], JNAPProtocolError)
    assert result.leds is None
    assert result.wan_status is not None


async def test_open_actions_carry_no_password(
    scripted: Scripted, client: JNAPClient
) -> None:
    _, _, headers = scripted.seen[0]
    assert "X-JNAP-Authorization" not in headers
    scripted.replies.append(b'{"result": "OK", "output": {"passwordHint": 42}}')
    assert await client.get_admin_password_hint() == "42"
    assert json.dumps(scripted.seen[-1][1]) == "{}"


async def test_truncated_body_is_a_protocol_error(
    session: aiohttp.ClientSession,
) -> None:
    async def handle(reader: Any, writer: Any) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b'Content-Length: 500\r\n\r\n{"result": "OK", "out'
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        client = JNAPClient(f"127.0.0.1:{port}", "pw", session, timeout=5)
        with pytest.raises(JNAPProtocolError):
            await client.get_device_info()
    finally:
        server.close()
        await server.wait_closed()


async def test_write_needs_supported_action(
    scripted: Scripted, client: JNAPClient
) -> None:
    assert client.device_info is not None
    assert client.device_info.model_number == "X1"
    count = len(scripted.seen)
    with pytest.raises(JNAPUnsupportedActionError):
        await client.set_guest_network_enabled(True)
    assert len(scripted.seen) == count


async def test_guest_write_refuses_unusable_radios(
    scripted: Scripted, session: aiohttp.ClientSession
) -> None:
    guest = JNAPClient(scripted.host, "s3cret", session)
    scripted.replies.append(
        {
            "result": "OK",
            "output": {
                "services": [
                    *SERVICES,
                    "http://linksys.com/jnap/guestnetwork/GuestNetwork",
                ]
            },
        }
    )
    await guest.get_device_info()
    scripted.replies.append(
        {
            "result": "OK",
            "output": {"isGuestNetworkEnabled": False, "maxSimultaneousGuests": 5},
        }
    )
    with pytest.raises(JNAPProtocolError):
        await guest.set_guest_network_enabled(True)
    assert len(scripted.seen) == 2  # the Get only: no partial Set
