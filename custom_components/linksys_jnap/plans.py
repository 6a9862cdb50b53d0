"""What the integration keeps for an entry across restarts besides presence.

- The visitor Wi-Fi deadline: ``linksys_jnap.set_guest_wifi`` with a ``duration`` turns the
  guest network off at a time that survives a restart of Home Assistant.
- Internet schedules per client: ``set_internet_schedule`` writes a weekly rule of ours to the
  router; the schedule is kept here too, because the Internet access switch replaces that rule
  with a block (the firmware lets a MAC be in one rule only) and puts it back when turned on.
- MACs lent out of the user's own rules by "block now" (``LentRule``): kept before the write,
  so unblocking after a failure or a restart puts them back exactly; MACs whose rule the user
  changed or deleted meanwhile are listed until they are in a rule of the user's again (a
  repair issue each).

The router stays the truth: a guest network turned off elsewhere drops the deadline, and a
schedule rule removed elsewhere (while the client is not blocked) drops the schedule.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
import logging
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .entity import async_router_write
from .jnap import (
    JNAPProtocolError,
    LentRule,
    WANSchedule,
    device_schedule,
    is_device_internet_blocked,
)
from .jnap.models import as_list, as_mapping
from .jnap.parental import is_our_rule
from .presence import WakeUp
from .repairs import async_clear_rule_not_restored, async_raise_rule_not_restored
from .snapshot import ClientView, RouterSnapshot

if TYPE_CHECKING:
    from .coordinator import LinksysJnapCoordinator

_LOGGER = logging.getLogger(__name__)
PLANS_STORAGE_VERSION: Final = 1
RETRY_GUEST_OFF: Final = timedelta(minutes=1)
"""How soon a guest network that could not be turned off at its deadline is tried again."""


def plans_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, Any]]:
    """Where an entry's plans are kept across restarts."""
    return Store(hass, PLANS_STORAGE_VERSION, f"{DOMAIN}.{entry_id}.plans")


class EntryPlans:
    """The guest Wi-Fi deadline and the clients' internet schedules of one entry."""

    def __init__(
        self, hass: HomeAssistant, coordinator: LinksysJnapCoordinator
    ) -> None:
        """Empty until ``async_load``."""
        self._hass = hass
        self._coordinator = coordinator
        self._store = plans_store(hass, coordinator.config_entry.entry_id)
        self.guest_until: datetime | None = None
        """When the guest network turns itself off (None: it stays as it is)."""
        self.schedules: dict[str, WANSchedule] = {}
        """Client key -> its weekly internet schedule."""
        self.lent: tuple[LentRule, ...] = ()
        """The user's rules whose MACs a block now holds."""
        self.not_restored: dict[str, list[str]] = {}
        """The user's rule -> MACs unblocking could not put back into it."""
        # One block or unblock at a time: each starts from the loans the last one left.
        self._lending = asyncio.Lock()
        self._wake = WakeUp(hass, self._async_check_guest)
        self._turning_off = False

    async def async_load(self) -> None:
        """Read what was kept; a deadline that passed meanwhile is acted on at once."""
        stored = await self._store.async_load() or {}
        until = stored.get("guest_until")
        self.guest_until = dt_util.parse_datetime(until) if until else None
        for key, days in (stored.get("schedules") or {}).items():
            try:
                self.schedules[key] = WANSchedule.from_json(days)
            except JNAPProtocolError:
                continue  # not a schedule: dropped
        lent: list[LentRule] = []
        for data in as_list(stored.get("lent_rules")):
            try:
                lent.append(LentRule.from_json(data))
            except ValueError:
                continue
        self.lent = tuple(lent)
        self.not_restored = {
            str(rule): [str(mac) for mac in as_list(macs)]
            for rule, macs in as_mapping(stored.get("not_restored")).items()
        }
        self._wake.at(self.guest_until)

    @callback
    def async_start(self) -> None:
        """Follow the snapshots (call once the first refresh is in)."""
        self._coordinator.config_entry.async_on_unload(
            self._coordinator.async_add_listener(self._async_follow)
        )
        entry = self._coordinator.config_entry
        entry.async_on_unload(self._wake.cancel)
        for rule, macs in self.not_restored.items():
            async_raise_rule_not_restored(self._hass, entry, rule, macs)
        entry.async_on_unload(self._async_drop_issues)
        self._async_follow()

    def _save(self) -> None:
        self._store.async_delay_save(self._stored, 1)

    async def async_save(self) -> None:
        """Write now (the entry unloads: a reload must find the deadline)."""
        await self._store.async_save(self._stored())

    def _stored(self) -> dict[str, Any]:
        return {
            "guest_until": self.guest_until.isoformat() if self.guest_until else None,
            "schedules": {key: s.to_json() for key, s in self.schedules.items()},
            "lent_rules": [loan.to_json() for loan in self.lent],
            "not_restored": self.not_restored,
        }

    # --- visitor Wi-Fi ---------------------------------------------------------------------

    @callback
    def async_set_guest_deadline(self, until: datetime | None) -> None:
        """Turn the guest network off at ``until`` (None: never)."""
        if until == self.guest_until:
            return
        self.guest_until = until
        self._wake.at(until)
        self._save()
        self._coordinator.async_update_listeners()

    @callback
    def _async_check_guest(self) -> None:
        guest = self._coordinator.data.guest_network
        until = self.guest_until
        if until is None or guest is None or self._turning_off:
            return
        if not guest.is_enabled:
            self.async_set_guest_deadline(None)
        elif until <= dt_util.utcnow():
            self._turning_off = True
            self._coordinator.config_entry.async_create_background_task(
                self._hass, self._async_guest_off(), "linksys_jnap guest wifi off"
            )

    async def _async_guest_off(self) -> None:
        api = self._coordinator.api
        try:
            await async_router_write(
                self._coordinator, api.set_guest_network_enabled, False
            )
        except HomeAssistantError as err:
            # Kept: tried again in a minute, or at the next poll that succeeds.
            _LOGGER.warning("Could not turn the guest Wi-Fi off on time: %s", err)
            self._wake.at(dt_util.utcnow() + RETRY_GUEST_OFF)
            return
        finally:
            self._turning_off = False
        self._async_check_guest()  # the snapshot shows it off: the deadline goes

    # --- internet schedules ----------------------------------------------------------------

    @callback
    def async_set_schedule(self, client_key: str, schedule: WANSchedule | None) -> None:
        """Keep (or forget, None) a client's schedule."""
        if schedule is None:
            if self.schedules.pop(client_key, None) is None:
                return
        else:
            self.schedules[client_key] = schedule
        self._save()
        self._coordinator.async_update_listeners()  # the switch shows the schedule

    @callback
    def _async_forget_removed_schedules(self, data: RouterSnapshot) -> None:
        """Drop schedules whose client or rule is gone from the router."""
        rules = data.parental_control
        if rules is None or not self.schedules:
            return
        gone = [
            key
            for key in self.schedules
            if (client := data.clients.get(key)) is None
            or (
                device_schedule(rules, client.macs) is None
                and not is_device_internet_blocked(rules, client.macs)
            )
        ]
        for key in gone:
            self.async_set_schedule(key, None)

    # --- block now --------------------------------------------------------------------------

    async def async_block_now(self, client: ClientView) -> None:
        """Block a client now; MACs lent out of a user's rule are kept before the write."""
        async with self._lending:
            self.lent = await self._coordinator.api.block_device_internet(
                client.macs,
                label=client.name,
                lent=self.lent,
                remember=self._async_keep,
            )
        self._save()

    async def _async_keep(self, lent: tuple[LentRule, ...]) -> None:
        self.lent = lent
        await self.async_save()

    async def async_unblock(self, client: ClientView) -> None:
        """End a client's block: lent MACs go back, its schedule returns.

        Kept only after the write succeeds: until then the loans still describe the router.
        """
        async with self._lending:
            self.lent, missing = await self._coordinator.api.unblock_device_internet(
                client.macs,
                label=client.name,
                lent=self.lent,
                schedule_after=self.schedules.get(client.key),
            )
        entry = self._coordinator.config_entry
        for item in missing:
            macs = sorted({*self.not_restored.get(item.description, ()), *item.macs})
            self.not_restored[item.description] = macs
            async_raise_rule_not_restored(self._hass, entry, item.description, macs)
        await self.async_save()

    @callback
    def _async_forget_put_back(self, data: RouterSnapshot) -> None:
        """Drop the issues whose MACs are all in rules of the user's again."""
        rules = data.parental_control
        if rules is None or not self.not_restored:
            return
        listed = {m for r in rules.rules if not is_our_rule(r) for m in r.mac_addresses}
        for rule in [r for r, macs in self.not_restored.items() if set(macs) <= listed]:
            del self.not_restored[rule]
            async_clear_rule_not_restored(
                self._hass, self._coordinator.config_entry, rule
            )
            self._save()

    @callback
    def _async_drop_issues(self) -> None:
        for rule in self.not_restored:
            async_clear_rule_not_restored(
                self._hass, self._coordinator.config_entry, rule
            )

    @callback
    def _async_follow(self) -> None:
        if not self._coordinator.last_update_success:
            return
        self._async_check_guest()
        self._async_forget_removed_schedules(self._coordinator.data)
        self._async_forget_put_back(self._coordinator.data)
