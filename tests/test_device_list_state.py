"""When the snapshot builder reads the device list whole (``builder.DeviceListState``)."""

from __future__ import annotations

from datetime import UTC, datetime

from custom_components.linksys_jnap.builder import DeviceListState
from custom_components.linksys_jnap.jnap import PollResult
from custom_components.linksys_jnap.jnap.actions import SET_DEVICE_PROPERTIES
from custom_components.linksys_jnap.jnap.models import DeviceList

NOW = datetime(2026, 12, 6, tzinfo=UTC)
DEVICES = "devicelist/GetDevices3"


def _answer(revision: int, since: int | None) -> PollResult:
    return PollResult(
        devices=DeviceList(
            revision=revision, devices=(), deleted_device_ids=(), since_revision=since
        ),
        actions={"devices": DEVICES},
    )


def test_a_rename_during_an_incremental_read_still_gets_a_whole_one() -> None:
    state = DeviceListState()
    assert state.since_revision(NOW) is None
    state.absorb(_answer(5, None), NOW)
    assert state.since_revision(NOW) == 5
    # An incremental read is out when a rename is sent; its answer comes first.
    state.note_call(SET_DEVICE_PROPERTIES)
    state.absorb(_answer(6, 5), NOW)
    assert state.since_revision(NOW) is None
    state.absorb(_answer(6, None), NOW)
    assert state.since_revision(NOW) == 6
    # Reads write nothing to the list: they ask no whole read.
    state.note_call(DEVICES)
    assert state.since_revision(NOW) == 6
