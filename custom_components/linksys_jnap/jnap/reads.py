"""``Reads``: one typed getter per read action of the catalogue, each in its own POST.

The poll covers what the integration shows; these complete the client for other callers.
Each getter refuses, without a request, an action the router's capabilities lack.
"""

from __future__ import annotations

from . import actions as act, models
from .actions import get_spec
from .core import ClientCore


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
        return models.as_str(out.get("passwordHint"))

    async def get_admin_password_restrictions(self) -> models.AdminPasswordRestrictions:
        """``core/GetAdminPasswordRestrictions``."""
        return models.AdminPasswordRestrictions.from_json(
            await self.call_action(act.GET_ADMIN_PASSWORD_RESTRICTIONS)
        )

    async def is_admin_password_default(self) -> bool | None:
        """``core/IsAdminPasswordDefault``."""
        out = await self.call_action(act.IS_ADMIN_PASSWORD_DEFAULT)
        return models.as_bool(out.get("isAdminPasswordDefault"))

    # --- settings ------------------------------------------------------------------------

    async def get_devices(
        self, *, since_revision: int | None = None, version: int | None = None
    ) -> models.DeviceList:
        """``devicelist/GetDevices`` or ``GetDevices3`` (highest by default)."""
        action = await self._resolve(act.GET_DEVICES, version)
        request = {} if since_revision is None else {"sinceRevision": since_revision}
        return models.DeviceList.from_json(
            await self.call_action(action, request), since_revision=since_revision
        )

    async def get_local_device(self) -> models.LocalDevice:
        """``devicelist/GetLocalDevice``."""
        return models.LocalDevice.from_json(
            await self.call_action(act.GET_LOCAL_DEVICE)
        )

    async def get_network_connections(
        self, *, version: int | None = None
    ) -> tuple[models.NetworkConnection, ...]:
        """``networkconnections/GetNetworkConnections`` or ``...2`` (highest by default)."""
        action = await self._resolve(act.GET_NETWORK_CONNECTIONS, version)
        return models.NetworkConnection.list_from_json(await self.call_action(action))

    async def get_wan_status(self, *, version: int | None = None) -> models.WANStatus:
        """``router/GetWANStatus``/``2``/``3`` (highest by default)."""
        action = await self._resolve(act.GET_WAN_STATUS, version)
        return models.WANStatus.from_json(await self.call_action(action))

    async def get_guest_radio_settings(
        self, *, version: int | None = None
    ) -> models.GuestNetworkSettings:
        """``guestnetwork/GetGuestRadioSettings`` or ``...2`` (highest by default)."""
        action = await self._resolve(act.GET_GUEST_RADIO_SETTINGS, version)
        return models.GuestNetworkSettings.from_json(
            await self.call_action(action), version=get_spec(action).version
        )

    async def get_router_led_settings(self) -> models.LEDSettings:
        """``routerleds/GetRouterLEDSettings``."""
        return models.LEDSettings.from_json(
            await self.call_action(act.GET_ROUTER_LED_SETTINGS)
        )

    async def get_parental_control_settings(self) -> models.ParentalControlSettings:
        """``parentalcontrol/GetParentalControlSettings``."""
        return models.ParentalControlSettings.from_json(
            await self.call_action(act.GET_PARENTAL_CONTROL_SETTINGS)
        )

    async def get_firmware_update_status(self) -> models.FirmwareUpdateStatus:
        """``firmwareupdate/GetFirmwareUpdateStatus``."""
        return models.FirmwareUpdateStatus.from_json(
            await self.call_action(act.GET_FIRMWARE_UPDATE_STATUS)
        )

    async def get_firmware_update_settings(self) -> models.FirmwareUpdateSettings:
        """``firmwareupdate/GetFirmwareUpdateSettings``."""
        return models.FirmwareUpdateSettings.from_json(
            await self.call_action(act.GET_FIRMWARE_UPDATE_SETTINGS)
        )

    async def get_radio_info(self, *, version: int | None = None) -> models.RadioInfo:
        """``wirelessap/GetRadioInfo``/``2``/``3`` (highest by default)."""
        action = await self._resolve(act.GET_RADIO_INFO, version)
        return models.RadioInfo.from_json(
            await self.call_action(action), version=get_spec(action).version
        )

    async def get_time_settings(self) -> models.TimeSettings:
        """``locale/GetTimeSettings``."""
        return models.TimeSettings.from_json(
            await self.call_action(act.GET_TIME_SETTINGS)
        )

    async def get_log_settings(self) -> models.LogSettings:
        """``routerlog/GetLogSettings``."""
        return models.LogSettings.from_json(
            await self.call_action(act.GET_LOG_SETTINGS)
        )

    async def _log_entries(
        self, action: str, first: int, count: int
    ) -> models.LogEntries:
        # Entries are numbered from 1.
        request = {"firstEntryIndex": first, "entryCount": count}
        return models.LogEntries.from_json(await self.call_action(action, request))

    async def get_dhcp_log_entries(
        self, first_entry_index: int = 1, entry_count: int = 50
    ) -> models.LogEntries:
        """``routerlog/GetDHCPLogEntries``."""
        return await self._log_entries(
            act.GET_DHCP_LOG_ENTRIES, first_entry_index, entry_count
        )

    async def get_incoming_log_entries(
        self, first_entry_index: int = 1, entry_count: int = 50
    ) -> models.LogEntries:
        """``routerlog/GetIncomingLogEntries``."""
        return await self._log_entries(
            act.GET_INCOMING_LOG_ENTRIES, first_entry_index, entry_count
        )

    async def get_outgoing_log_entries(
        self, first_entry_index: int = 1, entry_count: int = 50
    ) -> models.LogEntries:
        """``routerlog/GetOutgoingLogEntries``."""
        return await self._log_entries(
            act.GET_OUTGOING_LOG_ENTRIES, first_entry_index, entry_count
        )

    async def get_security_log_entries(
        self, first_entry_index: int = 1, entry_count: int = 50
    ) -> models.LogEntries:
        """``routerlog/GetSecurityLogEntries``."""
        return await self._log_entries(
            act.GET_SECURITY_LOG_ENTRIES, first_entry_index, entry_count
        )

    async def get_alg_settings(self) -> models.ALGSettings:
        """``firewall/GetALGSettings``."""
        return models.ALGSettings.from_json(
            await self.call_action(act.GET_ALG_SETTINGS)
        )

    async def get_qos_settings(self) -> models.QoSSettings:
        """``qos/GetQoSSettings``."""
        return models.QoSSettings.from_json(
            await self.call_action(act.GET_QOS_SETTINGS)
        )

    async def get_wlan_qos_settings(self) -> models.WLANQoSSettings:
        """``qos/GetWLANQoSSettings``."""
        return models.WLANQoSSettings.from_json(
            await self.call_action(act.GET_WLAN_QOS_SETTINGS)
        )

    async def get_dhcp_client_leases(self) -> tuple[models.DHCPLease, ...]:
        """``router/GetDHCPClientLeases``."""
        return models.DHCPLease.list_from_json(
            await self.call_action(act.GET_DHCP_CLIENT_LEASES)
        )

    async def get_ethernet_port_connections(self) -> models.EthernetPortConnections:
        """``router/GetEthernetPortConnections``."""
        return models.EthernetPortConnections.from_json(
            await self.call_action(act.GET_ETHERNET_PORT_CONNECTIONS)
        )

    async def get_express_forwarding_settings(self) -> models.ExpressForwardingSettings:
        """``router/GetExpressForwardingSettings``."""
        return models.ExpressForwardingSettings.from_json(
            await self.call_action(act.GET_EXPRESS_FORWARDING_SETTINGS)
        )

    async def get_ipv6_settings(
        self, *, version: int | None = None
    ) -> models.IPv6Settings:
        """``router/GetIPv6Settings`` or ``...2`` (highest by default)."""
        action = await self._resolve(act.GET_IPV6_SETTINGS, version)
        return models.IPv6Settings.from_json(await self.call_action(action))

    async def get_lan_settings(self) -> models.LANSettings:
        """``router/GetLANSettings``."""
        return models.LANSettings.from_json(
            await self.call_action(act.GET_LAN_SETTINGS)
        )

    async def get_mac_address_clone_settings(self) -> models.MACAddressCloneSettings:
        """``router/GetMACAddressCloneSettings``."""
        return models.MACAddressCloneSettings.from_json(
            await self.call_action(act.GET_MAC_ADDRESS_CLONE_SETTINGS)
        )

    async def get_routing_settings(self) -> models.RoutingSettings:
        """``router/GetRoutingSettings``."""
        return models.RoutingSettings.from_json(
            await self.call_action(act.GET_ROUTING_SETTINGS)
        )

    async def get_management_settings(
        self, *, version: int | None = None
    ) -> models.ManagementSettings:
        """``routermanagement/GetManagementSettings`` or ``...2`` (highest by default)."""
        action = await self._resolve(act.GET_MANAGEMENT_SETTINGS, version)
        return models.ManagementSettings.from_json(await self.call_action(action))

    async def get_remote_management_status(self) -> models.RemoteManagementStatus:
        """``routermanagement/GetRemoteManagementStatus``."""
        return models.RemoteManagementStatus.from_json(
            await self.call_action(act.GET_REMOTE_MANAGEMENT_STATUS)
        )

    async def get_upnp_settings(self) -> models.UPnPSettings:
        """``routerupnp/GetUPnPSettings``."""
        return models.UPnPSettings.from_json(
            await self.call_action(act.GET_UPNP_SETTINGS)
        )

    async def get_partitions(self) -> models.Partitions:
        """``storage/GetPartitions``."""
        return models.Partitions.from_json(await self.call_action(act.GET_PARTITIONS))

    async def get_vlan_profiles(self) -> models.VLANProfiles:
        """``vlantagging/GetProfiles``."""
        return models.VLANProfiles.from_json(
            await self.call_action(act.GET_VLAN_PROFILES)
        )

    async def get_vlan_tagging_settings(self) -> models.VLANTaggingSettings:
        """``vlantagging/GetVLANTaggingSettings``."""
        return models.VLANTaggingSettings.from_json(
            await self.call_action(act.GET_VLAN_TAGGING_SETTINGS)
        )

    async def get_wireless_scheduler_settings(self) -> models.WirelessSchedulerSettings:
        """``wirelessscheduler/GetWirelessSchedulerSettings``."""
        return models.WirelessSchedulerSettings.from_json(
            await self.call_action(act.GET_WIRELESS_SCHEDULER_SETTINGS)
        )
