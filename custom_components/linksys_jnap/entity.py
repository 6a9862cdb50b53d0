"""Base entities (router, per-client, per-node), the write helper, and dynamic entities."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import LinksysJnapConfigEntry, LinksysJnapCoordinator
from .devices import client_unique_id, router_unique_id
from .errors import write_error
from .jnap import JNAPAuthenticationError, JNAPError
from .jnap.actions import (
    GET_PARENTAL_CONTROL_SETTINGS,
    NETWORK_SECURITY_SERVICE,
    SET_PARENTAL_CONTROL_SETTINGS,
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


@dataclass(frozen=True, kw_only=True)
class LinksysJnapEntityDescription(EntityDescription):
    """A described entity: created when the router can, available while its data is.

    Its ``key`` is also its translation key (and its unique id's suffix).
    """

    supported_fn: Callable[[LinksysJnapCoordinator], bool] = lambda _c: True
    present_fn: Callable[[RouterSnapshot], bool] = lambda _data: True
    named_by_device_class: bool = False
    """Home Assistant names it after its device class: no translation key of its own."""
    link: bool = False
    """A client's entity showing its live link's metrics (signal, rate): it is also
    updated when only those moved, which routers report at nearly every poll."""


type ControlFn = Callable[[LinksysJnapCoordinator, str, bool], Awaitable[Any]]
"""``control_fn(coordinator, object_key, target)``: write ``target`` (on or off; True for a
button's press) for the object the entity belongs to: the router (its serial), a client or
a mesh node (its ``deviceID``). Writes go through ``async_router_write``."""


@dataclass(frozen=True, kw_only=True)
class LinksysJnapControlEntityDescription(LinksysJnapEntityDescription):
    """A switch or button: one control signature, as core's unifi switches have."""

    control_fn: ControlFn


def _translation_key(description: EntityDescription) -> str | None:
    """Return the translation key: the description's key, as devolo_home_network has it."""
    if description.translation_key is not None:
        return description.translation_key
    if (
        isinstance(description, LinksysJnapEntityDescription)
        and description.named_by_device_class
    ):
        return None
    return description.key


@dataclass(frozen=True, kw_only=True)
class LinksysJnapOnOffEntityDescription(LinksysJnapEntityDescription):
    """A router on/off entity: its state from the snapshot."""

    is_on_fn: Callable[[RouterSnapshot], bool | None]


async def async_router_write[**P](
    coordinator: LinksysJnapCoordinator,
    func: Callable[P, Awaitable[Any]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> None:
    """Run one write, then refresh; errors become translated ``HomeAssistantError``.

    No optimistic state: entities show what the router reports after the write. The
    mapping is ``errors.write_error``; an authentication error also stops password use
    and starts reauth.
    """
    await _async_run(coordinator, True, func, *args, **kwargs)


async def async_router_call[**P, T](
    coordinator: LinksysJnapCoordinator,
    func: Callable[P, Awaitable[T]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """Run a user's request that changes nothing the poll reads (a ping); no refresh.

    Errors as ``async_router_write``; returns what ``func`` returned.
    """
    return await _async_run(coordinator, False, func, *args, **kwargs)


async def _async_run[**P, T](
    coordinator: LinksysJnapCoordinator,
    write: bool,
    func: Callable[P, Awaitable[T]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    if coordinator.auth_failed:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="auth_failed"
        )
    try:
        result = await func(*args, **kwargs)
    except JNAPError as err:
        error, refresh = write_error(err)
        if isinstance(err, JNAPAuthenticationError):
            coordinator.async_password_refused()
        if write and refresh:
            await coordinator.async_refresh_after_write()
        raise error from err
    if write:
        await coordinator.async_refresh_after_write()
    return result


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
        self._attr_translation_key = _translation_key(description)
        self.object_key = coordinator.serial
        """What ``control_fn`` writes for: the router's serial, a client's or node's key."""
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

    async def async_control(self, control_fn: ControlFn, target: bool) -> None:
        """Write ``target`` through a description's ``control_fn``, then refresh."""
        await async_router_write(
            self.coordinator, control_fn, self.coordinator, self.object_key, target
        )


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
        self.client_key = self.object_key = client.key
        # Updated when its client (or a router-level part) changed, not for every client.
        self.coordinator_context = ClientContext(client.key, link=description.link)
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
        self.node_key = self.object_key = node.key
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


@dataclass(frozen=True, slots=True)
class EntitySource[T]:
    """Objects that come and go with entities of their own (unifi's known objects)."""

    keys: Callable[[RouterSnapshot], AbstractSet[str]]
    """Their keys: compared at every poll, so cheap (compared in C)."""
    views: Callable[[RouterSnapshot], Mapping[str, T]]
    """Their views, read only when the keys changed (a key without one gets nothing)."""


CLIENTS = EntitySource[ClientView](lambda d: d.clients.keys(), lambda d: d.clients)
# The lone router's own record is a node without a mesh view: it counts, gets nothing.
NODES = EntitySource[NodeView](lambda d: d.nodes.keys(), RouterSnapshot.mesh_nodes)
# The primary's entities are the router's own.
SATELLITES = EntitySource[NodeView](
    lambda d: d.nodes.keys(),
    lambda d: {k: n for k, n in d.mesh_nodes().items() if not n.is_primary},
)


@callback
def async_add_described[D: LinksysJnapEntityDescription](
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entity_class: Callable[[LinksysJnapCoordinator, D], Entity],
    descriptions: Iterable[D],
) -> None:
    """Add a router entity for each description the router supports."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        entity_class(coordinator, description)
        for description in descriptions
        if description.supported_fn(coordinator)
    )


@callback
def async_add_described_for[T, D: LinksysJnapEntityDescription](
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    source: EntitySource[T],
    entity_class: Callable[[LinksysJnapCoordinator, D, T], Entity],
    descriptions: Iterable[D],
) -> None:
    """Add an entity per supported description for each client or node, new ones too."""
    coordinator = entry.runtime_data.coordinator
    if supported := [d for d in descriptions if d.supported_fn(coordinator)]:
        async_add_entities_for(
            entry,
            async_add_entities,
            source,
            lambda view: [entity_class(coordinator, d, view) for d in supported],
        )


@callback
def async_add_entities_for[T](
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    source: EntitySource[T],
    factory: Callable[[T], Iterable[Entity]],
) -> None:
    """Add the entities of every client (or node) now and of those that appear later.

    ``factory`` returns one object's entities. Objects the router deletes have their
    entities and device removed by the coordinator; one that comes back gets new ones.
    A node that is offline keeps its entities, unavailable or off.
    """
    coordinator = entry.runtime_data.coordinator
    known: set[str] = set()

    @callback
    def _async_add_new() -> None:
        data = coordinator.data
        keys = source.keys(data)
        if keys == known:
            return
        known.intersection_update(keys)
        new = [
            entity
            for key, view in source.views(data).items()
            if key not in known
            for entity in factory(view)
        ]
        known.update(keys)
        if new:
            async_add_entities(new)

    _async_add_new()
    entry.async_on_unload(coordinator.async_add_listener(_async_add_new))
