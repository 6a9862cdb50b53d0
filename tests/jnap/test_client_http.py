"""The JNAP client over real HTTP against the router simulator."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import logging
from typing import Any

import pytest

from custom_components.linksys_jnap.jnap import (
    ACTIONS,
    Call,
    JNAPAccountLockedError,
    JNAPActionError,
    JNAPAuthenticationError,
    JNAPClient,
    JNAPConnectionError,
    JNAPInvalidInputError,
    JNAPNotReadyError,
    JNAPPasswordThrottledError,
    JNAPProtocolError,
    JNAPTimeoutError,
    JNAPUnsupportedActionError,
    is_device_internet_blocked,
    is_device_prioritized,
)
from custom_components.linksys_jnap.jnap.presence import may_be_node
from tests.simulator import Fault

from .conftest import PASSWORD

ClientFactory = Callable[..., JNAPClient]
RouterFactory = Callable[..., Awaitable[Any]]

EXPECTED_VERSIONS: dict[str, dict[str, str | None]] = {
    "smartwifi": {
        "devicelist/GetDevices": "devicelist/GetDevices",
        "networkconnections/GetNetworkConnections": "networkconnections/GetNetworkConnections",
        "router/GetWANStatus": "router/GetWANStatus2",
        "guestnetwork/GetGuestRadioSettings": "guestnetwork/GetGuestRadioSettings",
        "routerleds/GetRouterLEDSettings": "routerleds/GetRouterLEDSettings",
        "wirelessap/GetRadioInfo": "wirelessap/GetRadioInfo3",
        "core/CheckAdminPassword": "core/CheckAdminPassword2",
        "router/GetIPv6Settings": "router/GetIPv6Settings",
    },
    "velop": {
        "devicelist/GetDevices": "devicelist/GetDevices3",
        "networkconnections/GetNetworkConnections": "networkconnections/GetNetworkConnections2",
        "router/GetWANStatus": "router/GetWANStatus3",
        "guestnetwork/GetGuestRadioSettings": "guestnetwork/GetGuestRadioSettings2",
        "routerleds/GetRouterLEDSettings": None,
        "wirelessap/GetRadioInfo": "wirelessap/GetRadioInfo3",
        "core/CheckAdminPassword": "core/CheckAdminPassword3",
        "router/GetIPv6Settings": "router/GetIPv6Settings2",
    },
    "legacy": {
        "devicelist/GetDevices": "devicelist/GetDevices",
        "networkconnections/GetNetworkConnections": "networkconnections/GetNetworkConnections",
        "router/GetWANStatus": "router/GetWANStatus",
        "guestnetwork/GetGuestRadioSettings": "guestnetwork/GetGuestRadioSettings",
        "routerleds/GetRouterLEDSettings": "routerleds/GetRouterLEDSettings",
        "wirelessap/GetRadioInfo": "wirelessap/GetRadioInfo",
        "core/CheckAdminPassword": "core/CheckAdminPassword",
        "router/GetIPv6Settings": "router/GetIPv6Settings",
    },
}

# Gets whose output must not change when an unrelated setting is written.
STABLE_GETS = (
    "firewall/GetALGSettings",
    "guestnetwork/GetGuestRadioSettings",
    "guestnetwork/GetGuestRadioSettings2",
    "locale/GetTimeSettings",
    "parentalcontrol/GetParentalControlSettings",
    "qos/GetQoSSettings",
    "qos/GetWLANQoSSettings",
    "router/GetLANSettings",
    "router/GetWANStatus2",
    "router/GetWANStatus3",
    "routerleds/GetRouterLEDSettings",
    "routerlog/GetLogSettings",
    "routermanagement/GetManagementSettings",
    "routerupnp/GetUPnPSettings",
    "wirelessap/GetRadioInfo3",
    "core/GetAdminPasswordHint",
)


def actions_of(record: Any) -> tuple[str, ...]:
    """Inner actions of a logged request (without the transaction wrapper)."""
    return tuple(a for a in record.actions if a != "core/Transaction")


async def snapshot(client: JNAPClient) -> dict[str, Any]:
    """Every stable Get the router supports, as raw outputs."""
    caps = client.capabilities
    assert caps is not None
    result: dict[str, Any] = {}
    for action in STABLE_GETS:
        if caps.has_action(action):
            output = dict(await client.call_action(action))
            output.pop("currentTime", None)
            result[action] = output
    return result


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """Actions whose output differs."""
    return {action for action in before if before[action] != after.get(action)}


# --- capabilities and versions ---------------------------------------------------------


@pytest.mark.parametrize("profile", ["smartwifi", "velop", "legacy"])
async def test_versions_per_profile(
    router_factory: RouterFactory, make_client: ClientFactory, profile: str
) -> None:
    sim = await router_factory(profile=profile, password=PASSWORD, clients=6, seed=2)
    client = make_client(sim)
    info = await client.get_device_info()
    assert info.model_number == sim.state.device_info.model_number
    assert info.serial_number == sim.state.device_info.serial_number
    record = sim.requests[-1]
    assert record.auth == "none"
    caps = client.capabilities
    assert caps is not None
    for family, expected in EXPECTED_VERSIONS[profile].items():
        assert caps.version_of(family) == expected, family
    await client.check_admin_password()
    assert actions_of(sim.requests[-1]) == (
        EXPECTED_VERSIONS[profile]["core/CheckAdminPassword"],
    )
    assert sim.requests[-1].auth == "ok"
    wan = await client.get_wan_status()
    assert wan.is_connected
    assert actions_of(sim.requests[-1]) == (
        EXPECTED_VERSIONS[profile]["router/GetWANStatus"],
    )


@pytest.mark.parametrize("profile", ["smartwifi", "velop", "legacy"])
async def test_poll_is_one_post(
    router_factory: RouterFactory, make_client: ClientFactory, profile: str
) -> None:
    sim = await router_factory(profile=profile, password=PASSWORD, clients=12, seed=1)
    client = make_client(sim)
    await client.get_device_info()
    sim.reset_counters()
    result = await client.poll()
    assert len(sim.requests) == 1
    record = sim.requests[0]
    assert record.transaction
    assert record.auth == "ok"
    assert all(ACTIONS[a].needs_password for a in actions_of(record))
    assert result.errors == {}
    assert result.devices is not None
    assert result.devices.since_revision is None
    assert any(d.is_authority for d in result.devices.devices)
    assert result.connections is not None
    assert result.connections
    assert result.wan_status is not None
    assert result.guest_network is not None
    assert result.guest_network.radios
    assert result.parental_control is not None
    assert len(result.parental_control.rules) == 2
    assert result.firmware_update is not None
    assert (result.leds is None) == (profile == "velop")
    assert (
        result.actions["wan_status"]
        == EXPECTED_VERSIONS[profile]["router/GetWANStatus"]
    )
    if profile == "velop":
        assert any(d.node_type == "Slave" for d in result.devices.devices)
        assert result.guest_network.version == 2


async def test_poll_loads_capabilities_and_since_revision(
    router: Any, make_client: ClientFactory
) -> None:
    client = make_client(router)
    first = await client.poll()
    assert client.capabilities is not None
    assert first.devices is not None
    revision = first.devices.revision
    router.add_client("new-phone", macs=["02:00:00:00:00:99"])
    router.connect_client("02:00:00:00:00:99", band="5GHz")
    router.reset_counters()
    delta = await client.poll(since_revision=revision)
    assert len(router.requests) == 1
    assert delta.devices is not None
    assert delta.devices.since_revision == revision
    assert delta.devices.revision > revision
    ids = {d.device_id for d in delta.devices.devices}
    assert any("02:00:00:00:00:99" in d.macs for d in delta.devices.devices)
    assert len(ids) < len(first.devices.devices)
    assert delta.connections is not None
    assert any(c.mac == "02:00:00:00:00:99" for c in delta.connections)


# --- every action ------------------------------------------------------------------------


READS: tuple[tuple[str, str], ...] = (
    ("get_admin_password_hint", "core/GetAdminPasswordHint"),
    ("get_admin_password_restrictions", "core/GetAdminPasswordRestrictions"),
    ("is_admin_password_default", "core/IsAdminPasswordDefault"),
    ("get_devices", "devicelist/GetDevices"),
    ("get_local_device", "devicelist/GetLocalDevice"),
    ("get_network_connections", "networkconnections/GetNetworkConnections"),
    ("get_wan_status", "router/GetWANStatus"),
    ("get_guest_radio_settings", "guestnetwork/GetGuestRadioSettings"),
    ("get_router_led_settings", "routerleds/GetRouterLEDSettings"),
    ("get_parental_control_settings", "parentalcontrol/GetParentalControlSettings"),
    ("get_firmware_update_status", "firmwareupdate/GetFirmwareUpdateStatus"),
    ("get_firmware_update_settings", "firmwareupdate/GetFirmwareUpdateSettings"),
    ("get_radio_info", "wirelessap/GetRadioInfo"),
    ("get_time_settings", "locale/GetTimeSettings"),
    ("get_log_settings", "routerlog/GetLogSettings"),
    ("get_dhcp_log_entries", "routerlog/GetDHCPLogEntries"),
    ("get_incoming_log_entries", "routerlog/GetIncomingLogEntries"),
    ("get_outgoing_log_entries", "routerlog/GetOutgoingLogEntries"),
    ("get_security_log_entries", "routerlog/GetSecurityLogEntries"),
    ("get_alg_settings", "firewall/GetALGSettings"),
    ("get_qos_settings", "qos/GetQoSSettings"),
    ("get_wlan_qos_settings", "qos/GetWLANQoSSettings"),
    ("get_dhcp_client_leases", "router/GetDHCPClientLeases"),
    ("get_ethernet_port_connections", "router/GetEthernetPortConnections"),
    ("get_express_forwarding_settings", "router/GetExpressForwardingSettings"),
    ("get_ipv6_settings", "router/GetIPv6Settings"),
    ("get_lan_settings", "router/GetLANSettings"),
    ("get_mac_address_clone_settings", "router/GetMACAddressCloneSettings"),
    ("get_routing_settings", "router/GetRoutingSettings"),
    ("get_management_settings", "routermanagement/GetManagementSettings"),
    ("get_remote_management_status", "routermanagement/GetRemoteManagementStatus"),
    ("get_upnp_settings", "routerupnp/GetUPnPSettings"),
    ("get_partitions", "storage/GetPartitions"),
    ("get_vlan_profiles", "vlantagging/GetProfiles"),
    ("get_vlan_tagging_settings", "vlantagging/GetVLANTaggingSettings"),
    (
        "get_wireless_scheduler_settings",
        "wirelessscheduler/GetWirelessSchedulerSettings",
    ),
)


@pytest.mark.parametrize("profile", ["smartwifi", "velop", "legacy"])
async def test_every_read_action(
    router_factory: RouterFactory, make_client: ClientFactory, profile: str
) -> None:
    sim = await router_factory(profile=profile, password=PASSWORD, clients=4, seed=3)
    client = make_client(sim)
    await client.get_device_info()
    caps = client.capabilities
    assert caps is not None
    for method, family in READS:
        expected = caps.version_of(family) if family in _families() else family
        if expected is None or not caps.has_action(expected):
            sim.reset_counters()
            with pytest.raises(JNAPUnsupportedActionError):
                await getattr(client, method)()
            assert sim.requests == [], method
            continue
        sim.reset_counters()
        result = await getattr(client, method)()
        assert result is not None or method in {
            "get_admin_password_hint",
            "is_admin_password_default",
        }
        assert len(sim.requests) == 1, method
        record = sim.requests[0]
        assert actions_of(record) == (expected,), method
        assert not record.transaction
        assert record.auth == ("ok" if ACTIONS[expected].needs_password else "none"), (
            method
        )


def _families() -> set[str]:
    from custom_components.linksys_jnap.jnap import FAMILIES

    return {f for f, specs in FAMILIES.items() if len(specs) > 1}


async def test_explicit_versions(
    router_factory: RouterFactory, make_client: ClientFactory
) -> None:
    sim = await router_factory(profile="velop", password=PASSWORD, clients=4, seed=3)
    client = make_client(sim)
    await client.get_device_info()
    v1 = await client.get_devices(version=1)
    v3 = await client.get_devices(version=3)
    assert {d.device_id for d in v1.devices} == {d.device_id for d in v3.devices}
    assert actions_of(sim.requests[-1]) == ("devicelist/GetDevices3",)
    conns = await client.get_network_connections(version=1)
    assert all(c.radio_id is None for c in conns)
    conns2 = await client.get_network_connections(version=2)
    assert any(c.radio_id for c in conns2 if c.is_wireless)
    assert (await client.get_wan_status(version=1)).wan_status == "Connected"
    with pytest.raises(JNAPUnsupportedActionError):
        await client.get_wan_status(version=2)
    radio1 = await client.get_radio_info(version=1)
    assert radio1.version == 1
    assert (await client.get_management_settings(version=1)) is not None
    with pytest.raises(ValueError):
        await client.get_wan_status(version=7)
    await client.check_admin_password(version=1)
    await client.check_admin_password(version=2)
    guest1 = await client.get_guest_radio_settings(version=2)
    assert guest1.version == 2


# --- authentication ---------------------------------------------------------------------


async def test_wrong_password_throttle_and_lock(
    router_factory: RouterFactory,
    make_client: ClientFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    now = [1000.0]
    sim = await router_factory(
        profile="smartwifi", password=PASSWORD, clients=2, seed=1, clock=lambda: now[0]
    )
    wrong = make_client(sim, password="hunter2-wrong")
    await wrong.get_device_info()  # open: no password sent, no failed attempt
    assert sim.requests[-1].auth == "none"
    errors: list[JNAPAuthenticationError] = []
    for _ in range(30):
        with pytest.raises(JNAPAuthenticationError) as info:
            await wrong.check_admin_password()
        errors.append(info.value)
        if isinstance(info.value, JNAPAccountLockedError):
            break
        if isinstance(info.value, JNAPPasswordThrottledError):
            now[0] += 31  # wait out the delay on the simulator's clock
    assert type(errors[0]) is JNAPAuthenticationError
    # CheckAdminPassword (v1) answers a wrong password like any password action.
    assert errors[0].code == "_ErrorUnauthorized"
    assert errors[0].attempts_remaining is not None
    throttled = [e for e in errors if isinstance(e, JNAPPasswordThrottledError)]
    assert throttled
    assert throttled[0].delay_seconds is not None
    assert throttled[0].delay_seconds > 0
    assert isinstance(errors[-1], JNAPAccountLockedError)
    right = make_client(sim)
    with pytest.raises(JNAPAccountLockedError):
        await right.poll()
    sim.unlock_admin_account()
    await right.check_admin_password()
    assert "hunter2-wrong" not in caplog.text
    assert all("hunter2-wrong" not in str(e) for e in errors)


async def test_wrong_password_poll_raises(
    router: Any, make_client: ClientFactory
) -> None:
    client = make_client(router, password="nope")
    with pytest.raises(JNAPAuthenticationError) as info:
        await client.poll()
    assert info.value.code == "_ErrorUnauthorized"
    assert "nope" not in repr(client)


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (Fault.HTTP_500, JNAPProtocolError),
        (Fault.HTML_LOGIN, JNAPProtocolError),
        (Fault.TRUNCATED_JSON, JNAPProtocolError),
        (Fault.NO_RESULT, JNAPProtocolError),
        (Fault.UNEXPECTED, JNAPActionError),
        (Fault.CONNECTION_REFUSED, JNAPConnectionError),
    ],
)
async def test_faults_are_typed(
    router: Any, client: JNAPClient, fault: Any, kind: type[Exception]
) -> None:
    router.inject(fault, times=1)
    with pytest.raises(kind):
        await client.get_wan_status()
    if fault is Fault.CONNECTION_REFUSED:
        await router.finish_reboot()  # end the outage early
    # The next request works again.
    assert (await client.get_wan_status()).is_connected


async def test_device_info_stays_askable_after_an_unknown_action_answer(
    router: Any, client: JNAPClient
) -> None:
    """Capabilities come from GetDeviceInfo: one garbled refusal must not drop it."""
    await client.get_device_info()
    router.inject(Fault.UNKNOWN_ACTION, action="core/GetDeviceInfo", times=1)
    with pytest.raises(JNAPUnsupportedActionError):
        await client.get_device_info()
    assert client.capabilities is not None
    assert client.capabilities.has_action("core/GetDeviceInfo")
    assert (await client.get_device_info()).serial_number == (
        router.state.device_info.serial_number
    )


async def test_timeout(router: Any, make_client: ClientFactory) -> None:
    client = make_client(router, timeout=0.3)
    await client.get_device_info()
    router.inject(Fault.TIMEOUT, times=1, seconds=2.0)
    with pytest.raises(JNAPTimeoutError):
        await client.get_wan_status()
    assert isinstance(JNAPTimeoutError("x"), JNAPConnectionError)


async def test_not_ready_and_invalid_input(router: Any, client: JNAPClient) -> None:
    router.inject(Fault.NOT_READY, action="routerleds/SetRouterLEDSettings", times=1)
    with pytest.raises(JNAPNotReadyError):
        await client.set_leds_enabled(False)
    assert router.state.leds.is_switchport_led_enabled is True
    with pytest.raises(JNAPInvalidInputError) as info:
        await client.call_action("routerleds/SetRouterLEDSettings", {"x": 1})
    assert info.value.code == "_ErrorInvalidInput"


async def test_unreachable_host(session: Any) -> None:
    client = JNAPClient("127.0.0.1:9", PASSWORD, session, timeout=2)
    with pytest.raises(JNAPConnectionError):
        await client.get_device_info()


# --- transactions -------------------------------------------------------------------------


async def test_transaction_abort_cascade(router: Any, client: JNAPClient) -> None:
    router.inject(Fault.UNEXPECTED, action="router/GetWANStatus2", times=1)
    results = await client.transaction(
        [
            Call("routerleds/GetRouterLEDSettings"),
            Call("router/GetWANStatus2"),
            Call("parentalcontrol/GetParentalControlSettings"),
        ]
    )
    assert [r.code for r in results] == [
        "OK",
        "_ErrorUnexpected",
        "_ErrorAbortedAction",
    ]
    assert results[0].ok
    assert isinstance(results[1].error, JNAPActionError)
    with pytest.raises(JNAPActionError):
        results[1].raise_for_error()
    assert results[0].raise_for_error() == results[0].output
    assert results[0].error is None
    assert await client.transaction([]) == []


async def test_poll_part_failure_goes_to_errors(
    router: Any, client: JNAPClient
) -> None:
    router.inject(Fault.UNEXPECTED, action="router/GetWANStatus2", times=1)
    router.reset_counters()
    result = await client.poll()
    assert set(result.errors) == {"wan_status"}
    assert result.wan_status is None
    assert result.devices is not None
    assert result.firmware_update is not None
    assert len(router.requests) == 2  # the aborted parts are fetched again


async def test_poll_all_failing_raises(router: Any, client: JNAPClient) -> None:
    router.inject(Fault.UNEXPECTED)
    with pytest.raises(JNAPActionError):
        await client.poll()
    router.clear_faults()
    assert (await client.poll()).errors == {}


async def test_unknown_action_dropped_and_poll_retried(
    router: Any, client: JNAPClient
) -> None:
    router.remove_service("http://linksys.com/jnap/router/Router3")
    router.reset_counters()
    result = await client.poll()
    assert result.wan_status is not None
    assert result.actions["wan_status"] == "router/GetWANStatus"
    assert "wan_status" not in result.errors
    assert len(router.requests) == 2
    caps = client.capabilities
    assert caps is not None
    assert not caps.has_action("router/GetWANStatus2")
    router.reset_counters()
    await client.poll()
    assert len(router.requests) == 1


async def test_unsupported_action_not_sent(router: Any, client: JNAPClient) -> None:
    router.reset_counters()
    results = await client.transaction(
        [Call("router/GetWANStatus3"), Call("routerleds/GetRouterLEDSettings")]
    )
    assert results[0].code == "_ErrorUnknownAction"
    assert results[1].ok
    assert actions_of(router.requests[0]) == ("routerleds/GetRouterLEDSettings",)
    with pytest.raises(JNAPUnsupportedActionError):
        await client.call_action("router/GetWANStatus3")
    # Listed service, but the firmware lacks the action: dropped once refused.
    router.remove_service("http://linksys.com/jnap/routerleds/RouterLEDs")
    with pytest.raises(JNAPUnsupportedActionError):
        await client.get_router_led_settings()
    assert client.capabilities is not None
    assert not client.capabilities.has_action("routerleds/GetRouterLEDSettings")


async def test_unknown_entry_retries_rest(router: Any, client: JNAPClient) -> None:
    router.remove_service("http://linksys.com/jnap/routerleds/RouterLEDs")
    results = await client.transaction(
        [
            Call("router/GetLANSettings"),
            Call("routerleds/GetRouterLEDSettings"),
            Call("parentalcontrol/GetParentalControlSettings"),
        ]
    )
    assert [r.code for r in results] == ["OK", "_ErrorUnknownAction", "OK"]
    no_retry = await client.transaction(
        [Call("router/GetLANSettings"), Call("routerleds/GetRouterLEDSettings")],
        retry_unsupported=False,
    )
    assert no_retry[1].code == "_ErrorUnknownAction"


async def test_legacy_top_level_unknown_action(
    router_factory: RouterFactory, make_client: ClientFactory
) -> None:
    sim = await router_factory(profile="legacy", password=PASSWORD, clients=4, seed=5)
    client = make_client(sim)
    await client.get_device_info()
    # The firmware lists RouterLEDs but lacks the action; every other poll action is known.
    sim.remove_service("http://linksys.com/jnap/routerleds/RouterLEDs")
    others = [
        "devicelist/GetDevices",
        "networkconnections/GetNetworkConnections",
        "router/GetWANStatus",
        "guestnetwork/GetGuestRadioSettings",
        "parentalcontrol/GetParentalControlSettings",
        "firmwareupdate/GetFirmwareUpdateStatus",
        "qos/GetQoSSettings",
        "firewall/GetSinglePortForwardingRules",
        "firewall/GetPortRangeForwardingRules",
        "firewall/GetPortRangeTriggeringRules",
        "router/GetEthernetPortConnections",
        "wirelessap/GetRadioInfo",
        "wirelessscheduler/GetWirelessSchedulerSettings",
        "firmwareupdate/GetFirmwareUpdateSettings",
    ]
    assert all(r.ok for r in await client.transaction([Call(a) for a in others]))
    sim.reset_counters()
    result = await client.poll()
    assert result.leds is None
    assert result.errors == {}
    assert result.devices is not None
    assert result.wan_status is not None
    assert len(sim.requests) == 2  # refused batch, then the batch without the culprit
    caps = client.capabilities
    assert caps is not None
    assert not caps.supports("routerleds/GetRouterLEDSettings")
    sim.reset_counters()
    await client.poll()
    assert len(sim.requests) == 1
    # Outside a poll the rest of the refused batch is re-sent at once.
    sim.remove_service("http://linksys.com/jnap/qos/QoS")
    results = await client.transaction(
        [
            Call("router/GetWANStatus"),
            Call("qos/GetQoSSettings"),
            Call("devicelist/GetDevices"),
        ]
    )
    assert [r.code for r in results] == ["OK", "_ErrorUnknownAction", "OK"]


async def test_legacy_unknown_with_several_suspects(
    router_factory: RouterFactory, make_client: ClientFactory
) -> None:
    sim = await router_factory(profile="legacy", password=PASSWORD, clients=4, seed=5)
    client = make_client(sim)
    await client.get_device_info()
    sim.remove_service("http://linksys.com/jnap/routerleds/RouterLEDs")
    result = await client.poll()  # nothing confirmed yet: the batch is split to find it
    assert result.leds is None
    assert result.wan_status is not None
    assert result.parental_control is not None
    caps = client.capabilities
    assert caps is not None
    assert not caps.has_action("routerleds/GetRouterLEDSettings")
    # A lone unknown action in a batch of one.
    sim.remove_service("http://linksys.com/jnap/qos/QoS")
    lone = await client.transaction(
        [Call("qos/GetQoSSettings")], retry_unsupported=False
    )
    assert lone[0].code == "_ErrorUnknownAction"


async def test_velop_splits_mixed_transactions(
    router_factory: RouterFactory, make_client: ClientFactory
) -> None:
    sim = await router_factory(profile="velop", password=PASSWORD, clients=4, seed=5)
    client = make_client(sim)
    await client.get_device_info()
    calls = [
        Call("router/GetWANStatus3"),
        Call("core/GetAdminPasswordHint"),
        Call("router/GetLANSettings"),
    ]
    sim.reset_counters()
    results = await client.transaction(calls)
    assert all(r.ok for r in results)
    assert client.splits_mixed_transactions
    assert len(sim.requests) == 3  # refused, then open and password halves
    sim.reset_counters()
    results = await client.transaction(calls)
    assert all(r.ok for r in results)
    assert len(sim.requests) == 2
    assert {sim.requests[0].auth, sim.requests[1].auth} == {"none", "ok"}
    # A fresh client learns it again; a refused tail holding only open actions is one POST.
    fresh = make_client(sim)
    sim.reset_counters()
    results = await fresh.transaction(
        [Call("router/GetLANSettings"), Call("core/GetAdminPasswordHint")]
    )
    assert all(r.ok for r in results)
    assert len(sim.requests) == 2
    assert sim.requests[1].auth == "none"


# --- safe writes -------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["smartwifi", "velop"])
async def test_set_guest_network_enabled_keeps_everything(
    router_factory: RouterFactory, make_client: ClientFactory, profile: str
) -> None:
    sim = await router_factory(profile=profile, password=PASSWORD, clients=4, seed=5)
    client = make_client(sim)
    await client.get_device_info()
    before = await snapshot(client)
    guest_before = await client.get_guest_radio_settings()
    await client.set_guest_network_enabled(not guest_before.is_enabled)
    guest_after = await client.get_guest_radio_settings()
    assert guest_after.is_enabled is (not guest_before.is_enabled)
    assert guest_after.radios == guest_before.radios
    after = await snapshot(client)
    assert client.capabilities is not None
    guest_action = client.capabilities.version_of("guestnetwork/GetGuestRadioSettings")
    assert guest_action is not None
    assert changed(before, after) == {guest_action}
    raw_before = dict(before[guest_action])
    raw_before["isGuestNetworkEnabled"] = guest_after.is_enabled
    assert raw_before == after[guest_action]
    assert sim.write_log[-1].action.startswith("guestnetwork/SetGuestRadioSettings")


async def test_set_leds_enabled(router: Any, client: JNAPClient) -> None:
    before = await snapshot(client)
    await client.set_leds_enabled(False)
    after = await snapshot(client)
    assert changed(before, after) == {"routerleds/GetRouterLEDSettings"}
    assert after["routerleds/GetRouterLEDSettings"] == {"isSwitchportLEDEnabled": False}
    assert router.write_log[-1].request == {"isSwitchportLEDEnabled": False}


async def test_set_parental_control_enabled_keeps_rules(client: JNAPClient) -> None:
    before = await snapshot(client)
    current = await client.get_parental_control_settings()
    await client.set_parental_control_enabled(not current.is_enabled)
    after = await snapshot(client)
    action = "parentalcontrol/GetParentalControlSettings"
    assert changed(before, after) == {action}
    expected = dict(before[action])
    expected["isParentalControlEnabled"] = not current.is_enabled
    assert expected == after[action]


async def test_block_and_unblock_device(router: Any, client: JNAPClient) -> None:
    await client.set_parental_control_enabled(False)
    action = "parentalcontrol/GetParentalControlSettings"
    before = await snapshot(client)
    macs = ["02:00:00:00:00:aa", "02:00:00:00:00:AB"]
    await client.block_device_internet(macs, label="Kid's tablet")
    settings = await client.get_parental_control_settings()
    assert settings.is_enabled  # rules are inert while parental control is off
    assert is_device_internet_blocked(settings, macs)
    ours = [r for r in settings.rules if r.description.startswith("HA block")]
    assert len(ours) == 1
    assert ours[0].description == "HA block Kid's tablet"
    assert ours[0].mac_addresses == ("02:00:00:00:00:AA", "02:00:00:00:00:AB")
    assert ours[0].schedule is not None
    assert ours[0].schedule.is_always_blocked
    after = await snapshot(client)
    assert changed(before, after) == {action}
    # Other rules unchanged, byte for byte.
    assert after[action]["rules"][:-1] == before[action]["rules"]
    # Blocking again replaces our rule instead of adding a second one.
    await client.block_device_internet(macs[:1], label="Kid's tablet (renamed)")
    settings = await client.get_parental_control_settings()
    assert len([r for r in settings.rules if r.description.startswith("HA block")]) == 1
    assert await client.unblock_device_internet(macs, label="Kid's tablet") == ((), ())
    settings = await client.get_parental_control_settings()
    assert not is_device_internet_blocked(settings, macs)
    final = await snapshot(client)
    expected = dict(before[action])
    expected["isParentalControlEnabled"] = (
        True  # unblocking leaves parental control as is
    )
    assert final[action] == expected
    writes = len(router.write_log)
    await client.unblock_device_internet(macs, label="x")  # nothing of ours: no write
    assert len(router.write_log) == writes
    with pytest.raises(ValueError):
        await client.block_device_internet(["junk"], label="x")


async def test_block_without_free_rule(router: Any, client: JNAPClient) -> None:
    router.state.parental.max_rules = 2
    with pytest.raises(JNAPInvalidInputError):
        await client.block_device_internet(["02:00:00:00:00:01"], label="tv")


async def test_set_radio_enabled(router: Any, client: JNAPClient) -> None:
    before = await snapshot(client)
    radio_id = router.state.radios[-1].radio_id
    await client.set_radio_enabled(radio_id, False)
    info = await client.get_radio_info()
    assert next(r for r in info.radios if r.radio_id == radio_id).is_enabled is False
    after = await snapshot(client)
    assert changed(before, after) == {"wirelessap/GetRadioInfo3"}
    expected = before["wirelessap/GetRadioInfo3"]
    for radio in expected["radios"]:
        if radio["radioID"] == radio_id:
            radio["settings"]["isEnabled"] = False
    assert after["wirelessap/GetRadioInfo3"] == expected
    with pytest.raises(JNAPInvalidInputError):
        await client.set_radio_enabled("RADIO_60GHz", True)


async def test_qos_priority_and_device_properties(
    router: Any, client: JNAPClient
) -> None:
    devices = await client.get_devices()
    target = next(d for d in devices.devices if not may_be_node(d))
    before = await client.call_action("qos/GetQoSSettings")
    await client.set_device_qos_priority(target.macs, True, label="Kid\u2019s TV")
    after = await client.call_action("qos/GetQoSSettings")
    settings = await client.get_qos_settings()
    assert is_device_prioritized(settings, target.macs)
    ours = [r for r in after["deviceRules"] if r["macAddress"] in target.macs]
    assert {r["priority"] for r in ours} == {"High"}
    assert {r["description"] for r in ours} == {"Kid's TV"}
    # Everything else as it was.
    assert {
        k: v for k, v in after.items() if k not in ("deviceRules", "isQoSEnabled")
    } == {k: v for k, v in before.items() if k not in ("deviceRules", "isQoSEnabled")}
    assert after["isQoSEnabled"] is True
    assert [r for r in after["deviceRules"] if r["macAddress"] not in target.macs] == [
        r for r in before["deviceRules"] if r["macAddress"] not in target.macs
    ]
    writes = len(router.write_log)
    await client.set_device_qos_priority(target.macs, True, label="again")
    assert len(router.write_log) == writes  # already high: nothing written
    await client.set_device_qos_priority(target.macs, False, label="x")
    final = await client.call_action("qos/GetQoSSettings")
    assert final["deviceRules"] == before["deviceRules"]
    await client.set_device_properties(target.device_id, {"userDeviceName": "Den TV"})
    assert (
        router.state.devices[target.device_id].properties["userDeviceName"] == "Den TV"
    )
    await client.set_device_properties(target.device_id, remove=["userDeviceName"])
    assert "userDeviceName" not in router.state.devices[target.device_id].properties
    with pytest.raises(JNAPActionError) as info:
        await client.set_device_properties("no-such-device", {"userDeviceName": "x"})
    assert info.value.code == "ErrorUnknownDevice"
    # innerDeleteDevice: never a device the router still holds a connection for.
    with pytest.raises(JNAPActionError) as info:
        await client.delete_device(target.device_id)
    assert info.value.code == "ErrorCannotDeleteDevice"
    gone = router.add_client("gone", ["02:11:22:33:44:55"], online=False)
    await client.delete_device(gone)
    assert gone not in router.state.devices


async def test_other_setters(router: Any, client: JNAPClient) -> None:
    await client.set_time_settings("EST5EDT", False)
    time_settings = await client.get_time_settings()
    assert time_settings.time_zone_id == "EST5EDT"
    assert time_settings.auto_adjust_for_dst is False
    await client.set_logging_enabled(True)
    assert (await client.get_log_settings()).is_logging_enabled
    await client.set_firmware_update_settings("Manual", 60, 120)
    assert router.write_log[-1].request == {
        "updatePolicy": "Manual",
        "autoUpdateWindow": {"startMinute": 60, "durationMinutes": 120},
    }
    settings = await client.get_firmware_update_settings()
    assert (
        settings.update_policy,
        settings.start_minute,
        settings.duration_minutes,
    ) == (
        "Manual",
        60,
        120,
    )
    router.reset_counters()
    await client.set_firmware_update_settings(policy="AutomaticallyCheckAndInstall")
    assert len(router.requests) == 2  # read, then write with the window kept
    assert router.write_log[-1].request == {
        "updatePolicy": "AutomaticallyCheckAndInstall",
        "autoUpdateWindow": {"startMinute": 60, "durationMinutes": 120},
    }
    await client.set_firmware_update_settings(start_minute=0, duration_minutes=240)
    assert router.write_log[-1].request["autoUpdateWindow"] == {
        "startMinute": 0,
        "durationMinutes": 240,
    }
    await client.set_admin_password("battery staple", "the usual")
    await client.check_admin_password()  # the client now uses the new password
    assert await client.get_admin_password_hint() == "the usual"


async def test_firmware_check_and_update(
    router_factory: RouterFactory, make_client: ClientFactory
) -> None:
    now = [5000.0]
    sim = await router_factory(
        profile="smartwifi", password=PASSWORD, clients=2, seed=1, clock=lambda: now[0]
    )
    client = make_client(sim)
    await client.get_device_info()
    sim.offer_firmware("9.9.9.999999", date="2026-11-20T00:00:00Z", description="fixes")
    await client.check_for_firmware_update()
    assert sim.write_log[-1].request == {"onlyCheck": True}
    status = await client.get_firmware_update_status()
    assert status.pending_operation is not None
    assert status.pending_operation.operation == "Checking"
    now[0] += 10
    status = await client.get_firmware_update_status()
    assert status.pending_operation is None
    assert status.available_update is not None
    assert status.available_update.firmware_version == "9.9.9.999999"
    await client.update_firmware()
    assert sim.write_log[-1].request == {"onlyCheck": False}
    now[0] += 10
    status = await client.get_firmware_update_status()
    assert status.is_update_in_progress
    assert status.pending_operation is not None
    assert status.pending_operation.operation == "Downloading"


async def test_reboot_then_unreachable(router: Any, client: JNAPClient) -> None:
    await client.reboot()

    async def until_down() -> None:
        for _ in range(20):
            await client.get_device_info()
            await asyncio.sleep(0.05)

    with pytest.raises(JNAPConnectionError):
        await until_down()
    await router.finish_reboot()
    assert (await client.get_device_info()).model_number


async def test_writes_are_serialised(router: Any, client: JNAPClient) -> None:
    router.reset_counters()
    await asyncio.gather(
        client.set_leds_enabled(False),
        client.set_guest_network_enabled(True),
        client.set_parental_control_enabled(True),
    )
    sequence = [actions_of(r)[0] for r in router.requests]
    assert len(sequence) == 6
    for get, set_ in zip(sequence[::2], sequence[1::2], strict=True):
        assert get.split("/")[0] == set_.split("/")[0]
        assert "/Get" in get
        assert "/Set" in set_


async def test_no_secrets_in_logs_or_reprs(
    router: Any, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.linksys_jnap.jnap")
    client = make_client(router)
    await client.check_admin_password()
    await client.poll()
    await client.set_guest_network_enabled(True)
    assert PASSWORD not in caplog.text
    assert "Basic " not in caplog.text
    assert "Y29ycmVjdCBob3JzZQ" not in caplog.text
    assert "GetDeviceInfo" in caplog.text
    assert PASSWORD not in repr(client)
    assert client.url == f"http://{router.host}/JNAP/"


def test_host_forms(session: Any) -> None:
    assert JNAPClient("192.168.1.1", "p", session).url == "http://192.168.1.1/JNAP/"
    assert JNAPClient("fe80::1", "p", session).host == "[fe80::1]"
    assert (
        JNAPClient("[fe80::1]:8443", "p", session, use_https=True).url
        == "https://[fe80::1]:8443/JNAP/"
    )
    assert JNAPClient(" router.lan:8080/ ", "p", session).host == "router.lan:8080"
    with pytest.raises(ValueError):
        JNAPClient("  ", "p", session)
    with pytest.raises(ValueError):
        JNAPClient("http://192.168.1.1", "p", session)
