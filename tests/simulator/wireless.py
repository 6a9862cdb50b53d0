"""Main Wi-Fi radios and the wireless scheduler, as the firmware serves them.

Each answer follows docs/firmware-facts.md ("wirelessap (radios)", "wirelessscheduler"):
WRT wirelessap.lua ``getRadioInfo3``/``setWirelessRadioSettings3``, wirelessscheduler.lua.
A refused Set changes nothing here (the Lua stores members one by one as it checks them;
whether the platform keeps a half-done write is unverified: stricter is the safe side).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import schema as s
from .actions import SCHEDULE_RE, action, versioned_reads
from .schema import InputError
from .state import DAYS, Radio, RadioSettings, RouterState

if TYPE_CHECKING:
    from .server import RouterSimulator

WIRELESS_AP4 = "wirelessap/WirelessAP4"
SCHEDULER = "wirelessscheduler/WirelessScheduler"
# wirelessap.lua verifyBandSteeringRadioSettings: the radios each mode keeps alike.
JOINED = {
    "Basic": ("RADIO_5GHz", "RADIO_5GHz_2"),
    "TriBand": ("RADIO_2.4GHz", "RADIO_5GHz", "RADIO_5GHz_2"),
}
# wirelessscheduler.lua initializeRadios: every main radio but wl2 (the second 5 GHz).
NOT_SCHEDULABLE = "RADIO_5GHz_2"
WPA_VARIANT = re.compile(r"^WPA[23]?[-/]")


def _refuse(code: str) -> InputError:
    return InputError(code, code)


def _is_wpa_personal(security: str) -> bool:
    return bool(WPA_VARIANT.match(security)) and not security.endswith("-Enterprise")


def _valid_passphrase(passphrase: str) -> bool:
    # wirelessap.lua isValidWPAPassphrase: 64 hex digits, or 8-63 of ASCII 32-126.
    if len(passphrase) == 64:
        return re.fullmatch(r"[0-9A-Fa-f]*", passphrase) is not None
    return 8 <= len(passphrase) <= 63 and all(32 <= ord(c) <= 126 for c in passphrase)


def _settings_out(rs: RadioSettings) -> dict[str, Any]:
    out: dict[str, Any] = {
        "isEnabled": rs.is_enabled,
        "mode": rs.mode,
        "ssid": rs.ssid,
        "broadcastSSID": rs.broadcast_ssid,
        "channelWidth": rs.channel_width,
        "channel": rs.channel,
        "security": rs.security,
    }
    # getWirelessRadioSettings: the passphrase block for WPA-Personal variants only.
    if _is_wpa_personal(rs.security):
        out["wpaPersonalSettings"] = {"passphrase": rs.passphrase}
    return out


def _radio_info(sim: RouterSimulator, version: int) -> dict[str, Any]:
    st = sim.state
    radios = []
    for r in st.radios:
        entry: dict[str, Any] = {
            "radioID": r.radio_id,
            "physicalRadioID": r.physical_radio_id,
            "bssid": r.bssid,
            "band": r.band,
            "supportedModes": list(r.supported_modes),
        }
        if version == 1:
            # getRadioInfo: the channels, and those that can be wide (all but 165 on 5 GHz).
            channels = sorted(
                {ch for chans in r.supported_channels.values() for ch in chans}
            )
            entry["supportedChannels"] = channels
            entry["supportedWideChannels"] = [
                ch for ch in channels if not (r.band == "5GHz" and ch == 165)
            ]
        else:
            entry["supportedChannelsForChannelWidths"] = [
                {"channelWidth": w, "channels": list(ch)}
                for w, ch in r.supported_channels.items()
            ]
        entry["supportedSecurityTypes"] = list(r.supported_security_types)
        entry["maxRADIUSSharedKeyLength"] = r.max_radius_shared_key_length
        entry["settings"] = _settings_out(r.settings)
        radios.append(entry)
    out: dict[str, Any] = {}
    if version == 3:
        # getRadioInfo3: the band-steering members exist only where it is supported,
        # its mode only while it is on.
        bs = st.band_steering
        out["isBandSteeringSupported"] = bs.is_supported
        if bs.is_supported:
            out["supportedBandSteeringModes"] = list(bs.supported_modes)
            out["isBandSteeringEnabled"] = bs.is_enabled
            if bs.is_enabled:
                out["bandSteeringMode"] = bs.mode
    out["radios"] = radios
    return out


versioned_reads(
    _radio_info,
    (1, "wirelessap/GetRadioInfo", "wirelessap/WirelessAP"),
    (2, "wirelessap/GetRadioInfo2", "wirelessap/WirelessAP3"),
    (3, "wirelessap/GetRadioInfo3", WIRELESS_AP4),
)


def _band_steering(st: RouterState, b: dict[str, Any]) -> tuple[bool, str]:
    """Check the band-steering members (setWirelessRadioSettings3); the new on/mode."""
    bs = st.band_steering
    if not bs.is_supported:
        if b.get("isBandSteeringEnabled") or "bandSteeringMode" in b:
            raise _refuse("ErrorBandSteeringNotSupported")
        return False, bs.mode
    if "isBandSteeringEnabled" not in b:
        raise _refuse("ErrorMissingIsBandSteeringEnabled")
    on: bool = b["isBandSteeringEnabled"]
    if on and "bandSteeringMode" not in b:
        raise _refuse("ErrorMissingBandSteeringMode")
    if not on and "bandSteeringMode" in b:
        raise _refuse("ErrorSuperfluousBandSteeringMode")
    if on and b["bandSteeringMode"] not in bs.supported_modes:
        raise _refuse("ErrorInvalidBandSteeringMode")
    return on, b["bandSteeringMode"] if on else bs.mode


def _radio_settings(
    st: RouterState, radio: Radio, cfg: dict[str, Any]
) -> RadioSettings:
    """One radio's new settings, checked in setWirelessRadioSettings' order."""
    if cfg["mode"] not in radio.supported_modes:
        raise _refuse("ErrorUnsupportedMode")
    ssid: str = cfg["ssid"]
    if not 1 <= len(ssid.encode()) <= 32:
        raise _refuse("ErrorInvalidSSID")
    guest = st.guest
    if guest.is_guest_network_enabled and any(
        g.is_enabled and g.guest_ssid == ssid for g in guest.radios
    ):
        raise _refuse("ErrorGuestSSIDConflict")
    width, mode = cfg["channelWidth"], cfg["mode"]
    # The v2 rule's order: the width's list, the channel in it, then the mode's widths.
    if width not in radio.supported_channels:
        raise _refuse("ErrorUnsupportedChannelWidth")
    if cfg["channel"] not in radio.supported_channels[width]:
        raise _refuse("ErrorUnsupportedChannel")
    if (mode == "802.11a" and width == "Wide") or (
        mode not in ("802.11ac", "802.11anac")
        and width in ("Wide80", "Wide160c", "Wide160nc")
    ):
        raise _refuse("ErrorUnsupportedChannelWidth")
    security: str = cfg["security"]
    if security not in radio.supported_security_types:
        raise _refuse("ErrorUnsupportedSecurity")
    passphrase = radio.settings.passphrase
    if _is_wpa_personal(security):
        if "wpaPersonalSettings" not in cfg:
            raise _refuse("ErrorMissingWPAPersonalSettings")
        passphrase = cfg["wpaPersonalSettings"]["passphrase"]
        if not _valid_passphrase(passphrase):
            raise _refuse("ErrorInvalidPassphrase")
    return RadioSettings(
        is_enabled=cfg["isEnabled"],
        mode=mode,
        ssid=ssid,
        broadcast_ssid=cfg["broadcastSSID"],
        channel_width=width,
        channel=cfg["channel"],
        security=security,
        passphrase=passphrase,
    )


def _alike(rs: RadioSettings) -> tuple[Any, ...]:
    # verifyBandSteeringRadioSettings compares these (the passphrase for WPA-Personal).
    secret = rs.passphrase if _is_wpa_personal(rs.security) else None
    return rs.is_enabled, rs.ssid, rs.security, rs.broadcast_ssid, secret


@action(
    "wirelessap/SetRadioSettings3",
    WIRELESS_AP4,
    s.RADIO3_SET,
    write=True,
    side_effects=("WirelessInterruption",),
)
def set_radio3(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    st = sim.state
    steering, mode = _band_steering(st, b)
    new: dict[str, RadioSettings] = {}
    for r in b["radios"]:
        radio = st.radio(r["radioID"])
        if radio is None:
            raise _refuse("ErrorUnknownRadio")
        new[radio.radio_id] = _radio_settings(st, radio, r["settings"])
    if steering:
        after = {r.radio_id: new.get(r.radio_id, r.settings) for r in st.radios}
        joined = {_alike(after[i]) for i in JOINED.get(mode, ()) if i in after}
        if len(joined) > 1:
            raise _refuse("ErrorInvalidBandSteeringRadioSettings")
    st.band_steering.is_enabled = steering
    st.band_steering.mode = mode
    for radio in st.radios:
        if radio.radio_id in new:
            radio.settings = new[radio.radio_id]
    return {}


# ---------------------------------------------------------------- wireless scheduler


def _configurable(st: RouterState) -> list[tuple[str, bool]]:
    main = [(r.radio_id, False) for r in st.radios if r.radio_id != NOT_SCHEDULABLE]
    return main + [(g.radio_id, True) for g in st.guest.radios]


def _radio_list(pairs: list[tuple[str, bool]]) -> list[dict[str, Any]]:
    return [{"radioID": rid, "isGuestRadio": guest} for rid, guest in pairs]


@action("wirelessscheduler/GetWirelessSchedulerSettings", SCHEDULER)
def get_scheduler(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    ws, configurable = sim.state.wireless_scheduler, _configurable(sim.state)
    return {
        "isWirelessSchedulerEnabled": ws.is_enabled,
        "wirelessSchedule": dict(ws.schedule),
        # getConfiguredRadios: in the order of the configurable ones.
        "configuredRadios": _radio_list(
            [p for p in configurable if p in ws.configured]
        ),
        "configurableRadios": _radio_list(configurable),
    }


@action(
    "wirelessscheduler/SetWirelessSchedulerSettings",
    SCHEDULER,
    s.SCHEDULER_SET,
    write=True,
)
def set_scheduler(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    schedule = b["wirelessSchedule"]
    if not all(SCHEDULE_RE.fullmatch(schedule[day]) for day in DAYS):
        raise _refuse("ErrorInvalidWirelessSchedule")
    configurable = _configurable(sim.state)
    wanted = [(r["radioID"], r["isGuestRadio"]) for r in b["configuredRadios"]]
    if any(pair not in configurable for pair in wanted):
        raise _refuse("ErrorInvalidConfiguredRadio")
    ws = sim.state.wireless_scheduler
    ws.is_enabled = b["isWirelessSchedulerEnabled"]
    ws.schedule = {day: schedule[day] for day in DAYS}
    ws.configured = [p for p in configurable if p in wanted]
    return {}
