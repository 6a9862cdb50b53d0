"""Base entities (router, per-client, per-node), the write helper, and dynamic entities."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinator import LinksysJnapConfigEntry, LinksysJnapCoordinator
from .devices import client_unique_id, router_unique_id
from .jnap import (
    JNAPActionError,
    JNAPAuthenticationError,
    JNAPConnectionError,
    JNAPError,
    JNAPInvalidInputError,
    JNAPNotReadyError,
    JNAPPreconditionError,
    JNAPRuleConflictError,
    JNAPUnsupportedActionError,
)
from .jnap.actions import (
    GET_PARENTAL_CONTROL_SETTINGS,
    NETWORK_SECURITY_SERVICE,
    SET_PARENTAL_CONTROL_SETTINGS,
)
from .jnap.errors import (
    ERROR_HEALTH_CHECK_RUNNING,
    ERROR_WPS_NOT_ENABLED,
    WPS_NOT_AVAILABLE,
)
from .listeners import ClientContext
from .snapshot import ClientView, NodeView, RouterSnapshot

_UNSET: Any = object()


def supports(coordinator: LinksysJnapCoordinator, action: str) -> bool:
    """Whether the router offers an action (any version of a family)."""
    caps = coordinator.api.capabilities
    return caps is not None and caps.supports(action)


def supports_all(*actions: str) -> Callable[[LinksysJnapCoordinator], bool]:
    """Return a ``supported_fn``: the router offers every one of the actions."""
    return lambda coordinator: all(supports(coordinator, a) for a in actions)


def parental_writes_safe(coordinator: LinksysJnapCoordinator) -> bool:
    """Parental-control writes are offered only where they can't hurt Linksys Shield.

    With the networksecurity service, the Set is refused under a Shield licence, and
    otherwise rewrites Shield's settings from the legacy rules, emptying its schedule
    exceptions (parentalcontrol.lua ``setRules``, networksecurity.lua
    ``convertToNetworkSecurityRules``).
    """
    caps = coordinator.api.capabilities
    return (
        caps is not None
        and supports_all(GET_PARENTAL_CONTROL_SETTINGS, SET_PARENTAL_CONTROL_SETTINGS)(
            coordinator
        )
        and not any(
            service.startswith(NETWORK_SECURITY_SERVICE) for service in caps.services
        )
    )


class WakeUp:
    """One pending wake-up (the end of a consider_home), moved or cancelled as a whole."""

    __slots__ = ("_action", "_hass", "_unsub")

    def __init__(self, hass: HomeAssistant, action: Callable[[], None]) -> None:
        """Run ``action`` at the time given to ``at``."""
        self._hass = hass
        self._action = action
        self._unsub: CALLBACK_TYPE | None = None

    @callback
    def cancel(self) -> None:
        """Drop the pending wake-up, if any."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None

    @callback
    def at(self, when: datetime | None) -> None:
        """Wake at ``when`` instead (nothing when None or past)."""
        self.cancel()
        if when is not None and when > dt_util.utcnow():
            self._unsub = async_track_point_in_utc_time(self._hass, self._fire, when)

    @callback
    def _fire(self, _now: datetime) -> None:
        self._unsub = None
        self._action()


@dataclass(frozen=True, kw_only=True)
class LinksysJnapEntityDescription(EntityDescription):
    """A described entity: created when the router can, available while its data is."""

    supported_fn: Callable[[LinksysJnapCoordinator], bool] = lambda _c: True
    present_fn: Callable[[RouterSnapshot], bool] = lambda _data: True


@dataclass(frozen=True, kw_only=True)
class LinksysJnapOnOffEntityDescription(LinksysJnapEntityDescription):
    """A router on/off entity: its state from the snapshot."""

    is_on_fn: Callable[[RouterSnapshot], bool | None]


@dataclass(frozen=True, slots=True)
class _WriteError:
    """How a write error reaches the user."""

    translation_key: str
    refresh: bool = False
    """Poll again first: the router may have changed something after all."""
    with_message: bool = False
    """The router's text goes in the ``error`` placeholder."""


# Most specific first: the first class the error is an instance of decides.
_WRITE_ERRORS: tuple[tuple[type[JNAPError], _WriteError], ...] = (
    (JNAPAuthenticationError, _WriteError("auth_failed")),
    (JNAPNotReadyError, _WriteError("router_busy")),
    (JNAPConnectionError, _WriteError("cannot_connect")),
    # Found before anything was sent: the router is as it was.
    (JNAPRuleConflictError, _WriteError("rule_conflict")),
    (JNAPInvalidInputError, _WriteError("invalid_input", True, True)),
    (JNAPUnsupportedActionError, _WriteError("unsupported_action")),
    (JNAPError, _WriteError("write_failed", True, True)),
)
# Refusals the firmware (or the client, before sending) names: the router is as it was.
_REFUSALS: dict[tuple[type[JNAPError], str], _WriteError] = {
    (JNAPActionError, ERROR_HEALTH_CHECK_RUNNING): _WriteError("speed_test_running"),
    (JNAPActionError, ERROR_WPS_NOT_ENABLED): _WriteError("wps_not_enabled"),
    (JNAPPreconditionError, WPS_NOT_AVAILABLE): _WriteError("wps_not_available"),
}


async def async_router_write[**P](
    coordinator: LinksysJnapCoordinator,
    func: Callable[P, Awaitable[Any]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> None:
    """Run one write, then refresh; errors become translated ``HomeAssistantError``.

    No optimistic state: entities show what the router reports after the write. The
    mapping is ``_WRITE_ERRORS``; an authentication error also stops password use and
    starts reauth.
    """
    if coordinator.auth_failed:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="auth_failed"
        )
    try:
        await func(*args, **kwargs)
    except JNAPError as err:
        how = _REFUSALS.get((type(err), err.code or "")) or next(
            how for kind, how in _WRITE_ERRORS if isinstance(err, kind)
        )
        if isinstance(err, JNAPAuthenticationError):
            coordinator.auth_failed = True
            coordinator.config_entry.async_start_reauth(coordinator.hass)
        if how.refresh:
            await coordinator.async_refresh_after_write()
        placeholders: dict[str, str] = {}
        if how.with_message:
            placeholders["error"] = err.message
        if isinstance(err, JNAPRuleConflictError):
            placeholders["rule"] = err.rule or ""
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=how.translation_key,
            translation_placeholders=placeholders or None,
        ) from err
    await coordinator.async_refresh_after_write()


class LinksysJnapEntity(CoordinatorEntity[LinksysJnapCoordinator]):
    """An entity of the router device.

    Subclasses override ``_is_data_present`` (available only while the part of the
    snapshot they read exists) and ``_data_key`` (the part they show: their state is
    written only when it changes, so a poll that changed something else writes nothing).
    """

    _attr_has_entity_name = True

    def __init__(
        self, coordinator: LinksysJnapCoordinator, description: EntityDescription
    ) -> None:
        """Initialise from the coordinator and the entity description."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id = router_unique_id(coordinator.serial, description.key)
        self._attr_device_info = coordinator.config_entry.runtime_data.device_info
        self._last_written: Any = _UNSET

    @property
    def data(self) -> RouterSnapshot:
        """The coordinator's last snapshot."""
        return self.coordinator.data

    def _is_data_present(self) -> bool:
        """Whether the snapshot holds what this entity reads."""
        return True

    def _data_key(self) -> Any:
        """Return the part of the snapshot this entity shows (compared between polls)."""
        return self.coordinator.data

    @property
    def available(self) -> bool:
        """Available while the router answers and the entity's data is there."""
        return super().available and self._is_data_present()

    async def async_added_to_hass(self) -> None:
        """Remember what the first state write shows."""
        await super().async_added_to_hass()
        self._last_written = (self.available, self._data_key())

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write state only when this entity's part of the snapshot changed."""
        written = (self.available, self._data_key())
        if written == self._last_written:
            return
        self._last_written = written
        self.async_write_ha_state()

    async def async_router_write[**P](
        self,
        func: Callable[P, Awaitable[Any]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> None:
        """Run one write (e.g. ``api.set_leds_enabled``), then refresh (``async_router_write``)."""
        await async_router_write(self.coordinator, func, *args, **kwargs)


class LinksysJnapDescribedEntity(LinksysJnapEntity):
    """A router entity whose description says when its data is there."""

    entity_description: LinksysJnapEntityDescription

    def _is_data_present(self) -> bool:
        return self.entity_description.present_fn(self.data)


class LinksysJnapOnOffEntity(LinksysJnapDescribedEntity):
    """A router entity that is on or off as its description reads the snapshot."""

    entity_description: LinksysJnapOnOffEntityDescription

    def _data_key(self) -> Any:
        return self.is_on

    @property
    def is_on(self) -> bool | None:
        """On/off from the last snapshot."""
        return self.entity_description.is_on_fn(self.data)


class LinksysJnapClientEntity(LinksysJnapDescribedEntity):
    """An entity of one client; each client is a device linked to the router."""

    def __init__(
        self,
        coordinator: LinksysJnapCoordinator,
        description: LinksysJnapEntityDescription,
        client: ClientView,
    ) -> None:
        """Initialise for one client of the snapshot."""
        super().__init__(coordinator, description)
        self.client_key = client.key
        self._attr_unique_id = client_unique_id(
            coordinator.serial, client.key, description.key
        )
        # Attached to the client's registered device, not the router's (device_info wins).
        self._attr_device_info = None
        self.device_entry = coordinator.devices.async_entry_for(client)

    @property
    def client(self) -> ClientView | None:
        """This client in the last snapshot (None once the router deleted it)."""
        return self.coordinator.data.clients.get(self.client_key)

    def _is_data_present(self) -> bool:
        return self.client is not None and super()._is_data_present()


class LinksysJnapNodeEntity(LinksysJnapDescribedEntity):
    """An entity of one mesh node: a satellite's own device, or the router's for the primary."""

    def __init__(
        self,
        coordinator: LinksysJnapCoordinator,
        description: LinksysJnapEntityDescription,
        node: NodeView,
    ) -> None:
        """Initialise for one node of the snapshot."""
        super().__init__(coordinator, description)
        self.node_key = node.key
        self._attr_unique_id = client_unique_id(
            coordinator.serial, node.key, description.key
        )
        if not node.is_primary:
            self._attr_device_info = coordinator.devices.node_info(node)

    @property
    def node(self) -> NodeView | None:
        """This node in the last snapshot (None once the router forgot it)."""
        return self.coordinator.data.mesh_nodes().get(self.node_key)

    def _is_data_present(self) -> bool:
        return self.node_key in self.data.nodes and super()._is_data_present()


@callback
def async_add_node_entities(
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: Callable[[NodeView], Iterable[Entity]],
) -> None:
    """Add entities for every mesh node now and for nodes that join later.

    A node the router forgets has its entities and device removed by the coordinator
    (like a client's); one that is offline keeps them, unavailable or off.
    """
    coordinator = entry.runtime_data.coordinator
    known: set[str] = set()

    @callback
    def _async_add_new() -> None:
        nodes = coordinator.data.nodes
        if nodes.keys() == known:
            return  # same nodes (the lone router's own record counts as one)
        new: list[Entity] = []
        for key, node in coordinator.data.mesh_nodes().items():
            if key not in known:
                new.extend(factory(node))
        known.clear()
        known.update(nodes)
        if new:
            async_add_entities(new)

    _async_add_new()
    entry.async_on_unload(coordinator.async_add_listener(_async_add_new))


@callback
def async_add_client_entities(
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: Callable[[ClientView], Iterable[Entity]],
) -> None:
    """Add entities for every client now and for clients that appear later.

    ``factory`` returns the entities of one client. Clients the router deletes have their
    entities removed by the coordinator; if one comes back it gets new entities. Each
    coordinator entity gets its client's ``ClientContext``: it is updated when its client's
    view or a router-level part of the snapshot changes, not on every other client's change.
    """
    coordinator = entry.runtime_data.coordinator
    known: set[str] = set()

    @callback
    def _async_add_new() -> None:
        clients = coordinator.data.clients
        if clients.keys() == known:
            return  # same clients (compared in C: this runs at every poll)
        known.intersection_update(clients)
        new: list[Entity] = []
        for key, client in clients.items():
            if key not in known:
                known.add(key)
                for entity in factory(client):
                    if (
                        isinstance(entity, CoordinatorEntity)
                        and entity.coordinator_context is None
                    ):
                        entity.coordinator_context = ClientContext(
                            key, link=getattr(entity, "shows_link_metrics", False)
                        )
                    new.append(entity)
        if new:
            async_add_entities(new)

    _async_add_new()
    entry.async_on_unload(coordinator.async_add_listener(_async_add_new))
