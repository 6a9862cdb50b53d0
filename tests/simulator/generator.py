"""Deterministic world generation: the router, its nodes, settings and N clients."""

from __future__ import annotations

import random
import uuid

from .profiles import Profile
from .state import (
    DAYS,
    AdminState,
    BandSteering,
    Connection,
    Device,
    DeviceInfo,
    FirmwareState,
    GuestRadio,
    GuestSettings,
    Interface,
    LedSettings,
    LogSettings,
    MeshNode,
    ParentalRule,
    ParentalSettings,
    Radio,
    RadioSettings,
    RouterState,
    TimeSettings,
    WanState,
)

MAX_CLIENTS = 1000
LINKSYS_OUIS = ("E8:9F:80", "C4:41:1E", "14:91:82", "60:38:E0")
CLIENT_OUIS = (
    ("Apple", "F0:18:98"),
    ("Apple", "3C:22:FB"),
    ("Samsung", "8C:F5:A3"),
    ("Google", "F4:F5:D8"),
    ("Amazon", "74:C2:46"),
    ("Espressif", "24:0A:C4"),
    ("Sonos", "5C:AA:FD"),
    ("Intel", "A4:C3:F0"),
    ("Raspberry Pi", "B8:27:EB"),
    ("HP", "3C:52:82"),
    ("Sony", "00:D9:D1"),
    ("Microsoft", "7C:ED:8D"),
)
PEOPLE = (
    "Anna",
    "Ben",
    "Chloe",
    "David",
    "Emma",
    "Felix",
    "Grace",
    "Henry",
    "Isla",
    "Jack",
)
HOSTNAMES = (
    "{who}s-iPhone",
    "{who}s-MacBook-Pro",
    "{who}s-iPad",
    "Galaxy-S23",
    "LivingRoom-TV",
    "Chromecast",
    "ESP_{hex6}",
    "HP{hex6}",
    "Echo-Dot",
    "Nest-Thermostat",
    "raspberrypi",
    "DESKTOP-{hex7}",
    "PS5",
    "Xbox",
    "Ring-Doorbell",
    "Sonos-{hex6}",
    "android-{hex16}",
)
FIRST_KINDS = (
    ("wired", True),
    ("2.4", True),
    ("5", True),
    ("dual", True),
    ("guest", True),
    ("5", False),
    ("2.4", True),
)
USER_NAMES = (
    "Kitchen speaker",
    "Kids tablet",
    "Office printer",
    "Garage door",
    "Dad's laptop",
)
DEVICE_TYPES = {
    "Apple": ("Mobile", "iOS"),
    "Samsung": ("Mobile", "Android"),
    "Google": ("MediaPlayer", None),
    "Amazon": ("Speaker", None),
    "Espressif": ("Unknown", None),
    "Sonos": ("Speaker", None),
    "Intel": ("Computer", "Windows"),
    "Raspberry Pi": ("Computer", "Linux"),
    "HP": ("Printer", None),
    "Sony": ("GameConsole", None),
    "Microsoft": ("GameConsole", None),
}


def school_night() -> dict[str, str]:
    """Blocked 21:00-07:00 on school nights, open at weekends."""
    weekday = "0" * 14 + "1" * 28 + "0" * 6
    return {
        day: ("1" * 48 if day in ("saturday", "sunday") else weekday) for day in DAYS
    }


def bedtime() -> dict[str, str]:
    """Blocked 22:30-06:30 every day."""
    return dict.fromkeys(DAYS, "0" * 13 + "1" * 32 + "0" * 3)


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.macs: set[str] = set()

    def mac(self, oui: str) -> str:
        while True:
            tail = ":".join(f"{self.rng.randrange(256):02X}" for _ in range(3))
            mac = f"{oui}:{tail}"
            if mac not in self.macs:
                self.macs.add(mac)
                return mac

    def device_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hexs(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789ABCDEF") for _ in range(n))


def client_ip(index: int) -> str:
    """Main-LAN address of client number index (spills into the next /24s for big worlds)."""
    base = 100 + index
    return f"192.168.{1 + base // 254}.{base % 254 + 1}"


def guest_ip(index: int) -> str:
    """Guest-network address."""
    return f"10.100.{index // 254}.{index % 254 + 1}"


def build_state(
    profile: Profile, password: str, clients: int, seed: int
) -> RouterState:
    """Build the whole initial world for a profile, deterministically from seed."""
    if not 0 <= clients <= MAX_CLIENTS:
        raise ValueError(f"clients must be between 0 and {MAX_CLIENTS}")
    g = _Gen(seed)
    oui = g.rng.choice(LINKSYS_OUIS)
    router_mac = g.mac(oui)
    serial = f"{profile.serial_prefix}{g.rng.randrange(10**6):06d}"
    info = DeviceInfo(
        manufacturer="Linksys",
        model_number=profile.model_number,
        hardware_version=profile.hardware_version,
        description=profile.description,
        serial_number=serial,
        firmware_version=profile.firmware_version,
        firmware_date=profile.firmware_date,
    )
    main_ssid = f"Linksys{g.rng.randrange(10**5):05d}"
    radios: list[Radio] = []
    guest_radios: list[GuestRadio] = []
    for n, radio_id in enumerate(profile.radio_ids):
        is24 = "2.4" in radio_id
        band = "2.4GHz" if is24 else "5GHz"
        if is24:
            channels = {"Auto": [0, *range(1, 12)], "Standard": [0, *range(1, 12)]}
            modes = (
                ["802.11bgn", "802.11bgnax", "802.11n"]
                if profile.name.startswith("velop")
                else ["802.11bg", "802.11bgn", "802.11n"]
            )
            width = "Auto"
        else:
            low = [0, 36, 40, 44, 48] if n == 1 else [0, 149, 153, 157, 161]
            channels = {"Auto": low, "Standard": low, "Wide": low}
            modes = (
                ["802.11anacax", "802.11ac", "802.11an"]
                if profile.name.startswith("velop")
                else ["802.11ac", "802.11an", "802.11anac"]
            )
            width = "Auto"
        bssid = g.mac(oui)
        radios.append(
            Radio(
                radio_id=radio_id,
                physical_radio_id=f"ath{n}"
                if profile.name != "smartwifi"
                else f"wl{n}",
                bssid=bssid,
                band=band,
                supported_modes=[*modes, "Mixed"],
                supported_channels=channels,
                supported_security_types=[
                    "None",
                    "WPA2-Personal",
                    "WPA-Mixed-Personal",
                    "WPA2/WPA3-Mixed-Personal",
                    "WPA3-Personal",
                ],
                settings=RadioSettings(
                    is_enabled=True,
                    mode="Mixed",
                    ssid=main_ssid
                    if profile.name.startswith("velop")
                    else (main_ssid if is24 else f"{main_ssid}_5GHz"),
                    broadcast_ssid=True,
                    channel_width=width,
                    channel=0,
                    security="WPA2-Personal",
                    passphrase=f"{g.hexs(4).lower()}-winter-{g.rng.randrange(1000):03d}",
                ),
            )
        )
        guest_radios.append(
            GuestRadio(
                radio_id=radio_id,
                is_enabled=True,
                guest_ssid=f"{main_ssid}-guest",
                # Captive-portal passwords are letters and digits only.
                guest_password="welcome42"
                if profile.captive_portal
                else "welcome-guests-42",
                broadcast_guest_ssid=True,
            )
        )

    state = RouterState(
        device_info=info,
        services=list(profile.services),
        admin=AdminState(password=password, hint="the usual one"),
        devices={},
        connections={},
        guest=GuestSettings(
            is_guest_network_enabled=True,
            max_simultaneous_guests=10,
            radios=guest_radios,
            is_guest_network_a_captive_portal=profile.captive_portal,
        ),
        parental=ParentalSettings(is_parental_control_enabled=True, rules=[]),
        leds=LedSettings(),
        wan=WanState(mac_address=g.mac(oui)),
        firmware=FirmwareState(),
        radios=radios,
        # Every recorded Velop answers isBandSteeringSupported false (real: all).
        band_steering=BandSteering(),
        time=TimeSettings(),
        log=LogSettings(),
        lan_mask="255.255.255.0" if clients <= 150 else "255.255.248.0",
    )

    authority = _network_node(
        state,
        profile,
        device_id=g.device_id(),
        name=f"Linksys{serial[-5:]}",
        serial=serial,
        mac=router_mac,
        ip=state.lan_ip,
        node_type="Master" if profile.child_nodes else None,
        parent=None,
    )
    state.authority_id = authority.device_id
    parents = [authority.device_id]
    for k in range(profile.child_nodes):
        node_mac = g.mac(oui)
        # Keyword order is the order of the random draws: keep it.
        node = _network_node(
            state,
            profile,
            device_id=g.device_id(),
            name=f"Linksys{g.rng.randrange(10**5):05d}",
            serial=f"{profile.serial_prefix}{g.rng.randrange(10**6):06d}",
            mac=node_mac,
            ip=f"192.168.1.{2 + k}",
            node_type="Slave",
            parent=authority.device_id,
        )
        backhaul_parent = authority.device_id
        if profile.mesh_topology:
            # The first satellite is wired to the primary, the next ones hang wirelessly
            # off the previous satellite (a daisy chain, as mx42_home_a records).
            backhaul_parent = parents[-1]
            _mesh_node(state, g, node, parent=backhaul_parent)
        state.connections[node_mac] = Connection(
            mac=node_mac,
            ip=node.fixed_ip or "",
            band=None,
            negotiated_mbps=1000,
            parent_device_id=backhaul_parent,
        )
        parents.append(node.device_id)

    used_names: set[str] = set()
    for i in range(clients):
        _add_generated_client(
            state, profile=profile, g=g, i=i, parents=parents, used=used_names
        )

    if profile.child_nodes:
        # An unplugged node as real WHW03/MX42 lists it: Infrastructure, no nodeType, no
        # connections (tests/fixtures/real/README.md). Added last: the draws above stay.
        old_node = Device(
            device_id=g.device_id(),
            last_change_revision=1,
            device_type="Infrastructure",
            friendly_name="Velop-Old",
            manufacturer="Linksys",
            model_number="WHW01",
            interfaces=[Interface(g.mac(oui), "Wired")],
        )
        state.devices[old_node.device_id] = old_node
    wireless_macs = [
        c.mac for c in state.connections.values() if c.band is not None and not c.guest
    ]
    kids = wireless_macs[:2]
    state.parental.rules = [
        ParentalRule(
            is_enabled=True,
            description="Kids school nights",
            mac_addresses=kids,
            blocked_urls=["tiktok.com", "roblox.com"],
            wan_schedule=school_night(),
        ),
        ParentalRule(
            is_enabled=False,
            description="Console bedtime",
            mac_addresses=wireless_macs[2:3],
            blocked_urls=["twitch.tv"],
            wan_schedule=bedtime(),
        ),
    ]
    # The caller of GetLocalDevice: the first wired, online client (else the router).
    state.local_device_id = next(
        (
            d.device_id
            for d in state.devices.values()
            if d.device_type != "Infrastructure"
            and any(
                m in state.connections and state.connections[m].band is None
                for m in d.macs
            )
        ),
        authority.device_id,
    )
    return state


def _mac_plus(mac: str, n: int, *, local: bool = False) -> str:
    """Return the MAC n above mac (last three octets), optionally locally administered."""
    octets = [int(x, 16) for x in mac.split(":")]
    tail = ((octets[3] << 16) | (octets[4] << 8) | octets[5]) + n
    octets[3:] = [(tail >> 16) & 0xFF, (tail >> 8) & 0xFF, tail & 0xFF]
    if local:
        octets[0] |= 0x02
    return ":".join(f"{o:02X}" for o in octets)


def _mesh_node(state: RouterState, g: _Gen, node: Device, *, parent: str) -> None:
    """Give a velop_mesh satellite its backhaul, BSSIDs and firmware state."""
    mac = node.macs[0]
    wired = parent == state.authority_id
    mesh = MeshNode(
        device_id=node.device_id,
        ip=node.fixed_ip or "",
        parent_id=parent,
        connection_type="Wired" if wired else "Wireless",
        bssids={r.radio_id: _mac_plus(mac, 1 + n) for n, r in enumerate(state.radios)},
        firmware=FirmwareState(last_check_time=state.firmware.last_check_time),
    )
    # Real satellites list their wired MACs as "Unknown" (mx42_home_a, mbe70_oak).
    node.interfaces = [Interface(mac, "Unknown")]
    if not wired:
        # The backhaul station: a locally administered MAC on the satellite, listed in
        # knownInterfaces only (Wireless, 5GHz), never as a connection of the node.
        mesh.station_mac = _mac_plus(mac, 3, local=True)
        node.interfaces.append(Interface(mesh.station_mac, "Wireless", "5GHz"))
        mesh.ap_rssi = -45 - g.rng.randrange(20)
        mesh.station_rssi = mesh.ap_rssi - 2
        mesh.speed_mbps = f"{150 + g.rng.randrange(250)}.{g.rng.randrange(1000)}"
    else:
        mesh.speed_mbps = "1000"
    g.macs.update(mesh.bssids.values())
    if mesh.station_mac:
        g.macs.add(mesh.station_mac)
    state.nodes[node.device_id] = mesh


def _network_node(
    state: RouterState,
    profile: Profile,
    *,
    device_id: str,
    name: str,
    serial: str,
    mac: str,
    ip: str,
    node_type: str | None,
    parent: str | None,
) -> Device:
    """Add the router (no parent) or a mesh node to the device list."""
    node = Device(
        device_id=device_id,
        last_change_revision=1,
        device_type="Infrastructure",
        friendly_name=name,
        is_authority=parent is None,
        node_type=node_type,
        manufacturer="Linksys",
        model_number=profile.model_number,
        hardware_version=profile.hardware_version,
        model_description=profile.description,
        serial_number=serial,
        firmware_version=profile.firmware_version,
        interfaces=[Interface(mac, "Wired")],
        fixed_ip=ip,
    )
    entry = {"macAddress": mac, "ipAddress": ip}
    if parent is not None:
        entry["parentDeviceID"] = parent
    node.v1_connections[mac] = entry
    state.devices[device_id] = node
    return node


def _add_generated_client(
    state: RouterState,
    *,
    profile: Profile,
    g: _Gen,
    i: int,
    parents: list[str],
    used: set[str],
) -> None:
    rng = g.rng
    maker, oui = rng.choice(CLIENT_OUIS)
    roll = rng.random()
    kind = (
        "wired"
        if roll < 0.2
        else "2.4"
        if roll < 0.45
        else "5"
        if roll < 0.75
        else "dual"
        if roll < 0.87
        else "guest"
    )
    online = rng.random() < 0.7
    # The first few clients cover every kind, so even a small world has the whole variety.
    if i < len(FIRST_KINDS):
        kind, online = FIRST_KINDS[i]
    template = rng.choice(HOSTNAMES)
    name: str = template.format(
        who=rng.choice(PEOPLE), hex6=g.hexs(6), hex7=g.hexs(7), hex16=g.hexs(16).lower()
    )
    base = name
    n = 2
    while name in used:
        name = f"{base}-{n}"
        n += 1
    used.add(name)
    friendly: str | None = name
    if rng.random() < 0.1 or i == 6:
        friendly = None  # no DHCP host name: no friendlyName
    device_type, os_name = DEVICE_TYPES[maker]
    device = Device(
        device_id=g.device_id(),
        last_change_revision=1,
        device_type=device_type,
        friendly_name=friendly,
        manufacturer=maker,
        operating_system=os_name,
    )
    if rng.random() < 0.2 or i == 2:
        device.properties["userDeviceName"] = f"{rng.choice(USER_NAMES)} {i}"
    if kind == "wired":
        device.interfaces = [Interface(g.mac(oui), "Wired")]
    elif kind == "dual":
        device.interfaces = [
            Interface(g.mac(oui), "Wireless", "2.4GHz"),
            Interface(g.mac(oui), "Wireless", "5GHz"),
        ]
    else:
        band = (
            "2.4GHz"
            if kind == "2.4"
            else "5GHz"
            if kind == "5"
            else rng.choice(("2.4GHz", "5GHz"))
        )
        device.interfaces = [Interface(g.mac(oui), "Wireless", band)]
    guest = kind == "guest"
    device.on_guest = guest
    ip = guest_ip(i) if guest else client_ip(i)
    parent = rng.choice(parents) if len(parents) > 1 else None
    state.devices[device.device_id] = device
    # Every client was seen once: v1 keeps its connection even while it is offline.
    live_iface = device.interfaces[rng.randrange(len(device.interfaces))]
    entry: dict[str, object] = {"macAddress": live_iface.mac, "ipAddress": ip}
    if parent is not None:
        entry["parentDeviceID"] = parent
    device.v1_connections[live_iface.mac] = entry
    if online:
        state.connections[live_iface.mac] = make_connection(
            state,
            live_iface.mac,
            ip,
            band=live_iface.band,
            guest=guest,
            signal=-30 - rng.randrange(55),
            parent=parent,
            rng=rng,
        )


def make_connection(
    state: RouterState,
    mac: str,
    ip: str,
    *,
    band: str | None,
    guest: bool,
    signal: int,
    parent: str | None,
    rng: random.Random | None = None,
) -> Connection:
    """Build a live connection, choosing the radio that serves the band."""
    radio = None
    bssid = None
    if band is not None:
        radio = next((r for r in state.radios if r.band == band), state.radios[0])
        bssid = radio.bssid
        node = state.nodes.get(parent or "")
        if node is not None:
            # A client of a velop_mesh satellite sees that node's own BSSID.
            bssid = node.bssids.get(radio.radio_id, bssid)
    pick = rng.choice if rng is not None else (lambda seq: seq[len(seq) // 2])
    mbps = (
        1000
        if band is None
        else pick((72, 144, 300))
        if band == "2.4GHz"
        else pick((433, 866, 1201))
    )
    return Connection(
        mac=mac,
        ip=ip,
        band=band,
        guest=guest,
        signal=signal,
        negotiated_mbps=mbps,
        radio_id=radio.radio_id if radio else None,
        bssid=bssid,
        parent_device_id=parent,
    )
