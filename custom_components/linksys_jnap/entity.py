"""Base entities (router and per-client) and the setup every platform shares."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import (
    ClientInfo,
    LinksysJnapConfigEntry,
    LinksysJnapCoordinator,
    LinksysJnapData,
    async_add_client_entities,
    async_router_write,
)

_UNSET: Any = object()

type RouterEntities = Callable[[LinksysJnapCoordinator], Iterable[Entity]]
type ClientEntities = Callable[[LinksysJnapCoordinator, ClientInfo], Iterable[Entity]]
type SetupEntry = Callable[
    [HomeAssistant, LinksysJnapConfigEntry, AddConfigEntryEntitiesCallback],
    Awaitable[None],
]


def supports(coordinator: LinksysJnapCoordinator, action: str) -> bool:
    """Whether the router offers an action (any version of a family)."""
    caps = coordinator.client.capabilities
    return caps is not None and caps.supports(action)


def supports_all(*actions: str) -> Callable[[LinksysJnapCoordinator], bool]:
    """Return a ``supported_fn``: the router offers every one of the actions."""
    return lambda coordinator: all(supports(coordinator, a) for a in actions)


@dataclass(frozen=True, kw_only=True)
class LinksysJnapEntityDescription(EntityDescription):
    """A described entity: created when the router can, available while its data is."""

    supported_fn: Callable[[LinksysJnapCoordinator], bool]
    present_fn: Callable[[LinksysJnapData], bool] = lambda _data: True


@dataclass(frozen=True, kw_only=True)
class LinksysJnapOnOffEntityDescription(LinksysJnapEntityDescription):
    """A router on/off entity: its state from the snapshot."""

    is_on_fn: Callable[[LinksysJnapData], bool | None]


def router_entities[D: LinksysJnapEntityDescription](
    descriptions: Iterable[D],
    entity: Callable[[LinksysJnapCoordinator, D], Entity],
) -> RouterEntities:
    """One router entity per description the router supports."""
    return lambda coordinator: [
        entity(coordinator, d) for d in descriptions if d.supported_fn(coordinator)
    ]


def client_entities[D: LinksysJnapEntityDescription](
    descriptions: Iterable[D],
    entity: Callable[[LinksysJnapCoordinator, D, ClientInfo], Entity],
) -> Callable[[LinksysJnapCoordinator], ClientEntities | None]:
    """Per client, one entity per description the router supports (None: none does)."""

    def for_router(coordinator: LinksysJnapCoordinator) -> ClientEntities | None:
        supported = [d for d in descriptions if d.supported_fn(coordinator)]
        if not supported:
            return None
        return lambda coordinator, client: [
            entity(coordinator, d, client) for d in supported
        ]

    return for_router


def make_async_setup_entry(
    router: RouterEntities = lambda _coordinator: (),
    clients: Callable[[LinksysJnapCoordinator], ClientEntities | None] = (
        lambda _coordinator: None
    ),
    *,
    watch: Callable[[LinksysJnapCoordinator], CALLBACK_TYPE] | None = None,
) -> SetupEntry:
    """Build a platform's ``async_setup_entry``.

    It starts ``watch`` (a listener kept until the entry unloads), adds the router
    entities ``router`` returns, then (when ``clients`` gives a factory) each client's
    entities, now and for every client that appears later.
    """

    async def async_setup_entry(
        hass: HomeAssistant,
        entry: LinksysJnapConfigEntry,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        coordinator = entry.runtime_data.coordinator
        if watch is not None:
            entry.async_on_unload(watch(coordinator))
        if entities := list(router(coordinator)):
            async_add_entities(entities)
        if (factory := clients(coordinator)) is not None:
            async_add_client_entities(entry, async_add_entities, factory)

    return async_setup_entry


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
        self._attr_unique_id = f"{coordinator.serial}_{description.key}"
        self._attr_device_info = coordinator.config_entry.runtime_data.device_info
        self._last_written: Any = _UNSET

    @property
    def data(self) -> LinksysJnapData:
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
        """Run a client write (e.g. ``client.set_leds_enabled``) then refresh.

        Errors become translated ``HomeAssistantError``; an authentication error also
        starts reauth.
        """
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
        client: ClientInfo,
    ) -> None:
        """Initialise for one client of the snapshot."""
        super().__init__(coordinator, description)
        self.client_key = client.key
        self._attr_unique_id = f"{coordinator.serial}_{client.key}_{description.key}"
        # Attached to the client's registered device, not the router's (device_info wins).
        self._attr_device_info = None
        self.device_entry = coordinator.client_device_entry(client)

    @property
    def client(self) -> ClientInfo | None:
        """This client in the last snapshot (None once the router deleted it)."""
        return self.coordinator.data.clients.get(self.client_key)

    def _is_data_present(self) -> bool:
        return self.client is not None and super()._is_data_present()
