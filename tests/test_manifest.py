"""The integration loads in Home Assistant and its manifest is what hassfest expects."""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.loader import async_get_integration

from custom_components.linksys_jnap.const import DOMAIN

MANIFEST = Path(__file__).parent.parent / "custom_components" / DOMAIN / "manifest.json"


async def test_integration_loads(hass: HomeAssistant) -> None:
    integration = await async_get_integration(hass, DOMAIN)
    assert integration.domain == DOMAIN
    assert integration.config_flow is True
    assert integration.integration_type == "hub"
    assert integration.iot_class == "local_polling"
    assert integration.version is not None


def test_manifest_keys_sorted_as_hassfest_wants() -> None:
    manifest = json.loads(MANIFEST.read_text())
    keys = list(manifest)
    # hassfest: domain, then name, then the rest alphabetically.
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    for key in (
        "codeowners",
        "config_flow",
        "documentation",
        "integration_type",
        "iot_class",
        "issue_tracker",
        "requirements",
        "version",
    ):
        assert key in manifest


def test_dhcp_discovery_matches_every_recorded_router() -> None:
    """Each real router of tests/fixtures/real/ is found by a DHCP matcher of the manifest."""
    manifest = json.loads(MANIFEST.read_text())
    prefixes = {
        m["macaddress"].rstrip("*") for m in manifest["dhcp"] if "macaddress" in m
    }
    recordings = sorted((Path(__file__).parent / "fixtures" / "real").glob("*.json"))
    assert len(recordings) >= 4
    for path in recordings:
        answers = json.loads(path.read_text())["answers"]
        devices = answers["devicelist/GetDevices3"]["output"]["devices"]
        (router,) = [d for d in devices if d.get("isAuthority")]
        macs = {
            i["macAddress"].replace(":", "").upper() for i in router["knownInterfaces"]
        }
        assert any(mac[:6] in prefixes for mac in macs), (path.name, macs)
    ssdp = {m["deviceType"] for m in manifest["ssdp"]}
    # Velop nodes announce IGD:2.
    assert "urn:schemas-upnp-org:device:InternetGatewayDevice:2" in ssdp
