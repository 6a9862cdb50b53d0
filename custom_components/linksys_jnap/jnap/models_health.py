"""Models of the router's health: speed test, system stats, internet reachability, WPS.

docs/firmware-facts.md ("healthcheck", "Router health", "WPS") has the answers these read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from .errors import JNAPProtocolError
from .models_base import (
    _entries_of,
    _if_list,
    _member,
    _Model,
    _model,
    _object,
    _true_or_false,
    as_bool,
    as_float,
    as_int,
    as_str,
)

__all__ = [
    "SPEED_TEST_SUCCESS",
    "HealthCheckResults",
    "HealthCheckStatus",
    "InternetConnectionStatus",
    "SpeedTestResult",
    "SystemStats",
    "WPSServerSettings",
    "WPSSessionStatus",
]

SPEED_TEST_SUCCESS = "Success"
SPEED_TEST_RUNNING = "Unavailable"
"""``exitCode`` of a test that has not finished (its row is written when it starts)."""
INTERNET_CONNECTED = "InternetConnected"


def _utc(value: Any) -> datetime | None:
    text = as_str(value)
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@_model
class SpeedTestResult(_Model):
    """One speed test: ``speedTestResult`` of a result (or of the running test's status)."""

    exit_code: str | None = _member("exitCode", as_str)
    latency_ms: float | None = _member("latency", as_float)
    download_kbps: int | None = _member("downloadBandwidth", as_int)
    upload_kbps: int | None = _member("uploadBandwidth", as_int)
    result_id: int | None = _member("resultID", as_int)
    timestamp: datetime | None = None
    """When the test started (the result's, not the module's, member)."""

    @property
    def succeeded(self) -> bool:
        """Whether the test finished and its figures are real."""
        return self.exit_code == SPEED_TEST_SUCCESS

    @property
    def download_mbps(self) -> float | None:
        """Download in Mbit/s (the firmware reports kbit/s)."""
        return None if self.download_kbps is None else self.download_kbps / 1000

    @property
    def upload_mbps(self) -> float | None:
        """Upload in Mbit/s."""
        return None if self.upload_kbps is None else self.upload_kbps / 1000


def _result_entry(entry: Any) -> SpeedTestResult:
    obj = _object(entry, "HealthCheckResult")
    module = obj.get("speedTestResult")
    if not isinstance(module, dict):
        raise JNAPProtocolError("HealthCheckResult: no speedTestResult")
    return replace(
        SpeedTestResult.from_json(module), timestamp=_utc(obj.get("timestamp"))
    )


@_model
class HealthCheckResults(_Model):
    """``healthcheck/GetHealthCheckResults`` with ``includeModuleResults``."""

    results: tuple[SpeedTestResult, ...] = _member(
        "healthCheckResults", _if_list(_entries_of(_result_entry)), required=True
    )

    @property
    def latest(self) -> SpeedTestResult | None:
        """The newest successful test by its time, never by position.

        A real answer is not in time order, and the running test is a row too
        (``Unavailable``, zeros): only finished, successful tests count.
        """
        done = [(r.timestamp, r) for r in self.results if r.succeeded and r.timestamp]
        return max(done, key=lambda pair: pair[0])[1] if done else None


@dataclass(frozen=True, slots=True)
class HealthCheckStatus:
    """``healthcheck/GetHealthCheckStatus``: ``{}`` unless a test runs (or just ended)."""

    running: bool
    progress: SpeedTestResult | None
    """The running test's figures so far (or the final ones, reported once)."""

    @classmethod
    def from_json(cls, data: Any) -> HealthCheckStatus:
        """Parse; a final code is reported once, then the answer is ``{}``."""
        obj = _object(data, cls.__name__)
        module = obj.get("speedTestResult")
        if not obj.get("healthCheckModuleCurrentlyRunning") or not isinstance(
            module, dict
        ):
            return cls(running=False, progress=None)
        progress = SpeedTestResult.from_json(module)
        return cls(running=progress.exit_code == SPEED_TEST_RUNNING, progress=progress)


def _load_percent(value: Any) -> float | None:
    # GetSystemStats2 gives fractions as text ("0.07", "0.79"), and "" for no figure: None
    # (unknown), never 0 (real: PrivacyGUI demo_cache_data.json, ln16 and m60cf). A value
    # above 1 is taken as a percentage.
    number = as_float(value)
    if number is None or number < 0:
        return None
    percent = number * 100 if number <= 1 else number
    return round(percent, 1) if percent <= 100 else None


def _present(value: Any) -> bool:
    return value is not None


@_model
class SystemStats(_Model):
    """``diagnostics/GetSystemStats``: uptime; CPU and memory load on newer firmware."""

    uptime_seconds: int | None = _member("uptimeSeconds", as_int)
    cpu_load_percent: float | None = _member("CPULoad", _load_percent)
    memory_load_percent: float | None = _member("MemoryLoad", _load_percent)
    cpu_load_reported: bool = _member("CPULoad", _present)
    """The answer has the member, even without a figure (``""``)."""
    memory_load_reported: bool = _member("MemoryLoad", _present)


@_model
class InternetConnectionStatus(_Model):
    """``nodes/setup/GetInternetConnectionStatus``: the router's own internet check."""

    status: str | None = _member("connectionStatus", as_str)

    @property
    def is_connected(self) -> bool | None:
        """Whether the internet check passes (None: an answer the client doesn't know)."""
        if self.status is None:
            return None
        return self.status == INTERNET_CONNECTED


@_model
class WPSSessionStatus(_Model):
    """``wirelessap/GetWPSServerSessionStatus`` (the router's WPS PIN is not kept)."""

    in_progress: bool = _member("isWPSSessionInProgress", _true_or_false)
    last_result: str | None = _member("lastResult", as_str)


@_model
class WPSServerSettings(_Model):
    """``wirelessap/GetWPSServerSettings``: WPS on or off (on unless set to disabled)."""

    enabled: bool = _member("enabled", as_bool, required=True)
