"""Guest Wi-Fi QR code: payload escaping, image served, new image when SSID/passphrase change."""

from __future__ import annotations

from http import HTTPStatus

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.image import DOMAIN as IMAGE
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.linksys_jnap.const import SCAN_INTERVAL
from custom_components.linksys_jnap.image import render_qr_png
from custom_components.linksys_jnap.jnap.guest import wifi_qr_payload
from tests.conftest import SetupIntegration
from tests.helpers import entity_id, state_of, tick
from tests.simulator import RouterSimulator

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


async def test_snapshot(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    snapshot_router: RouterSimulator,
    setup_integration: SetupIntegration,
    snapshot: SnapshotAssertion,
) -> None:
    freezer.move_to("2026-11-25 08:00:00+00:00")
    entry = await setup_integration(snapshot_router)
    entity = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    (qr_code,) = [e for e in entity if e.domain == IMAGE]
    assert qr_code == snapshot(name="entry")
    state = hass.states.get(qr_code.entity_id)
    # The access token (and the picture URL holding it) is random.
    assert state == snapshot(
        name="state", exclude=props("access_token", "entity_picture")
    )


async def _fetch(
    hass: HomeAssistant, client: ClientSessionGenerator, target: str
) -> bytes:
    http = await client()
    state = hass.states.get(target)
    resp = await http.get(state.attributes["entity_picture"])
    assert resp.status == HTTPStatus.OK
    assert resp.content_type == "image/png"
    return await resp.read()


async def test_qr_follows_ssid_and_passphrase(
    hass: HomeAssistant,
    router: RouterSimulator,
    hass_client: ClientSessionGenerator,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
) -> None:
    target = entity_id(hass, router, IMAGE, "guest_wifi_qr_code")
    radio = router.state.guest.radios[0]
    expected = wifi_qr_payload(radio.guest_ssid, radio.guest_password)
    image = await _fetch(hass, hass_client, target)
    assert image.startswith(PNG_MAGIC)
    assert image == render_qr_png(expected)
    first_update = state_of(hass, target)

    # An idle poll keeps the image; a new SSID and passphrase make a new one.
    await tick(hass, freezer, SCAN_INTERVAL.total_seconds())
    assert state_of(hass, target) == first_update
    for r in router.state.guest.radios:
        r.guest_ssid = 'Guest; "Caf\\e", 1:2'
        r.guest_password = "p;a,s:s\\"
    await tick(hass, freezer, SCAN_INTERVAL.total_seconds())
    assert state_of(hass, target) != first_update
    image = await _fetch(hass, hass_client, target)
    assert image == render_qr_png(
        'WIFI:T:WPA;S:Guest\\; \\"Caf\\\\e\\"\\, 1\\:2;P:p\\;a\\,s\\:s\\\\;;'
    )

    # No SSID at all: nothing to show.
    for r in router.state.guest.radios:
        r.guest_ssid = ""
    await tick(hass, freezer, SCAN_INTERVAL.total_seconds())
    assert state_of(hass, target) == STATE_UNAVAILABLE
