"""Every typed getter of the client is exercised over HTTP and says what it returns."""

from __future__ import annotations

import inspect
import typing

from custom_components.linksys_jnap.jnap import JNAPClient

from .test_client_http import READS

# Covered by their own tests (setup, router info) rather than the read loop.
ELSEWHERE = {"get_device_info"}


def _getters() -> dict[str, typing.Any]:
    return {
        name: member
        for name, member in inspect.getmembers(JNAPClient, inspect.iscoroutinefunction)
        if name.startswith(("get_", "is_"))
    }


def test_every_getter_is_in_the_read_loop() -> None:
    covered = {method for method, _ in READS} | ELSEWHERE
    assert set(_getters()) <= covered, set(_getters()) - covered
    assert len(_getters()) >= 30


def test_every_getter_is_typed() -> None:
    for name, method in _getters().items():
        hints = typing.get_type_hints(method)
        assert "return" in hints, name
        assert hints["return"] is not typing.Any, name
        params = inspect.signature(method).parameters
        assert all(p in hints for p in params if p != "self"), name
