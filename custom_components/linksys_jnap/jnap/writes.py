"""``Writes``: the client's writes, serialised, each a read-modify-write where it can be.

A Set replaces a whole settings object, so every write first reads the current one and
sends it back with only its own change (the rules are in ``guest``, ``parental``, ``qos``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import actions as act, firewall, parental, qos, radio
from .actions import get_spec
from .core import ClientCore
from .errors import (
    ERROR_INVALID_WAN_TYPE,
    WPS_NOT_AVAILABLE,
    JNAPActionError,
    JNAPPreconditionError,
)
from .guest import guest_set_body
from .models import USER_DEVICE_NAME, WANSchedule, as_bool, as_int, as_mapping, pick
from .transaction import Call

# The official app's night hours (node_light_settings.dart), for a Get without hours.
NIGHT_MODE_START = 20
NIGHT_MODE_END = 8
# firmwareupdate.lua setUpdatePolicy: a third, AutomaticallyCheck, only checks.
AUTO_INSTALL = "AutomaticallyCheckAndInstall"
MANUAL_UPDATES = "Manual"

ERROR_UNKNOWN_DEVICE = "ErrorUnknownDevice"
ERROR_CANNOT_DELETE_DEVICE = "ErrorCannotDeleteDevice"


@dataclass(slots=True)
class DeviceDeletions:
    """What ``delete_devices`` did so far (kept when a later deletion raises)."""

    deleted: list[str] = field(default_factory=list)
    """Deleted, or already gone (``ErrorUnknownDevice``)."""
    refused: dict[str, str] = field(default_factory=dict)
    """``deviceID`` -> the firmware's refusal (``ErrorCannotDeleteDevice``)."""


# router.lua: RenewDHCPWANLease serves DHCP only, Connect/DisconnectPPPWAN these types only.
DHCP_WAN_TYPE = "DHCP"
PPP_WAN_TYPES = frozenset({"PPPoE", "PPTP", "L2TP"})


def wan_reconnect_actions(wan_type: str | None) -> tuple[str, ...]:
    """Return what reconnects a WAN of this type, in order (empty: nothing can)."""
    if wan_type == DHCP_WAN_TYPE:
        return (act.RENEW_DHCP_WAN_LEASE,)
    if wan_type in PPP_WAN_TYPES:
        return (act.DISCONNECT_PPP_WAN, act.CONNECT_PPP_WAN)
    return ()


def _update_settings_input(current: Mapping[str, Any]) -> dict[str, Any]:
    """``SetFirmwareUpdateSettings`` input as the Get gave it: the policy and its window."""
    body = pick(current, ("updatePolicy", "autoUpdateWindow"), "firmware")
    body["autoUpdateWindow"] = pick(
        as_mapping(body["autoUpdateWindow"]),
        ("startMinute", "durationMinutes"),
        "firmware",
    )
    return body


class Writes(ClientCore):
    """The writes of ``JNAPClient``; one at a time (``_write_lock``)."""

    async def set_guest_network_enabled(
        self, enabled: bool, *, passphrase: str | None = None
    ) -> None:
        """Turn the guest network on/off, keeping every radio, SSID and passphrase.

        ``passphrase`` replaces the guest password of every radio in the same Set (checked
        against the mode's rule before anything is sent).
        """
        async with self._write_lock:
            get_action = await self._best(act.GET_GUEST_RADIO_SETTINGS)
            version = get_spec(get_action).version
            set_action = act.SET_GUEST_RADIO_SETTINGS + ("2" if version >= 2 else "")
            current = await self.call_action(get_action)
            body = guest_set_body(
                current,
                version=version,
                enabled=enabled,
                source=get_action,
                passphrase=passphrase,
            )
            await self.call_action(set_action, body)

    async def set_leds_enabled(self, enabled: bool) -> None:
        """Turn the switch-port LEDs on/off."""
        async with self._write_lock:
            current = await self.call_action(act.GET_ROUTER_LED_SETTINGS)
            body = pick(
                current, ("isSwitchportLEDEnabled",), act.GET_ROUTER_LED_SETTINGS
            )
            body["isSwitchportLEDEnabled"] = enabled
            await self.call_action(act.SET_ROUTER_LED_SETTINGS, body)

    async def set_led_night_mode(self, enabled: bool) -> None:
        """Turn the LED night mode on (the router's hours, else the app's 20-8) or off."""
        async with self._write_lock:
            current = await self.call_action(act.GET_LED_NIGHT_MODE)
            body: dict[str, Any] = {"Enable": enabled}
            if enabled:
                start, end = current.get("StartingTime"), current.get("EndingTime")
                both = isinstance(start, int) and isinstance(end, int)
                # The Set needs both hours when enabling; a disabled Get may omit them.
                body["StartingTime"] = start if both else NIGHT_MODE_START
                body["EndingTime"] = end if both else NIGHT_MODE_END
            await self.call_action(await self._best(act.SET_LED_NIGHT_MODE), body)

    async def set_parental_control_enabled(self, enabled: bool) -> None:
        """Turn parental control on/off, keeping every rule."""
        async with self._write_lock:
            current = await self.call_action(act.GET_PARENTAL_CONTROL_SETTINGS)
            body = parental.settings_input(current)
            body["isParentalControlEnabled"] = enabled
            await self.call_action(act.SET_PARENTAL_CONTROL_SETTINGS, body)

    async def block_device_internet(
        self,
        macs: Iterable[str],
        *,
        label: str,
        lent: Iterable[parental.LentRule] = (),
        remember: Callable[[tuple[parental.LentRule, ...]], Awaitable[None]]
        | None = None,
    ) -> tuple[parental.LentRule, ...]:
        """Block a device's internet access now (``parental.block_now_body``).

        MACs a user's rule lists are lent from it to our block rule (``"HA block <label>"``);
        ``remember`` gets the loans before anything is sent, so they outlive a failure or a
        restart. Returns the loans (unchanged when the device was blocked already).
        """
        macs = list(macs)
        async with self._write_lock:
            current = await self.call_action(act.GET_PARENTAL_CONTROL_SETTINGS)
            body, loans = parental.block_now_body(current, macs, label=label, lent=lent)
            if body is not None:
                if remember is not None:
                    await remember(loans)
                await self.call_action(act.SET_PARENTAL_CONTROL_SETTINGS, body)
            return loans

    async def unblock_device_internet(
        self,
        macs: Iterable[str],
        *,
        label: str,
        lent: Iterable[parental.LentRule] = (),
        schedule_after: WANSchedule | None = None,
    ) -> tuple[tuple[parental.LentRule, ...], tuple[parental.NotRestored, ...]]:
        """End a device's block (``parental.unblock_now_body``): lent MACs go back.

        Returns the loans left and the MACs whose rule the user changed or deleted (left
        out of every rule). A user's rule that blocks the device around the clock raises
        ``JNAPRuleConflictError`` before anything is sent.
        """
        macs = list(macs)
        async with self._write_lock:
            current = await self.call_action(act.GET_PARENTAL_CONTROL_SETTINGS)
            body, loans, missing = parental.unblock_now_body(
                current, macs, label=label, lent=lent, schedule_after=schedule_after
            )
            if body is not None:
                await self.call_action(act.SET_PARENTAL_CONTROL_SETTINGS, body)
            return loans, missing

    async def set_device_internet_schedule(
        self, macs: Iterable[str], schedule: WANSchedule | None, *, label: str
    ) -> None:
        """Give a device a weekly internet schedule of ours (``"HA schedule <label>"``).

        None removes the device's rules of ours; a schedule blocked all week is a block.
        Parental control is turned on with a schedule (rules act only while it is on).
        """
        macs = list(macs)
        async with self._write_lock:
            current = await self.call_action(act.GET_PARENTAL_CONTROL_SETTINGS)
            body = parental.device_rule_body(current, macs, schedule, label=label)
            if body is not None:
                await self.call_action(act.SET_PARENTAL_CONTROL_SETTINGS, body)

    async def set_device_qos_priority(
        self, macs: Iterable[str], prioritized: bool, *, label: str
    ) -> None:
        """Give a device high QoS priority or take it away (``qos.priority_body``)."""
        macs = list(macs)
        async with self._write_lock:
            current = await self.call_action(act.GET_QOS_SETTINGS)
            body = qos.priority_body(current, macs, prioritized, label=label)
            if body is not None:
                await self.call_action(act.SET_QOS_SETTINGS, body)

    async def set_port_rule_enabled(self, kind: str, key: str, enabled: bool) -> None:
        """Turn one port forwarding or triggering rule on/off (``firewall.toggle_body``)."""
        async with self._write_lock:
            current = await self.call_action(firewall.GET_ACTIONS[kind])
            body = firewall.toggle_body(current, kind, key, enabled)
            if body is not None:
                await self.call_action(firewall.SET_ACTIONS[kind], body)

    async def add_port_forward(self, rule: firewall.NewForward) -> None:
        """Add a forwarding rule, refused before sending as the firmware would refuse it.

        The LAN and both forwarding lists are read in one POST (the firmware checks a
        rule against single-port and range rules alike).
        """
        async with self._write_lock:
            results = await self.transaction(
                [
                    Call(act.GET_LAN_SETTINGS),
                    Call(act.GET_SINGLE_PORT_FORWARDING),
                    Call(act.GET_PORT_RANGE_FORWARDING),
                ]
            )
            lan, single, ranges = (r.raise_for_error() for r in results)
            body = firewall.add_forward_body(rule, single, ranges, lan)
            await self.call_action(firewall.SET_ACTIONS[rule.kind], body)

    async def set_device_properties(
        self,
        device_id: str,
        modify: Mapping[str, str] | None = None,
        remove: Sequence[str] = (),
    ) -> None:
        """``devicelist/SetDeviceProperties`` (properties not named are kept by the router)."""
        body: dict[str, Any] = {
            "deviceID": device_id,
            "propertiesToModify": [
                {"name": name, "value": value} for name, value in (modify or {}).items()
            ],
        }
        if remove:
            body["propertiesToRemove"] = list(remove)
        async with self._write_lock:
            await self.call_action(act.SET_DEVICE_PROPERTIES, body)

    async def delete_device(self, device_id: str) -> None:
        """``devicelist/DeleteDevice``."""
        async with self._write_lock:
            await self.call_action(act.DELETE_DEVICE, {"deviceID": device_id})

    async def set_device_name(self, device_id: str, name: str) -> None:
        """Write the name the Linksys app shows (``userDeviceName``); "" removes it.

        ``name`` must already be what the firmware takes (``text.device_name``); without
        it the device list falls back to the device's own name.
        """
        if name:
            await self.set_device_properties(device_id, {USER_DEVICE_NAME: name})
        else:
            await self.set_device_properties(device_id, remove=[USER_DEVICE_NAME])

    async def delete_devices(
        self, device_ids: Iterable[str], done: DeviceDeletions
    ) -> None:
        """Delete devices one request at a time (never batched: one refusal stays local).

        A device the firmware won't delete (the authority, one it holds online or, on
        topodb, with a connection left in its record) lands in ``done.refused`` and the
        rest go on; any other error raises with ``done`` holding what was deleted.
        """
        for device_id in device_ids:
            try:
                await self.delete_device(device_id)
            except JNAPActionError as err:
                if err.code == ERROR_UNKNOWN_DEVICE:
                    done.deleted.append(device_id)
                elif err.code == ERROR_CANNOT_DELETE_DEVICE:
                    done.refused[device_id] = err.code
                else:
                    raise
            else:
                done.deleted.append(device_id)

    async def set_radio_enabled(self, radio_id: str, enabled: bool) -> None:
        """Turn one main Wi-Fi radio on/off (``SetRadioSettings3``), keeping all else.

        Refused before sending (``JNAPPreconditionError``) while band steering joins the
        radio to others (``radio.radio_enabled_body``).
        """
        async with self._write_lock:
            get_action = await self._resolve(act.GET_RADIO_INFO, 3)
            current = await self.call_action(get_action)
            body = radio.radio_enabled_body(
                current, radio_id, enabled, source=get_action
            )
            if body is not None:
                await self.call_action(radio.SET_RADIO_SETTINGS3, body)

    async def set_wireless_scheduler(
        self,
        *,
        enabled: bool | None = None,
        schedule: WANSchedule | None = None,
        radios: Iterable[str] | None = None,
    ) -> None:
        """Set the Wi-Fi schedule: on/off, the week (``1`` Wi-Fi on) and its radios.

        What is left None stays as the router has it (``radio.scheduler_body``).
        """
        radio_ids = None if radios is None else list(radios)
        async with self._write_lock:
            current = await self.call_action(act.GET_WIRELESS_SCHEDULER_SETTINGS)
            body = radio.scheduler_body(
                current,
                enabled=enabled,
                schedule=schedule,
                radios=radio_ids,
                source=act.GET_WIRELESS_SCHEDULER_SETTINGS,
            )
            as_read = radio.scheduler_body(
                current, source=act.GET_WIRELESS_SCHEDULER_SETTINGS
            )
            if body != as_read:
                await self.call_action(act.SET_WIRELESS_SCHEDULER_SETTINGS, body)

    async def run_speed_test(self) -> int | None:
        """Start a speed test (``RunHealthCheck``); return its result id.

        While one runs the router answers ``ErrorHealthCheckAlreadyRunning``.
        """
        async with self._write_lock:
            output = await self.call_action(
                act.RUN_HEALTH_CHECK, {"runHealthCheckModule": "SpeedTest"}
            )
        return as_int(output.get("resultID"))

    async def set_wps_enabled(self, enabled: bool) -> None:
        """Turn WPS on/off (``SetWPSServerSettings{enabled}``, its only member)."""
        async with self._write_lock:
            current = await self.call_action(act.GET_WPS_SETTINGS)
            body = pick(current, ("enabled",), act.GET_WPS_SETTINGS)
            body["enabled"] = enabled
            await self.call_action(act.SET_WPS_SETTINGS, body)

    async def start_wps_session(self) -> None:
        """Open WPS push-button pairing (``StartWPSServerSession``).

        The firmware starts a session even where WPS can't work (MAC filtering, WEP/WPA/WPA3
        radios), so ``IsWPSServerAvailable`` is asked first: ``JNAPPreconditionError`` when
        it says no. WPS turned off answers ``ErrorWPSServerNotEnabled``.
        """
        async with self._write_lock:
            answer = await self.call_action(act.IS_WPS_AVAILABLE)
            if as_bool(answer.get("available")) is False:
                raise JNAPPreconditionError(
                    f"{act.START_WPS_SESSION}: WPS is not available with the current"
                    " Wi-Fi security or MAC filter",
                    action=act.START_WPS_SESSION,
                    code=WPS_NOT_AVAILABLE,
                )
            await self.call_action(act.START_WPS_SESSION)

    async def reboot(self) -> None:
        """``core/Reboot``: the router goes away for a minute or more."""
        async with self._write_lock:
            await self.call_action(act.REBOOT)

    async def reboot_node(self, device_id: str) -> None:
        """``core/Reboot2``: restart one mesh satellite by its ``deviceID``.

        Only for satellites: the primary is restarted with ``reboot`` (the official app
        does the same; what Reboot2 does with the primary's ID is unverified).
        """
        async with self._write_lock:
            await self.call_action(act.REBOOT_NODE, {"deviceUUID": device_id})

    async def reconnect_wan(self, wan_type: str | None) -> None:
        """Renew the DHCP lease, or drop and redial a PPP link, as ``wan_type`` needs.

        Each step is its own POST: the redial must follow a disconnect that took effect
        (whether one transaction would do is unverified). Other types (Static, Bridge...)
        raise ``JNAPPreconditionError`` without sending, as the firmware would refuse them.
        """
        steps = wan_reconnect_actions(wan_type)
        if not steps:
            raise JNAPPreconditionError(
                f"A {wan_type or 'unknown'} WAN has nothing to reconnect",
                action=act.RENEW_DHCP_WAN_LEASE,
                code=ERROR_INVALID_WAN_TYPE,
            )
        async with self._write_lock:
            for step in steps:
                await self.call_action(step)

    async def start_node_blink(self, device_id: str) -> None:
        """``nodes/setup/StartBlinkingNodeLed``: blink one node's light (its ``deviceID``)."""
        async with self._write_lock:
            await self.call_action(act.START_BLINKING_NODE_LED, {"deviceID": device_id})

    async def stop_node_blink(self) -> None:
        """``nodes/setup/StopBlinkingNodeLed`` (no input: whichever node blinks stops)."""
        async with self._write_lock:
            await self.call_action(act.STOP_BLINKING_NODE_LED)

    async def update_mesh_firmware(self) -> None:
        """``nodes/firmwareupdate/UpdateFirmwareNow``: every node that has an update.

        The firmware runs the same install as the router's action: the whole mesh updates.
        """
        async with self._write_lock:
            await self.call_action(act.UPDATE_NODES_FIRMWARE_NOW, {"onlyCheck": False})

    async def update_firmware(self) -> None:
        """Download and install an available firmware now (the router reboots after)."""
        async with self._write_lock:
            await self.call_action(act.UPDATE_FIRMWARE_NOW, {"onlyCheck": False})

    async def check_for_firmware_update(self) -> None:
        """Ask the router to check for a new firmware (result in the firmware status)."""
        async with self._write_lock:
            await self.call_action(act.UPDATE_FIRMWARE_NOW, {"onlyCheck": True})

    async def set_firmware_update_settings(
        self,
        policy: str | None = None,
        start_minute: int | None = None,
        duration_minutes: int | None = None,
    ) -> None:
        """Set ``updatePolicy`` and its window (firmwareupdate.lua: three policies).

        Values left None are kept: they are read first (one extra POST) from
        ``GetFirmwareUpdateSettings``.
        """
        async with self._write_lock:
            body: dict[str, Any]
            if policy is None or start_minute is None or duration_minutes is None:
                body = _update_settings_input(
                    await self.call_action(act.GET_FIRMWARE_UPDATE_SETTINGS)
                )
            else:
                body = {"updatePolicy": policy, "autoUpdateWindow": {}}
            if policy is not None:
                body["updatePolicy"] = policy
            window = body["autoUpdateWindow"]
            if start_minute is not None:
                window["startMinute"] = start_minute
            if duration_minutes is not None:
                window["durationMinutes"] = duration_minutes
            await self.call_action(act.SET_FIRMWARE_UPDATE_SETTINGS, body)

    async def set_auto_firmware_update(self, enabled: bool) -> None:
        """Install updates automatically, or only by hand; the update window stays.

        On is ``AutomaticallyCheckAndInstall``, off ``Manual``; a policy that already
        means the same (``AutomaticallyCheck`` is off) is left alone.
        """
        async with self._write_lock:
            current = await self.call_action(act.GET_FIRMWARE_UPDATE_SETTINGS)
            # Nothing to change: nothing to send, whatever members the answer lacks.
            if (current.get("updatePolicy") == AUTO_INSTALL) == enabled:
                return
            body = _update_settings_input(current)
            body["updatePolicy"] = AUTO_INSTALL if enabled else MANUAL_UPDATES
            await self.call_action(act.SET_FIRMWARE_UPDATE_SETTINGS, body)

    async def set_time_settings(
        self, time_zone_id: str, auto_adjust_for_dst: bool
    ) -> None:
        """``locale/SetTimeSettings``."""
        body = {"timeZoneID": time_zone_id, "autoAdjustForDST": auto_adjust_for_dst}
        async with self._write_lock:
            await self.call_action(act.SET_TIME_SETTINGS, body)

    async def set_logging_enabled(self, enabled: bool) -> None:
        """``routerlog/SetLogSettings`` (its only member)."""
        async with self._write_lock:
            await self.call_action(act.SET_LOG_SETTINGS, {"isLoggingEnabled": enabled})

    async def set_admin_password(self, new_password: str, hint: str = "") -> None:
        """``core/SetAdminPassword2``; the client uses the new password afterwards."""
        body = {"adminPassword": new_password, "passwordHint": hint}
        async with self._write_lock:
            await self.call_action("core/SetAdminPassword2", body)
            self._transport.password = new_password
