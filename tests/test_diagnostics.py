"""Diagnostics: redacted, MACs pseudonymised, stable."""

from __future__ import annotations

from datetime import datetime, timedelta
import json
import re

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from tests.conftest import PASSWORD, SetupIntegration
from tests.simulator import RouterSimulator

MAC = re.compile(r"[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}")


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    router: RouterSimulator,
    setup_integration: SetupIntegration,
    snapshot: SnapshotAssertion,
) -> None:
    entry = await setup_integration(router)
    result = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(result)
    state = router.state
    assert PASSWORD not in text
    assert state.device_info.serial_number not in text
    assert router.host not in text
    for radio in state.guest.radios:
        assert radio.guest_ssid not in text
        assert radio.guest_password not in text
    assert state.wan.ip_address not in text
    assert "12345670" not in text  # the router's WPS PIN
    # No real MAC in any form (colons, dashes, none: node IDs end with one); every MAC
    # left is a pseudonym.
    real = {m.replace(":", "").upper() for d in state.devices.values() for m in d.macs}
    assert real
    bare = text.upper().replace(":", "").replace("-", "")
    assert not [m for m in real if m in bare]
    assert {m.group(0)[:8] for m in MAC.finditer(text)} == {"02:00:00"}
    recording = result["recording"]
    assert recording["format"] == "linksys_jnap.recording"
    assert set(recording["answers"]) >= {"core/GetDeviceInfo", "devicelist/GetDevices"}
    assert all(a["result"] == "OK" for a in recording["answers"].values())
    assert result["poll_actions"]["devices"] == "devicelist/GetDevices"
    # The boot time is "now" minus the uptime: checked, then left out of the snapshot.
    system = result["snapshot"]["system"]
    booted = datetime.fromisoformat(system["booted_at"])
    uptime = timedelta(
        seconds=recording["answers"]["diagnostics/GetSystemStats"]["output"][
            "uptimeSeconds"
        ]
    )
    assert abs(booted + uptime - dt_util.utcnow()) < timedelta(seconds=5)
    assert result == snapshot(exclude=props("booted_at", "uptimeSeconds"))
    # Pseudonyms are stable from one dump to the next.
    again = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert snapshot(exclude=props("booted_at", "uptimeSeconds")) == again
