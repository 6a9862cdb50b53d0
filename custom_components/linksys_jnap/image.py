"""Image: a QR code that joins the guest Wi-Fi when scanned."""

from __future__ import annotations

from dataclasses import dataclass
import io
from typing import Any

from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util
import segno

from .coordinator import LinksysJnapConfigEntry, LinksysJnapCoordinator
from .entity import (
    LinksysJnapEntity,
    LinksysJnapEntityDescription,
    async_add_described,
    supports,
)
from .jnap.actions import GET_GUEST_RADIO_SETTINGS
from .jnap.guest import guest_payload

# Read-only platform: the coordinator does all I/O.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class LinksysJnapImageEntityDescription(
    ImageEntityDescription, LinksysJnapEntityDescription
):
    """The guest Wi-Fi's QR code."""


GUEST_WIFI_QR_CODE = LinksysJnapImageEntityDescription(
    key="guest_wifi_qr_code",
    supported_fn=lambda c: supports(c, GET_GUEST_RADIO_SETTINGS),
)
IMAGES = (GUEST_WIFI_QR_CODE,)


def render_qr_png(payload: str) -> bytes:
    """PNG of the QR code (segno, medium error correction)."""
    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


class LinksysJnapGuestWifiQrCode(LinksysJnapEntity, ImageEntity):
    """Guest network SSID and passphrase as a QR code; new image when either changes."""

    _attr_content_type = "image/png"

    def __init__(
        self,
        coordinator: LinksysJnapCoordinator,
        description: LinksysJnapImageEntityDescription,
    ) -> None:
        """Initialise."""
        super().__init__(coordinator, description)
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
    async_add_described(entry, async_add_entities, LinksysJnapGuestWifiQrCode, IMAGES)
