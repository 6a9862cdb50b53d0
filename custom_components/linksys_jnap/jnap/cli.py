"""Command line of the JNAP library: ``info``, ``poll``, ``call`` and ``record``.

Run as ``python -m custom_components.linksys_jnap.jnap`` from this repository, or as
``linksys-jnap`` from the library's wheel (``jnap-lib/``). The admin password comes from the
environment variable ``LINKSYS_JNAP_PASSWORD`` or a prompt, never from the command line, and
is never printed: messages and log lines are scrubbed of it.

Exit codes: 0 done, 1 the router refused or failed the request, 2 usage, 3 router unreachable
(or no answer in time), 4 password refused, 5 password checks throttled or account locked.

This module parses the arguments, runs the command and turns errors into exit codes; what
the commands print is ``cli_format.py``, what ``record`` records is ``recording.py``.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Mapping, Sequence
import getpass
import json
import logging
import os
from pathlib import Path
import sys
from typing import Any, Final, TextIO

import aiohttp

from . import (
    JNAPAccountLockedError,
    JNAPAuthenticationError,
    JNAPClient,
    JNAPConnectionError,
    JNAPError,
    JNAPPasswordThrottledError,
    JNAPProtocolError,
    JNAPTimeoutError,
    JNAPUnsupportedActionError,
    needs_password,
)
from .cli_format import format_info, format_poll, info_data
from .recording import RECORD_SOURCE, read_actions, redact_recording

PROG: Final = "linksys-jnap"
PASSWORD_ENV: Final = "LINKSYS_JNAP_PASSWORD"  # noqa: S105 - the variable's name
HOST_ENV: Final = "LINKSYS_JNAP_HOST"
DEFAULT_HOST: Final = "192.168.1.1"

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
EXIT_USAGE: Final = 2
EXIT_UNREACHABLE: Final = 3
EXIT_AUTH: Final = 4
EXIT_THROTTLED: Final = 5

_LOGGER = logging.getLogger(__package__)


class CLIError(Exception):
    """A failure to report as one line on stderr, with its exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        """Keep the message and exit code."""
        super().__init__(message)
        self.message = message
        self.code = code


class _PasswordGuard(logging.Filter):
    """Scrub the password from every log line (the client never logs it; belt and braces)."""

    def __init__(self, password: Callable[[], str]) -> None:
        super().__init__()
        self._password = password

    def filter(self, record: logging.LogRecord) -> bool:
        secret = self._password()
        if secret:
            message = record.getMessage()
            if secret in message:
                record.msg = message.replace(secret, "***")
                record.args = None
        return True


# --- arguments ---------------------------------------------------------------------------


class _RefusePassword(argparse.Action):
    """``--password`` exists only to refuse it without echoing its value."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        parser.error(
            f"the password is never taken from the command line (it would land in the "
            f"shell history and the process list): set {PASSWORD_ENV} or answer the prompt"
        )


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (``--help`` describes every command)."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Talk JNAP to a Linksys Smart Wi-Fi or Velop router. The admin password is read "
            f"from ${PASSWORD_ENV} or asked for; it is never taken from the command line."
        ),
        epilog=(
            "exit codes: 0 done, 1 refused or failed, 2 usage, 3 unreachable, "
            "4 wrong password, 5 password checks throttled or account locked"
        ),
    )
    parser.add_argument(
        "-H",
        "--host",
        default=None,
        help=(
            f"router address, optionally with :port (default: ${HOST_ENV}, "
            f"else {DEFAULT_HOST})"
        ),
    )
    parser.add_argument(
        "--https", action="store_true", help="talk HTTPS instead of HTTP"
    )
    parser.add_argument(
        "--verify-ssl",
        action="store_true",
        help="with --https, check the router's certificate",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="seconds to wait for each answer (default 10)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log every request to stderr"
    )
    parser.add_argument(
        "--password", nargs="?", action=_RefusePassword, help=argparse.SUPPRESS
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    info = commands.add_parser(
        "info",
        help="model, firmware, services and chosen action versions (no password)",
        description=(
            "Show the model, firmware, listed services and the action version the library "
            "chooses for each family. Needs no password."
        ),
    )
    info.add_argument("--json", action="store_true", help="print JSON instead")

    commands.add_parser(
        "poll",
        help="one poll, printed as a table",
        description="Run one poll (what Home Assistant reads each interval) and print it.",
    )

    call = commands.add_parser(
        "call",
        help="run one action and print its output as JSON",
        description=(
            "Run one JNAP action, e.g. 'router/GetWANStatus3' or its full URI, and print "
            "its output as JSON."
        ),
    )
    call.add_argument("action", metavar="ACTION", help="short name or full URI")
    call.add_argument(
        "body",
        metavar="JSON",
        nargs="?",
        default=None,
        help="request body, a JSON object ('-' reads it from stdin; default {})",
    )

    record = commands.add_parser(
        "record",
        help="record every read answer, redacted, for a bug report",
        description=(
            "Record the router's services and the answers of every read action it lists, "
            "redacted as Home Assistant's diagnostics are (MACs become pseudonyms, serials, "
            "SSIDs, passphrases and the WAN address are replaced), in the replay router's "
            "format (tests/fixtures/real/README.md). Attach FILE to a bug report about a "
            "model the integration does not know yet."
        ),
    )
    record.add_argument("file", metavar="FILE", help="where to write ('-': stdout)")
    return parser


# --- entry points ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(run(args))
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


async def run(
    args: argparse.Namespace,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
    ask_password: Callable[[str], str] = getpass.getpass,
) -> int:
    """Run one parsed command; return the exit code (errors become one line on ``err``)."""
    cli = _Command(
        args,
        out=out or sys.stdout,
        err=err or sys.stderr,
        environ=os.environ if environ is None else environ,
        ask_password=ask_password,
    )
    return await cli.run()


class _Command:
    """One invocation: its streams, its password (once read) and its client."""

    def __init__(
        self,
        args: argparse.Namespace,
        *,
        out: TextIO,
        err: TextIO,
        environ: Mapping[str, str],
        ask_password: Callable[[str], str],
    ) -> None:
        self.args = args
        self.out = out
        self.err = err
        self.environ = environ
        self.ask_password = ask_password
        self.password = ""
        self.host = args.host or environ.get(HOST_ENV) or DEFAULT_HOST

    def scrub(self, text: str) -> str:
        """``text`` without the password."""
        return text.replace(self.password, "***") if self.password else text

    def read_password(self) -> str:
        """Return the admin password from the environment, else from a prompt."""
        value = self.environ.get(PASSWORD_ENV)
        if value:
            self.password = value
            return value
        try:
            value = self.ask_password(f"Admin password of {self.host}: ")
        except EOFError:
            value = ""
        if not value:
            raise CLIError(
                f"no password: set {PASSWORD_ENV} or answer the prompt in a terminal",
                EXIT_USAGE,
            )
        self.password = value
        return value

    async def run(self) -> int:
        guard = _PasswordGuard(lambda: self.password)
        handler: logging.Handler | None = None
        if self.args.verbose:
            handler = logging.StreamHandler(self.err)
            handler.setFormatter(
                logging.Formatter("%(levelname)s %(name)s: %(message)s")
            )
            handler.addFilter(guard)
            _LOGGER.addHandler(handler)
            _LOGGER.setLevel(logging.DEBUG)
        try:
            await self._dispatch()
        except CLIError as error:
            self._fail(error.message)
            return error.code
        except JNAPError as error:
            message, code = self._explain(error)
            self._fail(message)
            return code
        finally:
            if handler is not None:
                _LOGGER.removeHandler(handler)
        return EXIT_OK

    def _fail(self, message: str) -> None:
        print(f"{PROG}: error: {message}", file=self.err)

    async def _dispatch(self) -> None:
        command = self.args.command
        password = ""
        if command in ("poll", "record") or (
            command == "call" and needs_password(self.args.action)
        ):
            password = self.read_password()
        body = self._call_body() if command == "call" else None
        async with aiohttp.ClientSession() as session:
            try:
                client = JNAPClient(
                    self.host,
                    password,
                    session,
                    use_https=self.args.https,
                    verify_ssl=self.args.verify_ssl,
                    timeout=self.args.timeout,
                )
            except ValueError as error:
                raise CLIError(f"bad host {self.host!r}: {error}", EXIT_USAGE) from None
            if command == "info":
                await self._info(client)
            elif command == "poll":
                await self._poll(client)
            elif command == "call":
                await self._call(client, body or {})
            else:
                await self._record(client)

    def _explain(self, error: JNAPError) -> tuple[str, int]:
        """Return a sentence for a typed error, and the exit code.

        Only the router's own text is scrubbed (the client already removed any echo of
        the password from it): scrubbing the whole sentence would mangle a password such
        as "wrong" or "router" wherever the word occurs.
        """
        host = self.host
        detail = self.scrub(error.message)
        if isinstance(error, JNAPPasswordThrottledError):
            wait = (
                f"for {error.delay_seconds} more seconds"
                if error.delay_seconds is not None
                else "for a while"
            )
            return (
                (
                    f"{host} refuses password checks {wait} after too many wrong "
                    "passwords: wait, then try again with the right password"
                ),
                EXIT_THROTTLED,
            )
        if isinstance(error, JNAPAccountLockedError):
            return (
                (
                    f"{host} locked its admin account after too many wrong passwords: "
                    "restart the router (or wait until it unlocks), then use the right "
                    "password"
                ),
                EXIT_THROTTLED,
            )
        if isinstance(error, JNAPAuthenticationError):
            source = f" from ${PASSWORD_ENV}" if self.environ.get(PASSWORD_ENV) else ""
            left = (
                f" ({error.attempts_remaining} attempts remain before it locks)"
                if error.attempts_remaining is not None
                else ""
            )
            return f"{host} refused the admin password{source}{left}", EXIT_AUTH
        if isinstance(error, JNAPTimeoutError):
            return (
                (
                    f"{host} did not answer within {self.args.timeout:g} s: is it up, and "
                    "is this machine on its network?"
                ),
                EXIT_UNREACHABLE,
            )
        if isinstance(error, JNAPConnectionError):
            return (
                (
                    f"cannot reach {host} ({_reason(error)}): check the address, and that "
                    "this machine is on the router's network"
                ),
                EXIT_UNREACHABLE,
            )
        if isinstance(error, JNAPProtocolError):
            return f"{host} answered, but not as a JNAP router: {detail}", EXIT_FAILED
        if isinstance(error, JNAPUnsupportedActionError):
            return f"{host} does not offer this action: {detail}", EXIT_FAILED
        return f"{host} refused the request: {detail}", EXIT_FAILED

    # --- info ----------------------------------------------------------------------------

    async def _info(self, client: JNAPClient) -> None:
        info, admin_default = await client.read_router_info()
        if self.args.json:
            data = info_data(client, info, admin_default)
            self._print(json.dumps(data, indent=2, ensure_ascii=False))
            return
        for line in format_info(client, info, admin_default):
            self._print(line)

    # --- poll ----------------------------------------------------------------------------

    async def _poll(self, client: JNAPClient) -> None:
        result = await client.poll()
        for line in format_poll(result):
            self._print(line)

    # --- call ----------------------------------------------------------------------------

    def _call_body(self) -> dict[str, Any]:
        text = self.args.body
        if text is None:
            return {}
        if text == "-":
            text = sys.stdin.read()
        try:
            body = json.loads(text)
        except ValueError as error:
            raise CLIError(f"JSON: not valid JSON ({error})", EXIT_USAGE) from None
        if not isinstance(body, dict):
            raise CLIError("JSON: the request body must be a JSON object", EXIT_USAGE)
        return body

    async def _call(self, client: JNAPClient, body: Mapping[str, Any]) -> None:
        output = await client.call_action(self.args.action, body)
        self._print(json.dumps(dict(output), indent=2, ensure_ascii=False))

    # --- record --------------------------------------------------------------------------

    async def _record(self, client: JNAPClient) -> None:
        await client.get_device_info()
        caps = client.capabilities
        assert caps is not None
        # A wrong password fails here, not as a recording full of _ErrorUnauthorized.
        await client.check_admin_password()
        recording = await client.record(read_actions(caps))
        recording["source"] = RECORD_SOURCE
        redacted = redact_recording(recording, self.password)
        text = json.dumps(redacted, indent=2, ensure_ascii=False) + "\n"
        answers: Mapping[str, Mapping[str, Any]] = redacted["answers"]
        failed = sorted(a for a, answer in answers.items() if answer["result"] != "OK")
        if self.args.file == "-":
            self.out.write(text)
        else:
            path = Path(self.args.file)
            try:
                await asyncio.to_thread(path.write_text, text, encoding="utf-8")
            except OSError as error:
                raise CLIError(f"cannot write {path}: {error.strerror}") from None
            print(
                f"Recorded {len(answers)} answers of {redacted['model'] or '?'} "
                f"{redacted['firmware'] or '?'} to {path} (redacted)",
                file=self.out,
            )
        if failed:
            print(
                f"{len(failed)} actions failed (their answers are in the file): "
                + ", ".join(failed),
                file=self.err,
            )

    def _print(self, line: str) -> None:
        print(line, file=self.out)


def _reason(error: JNAPConnectionError) -> str:
    """Return why a connection failed, from the OS error behind it when there is one."""
    cause: BaseException | None = error.__cause__
    while cause is not None:
        if (
            isinstance(cause, OSError)
            and isinstance(cause.errno, int)
            and cause.errno > 0
        ):
            return os.strerror(cause.errno).lower()
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror.lower()
        cause = cause.__cause__ or getattr(cause, "os_error", None)
    return type(error.__cause__).__name__ if error.__cause__ else "no connection"
