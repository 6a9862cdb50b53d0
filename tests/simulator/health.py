"""Speed test (healthcheck), system stats, internet check and WPS, as the firmware serves them.

Each answer follows docs/firmware-facts.md ("healthcheck", "Router health", "WPS"):
healthcheck.lua, diagnostics_server.lua, setup_server.lua, wirelessap.lua, util.lua. A speed
test runs on the sim clock: latency, then download, then upload (the order the official app's
progress expects); how long each takes is the simulator's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import schema as s
from .actions import action
from .schema import InputError
from .state import HealthState, SpeedTest

if TYPE_CHECKING:
    from .server import RouterSimulator

HC = "healthcheck/HealthCheckManager"
SPEED_TEST = "SpeedTest"
# Sim-clock seconds from RunHealthCheck: latency known, download done, upload done.
LATENCY_AT = 2.0
DOWNLOAD_AT = 12.0
UPLOAD_AT = 22.0
# How long a WPS session stays open without a client (the WPS walk time).
WPS_WALK_SECONDS = 120.0
# WPS is a service of its own beside WirelessAP (docs/firmware-facts.md, "WPS").
WPS_SERVICE = "wirelessap/WPSServer"
# wirelessap.lua isWPSServerAvailable: radios with these security modes rule WPS out.
NO_WPS_SECURITY = ("WEP", "WPA-Personal", "WPA3-Personal", "WPA-Enterprise")

RUN_HEALTH_CHECK: dict[str, s.Spec] = {"runHealthCheckModule": s.Opt(str)}
GET_RESULTS: dict[str, s.Spec] = {
    "healthCheckModule": s.Opt(str),
    "resultIDs": s.Opt(s.ListOf(int)),
    "lastNumberOfResults": s.Opt(int),
    "includeModuleResults": s.Opt(bool),
}
START_WPS: dict[str, s.Spec] = {"clientPIN": s.Opt(str)}
WPS_SET: dict[str, s.Spec] = {"enabled": bool}


def _advance(sim: RouterSimulator) -> HealthState:
    """Bring the running test and the WPS session up to the sim clock."""
    health = sim.state.health
    now = sim.clock()
    for test in health.tests:
        if test.exit_code != "Unavailable" or test.started is None:
            continue
        elapsed = now - test.started
        if elapsed >= LATENCY_AT:
            test.latency = health.latency_ms
        if elapsed >= DOWNLOAD_AT:
            test.download = health.line_down_kbps
        if elapsed >= UPLOAD_AT:
            test.upload = health.line_up_kbps
            test.exit_code = health.fail_next_test or "Success"
            health.fail_next_test = None
            if test.exit_code != "Success":
                test.latency = test.download = test.upload = 0
    if health.wps_status == "running" and health.wps_started is not None:
        if health.wps_joined:
            health.wps_status, health.wps_started = "success", None
        elif now - health.wps_started >= WPS_WALK_SECONDS:
            health.wps_status, health.wps_started = "failed", None
    return health


def stop_on_reboot(sim: RouterSimulator) -> None:
    """End a running test (its row stays ``Unavailable``) and the WPS session: a reboot."""
    health = sim.state.health
    for test in health.tests:
        if test.exit_code == "Unavailable":
            test.started = None
    health.status_id = None
    health.wps_status, health.wps_started, health.wps_joined = "", None, False
    health.booted = sim.clock()


def _running(health: HealthState) -> SpeedTest | None:
    return next(
        (t for t in health.tests if t.exit_code == "Unavailable" and t.started),
        None,
    )


def _module(test: SpeedTest) -> dict[str, Any]:
    return {
        "resultID": test.result_id,
        "exitCode": test.exit_code,
        "serverID": "18445" if test.exit_code == "Success" else "0",
        "latency": test.latency,
        "uploadBandwidth": test.upload,
        "downloadBandwidth": test.download,
    }


# ---------------------------------------------------------------- healthcheck


@action("healthcheck/GetSupportedHealthCheckModules", HC)
def get_modules(_sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return {"supportedHealthCheckModules": [SPEED_TEST]}


@action("healthcheck/RunHealthCheck", HC, RUN_HEALTH_CHECK, write=True)
def run_health_check(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    if b.get("runHealthCheckModule", SPEED_TEST) != SPEED_TEST:
        raise InputError("ErrorUnsupportedHealthCheckModule", "Unsupported module")
    health = _advance(sim)
    if _running(health) is not None:
        raise InputError("ErrorHealthCheckAlreadyRunning", "A health check is running")
    used = {t.result_id for t in health.tests}
    # healthcheck.lua: a random id in 10000-99999.
    result_id = next(
        n for n in iter(lambda: sim.rng.randint(10000, 99999), None) if n not in used
    )
    health.tests.append(SpeedTest(result_id, sim.clock(), sim.wall_time()))
    health.status_id = result_id
    return {"resultID": result_id}


@action("healthcheck/StopHealthCheck", HC, write=True)
def stop_health_check(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    test = _running(_advance(sim))
    if test is not None:
        # Killed: ookla never writes its figures; the row stays as it was.
        test.started = None
    return {}


@action("healthcheck/GetHealthCheckStatus", HC)
def get_health_check_status(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    health = _advance(sim)
    test = next((t for t in health.tests if t.result_id == health.status_id), None)
    if test is None or (test.exit_code == "Unavailable" and test.started is None):
        return {}
    if test.exit_code != "Unavailable":
        # healthcheck.lua getHealthCheckStatus: a final code is reported once.
        health.status_id = None
    return {
        "healthCheckModuleCurrentlyRunning": SPEED_TEST,
        "speedTestResult": _module(test),
    }


@action("healthcheck/GetHealthCheckResults", HC, GET_RESULTS)
def get_health_check_results(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    if b.get("healthCheckModule", SPEED_TEST) != SPEED_TEST:
        raise InputError("ErrorUnsupportedHealthCheckModule", "Unsupported module")
    tests = list(_advance(sim).tests)
    if "resultIDs" in b:
        tests = [t for t in tests if t.result_id in b["resultIDs"]]
    if "lastNumberOfResults" in b:
        # healthcheck.lua: ORDER BY timestamp DESC LIMIT n; without it, table order.
        tests.sort(key=lambda t: t.wall, reverse=True)
        tests = tests[: max(b["lastNumberOfResults"], 0)]
    results = []
    for test in tests:
        entry: dict[str, Any] = {
            "resultID": test.result_id,
            "timestamp": test.wall,
            "healthCheckModulesRequested": [SPEED_TEST],
        }
        if b.get("includeModuleResults") is True:
            entry["speedTestResult"] = _module(test)
        results.append(entry)
    return {"healthCheckResults": results}


@action("healthcheck/ClearHealthCheckHistory", HC, write=True)
def clear_health_check_history(
    sim: RouterSimulator, _b: dict[str, Any]
) -> dict[str, Any]:
    health = sim.state.health
    health.tests.clear()
    health.status_id = None
    return {}


# ---------------------------------------------------------------- system stats, internet


def _system_stats(sim: RouterSimulator) -> dict[str, Any]:
    health = sim.state.health
    out: dict[str, Any] = {"uptimeSeconds": int(sim.clock() - health.booted)}
    # The PIN Lua answers uptime alone; the members of newer firmware, when set.
    if health.cpu_load is not None:
        out["CPULoad"] = health.cpu_load
    if health.memory_load is not None:
        out["MemoryLoad"] = health.memory_load
    return out


@action("diagnostics/GetSystemStats", "diagnostics/Diagnostics")
def get_system_stats(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return _system_stats(sim)


@action("diagnostics/GetSystemStats2", "diagnostics/Diagnostics10")
def get_system_stats2(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return _system_stats(sim)


@action("nodes/setup/GetInternetConnectionStatus", "nodes/setup/Setup")
def get_internet_connection_status(
    sim: RouterSimulator, _b: dict[str, Any]
) -> dict[str, Any]:
    # setup_server.lua: a connected port, then a started WAN, then the internet check.
    wan = sim.state.wan
    if not wan.connected:
        status = "NoWANConnection"
    elif sim.state.health.internet_up:
        status = "InternetConnected"
    else:
        status = "NoInternetConnection"
    return {"connectionStatus": status}


# ---------------------------------------------------------------- WPS


def wps_available(sim: RouterSimulator) -> bool:
    """wirelessap.lua isWPSServerAvailable."""
    if sim.state.health.mac_filter != "Disabled":
        return False
    return not any(
        radio.settings.is_enabled and radio.settings.security in NO_WPS_SECURITY
        for radio in sim.state.radios
    )


@action("wirelessap/StartWPSServerSession", WPS_SERVICE, START_WPS, write=True)
def start_wps(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    health = _advance(sim)
    pin = b.get("clientPIN")
    if pin is not None and not _valid_wps_pin(pin):
        raise InputError("ErrorInvalidClientPIN", "Invalid client PIN")
    if not health.wps_enabled:
        raise InputError("ErrorWPSServerNotEnabled", "WPS is disabled")
    # No availability or running-session check: the Lua has none.
    health.wps_status, health.wps_started, health.wps_joined = (
        "running",
        sim.clock(),
        False,
    )
    return {}


def _valid_wps_pin(pin: str) -> bool:
    """util.lua isValidWPSPIN: 4 digits, or 8 digits passing the WPS checksum."""
    if not pin.isdigit() or len(pin) not in (4, 8):
        return False
    if len(pin) == 4:
        return True
    digits = [int(c) for c in pin]
    total = 3 * sum(digits[0:7:2]) + sum(digits[1:7:2]) + digits[7]
    return total % 10 == 0


@action("wirelessap/StopWPSServerSession", WPS_SERVICE, write=True)
def stop_wps(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    health = _advance(sim)
    if health.wps_status != "running":
        raise InputError("ErrorWPSSessionNotInProgress", "No WPS session")
    health.wps_status, health.wps_started = "", None
    return {}


@action("wirelessap/GetWPSServerSessionStatus", WPS_SERVICE)
def get_wps_status(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    health = _advance(sim)
    out: dict[str, Any] = {
        "isWPSSessionInProgress": health.wps_status == "running",
        "serverPIN": "12345670",
    }
    if health.wps_status in ("success", "failed"):
        out["lastResult"] = "Succeeded" if health.wps_status == "success" else "Failed"
    return out


@action("wirelessap/GetWPSServerSettings", WPS_SERVICE)
def get_wps_settings(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return {"enabled": sim.state.health.wps_enabled}


@action("wirelessap/SetWPSServerSettings", WPS_SERVICE, WPS_SET, write=True)
def set_wps_settings(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    sim.state.health.wps_enabled = b["enabled"]
    return {}


@action("wirelessap/IsWPSServerAvailable", WPS_SERVICE)
def is_wps_available(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return {"available": wps_available(sim)}
