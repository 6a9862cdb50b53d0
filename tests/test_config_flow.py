"""Config flow: every step and error path, against the simulator over HTTP."""

from __future__ import annotations

from typing import Any

from homeassistant import config_entries
from homeassistant.config_entries import ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_SSL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.helpers.service_info.ssdp import SsdpServiceInfo
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.linksys_jnap.config_flow import (
    _merge_discovered_host,
    normalize_host,
)
from custom_components.linksys_jnap.const import CONF_CONSIDER_HOME, DOMAIN
from tests.conftest import PASSWORD, SetupIntegration, entry_for
from tests.simulator import Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory

CLOSED = "127.0.0.1:1"  # nothing listens there


def _user_input(host: str, password: str = PASSWORD, **extra: Any) -> dict[str, Any]:
    return {
        CONF_HOST: host,
        CONF_PASSWORD: password,
        CONF_SSL: False,
        CONF_VERIFY_SSL: False,
        **extra,
    }


def _bad_password_requests(sim: RouterSimulator) -> int:
    return sum(1 for r in sim.requests if r.auth == "bad")


async def _discover(
    hass: HomeAssistant, source: str, info: SsdpServiceInfo | DhcpServiceInfo
) -> ConfigFlowResult:
    """Start a discovery flow."""
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": source}, data=info
    )


async def _submit(
    hass: HomeAssistant, result: ConfigFlowResult, user_input: dict[str, Any]
) -> ConfigFlowResult:
    """Answer the form the flow shows."""
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


def _assert_aborted(result: ConfigFlowResult, reason: str) -> None:
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason


async def _start_user(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return result["flow_id"]


async def test_user_creates_entry(hass: HomeAssistant, router: RouterSimulator) -> None:
    flow_id = await _start_user(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, _user_input(f"http://{router.host}/")
    )
    info = router.state.device_info
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == info.description
    assert result["data"] == _user_input(router.host)
    assert result["result"].unique_id == info.serial_number
    # GetDeviceInfo then one password check: the password went out once.
    first, second = router.requests[:2]
    assert first.actions == ("core/GetDeviceInfo",)
    assert first.auth == "none"
    assert second.actions == ("core/CheckAdminPassword2",)


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        ("wrong_password", "invalid_auth"),
        ("throttled", "password_throttled"),
        ("locked", "account_locked"),
        ("html", "unsupported_router"),
        ("no_serial", "unsupported_router"),
        ("unexpected", "unknown"),
        ("closed", "cannot_connect"),
        ("bad_host", "invalid_host"),
    ],
)
async def test_user_errors_then_recover(
    hass: HomeAssistant, router: RouterSimulator, setup: str, error: str
) -> None:
    flow_id = await _start_user(hass)
    host, password = router.host, PASSWORD
    admin = router.state.admin
    serial = router.state.device_info.serial_number
    if setup == "wrong_password":
        password = "wrong"
    elif setup == "throttled":
        admin.failures = 5
        admin.delay_until = router.clock() + 30
    elif setup == "locked":
        admin.locked = True
    elif setup == "html":
        router.inject(Fault.HTML_LOGIN, times=1)
    elif setup == "no_serial":
        router.state.device_info.serial_number = ""
    elif setup == "unexpected":
        router.inject(Fault.UNEXPECTED, action="core/GetDeviceInfo", times=1)
    elif setup == "closed":
        host = CLOSED
    elif setup == "bad_host":
        host = "127.0.0.1/admin"
    result = await hass.config_entries.flow.async_configure(
        flow_id, _user_input(host, password)
    )
    assert result["type"] is FlowResultType.FORM
    key = "host" if error == "invalid_host" else "base"
    assert result["errors"] == {key: error}
    if setup == "wrong_password":
        assert _bad_password_requests(router) == 1
    if setup == "throttled":
        assert result["description_placeholders"]["seconds"] == "30"

    # The user fixes the problem and submits again.
    admin.failures, admin.delay_until, admin.locked = 0, 0.0, False
    router.state.device_info.serial_number = serial
    result = await hass.config_entries.flow.async_configure(
        flow_id, _user_input(router.host)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_duplicate_aborts(
    hass: HomeAssistant, router: RouterSimulator
) -> None:
    entry_for(router).add_to_hass(hass)
    flow_id = await _start_user(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, _user_input(router.host)
    )
    _assert_aborted(result, "already_configured")


def test_host_helpers() -> None:
    assert normalize_host(" 192.168.1.1/ ") == "192.168.1.1"
    assert normalize_host("https://router.local:8443/ui") == "router.local:8443"
    assert normalize_host("http://[fe80::1]/") == "[fe80::1]"
    assert normalize_host("http:///nohost") == "http:///nohost"
    assert _merge_discovered_host("10.0.0.1:8080", "10.0.0.2") == "10.0.0.2:8080"
    assert _merge_discovered_host("10.0.0.1", "10.0.0.2") == "10.0.0.2"
    assert _merge_discovered_host("[fe80::1]:81", "[fe80::2]") == "[fe80::2]:81"
    assert _merge_discovered_host("fe80::1", "10.0.0.2:82") == "10.0.0.2:82"


# --- discovery ----------------------------------------------------------------------------


def _ssdp(presentation: str | None, location: str | None = None) -> SsdpServiceInfo:
    upnp: dict[str, Any] = {
        "manufacturer": "Linksys",
        "deviceType": "urn:schemas-upnp-org:device:InternetGatewayDevice:1",
    }
    if presentation is not None:
        upnp["presentationURL"] = presentation
    return SsdpServiceInfo(
        ssdp_usn="uuid:linksys::upnp:rootdevice",
        ssdp_st="upnp:rootdevice",
        ssdp_location=location,
        upnp=upnp,
    )


async def test_ssdp_confirm_creates_entry(
    hass: HomeAssistant, router: RouterSimulator
) -> None:
    result = await _discover(
        hass, config_entries.SOURCE_SSDP, _ssdp(f"http://{router.host}/")
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "discovery_confirm"
    assert result["description_placeholders"]["host"] == router.host
    # Identifying the router needs no password.
    assert all(r.auth == "none" for r in router.requests)

    result = await _submit(hass, result, {CONF_PASSWORD: "wrong"})
    assert result["errors"] == {"base": "invalid_auth"}
    result = await _submit(hass, result, {CONF_PASSWORD: PASSWORD})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == _user_input(router.host)
    assert result["result"].unique_id == router.state.device_info.serial_number


def _known_at_old_address(
    hass: HomeAssistant, router: RouterSimulator
) -> MockConfigEntry:
    """Add an entry for the router as it was configured at another address (same port)."""
    entry = entry_for(router)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_HOST: f"192.168.1.1:{router.port}"}
    )
    return entry


async def test_ssdp_updates_host_of_known_router(
    hass: HomeAssistant, router: RouterSimulator
) -> None:
    entry = _known_at_old_address(hass, router)
    result = await _discover(
        hass, config_entries.SOURCE_SSDP, _ssdp(f"http://{router.host}/")
    )
    _assert_aborted(result, "already_configured")
    assert entry.data[CONF_HOST] == router.host


@pytest.mark.parametrize(
    ("info", "reason"),
    [
        (_ssdp(None, "http://127.0.0.1:49152/rootDesc.xml"), "cannot_connect"),
        (_ssdp(None), "cannot_connect"),
        (_ssdp("/relative-only"), "cannot_connect"),
    ],
)
async def test_ssdp_unreachable(
    hass: HomeAssistant, info: SsdpServiceInfo, reason: str
) -> None:
    result = await _discover(hass, config_entries.SOURCE_SSDP, info)
    _assert_aborted(result, reason)


async def test_ssdp_without_serial_aborts(
    hass: HomeAssistant, router: RouterSimulator
) -> None:
    router.state.device_info.serial_number = ""
    result = await _discover(
        hass, config_entries.SOURCE_SSDP, _ssdp(f"http://{router.host}/")
    )
    _assert_aborted(result, "unsupported_router")


async def test_ssdp_same_host_already_configured(
    hass: HomeAssistant, router: RouterSimulator
) -> None:
    entry_for(router).add_to_hass(hass)
    result = await _discover(
        hass, config_entries.SOURCE_SSDP, _ssdp(f"http://{router.host}/")
    )
    _assert_aborted(result, "already_configured")
    assert router.requests == []


def _dhcp(macaddress: str) -> DhcpServiceInfo:
    return DhcpServiceInfo(
        ip="127.0.0.1", hostname="linksys00001", macaddress=macaddress
    )


async def test_dhcp_updates_host_of_known_router(
    hass: HomeAssistant, router: RouterSimulator
) -> None:
    entry = _known_at_old_address(hass, router)
    mac = "C0:56:2D:00:00:01"
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, str(entry.unique_id))},
        connections={(dr.CONNECTION_NETWORK_MAC, mac)},
    )
    result = await _discover(hass, config_entries.SOURCE_DHCP, _dhcp("c0562d000001"))
    _assert_aborted(result, "already_configured")
    # The configured port is kept.
    assert entry.data[CONF_HOST] == router.host


async def test_dhcp_unknown_device_probe_fails(hass: HomeAssistant) -> None:
    # A known entry whose router device has another MAC: no match, so the flow probes.
    entry = MockConfigEntry(domain=DOMAIN, unique_id="X", data={CONF_HOST: "10.1.1.1"})
    entry.add_to_hass(hass)
    result = await _discover(hass, config_entries.SOURCE_DHCP, _dhcp("c0562d000002"))
    _assert_aborted(result, "cannot_connect")


# --- reauth and reconfigure -----------------------------------------------------------------


async def test_reauth(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    entry = await setup_integration(router)
    router.set_admin_password("new secret")
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await _submit(hass, result, {CONF_PASSWORD: PASSWORD})
    assert result["errors"] == {"base": "invalid_auth"}
    result = await _submit(hass, result, {CONF_PASSWORD: "new secret"})
    _assert_aborted(result, "reauth_successful")
    assert entry.data[CONF_PASSWORD] == "new secret"


async def test_reauth_other_router_aborts(
    hass: HomeAssistant, router: RouterSimulator
) -> None:
    entry = entry_for(router)
    entry.add_to_hass(hass)
    router.state.device_info.serial_number = "OTHER123"
    result = await entry.start_reauth_flow(hass)
    result = await _submit(hass, result, {CONF_PASSWORD: PASSWORD})
    _assert_aborted(result, "wrong_router")


async def test_reconfigure(
    hass: HomeAssistant,
    router: RouterSimulator,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    entry = await setup_integration(router)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"

    # Nothing answers there.
    result = await _submit(
        hass, result, {CONF_HOST: CLOSED, CONF_SSL: False, CONF_VERIFY_SSL: False}
    )
    assert result["errors"] == {"base": "cannot_connect"}

    # Another router: refused.
    other = await router_factory(password=PASSWORD, seed=7)
    result = await _submit(
        hass,
        result,
        {CONF_HOST: other.host, CONF_SSL: False, CONF_VERIFY_SSL: False},
    )
    _assert_aborted(result, "wrong_router")

    result = await entry.start_reconfigure_flow(hass)
    result = await _submit(
        hass,
        result,
        {
            CONF_HOST: f"http://{router.host}/",
            CONF_SSL: False,
            CONF_VERIFY_SSL: False,
        },
    )
    _assert_aborted(result, "reconfigure_successful")
    assert entry.data[CONF_HOST] == router.host
    assert entry.data[CONF_PASSWORD] == PASSWORD


async def test_options(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    entry = await setup_integration(router)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_CONSIDER_HOME: 60}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_CONSIDER_HOME: 60}
    await hass.async_block_till_done()
    assert entry.runtime_data.coordinator.presence.consider_home.total_seconds() == 60
