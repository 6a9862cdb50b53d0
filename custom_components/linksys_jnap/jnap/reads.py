"""``Reads``: one typed getter per read action of the catalogue, each in its own POST.

The poll covers what the integration shows; these complete the client for other callers.
Each getter refuses, without a request, an action the router's capabilities lack.
"""

from __future__ import annotations

from . import actions as act
from .actions import get_spec
from .core import ClientCore
from .models import (
    AdminPasswordRestrictions,
    ALGSettings,
    DeviceList,
    DHCPLease,
    EthernetPortConnections,
    ExpressForwardingSettings,
    FirmwareUpdateSettings,
    FirmwareUpdateStatus,
    GuestNetworkSettings,
    IPv6Settings,
    LANSettings,
    LEDSettings,
    LocalDevice,
    LogEntries,
    LogSettings,
    MACAddressCloneSettings,
    ManagementSettings,
    NetworkConnection,
    ParentalControlSettings,
    Partitions,
    QoSSettings,
    RadioInfo,
    RemoteManagementStatus,
    RoutingSettings,
    TimeSettings,
    UPnPSettings,
    VLANProfiles,
    VLANTaggingSettings,
    WANStatus,
    WirelessSchedulerSettings,
    WLANQoSSettings,
    as_bool,
    as_str,
)


class Reads(ClientCore):
    """The typed getters of ``JNAPClient``."""

    # --- password --------------------------------------------------------------------------

    async def check_admin_password(self, *, version: int | None = None) -> None:
        """Verify the admin password with the best ``CheckAdminPassword`` version.

        Raises ``JNAPAuthenticationError`` (wrong password), ``JNAPPasswordThrottledError``
        (wait ``delay_seconds``) or ``JNAPAccountLockedError``.
        """
        action = await self._resolve(act.CHECK_ADMIN_PASSWORD, version)
        body = (
            {"adminPassword": self._transport.password}
            if get_spec(action).version >= 2
            else {}
        )
        await self.call_action(action, body)

    async def get_admin_password_hint(self) -> str | None:
        """``core/GetAdminPasswordHint``."""
        out = await self.call_action(act.GET_ADMIN_PASSWORD_HINT)
        return as_str(out.get("passwordHint"))

    async def get_admin_password_restrictions(self) -> AdminPasswordRestrictions:
        """``core/GetAdminPasswordRestrictions``."""
        return AdminPasswordRestrictions.from_json(
            await self.call_action(act.GET_ADMIN_PASSWORD_RESTRICTIONS)
        )

    async def is_admin_password_default(self) -> bool | None:
        """``core/IsAdminPasswordDefault``."""
        out = await self.call_action(act.IS_ADMIN_PASSWORD_DEFAULT)
        return as_bool(out.get("isAdminPasswordDefault"))

    # --- settings ------------------------------------------------------------------------

    async def get_devices(
        self, *, since_revision: int | None = None, version: int | None = None
    ) -> DeviceList:
        """``devicelist/GetDevices`` or ``GetDevices3`` (highest by default)."""
        action = await self._resolve(act.GET_DEVICES, version)
        request = {} if since_revision is None else {"sinceRevision": since_revision}
        return DeviceList.from_json(
            await self.call_action(action, request), since_revision=since_revision
        )

    async def get_local_device(self) -> LocalDevice:
        """``devicelist/GetLocalDevice``."""
        return LocalDevice.from_json(await self.call_action(act.GET_LOCAL_DEVICE))

    async def get_network_connections(
        self, *, version: int | None = None
    ) -> tuple[NetworkConnection, ...]:
        """``networkconnections/GetNetworkConnections`` or ``...2`` (highest by default)."""
        action = await self._resolve(act.GET_NETWORK_CONNECTIONS, version)
        return NetworkConnection.list_from_json(await self.call_action(action))

    async def get_wan_status(self, *, version: int | None = None) -> WANStatus:
        """``router/GetWANStatus``/``2``/``3`` (highest by default)."""
        action = await self._resolve(act.GET_WAN_STATUS, version)
        return WANStatus.from_json(await self.call_action(action))

    async def get_guest_radio_settings(
        self, *, version: int | None = None
    ) -> GuestNetworkSettings:
        """``guestnetwork/GetGuestRadioSettings`` or ``...2`` (highest by default)."""
        action = await self._resolve(act.GET_GUEST_RADIO_SETTINGS, version)
        return GuestNetworkSettings.from_json(
            await self.call_action(action), version=get_spec(action).version
        )

    async def get_router_led_settings(self) -> LEDSettings:
        """``routerleds/GetRouterLEDSettings``."""
        return LEDSettings.from_json(
            await self.call_action(act.GET_ROUTER_LED_SETTINGS)
        )

    async def get_parental_control_settings(self) -> ParentalControlSettings:
        """``parentalcontrol/GetParentalControlSettings``."""
        return ParentalControlSettings.from_json(
            await self.call_action(act.GET_PARENTAL_CONTROL_SETTINGS)
        )

    async def get_firmware_update_status(self) -> FirmwareUpdateStatus:
        """``firmwareupdate/GetFirmwareUpdateStatus``."""
        return FirmwareUpdateStatus.from_json(
            await self.call_action(act.GET_FIRMWARE_UPDATE_STATUS)
        )

    async def get_firmware_update_settings(self) -> FirmwareUpdateSettings:
        """``firmwareupdate/GetFirmwareUpdateSettings``."""
        return FirmwareUpdateSettings.from_json(
            await self.call_action(act.GET_FIRMWARE_UPDATE_SETTINGS)
        )

    async def get_radio_info(self, *, version: int | None = None) -> RadioInfo:
        """``wirelessap/GetRadioInfo``/``2``/``3`` (highest by default)."""
        action = await self._resolve(act.GET_RADIO_INFO, version)
        return RadioInfo.from_json(
            await self.call_action(action), version=get_spec(action).version
        )

    async def get_time_settings(self) -> TimeSettings:
        """``locale/GetTimeSettings``."""
        return TimeSettings.from_json(await self.call_action(act.GET_TIME_SETTINGS))

    async def get_log_settings(self) -> LogSettings:
        """``routerlog/GetLogSettings``."""
        return LogSettings.from_json(await self.call_action(act.GET_LOG_SETTINGS))

    async def _log_entries(self, action: str, first: int, count: int) -> LogEntries:
        # Entries are numbered from 1.
        request = {"firstEntryIndex": first, "entryCount": count}
        return LogEntries.from_json(await self.call_action(action, request))

    async def get_dhcp_log_entries(
        self, first_entry_index: int = 1, entry_count: int = 50
    ) -> LogEntries:
        """``routerlog/GetDHCPLogEntries``."""
        return await self._log_entries(
            act.GET_DHCP_LOG_ENTRIES, first_entry_index, entry_count
        )

    async def get_incoming_log_entries(
        self, first_entry_index: int = 1, entry_count: int = 50
    ) -> LogEntries:
        """``routerlog/GetIncomingLogEntries``."""
        return await self._log_entries(
            act.GET_INCOMING_LOG_ENTRIES, first_entry_index, entry_count
        )

    async def get_outgoing_log_entries(
        self, first_entry_index: int = 1, entry_count: int = 50
    ) -> LogEntries:
        """``routerlog/GetOutgoingLogEntries``."""
        return await self._log_entries(
            act.GET_OUTGOING_LOG_ENTRIES, first_entry_index, entry_count
        )

    async def get_security_log_entries(
        self, first_entry_index: int = 1, entry_count: int = 50
    ) -> LogEntries:
        """``routerlog/GetSecurityLogEntries``."""
        return await self._log_entries(
            act.GET_SECURITY_LOG_ENTRIES, first_entry_index, entry_count
        )

    async def get_alg_settings(self) -> ALGSettings:
        """``firewall/GetALGSettings``."""
        return ALGSettings.from_json(await self.call_action(act.GET_ALG_SETTINGS))

    async def get_qos_settings(self) -> QoSSettings:
        """``qos/GetQoSSettings``."""
        return QoSSettings.from_json(await self.call_action(act.GET_QOS_SETTINGS))

    async def get_wlan_qos_settings(self) -> WLANQoSSettings:
        """``qos/GetWLANQoSSettings``."""
        return WLANQoSSettings.from_json(
            await self.call_action(act.GET_WLAN_QOS_SETTINGS)
        )

    async def get_dhcp_client_leases(self) -> tuple[DHCPLease, ...]:
        """``router/GetDHCPClientLeases``."""
        return DHCPLease.list_from_json(
            await self.call_action(act.GET_DHCP_CLIENT_LEASES)
        )

    async def get_ethernet_port_connections(self) -> EthernetPortConnections:
        """``router/GetEthernetPortConnections``."""
        return EthernetPortConnections.from_json(
            await self.call_action(act.GET_ETHERNET_PORT_CONNECTIONS)
        )

    async def get_express_forwarding_settings(self) -> ExpressForwardingSettings:
        """``router/GetExpressForwardingSettings``."""
        return ExpressForwardingSettings.from_json(
            await self.call_action(act.GET_EXPRESS_FORWARDING_SETTINGS)
        )

    async def get_ipv6_settings(self, *, version: int | None = None) -> IPv6Settings:
        """``router/GetIPv6Settings`` or ``...2`` (highest by default)."""
        action = await self._resolve(act.GET_IPV6_SETTINGS, version)
        return IPv6Settings.from_json(await self.call_action(action))

    async def get_lan_settings(self) -> LANSettings:
        """``router/GetLANSettings``."""
        return LANSettings.from_json(await self.call_action(act.GET_LAN_SETTINGS))

    async def get_mac_address_clone_settings(self) -> MACAddressCloneSettings:
        """``router/GetMACAddressCloneSettings``."""
        return MACAddressCloneSettings.from_json(
            await self.call_action(act.GET_MAC_ADDRESS_CLONE_SETTINGS)
        )

    async def get_routing_settings(self) -> RoutingSettings:
        """``router/GetRoutingSettings``."""
        return RoutingSettings.from_json(
            await self.call_action(act.GET_ROUTING_SETTINGS)
        )

    async def get_management_settings(
        self, *, version: int | None = None
    ) -> ManagementSettings:
        """``routermanagement/GetManagementSettings`` or ``...2`` (highest by default)."""
        action = await self._resolve(act.GET_MANAGEMENT_SETTINGS, version)
        return ManagementSettings.from_json(await self.call_action(action))

    async def get_remote_management_status(self) -> RemoteManagementStatus:
        """``routermanagement/GetRemoteManagementStatus``."""
        return RemoteManagementStatus.from_json(
            await self.call_action(act.GET_REMOTE_MANAGEMENT_STATUS)
        )

    async def get_upnp_settings(self) -> UPnPSettings:
        """``routerupnp/GetUPnPSettings``."""
        return UPnPSettings.from_json(await self.call_action(act.GET_UPNP_SETTINGS))

    async def get_partitions(self) -> Partitions:
        """``storage/GetPartitions``."""
        return Partitions.from_json(await self.call_action(act.GET_PARTITIONS))

    async def get_vlan_profiles(self) -> VLANProfiles:
        """``vlantagging/GetProfiles``."""
        return VLANProfiles.from_json(await self.call_action(act.GET_VLAN_PROFILES))

    async def get_vlan_tagging_settings(self) -> VLANTaggingSettings:
        """``vlantagging/GetVLANTaggingSettings``."""
        return VLANTaggingSettings.from_json(
            await self.call_action(act.GET_VLAN_TAGGING_SETTINGS)
        )

    async def get_wireless_scheduler_settings(self) -> WirelessSchedulerSettings:
        """``wirelessscheduler/GetWirelessSchedulerSettings``."""
        return WirelessSchedulerSettings.from_json(
            await self.call_action(act.GET_WIRELESS_SCHEDULER_SETTINGS)
        )
