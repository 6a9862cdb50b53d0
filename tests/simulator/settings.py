"""Settings the firmware validates member by member: guest network, parental control, QoS.

Each rule and error code follows docs/firmware-facts.md (guestnetwork.lua,
parentalcontrol.lua ``setRules``, qos.lua / qos_server.lua). Every input is checked in full
before anything changes, so a refused write leaves the state as it was (stricter than the
firmware, which may have applied earlier members: allowed, the simulator may be stricter).
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import TYPE_CHECKING, Any

from . import schema as s
from .actions import MAC_RE, SCHEDULE_RE, action, versioned_actions, versioned_reads
from .schema import InputError
from .state import DAYS, GuestRadio, ParentalRule

if TYPE_CHECKING:
    from .server import RouterSimulator

# guestnetwork.lua: WPA passphrases 8-63 printable (or 64 hex), captive-portal passwords
# 4-32 letters and digits.
_HEX64 = re.compile(r"^[0-9A-Fa-f]{64}$")
_ALNUM = re.compile(r"^[0-9A-Za-z]*$")


def _fail(code: str, message: str = "") -> InputError:
    return InputError(code, message or code)


# ---------------------------------------------------------------- guest network


def guest_get(sim: RouterSimulator, version: int) -> dict[str, Any]:
    """``GetGuestRadioSettings`` (v1) and ``GetGuestRadioSettings2`` per mode."""
    g = sim.state.guest
    captive = g.is_guest_network_a_captive_portal
    out: dict[str, Any] = {"isGuestNetworkEnabled": g.is_guest_network_enabled}
    if version == 2:
        out["isGuestNetworkACaptivePortal"] = captive
    # v2 reports the guest limit and password rules only for a captive portal.
    if version == 1 or captive:
        out["maxSimultaneousGuests"] = g.max_simultaneous_guests
        out["maxSimultaneousGuestsLimit"] = g.max_simultaneous_guests_limit
    # v1 always, v2 only for a portal; lengths per mode (getGuestPasswordRestrictions).
    if version == 1 or captive:
        out["guestPasswordRestrictions"] = {
            "minLength": 4 if captive else 8,
            "maxLength": 32 if captive else 64,
            "allowedCharacters": [
                {"lowCodepoint": 0x30, "highCodepoint": 0x39},
                {"lowCodepoint": 0x41, "highCodepoint": 0x5A},
                {"lowCodepoint": 0x61, "highCodepoint": 0x7A},
            ],
        }
    key = "guestWPAPassphrase" if version == 2 and not captive else "guestPassword"
    out["radios"] = [
        {
            "radioID": r.radio_id,
            "isEnabled": r.is_enabled,
            "broadcastGuestSSID": r.broadcast_guest_ssid,
            "guestSSID": r.guest_ssid,
            key: r.guest_password,
            "canEnableRadio": r.can_enable_radio,
        }
        for r in g.radios
    ]
    return out


def guest_password(radio: dict[str, Any], version: int, captive: bool) -> str:
    """Return the radio's password member for this version and mode (setGuestWirelessRadioSettings)."""
    if version == 1:
        if "guestPassword" not in radio:
            raise _fail("_ErrorInvalidInput", 'Missing member "guestPassword"')
        return str(radio["guestPassword"])
    wpa, plain = radio.get("guestWPAPassphrase"), radio.get("guestPassword")
    if captive:
        if plain is None:
            raise _fail("ErrorMissingGuestPassword")
        if wpa is not None:
            raise _fail("ErrorSuperfluousGuestWPAPasphrase")  # the firmware's spelling
        return str(plain)
    if wpa is None:
        raise _fail("ErrorMissingGuestWPAPasphrase")
    if plain is not None:
        raise _fail("ErrorSuperfluousGuestPassword")
    return str(wpa)


def valid_guest_password(password: str, captive: bool) -> bool:
    if captive:
        return 4 <= len(password) <= 32 and _ALNUM.fullmatch(password) is not None
    if _HEX64.fullmatch(password):
        return True
    return 8 <= len(password) <= 63 and all(32 <= ord(ch) <= 126 for ch in password)


def guest_set(sim: RouterSimulator, b: dict[str, Any], version: int) -> dict[str, Any]:
    """``SetGuestRadioSettings`` / ``SetGuestRadioSettings2`` (guestnetwork.lua)."""
    st = sim.state
    g = st.guest
    captive = g.is_guest_network_a_captive_portal
    main_ssids = {r.settings.ssid for r in st.radios}
    new: dict[str, GuestRadio] = {}
    for r in b["radios"]:
        current = next((x for x in g.radios if x.radio_id == r["radioID"]), None)
        if current is None or r["radioID"] in new:
            raise _fail("ErrorUnknownRadio", f"Unknown radio {r['radioID']}")
        password = guest_password(r, version, captive)
        if (
            r["isEnabled"]
            and b["isGuestNetworkEnabled"]
            and not current.can_enable_radio
        ):
            raise _fail("ErrorCannotEnableGuestNetwork")
        if not 1 <= len(r["guestSSID"].encode()) <= 32:
            raise _fail("ErrorInvalidGuestSSID")
        if (
            b["isGuestNetworkEnabled"]
            and r["isEnabled"]
            and r["guestSSID"] in main_ssids
        ):
            raise _fail(
                "ErrorGuestSSIDConflict",
                f"Guest SSID {r['guestSSID']} conflicts with a main SSID",
            )
        if not valid_guest_password(password, captive):
            raise _fail("ErrorInvalidGuestPassword")
        new[r["radioID"]] = GuestRadio(
            radio_id=r["radioID"],
            is_enabled=r["isEnabled"],
            guest_ssid=r["guestSSID"],
            guest_password=password,
            broadcast_guest_ssid=r["broadcastGuestSSID"],
            can_enable_radio=current.can_enable_radio,
        )
    maximum = b.get("maxSimultaneousGuests")
    if version == 2 and not captive:
        if maximum is not None:
            raise _fail("ErrorSuperfluousMaxSimultaneousGuests")
    elif maximum is None:
        raise _fail("ErrorMissingMaxSimultaneousGuests")
    elif not 1 <= maximum <= g.max_simultaneous_guests_limit:
        raise _fail("ErrorInvalidMaxSimultaneousGuests")
    g.is_guest_network_enabled = b["isGuestNetworkEnabled"]
    if maximum is not None:
        g.max_simultaneous_guests = maximum
    g.radios = [new.get(r.radio_id, r) for r in g.radios]
    return {}


versioned_reads(
    guest_get,
    (1, "guestnetwork/GetGuestRadioSettings", "guestnetwork/GuestNetwork"),
    (2, "guestnetwork/GetGuestRadioSettings2", "guestnetwork/GuestNetwork4"),
)
versioned_actions(
    guest_set,
    (
        1,
        "guestnetwork/SetGuestRadioSettings",
        "guestnetwork/GuestNetwork",
        s.GUEST1_SET,
    ),
    (
        2,
        "guestnetwork/SetGuestRadioSettings2",
        "guestnetwork/GuestNetwork4",
        s.GUEST2_SET,
    ),
    write=True,
    side_effects=("WirelessInterruption",),
)


# ---------------------------------------------------------------- parental control


@action("parentalcontrol/GetParentalControlSettings", "parentalcontrol/ParentalControl")
def get_parental(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    """``GetParentalControlSettings``."""
    p = sim.state.parental
    return {
        "isParentalControlEnabled": p.is_parental_control_enabled,
        "rules": [
            {
                "isEnabled": r.is_enabled,
                "description": r.description,
                "macAddresses": list(r.mac_addresses),
                "blockedURLs": list(r.blocked_urls),
                "wanSchedule": dict(r.wan_schedule),
            }
            for r in p.rules
        ],
        "maxRules": p.max_rules,
        "maxRuleMACAddresses": p.max_rule_mac_addresses,
        "maxRuleBlockedURLs": p.max_rule_blocked_urls,
        "maxRuleBlockedURLLength": p.max_rule_blocked_url_length,
        "maxRuleDescriptionLength": p.max_rule_description_length,
    }


def check_rules(limits: Mapping[str, Any], rules: list[dict[str, Any]]) -> None:
    """Check the rule list as ``setRules`` does (parentalcontrol.lua), in its order.

    Limits are the Get's. One MAC in two rules, enabled or not, is ``ErrorRulesOverlap``.
    """
    seen: set[str] = set()
    for r in rules:
        description = r["description"]
        if len(description.encode()) > limits["maxRuleDescriptionLength"]:
            raise _fail("ErrorDescriptionTooLong")
        if not all(32 <= ord(ch) <= 126 for ch in description):
            raise _fail("ErrorInvalidDescription")
        for mac in r["macAddresses"]:
            if not MAC_RE.fullmatch(mac) or mac == "00:00:00:00:00:00":
                raise _fail("ErrorInvalidMACAddress", f"Invalid MAC address {mac}")
            if mac in seen:
                raise _fail("ErrorRulesOverlap")
            seen.add(mac)
        if len(r["macAddresses"]) > limits["maxRuleMACAddresses"]:
            raise _fail("ErrorTooManyMACAddresses")
        for day in DAYS:
            if not SCHEDULE_RE.fullmatch(r["wanSchedule"][day]):
                raise _fail(
                    "ErrorInvalidWANSchedule", f"Invalid WAN schedule for {day}"
                )
        if any(len(u) > limits["maxRuleBlockedURLLength"] for u in r["blockedURLs"]):
            raise _fail("ErrorBlockedURLTooLong")
        if len(r["blockedURLs"]) > limits["maxRuleBlockedURLs"]:
            raise _fail("ErrorTooManyBlockedURLs")
    if len(rules) > limits["maxRules"]:
        raise _fail("ErrorTooManyRules")


@action(
    "parentalcontrol/SetParentalControlSettings",
    "parentalcontrol/ParentalControl",
    s.PARENTAL_SET,
    write=True,
)
def set_parental(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    """``SetParentalControlSettings``: the whole rule list, validated before it is kept."""
    p = sim.state.parental
    if sim.state.shield_license_id:
        raise _fail("ErrorDeprecatedAction")
    check_rules(get_parental(sim, {}), b["rules"])
    p.is_parental_control_enabled = b["isParentalControlEnabled"]
    p.rules = [
        ParentalRule(
            is_enabled=r["isEnabled"],
            description=r["description"],
            mac_addresses=list(r["macAddresses"]),
            blocked_urls=list(r["blockedURLs"]),
            wan_schedule={day: r["wanSchedule"][day] for day in DAYS},
        )
        for r in b["rules"]
    ]
    return {}


# ---------------------------------------------------------------- QoS

QOS_PRIORITIES = ("High", "Medium", "Normal", "Low")
QOS_TRAFFIC_TYPES = ("Voice", "Video", "Background", "Generic")
QOS_MAX_DEVICE_RULES = 100
QOS_MAX_DESCRIPTION = 64


@action("qos/GetQoSSettings", "qos/QoS")
def get_qos(sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    """``GetQoSSettings`` (qos_server.lua): the Set's members plus the limits."""
    q = sim.state.qos
    return {
        "isQoSEnabled": q.is_enabled,
        "isQoSAutoPrioritizingEnabled": q.auto_prioritizing,
        "upstreamBandwidthbps": q.upstream_bps,
        "downstreamBandwidthbps": q.downstream_bps,
        "deviceRules": [dict(rule) for rule in q.device_rules],
        "applicationRules": [dict(rule) for rule in q.application_rules],
        "maxDescriptionLength": QOS_MAX_DESCRIPTION,
        "maxApplicationRules": 40,
        "maxPortRanges": 3,
        "maxDeviceRules": QOS_MAX_DEVICE_RULES,
    }


def check_device_rules(rules: list[dict[str, Any]]) -> None:
    if len(rules) > QOS_MAX_DEVICE_RULES:
        raise _fail("ErrorTooManyDeviceRules")
    macs: set[str] = set()
    for rule in rules:
        mac = rule["macAddress"]
        if not MAC_RE.fullmatch(mac):
            raise _fail("_ErrorInvalidInput", 'Invalid value for member "macAddress"')
        if rule["priority"] not in QOS_PRIORITIES:
            raise _fail("_ErrorInvalidInput", 'Invalid value for member "priority"')
        if rule["trafficType"] not in QOS_TRAFFIC_TYPES:
            raise _fail("_ErrorInvalidInput", 'Invalid value for member "trafficType"')
        if len(rule["description"].encode()) > QOS_MAX_DESCRIPTION:
            raise _fail("ErrorDescriptionTooLong")
        if mac in macs:
            raise _fail("ErrorConflictingDeviceRules")
        macs.add(mac)


@action("qos/SetQoSSettings", "qos/QoS", s.QOS_SET, write=True)
def set_qos(sim: RouterSimulator, b: dict[str, Any]) -> dict[str, Any]:
    """``SetQoSSettings`` (qos_server.lua): the whole settings object."""
    q = sim.state.qos
    if b["upstreamBandwidthbps"] < 0:
        raise _fail("ErrorInvalidUpstreamBandwidth")
    if b["downstreamBandwidthbps"] < 0:
        raise _fail("ErrorInvalidDownstreamBandwidth")
    check_device_rules(b["deviceRules"])
    q.is_enabled = b["isQoSEnabled"]
    q.auto_prioritizing = b["isQoSAutoPrioritizingEnabled"]
    q.upstream_bps = b["upstreamBandwidthbps"]
    q.downstream_bps = b["downstreamBandwidthbps"]
    q.device_rules = [dict(rule) for rule in b["deviceRules"]]
    q.application_rules = [dict(rule) for rule in b["applicationRules"]]
    return {}


@action("qos/GetWLANQoSSettings", "qos/QoS")
def get_wlan_qos(_sim: RouterSimulator, _b: dict[str, Any]) -> dict[str, Any]:
    """``GetWLANQoSSettings`` (qos.lua names)."""
    return {"isWMMEnabled": True, "isWirelessAcknowledgementEnabled": True}
