"""Setup, unload and the router device."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from custom_components.linksys_jnap.const import DOMAIN
from tests.conftest import SetupIntegration
from tests.simulator import RouterSimulator


async def test_setup_and_unload(
    hass: HomeAssistant, router: RouterSimulator, setup_integration: SetupIntegration
) -> None:
    entry = await setup_integration(router)
    info = router.state.device_info
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, info.serial_number), entry.entry_id
    )
    assert device is not None
    assert device.manufacturer == "Linksys"
    assert device.model_id == info.model_number
    assert device.serial_number == info.serial_number
    assert device.sw_version == info.firmware_version
    assert device.hw_version == info.hardware_version
    assert device.configuration_url == f"http://{router.host}/"
    assert device.connections
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED
