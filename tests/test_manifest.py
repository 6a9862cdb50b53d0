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
