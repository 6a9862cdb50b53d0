"""ReplayRouter: serves a recording of a real router's JNAP answers over HTTP.

A recording (``tests/fixtures/real/*.json``, format ``linksys_jnap.recording`` version 1) holds
one answer per action as a real router gave it. The replay router answers those actions again,
with the envelope, authentication and transaction rules of the project simulator
(``tests/simulator``), so the integration can be tested against real routers' answers.

It never imports from ``custom_components/``: it is an oracle independent of the code under
test. From the simulator it reuses only the action catalogue (which service an action needs,
its input spec), ``check`` and ``InputError``, and, when present, the firmware write rules
(``tests/simulator/rules.py``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
import copy
from dataclasses import dataclass
import importlib
import json
from pathlib import Path
from typing import Any, NamedTuple, Protocol, cast

from aiohttp import web

from tests.simulator import actions as catalogue
from tests.simulator.profiles import JNAP_PREFIX
from tests.simulator.schema import InputError, Spec, check
from tests.simulator.server import short_name

RECORDING_FORMAT = "linksys_jnap.recording"
RECORDING_VERSION = 1
TRANSACTION = "core/Transaction"
DEVICE_INFO = "core/GetDeviceInfo"
# Actions that answer without the admin password (current firmware); every other action needs it.
OPEN_ACTIONS = frozenset(
    {
        DEVICE_INFO,
        "core/IsAdminPasswordDefault",
        "core/GetAdminPasswordHint",
        "core/GetAdminPasswordRestrictions",
    }
)
CHECK_PASSWORD = frozenset(
    {"core/CheckAdminPassword", "core/CheckAdminPassword2", "core/CheckAdminPassword3"}
)
# v2/v3 also take the candidate password in the body.
BODY_PASSWORD = frozenset({"core/CheckAdminPassword2", "core/CheckAdminPassword3"})
# Writes accepted (and logged) without firmware rules: they change no recorded answer.
ACCEPTED_WRITES = frozenset({"core/Reboot", "firmwareupdate/UpdateFirmwareNow"})
DEVICE_LISTS = frozenset({"devicelist/GetDevices", "devicelist/GetDevices3"})
RULES_MODULE = "tests.simulator.rules"
_MISS = "replay: "  # the error text of a miss
# A newer version that only adds members, where a recording (made by an older app) holds
# the predecessor's answer alone: answered with that output, so the added members are
# absent, which the client must take as optional (docs/firmware-facts.md, divergence row 23).
ANSWERED_BY_PREDECESSOR = {
    "nodes/networkconnections/GetNodesWirelessNetworkConnections2": (
        "nodes/networkconnections/GetNodesWirelessNetworkConnections"
    ),
}
NOT_FOUND_HTML = (
    "<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
    "<body><h1>404 Not Found</h1><p>The requested URL was not found on this server.</p></body></html>"
)

type Read = Callable[[str], Mapping[str, Any] | None]


class SetRules(Protocol):
    """The firmware write rules (``tests.simulator.rules``, or a test's stand-in)."""

    SUPPORTED_SETS: frozenset[str]

    def apply_set(
        self, action: str, body: Mapping[str, Any], read: Read
    ) -> dict[str, dict[str, Any]]:
        """Validate a write; return {short Get action: its new full output}; raise InputError."""
        ...


class ReplayRequest(NamedTuple):
    """One HTTP request: the actions it carried (a transaction's entries) and its auth."""

    actions: tuple[str, ...]
    auth: str  # "none" | "ok" | "bad"


@dataclass(frozen=True, slots=True)
class _Action:
    name: str
    auth: bool
    spec: (
        dict[str, Spec] | None
    )  # None: the catalogue doesn't know it (any object body)
    write: bool
    side_effects: tuple[str, ...]


def load_recording(source: Mapping[str, Any] | str | Path) -> dict[str, Any]:
    """Return a recording (a deep copy), from a mapping or a JSON file.

    Also finds it inside a Home Assistant diagnostics file (under ``data`` or one level below).
    """
    raw: Any
    if isinstance(source, Mapping):
        raw = source
    else:
        raw = json.loads(Path(source).read_text(encoding="utf-8"))
    candidates: list[Any] = [raw]
    if isinstance(raw, Mapping) and isinstance(raw.get("data"), Mapping):
        candidates.append(raw["data"])
        candidates.extend(raw["data"].values())
    rec = next(
        (
            c
            for c in candidates
            if isinstance(c, Mapping) and c.get("format") == RECORDING_FORMAT
        ),
        None,
    )
    if rec is None:
        raise ValueError(f"not a {RECORDING_FORMAT} recording")
    if rec.get("version") != RECORDING_VERSION:
        raise ValueError(f"unsupported recording version {rec.get('version')!r}")
    answers = rec.get("answers")
    if not isinstance(answers, Mapping):
        raise TypeError("recording without answers")
    for name, answer in answers.items():
        if not isinstance(answer, Mapping) or not isinstance(answer.get("result"), str):
            raise TypeError(f"answer of {name!r} has no result")
    device_info = answers.get(DEVICE_INFO)
    if (
        not isinstance(device_info, Mapping)
        or device_info.get("result") != "OK"
        or not isinstance(device_info.get("output", {}).get("services"), list)
    ):
        raise ValueError(f"recording without an OK {DEVICE_INFO} listing services")
    return copy.deepcopy(dict(rec))


def default_rules() -> SetRules | None:
    """Return ``tests.simulator.rules`` if it exists (a broken module still raises)."""
    try:
        module = importlib.import_module(RULES_MODULE)
    except ModuleNotFoundError as err:
        if err.name == RULES_MODULE:
            return None
        raise
    return cast("SetRules", module)


class ReplayRouter:
    """Serve a recording on host:port. Inspect requests, writes and misses afterwards."""

    def __init__(
        self,
        recording: Mapping[str, Any] | str | Path,
        password: str = "replay-pass",  # noqa: S107 (a test router)
        *,
        rules: SetRules | None = None,
        refuse_mixed_auth: bool = False,
        misses_abort: bool = True,
    ) -> None:
        """Load a recording.

        rules: firmware write rules (default ``tests.simulator.rules`` when it exists; without
        rules only ``core/Reboot`` and ``UpdateFirmwareNow`` are accepted).
        refuse_mixed_auth: refuse transactions mixing open and password actions, as the
        simulator's velop profile (off: no recording shows it).
        misses_abort: a miss (a listed read the recording lacks) aborts the rest of its
        transaction like any failed entry. Off, it fails only its own entry: a miss is a
        hole in the recording, and the firmware would have answered it.
        """
        self.recording: dict[str, Any] = load_recording(recording)
        self.password = password
        self.refuse_mixed_auth = refuse_mixed_auth
        self.misses_abort = misses_abort
        self.rules: SetRules | None = rules if rules is not None else default_rules()
        self.answers: dict[str, dict[str, Any]] = self.recording["answers"]
        self.services: frozenset[str] = frozenset(
            uri[len(JNAP_PREFIX) :] if uri.startswith(JNAP_PREFIX) else uri
            for uri in self.answers[DEVICE_INFO]["output"]["services"]
        )
        self.requests: list[ReplayRequest] = []
        self.writes: list[tuple[str, dict[str, Any]]] = []
        self.misses: list[str] = []
        self._host = "127.0.0.1"
        self._port = 0
        self._runner: web.AppRunner | None = None

    def __repr__(self) -> str:
        return f"<ReplayRouter {self.recording.get('model')} {self.host}>"

    # ------------------------------------------------------------ lifecycle

    @property
    def host(self) -> str:
        """host:port, as a client's host setting."""
        return f"{self._host}:{self._port}"

    @property
    def port(self) -> int:
        """TCP port (known after start)."""
        return self._port

    @property
    def url(self) -> str:
        """The JNAP endpoint."""
        return f"http://{self._host}:{self._port}/JNAP/"

    @property
    def device_info(self) -> dict[str, Any]:
        """The recorded core/GetDeviceInfo output (serial, model, services...)."""
        output: dict[str, Any] = self.answers[DEVICE_INFO]["output"]
        return output

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on host:port (port 0 picks a free port)."""
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=0.5
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port, reuse_address=True)
        await site.start()
        self._host = host
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Stop listening and close connections."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------ HTTP

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        header_pw = _password(request.headers.get("X-JNAP-Authorization"))
        if request.path != "/JNAP/" or request.method != "POST":
            self.requests.append(ReplayRequest((), self._label(header_pw)))
            return web.Response(
                status=404, text=NOT_FOUND_HTML, content_type="text/html"
            )
        body = await request.read()
        uri = request.headers.get("X-JNAP-Action", "")
        name = short_name(uri)
        parsed: Any = None
        try:
            parsed = json.loads(body) if body else None
            json_ok = body != b""
        except ValueError:
            json_ok = False
        names: tuple[str, ...]
        if name == TRANSACTION and isinstance(parsed, list):
            names = tuple(
                (short_name(e["action"]) or e["action"])
                if isinstance(e, dict) and isinstance(e.get("action"), str)
                else "?"
                for e in parsed
            )
        else:
            names = (name or uri,)
        if not json_ok:
            answer = _error("_ErrorInvalidInput", "Invalid JSON in request body")
        elif name is None:
            answer = _unknown_action(uri)
        elif name == TRANSACTION:
            answer = self._transaction(parsed, header_pw)
        else:
            answer = self._run(name, uri, parsed, header_pw)
        self.requests.append(ReplayRequest(names, self._label(header_pw)))
        text = json.dumps(answer, separators=(",", ":"))
        return web.Response(status=200, text=text, content_type="application/json")

    def _label(self, header_pw: str | None) -> str:
        if header_pw is None:
            return "none"
        return "ok" if header_pw == self.password else "bad"

    # ------------------------------------------------------------ JNAP

    def _resolve(self, name: str) -> _Action | None:
        """Return the action if this router has it (its service listed, or recorded)."""
        if name == TRANSACTION:
            return None
        auth = name not in OPEN_ACTIONS
        adef = catalogue.ACTIONS.get(name)
        if adef is not None:
            # As the firmware: an action exists only while its service is listed, even one
            # the recording holds an answer to (mx62_maple's borrowed services list).
            if adef.service in self.services:
                return _Action(name, auth, adef.spec, adef.write, adef.side_effects)
            return None
        # Unknown to the catalogue: the recorded answer is the only evidence.
        if name in self.answers:
            return _Action(name, auth, None, _looks_like_write(name), ())
        return None

    def _listed(self, name: str) -> bool:
        adef = catalogue.ACTIONS.get(name)
        return adef is not None and adef.service in self.services

    def _transaction(self, body: Any, header_pw: str | None) -> dict[str, Any]:
        if not isinstance(body, list):
            return _error("_ErrorInvalidInput", "Transaction body must be a JSON array")
        entries: list[tuple[str, str | None, dict[str, Any]]] = []
        for entry in body:
            if not isinstance(entry, dict):
                return _error("_ErrorInvalidInput", "Invalid transaction entry")
            for member in ("action", "request"):
                if member not in entry:
                    return _error("_ErrorInvalidInput", f'Missing member "{member}"')
            extra = next((m for m in entry if m not in ("action", "request")), None)
            if extra is not None:
                return _error(
                    "_ErrorInvalidInput", f'Encountered unexpected member "{extra}"'
                )
            if not isinstance(entry["action"], str) or not isinstance(
                entry["request"], dict
            ):
                return _error("_ErrorInvalidInput", "Invalid transaction entry")
            entries.append(
                (entry["action"], short_name(entry["action"]), entry["request"])
            )
        mixed_at: int | None = None
        if self.refuse_mixed_auth:
            kinds = [
                (i, action.auth)
                for i, (_, name, _) in enumerate(entries)
                if name is not None and (action := self._resolve(name)) is not None
            ]
            if len({auth for _, auth in kinds}) == 2:
                mixed_at = next(i for i, auth in kinds if not auth)
        responses: list[dict[str, Any]] = []
        failed = False
        for i, (uri, name, request) in enumerate(entries):
            if failed:
                res = _error(
                    "_ErrorAbortedAction",
                    f"Action '{uri}' aborted due to previous transaction error",
                )
            elif i == mixed_at:
                res = _error("_ErrorUnauthorized", "Mixed authorization in transaction")
            elif name is None:
                res = _unknown_action(uri)
            else:
                res = self._run(name, uri, request, header_pw)
            hole = not self.misses_abort and res.get("error", "").startswith(_MISS)
            failed = failed or (res["result"] != "OK" and not hole)
            responses.append(res)
        ok = all(res["result"] == "OK" for res in responses)
        return {"result": "OK" if ok else "Error", "responses": responses}

    def _run(
        self, name: str, uri: str, body: Any, header_pw: str | None
    ) -> dict[str, Any]:
        action = self._resolve(name)
        if action is None:
            return _unknown_action(uri)
        if not isinstance(body, dict):
            return _error("_ErrorInvalidInput", "Request body must be a JSON object")
        if action.auth:
            denied = self._authorize(name, body, header_pw)
            if denied is not None:
                return denied
        rules = self.rules
        by_rules = action.write and rules is not None and name in rules.SUPPORTED_SETS
        try:
            if action.spec is not None and not by_rules:
                check(body, action.spec)
            if action.write:
                return self._write(action, body)
        except InputError as err:
            res = _error(err.result, err.error)
            if err.output is not None:
                res["output"] = err.output
            return res
        if name in CHECK_PASSWORD:
            return {"result": "OK", "output": {}}
        return self._read(name, body)

    def _authorize(
        self, name: str, body: dict[str, Any], header_pw: str | None
    ) -> dict[str, Any] | None:
        candidate = header_pw
        if name in BODY_PASSWORD and isinstance(body.get("adminPassword"), str):
            candidate = body["adminPassword"]
        if candidate is None:
            return _error("_ErrorUnauthorized", "Invalid authorization credentials")
        if candidate == self.password:
            return None
        if name in CHECK_PASSWORD:
            return _error("ErrorInvalidAdminPassword", "Invalid admin password")
        return _error("_ErrorUnauthorized", "Invalid authorization credentials")

    def _read(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.answers.get(name)
        if answer is None and name in ANSWERED_BY_PREDECESSOR:
            answer = self.answers.get(ANSWERED_BY_PREDECESSOR[name])
        if answer is None:
            self._miss(name)
            return _error("_ErrorUnexpected", f"{_MISS}no recorded answer for '{name}'")
        if (
            name in DEVICE_LISTS
            and answer.get("result") == "OK"
            and "sinceRevision" in body
        ):
            revision = answer.get("output", {}).get("revision")
            since = body["sinceRevision"]
            if (
                isinstance(revision, int)
                and isinstance(since, int)
                and since >= revision
            ):
                return {
                    "result": "OK",
                    "output": {
                        "revision": revision,
                        "devices": [],
                        "deletedDeviceIDs": [],
                    },
                }
        return copy.deepcopy(answer)

    def _write(self, action: _Action, body: dict[str, Any]) -> dict[str, Any]:
        rules = self.rules
        if rules is not None and action.name in rules.SUPPORTED_SETS:
            changed = rules.apply_set(
                action.name, copy.deepcopy(body), self._read_output
            )
            for get, output in changed.items():
                self.answers[get] = {"result": "OK", "output": copy.deepcopy(output)}
        elif action.name not in ACCEPTED_WRITES:
            self._miss(action.name)
            return _error("_ErrorUnexpected", f"{_MISS}write not modelled")
        self.writes.append((action.name, copy.deepcopy(body)))
        res: dict[str, Any] = {"result": "OK", "output": {}}
        if action.side_effects:
            res["sideEffects"] = list(action.side_effects)
        return res

    def _read_output(self, name: str) -> Mapping[str, Any] | None:
        """Return the current output of a Get (for the write rules); None if unrecorded or not OK."""
        answer = self.answers.get(name)
        if answer is None:
            if self._listed(name):
                self._miss(name)
            return None
        if answer.get("result") != "OK":
            return None
        output: dict[str, Any] = copy.deepcopy(answer.get("output", {}))
        return output

    def _miss(self, name: str) -> None:
        if name not in self.misses:
            self.misses.append(name)


def _looks_like_write(name: str) -> bool:
    verb = name.rpartition("/")[2]
    return verb.startswith(("Set", "Delete")) or verb in ("Reboot", "UpdateFirmwareNow")


def _error(result: str, error: str) -> dict[str, Any]:
    return {"result": result, "error": error}


def _unknown_action(uri: str) -> dict[str, Any]:
    return _error("_ErrorUnknownAction", f"Unknown action '{uri}'")


def _password(header: str | None) -> str | None:
    """Password from ``Basic base64(admin:pw)``; a malformed header counts as a wrong password."""
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic":
        return "\x00invalid"
    try:
        user, sep, pw = (
            base64.b64decode(token.strip(), validate=True).decode().partition(":")
        )
    except binascii.Error, UnicodeDecodeError:
        return "\x00invalid"
    if not sep or user != "admin":
        return "\x00invalid"
    return pw
