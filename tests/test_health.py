"""Speed test, router health (last boot, load, internet check) and WPS, through Home Assistant.

Against the simulator, which serves them as the firmware does (docs/firmware-facts.md,
"healthcheck", "Router health", "WPS"): only where ``services`` lists them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.binary_sensor import DOMAIN as BINARY_SENSOR
from homeassistant.components.button import DOMAIN as BUTTON, SERVICE_PRESS
from homeassistant.components.sensor import DOMAIN as SENSOR
from homeassistant.const import (
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest

from custom_components.linksys_jnap.const import DOMAIN, FAST_SCAN_INTERVAL
from tests.conftest import PASSWORD, SetupIntegration
from tests.helpers import (
    call_service,
    enable_all,
    entity_id,
    find_entity_id,
    poll,
    state_of,
    tick,
)
from tests.simulator import Fault, RouterSimulator
from tests.simulator.fixtures import RouterFactory
from tests.test_event import _entity as event_entity, _events


def _absent(hass: HomeAssistant, sim: RouterSimulator, domain: str, key: str) -> bool:
    return find_entity_id(hass, sim, domain, key) is None


async def _press(hass: HomeAssistant, target: str) -> None:
    await call_service(hass, BUTTON, SERVICE_PRESS, target)


async def _refused(hass: HomeAssistant, target: str) -> str | None:
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, target)
    return err.value.translation_key


# ---------------------------------------------------------------- speed test


@pytest.fixture
async def velop(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> RouterSimulator:
    """Set up a Velop (healthcheck listed) with every entity enabled, in simulated time."""
    router = await router_factory(profile="velop", password=PASSWORD, clients=4)
    await enable_all(hass, await setup_integration(router))
    return router


async def test_speed_test_runs_and_reports_mbit(
    hass: HomeAssistant, velop: RouterSimulator, freezer: FrozenDateTimeFactory
) -> None:
    router = velop
    button = entity_id(hass, router, BUTTON, "start_speed_test")
    running = entity_id(hass, router, BINARY_SENSOR, "speed_test_running")
    download = entity_id(hass, router, SENSOR, "speed_test_download")
    upload = entity_id(hass, router, SENSOR, "speed_test_upload")
    latency = entity_id(hass, router, SENSOR, "speed_test_latency")
    last_run = entity_id(hass, router, SENSOR, "speed_test_last_run")
    # No test yet: the results are an empty list.
    assert state_of(hass, download) == "unknown"
    assert state_of(hass, running) == STATE_OFF

    started = router.wall_time()
    await _press(hass, button)
    assert router.write_log[-1].action == "healthcheck/RunHealthCheck"
    assert state_of(hass, running) == STATE_ON
    # Refused by the router while it runs, with our message; nothing else started.
    assert await _refused(hass, button) == "speed_test_running"
    assert len(router.state.health.tests) == 1

    # Fast polling shows the figures as they come in.
    await tick(hass, freezer, 14)
    await tick(hass, freezer, FAST_SCAN_INTERVAL.total_seconds())
    state = hass.states.get(running)
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes["download_mbps"] == pytest.approx(94.174)
    assert state.attributes["upload_mbps"] is None

    for _ in range(4):
        await tick(hass, freezer, FAST_SCAN_INTERVAL.total_seconds())
    assert state_of(hass, running) == STATE_OFF
    # kbit/s from the router, Mbit/s in Home Assistant.
    assert float(state_of(hass, download)) == pytest.approx(94.174)
    assert float(state_of(hass, upload)) == pytest.approx(44.705)
    assert float(state_of(hass, latency)) == 2
    assert datetime.fromisoformat(state_of(hass, last_run)) == datetime.fromisoformat(
        started
    )
    dl = hass.states.get(download)
    assert dl is not None
    assert dl.attributes["unit_of_measurement"] == "Mbit/s"


async def test_failed_speed_test_keeps_the_last_good_one(
    hass: HomeAssistant, velop: RouterSimulator, freezer: FrozenDateTimeFactory
) -> None:
    router = velop
    button = entity_id(hass, router, BUTTON, "start_speed_test")
    download = entity_id(hass, router, SENSOR, "speed_test_download")
    last_run = entity_id(hass, router, SENSOR, "speed_test_last_run")
    await _press(hass, button)
    await tick(hass, freezer, 30)
    await poll(hass, freezer)
    first = state_of(hass, last_run)
    assert float(state_of(hass, download)) == pytest.approx(94.174)

    # The next one fails (ookla's execution error), then one is killed by a reboot.
    router.state.health.fail_next_test = "SpeedTestExecutionError"
    router.state.health.line_down_kbps = 10_000
    await _press(hass, button)
    await tick(hass, freezer, 30)
    await poll(hass, freezer)
    await _press(hass, button)
    assert len(router.state.health.tests) == 3
    await router.reboot(5)
    for _ in range(3):  # down for 5 s, then back
        await poll(hass, freezer)
    # Neither the failure nor the stale row of the killed test replaces the good result.
    assert state_of(hass, last_run) == first
    assert float(state_of(hass, download)) == pytest.approx(94.174)


async def test_no_speed_test_without_healthcheck(
    hass: HomeAssistant, router: RouterSimulator, init_integration: object
) -> None:
    """Smartwifi does not list healthcheck/HealthCheckManager: no entity, no request."""
    for domain, key in (
        (BUTTON, "start_speed_test"),
        (SENSOR, "speed_test_download"),
        (BINARY_SENSOR, "speed_test_running"),
    ):
        assert _absent(hass, router, domain, key)
    sent = {name for record in router.requests for name in record.actions}
    assert not any(name.startswith("healthcheck/") for name in sent)


# ---------------------------------------------------------------- router health


async def test_last_boot_is_stable_and_follows_a_reboot(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_integration(router)
    target = entity_id(hass, router, SENSOR, "last_boot")
    events = _events(hass, event_entity(hass, router))
    booted = datetime.fromisoformat(state_of(hass, target))
    uptime = timedelta(seconds=router.clock() - router.state.health.booted)
    assert abs(booted - (dt_util.utcnow() - uptime)) < timedelta(seconds=5)
    changes: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        lambda e: (
            changes.append(e.data["entity_id"])
            if e.data["entity_id"] == target
            else None
        ),
    )
    for _ in range(5):
        await poll(hass, freezer)
    assert changes == []  # uptime grows, the boot time stays
    assert not [name for name, _ in events if name]

    # A quick restart (shorter than an outage counts): the uptime started over.
    await router.reboot(5)
    for _ in range(3):  # down for 5 s, then back
        await poll(hass, freezer)
    rebooted = datetime.fromisoformat(state_of(hass, target))
    assert rebooted - booted > timedelta(days=2)
    assert "router_restarted" in [name for name, _ in events]


async def test_cpu_and_memory_only_where_reported(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
) -> None:
    # GetSystemStats (v1) answers uptime alone: no load sensors.
    plain = await router_factory(profile="velop", password=PASSWORD, clients=2)
    await setup_integration(plain)
    assert _absent(hass, plain, SENSOR, "cpu_load")
    assert not _absent(hass, plain, SENSOR, "last_boot")
    # Diagnostics10's GetSystemStats2 has them, as fractions in text.
    mesh = await router_factory(profile="velop_mesh", password=PASSWORD, clients=2)
    entry = await setup_integration(mesh)
    await enable_all(hass, entry)
    assert float(state_of(hass, entity_id(hass, mesh, SENSOR, "cpu_load"))) == 12.0
    assert float(state_of(hass, entity_id(hass, mesh, SENSOR, "memory_load"))) == 43.0
    assert any(
        "diagnostics/GetSystemStats2" in record.actions for record in mesh.requests
    )


async def test_cpu_load_without_a_figure_is_unknown_not_zero(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    # A real LN16 1.0.10 answers GetSystemStats2 with "CPULoad": "" (PrivacyGUI
    # demo_cache_data.json): the sensor exists and is unknown, never 0.
    mesh = await router_factory(profile="velop_mesh", password=PASSWORD, clients=2)
    mesh.state.health.cpu_load, mesh.state.health.memory_load = "", "0.79"
    entry = await setup_integration(mesh)
    await enable_all(hass, entry)
    cpu = entity_id(hass, mesh, SENSOR, "cpu_load")
    assert state_of(hass, cpu) == STATE_UNKNOWN
    assert float(state_of(hass, entity_id(hass, mesh, SENSOR, "memory_load"))) == 79.0
    mesh.state.health.cpu_load = "0.07"
    await poll(hass, freezer)
    assert float(state_of(hass, cpu)) == 7.0
    mesh.state.health.cpu_load = ""
    await poll(hass, freezer)
    assert state_of(hass, cpu) == STATE_UNKNOWN


async def test_internet_problem_is_not_wan_status(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    router = await router_factory(profile="velop", password=PASSWORD, clients=2)
    await setup_integration(router)
    problem = entity_id(hass, router, BINARY_SENSOR, "internet_problem")
    wan = entity_id(hass, router, BINARY_SENSOR, "wan_connectivity")
    assert state_of(hass, problem) == STATE_OFF

    router.state.health.internet_up = False
    await poll(hass, freezer)
    state = hass.states.get(problem)
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes["connection_status"] == "no_internet_connection"
    assert state_of(hass, wan) == STATE_ON  # the WAN itself is still up

    router.state.wan.connected = False
    await poll(hass, freezer)
    state = hass.states.get(problem)
    assert state is not None
    assert state.attributes["connection_status"] == "no_wan_connection"


async def test_no_internet_check_without_setup_service(
    hass: HomeAssistant, router: RouterSimulator, init_integration: object
) -> None:
    assert _absent(hass, router, BINARY_SENSOR, "internet_problem")


# ---------------------------------------------------------------- WPS


async def test_wps_pairing_opens_and_closes(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_integration(router)
    button = entity_id(hass, router, BUTTON, "start_wps")
    pairing = entity_id(hass, router, BINARY_SENSOR, "wps_pairing")
    assert state_of(hass, pairing) == STATE_OFF

    await _press(hass, button)
    assert [r.action for r in router.write_log[-1:]] == [
        "wirelessap/StartWPSServerSession"
    ]
    assert state_of(hass, pairing) == STATE_ON
    # Nobody pushed a button: the session ends after the walk time, failed.
    for _ in range(int(130 / FAST_SCAN_INTERVAL.total_seconds())):
        await tick(hass, freezer, FAST_SCAN_INTERVAL.total_seconds())
    state = hass.states.get(pairing)
    assert state is not None
    assert state.state == STATE_OFF
    assert state.attributes["last_result"] == "failed"

    await _press(hass, button)
    router.state.health.wps_joined = True
    await tick(hass, freezer, FAST_SCAN_INTERVAL.total_seconds())
    state = hass.states.get(pairing)
    assert state is not None
    assert state.state == STATE_OFF
    assert state.attributes["last_result"] == "succeeded"


async def test_wps_refused_with_the_reason(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    await setup_integration(router)
    button = entity_id(hass, router, BUTTON, "start_wps")
    health = router.state.health

    health.wps_enabled = False
    assert await _refused(hass, button) == "wps_not_enabled"

    # WPA3-only radio: the firmware would start a session that can't work; not sent.
    health.wps_enabled = True
    router.state.radios[0].settings.security = "WPA3-Personal"
    assert await _refused(hass, button) == "wps_not_available"
    router.state.radios[0].settings.security = "WPA2-Personal"
    health.mac_filter = "Allow"
    assert await _refused(hass, button) == "wps_not_available"
    assert health.wps_status == ""
    assert "wirelessap/StartWPSServerSession" not in [
        r.action for r in router.write_log
    ]


async def test_wps_refused_without_a_request_when_the_poll_says_no(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    """WPS off, or unavailable, in the last poll: the refusal costs the router nothing."""
    await setup_integration(router)
    button = entity_id(hass, router, BUTTON, "start_wps")
    health = router.state.health

    health.wps_enabled = False
    await poll(hass, freezer)
    router.reset_counters()
    assert await _refused(hass, button) == "wps_not_enabled"
    assert router.requests == []

    health.wps_enabled = True
    health.mac_filter = "Allow"
    await poll(hass, freezer)
    router.reset_counters()
    assert await _refused(hass, button) == "wps_not_available"
    assert router.requests == []

    # The next poll says yes again: the press is sent (availability asked first).
    health.mac_filter = "Disabled"
    await poll(hass, freezer)
    router.reset_counters()
    await _press(hass, button)
    sent = [name for record in router.requests for name in record.actions]
    assert sent[:2] == [
        "wirelessap/IsWPSServerAvailable",
        "wirelessap/StartWPSServerSession",
    ]
    assert health.wps_status == "running"


async def test_wps_switch_turns_the_refusal_around(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    await setup_integration(router)
    switch = entity_id(hass, router, Platform.SWITCH, "wps")
    button = entity_id(hass, router, BUTTON, "start_wps")
    assert state_of(hass, switch) == STATE_ON

    await call_service(hass, Platform.SWITCH, SERVICE_TURN_OFF, switch)
    assert router.write_log[-1].action == "wirelessap/SetWPSServerSettings"
    assert router.write_log[-1].request == {"enabled": False}
    assert not router.state.health.wps_enabled
    assert state_of(hass, switch) == STATE_OFF
    assert await _refused(hass, button) == "wps_not_enabled"

    await call_service(hass, Platform.SWITCH, SERVICE_TURN_ON, switch)
    assert state_of(hass, switch) == STATE_ON
    await _press(hass, button)
    assert router.state.health.wps_status == "running"


async def test_no_wps_where_the_firmware_lacks_it(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    """WirelessAP listed, wirelessap/WPSServer not: no WPS request, no WPS entities."""
    router = await router_factory(profile="smartwifi", password=PASSWORD, clients=2)
    router.remove_service("wirelessap/WPSServer")
    router.reset_counters()
    await setup_integration(router)
    assert _absent(hass, router, BUTTON, "start_wps")
    assert _absent(hass, router, BINARY_SENSOR, "wps_pairing")
    assert _absent(hass, router, Platform.SWITCH, "wps")
    await poll(hass, freezer)
    sent = [name for record in router.requests for name in record.actions]
    # GetRadioInfo3 is read (the main Wi-Fi switches, WirelessAP4), no WPS action.
    assert not [name for name in sent if "WPS" in name]


async def test_wps_read_failing_leaves_the_rest(
    hass: HomeAssistant,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_integration(router)
    pairing = entity_id(hass, router, BINARY_SENSOR, "wps_pairing")
    leds = entity_id(hass, router, Platform.SWITCH, "leds")
    router.inject(Fault.UNEXPECTED, action="wirelessap/GetWPSServerSessionStatus")
    await poll(hass, freezer)
    assert state_of(hass, pairing) == "unavailable"
    assert state_of(hass, leds) == STATE_ON
    router.clear_faults()
    await poll(hass, freezer)
    assert state_of(hass, pairing) == STATE_OFF


async def test_wps_listed_but_unknown_drops_all_six_at_setup(
    hass: HomeAssistant,
    router_factory: RouterFactory,
    setup_integration: SetupIntegration,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A Velop listing WPSServer whose firmware lacks WPS (unverified: stay robust)."""
    router = await router_factory(profile="velop", password=PASSWORD)
    router.inject(Fault.UNKNOWN_ACTION, action="wirelessap/GetWPSServerSessionStatus")
    await setup_integration(router)
    registry = er.async_get(hass)
    serial = router.state.device_info.serial_number
    for platform, key in ((BUTTON, "start_wps"), (BINARY_SENSOR, "wps_pairing")):
        assert registry.async_get_entity_id(platform, DOMAIN, f"{serial}_{key}") is None
    # The six stand or fall together: later polls carry none of them, one POST each.
    router.reset_counters()
    await poll(hass, freezer)
    await poll(hass, freezer)
    assert len(router.requests) == 2
    assert not [a for r in router.requests for a in r.actions if "WPS" in a]
