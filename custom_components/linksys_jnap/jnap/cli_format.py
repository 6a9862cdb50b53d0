"""What the command line prints: the ``info`` report and the ``poll`` table.

Pure functions of the library's models (no I/O), so ``cli.py`` keeps only the arguments,
the dispatch and the exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from . import (
    ACTIONS,
    FAMILIES,
    POLL_PARTS,
    Capabilities,
    Device,
    DeviceInfo,
    JNAPClient,
    NetworkConnection,
    PollResult,
    short_name,
)
from .models_firewall import RANGE_FORWARDING, SINGLE_FORWARDING, TRIGGERING, PortRules
from .presence import (
    ClientPresence,
    ConnectionLists,
    DeviceRole,
    client_presence,
    device_roles,
    live_connection,
)


def info_data(
    client: JNAPClient, info: DeviceInfo, admin_default: bool | None
) -> dict[str, Any]:
    """Return what ``info --json`` prints."""
    caps = client.capabilities
    assert caps is not None
    return {
        "host": client.host,
        "model": info.model_number,
        "description": info.description,
        "manufacturer": info.manufacturer,
        "hardware_version": info.hardware_version,
        "firmware": info.firmware_version,
        "firmware_date": info.firmware_date,
        "admin_password_default": admin_default,
        "services": sorted(caps.services),
        "services_without_known_actions": _unknown_services(caps),
        "chosen_actions": _chosen_versions(caps),
        "poll_actions": client.poll_actions(),
    }


def format_info(
    client: JNAPClient, info: DeviceInfo, admin_default: bool | None
) -> list[str]:
    """Return the lines ``info`` prints: identity, services, chosen versions, the poll."""
    caps = client.capabilities
    assert caps is not None
    chosen = _chosen_versions(caps)
    unknown = _unknown_services(caps)
    firmware = info.firmware_version or "?"
    if info.firmware_date:
        firmware += f" ({info.firmware_date})"
    rows = [
        ("Router", client.host),
        ("Model", _join(info.model_number, info.description)),
        ("Manufacturer", info.manufacturer or "?"),
        ("Hardware version", info.hardware_version or "?"),
        ("Firmware", firmware),
        ("Default admin password", _yes_no(admin_default)),
    ]
    lines = [f"{label + ':':<24}{value}" for label, value in rows]
    lines += ["", f"Services ({len(caps.services)}):"]
    for service in sorted(caps.services):
        mark = "  (no action known to this library)" if service in unknown else ""
        lines.append(f"  {service}{mark}")
    lines += ["", "Chosen versions (highest the router lists, of each family):"]
    width = max((len(f) for f in chosen), default=0)
    for family, action in chosen.items():
        lines.append(f"  {family:<{width}}  {short_name(action).rsplit('/', 1)[1]}")
    lines += ["", "A poll sends: " + (", ".join(client.poll_actions()) or "nothing")]
    return lines


def _chosen_versions(caps: Capabilities) -> dict[str, str]:
    """Return family -> the version the library uses, for each family with a choice."""
    chosen: dict[str, str] = {}
    for family, specs in sorted(FAMILIES.items()):
        action = caps.version_of(family)
        if action is not None and len(specs) > 1:
            chosen[family] = action
    return chosen


def _unknown_services(caps: Capabilities) -> list[str]:
    """Return the listed services no catalogue action belongs to (new-model hints)."""
    known = {spec.service for spec in ACTIONS.values()}
    return sorted(s for s in caps.services if s not in known)


def _join(*parts: str | None) -> str:
    return " - ".join(p for p in parts if p) or "?"


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def _on_off(value: bool | None) -> str:
    return "?" if value is None else "on" if value else "off"


def _connection_text(connection: NetworkConnection, nodes: Mapping[str, str]) -> str:
    if connection.is_wireless:
        text = connection.band or "Wi-Fi"
        if connection.signal_dbm is not None:
            text += f" {connection.signal_dbm} dBm"
    else:
        text = "wired"
    if connection.speed_mbps is not None:
        text += f" {connection.speed_mbps:g} Mbit/s"
    if connection.is_guest:
        text += " guest"
    if connection.node_id is not None:
        text += f" via {nodes.get(connection.node_id, connection.node_id)}"
    return text


def _listed_text(presence: ClientPresence) -> str:
    """Return the connection text of a client only the device list shows connected."""
    if presence.band:
        text = presence.band
    elif presence.is_wireless is None:
        text = "connected"
    else:
        text = "Wireless" if presence.is_wireless else "wired"
    return text + (" guest" if presence.is_guest else "")


def _client_rows(result: PollResult) -> list[tuple[str, str, str, str]]:
    """Return (MAC, IP, name, connection) of every connected client, by name.

    Who is connected, and from which source, is ``jnap/presence.py``'s rule, as in the
    integration's snapshot.
    """
    devices = result.devices.devices if result.devices is not None else ()
    sources, connections = ConnectionLists().update(
        result, result.actions.get("devices")
    )
    live = connections or {}
    roles = device_roles(devices, live)
    nodes = {
        d.device_id: d.name for d in devices if roles[d.device_id] is DeviceRole.NODE
    }
    by_mac: dict[str, Device] = {}
    for known_device in devices:
        for mac in (*known_device.macs, *(c.mac for c in known_device.connections)):
            by_mac.setdefault(mac, known_device)
    texts = {mac: _connection_text(conn, nodes) for mac, conn in live.items()}
    for listed in devices:
        if roles[listed.device_id] is not DeviceRole.CLIENT or live_connection(
            listed, live
        ):
            continue
        presence = client_presence(listed, None, sources)
        if presence.mac is not None:
            texts.setdefault(presence.mac, _listed_text(presence))
    rows: list[tuple[str, str, str, str]] = []
    for mac, text in texts.items():
        device = by_mac.get(mac)
        if device is not None and roles[device.device_id] is not DeviceRole.CLIENT:
            continue  # a node's backhaul station, not a client
        ip = None
        if device is not None:
            ip = next((c.ip_address for c in device.connections if c.mac == mac), None)
        name = device.name if device is not None else "?"
        rows.append((mac, ip or "-", name, text))
    rows.sort(key=lambda row: (row[2].casefold(), row[0]))
    return rows


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    rows = [list(header), *(list(r) for r in rows)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    return [
        "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]


def _part_line(result: PollResult, part: str) -> str | None:
    """One line for a settings part (None: nothing to say about it)."""
    value = getattr(result, part)
    if value is None:
        return None
    if part == "guest_network":
        radios = ", ".join(
            f"{r.radio_id} {_on_off(r.is_enabled)}" for r in value.radios
        )
        return f"Guest network: {_on_off(value.is_enabled)}" + (
            f" ({radios})" if radios else ""
        )
    if part == "leds":
        return f"LEDs: {_on_off(value.is_switchport_led_enabled)}"
    if part == "parental_control":
        enabled = sum(1 for r in value.rules if r.is_enabled)
        return (
            f"Parental control: {_on_off(value.is_enabled)}, {len(value.rules)} rules "
            f"({enabled} enabled)"
        )
    if part == "firmware_update":
        if value.pending_operation is not None:
            op = value.pending_operation
            state = f"{op.operation or 'operation'} in progress"
            if op.progress_percent is not None:
                state += f" ({op.progress_percent}%)"
        elif value.available_update is not None:
            state = (
                f"{value.available_update.firmware_version or 'an update'} available"
            )
        else:
            state = "up to date"
        checked = value.last_successful_check_time or "never"
        return f"Firmware update: {state} (last check {checked})"
    if part == "qos":
        return f"QoS: {_on_off(value.is_qos_enabled)}, {len(value.device_rules)} device rules"
    if part == "ethernet_ports":
        lan = ", ".join(value.lan_port_connections) or "none"
        return f"Ethernet ports: WAN {value.wan_port_connection or '?'}; LAN {lan}"
    if isinstance(value, PortRules):
        enabled = sum(1 for r in value.rules if r.is_enabled)
        return (
            f"{_PORT_RULES[value.kind]}: {len(value.rules)} rules ({enabled} enabled)"
        )
    return _wifi_line(part, value) or _health_line(part, value)


def _wifi_line(part: str, value: Any) -> str | None:
    """One line for the main radios, the Wi-Fi schedule and the update policy."""
    if part == "radios":
        radios = ", ".join(
            f"{r.radio_id} {_on_off(r.is_enabled)}" for r in value.radios
        )
        return f"Wi-Fi radios: {radios or 'none'}"
    if part == "wireless_scheduler":
        return f"Wi-Fi schedule: {_on_off(value.is_enabled)}"
    if part == "firmware_update_settings":
        return f"Firmware update policy: {value.update_policy or 'unknown'}"
    return None


_PORT_RULES = {
    SINGLE_FORWARDING: "Single-port forwarding",
    RANGE_FORWARDING: "Port range forwarding",
    TRIGGERING: "Port triggering",
}


def _health_line(part: str, value: Any) -> str | None:
    """One line for a health part (speed test, system stats, internet, WPS)."""
    if part == "speed_tests":
        last = value.latest
        if last is None:
            return "Speed test: no successful test"
        return (
            f"Speed test: {last.download_mbps} / {last.upload_mbps} Mbit/s down/up, "
            f"{last.latency_ms} ms ({last.timestamp:%Y-%m-%d %H:%M} UTC)"
        )
    if part == "speed_test_status":
        return "Speed test: running" if value.running else None
    if part == "system_stats":
        loads = [
            f"{name} {load}%"
            for name, load in (
                ("CPU", value.cpu_load_percent),
                ("memory", value.memory_load_percent),
            )
            if load is not None
        ]
        return f"Uptime: {value.uptime_seconds} s" + (
            f", {', '.join(loads)}" if loads else ""
        )
    if part == "internet":
        return f"Internet check: {value.status}"
    if part == "wps_settings":
        return f"WPS: {_on_off(value.enabled)}"
    if part == "wps":
        state = "pairing" if value.in_progress else "idle"
        return f"WPS session: {state}" + (
            f" (last {value.last_result})" if value.last_result else ""
        )
    return f"{part}: {value!r}"  # pragma: no cover - a part added to the poll later


def format_poll(result: PollResult) -> list[str]:
    """Return the lines ``poll`` prints: a client table, WAN, one line per part."""
    lines: list[str] = []
    rows = _client_rows(result)
    lines.append(f"Clients ({len(rows)}):")
    if rows:
        lines += [
            "  " + line for line in _table(("MAC", "IP", "NAME", "CONNECTION"), rows)
        ]
    lines.append("")
    wan = result.wan_status
    if wan is not None:
        connection = wan.connection
        details = [
            wan.wan_status or "?",
            (connection.wan_type if connection else None) or wan.detected_wan_type,
            wan.ip_address,
        ]
        if connection is not None and connection.gateway:
            details.append(f"gateway {connection.gateway}")
        lines.append("WAN: " + ", ".join(d for d in details if d))
    if result.devices is not None:
        roles = device_roles(result.devices.devices).values()
        nodes = sum(1 for role in roles if role is DeviceRole.NODE)
        lines.append(
            f"Devices: {len(result.devices.devices)} known ({nodes} router/nodes), "
            f"revision {result.devices.revision}"
        )
    for part in POLL_PARTS:
        if part in ("devices", "connections", "node_connections", "wan_status"):
            continue
        line = _part_line(result, part)
        if line is not None:
            lines.append(line)
    for part, error in result.errors.items():
        lines.append(f"{part}: failed ({error.message})")
    missing = [
        p for p in POLL_PARTS if getattr(result, p) is None and p not in result.errors
    ]
    if missing:
        lines.append("Not offered by this router: " + ", ".join(missing))
    lines.append(
        "Actions: " + ", ".join(f"{p}={a}" for p, a in sorted(result.actions.items()))
    )
    return lines
