"""``JNAPClient``: the async JNAP client for Linksys Smart Wi-Fi and Velop routers.

It composes the layers of this package: ``transport`` (one POST), ``transaction`` (the
engine and its recovery), ``poll`` (the poll parts and loop), ``recording``, ``reads``
and ``writes``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from .diagnostics import Diagnostics
from .poll import POLL_PARTS, PollResult, poll_actions
from .reads import Reads
from .recording import RECORDING_FORMAT, record
from .transaction import ActionResult, Call
from .transport import ADMIN_USER, _loads  # noqa: F401 - tests import _loads from here
from .writes import Writes


class JNAPClient(Reads, Writes, Diagnostics):
    """Talks JNAP to one router.

    ``session`` belongs to the caller (Home Assistant's shared session); the client never
    closes it. All methods raise subclasses of ``JNAPError``.
    """

    async def poll(
        self,
        *,
        since_revision: int | None = None,
        also: Collection[str] = (),
        complete: bool = False,
    ) -> PollResult:
        """Everything the coordinator needs, in one transaction of password actions.

        Parts the router lacks are None. A part whose action is unknown to the router is
        dropped from capabilities and retried once with a lower version (same call). A part
        failing while others succeed lands in ``errors``; if nothing succeeds the first error
        is raised. Authentication errors always raise (never retried). Parts that failed
        last poll go last. ``also``
        adds on-request parts (``ON_REQUEST_PARTS``: the firmware re-read, the factory
        password check) to this poll's transaction. Once a poll answered, parts another's
        refusal aborted keep their last answer until the next poll (one request a poll),
        unless ``complete`` (the refresh after a write) asks them again at once.
        """
        caps = await self._ensure_capabilities()
        return await self._poller.poll(
            caps, since_revision=since_revision, also=also, complete=complete
        )

    def poll_actions(self) -> list[str]:
        """Short names of the actions a poll sends now (highest listed versions)."""
        return poll_actions(self.capabilities)

    async def record(self, actions: Sequence[str] | None = None) -> dict[str, Any]:
        """Answers in the replay router's format (tests/fixtures/real/README.md), unredacted.

        ``actions`` default to the poll's (the device list read whole). Entries aborted by an
        earlier failure are asked again without it, so one refusal costs only its own answer.
        Redact with ``redact.Redactor`` before sharing.
        """
        chosen = list(actions or self.poll_actions())
        return await record(self._engine, chosen, self._device_info)


__all__ = [
    "ADMIN_USER",
    "POLL_PARTS",
    "RECORDING_FORMAT",
    "ActionResult",
    "Call",
    "JNAPClient",
    "PollResult",
]
