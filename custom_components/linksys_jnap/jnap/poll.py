"""The poll: one registry of its parts, ``PollResult``, and the poll loop.

Each part is declared once, as a field of ``PollResult`` whose ``metadata`` comes from
``_part``: its action family, its parser, whether it takes ``sinceRevision``. Adding a part
is adding a field; ``REGISTRY`` and ``POLL_PARTS`` are read from the fields.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Final

from . import actions as act
from .actions import get_spec, needs_password
from .capabilities import Capabilities
from .errors import (
    ERROR_ABORTED,
    ERROR_ADMIN_ACCOUNT_LOCKED,
    ERROR_INVALID_ADMIN_PASSWORD,
    ERROR_PASSWORD_CHECK_DELAYED,
    ERROR_UNAUTHORIZED,
    ERROR_UNKNOWN_ACTION,
    JNAPAbortedError,
    JNAPError,
    JNAPProtocolError,
)
from .models import (
    RANGE_FORWARDING,
    SINGLE_FORWARDING,
    TRIGGERING,
    BackhaulInfo,
    DeviceInfo,
    DeviceList,
    EntryMemo,
    EthernetPortConnections,
    FirmwareUpdateSettings,
    FirmwareUpdateStatus,
    GuestNetworkSettings,
    HealthCheckResults,
    HealthCheckStatus,
    InternetConnectionStatus,
    LEDNightMode,
    LEDSettings,
    NetworkConnection,
    NodesFirmwareStatus,
    ParentalControlSettings,
    PortRules,
    QoSSettings,
    RadioInfo,
    RateUnits,
    SystemStats,
    WANStatus,
    WirelessSchedulerSettings,
    WPSServerSettings,
    WPSSessionStatus,
    as_bool,
    node_connections_from_json,
)
from .transaction import ActionResult, Call, TransactionEngine

_AUTH_CODES = frozenset(
    {
        ERROR_UNAUTHORIZED,
        ERROR_INVALID_ADMIN_PASSWORD,
        ERROR_PASSWORD_CHECK_DELAYED,
        ERROR_ADMIN_ACCOUNT_LOCKED,
    }
)


@dataclass(frozen=True, slots=True)
class _ParseInput:
    """What a part's parser gets: the answer and the poller's reusable state."""

    output: Mapping[str, Any]
    action: str
    since_revision: int | None
    poller: Poller


@dataclass(frozen=True, slots=True)
class PollPart:
    """One part of the poll: a ``PollResult`` field filled from one action family."""

    name: str
    family: str
    parse: Callable[[_ParseInput], Any]
    since_revision: bool = False
    """The request carries ``sinceRevision`` when the poll was given one."""
    reuse_equal: bool = True
    """An answer equal to the last one keeps the last model (settings rarely change)."""
    request: Mapping[str, Any] = field(default_factory=dict)
    """Members every request of this part carries."""
    on_request: bool = False
    """Sent only in a poll that asks for it (``also``): a check that is due now and then."""
    every: int = 1
    """Read at every ``every``-th poll only (rules and settings that rarely change), and by
    every thorough poll (setup, the refresh after a write); the polls between keep the last
    answer, so an idle poll's bytes stay those of what changes."""
    serves: str | None = None
    """The write family the part is read for: without it listed, the part is not read."""

    def action(self, caps: Capabilities) -> str | None:
        """Return the version the router's services allow (None: not read on it)."""
        if self.serves is not None and caps.version_of(self.serves) is None:
            return None
        return caps.version_of(self.family)


RARELY: Final = 10
"""``every`` of the rarely changing parts: about every 5 minutes at the 30 s interval."""


def _part(
    family: str,
    parse: Callable[[_ParseInput], Any],
    *,
    since_revision: bool = False,
    reuse_equal: bool = True,
    request: Mapping[str, Any] | None = None,
    on_request: bool = False,
    every: int = 1,
    serves: str | None = None,
) -> dict[str, Any]:
    """Return the ``metadata`` that makes a ``PollResult`` field a poll part."""
    spec = {
        "family": family,
        "parse": parse,
        "since_revision": since_revision,
        "reuse_equal": reuse_equal,
        "request": dict(request or {}),
        "on_request": on_request,
        "every": every,
        "serves": serves,
    }
    return {"poll": spec}


def _versioned[M](
    model: Callable[..., M],
) -> Callable[[_ParseInput], M]:
    return lambda p: model(p.output, version=get_spec(p.action).version)


def _plain[M](model: Callable[[Any], M]) -> Callable[[_ParseInput], M]:
    return lambda p: model(p.output)


def _port_rules(kind: str) -> Callable[[_ParseInput], PortRules]:
    return lambda p: PortRules.from_json(p.output, kind=kind)


@dataclass(frozen=True, slots=True)
class PollResult:
    """One poll: each part None when the router lacks it (or it failed, see ``errors``)."""

    devices: DeviceList | None = field(
        default=None,
        metadata=_part(
            act.GET_DEVICES,
            lambda p: DeviceList.from_json(p.output, since_revision=p.since_revision),
            since_revision=True,
            reuse_equal=False,
        ),
    )
    connections: tuple[NetworkConnection, ...] | None = field(
        default=None,
        metadata=_part(
            act.GET_NETWORK_CONNECTIONS,
            lambda p: NetworkConnection.list_from_json(
                p.output, p.poller.connections_memo
            ),
            reuse_equal=False,
        ),
    )
    node_connections: tuple[NetworkConnection, ...] | None = field(
        default=None,
        metadata=_part(
            act.GET_NODES_WIRELESS_CONNECTIONS,
            lambda p: node_connections_from_json(
                p.output, p.poller.node_memos, p.poller.rate_units
            ),
            reuse_equal=False,
        ),
    )
    """Every mesh node's Wi-Fi stations, each with its node (Velop only)."""
    backhaul: BackhaulInfo | None = field(
        default=None,
        metadata=_part(
            act.GET_BACKHAUL_INFO, _plain(BackhaulInfo.from_json), reuse_equal=False
        ),
    )
    """How each satellite reaches the mesh (Velop only; its signal moves every poll)."""
    wan_status: WANStatus | None = field(
        default=None, metadata=_part(act.GET_WAN_STATUS, _plain(WANStatus.from_json))
    )
    guest_network: GuestNetworkSettings | None = field(
        default=None,
        metadata=_part(
            act.GET_GUEST_RADIO_SETTINGS, _versioned(GuestNetworkSettings.from_json)
        ),
    )
    leds: LEDSettings | None = field(
        default=None,
        metadata=_part(act.GET_ROUTER_LED_SETTINGS, _plain(LEDSettings.from_json)),
    )
    led_night_mode: LEDNightMode | None = field(
        default=None,
        metadata=_part(act.GET_LED_NIGHT_MODE, _plain(LEDNightMode.from_json)),
    )
    parental_control: ParentalControlSettings | None = field(
        default=None,
        metadata=_part(
            act.GET_PARENTAL_CONTROL_SETTINGS, _plain(ParentalControlSettings.from_json)
        ),
    )
    firmware_update: FirmwareUpdateStatus | None = field(
        default=None,
        metadata=_part(
            act.GET_FIRMWARE_UPDATE_STATUS, _plain(FirmwareUpdateStatus.from_json)
        ),
    )
    nodes_firmware: NodesFirmwareStatus | None = field(
        default=None,
        metadata=_part(
            act.GET_NODES_FIRMWARE_UPDATE_STATUS, _plain(NodesFirmwareStatus.from_json)
        ),
    )
    """Each mesh node's firmware status, the master first (Velop only)."""
    qos: QoSSettings | None = field(
        default=None,
        metadata=_part(act.GET_QOS_SETTINGS, _plain(QoSSettings.from_json)),
    )
    speed_tests: HealthCheckResults | None = field(
        default=None,
        metadata=_part(
            act.GET_HEALTH_CHECK_RESULTS,
            _plain(HealthCheckResults.from_json),
            # The official app's request: the newest five, with their figures.
            request={"includeModuleResults": True, "lastNumberOfResults": 5},
        ),
    )
    speed_test_status: HealthCheckStatus | None = field(
        default=None,
        metadata=_part(
            act.GET_HEALTH_CHECK_STATUS, _plain(HealthCheckStatus.from_json)
        ),
    )
    system_stats: SystemStats | None = field(
        default=None,
        metadata=_part(
            act.GET_SYSTEM_STATS, _plain(SystemStats.from_json), reuse_equal=False
        ),
    )
    """Uptime (and load on newer firmware): different at every poll."""
    internet: InternetConnectionStatus | None = field(
        default=None,
        metadata=_part(
            act.GET_INTERNET_CONNECTION_STATUS,
            _plain(InternetConnectionStatus.from_json),
        ),
    )
    wps: WPSSessionStatus | None = field(
        default=None,
        metadata=_part(act.GET_WPS_SESSION_STATUS, _plain(WPSSessionStatus.from_json)),
    )
    wps_settings: WPSServerSettings | None = field(
        default=None,
        metadata=_part(act.GET_WPS_SETTINGS, _plain(WPSServerSettings.from_json)),
    )
    wps_available: bool | None = field(
        default=None,
        metadata=_part(
            act.IS_WPS_AVAILABLE, lambda p: as_bool(p.output.get("available"))
        ),
    )
    """``IsWPSServerAvailable``: false with MAC filtering or a radio WPS can't serve."""
    # Port rules change only when someone edits them: read rarely (and after every write).
    single_port_forwarding: PortRules | None = field(
        default=None,
        metadata=_part(
            act.GET_SINGLE_PORT_FORWARDING,
            _port_rules(SINGLE_FORWARDING),
            every=RARELY,
        ),
    )
    port_range_forwarding: PortRules | None = field(
        default=None,
        metadata=_part(
            act.GET_PORT_RANGE_FORWARDING, _port_rules(RANGE_FORWARDING), every=RARELY
        ),
    )
    port_range_triggering: PortRules | None = field(
        default=None,
        metadata=_part(
            act.GET_PORT_RANGE_TRIGGERING, _port_rules(TRIGGERING), every=RARELY
        ),
    )
    ethernet_ports: EthernetPortConnections | None = field(
        default=None,
        metadata=_part(
            act.GET_ETHERNET_PORT_CONNECTIONS,
            _plain(EthernetPortConnections.from_json),
            every=RARELY,
        ),
    )
    """Link speed per LAN port and of the WAN port: diagnostics a cable change shows within
    minutes, so read every ``RARELY``-th poll (and by every thorough poll)."""
    # Settings users rarely change: read every RARELY-th poll and after every write.
    radios: RadioInfo | None = field(
        default=None,
        metadata=_part(
            act.GET_RADIO_INFO,
            _versioned(RadioInfo.from_json),
            every=RARELY,
            serves=act.SET_RADIO_SETTINGS,
        ),
    )
    """The main Wi-Fi radios (their switches: read only where the router takes the Set)."""
    wireless_scheduler: WirelessSchedulerSettings | None = field(
        default=None,
        metadata=_part(
            act.GET_WIRELESS_SCHEDULER_SETTINGS,
            _plain(WirelessSchedulerSettings.from_json),
            every=RARELY,
        ),
    )
    firmware_update_settings: FirmwareUpdateSettings | None = field(
        default=None,
        metadata=_part(
            act.GET_FIRMWARE_UPDATE_SETTINGS,
            _plain(FirmwareUpdateSettings.from_json),
            every=RARELY,
        ),
    )
    # Open actions, asked only when due: they ride in the poll's one request (the official
    # app's polling transaction carries core/GetDeviceInfo with the password, real answer
    # whw03_fee_tx), so a check never costs a request of its own.
    device_info: DeviceInfo | None = field(
        default=None,
        metadata=_part(
            act.GET_DEVICE_INFO,
            _plain(DeviceInfo.from_json),
            reuse_equal=False,
            on_request=True,
        ),
    )
    """The firmware version and services, re-read after an outage."""
    admin_password_default: bool | None = field(
        default=None,
        metadata=_part(
            act.IS_ADMIN_PASSWORD_DEFAULT,
            lambda p: as_bool(p.output.get("isAdminPasswordDefault")),
            reuse_equal=False,
            on_request=True,
        ),
    )
    """Whether the factory admin password is still set (the hourly check)."""
    errors: Mapping[str, JNAPError] = field(default_factory=dict)
    """Part name (a field name above) -> why it failed while other parts succeeded."""
    actions: Mapping[str, str] = field(default_factory=dict)
    """Part name -> short name of the action that produced it."""


REGISTRY: Final[tuple[PollPart, ...]] = tuple(
    PollPart(f.name, **f.metadata["poll"]) for f in fields(PollResult) if f.metadata
)
"""Every poll part, in the order a poll asks for them."""

POLL_PARTS: Final[tuple[str, ...]] = tuple(
    part.name for part in REGISTRY if not part.on_request
)
"""The parts every poll asks for (where the router has them)."""

PART_DEVICE_INFO: Final = "device_info"
PART_ADMIN_PASSWORD_DEFAULT: Final = "admin_password_default"  # noqa: S105

ON_REQUEST_PARTS: Final[tuple[str, ...]] = tuple(
    part.name for part in REGISTRY if part.on_request
)
"""Parts a poll carries only when asked (``Poller.poll(also=...)``)."""

_BY_NAME: Final[Mapping[str, PollPart]] = {part.name: part for part in REGISTRY}
_RARE_PARTS: Final[tuple[str, ...]] = tuple(p.name for p in REGISTRY if p.every > 1)


def poll_actions(caps: Capabilities | None) -> list[str]:
    """Short names of the actions a poll sends now (highest listed versions)."""
    if caps is None:
        return []
    chosen = (part.action(caps) for part in REGISTRY if not part.on_request)
    return [action for action in chosen if action is not None]


class Poller:
    """Runs polls through an engine; keeps what makes the next poll cheaper."""

    def __init__(self, engine: TransactionEngine) -> None:
        """Start with empty memos and no failing part."""
        self._engine = engine
        # Polls re-read every live connection; unchanged entries are not parsed again.
        # Each node's rate unit, decided by the node and kept across polls.
        self.rate_units: RateUnits = RateUnits()
        self.connections_memo: EntryMemo[NetworkConnection] = NetworkConnection.memo(
            None, self.rate_units
        )
        self.node_memos: dict[str, EntryMemo[NetworkConnection]] = {}
        self._part_memo: dict[str, tuple[str, Mapping[str, Any], Any]] = {}
        self._failing_parts: frozenset[str] = frozenset()
        self._answered = False
        """A poll succeeded once: from then on a poll is one request, whatever fails."""
        self._last: dict[str, tuple[str, Any]] = {}
        """Part -> (action, model) of its last answer: what an aborted part keeps."""
        self._polls = 0
        """Polls sent since the start: which of them carry the parts read rarely."""

    async def poll(
        self,
        caps: Capabilities,
        *,
        since_revision: int | None = None,
        also: Collection[str] = (),
        complete: bool = False,
    ) -> PollResult:
        """Every part ``caps`` allow, in one transaction (see ``JNAPClient.poll``).

        ``also`` names on-request parts (``ON_REQUEST_PARTS``) to carry this time.
        ``complete`` asks aborted parts again at once (the refresh after a user's write
        must show what the router holds now), as before the first answer.
        """
        thorough = complete or not self._answered
        values: dict[str, Any] = {}
        errors: dict[str, JNAPError] = {}
        used: dict[str, str] = {}
        self._polls += 1
        # Rare parts not due: their last answer stands, but says nothing of the router now.
        kept: set[str] = set()
        for name in () if thorough else _RARE_PARTS:
            # Not due: the last answer stands (a part with none is read now).
            if self._polls % _BY_NAME[name].every and name in self._last:
                used[name], values[name] = self._last[name]
                kept.add(name)
        # Parts that failed last time go last: a refusal aborts only what follows it. The
        # checks asked for go after the usual parts (IsAdminPasswordDefault answers
        # _ErrorNotReady while the router boots: it must not abort the poll).
        failing = self._failing_parts
        pending = (
            [p for p in POLL_PARTS if p not in failing]
            + [p for p in ON_REQUEST_PARTS if p in also]
            + [p for p in POLL_PARTS if p in failing]
        )
        # Before the first answer (setup), parts an unknown action or a refusal aborted are
        # asked again at once; afterwards they wait for the next poll: one request a poll.
        for _attempt in range(len(REGISTRY) if thorough else 1):
            plan: list[tuple[str, str, dict[str, Any]]] = []
            for name in pending:
                if name in values:
                    continue
                part = _BY_NAME[name]
                action = part.action(caps)
                if action is None:
                    errors.pop(name, None)
                    continue
                request: dict[str, Any] = dict(part.request)
                if part.since_revision and since_revision is not None:
                    request["sinceRevision"] = since_revision
                plan.append((name, action, request))
            if not plan:
                break
            results = await self._engine.transaction(
                [Call(action, request) for _, action, request in plan],
                retry_unsupported=False,
            )
            pending = self._absorb(
                plan,
                results,
                values=values,
                errors=errors,
                used=used,
                since_revision=since_revision,
            )
            if not pending:
                break
        answered = bool(values.keys() - kept)
        if not thorough and answered:
            # Something answered: the router is up, the aborted parts are not stale news.
            self._keep_aborted(values, errors, used)
        self._failing_parts = frozenset(
            part
            for part, err in errors.items()
            if not isinstance(err, JNAPAbortedError)
        )
        if errors and not answered:
            raise next(iter(errors.values()))
        self._answered = True
        return PollResult(**values, errors=errors, actions=used)

    def _absorb(
        self,
        plan: list[tuple[str, str, dict[str, Any]]],
        results: list[ActionResult],
        *,
        values: dict[str, Any],
        errors: dict[str, JNAPError],
        used: dict[str, str],
        since_revision: int | None,
    ) -> list[str]:
        """Store one poll transaction's results; return the parts worth retrying."""
        retry: list[str] = []
        seen_ok = False
        for (part, action, _), result in zip(plan, results, strict=True):
            if result.ok:
                # Only a password action answering proves the password.
                seen_ok = seen_ok or needs_password(action)
                try:
                    values[part] = self._parse(
                        _BY_NAME[part], action, result.output, since_revision
                    )
                    used[part] = action
                    errors.pop(part, None)
                    self._last[part] = (action, values[part])
                except JNAPProtocolError as err:
                    errors[part] = err
                continue
            error = result.error
            assert error is not None
            # A wrong password fails the first entry; a lone _ErrorUnauthorized after
            # successes in the same POST is a firmware quirk, not a bad password.
            if result.code in _AUTH_CODES and (
                result.code != ERROR_UNAUTHORIZED or not seen_ok
            ):
                raise error
            errors[part] = error
            if result.code in (ERROR_UNKNOWN_ACTION, ERROR_ABORTED):
                retry.append(part)
        return retry

    def _keep_aborted(
        self,
        values: dict[str, Any],
        errors: dict[str, JNAPError],
        used: dict[str, str],
    ) -> None:
        """Give a part another's refusal aborted its last answer (asked again next poll).

        Never the device list (an incremental answer must not be merged twice: the
        builder re-reads it whole) nor an on-request check (it stays due).
        """
        for part, err in list(errors.items()):
            part_spec = _BY_NAME[part]
            if (
                not isinstance(err, JNAPAbortedError)
                or part_spec.since_revision
                or part_spec.on_request
                or part not in self._last
            ):
                continue
            used[part], values[part] = self._last[part]
            del errors[part]

    def _parse(
        self,
        part: PollPart,
        action: str,
        output: Mapping[str, Any],
        since_revision: int | None,
    ) -> Any:
        if part.reuse_equal:
            memo = self._part_memo.get(part.name)
            if memo is not None and memo[0] == action and memo[1] == output:
                return memo[2]
        value = part.parse(_ParseInput(output, action, since_revision, self))
        if part.reuse_equal:
            self._part_memo[part.name] = (action, output, value)
        return value
