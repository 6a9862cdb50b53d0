"""What any poller pays for the same changing poll, beyond the floor.

The floor (``orjson.loads`` of the answer plus HA's state machine) leaves out two costs no
integration avoids: the HTTP request itself, and HA's entity write path around its state
machine (``Entity.async_write_ha_state`` computing the state, attributes and registry
options). After each measured changing poll the bench pays both again with nothing of the
integration in between: the very request the integration sent, posted with plain aiohttp
on the same session and read whole, and one state write per state the poll changed, by
bare entities (a state, no attribute), the cheapest an entity can be written.

``bare = floor + request + write overhead`` is the least CPU any poller pays for that poll;
``bare / floor`` is the least ratio the issue 25 target can see, and ``ours - bare`` is the
CPU of the integration's own code.
"""

from __future__ import annotations

import time
from typing import Any

import aiohttp
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
import orjson
from pytest_homeassistant_custom_component.common import MockEntityPlatform  # type: ignore[import-untyped]

from custom_components.linksys_jnap.jnap.actions import action_uri
from custom_components.linksys_jnap.jnap.transport import Transport

ENTITIES = 100
"""Bare entities: a poll writing more states writes some of them twice (each a change)."""


class BareEntity(Entity):
    """A sensor with a state and nothing else."""

    _attr_should_poll = False

    def __init__(self, index: int) -> None:
        self.entity_id = f"sensor.bare_bench_{index}"
        self._attr_name = f"bare bench {index}"
        self.value = 0

    @property
    def state(self) -> int:
        return self.value


class BarePoller:
    """Resends a poll's request and writes as many bare states as the poll changed."""

    def __init__(self, hass: HomeAssistant, transport: Transport) -> None:
        self._hass = hass
        self._transport = transport
        self._entities = [BareEntity(i) for i in range(ENTITIES)]
        self.last_post: tuple[str, Any, bool] | None = None
        """The integration's last request: (action, body, with_auth)."""

    async def start(self) -> None:
        platform = MockEntityPlatform(
            self._hass, domain="sensor", platform_name="bare_bench"
        )
        await platform.async_add_entities(self._entities)

    async def request_ms(self) -> float:
        """CPU of the integration's last request, sent again with plain aiohttp."""
        if self.last_post is None:
            return 0.0
        action, body, with_auth = self.last_post
        transport = self._transport
        headers = {
            "X-JNAP-Action": action_uri(action),
            "Content-Type": "application/json; charset=UTF-8",
        }
        if with_auth:
            headers["X-JNAP-Authorization"] = transport.auth_value()
        data = orjson.dumps(body)
        session: aiohttp.ClientSession = transport._session
        start = time.process_time()
        async with session.post(
            transport.url, data=data, headers=headers, allow_redirects=False
        ) as response:
            await response.read()
        return (time.process_time() - start) * 1000

    def write(self, count: int) -> None:
        """Write ``count`` changed states (the caller times HA's write path around it)."""
        entities = self._entities
        for index in range(count):
            entity = entities[index % len(entities)]
            entity.value += 1
            entity.async_write_ha_state()
