"""``Client`` and ``AsyncClient`` are twins: the same public methods with the same parameters."""

from __future__ import annotations

import inspect

from hailuo_dsl.client import AsyncClient, Client

PUBLIC = {"upload_image", "submit", "get", "wait", "download"}


def _methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member) for name, member in vars(cls).items() if not name.startswith("_") and callable(member)
    }


def test_same_methods_and_parameters() -> None:
    sync, aio = _methods(Client), _methods(AsyncClient)
    assert PUBLIC <= set(sync) and PUBLIC <= set(aio)
    for name in PUBLIC:
        assert list(sync[name].parameters) == list(aio[name].parameters), name
        assert [p.default for p in sync[name].parameters.values()] == [p.default for p in aio[name].parameters.values()], name
        assert inspect.iscoroutinefunction(getattr(AsyncClient, name)) and not inspect.iscoroutinefunction(getattr(Client, name))
    assert list(inspect.signature(Client).parameters) == list(inspect.signature(AsyncClient).parameters)
    assert list(inspect.signature(Client).parameters) == [
        "api_key",
        "base_url",
        "timeout",
        "retry",
        "limits",
        "poll_interval",
        "first_poll_delay",
        "transport",
    ]
