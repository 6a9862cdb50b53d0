"""Mutable router state: settings, devices and live connections.

Attributes are snake_case; the action handlers translate to and from the wire's camelCase.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
ALL_ALLOWED = "1" * 48


@dataclass
class DeviceInfo:
    manufacturer: str
    model_number: str
    hardware_version: str
    description: str
    serial_number: str
    firmware_version: str
    firmware_date: str


@dataclass
class AdminState:
    password: str
    hint: str = ""
    is_default: bool = False
    failures: int = 0
    delay_until: float = 0.0
    locked: bool = False


@dataclass
class LedSettings:
    is_switchport_led_enabled: bool = True


@dataclass
class GuestRadio:
    radio_id: str
    is_enabled: bool
    guest_ssid: str
    guest_password: str
    broadcast_guest_ssid: bool = True
    can_enable_radio: bool = True


@dataclass
class GuestSettings:
    is_guest_network_enabled: bool
    max_simultaneous_guests: int
    radios: list[GuestRadio]
    is_guest_network_a_captive_portal: bool = False
    max_simultaneous_guests_limit: int = 50


@dataclass
class ParentalRule:
    is_enabled: bool
    description: str
    mac_addresses: list[str]
    blocked_urls: list[str]
    wan_schedule: dict[str, str]


@dataclass
class ParentalSettings:
    is_parental_control_enabled: bool
    rules: list[ParentalRule]
    max_rules: int = 14
    max_rule_mac_addresses: int = 32
    max_rule_blocked_urls: int = 8
    max_rule_blocked_url_length: int = 79
    max_rule_description_length: int = 32


@dataclass
class QoSState:
    is_enabled: bool = False
    auto_prioritizing: bool = True
    upstream_bps: int = 0
    downstream_bps: int = 0
    device_rules: list[dict[str, Any]] = field(default_factory=list)
    application_rules: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class FirewallRules:
    """Port forwarding and triggering rules, in the wire's form (firewall.lua)."""

    single: list[dict[str, Any]] = field(default_factory=list)
    ranges: list[dict[str, Any]] = field(default_factory=list)
    triggers: list[dict[str, Any]] = field(default_factory=list)
    # platform.lua (WRT): MAX_SINGLEPORT_RULES, MAX_PORTRANGE_RULES, MAX_PORTTRIGGER_RULES,
    # MAX_PORT_RULE_DESCRIPTION_LENGTH.
    max_single: int = 50
    max_ranges: int = 25
    max_triggers: int = 25
    max_description: int = 32


@dataclass
class RadioSettings:
    is_enabled: bool
    mode: str
    ssid: str
    broadcast_ssid: bool
    channel_width: str
    channel: int
    security: str
    passphrase: str


@dataclass
class Radio:
    radio_id: str
    physical_radio_id: str
    bssid: str
    band: str
    supported_modes: list[str]
    supported_channels: dict[str, list[int]]  # channel width -> channels
    supported_security_types: list[str]
    settings: RadioSettings
    max_radius_shared_key_length: int = 64


@dataclass
class BandSteering:
    # wirelessap.lua: Basic joins the two 5 GHz radios, TriBand all three.
    is_supported: bool = False
    is_enabled: bool = False
    mode: str = "Basic"
    supported_modes: list[str] = field(default_factory=lambda: ["Basic", "TriBand"])


@dataclass
class WirelessScheduler:
    """wirelessscheduler.lua: on/off, 48 half hours a day (1: Wi-Fi on), its radios."""

    is_enabled: bool = False
    schedule: dict[str, str] = field(
        default_factory=lambda: dict.fromkeys(DAYS, "1" * 48)
    )
    # (radioID, isGuestRadio) pairs the schedule turns off.
    configured: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class WanState:
    connected: bool = True
    wan_type: str = "DHCP"
    mac_address: str = ""
    ip_address: str = "203.0.113.57"
    network_prefix_length: int = 22
    gateway: str = "203.0.113.1"
    mtu: int = 1500
    dhcp_lease_minutes: int = 1440
    dns_servers: list[str] = field(
        default_factory=lambda: ["203.0.113.2", "203.0.113.3"]
    )
    ipv6_connected: bool = True
    ipv6_address: str = "2001:db8:5a1e::1"
    # A renewed lease or redialled PPP link: "Connecting" until this sim-clock time.
    reconnecting_until: float | None = None
    # DisconnectPPPWAN hung up: "Disconnected" until ConnectPPPWAN.
    ppp_hung_up: bool = False
    reconnects: int = 0


@dataclass
class AvailableUpdate:
    firmware_version: str
    firmware_date: str
    description: str


@dataclass
class PendingOperation:
    only_check: bool
    started: float


@dataclass
class FirmwareState:
    update_policy: str = "AutomaticallyCheckAndInstall"
    window_start_minute: int = 0
    window_duration_minutes: int = 240
    last_check_time: str = "2026-11-25T03:00:00Z"
    available: AvailableUpdate | None = None
    pending: PendingOperation | None = None
    last_failure: str | None = None


@dataclass
class SpeedTest:
    """One healthcheck SpeedTest row (healthcheck.lua): started on the sim clock."""

    result_id: int
    started: float | None
    """Sim-clock time of RunHealthCheck (None: it was killed or the router rebooted)."""
    wall: str
    """Its ``timestamp`` ('YYYY-MM-DDTHH:MM:SSZ')."""
    exit_code: str = "Unavailable"
    latency: int = 0
    download: int = 0
    upload: int = 0


@dataclass
class HealthState:
    """Speed tests, internet check, WPS and uptime (docs/firmware-facts.md, "healthcheck")."""

    booted: float = field(default=0.0, compare=False)
    """Sim-clock time of the last boot (uptime counts from it; not part of the world)."""
    # Newer firmware's GetSystemStats members (None: not answered, as the PIN Lua).
    cpu_load: str | None = None
    memory_load: str | None = None
    tests: list[SpeedTest] = field(default_factory=list)
    status_id: int | None = None
    """The result id GetHealthCheckStatus reports (cleared once a final code is read)."""
    line_down_kbps: int = 94174
    line_up_kbps: int = 44705
    latency_ms: int = 2
    fail_next_test: str | None = None
    """exitCode the next test ends with instead of Success (a license/execution error)."""
    internet_up: bool = True
    """The router's own internet check (icc_internet_state)."""
    wps_enabled: bool = True
    mac_filter: str = "Disabled"
    wps_started: float | None = None
    wps_status: str = ""
    """``sc:get_wifi_wps_status()``: '', 'running', 'success' or 'failed'."""
    wps_joined: bool = False
    """A client pushed its button while the session is open (the session then succeeds)."""


@dataclass
class RouterTest:
    """A ping or traceroute the router runs (diagnostics.lua ``startPing``/``startTraceroute``)."""

    kind: str
    """``ping`` or ``traceroute``."""
    host: str
    started: float
    """Sim-clock time it started."""
    count: int | None = None
    """Pings to send; None: until stopped (the firmware's script without ``-c``)."""
    packet_size: int = 56
    stopped: float | None = None
    """Sim-clock time StopPing/StopTraceroute (or a reboot) ended it."""


@dataclass
class NightMode:
    """routerleds night mode (PrivacyGUI NodeLightSettings: Enable, StartingTime, EndingTime)."""

    enabled: bool = False
    starting_hour: int = 20
    ending_hour: int = 8


@dataclass
class MeshNode:
    """A satellite of a mesh (velop_mesh): its backhaul, power, reboot and firmware."""

    device_id: str
    ip: str
    # The node its backhaul goes to (the master or another satellite).
    parent_id: str
    connection_type: str  # Wired | Wireless
    # Wireless backhaul: the station MAC on the parent's radio and the link figures as
    # bh_report gives them (nodes_diagnostics.lua getBackhaulDeviceInfo).
    station_mac: str | None = None
    radio_id: str = "5GH"
    channel: int = 161
    ap_rssi: int = -52
    station_rssi: int = -55
    speed_mbps: str = "387.127"
    tx_rate_kbps: int = 1201000
    rx_rate_kbps: int = 864800
    # The node's own BSSIDs, one per main radio (radio ID -> BSSID).
    bssids: dict[str, str] = field(default_factory=dict)
    powered: bool = True
    down_until: float | None = None
    # Live links parked while the node is offline (its clients and its own links).
    parked: dict[str, Connection] = field(default_factory=dict)
    backhaul_since: str = "2026-11-25T06:00:00Z"
    firmware: FirmwareState = field(default_factory=FirmwareState)


@dataclass
class TimeSettings:
    time_zone_id: str = "PST8PDT"
    auto_adjust_for_dst: bool = True


@dataclass
class LogSettings:
    is_logging_enabled: bool = False


@dataclass
class Interface:
    mac: str
    interface_type: str  # Wireless | Wired | Unknown
    band: str | None = None


@dataclass
class Device:
    device_id: str
    last_change_revision: int
    device_type: str
    friendly_name: str | None = None
    is_authority: bool = False
    node_type: str | None = None  # Master | Slave on mesh systems
    manufacturer: str | None = None
    model_number: str | None = None
    hardware_version: str | None = None
    model_description: str | None = None
    serial_number: str | None = None
    firmware_version: str | None = None
    operating_system: str | None = None
    interfaces: list[Interface] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    # v1 GetDevices keeps the last connection of every MAC ever seen (stale entries).
    v1_connections: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Static address of infrastructure (router, nodes), never pruned.
    fixed_ip: str | None = None
    # Last seen on the guest network (devicedb detectedOnNetwork 'guest').
    on_guest: bool = False

    @property
    def macs(self) -> list[str]:
        """MAC addresses known for this device."""
        return [i.mac for i in self.interfaces]


@dataclass
class Connection:
    """A live link of one MAC: wireless (band set) or wired (band None)."""

    mac: str
    ip: str
    band: str | None
    guest: bool = False
    signal: int = -50
    negotiated_mbps: int = 866
    radio_id: str | None = None
    bssid: str | None = None
    since: str = "2026-11-25T06:00:00Z"
    parent_device_id: str | None = None
    ipv6: str | None = None


@dataclass
class RouterState:
    device_info: DeviceInfo
    services: list[str]
    admin: AdminState
    devices: dict[str, Device]
    connections: dict[str, Connection]
    guest: GuestSettings
    parental: ParentalSettings
    leds: LedSettings
    wan: WanState
    firmware: FirmwareState
    radios: list[Radio]
    band_steering: BandSteering
    time: TimeSettings
    log: LogSettings
    lan_ip: str = "192.168.1.1"
    lan_mask: str = "255.255.255.0"
    qos: QoSState = field(default_factory=QoSState)
    firewall: FirewallRules = field(default_factory=FirewallRules)
    # Linksys Shield licence (networksecurity): parental control is then refused.
    shield_license_id: str | None = None
    revision: int = 1
    deleted: list[tuple[str, int]] = field(default_factory=list)
    authority_id: str = ""
    local_device_id: str = ""
    boot_count: int = 0
    # velop_mesh: satellites by device ID (empty elsewhere).
    nodes: dict[str, MeshNode] = field(default_factory=dict)
    # nodes/smartmode: False = not the master (bridge/slave): node diagnostics refuse.
    master_mode: bool = True
    night_mode: NightMode = field(default_factory=NightMode)
    health: HealthState = field(default_factory=HealthState)
    wireless_scheduler: WirelessScheduler = field(default_factory=WirelessScheduler)
    # The last ping and traceroute (one of each runs at a time); not part of the world.
    tests: dict[str, RouterTest] = field(default_factory=dict, compare=False)
    # router/GetEthernetPortConnections: a link per LAN port and of the WAN port, as
    # router.lua names them (1Gbps, 100Mbps, 10Mbps, None); None: derived (wired clients).
    lan_port_links: list[str] | None = None
    wan_port_link: str | None = None
    # nodes/setup/StartBlinkingNodeLed: the node whose light blinks.
    blinking_node: str | None = None

    def bump(self, device: Device | None = None) -> int:
        """Advance the device-list revision, stamping a changed device."""
        self.revision += 1
        if device is not None:
            device.last_change_revision = self.revision
        return self.revision

    def device_for_mac(self, mac: str) -> Device | None:
        """Find the device that owns a MAC."""
        mac = mac.upper()
        for device in self.devices.values():
            if mac in device.macs:
                return device
        return None

    def radio(self, radio_id: str) -> Radio | None:
        """Find a main radio by ID."""
        return next((r for r in self.radios if r.radio_id == radio_id), None)
