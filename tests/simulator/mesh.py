"""Mesh node actions and node state (velop_mesh): backhaul, node firmware, reboot, night mode.

Each answer follows docs/firmware-facts.md ("Mesh nodes") (nodes_diagnostics.lua,
nodes_firmwareupdate.lua, the official app's calls, the recorded answers in
tests/fixtures/real). Every action is served only when GetDeviceInfo lists its service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import schema as s
from .actions import (
    Handler,
    action as _register,
    fw_status,
    node_online,
    update_firmware_now,
)
from .schema import InputError, invalid

if TYPE_CHECKING:
    from .server import RouterSimulator

NOT_MASTER = "ErrorDeviceNotInMasterMode"


def _node_action(
    name: str,
    service: str,
    spec: dict[str, s.Spec] | None = None,
    *,
    write: bool = False,
) -> Callable[[Handler], Handler]:
    """Register a node action (not yet in docs/wire-contract.md: actions.NODE_ACTIONS)."""
    return _register(name, service, spec, write=write, contract=True)


# bh_report's interface for the backhaul on the upper 5 GHz radio (mx42_home_a: "5GH",
# channel 161; whw03/mbe70 use "5GL" on channels 44/48).
BACKHAUL_RADIO = "5GH"
NODE_UPDATE_NOW: dict[str, s.Spec] = {"onlyCheck": bool, "updateServerURL": s.Opt(str)}
REBOOT2: dict[str, s.Spec] = {"deviceUUID": str}
BLINK_NODE: dict[str, s.Spec] = {"deviceID": str}
NIGHT_MODE_SET: dict[str, s.Spec] = {
    "Enable": bool,
    "StartingTime": s.Opt(int),
    "EndingTime": s.Opt(int),
}


# ---------------------------------------------------------------- node state


def sync_nodes(sim: RouterSimulator) -> None:
    """Park the live links of offline nodes (their clients and their own), restore the rest.

    Called before every request and after every scripted change: reboots end on the sim
    clock.
    """
    st = sim.state
    if not st.nodes:
        return
    now = sim.clock()
    for node in st.nodes.values():
        if node.down_until is not None and now >= node.down_until:
            node.down_until = None
    for node_id, node in st.nodes.items():
        device = st.devices.get(node_id)
        own = set(device.macs) if device is not None else set()
        if not node_online(sim, node_id):
            gone = [
                mac
                for mac, c in st.connections.items()
                if c.parent_device_id == node_id or mac in own
            ]
            for mac in gone:
                node.parked[mac] = st.connections.pop(mac)
                st.bump(st.device_for_mac(mac))
        elif node.parked:
            stamp = sim.wall_time()
            for mac, conn in node.parked.items():
                if mac in st.connections:
                    continue  # came back elsewhere meanwhile
                conn.since = stamp
                st.connections[mac] = conn
                st.bump(st.device_for_mac(mac))
            node.parked.clear()
            node.backhaul_since = stamp


def tick(sim: RouterSimulator) -> None:
    """Advance node firmware and reboots (before every request)."""
    from .actions import node_firmware_tick

    node_firmware_tick(sim)
    sync_nodes(sim)


def _require_master(sim: RouterSimulator) -> None:
    # nodes_diagnostics.lua: `if sc:get_smartmode() ~= 2 then return 'ErrorDeviceNotInMasterMode'`.
    if not sim.state.master_mode:
        raise InputError(NOT_MASTER, "The device is not in master mode")


# ---------------------------------------------------------------- backhaul


def _node_ip(sim: RouterSimulator, node_id: str) -> str:
    st = sim.state
    return st.nodes[node_id].ip if node_id in st.nodes else st.lan_ip


def _parent_bssid(sim: RouterSimulator, parent_id: str) -> str:
    st = sim.state
    radio = next(
        (
            r
            for r in st.radios
            if r.band == "5GHz" and 149 in r.supported_channels["Auto"]
        ),
        st.radios[-1],
    )
    parent = st.nodes.get(parent_id)
    if parent is not None:
        return parent.bssids.get(radio.radio_id, radio.bssid)
    return radio.bssid


def _backhaul(sim: RouterSimulator, version: int) -> dict[str, Any]:
    """``GetBackhaulInfo`` / ``GetBackhaulInfo2`` (nodes_diagnostics.lua getBackhaulDeviceInfo)."""
    _require_master(sim)
    st = sim.state
    devices = []
    for node_id, node in st.nodes.items():
        if node_id not in st.devices or not node_online(sim, node_id):
            continue
        entry: dict[str, Any] = {
            "deviceUUID": node_id,
            "ipAddress": node.ip,
            "parentIPAddress": _node_ip(sim, node.parent_id),
            "connectionType": node.connection_type,
        }
        if node.connection_type == "Wireless":
            info: dict[str, Any] = {
                "radioID": BACKHAUL_RADIO,
                "channel": node.channel,
                "apRSSI": node.ap_rssi,
                "stationRSSI": node.station_rssi,
                "apBSSID": _parent_bssid(sim, node.parent_id),
                "stationBSSID": node.station_mac,
            }
            if version == 2:
                # mbe70_oak: rates in kbit/s and the MLO flag.
                info["txRate"] = node.tx_rate_kbps
                info["rxRate"] = node.rx_rate_kbps
                info["isMultiLinkOperation"] = False
            entry["wirelessConnectionInfo"] = info
        entry["speedMbps"] = node.speed_mbps  # tostring(speed): always a string
        entry["timestamp"] = node.backhaul_since
        devices.append(entry)
    return {"backhaulDevices": devices}


@_node_action("nodes/diagnostics/GetBackhaulInfo", "nodes/diagnostics/Diagnostics")
def get_backhaul(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return _backhaul(sim, 1)


@_node_action("nodes/diagnostics/GetBackhaulInfo2", "nodes/diagnostics/Diagnostics6")
def get_backhaul2(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    return _backhaul(sim, 2)


# ---------------------------------------------------------------- node firmware


@_node_action(
    "nodes/firmwareupdate/GetFirmwareUpdateStatus",
    "nodes/firmwareupdate/FirmwareUpdate",
)
def get_nodes_firmware_status(
    sim: RouterSimulator, _b: dict[str, Any]
) -> dict[str, Any]:
    """List the master first, then every satellite (nodes_firmwareupdate.lua)."""
    st = sim.state
    entries = [{"deviceUUID": st.authority_id, **fw_status(sim, st.firmware)}]
    entries += [
        {"deviceUUID": node_id, **fw_status(sim, node.firmware)}
        for node_id, node in st.nodes.items()
        if node_id in st.devices
    ]
    return {"firmwareUpdateStatus": entries}


@_node_action(
    "nodes/firmwareupdate/UpdateFirmwareNow",
    "nodes/firmwareupdate/FirmwareUpdate",
    NODE_UPDATE_NOW,
    write=True,
)
def nodes_update_now(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    """Run the router's ``firmwareupdate.updateNow`` (jnap_nodes_firmwareupdate.lua)."""
    url = b.get("updateServerURL")
    if url is not None and not url.lower().startswith(("http:", "https:")):
        raise InputError("ErrorInvalidUpdateServerURL", "Invalid update server URL")
    return update_firmware_now(sim, {"onlyCheck": b["onlyCheck"]})


# ---------------------------------------------------------------- reboot


@_node_action("core/Reboot2", "core/Core8", REBOOT2, write=True)
def reboot2(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    """Reboot one node by ``deviceUUID`` (the official app, for child nodes only)."""
    st = sim.state
    target = b["deviceUUID"].lower()
    if target == st.authority_id:
        # Unverified: the app sends core/Reboot for the master. The harshest plausible
        # outcome: the whole router goes down.
        sim.schedule_reboot(sim.reboot_downtime)
        return {}
    if target not in st.nodes or target not in st.devices:
        raise InputError("ErrorUnknownDevice", f"Unknown device {b['deviceUUID']}")
    if not node_online(sim, target):
        raise InputError("ErrorUnknownDevice", f"Device {b['deviceUUID']} is offline")
    sim.reboot_node(target, sim.node_reboot_downtime)
    return {}


# ---------------------------------------------------------------- identify a node


@_node_action(
    "nodes/setup/StartBlinkingNodeLed", "nodes/setup/Setup9", BLINK_NODE, write=True
)
def start_blinking_node_led(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    """Blink one node's light (the official app sends ``{deviceID}``).

    No Lua of it is public: an unknown or offline node is refused with
    ``ErrorUnknownDevice``, as setup.lua's ``startWiredBlinkingNode`` refuses an unknown one.
    """
    st = sim.state
    target = b["deviceID"].lower()
    if target != st.authority_id and not (
        target in st.nodes and target in st.devices and node_online(sim, target)
    ):
        raise InputError("ErrorUnknownDevice", f"Unknown device {b['deviceID']}")
    st.blinking_node = target
    return {}


@_node_action("nodes/setup/StopBlinkingNodeLed", "nodes/setup/Setup9", write=True)
def stop_blinking_node_led(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    """Stop whichever node blinks (no input, as the official app sends it)."""
    sim.state.blinking_node = None
    return {}


# ---------------------------------------------------------------- LED night mode


@_node_action("routerleds/GetLedNightModeSetting", "routerleds/RouterLEDs4")
def get_night_mode(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    nm = sim.state.night_mode
    out: dict[str, Any] = {"Enable": nm.enabled}
    if nm.enabled:
        out["StartingTime"] = nm.starting_hour
        out["EndingTime"] = nm.ending_hour
    return out


@_node_action(
    "routerleds/SetLedNightModeSetting2",
    "routerleds/RouterLEDs4",
    NIGHT_MODE_SET,
    write=True,
)
def set_night_mode(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    nm = sim.state.night_mode
    if b["Enable"] and ("StartingTime" not in b or "EndingTime" not in b):
        raise invalid('Missing member "StartingTime"')
    for member in ("StartingTime", "EndingTime"):
        if member in b and not 0 <= b[member] <= 24:
            raise invalid(f'Invalid value for member "{member}"')
    nm.enabled = b["Enable"]
    nm.starting_hour = b.get("StartingTime", nm.starting_hour)
    nm.ending_hour = b.get("EndingTime", nm.ending_hour)
    return {}
