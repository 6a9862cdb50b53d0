"""Parsers with odd inputs: missing members, wrong types, strings for numbers, extras."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.linksys_jnap.jnap import (
    ACTIONS,
    FAMILIES,
    AdminPasswordRestrictions,
    ALGSettings,
    Capabilities,
    Device,
    DeviceInfo,
    DeviceList,
    DHCPLease,
    EthernetPortConnections,
    ExpressForwardingSettings,
    FirmwareUpdateStatus,
    GuestNetworkSettings,
    IPv6Settings,
    JNAPAbortedError,
    JNAPAccountLockedError,
    JNAPActionError,
    JNAPAuthenticationError,
    JNAPInvalidInputError,
    JNAPNotReadyError,
    JNAPPasswordThrottledError,
    JNAPProtocolError,
    JNAPUnsupportedActionError,
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
    WANSchedule,
    WANStatus,
    WirelessSchedulerSettings,
    WLANQoSSettings,
    action_uri,
    block_rule_description,
    get_spec,
    is_device_internet_blocked,
    needs_password,
    normalize_mac,
    short_name,
)
from custom_components.linksys_jnap.jnap.errors import error_from_result
from custom_components.linksys_jnap.jnap.models import (
    HealthCheckResults,
    HealthCheckStatus,
    InternetConnectionStatus,
    RateUnits,
    SystemStats,
    WPSSessionStatus,
    as_bool,
    as_float,
    as_int,
    as_str,
    node_connections_from_json,
    pick,
)
from custom_components.linksys_jnap.jnap.presence import may_be_node

ALLOWED = "1" * 48
BLOCKED = "0" * 48
# The schedule days as the router spells them (written out here, not taken from models).
WEEK = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")


# --- catalogue -----------------------------------------------------------------------------


def test_catalogue_families_and_auth() -> None:
    # 63 + nodes/networkconnections/GetNodesWirelessNetworkConnections + qos/SetQoSSettings.
    # + the mesh's backhaul (v1, v2), node firmware (status, install), node reboot, LED night mode.
    # + system stats (v1, v2), six healthcheck, the internet check, six WPS actions.
    # + ping and traceroute (start, stop, status of each).
    # + port forwarding: single-port, port-range and triggering rules (get and set each).
    # + WAN reconnect (renew, PPP connect/disconnect), node identify (start, stop blinking).
    # + SetWirelessSchedulerSettings.
    assert len(ACTIONS) == 106
    wan = [s.short for s in FAMILIES["router/GetWANStatus"]]
    assert wan == [
        "router/GetWANStatus3",
        "router/GetWANStatus2",
        "router/GetWANStatus",
    ]
    spec = get_spec("http://cisco.com/jnap/router/GetWANStatus3")
    assert spec.service == "router/Router5"
    assert spec.uri == "http://linksys.com/jnap/router/GetWANStatus3"
    assert spec.service_uri == "http://linksys.com/jnap/router/Router5"
    assert spec.name == "GetWANStatus3"
    assert spec.family == "router/GetWANStatus"
    assert spec.version == 3
    assert get_spec("core/Transaction").service_uri is None
    assert not needs_password("core/GetDeviceInfo")
    assert needs_password("devicelist/GetDevices")
    assert needs_password("unknown/Thing")
    assert get_spec("router/GetIPv6Settings2").family == "router/GetIPv6Settings"
    assert get_spec("qos/GetWLANQoSSettings").version == 1
    assert short_name(action_uri("core/Reboot")) == "core/Reboot"
    open_actions = {s.short for s in ACTIONS.values() if not s.needs_password}
    assert open_actions == {
        "core/GetAdminPasswordHint",
        "core/GetAdminPasswordRestrictions",
        "core/GetDeviceInfo",
        "core/IsAdminPasswordDefault",
        "core/Transaction",
    }


def test_capabilities_sparse_versions() -> None:
    caps = Capabilities(
        [
            "http://linksys.com/jnap/core/Core",
            "http://cisco.com/jnap/router/Router",
            "http://linksys.com/jnap/router/Router5",
        ]
    )
    assert caps.version_of("router/GetWANStatus") == "router/GetWANStatus3"
    assert caps.supports("router/GetWANStatus")
    assert not caps.supports("router/GetWANStatus2")
    assert caps.supports("router/GetWANStatus3")
    assert caps.version_of("core/CheckAdminPassword") == "core/CheckAdminPassword"
    assert caps.version_of("devicelist/GetDevices") is None
    assert caps.has_action("core/Transaction")
    assert "http://linksys.com/jnap/router/Router5" in caps.service_uris
    caps.mark_unsupported("router/GetWANStatus3")
    assert caps.version_of("router/GetWANStatus") == "router/GetWANStatus"
    assert "services" in repr(caps)


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("_ErrorUnauthorized", JNAPAuthenticationError),
        ("ErrorInvalidAdminPassword", JNAPAuthenticationError),
        ("ErrorPasswordCheckDelayed", JNAPPasswordThrottledError),
        ("ErrorAdminAccountLocked", JNAPAccountLockedError),
        ("_ErrorUnknownAction", JNAPUnsupportedActionError),
        ("_ErrorInvalidInput", JNAPInvalidInputError),
        ("_ErrorNotReady", JNAPNotReadyError),
        ("_ErrorAbortedAction", JNAPAbortedError),
        ("_ErrorUnexpected", JNAPActionError),
        ("ErrorRulesOverlap", JNAPActionError),
    ],
)
def test_error_mapping(code: str, kind: type[Exception]) -> None:
    err = error_from_result(code, "detail", action="core/Reboot", output=None)
    assert type(err) is kind
    assert err.code == code
    assert err.action == "core/Reboot"
    assert "detail" in str(err)


def test_throttle_details() -> None:
    err = error_from_result(
        "ErrorPasswordCheckDelayed",
        None,
        action="core/CheckAdminPassword",
        output={"attemptsRemaining": "0", "delayTimeRemaining": 29.0},
    )
    assert isinstance(err, JNAPPasswordThrottledError)
    assert isinstance(err, JNAPAuthenticationError)
    assert err.attempts_remaining == 0
    assert err.delay_seconds == 29
    locked = error_from_result(
        "ErrorAdminAccountLocked", None, action=None, output={"attemptsRemaining": True}
    )
    assert isinstance(locked, JNAPAuthenticationError)
    assert locked.attempts_remaining is None
    bad = error_from_result(
        "ErrorInvalidAdminPassword",
        None,
        action=None,
        output={"attemptsRemaining": "x"},
    )
    assert isinstance(bad, JNAPAuthenticationError)
    assert bad.attempts_remaining is None
    assert str(bad) == "JNAP: ErrorInvalidAdminPassword"
    odd = error_from_result(
        "ErrorInvalidAdminPassword", None, action=None, output={"attemptsRemaining": []}
    )
    assert isinstance(odd, JNAPAuthenticationError)
    assert odd.attempts_remaining is None


# --- value helpers -------------------------------------------------------------------------


def test_value_helpers() -> None:
    assert as_str(5) == "5"
    assert as_str(5.0) == "5"
    assert as_str(5.5) == "5.5"
    assert as_str(True) is None
    assert as_str(float("nan")) is None
    assert as_str([]) is None
    assert as_float("433") == 433.0
    assert as_float(" 866.5 Mbps") == 866.5
    assert as_float("fast") is None
    assert as_float(True) is None
    assert as_float({}) is None
    assert as_float(float("inf")) is None
    assert as_int("433") == 433
    assert as_int(None) is None
    assert as_bool(1) is True
    assert as_bool("false") is False
    assert as_bool("TRUE") is True
    assert as_bool("maybe") is None
    assert as_bool(2) is None
    assert normalize_mac("aa-bb-cc-dd-ee-ff") == "AA:BB:CC:DD:EE:FF"
    assert normalize_mac("aabbccddeeff") == "AA:BB:CC:DD:EE:FF"
    assert normalize_mac("a:b:c:d:e:f") == "0A:0B:0C:0D:0E:0F"
    assert normalize_mac("aabb.ccdd.eeff") == "AA:BB:CC:DD:EE:FF"
    assert normalize_mac("zz:bb:cc:dd:ee:ff") is None
    assert normalize_mac("aa:bb:cc:dd:ee") is None
    assert normalize_mac("aa::cc:dd:ee:ff") is None
    assert normalize_mac("aaa:bb:cc:dd:ee:ff") is None
    assert normalize_mac(12) is None
    with pytest.raises(JNAPProtocolError, match="lack b"):
        pick({"a": 1}, ("a", "b"), "Model")


# --- models --------------------------------------------------------------------------------


def test_device_info() -> None:
    info = DeviceInfo.from_json(
        {
            "modelNumber": "EA7500",
            "manufacturer": "Linksys",
            "serialNumber": 12345,
            "firmwareVersion": "1.1.0",
            "firmwareDate": 0,
            "hardwareVersion": "2",
            "services": ["http://linksys.com/jnap/core/Core", 7],
            "extra": {"x": 1},
        }
    )
    assert info.serial_number == "12345"
    assert info.firmware_date is None
    assert info.description is None
    assert info.services == frozenset({"http://linksys.com/jnap/core/Core", "7"})
    with pytest.raises(JNAPProtocolError):
        DeviceInfo.from_json({"modelNumber": "x"})
    with pytest.raises(JNAPProtocolError):
        DeviceInfo.from_json(["not", "an", "object"])


def test_device_v1_and_v3() -> None:
    v1 = Device.from_json(
        {
            "deviceID": "d1",
            "friendlyName": "laptop",
            "isAuthority": "false",
            "knownMACAddresses": ["aa:bb:cc:dd:ee:01", "bad", "AA:BB:CC:DD:EE:01"],
            "connections": [
                {"macAddress": "aa:bb:cc:dd:ee:01", "ipAddress": "10.0.0.2"},
                5,
            ],
            "model": {
                "deviceType": "Computer",
                "manufacturer": "Acme",
                "modelNumber": 7,
            },
            "unit": {"operatingSystem": "Linux"},
            "properties": [
                {"name": "userDeviceName", "value": "Work laptop"},
                {"name": "urn:cisco-com:ui:qos", "value": "userPrioritized"},
                {"name": 3},
                "junk",
            ],
            "lastChangeRevision": "12",
            "maxAllowedProperties": 16,
        }
    )
    assert v1.macs == ("AA:BB:CC:DD:EE:01",)
    assert v1.name == "Work laptop"
    assert v1.model_number == "7"
    assert v1.last_change_revision == 12
    assert v1.properties["urn:cisco-com:ui:qos"] == "userPrioritized"
    assert not may_be_node(v1)
    assert v1.connections[0].ip_address == "10.0.0.2"
    assert len(v1.connections) == 1

    v3 = Device.from_json(
        {
            "deviceID": "d2",
            "isAuthority": False,
            "nodeType": "Slave",
            "knownInterfaces": [
                {
                    "macAddress": "aa:bb:cc:dd:ee:02",
                    "interfaceType": "Wireless",
                    "band": "5GHz",
                },
                {"interfaceType": "Wired"},
            ],
            "connections": [{"macAddress": "AA:BB:CC:DD:EE:02", "isGuest": True}],
        }
    )
    assert v3.macs == ("AA:BB:CC:DD:EE:02",)
    assert v3.interfaces[0].band == "5GHz"
    assert may_be_node(v3)
    assert v3.name == "AA:BB:CC:DD:EE:02"
    assert v3.connections[0].is_guest is True
    bare = Device.from_json({"deviceID": "d3", "friendlyName": "  "})
    assert bare.name == "d3"
    assert Device.from_json({"deviceID": "d4", "friendlyName": " tv "}).name == "tv"
    with pytest.raises(JNAPProtocolError):
        Device.from_json({"friendlyName": "no id"})


def test_device_list() -> None:
    parsed = DeviceList.from_json(
        {
            "revision": "40",
            "devices": [{"deviceID": "a"}, {"nope": 1}, None],
            "deletedDeviceIDs": ["x", 3],
            "unknown": True,
        },
        since_revision=39,
    )
    assert parsed.revision == 40
    assert [d.device_id for d in parsed.devices] == ["a"]
    assert parsed.deleted_device_ids == ("x", "3")
    assert parsed.since_revision == 39
    with pytest.raises(JNAPProtocolError):
        DeviceList.from_json({"devices": []})


def test_network_connections() -> None:
    conns = NetworkConnection.list_from_json(
        {
            "connections": [
                {
                    "macAddress": "aa:bb:cc:dd:ee:03",
                    "negotiatedMbps": "433",
                    "wireless": {
                        "bssid": "11:22:33:44:55:66",
                        "isGuest": "true",
                        "band": "5GHz",
                        "signalDecibels": "-61",
                        "radioID": "RADIO_5GHz",
                    },
                },
                {"macAddress": "AA:BB:CC:DD:EE:04", "negotiatedMbps": 1000},
                {"negotiatedMbps": 10},
            ]
        }
    )
    assert len(conns) == 2
    wifi, wired = conns
    assert wifi.speed_mbps == 433
    assert wifi.signal_dbm == -61
    assert wifi.is_guest
    assert wifi.is_wireless
    assert wifi.radio_id == "RADIO_5GHz"
    assert not wired.is_wireless
    assert wired.band is None
    with pytest.raises(JNAPProtocolError):
        NetworkConnection.list_from_json({})


def test_wan_status() -> None:
    up = WANStatus.from_json(
        {
            "wanStatus": "Connected",
            "detectedWANType": "DHCP",
            "macAddress": "aa:bb:cc:00:00:01",
            "wanConnection": {
                "wanType": "DHCP",
                "ipAddress": "203.0.113.7",
                "networkPrefixLength": "24",
                "gateway": "203.0.113.1",
                "mtu": 1500,
                "dnsServer1": "1.1.1.1",
                "dnsServer2": "",
            },
            "wanIPv6Connection": {"x": 1},
            "supportedWANTypes": ["DHCP", "PPPoE"],
        }
    )
    assert up.is_connected
    assert up.ip_address == "203.0.113.7"
    assert up.connection is not None
    assert up.connection.network_prefix_length == 24
    assert up.connection.dns_servers == ("1.1.1.1",)
    assert up.mac_address == "AA:BB:CC:00:00:01"
    assert up.ipv6_connection == {"x": 1}
    empty = WANStatus.from_json({})
    assert not empty.is_connected
    assert empty.ip_address is None


def test_guest_settings_v1_v2() -> None:
    v1 = GuestNetworkSettings.from_json(
        {
            "isGuestNetworkEnabled": 1,
            "maxSimultaneousGuests": "10",
            "radios": [
                {"radioID": "RADIO_2.4GHz", "guestPassword": "pw1", "isEnabled": True}
            ],
        }
    )
    assert v1.is_enabled
    assert v1.radios[0].passphrase == "pw1"
    assert "pw1" not in repr(v1)
    v2 = GuestNetworkSettings.from_json(
        {
            "isGuestNetworkEnabled": False,
            "isGuestNetworkACaptivePortal": False,
            "radios": [{"radioID": "RADIO_5GHz", "guestWPAPassphrase": "pw2"}, {}],
        },
        version=2,
    )
    assert v2.version == 2
    assert v2.radios[0].passphrase == "pw2"
    assert len(v2.radios) == 1
    with pytest.raises(JNAPProtocolError):
        GuestNetworkSettings.from_json({"radios": []})


def test_led_settings() -> None:
    assert LEDSettings.from_json(
        {"isSwitchportLEDEnabled": "true"}
    ).is_switchport_led_enabled
    with pytest.raises(JNAPProtocolError):
        LEDSettings.from_json({"isNightModeEnabled": True})


def test_parental_settings_and_block_helper() -> None:
    raw: dict[str, Any] = {
        "isParentalControlEnabled": True,
        "rules": [
            {
                "isEnabled": True,
                "description": "HA block tablet",
                "macAddresses": ["aa:bb:cc:dd:ee:05"],
                "blockedURLs": [],
                "wanSchedule": dict.fromkeys(WEEK, BLOCKED),
            },
            {
                "isEnabled": True,
                "description": "Kids",
                "macAddresses": ["AA:BB:CC:DD:EE:06"],
                "blockedURLs": ["example.com"],
                "wanSchedule": {"sunday": ALLOWED},
            },
        ],
        "maxRules": "14",
        "maxRuleDescriptionLength": 32,
    }
    settings = ParentalControlSettings.from_json(raw)
    assert settings.max_rules == 14
    ours, kids = settings.rules
    assert ours.schedule is not None
    assert ours.schedule.is_always_blocked
    assert ours.schedule.to_json()["monday"] == BLOCKED
    assert kids.schedule is None
    assert kids.blocked_urls == ("example.com",)
    assert is_device_internet_blocked(settings, ["aa-bb-cc-dd-ee-05"])
    assert not is_device_internet_blocked(settings, ["AA:BB:CC:DD:EE:06"])
    assert not is_device_internet_blocked(settings, ["junk"])
    off = ParentalControlSettings.from_json({**raw, "isParentalControlEnabled": False})
    assert not is_device_internet_blocked(off, ["AA:BB:CC:DD:EE:05"])
    assert WANSchedule.always_blocked().is_always_blocked
    assert not WANSchedule.from_json(
        dict(raw["rules"][0]["wanSchedule"], sunday=ALLOWED)
    ).is_always_blocked
    assert (
        block_rule_description("a very long device name indeed", 12) == "HA block a v"
    )
    assert block_rule_description("tv") == "HA block tv"
    with pytest.raises(JNAPProtocolError):
        ParentalControlSettings.from_json({"rules": []})


def test_firmware_status() -> None:
    status = FirmwareUpdateStatus.from_json(
        {
            "lastSuccessfulCheckTime": "2026-11-01T00:00:00Z",
            "availableUpdate": {
                "firmwareVersion": "2.0",
                "firmwareDate": 0,
                "description": "d",
            },
            "pendingOperation": {"operation": "Downloading", "progressPercent": "40"},
            "lastOperationFailure": "DownloadFailed",
        }
    )
    assert status.available_update is not None
    assert status.available_update.firmware_date is None
    assert status.pending_operation is not None
    assert status.pending_operation.progress_percent == 40
    assert status.is_update_in_progress
    assert status.last_operation_failure == "DownloadFailed"
    idle = FirmwareUpdateStatus.from_json({"lastOperationFailure": {"reason": "x"}})
    assert idle.available_update is None
    assert not idle.is_update_in_progress
    assert idle.last_operation_failure == "{'reason': 'x'}"


def test_radio_info() -> None:
    info = RadioInfo.from_json(
        {
            "isBandSteeringSupported": True,
            "radios": [
                {
                    "radioID": "RADIO_5GHz",
                    "bssid": "aa:bb:cc:dd:ee:10",
                    "band": "5GHz",
                    "supportedModes": ["802.11ac"],
                    "settings": {
                        "isEnabled": True,
                        "ssid": "home",
                        "channel": "36",
                        "wpaPersonalSettings": {"passphrase": "wifi-secret"},
                    },
                },
                {"band": "2.4GHz"},
            ],
        },
        version=3,
    )
    assert len(info.radios) == 1
    radio = info.radios[0]
    assert radio.channel == 36
    assert radio.passphrase == "wifi-secret"
    assert "wifi-secret" not in repr(info)
    with pytest.raises(JNAPProtocolError):
        RadioInfo.from_json({"radios": None})


def test_small_models() -> None:
    assert AdminPasswordRestrictions.from_json({"minLength": "4"}).min_length == 4
    assert LocalDevice.from_json({"deviceID": "abc"}).device_id == "abc"
    assert ALGSettings.from_json({"isSIPEnabled": False}).is_sip_enabled is False
    assert QoSSettings.from_json({"isQoSEnabled": True}).is_qos_enabled
    # qos.lua names the acknowledgement flag isWirelessAcknowledgementEnabled.
    wlan = WLANQoSSettings.from_json(
        {"isWMMEnabled": True, "isWirelessAcknowledgementEnabled": "0"}
    )
    assert wlan.is_wmm_enabled
    assert wlan.is_wireless_acknowledgement_enabled is False
    leases = DHCPLease.list_from_json(
        {"leases": [{"macAddress": "aa:bb:cc:dd:ee:07", "ipAddress": "10.0.0.7"}, {}]}
    )
    assert leases[0].mac == "AA:BB:CC:DD:EE:07"
    assert len(leases) == 1
    ports = EthernetPortConnections.from_json(
        {"wanPortConnection": "1Gbps", "lanPortConnections": ["None", "100Mbps"]}
    )
    assert ports.lan_port_connections == ("None", "100Mbps")
    express = ExpressForwardingSettings.from_json(
        {"isExpressForwardingSupported": True}
    )
    assert express.is_supported
    assert express.is_enabled is None
    assert IPv6Settings.from_json(
        {
            "wanType": "Automatic",
            "ipv6AutomaticSettings": {"isIPv6AutomaticEnabled": True},
        }
    ).is_ipv6_automatic_enabled
    lan = LANSettings.from_json({"ipAddress": "192.168.1.1", "networkPrefixLength": 24})
    assert lan.network_prefix_length == 24
    clone = MACAddressCloneSettings.from_json({"isMACAddressCloneEnabled": False})
    assert clone.mac_address is None
    routing = RoutingSettings.from_json(
        {"isNATEnabled": True, "entries": [{"a": 1}, 2]}
    )
    assert routing.entries == ({"a": 1},)
    mgmt = ManagementSettings.from_json({"canManageUsingHTTP": True})
    assert mgmt.can_manage_using_http
    assert RemoteManagementStatus.from_json({"serverStatus": "Up"}).status == "Up"
    assert UPnPSettings.from_json({"isUPnPEnabled": True}).is_upnp_enabled
    assert Partitions.from_json({"partitions": [{"label": "usb"}, "x"]}).partitions == (
        {"label": "usb"},
    )
    assert VLANProfiles.from_json({"profiles": [{"id": 1}]}).profiles == ({"id": 1},)
    assert VLANTaggingSettings.from_json({"isEnabled": False}).is_enabled is False
    sched = WirelessSchedulerSettings.from_json(
        {
            "isWirelessSchedulerEnabled": True,
            "wirelessSchedule": dict.fromkeys(WEEK, ALLOWED),
        }
    )
    assert sched.is_enabled
    assert sched.schedule is not None
    broken = WirelessSchedulerSettings.from_json(
        {"wirelessSchedule": {"sunday": ALLOWED}}
    )
    assert broken.schedule is None
    tz = TimeSettings.from_json(
        {
            "timeZoneID": "PST8",
            "autoAdjustForDST": True,
            "supportedTimeZones": [
                {"timeZoneID": "PST8", "utcOffsetMinutes": "-480", "observesDST": True},
                {"description": "no id"},
            ],
        }
    )
    assert tz.supported_time_zones[0].utc_offset_minutes == -480
    assert len(tz.supported_time_zones) == 1
    assert LogSettings.from_json({"isLoggingEnabled": "true"}).is_logging_enabled
    entries = LogEntries.from_json({"entries": [{"m": 1}, "x"], "totalEntryCount": 9})
    assert entries.entries == ({"m": 1},)
    assert entries.total_entry_count == 9


def test_speed_test_results_as_a_real_router_orders_them() -> None:
    """Real answer (PrivacyGUI pollingResponseCache): not in time order; a running row."""
    output = {
        "healthCheckResults": [
            {
                "resultID": 10375,
                "timestamp": "2023-11-21T08:29:20Z",
                "healthCheckModulesRequested": ["SpeedTest"],
                "speedTestResult": {
                    "resultID": 10375,
                    "exitCode": "Success",
                    "serverID": "38330",
                    "latency": 2,
                    "uploadBandwidth": 44389,
                    "downloadBandwidth": 89740,
                },
            },
            {
                "resultID": 19838,
                "timestamp": "2023-12-21T05:52:41Z",
                "healthCheckModulesRequested": ["SpeedTest"],
                "speedTestResult": {
                    "resultID": 19838,
                    "exitCode": "Success",
                    "serverID": "18445",
                    "latency": "2",
                    "uploadBandwidth": 44785,
                    "downloadBandwidth": 94677,
                },
            },
            {
                "resultID": 32559,
                "timestamp": "2023-12-21T05:44:37Z",
                "healthCheckModulesRequested": ["SpeedTest"],
                "speedTestResult": {"resultID": 32559, "exitCode": "Success"},
            },
            {  # the running test's row (healthcheck.lua runHealthCheck)
                "resultID": 55555,
                "timestamp": "2023-12-22T01:00:00Z",
                "healthCheckModulesRequested": ["SpeedTest"],
                "speedTestResult": {
                    "resultID": 55555,
                    "exitCode": "Unavailable",
                    "serverID": "0",
                    "latency": 0,
                    "uploadBandwidth": 0,
                    "downloadBandwidth": 0,
                },
            },
            {"resultID": 1, "timestamp": "2024-01-01T00:00:00Z"},  # no module results
        ]
    }
    results = HealthCheckResults.from_json(output)
    latest = results.latest
    assert latest is not None
    assert latest.result_id == 19838
    assert latest.download_mbps == pytest.approx(94.677)
    assert latest.latency_ms == 2
    assert latest.timestamp is not None
    assert latest.timestamp.isoformat() == "2023-12-21T05:52:41+00:00"
    assert HealthCheckResults.from_json({"healthCheckResults": []}).latest is None
    assert not HealthCheckStatus.from_json({}).running
    running = HealthCheckStatus.from_json(
        {
            "healthCheckModuleCurrentlyRunning": "SpeedTest",
            "speedTestResult": {"exitCode": "Unavailable", "latency": 3},
        }
    )
    assert running.running
    assert running.progress is not None
    assert running.progress.latency_ms == 3


@pytest.mark.parametrize(
    ("raw", "percent"),
    [("0.25", 25.0), (0.5, 50.0), ("37", 37.0), (1, 100.0), ("150", None), ("x", None)],
)
def test_system_stats_load_as_fraction_or_percent(
    raw: Any, percent: float | None
) -> None:
    stats = SystemStats.from_json({"uptimeSeconds": "120", "CPULoad": raw})
    assert stats.uptime_seconds == 120
    assert stats.cpu_load_percent == percent
    assert stats.memory_load_percent is None


def test_system_stats2_as_a_real_ln16_answers() -> None:
    # PrivacyGUI demo_cache_data.json (an LN16 1.0.10, an M60CF 1.0.14): loads as text,
    # "" for no figure: unknown, never 0, yet reported (the sensor exists).
    ln16 = SystemStats.from_json(
        {"uptimeSeconds": 2870497, "CPULoad": "", "MemoryLoad": "0.79"}
    )
    assert ln16.cpu_load_percent is None
    assert ln16.cpu_load_reported
    assert ln16.memory_load_percent == 79.0
    m60 = SystemStats.from_json(
        {"uptimeSeconds": 20728, "CPULoad": "0.07", "MemoryLoad": "0.65"}
    )
    assert (m60.cpu_load_percent, m60.memory_load_percent) == (7.0, 65.0)
    plain = SystemStats.from_json({"uptimeSeconds": 5})
    assert not plain.cpu_load_reported
    assert not plain.memory_load_reported


def _node_list(*nodes: tuple[str, list[tuple[str, int, int]]]) -> dict[str, Any]:
    return {
        "nodeWirelessConnections": [
            {
                "deviceID": node,
                "connections": [
                    {
                        "macAddress": mac,
                        "negotiatedMbps": rate,
                        "timestamp": "2025-12-24T05:47:03Z",
                        "wireless": {
                            "bssid": "80:69:1A:BB:7E:9A",
                            "isGuest": False,
                            "radioID": "RADIO_5GHz",
                            "band": "5GHz",
                            "signalDecibels": -53,
                            "txRate": tx,
                            "rxRate": tx // 2,
                            "isMLOCapable": False,
                        },
                    }
                    for mac, rate, tx in stations
                ],
            }
            for node, stations in nodes
        ]
    }


def test_nodes_list_v2_rates_decided_per_node_as_a_real_ln16_mesh() -> None:
    # One real GetNodesWirelessNetworkConnections2 answer (PrivacyGUI demo_cache_data.json,
    # LN16 1.0.10 master with MX42 satellites): the master's stations in kbit/s (286800,
    # 86500), a satellite's in Mbit/s (144, 1); txRate/rxRate in kbit/s, 0 for none.
    memos: dict[str, Any] = {}
    units = RateUnits()
    master, satellite = "4a8bfcbf-master", "78705b46-satellite"
    first = node_connections_from_json(
        _node_list(
            (
                master,
                [
                    ("1A:C0:2D:04:D7:AA", 286800, 152738),
                    ("A4:36:C7:64:49:80", 86500, 0),
                ],
            ),
            (satellite, [("3C:A6:F6:51:87:B2", 144, 0), ("2C:1B:3A:94:F9:A2", 1, 0)]),
        ),
        memos,
        units,
    )
    assert [(c.node_id, c.speed_mbps) for c in first] == [
        (master, 286.8),
        (master, 86.5),
        (satellite, 144),
        (satellite, 1),
    ]
    assert first[0].tx_rate_kbps == 152738
    assert first[0].rx_rate_kbps == 152738 // 2
    assert first[0].mlo_capable is False
    assert first[1].tx_rate_kbps is None  # 0: no figure
    # Later the master lists one slow station (43300 kbit/s, below the kbit/s bound) and
    # the satellite a fast one (1201 Mbit/s): each node keeps its unit.
    later = node_connections_from_json(
        _node_list(
            (master, [("1A:C0:2D:04:D7:AA", 43300, 0)]),
            (satellite, [("3C:A6:F6:51:87:B2", 1201, 0)]),
        ),
        memos,
        units,
    )
    assert [(c.node_id, c.speed_mbps) for c in later] == [
        (master, 43.3),
        (satellite, 1201),
    ]


def test_internet_and_wps_status() -> None:
    assert InternetConnectionStatus.from_json(
        {"connectionStatus": "InternetConnected"}
    ).is_connected
    assert (
        InternetConnectionStatus.from_json(
            {"connectionStatus": "NoPortConnected"}
        ).is_connected
        is False
    )
    assert InternetConnectionStatus.from_json({}).is_connected is None
    wps = WPSSessionStatus.from_json(
        {"isWPSSessionInProgress": False, "serverPIN": "1"}
    )
    assert not wps.in_progress
    assert wps.last_result is None
    assert "1" not in repr(wps)
