"""Router profiles: which model, firmware and JNAP services the simulator pretends to be."""

from __future__ import annotations

from dataclasses import dataclass, replace

JNAP_PREFIX = "http://linksys.com/jnap/"
CISCO_PREFIX = "http://cisco.com/jnap/"


@dataclass(frozen=True, slots=True)
class Profile:
    """Static description of one simulated model."""

    name: str
    model_number: str
    hardware_version: str
    description: str
    firmware_version: str
    firmware_date: str
    serial_prefix: str
    services: tuple[str, ...]
    radio_ids: tuple[str, ...]
    # Top-level _ErrorUnknownAction (no responses) for an unknown action in a transaction.
    legacy_unknown_action: bool = False
    # Transactions mixing open and password actions are refused.
    refuses_mixed_auth: bool = False
    # Velop: a child node (nodeType Slave) besides the main node.
    child_nodes: int = 0
    has_usb: bool = False
    # GuestNetwork4: the guest network is a captive portal instead of WPA.
    captive_portal: bool = False
    # velop_mesh: a wired satellite and a wireless one behind it, node records as real
    # firmware lists them (no parentDeviceID on a node's connections), per-node state.
    mesh_topology: bool = False
    master_station_kbps: bool = False
    """The master writes its stations' ``negotiatedMbps`` in kbit/s in the nodes' list, its
    satellites in Mbit/s (a real LN16 1.0.10 with MX42 satellites)."""


def _svc(*names: str) -> tuple[str, ...]:
    return tuple(JNAP_PREFIX + name for name in names)


SMARTWIFI = Profile(
    name="smartwifi",
    model_number="EA7500",
    hardware_version="2",
    description="Linksys EA7500 Max-Stream AC1900 MU-MIMO Gigabit Router",
    firmware_version="2.0.8.194281",
    firmware_date="2019-11-14T20:43:11Z",
    serial_prefix="19A10C",
    services=_svc(
        "core/Core",
        "core/Core2",
        "core/Core3",
        "devicelist/DeviceList",
        "devicelist/DeviceList2",
        "diagnostics/Diagnostics",
        "firewall/Firewall",
        "firmwareupdate/FirmwareUpdate",
        "guestnetwork/GuestNetwork",
        "locale/Locale",
        "networkconnections/NetworkConnections",
        "parentalcontrol/ParentalControl",
        "qos/QoS",
        "router/Router",
        "router/Router3",
        "routerleds/RouterLEDs",
        "routerlog/RouterLog",
        "routermanagement/RouterManagement",
        "routerupnp/RouterUPnP",
        "storage/Storage",
        # The WRT wirelessap Lua serves WPS; its service, as on every recorded router.
        "wirelessap/WPSServer",
        "wirelessap/WirelessAP",
        "wirelessap/WirelessAP4",
        "wirelessscheduler/WirelessScheduler",
    ),
    radio_ids=("RADIO_2.4GHz", "RADIO_5GHz"),
    has_usb=True,
)

VELOP = Profile(
    name="velop",
    model_number="MX4200",
    hardware_version="1",
    description="Linksys Velop MX4200 Intelligent Mesh WiFi 6 System",
    firmware_version="1.0.13.210200",
    firmware_date="2023-06-02T08:12:45Z",
    serial_prefix="48A10M",
    services=_svc(
        "core/Core",
        "core/Core2",
        "core/Core3",
        "core/Core4",
        "core/Core5",
        "core/Core6",
        "core/Core7",
        "devicelist/DeviceList",
        "devicelist/DeviceList2",
        "devicelist/DeviceList4",
        # As every real Velop recording lists them (tests/fixtures/real).
        "diagnostics/Diagnostics",
        "diagnostics/Diagnostics2",
        "diagnostics/Diagnostics3",
        "diagnostics/Diagnostics6",
        "diagnostics/Diagnostics7",
        "diagnostics/Diagnostics8",
        "firewall/Firewall",
        "firmwareupdate/FirmwareUpdate",
        "guestnetwork/GuestNetwork4",
        "healthcheck/HealthCheckManager",
        "locale/Locale",
        "networkconnections/NetworkConnections",
        "networkconnections/NetworkConnections2",
        "nodes/networkconnections/NodesNetworkConnections",
        "nodes/setup/Setup",
        "nodes/setup/Setup2",
        "nodes/setup/Setup3",
        "parentalcontrol/ParentalControl",
        "qos/QoS",
        "router/Router",
        "router/Router4",
        "router/Router5",
        "routerlog/RouterLog",
        "routermanagement/RouterManagement",
        "routermanagement/RouterManagement3",
        "routerupnp/RouterUPnP",
        # WPS beside WirelessAP, as every real Velop recording lists it (MX42 1.0.13 too).
        "wirelessap/WPSServer",
        "wirelessap/WPSServer2",
        "wirelessap/WPSServer3",
        "wirelessap/WPSServer4",
        "wirelessap/WPSServer5",
        "wirelessap/WirelessAP",
        "wirelessap/WirelessAP4",
    ),
    radio_ids=("RADIO_2.4GHz", "RADIO_5GHz", "RADIO_5GHz_2"),
    refuses_mixed_auth=True,
    child_nodes=1,
)

LEGACY = Profile(
    name="legacy",
    model_number="WRT1900ACS",
    hardware_version="1",
    description="Linksys WRT1900ACS Dual Band Wi-Fi Router",
    firmware_version="1.0.0.169041",
    firmware_date="2015-10-15T01:22:37Z",
    serial_prefix="13J10C",
    services=_svc(
        "core/Core",
        "devicelist/DeviceList",
        "firewall/Firewall",
        "firmwareupdate/FirmwareUpdate",
        "guestnetwork/GuestNetwork",
        "locale/Locale",
        "networkconnections/NetworkConnections",
        "parentalcontrol/ParentalControl",
        "qos/QoS",
        "router/Router",
        "routerleds/RouterLEDs",
        "routerlog/RouterLog",
        "routermanagement/RouterManagement",
        "routerupnp/RouterUPnP",
        "storage/Storage",
        "vlantagging/VLANTagging",
        # No wirelessap/WPSServer: a router without WPS (no services list of this firmware
        # is known, so the stricter answer).
        "wirelessap/WirelessAP",
        "wirelessscheduler/WirelessScheduler",
    ),
    radio_ids=("RADIO_2.4GHz", "RADIO_5GHz"),
    legacy_unknown_action=True,
    has_usb=True,
)

# The same Velop whose guest network is a captive portal (guestnetwork.lua API v2 modes).
VELOP_CAPTIVE = replace(VELOP, name="velop_captive", captive_portal=True)

# The Velop as a three-node mesh: the primary, a wired satellite and a wireless satellite
# whose backhaul parent is the wired one (docs/firmware-facts.md ("Mesh nodes")). Services: a real
# MX42 1.0.13's node services (nodes/diagnostics Diagnostics..5, nodes/firmwareupdate,
# RouterLEDs, RouterLEDs2) plus the newer ones the official app gates on: Diagnostics6
# (GetBackhaulInfo2, listed by a real MBE70), RouterLEDs3/RouterLEDs4 (LED night mode) and
# Core8 (Reboot2 of a child node), and Diagnostics10 (GetSystemStats2 with CPU and memory
# load, which the official app reads on newer firmware), and NodesNetworkConnections2
# (GetNodesWirelessNetworkConnections2 with txRate/rxRate/isMLOCapable) as a real LN16
# 1.0.10 lists them, whose master gives its stations' rates in kbit/s; and Setup9 (node
# identify: StartBlinkingNodeLed, the official app's isSupportLedBlinking; a real MBE70 lists
# Setup..Setup10).
VELOP_MESH = replace(
    VELOP,
    name="velop_mesh",
    child_nodes=2,
    mesh_topology=True,
    master_station_kbps=True,
    services=tuple(
        sorted(
            VELOP.services
            + _svc(
                "core/Core8",
                "diagnostics/Diagnostics10",
                "nodes/diagnostics/Diagnostics",
                "nodes/diagnostics/Diagnostics2",
                "nodes/diagnostics/Diagnostics3",
                "nodes/diagnostics/Diagnostics5",
                "nodes/diagnostics/Diagnostics6",
                "nodes/firmwareupdate/FirmwareUpdate",
                "nodes/networkconnections/NodesNetworkConnections2",
                "nodes/setup/Setup9",
                "routerleds/RouterLEDs",
                "routerleds/RouterLEDs2",
                "routerleds/RouterLEDs3",
                "routerleds/RouterLEDs4",
            )
        )
    ),
)

PROFILES: dict[str, Profile] = {
    p.name: p for p in (SMARTWIFI, VELOP, LEGACY, VELOP_CAPTIVE, VELOP_MESH)
}
