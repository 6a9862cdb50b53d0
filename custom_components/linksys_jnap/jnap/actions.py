"""The JNAP action catalogue: one source of truth for every action the client knows.

Each action has a short name (``"router/GetWANStatus3"``), a full URI, the service that must be
listed by ``core/GetDeviceInfo`` for it to exist (docs/wire-contract.md), whether it needs the
admin password, and the family it belongs to (``GetWANStatus``/``2``/``3`` are one family: the
highest listed version wins).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import re

JNAP_PREFIX = "http://linksys.com/jnap/"
LEGACY_JNAP_PREFIX = "http://cisco.com/jnap/"

TRANSACTION = "core/Transaction"
WPS_SERVICE = "wirelessap/WPSServer"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One JNAP action."""

    short: str
    """Short name, ``"<group>/<Action>"``, e.g. ``"router/GetWANStatus3"``."""
    service: str | None
    """Short service name that must be listed, e.g. ``"router/Router5"``; None: always there."""
    needs_password: bool
    family: str
    """Short name of the unversioned action, e.g. ``"router/GetWANStatus"``."""
    version: int

    @property
    def uri(self) -> str:
        """Full action URI as sent in ``X-JNAP-Action``."""
        return JNAP_PREFIX + self.short

    @property
    def service_uri(self) -> str | None:
        """Full service URI as listed by ``core/GetDeviceInfo``."""
        return None if self.service is None else JNAP_PREFIX + self.service

    @property
    def name(self) -> str:
        """Action name without its group, e.g. ``"GetWANStatus3"``."""
        return self.short.rsplit("/", 1)[1]


_VERSION_RE = re.compile(r"^(?P<base>.*?[A-Za-z])(?P<version>\d+)$")


def _split_version(short: str) -> tuple[str, int]:
    group, name = short.split("/", 1)
    match = _VERSION_RE.match(name)
    if match is None:
        return short, 1
    return f"{group}/{match['base']}", int(match["version"])


# (short action name, service, needs password); the order inside a group is irrelevant.
_TABLE: tuple[tuple[str, str | None, bool], ...] = (
    # core
    ("core/GetAdminPasswordHint", "core/Core", False),
    ("core/GetAdminPasswordRestrictions", "core/Core", False),
    ("core/GetDeviceInfo", "core/Core", False),
    ("core/IsAdminPasswordDefault", "core/Core", False),
    ("core/CheckAdminPassword", "core/Core", True),
    ("core/CheckAdminPassword2", "core/Core2", True),
    ("core/CheckAdminPassword3", "core/Core7", True),
    ("core/Reboot", "core/Core", True),
    # A child node's reboot by deviceUUID (the official app; never the primary).
    ("core/Reboot2", "core/Core8", True),
    ("core/SetAdminPassword2", "core/Core3", True),
    (TRANSACTION, None, False),
    # devicelist
    ("devicelist/GetDevices", "devicelist/DeviceList", True),
    ("devicelist/GetDevices3", "devicelist/DeviceList4", True),
    ("devicelist/GetLocalDevice", "devicelist/DeviceList", True),
    ("devicelist/SetDeviceProperties", "devicelist/DeviceList", True),
    ("devicelist/DeleteDevice", "devicelist/DeviceList2", True),
    # diagnostics: uptime (and load on newer firmware)
    ("diagnostics/GetSystemStats", "diagnostics/Diagnostics", True),
    # Ping and traceroute run on the router (diagnostics_server.lua; PGJ 1<-1).
    *(
        (f"diagnostics/{name}", "diagnostics/Diagnostics", True)
        for name in (
            "StartPing",
            "StopPing",
            "GetPingStatus",
            "StartTraceroute",
            "StopTraceroute",
            "GetTracerouteStatus",
        )
    ),
    ("diagnostics/GetSystemStats2", "diagnostics/Diagnostics10", True),
    # firewall
    ("firewall/GetALGSettings", "firewall/Firewall", True),
    # Port forwarding and triggering: firewall_server.lua registers all six in the
    # Firewall module; the vendor's library maps them to Firewall 1 (PGJ `firewall`).
    *(
        (f"firewall/{verb}{name}", "firewall/Firewall", True)
        for verb in ("Get", "Set")
        for name in (
            "SinglePortForwardingRules",
            "PortRangeForwardingRules",
            "PortRangeTriggeringRules",
        )
    ),
    # firmwareupdate
    ("firmwareupdate/GetFirmwareUpdateStatus", "firmwareupdate/FirmwareUpdate", True),
    ("firmwareupdate/GetFirmwareUpdateSettings", "firmwareupdate/FirmwareUpdate", True),
    ("firmwareupdate/SetFirmwareUpdateSettings", "firmwareupdate/FirmwareUpdate", True),
    ("firmwareupdate/UpdateFirmwareNow", "firmwareupdate/FirmwareUpdate", True),
    # guestnetwork
    ("guestnetwork/GetGuestRadioSettings", "guestnetwork/GuestNetwork", True),
    ("guestnetwork/SetGuestRadioSettings", "guestnetwork/GuestNetwork", True),
    ("guestnetwork/GetGuestRadioSettings2", "guestnetwork/GuestNetwork4", True),
    ("guestnetwork/SetGuestRadioSettings2", "guestnetwork/GuestNetwork4", True),
    # healthcheck (speed test)
    *(
        (f"healthcheck/{name}", "healthcheck/HealthCheckManager", True)
        for name in (
            "GetSupportedHealthCheckModules",
            "RunHealthCheck",
            "StopHealthCheck",
            "GetHealthCheckStatus",
            "GetHealthCheckResults",
            "ClearHealthCheckHistory",
        )
    ),
    # locale
    ("locale/GetTimeSettings", "locale/Locale", True),
    ("locale/SetTimeSettings", "locale/Locale", True),
    # networkconnections
    (
        "networkconnections/GetNetworkConnections",
        "networkconnections/NetworkConnections",
        True,
    ),
    (
        "networkconnections/GetNetworkConnections2",
        "networkconnections/NetworkConnections2",
        True,
    ),
    # nodes (Velop mesh)
    (
        "nodes/networkconnections/GetNodesWirelessNetworkConnections",
        "nodes/networkconnections/NodesNetworkConnections",
        True,
    ),
    # v2 adds txRate, rxRate, isMLOCapable (the official app with NodesNetworkConnections2).
    (
        "nodes/networkconnections/GetNodesWirelessNetworkConnections2",
        "nodes/networkconnections/NodesNetworkConnections2",
        True,
    ),
    ("nodes/diagnostics/GetBackhaulInfo", "nodes/diagnostics/Diagnostics", True),
    ("nodes/diagnostics/GetBackhaulInfo2", "nodes/diagnostics/Diagnostics6", True),
    (
        "nodes/firmwareupdate/GetFirmwareUpdateStatus",
        "nodes/firmwareupdate/FirmwareUpdate",
        True,
    ),
    ("nodes/setup/GetInternetConnectionStatus", "nodes/setup/Setup", True),
    # Identify a node: the official app offers it with Setup9 only (isSupportLedBlinking).
    ("nodes/setup/StartBlinkingNodeLed", "nodes/setup/Setup9", True),
    ("nodes/setup/StopBlinkingNodeLed", "nodes/setup/Setup9", True),
    (
        "nodes/firmwareupdate/UpdateFirmwareNow",
        "nodes/firmwareupdate/FirmwareUpdate",
        True,
    ),
    # parentalcontrol
    (
        "parentalcontrol/GetParentalControlSettings",
        "parentalcontrol/ParentalControl",
        True,
    ),
    (
        "parentalcontrol/SetParentalControlSettings",
        "parentalcontrol/ParentalControl",
        True,
    ),
    # qos
    ("qos/GetQoSSettings", "qos/QoS", True),
    ("qos/GetWLANQoSSettings", "qos/QoS", True),
    ("qos/SetQoSSettings", "qos/QoS", True),
    # router
    ("router/GetDHCPClientLeases", "router/Router", True),
    ("router/GetEthernetPortConnections", "router/Router", True),
    # WAN reconnect (router_server.lua; the PPP pair's service version is unverified).
    ("router/RenewDHCPWANLease", "router/Router", True),
    ("router/ConnectPPPWAN", "router/Router", True),
    ("router/DisconnectPPPWAN", "router/Router", True),
    ("router/GetExpressForwardingSettings", "router/Router", True),
    ("router/GetIPv6Settings", "router/Router", True),
    ("router/GetIPv6Settings2", "router/Router4", True),
    ("router/GetLANSettings", "router/Router", True),
    ("router/GetMACAddressCloneSettings", "router/Router", True),
    ("router/GetRoutingSettings", "router/Router", True),
    ("router/GetWANStatus", "router/Router", True),
    ("router/GetWANStatus2", "router/Router3", True),
    ("router/GetWANStatus3", "router/Router5", True),
    # routerleds
    ("routerleds/GetRouterLEDSettings", "routerleds/RouterLEDs", True),
    ("routerleds/SetRouterLEDSettings", "routerleds/RouterLEDs", True),
    # Velop LED night mode (the official app, with RouterLEDs4 only).
    ("routerleds/GetLedNightModeSetting", "routerleds/RouterLEDs4", True),
    ("routerleds/SetLedNightModeSetting2", "routerleds/RouterLEDs4", True),
    # routerlog
    ("routerlog/GetDHCPLogEntries", "routerlog/RouterLog", True),
    ("routerlog/GetIncomingLogEntries", "routerlog/RouterLog", True),
    ("routerlog/GetOutgoingLogEntries", "routerlog/RouterLog", True),
    ("routerlog/GetSecurityLogEntries", "routerlog/RouterLog", True),
    ("routerlog/GetLogSettings", "routerlog/RouterLog", True),
    ("routerlog/SetLogSettings", "routerlog/RouterLog", True),
    # routermanagement
    (
        "routermanagement/GetManagementSettings",
        "routermanagement/RouterManagement",
        True,
    ),
    (
        "routermanagement/GetManagementSettings2",
        "routermanagement/RouterManagement3",
        True,
    ),
    (
        "routermanagement/GetRemoteManagementStatus",
        "routermanagement/RouterManagement",
        True,
    ),
    # routerupnp
    ("routerupnp/GetUPnPSettings", "routerupnp/RouterUPnP", True),
    # storage
    ("storage/GetPartitions", "storage/Storage", True),
    # vlantagging
    ("vlantagging/GetProfiles", "vlantagging/VLANTagging", True),
    ("vlantagging/GetVLANTaggingSettings", "vlantagging/VLANTagging", True),
    # wirelessap
    ("wirelessap/GetRadioInfo", "wirelessap/WirelessAP", True),
    ("wirelessap/GetRadioInfo2", "wirelessap/WirelessAP3", True),
    ("wirelessap/GetRadioInfo3", "wirelessap/WirelessAP4", True),
    ("wirelessap/SetRadioSettings3", "wirelessap/WirelessAP4", True),
    # WPS is a feature of its own: current firmware lists wirelessap/WPSServer beside
    # WirelessAP (docs/firmware-facts.md, "Which service offers each action").
    *(
        (f"wirelessap/{name}", WPS_SERVICE, True)
        for name in (
            "StartWPSServerSession",
            "StopWPSServerSession",
            "GetWPSServerSessionStatus",
            "GetWPSServerSettings",
            "SetWPSServerSettings",
            "IsWPSServerAvailable",
        )
    ),
    # wirelessscheduler
    *(
        (f"wirelessscheduler/{name}", "wirelessscheduler/WirelessScheduler", True)
        for name in ("GetWirelessSchedulerSettings", "SetWirelessSchedulerSettings")
    ),
)


# Actions that stand or fall together: one answered _ErrorUnknownAction drops them all, so a
# poll does not spend a request per member finding out (docs/firmware-facts.md, "WPS").
_TOGETHER: tuple[tuple[str, ...], ...] = (
    tuple(short for short, service, _ in _TABLE if service == WPS_SERVICE),
    tuple(
        short
        for short, service, _ in _TABLE
        if service == "healthcheck/HealthCheckManager"
    ),
)


def _build() -> dict[str, ActionSpec]:
    actions: dict[str, ActionSpec] = {}
    for short, service, needs_password in _TABLE:
        family, version = _split_version(short)
        actions[short] = ActionSpec(short, service, needs_password, family, version)
    return actions


ACTIONS: Mapping[str, ActionSpec] = _build()
"""Every known action by short name."""


def _families() -> dict[str, tuple[ActionSpec, ...]]:
    grouped: dict[str, list[ActionSpec]] = {}
    for spec in ACTIONS.values():
        grouped.setdefault(spec.family, []).append(spec)
    return {
        family: tuple(sorted(specs, key=lambda s: s.version, reverse=True))
        for family, specs in grouped.items()
    }


FAMILIES: Mapping[str, tuple[ActionSpec, ...]] = _families()
"""Action families by unversioned short name, highest version first."""

SIBLINGS: Mapping[str, frozenset[str]] = {
    short: frozenset(group) - {short} for group in _TOGETHER for short in group
}
"""Short name -> the actions dropped with it when the router calls it unknown."""


def get_spec(short: str) -> ActionSpec:
    """Return the spec of an action by short name (or full URI); KeyError if unknown."""
    return ACTIONS[short_name(short)]


def short_name(action: str) -> str:
    """Turn a full action URI (either prefix) into its short name; short names pass through."""
    for prefix in (JNAP_PREFIX, LEGACY_JNAP_PREFIX):
        if action.startswith(prefix):
            return action[len(prefix) :]
    return action


def action_uri(action: str) -> str:
    """Full URI of an action given by short name or URI."""
    return JNAP_PREFIX + short_name(action)


def needs_password(action: str) -> bool:
    """Whether an action needs the admin password (unknown actions are assumed to)."""
    spec = ACTIONS.get(short_name(action))
    return True if spec is None else spec.needs_password


# Short names of the actions and families the client uses by name.
GET_ADMIN_PASSWORD_HINT = "core/GetAdminPasswordHint"  # noqa: S105
GET_ADMIN_PASSWORD_RESTRICTIONS = "core/GetAdminPasswordRestrictions"  # noqa: S105
GET_DEVICE_INFO = "core/GetDeviceInfo"
IS_ADMIN_PASSWORD_DEFAULT = "core/IsAdminPasswordDefault"  # noqa: S105
CHECK_ADMIN_PASSWORD = "core/CheckAdminPassword"  # noqa: S105  # family
REBOOT = "core/Reboot"
SET_ADMIN_PASSWORD = "core/SetAdminPassword"  # noqa: S105  # family (only v2 exists)
GET_DEVICES = "devicelist/GetDevices"  # family
GET_LOCAL_DEVICE = "devicelist/GetLocalDevice"
SET_DEVICE_PROPERTIES = "devicelist/SetDeviceProperties"
DELETE_DEVICE = "devicelist/DeleteDevice"
DEVICE_LIST_WRITES = frozenset({SET_DEVICE_PROPERTIES, DELETE_DEVICE})
"""Writes to the device list: the next read of it is whole (whether they move the revision
an incremental read asks from is unverified)."""
GET_SYSTEM_STATS = "diagnostics/GetSystemStats"  # family
START_PING = "diagnostics/StartPing"
STOP_PING = "diagnostics/StopPing"
GET_PING_STATUS = "diagnostics/GetPingStatus"
START_TRACEROUTE = "diagnostics/StartTraceroute"
STOP_TRACEROUTE = "diagnostics/StopTraceroute"
GET_TRACEROUTE_STATUS = "diagnostics/GetTracerouteStatus"
GET_ALG_SETTINGS = "firewall/GetALGSettings"
GET_SINGLE_PORT_FORWARDING = "firewall/GetSinglePortForwardingRules"
SET_SINGLE_PORT_FORWARDING = "firewall/SetSinglePortForwardingRules"
GET_PORT_RANGE_FORWARDING = "firewall/GetPortRangeForwardingRules"
SET_PORT_RANGE_FORWARDING = "firewall/SetPortRangeForwardingRules"
GET_PORT_RANGE_TRIGGERING = "firewall/GetPortRangeTriggeringRules"
SET_PORT_RANGE_TRIGGERING = "firewall/SetPortRangeTriggeringRules"
GET_FIRMWARE_UPDATE_STATUS = "firmwareupdate/GetFirmwareUpdateStatus"
GET_FIRMWARE_UPDATE_SETTINGS = "firmwareupdate/GetFirmwareUpdateSettings"
SET_FIRMWARE_UPDATE_SETTINGS = "firmwareupdate/SetFirmwareUpdateSettings"
UPDATE_FIRMWARE_NOW = "firmwareupdate/UpdateFirmwareNow"
GET_GUEST_RADIO_SETTINGS = "guestnetwork/GetGuestRadioSettings"  # family
SET_GUEST_RADIO_SETTINGS = "guestnetwork/SetGuestRadioSettings"  # family
GET_HEALTH_CHECK_RESULTS = "healthcheck/GetHealthCheckResults"
GET_HEALTH_CHECK_STATUS = "healthcheck/GetHealthCheckStatus"
RUN_HEALTH_CHECK = "healthcheck/RunHealthCheck"
GET_TIME_SETTINGS = "locale/GetTimeSettings"
SET_TIME_SETTINGS = "locale/SetTimeSettings"
GET_NETWORK_CONNECTIONS = "networkconnections/GetNetworkConnections"  # family
GET_PARENTAL_CONTROL_SETTINGS = "parentalcontrol/GetParentalControlSettings"
SET_PARENTAL_CONTROL_SETTINGS = "parentalcontrol/SetParentalControlSettings"
GET_NODES_WIRELESS_CONNECTIONS = (
    "nodes/networkconnections/GetNodesWirelessNetworkConnections"  # family
)
GET_NODES_WIRELESS_CONNECTIONS2 = (
    "nodes/networkconnections/GetNodesWirelessNetworkConnections2"
)
GET_BACKHAUL_INFO = "nodes/diagnostics/GetBackhaulInfo"  # family
GET_NODES_FIRMWARE_UPDATE_STATUS = "nodes/firmwareupdate/GetFirmwareUpdateStatus"
UPDATE_NODES_FIRMWARE_NOW = "nodes/firmwareupdate/UpdateFirmwareNow"
GET_INTERNET_CONNECTION_STATUS = "nodes/setup/GetInternetConnectionStatus"
REBOOT_NODE = "core/Reboot2"
GET_QOS_SETTINGS = "qos/GetQoSSettings"
SET_QOS_SETTINGS = "qos/SetQoSSettings"
NETWORK_SECURITY_SERVICE = "networksecurity/NetworkSecurity"
"""Linksys Shield: where listed, parental-control writes also rewrite (or are refused by) its
settings (docs/firmware-facts.md, "Parental control")."""
GET_WLAN_QOS_SETTINGS = "qos/GetWLANQoSSettings"
GET_DHCP_CLIENT_LEASES = "router/GetDHCPClientLeases"
GET_ETHERNET_PORT_CONNECTIONS = "router/GetEthernetPortConnections"
GET_EXPRESS_FORWARDING_SETTINGS = "router/GetExpressForwardingSettings"
GET_IPV6_SETTINGS = "router/GetIPv6Settings"  # family
GET_LAN_SETTINGS = "router/GetLANSettings"
GET_MAC_ADDRESS_CLONE_SETTINGS = "router/GetMACAddressCloneSettings"
GET_ROUTING_SETTINGS = "router/GetRoutingSettings"
GET_WAN_STATUS = "router/GetWANStatus"  # family
RENEW_DHCP_WAN_LEASE = "router/RenewDHCPWANLease"
CONNECT_PPP_WAN = "router/ConnectPPPWAN"
DISCONNECT_PPP_WAN = "router/DisconnectPPPWAN"
START_BLINKING_NODE_LED = "nodes/setup/StartBlinkingNodeLed"
STOP_BLINKING_NODE_LED = "nodes/setup/StopBlinkingNodeLed"
GET_ROUTER_LED_SETTINGS = "routerleds/GetRouterLEDSettings"
SET_ROUTER_LED_SETTINGS = "routerleds/SetRouterLEDSettings"
GET_LED_NIGHT_MODE = "routerleds/GetLedNightModeSetting"
SET_LED_NIGHT_MODE = (
    "routerleds/SetLedNightModeSetting"  # family (v2 is what apps send)
)
GET_DHCP_LOG_ENTRIES = "routerlog/GetDHCPLogEntries"
GET_INCOMING_LOG_ENTRIES = "routerlog/GetIncomingLogEntries"
GET_OUTGOING_LOG_ENTRIES = "routerlog/GetOutgoingLogEntries"
GET_SECURITY_LOG_ENTRIES = "routerlog/GetSecurityLogEntries"
GET_LOG_SETTINGS = "routerlog/GetLogSettings"
SET_LOG_SETTINGS = "routerlog/SetLogSettings"
GET_MANAGEMENT_SETTINGS = "routermanagement/GetManagementSettings"  # family
GET_REMOTE_MANAGEMENT_STATUS = "routermanagement/GetRemoteManagementStatus"
GET_UPNP_SETTINGS = "routerupnp/GetUPnPSettings"
GET_PARTITIONS = "storage/GetPartitions"
GET_VLAN_PROFILES = "vlantagging/GetProfiles"
GET_VLAN_TAGGING_SETTINGS = "vlantagging/GetVLANTaggingSettings"
GET_RADIO_INFO = "wirelessap/GetRadioInfo"  # family
SET_RADIO_SETTINGS = "wirelessap/SetRadioSettings"  # family (only v3 exists)
START_WPS_SESSION = "wirelessap/StartWPSServerSession"
GET_WPS_SESSION_STATUS = "wirelessap/GetWPSServerSessionStatus"
IS_WPS_AVAILABLE = "wirelessap/IsWPSServerAvailable"
GET_WPS_SETTINGS = "wirelessap/GetWPSServerSettings"
SET_WPS_SETTINGS = "wirelessap/SetWPSServerSettings"
GET_WIRELESS_SCHEDULER_SETTINGS = "wirelessscheduler/GetWirelessSchedulerSettings"
SET_WIRELESS_SCHEDULER_SETTINGS = "wirelessscheduler/SetWirelessSchedulerSettings"
