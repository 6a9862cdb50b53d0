"""scripts/bench keeps working: its quick mode with tiny numbers, end to end."""

from __future__ import annotations

import json
from pathlib import Path
import subprocess
import sys

ROOT = Path(__file__).resolve().parents[1]


def test_bench_quick_json() -> None:
    # A child process: the bench runs its own Home Assistant and event loop.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.bench.run",
            "--json",
            "--sizes",
            "6",
            "--polls",
            "2",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    for key in (
        "requests_per_poll",
        "startup_requests",
        "bytes_per_idle_poll_250",
        "cpu_ms_per_poll_250",
        "cpu_ms_per_poll_1000",
        "snapshot_kib_1000",
        "idle_state_writes",
        "setup_s",
        "naive_requests_per_poll",
        "naive_bytes_per_idle_poll_250",
        "cpu_floor_ratio_250",
        "cpu_floor_ratio_1000",
        "idle_bytes_floor_ratio_250",
        "cpu_bare_floor_ratio_250",
        "cpu_bare_floor_ratio_1000",
        "cpu_own_ms_250",
        "cpu_own_ms_1000",
    ):
        assert key in result
    # Counts, not timings: these hold on any machine.
    assert result["requests_per_poll"] == 1
    assert result["startup_requests"] == 2
    assert result["idle_state_writes"] == 0
    # One request per poll part the smartwifi router serves (QoS, system stats, WPS x3,
    # port rules x3, Ethernet ports, radios, Wi-Fi schedule, update policy incl.).
    assert result["naive_requests_per_poll"] == 19
    ours = result["sizes"]["6"]["ours"]
    assert ours["entities"] > 0
    # The bare poll pays the floor and more (the request, HA's write path around it).
    assert "bare_request" in ours["cpu_phases_ms"]
    assert ours["churn_bare_ms"] >= ours["churn_floor_ms"] > 0
    assert ours["idle_bytes"] < result["sizes"]["6"]["naive"]["idle_bytes"]
