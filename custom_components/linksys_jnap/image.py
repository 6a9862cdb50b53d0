"""Image: a QR code that joins the guest Wi-Fi when scanned."""

from __future__ import annotations

import io
from typing import Any

from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util
import segno

from .coordinator import LinksysJnapConfigEntry, LinksysJnapCoordinator
from .entity import LinksysJnapEntity, supports
from .jnap import GuestNetworkSettings
from .jnap.actions import GET_GUEST_RADIO_SETTINGS

# Read-only platform: the coordinator does all I/O.
PARALLEL_UPDATES = 0

GUEST_WIFI_QR_CODE = ImageEntityDescription(
    key="guest_wifi_qr_code", translation_key="guest_wifi_qr_code"
)
_SPECIAL = ("\\", ";", ",", ":", '"')


def _escape(text: str) -> str:
    """Backslash the characters the WIFI: format reserves (backslash first)."""
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text


def wifi_qr_payload(ssid: str, passphrase: str | None, *, hidden: bool = False) -> str:
    """Return the de-facto standard Wi-Fi QR text: ``WIFI:T:WPA;S:<ssid>;P:<passphrase>;;``."""
    parts = ["WIFI:"]
    if passphrase:
        parts.append(f"T:WPA;S:{_escape(ssid)};P:{_escape(passphrase)};")
    else:
        parts.append(f"T:nopass;S:{_escape(ssid)};")
    if hidden:
        parts.append("H:true;")
    parts.append(";")
    return "".join(parts)


def guest_payload(guest: GuestNetworkSettings | None) -> str | None:
    """Payload for the guest network (its first enabled radio with an SSID)."""
    if guest is None:
        return None
    radios = [r for r in guest.radios if r.ssid]
    radio = next((r for r in radios if r.is_enabled), radios[0] if radios else None)
    if radio is None or radio.ssid is None:
        return None
    # A captive portal's Wi-Fi is open: its password is asked in the browser, not by Wi-Fi.
    passphrase = None if guest.uses_portal_password else radio.passphrase
    return wifi_qr_payload(radio.ssid, passphrase, hidden=radio.broadcast_ssid is False)


def render_qr_png(payload: str) -> bytes:
    """PNG of the QR code (segno, medium error correction)."""
    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


class LinksysJnapGuestWifiQrCode(LinksysJnapEntity, ImageEntity):
    """Guest network SSID and passphrase as a QR code; new image when either changes."""

    _attr_content_type = "image/png"

    def __init__(self, coordinator: LinksysJnapCoordinator) -> None:
        """Initialise."""
        super().__init__(coordinator, GUEST_WIFI_QR_CODE)
        ImageEntity.__init__(self, coordinator.hass)
        self._payload = guest_payload(coordinator.data.guest_network)
        self._attr_image_last_updated = dt_util.utcnow()
        self._image: tuple[str, bytes] | None = None

    def _is_data_present(self) -> bool:
        return self._payload is not None

    def _data_key(self) -> Any:
        return self._payload

    @callback
    def _handle_coordinator_update(self) -> None:
        payload = guest_payload(self.data.guest_network)
        if payload != self._payload:
            self._payload = payload
            self._attr_image_last_updated = dt_util.utcnow()
        super()._handle_coordinator_update()

    async def async_image(self) -> bytes | None:
        """Return the QR code of the current SSID and passphrase (rendered once per change)."""
        payload = self._payload
        if payload is None:
            return None
        if self._image is None or self._image[0] != payload:
            png = await self.hass.async_add_executor_job(render_qr_png, payload)
            self._image = (payload, png)
        return self._image[1]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the guest Wi-Fi QR code when the router has a guest network."""
    coordinator = entry.runtime_data.coordinator
    if supports(coordinator, GET_GUEST_RADIO_SETTINGS):
        async_add_entities([LinksysJnapGuestWifiQrCode(coordinator)])
