"""Polling of one router: one JNAP transaction per poll, one frozen snapshot.

The coordinator polls through ``builder.SnapshotBuilder`` (one exchange a poll: the
builder decides how much of the device list to read and returns the snapshot with what
changed), acts on the poll's checks, keeps the registry in step (``devices``) and fans
updates out to the entities that need them (``listeners``). Presence timing is
``presence.PresenceTiming``'s, errors are mapped by ``errors``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .builder import BuildResult, SnapshotBuilder
from .const import DOMAIN, FAST_POLL_LIMIT, FAST_SCAN_INTERVAL, SCAN_INTERVAL
from .devices import ClientDevices
from .errors import poll_error
from .jnap import (
    DeviceInfo as RouterInfo,
    JNAPAbortedError,
    JNAPAuthenticationError,
    JNAPClient,
    JNAPError,
    PollResult,
)
from .jnap.poll import ON_REQUEST_PARTS, PART_ADMIN_PASSWORD_DEFAULT, PART_DEVICE_INFO
from .jnap.presence import is_mesh_node
from .listeners import ClientListeners
from .presence import PresenceTiming
from .snapshot import RouterSnapshot

if TYPE_CHECKING:
    from .plans import EntryPlans

_LOGGER = logging.getLogger(__name__)
FORGOTTEN_ON_A_MESH = timedelta(days=30)
"""A mesh's device list omits offline guests: their devices go only after this unseen."""

type LinksysJnapConfigEntry = ConfigEntry[LinksysJnapRuntimeData]


@dataclass(slots=True)
class LinksysJnapRuntimeData:
    """What a loaded config entry holds (``entry.runtime_data``)."""

    api: JNAPClient
    """The router's JNAP API."""
    coordinator: LinksysJnapCoordinator
    device_info: DeviceInfo
    """Device registry info of the router (entities of the router use it)."""
    plans: EntryPlans
    """The guest Wi-Fi deadline and the clients' internet schedules."""


def _busy(data: RouterSnapshot) -> bool:
    """Whether the router is doing something worth watching closely (fast polling)."""
    status = data.firmware_update
    return (
        (status is not None and status.is_update_in_progress)
        or (data.speed_test is not None and data.speed_test.running)
        or (data.wps is not None and data.wps.in_progress)
        # A renewed lease or redialled PPP link is coming back (the WAN reconnect button).
        or (data.wan_status is not None and data.wan_status.wan_status == "Connecting")
    )


class LinksysJnapCoordinator(DataUpdateCoordinator[RouterSnapshot]):
    """Polls one router (``JNAPClient.poll``: one HTTP round trip) and tracks last seen."""

    config_entry: LinksysJnapConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: LinksysJnapConfigEntry,
        api: JNAPClient,
        router: RouterInfo,
    ) -> None:
        """Set up for a router whose capabilities were read (``read_router_info``)."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=entry.title or DOMAIN,
            update_interval=SCAN_INTERVAL,
            always_update=False,
        )
        assert router.serial_number is not None
        self.api = api
        self.router = router
        """``core/GetDeviceInfo`` read at setup (model, firmware, services)."""
        self.serial: str = router.serial_number
        self.devices = ClientDevices(hass, entry.entry_id, self.serial)
        self.auth_failed = False
        """Set on an authentication error: the password is not sent again until reauth."""
        self.actions: Mapping[str, str] = {}
        """Poll part -> action version the last poll used (diagnostics)."""
        self.presence = PresenceTiming(hass, entry)
        """Last seen, consider_home: whether a client is home (kept across restarts)."""
        self.builder = SnapshotBuilder(seen=self.presence.last_seen)
        # Renames and deletions (services, device removal) make the next device read whole.
        api.before_call = self.builder.device_list.note_call
        self._failing_parts: set[str] = set()
        """Poll parts that failed last time (warned about once)."""
        self._listeners_by_client = ClientListeners()
        self._notify_only: BuildResult | None = None
        """A poll that changed some clients only: their listeners are enough."""
        self._notified_success = True
        self._complete = False
        """The next poll is the refresh after a write: aborted parts are asked again."""
        self._due: set[str] = set()
        """On-request poll parts the next poll carries (``ON_REQUEST_PARTS``)."""
        self.on_admin_password_default: Callable[[bool | None], None] | None = None
        """Called with the answer of a factory-password check (``repairs``)."""

    async def _async_setup(self) -> None:
        """Load last-seen times saved before a restart."""
        await self.presence.async_load()

    # --- polling ---------------------------------------------------------------------------

    async def _async_update_data(self) -> RouterSnapshot:
        if self.auth_failed:
            # Never send the password again before the user answers reauth.
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="auth_failed"
            )
        previous = self.data
        try:
            built = await self.builder.poll(
                self._async_fetch, previous, dt_util.utcnow()
            )
        except JNAPError as err:
            if isinstance(err, JNAPAuthenticationError):
                self.auth_failed = True
            else:
                # Back from an outage the router may run a new firmware.
                self._due.add(PART_DEVICE_INFO)
            raise poll_error(err) from err
        result, data = built.poll, built.snapshot
        self._absorb_checks(result)
        self._log_part_changes(result)
        self.actions = {
            part: action
            for part, action in result.actions.items()
            if part not in ON_REQUEST_PARTS
        }
        if built.removed:
            self.devices.async_remove(built.removed)
        # Only rebuilt views can bring a new client or a renamed one.
        self.devices.async_register(data.clients, built.rebuilt)
        if previous is None or previous.nodes != data.nodes:
            self.devices.async_register_nodes(data.mesh_nodes())
        self.presence.async_seen(data.clients, built.removed)
        self._notify_only = None
        if previous is not None and previous.same_router_parts(data):
            self._notify_only = built
        return data

    async def _async_fetch(self, since_revision: int | None) -> PollResult:
        """One transaction: the device list from ``since_revision``, the checks due."""
        complete, self._complete = self._complete, False
        return await self.api.poll(
            since_revision=since_revision, also=frozenset(self._due), complete=complete
        )

    @callback
    def async_remove_forgotten(self) -> None:
        """At setup: drop devices of clients the router forgot while we were not running.

        The first poll reads the whole device list, the router's truth. On a mesh its
        devicedb also leaves out offline guests (docs/firmware-facts.md, "Device list"), so
        there a device goes only once unseen for ``FORGOTTEN_ON_A_MESH``.
        """
        data = self.data
        mesh = any(is_mesh_node(device) for device in data.nodes.values())
        now = dt_util.utcnow()
        gone = [
            key
            for key in self.devices.async_registered_keys()
            if key not in data.clients
            and key not in data.nodes
            and not (
                mesh
                and (seen := self.presence.last_seen.get(key)) is not None
                and now - seen < FORGOTTEN_ON_A_MESH
            )
        ]
        if gone:
            self.devices.async_remove(gone)
            self.presence.forget(gone)

    async def async_refresh_after_write(self) -> None:
        """Refresh now, every part read from the router (a user action may cost more)."""
        self._complete = True
        await self.async_refresh()

    @callback
    def async_password_refused(self) -> None:
        """Send the password no more and ask the user for it (reauth).

        The router throttles and locks an account that keeps sending a wrong one.
        """
        self.auth_failed = True
        self.config_entry.async_start_reauth(self.hass)

    @callback
    def async_request_check(self, part: str) -> None:
        """Carry an on-request part (``ON_REQUEST_PARTS``) in the next poll."""
        self._due.add(part)

    def _absorb_checks(self, result: PollResult) -> None:
        """Act on the on-request parts this poll carried; each is asked once."""
        # A check another part's failure aborted stays due; any other answer settles it.
        asked = {
            part
            for part in self._due
            if part in result.actions
            or (
                part in result.errors
                and not isinstance(result.errors[part], JNAPAbortedError)
            )
        }
        self._due -= asked
        for part in asked & result.errors.keys():
            _LOGGER.debug("%s: %s", part, result.errors[part])
        if PART_ADMIN_PASSWORD_DEFAULT in result.actions and (
            report := self.on_admin_password_default
        ):
            report(result.admin_password_default)
        info = result.device_info
        if info is not None and info.firmware_version != self.router.firmware_version:
            # New firmware can add or remove actions: entities are rebuilt from fresh
            # capabilities (and the device registry gets the new version).
            _LOGGER.info(
                "Router firmware changed from %s to %s; reloading",
                self.router.firmware_version,
                info.firmware_version,
            )
            self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)

    def _log_part_changes(self, result: PollResult) -> None:
        """Warn once when a part starts failing or the router drops its action.

        The poll as a whole succeeded, so the coordinator logs nothing itself; the
        entities of such a part go unavailable and the log should say why, once.
        """
        # An aborted part did not fail: another part's refusal stopped it, and it is asked
        # again next poll.
        errors = {
            part: err
            for part, err in result.errors.items()
            if part not in ON_REQUEST_PARTS and not isinstance(err, JNAPAbortedError)
        }
        for part, err in errors.items():
            if part not in self._failing_parts:
                _LOGGER.warning("Reading %s from %s failed: %s", part, self.name, err)
        for part in self._failing_parts - errors.keys():
            if part in result.actions:
                _LOGGER.info("Reading %s from %s recovered", part, self.name)
        self._failing_parts = set(errors)
        for part, action in self.actions.items():
            if part not in result.actions and part not in result.errors:
                _LOGGER.warning(
                    "%s no longer supports %s (firmware changed?); its entities are"
                    " unavailable until the integration is reloaded",
                    self.name,
                    action,
                )

    # --- fast polling while the router is busy ---------------------------------------------

    @callback
    def async_poll_fast(self, *, expect_outage: bool) -> CALLBACK_TYPE:
        """Poll every FAST_SCAN_INTERVAL until the router is back and idle.

        Call it before the write so the refresh after the write already uses the short
        interval. With ``expect_outage`` (reboot, firmware install) the normal interval
        returns only after the router went away and answered again. Returns a callback that
        ends the fast polling now (e.g. when the write failed).
        """
        self.update_interval = FAST_SCAN_INTERVAL
        saw_outage = not expect_outage
        unsubs: list[CALLBACK_TYPE] = []

        @callback
        def _done(*_: Any) -> None:
            if not unsubs:
                return
            for unsub in unsubs:
                unsub()
            unsubs.clear()
            self.update_interval = SCAN_INTERVAL

        @callback
        def _check() -> None:
            nonlocal saw_outage
            if not self.last_update_success:
                saw_outage = True
                return
            if saw_outage and not _busy(self.data):
                _done()

        unsubs.append(self.async_add_listener(_check))
        unsubs.append(async_call_later(self.hass, FAST_POLL_LIMIT, _done))
        self.config_entry.async_on_unload(_done)
        return _done

    # --- listener fan-out ------------------------------------------------------------------

    @callback
    def async_update_listeners(self) -> None:
        """Update listeners; after a poll that changed only some clients, only theirs.

        Entities added by ``entity.async_add_entities_for`` listen with a
        ``ClientContext`` and are skipped while their client's view and every router-level
        part are unchanged. Errors, recoveries and router-level changes reach every
        listener.
        """
        only, self._notify_only = self._notify_only, None
        success = self.last_update_success
        if (
            only is None
            or only.snapshot is not self.data
            or not success
            or not self._notified_success
        ):
            self._notified_success = success
            super().async_update_listeners()
            return
        self._listeners_by_client.run(
            only.rebuilt, only.relinked, self.logger, self.name
        )

    @callback
    def async_add_listener(
        self, update_callback: CALLBACK_TYPE, context: Any = None
    ) -> Callable[[], None]:
        """Listen for data updates (also in the registry that groups them by client)."""
        remove_grouped = self._listeners_by_client.add(update_callback, context)
        remove = super().async_add_listener(update_callback, context)

        @callback
        def _remove() -> None:
            remove_grouped()
            remove()

        return _remove
