"""Polling of one router: one JNAP transaction per poll, one frozen snapshot."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
import logging
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import (
    CoordinatorEntity,
    DataUpdateCoordinator,
    UpdateFailed,
)
from homeassistant.util import dt as dt_util

from .const import (
    CONF_CONSIDER_HOME,
    DEFAULT_CONSIDER_HOME,
    DOMAIN,
    MANUFACTURER,
    PRESENCE_SAVE_DELAY,
    PRESENCE_STORAGE_VERSION,
    SCAN_INTERVAL,
)
from .jnap import (
    Device,
    DeviceInfo as RouterInfo,
    DeviceList,
    FirmwareUpdateStatus,
    GuestNetworkSettings,
    JNAPAuthenticationError,
    JNAPClient,
    JNAPConnectionError,
    JNAPError,
    JNAPInvalidInputError,
    JNAPNotReadyError,
    JNAPPasswordThrottledError,
    JNAPRuleConflictError,
    JNAPTimeoutError,
    JNAPUnsupportedActionError,
    LEDSettings,
    NetworkConnection,
    ParentalControlSettings,
    PollResult,
    QoSSettings,
    WANStatus,
)
from .jnap.actions import GET_DEVICES

_LOGGER = logging.getLogger(__name__)

type LinksysJnapConfigEntry = ConfigEntry[LinksysJnapRuntimeData]

# Where presence comes from (LinksysJnapData.presence_sources), by precedence: a MAC in
# the nodes' station lists takes that entry (it names the node, and its signal is dBm
# where a WHW03's own list is not), else the answering router's own list, else the
# device list's live connection (docs/firmware-facts.md, "Presence sources").
PRESENCE_NODE_CONNECTIONS = "node_connections"
PRESENCE_NETWORK_CONNECTIONS = "network_connections"
PRESENCE_DEVICE_LIST = "device_list"
DEVICE_LIST_FULL_READ = timedelta(minutes=5)
"""How often a mesh re-reads the whole device list: whether a client leaving bumps its
revision is unverified, so departures an incremental read misses show within this."""
_DEVICES_V3 = f"{GET_DEVICES}3"


@dataclass(slots=True)
class LinksysJnapRuntimeData:
    """What a loaded config entry holds (``entry.runtime_data``)."""

    client: JNAPClient
    coordinator: LinksysJnapCoordinator
    router: RouterInfo
    """``core/GetDeviceInfo`` read at setup (model, firmware, services)."""
    device_info: DeviceInfo
    """Device registry info of the router (entities of the router use it)."""
    router_device_id: str
    """Device registry id of the router (client devices link to it)."""


@dataclass(frozen=True, slots=True)
class ClientInfo:
    """One client as the router groups it (one ``deviceID``, one or more MACs).

    Precomputed once per poll so entities read fields instead of scanning lists.
    """

    key: str
    """The router's ``deviceID``: stable across restarts, part of unique ids."""
    name: str
    mac: str
    """Primary (first known) MAC; stable for the life of the client."""
    macs: tuple[str, ...]
    host_name: str | None
    connected: bool
    """Live presence right now (no consider_home applied)."""
    connected_mac: str | None
    ip_address: str | None
    ipv6_address: str | None
    band: str | None
    is_guest: bool | None
    is_wireless: bool | None
    manufacturer: str | None
    model: str | None
    device_type: str | None
    operating_system: str | None
    node_id: str | None
    """``deviceID`` of the mesh node the client is connected to, when the router says."""
    device: Device = field(repr=False)
    """The router's full device record (properties, connections, interfaces...)."""


@dataclass(frozen=True, slots=True)
class ClientCounts:
    """Connected clients by kind, counted once per build (sensors read them per poll)."""

    connected: int = 0
    wireless: int = 0
    wired: int = 0
    guest: int = 0

    @classmethod
    def of(cls, clients: Iterable[ClientInfo]) -> ClientCounts:
        """Count the connected clients."""
        connected = wireless = wired = guest = 0
        for client in clients:
            if not client.connected:
                continue
            connected += 1
            if client.is_wireless:
                wireless += 1
            elif client.is_wireless is False:
                wired += 1
            if client.is_guest:
                guest += 1
        return cls(connected, wireless, wired, guest)

    def updated(
        self, old: Iterable[ClientInfo], new: Iterable[ClientInfo]
    ) -> ClientCounts:
        """Return these counts with the ``old`` views replaced by the ``new`` ones."""
        minus, plus = ClientCounts.of(old), ClientCounts.of(new)
        return ClientCounts(
            self.connected - minus.connected + plus.connected,
            self.wireless - minus.wireless + plus.wireless,
            self.wired - minus.wired + plus.wired,
            self.guest - minus.guest + plus.guest,
        )


@dataclass(frozen=True, slots=True)
class ClientContext:
    """Listener context of a client's entities: updated only when that client changed.

    ``link``: the entity shows the live link's metrics (signal, rate), so it is also updated
    when only those moved, which routers report at nearly every poll.
    """

    key: str
    link: bool = False


type _ListenerGroups = tuple[
    list[CALLBACK_TYPE], dict[str, list[CALLBACK_TYPE]], dict[str, list[CALLBACK_TYPE]]
]

# Snapshot parts any entity may read; when one changes, every listener is updated.
_ROUTER_PARTS = (
    "nodes",
    "presence_source",
    "presence_sources",
    "wan_status",
    "guest_network",
    "leds",
    "parental_control",
    "firmware_update",
    "qos",
    "failed_parts",
)


@dataclass(frozen=True, slots=True)
class LinksysJnapData:
    """Everything one poll learned; equal to the previous one when nothing changed.

    Only router state lives here (no timestamps of ours), so ``always_update=False`` makes
    an idle poll write no state. A part is None when the router lacks it or it failed.
    """

    revision: int | None
    clients: Mapping[str, ClientInfo]
    """Client key (``deviceID``) -> client. The router itself and mesh nodes are not here."""
    nodes: Mapping[str, Device]
    """The router itself and mesh nodes, by ``deviceID``."""
    client_keys_by_mac: Mapping[str, str]
    presence_source: str | None
    """``network_connections`` (a live connection list), ``device_list`` (``GetDevices3``
    alone) or None (no presence)."""
    connections: Mapping[str, NetworkConnection] | None
    """Live connections by MAC, every list merged (None when the router has no list)."""
    wan_status: WANStatus | None
    guest_network: GuestNetworkSettings | None
    leds: LEDSettings | None
    parental_control: ParentalControlSettings | None
    firmware_update: FirmwareUpdateStatus | None
    qos: QoSSettings | None
    failed_parts: frozenset[str]
    """Poll parts the router failed this time (their value is None)."""
    client_counts: ClientCounts = ClientCounts()
    presence_sources: frozenset[str] = frozenset()
    """Every source presence came from this time (``PRESENCE_*``)."""

    def link(self, client: ClientInfo) -> NetworkConnection | None:
        """Return the client's live connection (signal, rate...) while it is connected."""
        if self.connections is None or client.connected_mac is None:
            return None
        return self.connections.get(client.connected_mac)

    def client_for_mac(self, mac: str) -> ClientInfo | None:
        """Return the client owning this MAC, if any."""
        key = self.client_keys_by_mac.get(mac.upper())
        return None if key is None else self.clients.get(key)

    @property
    def router_macs(self) -> tuple[str, ...]:
        """MACs of the router itself (``isAuthority``), from the device list."""
        for node in self.nodes.values():
            if node.is_authority:
                return node.macs
        return ()


def _live_connection(
    device: Device,
    connections: Mapping[str, NetworkConnection] | None,
    source: frozenset[str],
) -> NetworkConnection | None:
    """Return the live connection of the first connected MAC (connection lists only)."""
    if connections is not None:
        for mac in device.macs:
            if (conn := connections.get(mac)) is not None:
                return conn
    return None


def _same_view(old: NetworkConnection | None, new: NetworkConnection | None) -> bool:
    """Whether a client's view is the same with either live connection (metrics aside)."""
    if old is new:
        return True
    if old is None or new is None:
        return False
    return (
        old.mac == new.mac
        and old.band == new.band
        and old.is_guest == new.is_guest
        and old.is_wireless == new.is_wireless
        and old.node_id == new.node_id
    )


def _device_list_connection(device: Device, source: frozenset[str]) -> Any:
    """Return the device list's live connection that counts as presence, if any.

    Alone, the device list decides (read whole at every poll). Beside the nodes' station
    lists it only adds clients that are not on Wi-Fi (wired clients of satellites): the
    nodes list every station, and an offline guest's record is never updated (VEL
    devicelist_devicedb.lua ``innerGetDevices``), so its Wi-Fi connection would stay.
    """
    if PRESENCE_DEVICE_LIST not in source or not device.connections:
        return None
    if len(source) == 1:
        return device.connections[0]
    for conn in device.connections:
        kind = next(
            (i.interface_type for i in device.interfaces if i.mac == conn.mac), None
        )
        if kind != "Wireless" and not conn.is_guest:
            return conn
    return None


def _client_view(
    device: Device,
    live: NetworkConnection | None,
    source: frozenset[str],
) -> ClientInfo:
    """Build a client's view; presence never comes from v1 ``connections`` (stale).

    A function of its arguments alone: the coordinator reuses the view while they stay
    the same objects.
    """
    device_conn = None
    connected = False
    band: str | None = None
    if live is not None:
        connected = True
        device_conn = next((c for c in device.connections if c.mac == live.mac), None)
        band = live.band
    elif (listed := _device_list_connection(device, source)) is not None:
        # GetDevices3 prunes connections to live MACs.
        connected = True
        device_conn = listed
        band = next((i.band for i in device.interfaces if i.mac == listed.mac), None)
    connected_mac = live.mac if live else device_conn.mac if device_conn else None
    is_guest: bool | None = None
    if live is not None:
        is_guest = live.is_guest
    elif device_conn is not None:
        is_guest = device_conn.is_guest
    is_wireless: bool | None = None
    if live is not None:
        is_wireless = live.is_wireless
    elif connected_mac is not None:
        kind = next(
            (i.interface_type for i in device.interfaces if i.mac == connected_mac),
            None,
        )
        is_wireless = None if kind in (None, "Unknown") else kind == "Wireless"
    node_id = live.node_id if live is not None else None
    if node_id is None and connected and device_conn is not None:
        node_id = device_conn.parent_device_id
    return ClientInfo(
        key=device.device_id,
        name=device.name,
        mac=device.macs[0],
        macs=device.macs,
        host_name=device.friendly_name,
        connected=connected,
        connected_mac=connected_mac if connected else None,
        ip_address=device_conn.ip_address if connected and device_conn else None,
        ipv6_address=device_conn.ipv6_address if connected and device_conn else None,
        band=band if connected else None,
        is_guest=is_guest if connected else None,
        is_wireless=is_wireless if connected else None,
        manufacturer=device.manufacturer,
        model=device.model_number or device.model_description,
        device_type=device.device_type,
        operating_system=device.operating_system,
        node_id=node_id if connected else None,
        device=device,
    )


def presence_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Where last-seen times of an entry's clients are kept across restarts."""
    return Store(hass, PRESENCE_STORAGE_VERSION, f"{DOMAIN}.{entry_id}.presence")


def router_title(router: RouterInfo) -> str:
    """Config entry title: the router's description and model."""
    description = (router.description or "").strip()
    model = (router.model_number or "").strip()
    if description and model and model not in description:
        return f"{description} {model}"
    return description or model or f"{MANUFACTURER} router"


def router_device_info(
    router: RouterInfo, *, configuration_url: str, macs: Iterable[str] = ()
) -> DeviceInfo:
    """Device registry info of the router."""
    assert router.serial_number is not None
    manufacturer = router.manufacturer or MANUFACTURER
    model = (router.description or router.model_number or "").strip()
    if model.lower().startswith(manufacturer.lower() + " "):
        model = model[len(manufacturer) + 1 :]
    info = DeviceInfo(
        identifiers={(DOMAIN, router.serial_number)},
        manufacturer=manufacturer,
        model=model or None,
        model_id=router.model_number,
        name=" ".join(p for p in (manufacturer, router.model_number) if p),
        serial_number=router.serial_number,
        sw_version=router.firmware_version,
        hw_version=router.hardware_version,
        configuration_url=configuration_url,
    )
    if connections := {(dr.CONNECTION_NETWORK_MAC, mac) for mac in macs}:
        info["connections"] = connections
    return info


class LinksysJnapCoordinator(DataUpdateCoordinator[LinksysJnapData]):
    """Polls one router (client ``poll``: one HTTP round trip) and tracks last seen."""

    config_entry: LinksysJnapConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: LinksysJnapConfigEntry,
        client: JNAPClient,
        router: RouterInfo,
    ) -> None:
        """Set up for a router whose capabilities were read (``get_device_info``)."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=entry.title or DOMAIN,
            update_interval=SCAN_INTERVAL,
            always_update=False,
        )
        assert router.serial_number is not None
        self.client = client
        self.router = router
        self.serial: str = router.serial_number
        self.auth_failed = False
        """Set on an authentication error: the password is not sent again until reauth."""
        self.actions: Mapping[str, str] = {}
        """Poll part -> action version the last poll used (diagnostics)."""
        self.last_seen: dict[str, datetime] = {}
        """Client key -> when the router last reported it connected (kept across restarts)."""
        self.router_device_id: str | None = None
        self._client_devices: dict[str, tuple[tuple[Any, ...], str]] = {}
        """Client key -> (what we registered, device id) in the device registry."""
        self._devices: dict[str, Device] | None = None
        self._revision: int | None = None
        self._devices_action: str | None = None
        self._full_read = True
        self._failing_parts: set[str] = set()
        """Poll parts that failed last time (warned about once)."""
        self._store = presence_store(hass, entry.entry_id)
        # Last build, reused piecewise: per client (device, live connection, source, view);
        # nodes and the MAC index while the device dict is the same object.
        self._views: dict[
            str, tuple[Device, NetworkConnection | None, frozenset[str], ClientInfo]
        ] = {}
        self._built_devices: dict[str, Device] | None = None
        self._changed_device_ids: set[str] | None = None
        self._built: LinksysJnapData | None = None
        """The snapshot of the last build."""
        """Devices the merges since the last build changed (None: build everything)."""
        self._shared_macs = False
        """Some MAC belongs to two devices: the MAC index can't name all its clients."""
        self._built_inputs: tuple[Any, Any] = (None, None)
        """The connection lists the last build merged (the same objects: same map)."""
        self._lists: dict[str, tuple[NetworkConnection, ...]] = {}
        """Last good answer of each connection list (kept while its read fails)."""
        self._sources: frozenset[str] = frozenset()
        self._last_full_read: datetime | None = None
        self._rebuilt: set[str] = set()
        self._relinked: set[str] = set()
        """Client keys whose view stayed while their link's metrics moved."""
        """Client keys whose view the last build made anew."""
        self._notify_only: (
            tuple[LinksysJnapData, frozenset[str], frozenset[str]] | None
        ) = None
        self._groups: _ListenerGroups | None = None
        self._notified_success = True

    @property
    def consider_home(self) -> timedelta:
        """How long a client stays home after the router last saw it."""
        return timedelta(
            seconds=self.config_entry.options.get(
                CONF_CONSIDER_HOME, DEFAULT_CONSIDER_HOME
            )
        )

    def is_home(self, key: str, now: datetime | None = None) -> bool:
        """Return whether a client is connected or was seen less than consider_home ago."""
        client = self.data.clients.get(key) if self.data else None
        if client is not None and client.connected:
            return True
        expiry = self.home_until(key)
        return expiry is not None and (now or dt_util.utcnow()) < expiry

    def home_until(self, key: str) -> datetime | None:
        """When a disconnected client turns away (None if never seen)."""
        last = self.last_seen.get(key)
        return None if last is None else last + self.consider_home

    # --- setup and persistence ------------------------------------------------------------

    async def _async_setup(self) -> None:
        """Load last-seen times saved before a restart."""
        stored = await self._store.async_load() or {}
        for key, value in dict(stored.get("last_seen", {})).items():
            if (when := dt_util.parse_datetime(str(value))) is not None:
                self.last_seen[str(key)] = when

    @callback
    def _presence_data(self) -> dict[str, Any]:
        return {
            "last_seen": {key: when.isoformat() for key, when in self.last_seen.items()}
        }

    async def async_save_presence(self) -> None:
        """Write last-seen times now (on unload)."""
        await self._store.async_save(self._presence_data())

    # --- polling --------------------------------------------------------------------------

    async def _async_update_data(self) -> LinksysJnapData:
        if self.auth_failed:
            # Never send the password again before the user answers reauth.
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            )
        try:
            result, device_list = await self._async_poll()
        except JNAPError as err:
            raise self._update_error(err) from err
        self._log_part_changes(result)
        self.actions = dict(result.actions)
        removed = self._merge_devices(device_list, result)
        data = self._build(result)
        if removed:
            self._async_remove_clients(removed)
            for key in removed:
                self._client_devices.pop(key, None)
        # Only rebuilt views can bring a new client or a renamed one.
        self.async_register_client_devices(data, self._rebuilt)
        now = dt_util.utcnow()
        for client in data.clients.values():
            if client.connected:
                self.last_seen[client.key] = now
        for key in removed:
            self.last_seen.pop(key, None)
        self._store.async_delay_save(self._presence_data, PRESENCE_SAVE_DELAY)
        previous = self.data
        self._notify_only = None
        if previous is not None and all(
            getattr(previous, part) == getattr(data, part) for part in _ROUTER_PARTS
        ):
            self._notify_only = (
                data,
                frozenset(self._rebuilt),
                frozenset(self._relinked),
            )
        return data

    @callback
    def async_update_listeners(self) -> None:
        """Update listeners; after a poll that changed only some clients, only theirs.

        Entities added by ``async_add_client_entities`` listen with a ``ClientContext``
        and are skipped while their client's view and every router-level part are
        unchanged (with 1,000 clients most polls change a few). Errors, recoveries and
        router-level changes reach every listener.
        """
        only, self._notify_only = self._notify_only, None
        success = self.last_update_success
        if (
            only is None
            or only[0] is not self.data
            or not success
            or not self._notified_success
        ):
            self._notified_success = success
            super().async_update_listeners()
            return
        router, by_client, by_link = self._listener_groups()
        callbacks = list(router)
        for key in only[1]:
            callbacks.extend(by_client.get(key, ()))
            callbacks.extend(by_link.get(key, ()))
        for key in only[2]:
            callbacks.extend(by_link.get(key, ()))
        for update_callback in callbacks:
            try:
                update_callback()
            except Exception:
                self.logger.exception(
                    "Unexpected error updating listener %s for %s",
                    id(update_callback),
                    self.name,
                )

    @callback
    def async_add_listener(
        self, update_callback: CALLBACK_TYPE, context: Any = None
    ) -> Callable[[], None]:
        """Listen for data updates (and regroup the listeners by client)."""
        self._groups = None
        remove = super().async_add_listener(update_callback, context)

        @callback
        def _remove() -> None:
            self._groups = None
            remove()

        return _remove

    def _listener_groups(self) -> _ListenerGroups:
        """Router-level listeners; client and link-metric listeners by key (cached)."""
        if self._groups is None:
            router: list[CALLBACK_TYPE] = []
            by_client: dict[str, list[CALLBACK_TYPE]] = {}
            by_link: dict[str, list[CALLBACK_TYPE]] = {}
            for update_callback, context in self._listeners.values():
                if isinstance(context, ClientContext):
                    group = by_link if context.link else by_client
                    group.setdefault(context.key, []).append(update_callback)
                else:
                    router.append(update_callback)
            self._groups = (router, by_client, by_link)
        return self._groups

    async def _async_poll(self) -> tuple[PollResult, DeviceList | None]:
        """One transaction; a full device read when we have none or the revision went back."""
        since = None if self._full_read_due() else self._revision
        result = await self.client.poll(since_revision=since)
        if since is None and result.devices is not None:
            self._last_full_read = dt_util.utcnow()
        device_list = result.devices
        if (
            device_list is not None
            and since is not None
            and device_list.revision < since
        ):
            # The router's revision went back (reset/reboot): re-read everything.
            _LOGGER.debug("device list revision went back; full read")
            device_list = await self.client.get_devices()
        return result, device_list

    def _full_read_due(self) -> bool:
        """Whether this poll reads the whole device list (see ``DEVICE_LIST_FULL_READ``)."""
        if self._full_read or self._sources == {PRESENCE_DEVICE_LIST}:
            return True
        return (
            PRESENCE_DEVICE_LIST in self._sources
            and self._last_full_read is not None
            and dt_util.utcnow() - self._last_full_read >= DEVICE_LIST_FULL_READ
        )

    def _log_part_changes(self, result: PollResult) -> None:
        """Warn once when a part starts failing or the router drops its action.

        The poll as a whole succeeded, so the coordinator logs nothing itself; the
        entities of such a part go unavailable and the log should say why, once.
        """
        for part, err in result.errors.items():
            if part not in self._failing_parts:
                _LOGGER.warning("Reading %s from %s failed: %s", part, self.name, err)
        for part in self._failing_parts - result.errors.keys():
            if part in result.actions:
                _LOGGER.info("Reading %s from %s recovered", part, self.name)
        self._failing_parts = set(result.errors)
        for part, action in self.actions.items():
            if part not in result.actions and part not in result.errors:
                _LOGGER.warning(
                    "%s no longer supports %s (firmware changed?); its entities are"
                    " unavailable until the integration is reloaded",
                    self.name,
                    action,
                )

    def _update_error(self, err: JNAPError) -> Exception:
        """Translate a poll error (auth errors stop password use until reauth)."""
        if isinstance(err, JNAPPasswordThrottledError):
            self.auth_failed = True
            return ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="password_throttled",
                translation_placeholders={"seconds": str(err.delay_seconds or 0)},
            )
        if isinstance(err, JNAPAuthenticationError):
            self.auth_failed = True
            return ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            )
        if isinstance(err, JNAPTimeoutError):
            return UpdateFailed(translation_domain=DOMAIN, translation_key="timeout")
        if isinstance(err, JNAPConnectionError):
            return UpdateFailed(
                translation_domain=DOMAIN, translation_key="cannot_connect"
            )
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="update_failed",
            translation_placeholders={"error": str(err)},
        )

    def _merge_devices(
        self, device_list: DeviceList | None, result: PollResult
    ) -> set[str]:
        """Keep the full device dict across polls; return the keys that went away."""
        if device_list is None:
            if "devices" in result.errors:
                # Keep what we know; start over with a full read next time.
                self._full_read = True
            return set()
        self._devices_action = result.actions.get("devices", self._devices_action)
        previous = self._devices or {}
        self._full_read = False
        removed: set[str] = set()
        if device_list.since_revision is None or self._devices is None:
            devices = {d.device_id: d for d in device_list.devices}
            self._changed_device_ids = None
            for key in set(previous) - set(devices):
                old = previous[key]
                if any(c.is_guest for c in old.connections):
                    # Velop leaves offline guests out of full reads, without deleting
                    # them (devicelist_devicedb.lua innerGetDevices): keep, offline.
                    devices[key] = replace(old, connections=())
                else:
                    removed.add(key)
        elif not device_list.devices and not device_list.deleted_device_ids:
            # Nothing changed: keep the same dict (the snapshot build reuses its indexes).
            devices = self._devices
        else:
            devices = dict(self._devices)
            for device_id in device_list.deleted_device_ids:
                if devices.pop(device_id, None) is not None:
                    removed.add(device_id)
            for device in device_list.devices:
                devices[device.device_id] = device
            if (changed := self._changed_device_ids) is not None:
                changed.update(device_list.deleted_device_ids)
                changed.update(d.device_id for d in device_list.devices)
        self._devices = devices
        self._revision = device_list.revision
        return removed

    def _presence(
        self, result: PollResult, previous: LinksysJnapData | None
    ) -> tuple[frozenset[str], Mapping[str, NetworkConnection] | None]:
        """Return this poll's presence sources and their live connections, merged by MAC.

        A list whose read failed this time keeps its last answer. The merged map is the
        previous one while both lists are the same objects (the idle-poll shortcut).
        """
        lists: dict[str, tuple[NetworkConnection, ...]] = {}
        for source, part, answer in (
            (PRESENCE_NETWORK_CONNECTIONS, "connections", result.connections),
            (PRESENCE_NODE_CONNECTIONS, "node_connections", result.node_connections),
        ):
            value = answer
            if value is None and part in result.errors:
                value = self._lists.get(source)
            if value is not None:
                lists[source] = value
        self._lists = lists
        sources = set(lists)
        if self._devices_action == _DEVICES_V3 and (
            not lists or PRESENCE_NODE_CONNECTIONS in lists
        ):
            sources.add(PRESENCE_DEVICE_LIST)
        own = lists.get(PRESENCE_NETWORK_CONNECTIONS)
        nodes = lists.get(PRESENCE_NODE_CONNECTIONS)
        inputs = (own, nodes)
        connections: Mapping[str, NetworkConnection] | None = None
        if not lists:
            pass
        elif (
            previous is not None
            and previous.connections is not None
            and inputs[0] is self._built_inputs[0]
            and inputs[1] is self._built_inputs[1]
        ):
            connections = previous.connections  # the router reported no change
        else:
            merged = {c.mac: c for c in own or ()}
            for conn in nodes or ():
                merged[conn.mac] = conn
            connections = merged
        self._built_inputs = inputs
        self._sources = frozenset(sources)
        return self._sources, connections

    def _build(self, result: PollResult) -> LinksysJnapData:
        previous = self.data
        source, connections = self._presence(result, previous)
        devices = self._devices or {}
        changed_ids, self._changed_device_ids = self._changed_device_ids, set()
        if (
            previous is not None
            # Builds below start from the last build: it must be the snapshot in use (a
            # refresh failing after its build would leave them apart).
            and previous is self._built
            and source == previous.presence_sources
            and changed_ids is not None
        ):
            if devices is self._built_devices and connections is previous.connections:
                # Idle poll: same devices, same live connections, so the same views.
                return self._snapshot(
                    result,
                    source,
                    connections,
                    devices=devices,
                    rebuilt=set(),
                    relinked=set(),
                    clients=previous.clients,
                    nodes=previous.nodes,
                    index=previous.client_keys_by_mac,
                    counts=previous.client_counts,
                )
            touched = self._touched(previous, devices, connections, changed_ids)
            if touched is not None:
                return self._build_touched(
                    result,
                    previous,
                    source=source,
                    connections=connections,
                    devices=devices,
                    touched=touched,
                )
        return self._build_all(result, source, connections, devices)

    def _touched(
        self,
        previous: LinksysJnapData,
        devices: Mapping[str, Device],
        connections: Mapping[str, NetworkConnection] | None,
        changed_ids: set[str],
    ) -> set[str] | None:
        """Clients whose device or live connection changed; None: rebuild everything.

        Only changes that keep the set of clients, nodes and MACs qualify (a client
        connecting, leaving, roaming or renamed); anything else is a full build.
        """
        built = self._built_devices
        if (
            built is None
            or self._shared_macs
            or (connections is None) != (previous.connections is None)
        ):
            return None
        for key in changed_ids:
            old, new = built.get(key), devices.get(key)
            if (
                old is None
                or new is None
                or old.macs != new.macs
                or old.is_infrastructure
                or new.is_infrastructure
            ):
                return None
        views = self._views
        touched = {key for key in changed_ids if key in views}  # clients only
        old_connections = previous.connections
        if connections is not None and old_connections is not None:
            index = previous.client_keys_by_mac
            for mac, conn in connections.items():
                if old_connections.get(mac) is not conn and mac in index:
                    touched.add(index[mac])
            for mac in old_connections.keys() - connections.keys():
                if mac in index:
                    touched.add(index[mac])
        return touched

    def _build_touched(
        self,
        result: PollResult,
        previous: LinksysJnapData,
        *,
        source: frozenset[str],
        connections: Mapping[str, NetworkConnection] | None,
        devices: dict[str, Device],
        touched: set[str],
    ) -> LinksysJnapData:
        """Rebuild the views of the touched clients; share everything else."""
        views = self._views  # only builds read it: updated in place
        clients: Mapping[str, ClientInfo] = previous.clients
        changed: dict[str, ClientInfo] = {}
        rebuilt: set[str] = set()
        relinked: set[str] = set()
        replaced: list[ClientInfo] = []
        for key in touched:
            old = views[key]
            device = devices[key]
            live = _live_connection(device, connections, source)
            if old[0] is device and _same_view(old[1], live):
                if old[1] is not live:
                    # Only the link's metrics moved: same view, link listeners only.
                    views[key] = (device, live, source, old[3])
                    relinked.add(key)
                continue
            if not rebuilt:
                clients = changed = dict(clients)
            view = _client_view(device, live, source)
            views[key] = (device, live, source, view)
            changed[key] = view
            rebuilt.add(key)
            replaced.append(old[3])
        return self._snapshot(
            result,
            source,
            connections,
            devices=devices,
            rebuilt=rebuilt,
            relinked=relinked,
            clients=clients,
            nodes=previous.nodes,
            index=previous.client_keys_by_mac,
            counts=previous.client_counts.updated(
                replaced, (clients[key] for key in rebuilt)
            ),
        )

    def _build_all(
        self,
        result: PollResult,
        source: frozenset[str],
        connections: Mapping[str, NetworkConnection] | None,
        devices: dict[str, Device],
    ) -> LinksysJnapData:
        """Build every view, reusing those whose device and connection are the same."""
        clients: dict[str, ClientInfo] = {}
        views: dict[
            str, tuple[Device, NetworkConnection | None, frozenset[str], ClientInfo]
        ] = {}
        previous_views = self._views
        rebuilt: set[str] = set()
        relinked: set[str] = set()
        nodes: dict[str, Device] = {}
        by_mac: dict[str, str] = {}
        shared_macs = False
        for device_id, device in devices.items():
            if device.is_infrastructure:
                nodes[device_id] = device
                continue
            if not device.macs:
                continue
            live = _live_connection(device, connections, source)
            old = previous_views.get(device_id)
            if (
                old is not None
                and old[0] is device
                and old[2] == source
                and _same_view(old[1], live)
            ):
                view = old[3]
                if old[1] is not live:
                    relinked.add(device_id)
            else:
                view = _client_view(device, live, source)
                rebuilt.add(device_id)
            views[device_id] = (device, live, source, view)
            clients[device_id] = view
            for mac in device.macs:
                if by_mac.setdefault(mac, device_id) != device_id:
                    shared_macs = True
        self._shared_macs = shared_macs
        self._views = views
        return self._snapshot(
            result,
            source,
            connections,
            devices=devices,
            rebuilt=rebuilt,
            relinked=relinked,
            clients=clients,
            nodes=nodes,
            index=by_mac,
            counts=ClientCounts.of(clients.values()),
        )

    def _snapshot(
        self,
        result: PollResult,
        source: frozenset[str],
        connections: Mapping[str, NetworkConnection] | None,
        *,
        devices: dict[str, Device],
        rebuilt: set[str],
        relinked: set[str],
        clients: Mapping[str, ClientInfo],
        nodes: Mapping[str, Device],
        index: Mapping[str, str],
        counts: ClientCounts,
    ) -> LinksysJnapData:
        """Snapshot of this build; remember what it was built from."""
        self._built_devices = devices
        self._rebuilt = rebuilt
        self._relinked = relinked
        self._built = LinksysJnapData(
            revision=self._revision,
            clients=clients,
            nodes=nodes,
            client_keys_by_mac=index,
            presence_source=(
                PRESENCE_NETWORK_CONNECTIONS
                if connections is not None
                else PRESENCE_DEVICE_LIST
                if source
                else None
            ),
            presence_sources=source,
            connections=connections,
            wan_status=result.wan_status,
            guest_network=result.guest_network,
            leds=result.leds,
            parental_control=result.parental_control,
            firmware_update=result.firmware_update,
            qos=result.qos,
            failed_parts=frozenset(result.errors),
            client_counts=counts,
        )
        return self._built

    # --- registries -------------------------------------------------------------------------

    def client_device_identifier(self, key: str) -> tuple[str, str]:
        """Device registry identifier of a client."""
        return (DOMAIN, f"{self.serial}_{key}")

    def client_device_info(self, client: ClientInfo) -> DeviceInfo:
        """Device registry info of a client, linked to the router."""
        info = DeviceInfo(
            identifiers={self.client_device_identifier(client.key)},
            connections={(dr.CONNECTION_NETWORK_MAC, mac) for mac in client.macs},
            name=client.name,
            manufacturer=client.manufacturer,
            model=client.model,
        )
        if self.router_device_id is not None:
            info["via_device_id"] = self.router_device_id
        return info

    @callback
    def async_register_client_devices(
        self, data: LinksysJnapData, keys: Iterable[str] | None = None
    ) -> None:
        """Create the devices of new clients, and update renamed ones, before listeners run.

        Home Assistant enables a client's tracker only if a device with its MAC exists
        when the tracker is added; otherwise it enables it later by reloading the entry.
        ``keys`` limits the work to clients whose view changed (None: every client).
        """
        if self.router_device_id is None:
            return  # first refresh: setup calls this again once the router device exists
        for key in data.clients if keys is None else keys:
            if (client := data.clients.get(key)) is not None:
                self._async_register_client_device(client)

    @callback
    def _async_register_client_device(self, client: ClientInfo) -> str:
        """Device id of a client's device; registered when new or its details changed."""
        shown = (client.name, client.manufacturer, client.model, client.macs)
        dev_reg = dr.async_get(self.hass)
        if (known := self._client_devices.get(client.key)) is not None and (
            known[0] == shown
            # Removed by the user: it comes back with the client after a reload.
            or dev_reg.async_get(known[1]) is None
        ):
            return known[1]
        device = dev_reg.async_get_or_create(
            config_entry_id=self.config_entry.entry_id,
            **self.client_device_info(client),
        )
        self._client_devices[client.key] = (shown, device.id)
        return device.id

    @callback
    def client_device_entry(self, client: ClientInfo) -> dr.AnyDeviceEntry | None:
        """Return the client's device, for its entities to attach to without device info.

        Saves Home Assistant a device registry update per entity at every start (five
        entities per client, most of them disabled).
        """
        return dr.async_get(self.hass).async_get(
            self._async_register_client_device(client)
        )

    @callback
    def _async_remove_clients(self, keys: Iterable[str]) -> None:
        """Drop the entities and devices of clients the router deleted."""
        entry_id = self.config_entry.entry_id
        dev_reg = dr.async_get(self.hass)
        ent_reg = er.async_get(self.hass)
        for key in keys:
            _LOGGER.debug("client %s deleted by the router", key)
            prefix = f"{self.serial}_{key}_"
            for entity in er.async_entries_for_config_entry(ent_reg, entry_id):
                if entity.unique_id.startswith(prefix):
                    ent_reg.async_remove(entity.entity_id)
            device = dev_reg.async_get_device_by_identifier(
                self.client_device_identifier(key), entry_id
            )
            if device is not None:
                dev_reg.async_remove_device(device.id)


async def async_router_write[**P](
    coordinator: LinksysJnapCoordinator,
    func: Callable[P, Awaitable[Any]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> None:
    """Run one client write, map its errors to translated messages, then refresh.

    No optimistic state: entities show what the router reports after the write.
    """
    if coordinator.auth_failed:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="auth_failed"
        )
    try:
        await func(*args, **kwargs)
    except JNAPAuthenticationError as err:
        coordinator.auth_failed = True
        coordinator.config_entry.async_start_reauth(coordinator.hass)
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="auth_failed"
        ) from err
    except JNAPNotReadyError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="router_busy"
        ) from err
    except JNAPConnectionError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="cannot_connect"
        ) from err
    except JNAPRuleConflictError as err:
        # Found before anything was sent: the router is as it was.
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="rule_conflict",
            translation_placeholders={"rule": err.rule or ""},
        ) from err
    except JNAPInvalidInputError as err:
        await coordinator.async_refresh()
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="invalid_input",
            translation_placeholders={"error": err.message},
        ) from err
    except JNAPUnsupportedActionError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN, translation_key="unsupported_action"
        ) from err
    except JNAPError as err:
        await coordinator.async_refresh()
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="write_failed",
            translation_placeholders={"error": err.message},
        ) from err
    await coordinator.async_refresh()


@callback
def async_add_client_entities(
    entry: LinksysJnapConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: Callable[[LinksysJnapCoordinator, ClientInfo], Iterable[Entity]],
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
                for entity in factory(coordinator, client):
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
