"""JNAP action handlers: one function per action, registered with its service and auth."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import re
from typing import TYPE_CHECKING, Any

from . import schema as s
from .schema import InputError, invalid
from .state import (
    AvailableUpdate,
    Connection,
    Device,
    FirmwareState,
    PendingOperation,
    RouterState,
)

if TYPE_CHECKING:
    from .server import RouterSimulator

type Handler = Callable[["RouterSimulator", dict[str, Any]], dict[str, Any]]
type VersionedHandler = Callable[
    ["RouterSimulator", dict[str, Any], int], dict[str, Any]
]

# Checked with fullmatch: Python's `$` also matches before a final newline, Lua's does not.
MAC_RE = re.compile(r"^[0-9A-F]{2}(:[0-9A-F]{2}){5}$")
SCHEDULE_RE = re.compile(r"^[01]{48}$")
TIME_ZONES = (
    ("PST8PDT", "(GMT-08:00) Pacific Time (USA & Canada)", -480, True),
    ("MST7MDT", "(GMT-07:00) Mountain Time (USA & Canada)", -420, True),
    ("CST6CDT", "(GMT-06:00) Central Time (USA & Canada)", -360, True),
    ("EST5EDT", "(GMT-05:00) Eastern Time (USA & Canada)", -300, True),
    ("GMT0BST", "(GMT) England", 0, True),
    ("CET-1CEST", "(GMT+01:00) Germany, France, Italy", 60, True),
    ("JST-9", "(GMT+09:00) Japan", 540, False),
)
UPDATE_POLICIES = ("Manual", "AutomaticallyCheck", "AutomaticallyCheckAndInstall")
# Firmware install timeline in sim-clock seconds from UpdateFirmwareNow.
FW_STAGES = (
    ("Checking", 0.0, 5.0),
    ("Downloading", 5.0, 35.0),
    ("Installing", 35.0, 65.0),
    ("Rebooting", 65.0, 70.0),
)
FW_CHECK_SECONDS = 5.0
FW_REBOOT_DOWNTIME = 60.0


@dataclass(frozen=True, slots=True)
class ActionDef:
    """One JNAP action as a firmware serves it."""

    name: str  # short name, e.g. "router/GetWANStatus3"
    service: str  # short service, e.g. "router/Router5"
    auth: bool  # needs the admin password
    handler: Handler
    spec: dict[str, s.Spec]
    write: bool = False
    side_effects: tuple[str, ...] = ()


ACTIONS: dict[str, ActionDef] = {}
# Actions served but not yet in docs/wire-contract.md (the mesh node actions of mesh.py):
# tests pin ACTIONS to the contract table, and the replay router uses ACTIONS as its
# catalogue. Merge into ACTIONS once the contract lists them.
NODE_ACTIONS: dict[str, ActionDef] = {}


def action(
    name: str,
    service: str,
    spec: dict[str, s.Spec] | None = None,
    *,
    auth: bool = True,
    write: bool = False,
    side_effects: tuple[str, ...] = (),
    contract: bool = True,
) -> Callable[[Handler], Handler]:
    """Register a handler (``contract=False``: in NODE_ACTIONS, not yet in the contract)."""

    def deco(fn: Handler) -> Handler:
        (ACTIONS if contract else NODE_ACTIONS)[name] = ActionDef(
            name,
            service,
            auth,
            fn,
            s.NO_INPUT if spec is None else spec,
            write,
            side_effects,
        )
        return fn

    return deco


def versioned_reads(
    builder: Callable[[RouterSimulator, int], dict[str, Any]],
    *versions: tuple[int, str, str],
) -> None:
    """Register each ``(version, action, service)`` of a read family built by ``builder``."""

    def read(sim: RouterSimulator, _b: dict[str, Any], version: int) -> dict[str, Any]:
        return builder(sim, version)

    versioned_actions(read, *((v, name, svc, s.NO_INPUT) for v, name, svc in versions))


def versioned_actions(
    handler: VersionedHandler,
    *versions: tuple[int, str, str, dict[str, s.Spec]],
    write: bool = False,
    side_effects: tuple[str, ...] = (),
) -> None:
    """Register each ``(version, action, service, spec)`` of a family served by ``handler``."""
    for version, name, service, spec in versions:
        action(name, service, spec, write=write, side_effects=side_effects)(
            _with_version(handler, version)
        )


def _with_version(handler: VersionedHandler, version: int) -> Handler:
    def bound(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
        return handler(sim, b, version)

    return bound


def static(name: str, service: str, output: dict[str, Any]) -> None:
    """Register a read-only action with a fixed answer."""

    def handler(_sim: RouterSimulator, _body: dict[str, Any]) -> dict[str, Any]:
        return output

    ACTIONS[name] = ActionDef(name, service, True, handler, s.NO_INPUT)


# ---------------------------------------------------------------- core


@action("core/GetDeviceInfo", "core/Core", auth=False)
def get_device_info(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    i = sim.state.device_info
    return {
        "manufacturer": i.manufacturer,
        "modelNumber": i.model_number,
        "hardwareVersion": i.hardware_version,
        "description": i.description,
        "serialNumber": i.serial_number,
        "firmwareVersion": i.firmware_version,
        "firmwareDate": i.firmware_date,
        "services": list(sim.state.services),
    }


@action("core/GetAdminPasswordHint", "core/Core", auth=False)
def get_hint(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return {"passwordHint": sim.state.admin.hint}


@action("core/GetAdminPasswordRestrictions", "core/Core", auth=False)
def get_restrictions(_sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return {"minLength": 4, "maxLength": 32, "disallowedCharacters": ""}


@action("core/IsAdminPasswordDefault", "core/Core", auth=False)
def is_default(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return {"isAdminPasswordDefault": sim.state.admin.is_default}


def _check_pw(_sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    # Reaching the handler means the password check already passed.
    return {}


action("core/CheckAdminPassword", "core/Core")(_check_pw)
action("core/CheckAdminPassword2", "core/Core2", s.CHECK_PW_BODY)(_check_pw)
action("core/CheckAdminPassword3", "core/Core7", s.CHECK_PW_BODY)(_check_pw)


@action("core/Reboot", "core/Core", write=True, side_effects=("DeviceRestart",))
def reboot(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    sim.schedule_reboot(sim.reboot_downtime)
    return {}


@action("core/SetAdminPassword2", "core/Core3", s.ADMIN_SET, write=True)
def set_admin_password(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    pw: str = b["adminPassword"]
    if not 4 <= len(pw) <= 32:
        raise invalid("adminPassword does not meet the password restrictions")
    if len(b["passwordHint"]) > 512 or (b["passwordHint"] and pw in b["passwordHint"]):
        raise invalid("Invalid passwordHint")
    sim.state.admin.password = pw
    sim.state.admin.hint = b["passwordHint"]
    sim.state.admin.is_default = False
    return {}


# ---------------------------------------------------------------- devices


def _device_wire(
    st: RouterState, d: Device, version: int, *, mesh: bool = False
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "deviceID": d.device_id,
        "lastChangeRevision": d.last_change_revision,
    }
    if d.friendly_name is not None:
        out["friendlyName"] = d.friendly_name
    out["isAuthority"] = d.is_authority
    if d.node_type is not None:
        out["nodeType"] = d.node_type
    model: dict[str, Any] = {"deviceType": d.device_type}
    model |= {
        key: val
        for key, val in (
            ("manufacturer", d.manufacturer),
            ("modelNumber", d.model_number),
            ("hardwareVersion", d.hardware_version),
            ("description", d.model_description),
        )
        if val is not None
    }
    out["model"] = model
    unit: dict[str, Any] = {
        key: val
        for key, val in (
            ("serialNumber", d.serial_number),
            ("firmwareVersion", d.firmware_version),
            ("operatingSystem", d.operating_system),
        )
        if val is not None
    }
    out["unit"] = unit
    if version == 1:
        out["knownMACAddresses"] = d.macs
        out["connections"] = [dict(c) for c in d.v1_connections.values()]
    else:
        ifaces = []
        for i in d.interfaces:
            entry: dict[str, Any] = {
                "macAddress": i.mac,
                "interfaceType": i.interface_type,
            }
            if i.band is not None:
                entry["band"] = i.band
            ifaces.append(entry)
        out["knownInterfaces"] = ifaces
        conns = []
        for mac in d.macs:
            live = st.connections.get(mac)
            if live is None:
                continue
            c: dict[str, Any] = {"macAddress": mac, "ipAddress": live.ip}
            if live.ipv6:
                c["ipv6Address"] = live.ipv6
            # Real meshes never name a parent on a node's own connections (every
            # recording in tests/fixtures/real); velop_mesh follows them.
            if live.parent_device_id and not (d.node_type and st.nodes):
                c["parentDeviceID"] = live.parent_device_id
            # devicedb (VEL) outputs isGuest only when true.
            if live.guest or not mesh:
                c["isGuest"] = live.guest
            conns.append(c)
        if d.fixed_ip and not conns and d.device_id not in st.nodes:
            own: dict[str, Any] = {"macAddress": d.macs[0], "ipAddress": d.fixed_ip}
            if not mesh:
                own["isGuest"] = False
            conns.append(own)
        out["connections"] = conns
    out["properties"] = [{"name": k, "value": v} for k, v in d.properties.items()]
    out["maxAllowedProperties"] = 16
    return out


def _offline_guest(st: RouterState, d: Device) -> bool:
    """Whether devicedb (VEL) drops it: a guest device with no online interface."""
    return d.on_guest and not any(m in st.connections for m in d.macs)


def _get_devices(
    sim: RouterSimulator, b: dict[str, Any], version: int
) -> dict[str, Any]:
    st = sim.state
    since = b.get("sinceRevision")
    mesh = bool(sim.profile.child_nodes)
    devices = [
        _device_wire(st, d, version, mesh=mesh)
        for d in st.devices.values()
        if (since is None or d.last_change_revision > since)
        and not (mesh and version == 3 and _offline_guest(st, d))
    ]
    deleted = [
        dev_id for dev_id, rev in st.deleted if since is not None and rev > since
    ]
    return {"revision": st.revision, "devices": devices, "deletedDeviceIDs": deleted}


versioned_actions(
    _get_devices,
    (1, "devicelist/GetDevices", "devicelist/DeviceList", s.GET_DEVICES),
    (3, "devicelist/GetDevices3", "devicelist/DeviceList4", s.GET_DEVICES),
)


@action("devicelist/GetLocalDevice", "devicelist/DeviceList")
def get_local_device(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return {"deviceID": sim.state.local_device_id}


MAX_PROPERTIES = 16
MAX_PROPERTY_NAME_BYTES = 31
MAX_PROPERTY_VALUE_BYTES = 255
PROPERTY_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9\-_:]*$")


def _check_property_name(name: str) -> None:
    if len(name.encode()) > MAX_PROPERTY_NAME_BYTES or not PROPERTY_NAME_RE.fullmatch(
        name
    ):
        raise InputError("ErrorInvalidPropertyName", f"Invalid property name {name!r}")


@action(
    "devicelist/SetDeviceProperties",
    "devicelist/DeviceList",
    s.DEVICE_PROPS,
    write=True,
)
def set_device_properties(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    # devicelist.lua / devicelist_devicedb.lua innerSetDeviceProperties: names checked
    # (removals first), values by their bytes, the count after the merge.
    device = sim.state.devices.get(b["deviceID"])
    if device is None:
        raise InputError("ErrorUnknownDevice", f"Unknown device {b['deviceID']}")
    props = dict(device.properties)
    for name in b.get("propertiesToRemove", []):
        _check_property_name(name)
        props.pop(name, None)
    for prop in b["propertiesToModify"]:
        _check_property_name(prop["name"])
        if len(prop["value"].encode()) > MAX_PROPERTY_VALUE_BYTES:
            raise InputError("ErrorPropertyValueTooLong", "Property value too long")
        props[prop["name"]] = prop["value"]
    if len(props) > MAX_PROPERTIES:
        raise InputError("ErrorTooManyProperties", "Too many properties")
    device.properties = props
    sim.state.bump(device)
    return {}


@action(
    "devicelist/DeleteDevice", "devicelist/DeviceList2", s.DELETE_DEVICE, write=True
)
def delete_device(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    st = sim.state
    device = st.devices.get(b["deviceID"])
    if device is None:
        raise InputError("ErrorUnknownDevice", f"Unknown device {b['deviceID']}")
    # devicelist.lua / devicelist_devicedb.lua innerDeleteDevice: never the router, never
    # a device online (VEL), never one whose topodb record still holds a connection (WRT).
    if device.is_authority:
        raise InputError("ErrorCannotDeleteDevice", "Cannot delete the router")
    if any(i.mac in st.connections for i in device.interfaces):
        raise InputError("ErrorCannotDeleteDevice", "The device is connected")
    if not sim.profile.child_nodes and device.v1_connections:
        raise InputError("ErrorCannotDeleteDevice", "The device has connections")
    sim.delete_device(device.device_id)
    return {}


# ---------------------------------------------------------------- network connections


def _connection_wire(c: Connection, version: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "macAddress": c.mac,
        "negotiatedMbps": c.negotiated_mbps,
        "timestamp": c.since,
    }
    if c.band is not None:
        wireless: dict[str, Any] = {
            "bssid": c.bssid,
            "isGuest": c.guest,
            "band": c.band,
            "signalDecibels": c.signal,
        }
        if version == 2:
            wireless["radioID"] = c.radio_id
        entry["wireless"] = wireless
    return entry


def node_of(st: RouterState, c: Connection) -> str:
    """Return the node a connection is on (the router when it names none)."""
    return c.parent_device_id or st.authority_id


def _connections(sim: RouterSimulator, version: int) -> dict[str, Any]:
    # networkconnections.lua reads the answering node's own station and switch tables:
    # on a mesh only the master's clients (and wired satellites) are listed.
    st = sim.state
    return {
        "connections": [
            _connection_wire(c, version)
            for c in st.connections.values()
            if node_of(st, c) == st.authority_id
        ]
    }


def _node_station(sim: RouterSimulator, c: Connection, node: str, version: int) -> Any:
    entry = _connection_wire(c, 2)
    master = node == sim.state.authority_id
    if master and sim.profile.master_station_kbps:
        # ln16 1.0.10 (PrivacyGUI demo_cache_data.json): the master's phyrate in kbit/s.
        entry["negotiatedMbps"] = c.negotiated_mbps * 1000
    if version == 2:
        # txRate/rxRate in kbit/s; the ln16's MX42 satellites answer 0 (no figure).
        entry["wireless"]["txRate"] = c.negotiated_mbps * 700 if master else 0
        entry["wireless"]["rxRate"] = c.negotiated_mbps * 500 if master else 0
        entry["wireless"]["isMLOCapable"] = False
    return entry


def _nodes_wireless(sim: RouterSimulator, version: int) -> dict[str, Any]:
    """Every node's Wi-Fi stations (nodes_networkconnections.lua)."""
    st = sim.state
    nodes = [
        d.device_id
        for d in st.devices.values()
        if d.node_type is not None
        and (d.device_id not in st.nodes or node_online(sim, d.device_id))
    ]
    return {
        "lastTriggered": sim.wall_time(),
        "nodeWirelessConnections": [
            {
                "deviceID": node,
                "connections": [
                    _node_station(sim, c, node, version)
                    for c in st.connections.values()
                    if c.band is not None and node_of(st, c) == node
                ],
            }
            for node in nodes
        ],
    }


versioned_reads(
    _nodes_wireless,
    (
        1,
        "nodes/networkconnections/GetNodesWirelessNetworkConnections",
        "nodes/networkconnections/NodesNetworkConnections",
    ),
    (
        2,
        "nodes/networkconnections/GetNodesWirelessNetworkConnections2",
        "nodes/networkconnections/NodesNetworkConnections2",
    ),
)


versioned_reads(
    _connections,
    (
        1,
        "networkconnections/GetNetworkConnections",
        "networkconnections/NetworkConnections",
    ),
    (
        2,
        "networkconnections/GetNetworkConnections2",
        "networkconnections/NetworkConnections2",
    ),
)


# ---------------------------------------------------------------- firmware


def node_online(sim: RouterSimulator, node_id: str) -> bool:
    """Whether a velop_mesh node is up: powered, not rebooting, its backhaul path up."""
    st, now = sim.state, sim.clock()
    seen: set[str] = set()
    while node_id in st.nodes and node_id not in seen:
        seen.add(node_id)
        node = st.nodes[node_id]
        if not node.powered or (node.down_until is not None and now < node.down_until):
            return False
        node_id = node.parent_id
    return node_id not in seen


def firmware_status(sim: RouterSimulator) -> dict[str, Any]:
    """Status output; stages are computed from the sim clock."""
    return fw_status(sim, sim.state.firmware)


def fw_status(sim: RouterSimulator, fw: FirmwareState) -> dict[str, Any]:
    """One node's firmware status (firmwareupdate.lua / nodes_firmwareupdate.lua)."""
    out: dict[str, Any] = {"lastSuccessfulCheckTime": fw.last_check_time}
    if fw.available is not None:
        out["availableUpdate"] = {
            "firmwareVersion": fw.available.firmware_version,
            "firmwareDate": fw.available.firmware_date,
            "description": fw.available.description,
        }
    if fw.pending is not None:
        elapsed = sim.clock() - fw.pending.started
        stages = (
            (("Checking", 0.0, FW_CHECK_SECONDS),)
            if fw.pending.only_check
            else FW_STAGES
        )
        for op, start, end in stages:
            if elapsed < end:
                pct = max(0, min(99, int((elapsed - start) * 100 / (end - start))))
                out["pendingOperation"] = {"operation": op, "progressPercent": pct}
                break
    if fw.last_failure is not None:
        out["lastOperationFailure"] = fw.last_failure
    return out


def firmware_tick(sim: RouterSimulator) -> None:
    """Finish firmware operations whose time has come (called before every request)."""
    fw = sim.state.firmware
    if fw.pending is None:
        return
    elapsed = sim.clock() - fw.pending.started
    if fw.pending.only_check:
        if elapsed >= FW_CHECK_SECONDS:
            fw.pending = None
            fw.last_check_time = sim.wall_time()
        return
    if elapsed >= FW_STAGES[-1][2]:
        fw.pending = None
        update = fw.available
        if update is not None:
            sim.state.device_info.firmware_version = update.firmware_version
            sim.state.device_info.firmware_date = update.firmware_date
            authority = sim.state.devices.get(sim.state.authority_id)
            if authority is not None:
                authority.firmware_version = update.firmware_version
            fw.available = None
        sim.schedule_reboot(FW_REBOOT_DOWNTIME)


def node_firmware_tick(sim: RouterSimulator) -> None:
    """Finish satellites' firmware operations; an installed node reboots on its own."""
    now = sim.clock()
    for node_id, node in sim.state.nodes.items():
        fw = node.firmware
        if fw.pending is None:
            continue
        elapsed = now - fw.pending.started
        if fw.pending.only_check:
            if elapsed >= FW_CHECK_SECONDS:
                fw.pending = None
                fw.last_check_time = sim.wall_time()
            continue
        if elapsed < FW_STAGES[-1][2]:
            continue
        fw.pending = None
        update = fw.available
        device = sim.state.devices.get(node_id)
        if update is not None and device is not None:
            device.firmware_version = update.firmware_version
            sim.state.bump(device)
        fw.available = None
        node.down_until = now + FW_REBOOT_DOWNTIME


def start_node_operations(sim: RouterSimulator, only_check: bool) -> None:
    """UpdateFirmwareNow on a mesh: every online satellite checks or installs too."""
    for node_id, node in sim.state.nodes.items():
        fw = node.firmware
        if fw.pending is not None or not node_online(sim, node_id):
            continue
        fw.pending = PendingOperation(
            only_check=only_check or fw.available is None, started=sim.clock()
        )
        fw.last_failure = None


def refuse_writes_while_installing(sim: RouterSimulator) -> None:
    """Raise _ErrorNotReady once a firmware install is past downloading."""
    fw = sim.state.firmware
    if fw.pending is None or fw.pending.only_check:
        return
    if sim.clock() - fw.pending.started >= FW_STAGES[2][1]:
        raise InputError("_ErrorNotReady", "Firmware update in progress")


@action("firmwareupdate/GetFirmwareUpdateStatus", "firmwareupdate/FirmwareUpdate")
def get_firmware_status(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return firmware_status(sim)


@action("firmwareupdate/GetFirmwareUpdateSettings", "firmwareupdate/FirmwareUpdate")
def get_firmware_settings(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    fw = sim.state.firmware
    return {
        "updatePolicy": fw.update_policy,
        "autoUpdateWindow": {
            "startMinute": fw.window_start_minute,
            "durationMinutes": fw.window_duration_minutes,
        },
    }


@action(
    "firmwareupdate/SetFirmwareUpdateSettings",
    "firmwareupdate/FirmwareUpdate",
    s.FIRMWARE_SET,
    write=True,
)
def set_firmware_settings(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    # firmwareupdate.lua setUpdatePolicy, setAutoUpdateWindow (docs/firmware-facts.md).
    window = b["autoUpdateWindow"]
    if not 0 <= window["startMinute"] <= 1439:
        raise InputError(
            "ErrorInvalidAutoUpdateWindowStartMinute", "startMinute out of range"
        )
    if not 0 <= window["durationMinutes"] <= 1440:
        raise InputError(
            "ErrorInvalidAutoUpdateWindowDurationMinutes",
            "durationMinutes out of range",
        )
    fw = sim.state.firmware
    # Any other policy is stored as Manual, without an error.
    policy = b["updatePolicy"]
    fw.update_policy = policy if policy in UPDATE_POLICIES else "Manual"
    fw.window_start_minute = window["startMinute"]
    fw.window_duration_minutes = window["durationMinutes"]
    return {}


@action(
    "firmwareupdate/UpdateFirmwareNow",
    "firmwareupdate/FirmwareUpdate",
    s.UPDATE_NOW,
    write=True,
)
def update_firmware_now(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    fw = sim.state.firmware
    if fw.pending is not None:
        # firmwareupdate.lua updateNow has no "in progress" code; its only refusal is
        # _ErrorNotReady (unverified that a pending update makes the platform not ready).
        raise InputError(
            "_ErrorNotReady", "A firmware operation is already in progress"
        )
    only_check = b["onlyCheck"] or fw.available is None
    fw.pending = PendingOperation(only_check=only_check, started=sim.clock())
    fw.last_failure = None
    start_node_operations(sim, b["onlyCheck"])
    return {}


# Guest network, parental control and QoS: settings.py.


# ---------------------------------------------------------------- LEDs, locale, log


@action("routerleds/GetRouterLEDSettings", "routerleds/RouterLEDs")
def get_leds(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return {"isSwitchportLEDEnabled": sim.state.leds.is_switchport_led_enabled}


@action(
    "routerleds/SetRouterLEDSettings", "routerleds/RouterLEDs", s.LED_SET, write=True
)
def set_leds(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    sim.state.leds.is_switchport_led_enabled = b["isSwitchportLEDEnabled"]
    return {}


@action("locale/GetTimeSettings", "locale/Locale")
def get_time(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    t = sim.state.time
    return {
        "timeZoneID": t.time_zone_id,
        "autoAdjustForDST": t.auto_adjust_for_dst,
        "currentTime": sim.wall_time(),
        "supportedTimeZones": [
            {
                "timeZoneID": tz,
                "description": desc,
                "utcOffsetMinutes": off,
                "observesDST": dst,
            }
            for tz, desc, off, dst in TIME_ZONES
        ],
    }


@action("locale/SetTimeSettings", "locale/Locale", s.TIME_SET, write=True)
def set_time(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    if b["timeZoneID"] not in {tz[0] for tz in TIME_ZONES}:
        raise invalid('Invalid value for member "timeZoneID"')
    sim.state.time.time_zone_id = b["timeZoneID"]
    sim.state.time.auto_adjust_for_dst = b["autoAdjustForDST"]
    return {}


@action("routerlog/GetLogSettings", "routerlog/RouterLog")
def get_log_settings(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return {"isLoggingEnabled": sim.state.log.is_logging_enabled}


@action("routerlog/SetLogSettings", "routerlog/RouterLog", s.LOG_SET, write=True)
def set_log_settings(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    sim.state.log.is_logging_enabled = b["isLoggingEnabled"]
    return {}


def _log_entries(kind: str) -> Handler:
    def handler(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
        first, count = b["firstEntryIndex"], b["entryCount"]
        if first < 1 or count < 0:
            raise invalid('Invalid value for member "firstEntryIndex"')
        total = 20 if sim.state.log.is_logging_enabled else 0
        entries = [
            {
                "timestamp": sim.wall_time(),
                "source": f"192.168.1.{100 + n}",
                "destination": "203.0.113.80",
                "kind": kind,
            }
            for n in range(first - 1, min(total, first - 1 + count))
        ]
        return {"entries": entries, "totalEntryCount": total}

    return handler


for _kind in ("DHCP", "Incoming", "Outgoing", "Security"):
    action(f"routerlog/Get{_kind}LogEntries", "routerlog/RouterLog", s.LOG_ENTRIES)(
        _log_entries(_kind)
    )


# ---------------------------------------------------------------- router


def _wan_up(sim: RouterSimulator) -> bool:
    """Return whether the WAN is up: plugged in, not hung up, not reconnecting."""
    w = sim.state.wan
    if w.reconnecting_until is not None and sim.clock() >= w.reconnecting_until:
        w.reconnecting_until = None
    return w.connected and not w.ppp_hung_up and w.reconnecting_until is None


def _wan(sim: RouterSimulator, version: int) -> dict[str, Any]:
    w = sim.state.wan
    up = _wan_up(sim)
    # router.lua: wanConnection (with wanType) only while Connected.
    status = "Connected" if up else "Disconnected"
    if w.connected and not w.ppp_hung_up and w.reconnecting_until is not None:
        status = "Connecting"
    out: dict[str, Any] = {
        "macAddress": w.mac_address,
        "isDetectingWANType": False,
        "detectedWANType": w.wan_type,
        "wanStatus": status,
        "wanIPv6Status": "Connected" if up and w.ipv6_connected else "Disconnected",
    }
    if up:
        conn: dict[str, Any] = {
            "wanType": w.wan_type,
            "ipAddress": w.ip_address,
            "networkPrefixLength": w.network_prefix_length,
            "gateway": w.gateway,
            "mtu": w.mtu,
            "dhcpLeaseMinutes": w.dhcp_lease_minutes,
        }
        for n, dns in enumerate(w.dns_servers[:3], start=1):
            conn[f"dnsServer{n}"] = dns
        out["wanConnection"] = conn
    if version >= 2:
        out["supportedWANTypes"] = ["DHCP", "Static", "PPPoE", "PPTP", "L2TP", "Bridge"]
    if version >= 3:
        out["supportedIPv6WANTypes"] = [
            "Automatic",
            "Static",
            "6rd Tunnel",
            "Pass-through",
        ]
        if up and w.ipv6_connected:
            out["wanIPv6Connection"] = {
                "wanType": "Automatic",
                "networkInfo": {
                    "ipAddress": w.ipv6_address,
                    "gateway": "fe80::1",
                    "dhcpLeaseMinutes": 1440,
                },
            }
    return out


versioned_reads(
    _wan,
    (1, "router/GetWANStatus", "router/Router"),
    (2, "router/GetWANStatus2", "router/Router3"),
    (3, "router/GetWANStatus3", "router/Router5"),
)


@action("router/GetDHCPClientLeases", "router/Router")
def get_leases(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    leases = []
    for c in sim.state.connections.values():
        device = sim.state.device_for_mac(c.mac)
        if c.guest or device is None or device.fixed_ip:
            continue
        lease: dict[str, Any] = {
            "macAddress": c.mac,
            "ipAddress": c.ip,
            "expiration": "2026-11-26T06:00:00Z",
        }
        if device.friendly_name:
            lease["hostName"] = device.friendly_name
        leases.append(lease)
    return {"leases": leases}


@action("router/GetEthernetPortConnections", "router/Router")
def get_ports(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    """router.lua ``getEthernetPortConnections``: ``1Gbps``/``100Mbps``/``10Mbps``/``None``."""
    st = sim.state
    wired = sum(1 for c in st.connections.values() if c.band is None)
    lan = st.lan_port_links or ["1Gbps" if n < wired else "None" for n in range(4)]
    wan = st.wan_port_link or ("1Gbps" if st.wan.connected else "None")
    return {"wanPortConnection": wan, "lanPortConnections": list(lan)}


# router.lua: RenewDHCPWANLease serves a DHCP WAN only, the PPP pair PPPoE, PPTP and L2TP
# only; anything else is ErrorInvalidWANType. How long the WAN takes to come back is not in
# the Lua: the simulator says "Connecting" for WAN_RECONNECT_SECONDS of sim clock.
PPP_WAN_TYPES = ("PPPoE", "PPTP", "L2TP")
WAN_RECONNECT_SECONDS = 5.0


def _require_wan_type(sim: RouterSimulator, *types: str) -> None:
    if sim.state.wan.wan_type not in types:
        raise InputError("ErrorInvalidWANType", "Invalid WAN type")


def _start_reconnect(sim: RouterSimulator) -> None:
    w = sim.state.wan
    w.reconnects += 1
    w.reconnecting_until = sim.clock() + WAN_RECONNECT_SECONDS


@action("router/RenewDHCPWANLease", "router/Router", write=True)
def renew_dhcp_wan_lease(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    _require_wan_type(sim, "DHCP")
    _start_reconnect(sim)
    return {}


@action("router/DisconnectPPPWAN", "router/Router", write=True)
def disconnect_ppp_wan(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    _require_wan_type(sim, *PPP_WAN_TYPES)
    sim.state.wan.ppp_hung_up = True
    return {}


@action("router/ConnectPPPWAN", "router/Router", write=True)
def connect_ppp_wan(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    _require_wan_type(sim, *PPP_WAN_TYPES)
    sim.state.wan.ppp_hung_up = False
    _start_reconnect(sim)
    return {}


@action("router/GetLANSettings", "router/Router")
def get_lan(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    prefix = sum(bin(int(p)).count("1") for p in sim.state.lan_mask.split("."))
    return {
        "ipAddress": sim.state.lan_ip,
        "networkPrefixLength": prefix,
        "minNetworkPrefixLength": 16,
        "maxNetworkPrefixLength": 30,
        "hostName": sim.state.device_info.model_number,
        "isDHCPEnabled": True,
        "dhcpSettings": {
            "leaseMinutes": 1440,
            "firstClientIPAddress": "192.168.1.100",
            "lastClientIPAddress": "192.168.1.249" if prefix == 24 else "192.168.7.254",
            "reservations": [],
        },
    }


static(
    "router/GetExpressForwardingSettings",
    "router/Router",
    {"isExpressForwardingSupported": True, "isExpressForwardingEnabled": True},
)
static(
    "router/GetMACAddressCloneSettings",
    "router/Router",
    {"isMACAddressCloneEnabled": False},
)
static(
    "router/GetRoutingSettings",
    "router/Router",
    {"isNATEnabled": True, "isDynamicRoutingEnabled": False, "entries": []},
)
IPV6_SETTINGS = {
    "wanType": "Automatic",
    "ipv6AutomaticSettings": {"isIPv6AutomaticEnabled": True},
    "duid": "00:03:00:01:aa:bb:cc:dd:ee:ff",
}
static("router/GetIPv6Settings", "router/Router", IPV6_SETTINGS)
static(
    "router/GetIPv6Settings2",
    "router/Router4",
    {**IPV6_SETTINGS, "isIPv6PassThroughEnabled": False},
)
static("firewall/GetALGSettings", "firewall/Firewall", {"isSIPEnabled": False})
MANAGEMENT_SETTINGS = {
    "canManageUsingHTTP": True,
    "canManageUsingHTTPS": True,
    "isManageWirelesslySupported": True,
    "canManageWirelessly": True,
    "canManageRemotely": False,
}
static(
    "routermanagement/GetManagementSettings",
    "routermanagement/RouterManagement",
    MANAGEMENT_SETTINGS,
)
static(
    "routermanagement/GetManagementSettings2",
    "routermanagement/RouterManagement3",
    {**MANAGEMENT_SETTINGS, "canDisableAccessFromWAN": True},
)
static(
    "routermanagement/GetRemoteManagementStatus",
    "routermanagement/RouterManagement",
    {"serverConnectionStatus": "Connected"},
)
static(
    "routerupnp/GetUPnPSettings",
    "routerupnp/RouterUPnP",
    {
        "isUPnPEnabled": True,
        "canUsersConfigure": False,
        "canUsersDisableWANAccess": False,
    },
)
static("storage/GetPartitions", "storage/Storage", {"partitions": []})
static(
    "vlantagging/GetProfiles",
    "vlantagging/VLANTagging",
    {"profiles": [{"name": "Default", "vlanID": 1}]},
)
static(
    "vlantagging/GetVLANTaggingSettings",
    "vlantagging/VLANTagging",
    {"isVLANTaggingEnabled": False, "vlanTaggingProfile": "Default"},
)


def offer(sim: RouterSimulator, version: str, date: str, description: str) -> None:
    """Make an update available (sim.offer_firmware)."""
    sim.state.firmware.available = AvailableUpdate(version, date, description)
