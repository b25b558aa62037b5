"""Fixtures for the client tests: one adapter that drives the sync ``Client`` and the
``AsyncClient`` with the same test body (every test runs for both), pointed at the shared
``emulator`` (``tests/conftest.py``)."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from hailuo_dsl.client import AsyncClient, Client, RetryPolicy
from hailuo_dsl.emulator import Emulator


class Api:
    """One surface for both clients: every method is awaited, whether the client blocks or not.

    A blocking call inside an async test is fine here: the emulator serves from its own thread.
    """

    def __init__(self, client: Client | AsyncClient) -> None:
        self.client = client
        self.kind = "async" if isinstance(client, AsyncClient) else "sync"

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.client, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            return result

        return call


@pytest.fixture
def fast_retry() -> RetryPolicy:
    return RetryPolicy(max_attempts=4, base_delay=0.001, max_delay=0.01, retry_after_cap=0.05, deadline=5.0)


@pytest.fixture(params=["sync", "async"])
async def make_api(
    request: pytest.FixtureRequest, emulator: Emulator, fast_retry: RetryPolicy
) -> AsyncIterator[Callable[..., Api]]:
    """A factory of clients of the kind under test, pointed at the emulator with fast retries and polls."""
    clients: list[Client | AsyncClient] = []

    def make(**overrides: Any) -> Api:
        settings: dict[str, Any] = {
            "api_key": emulator.api_key,
            "base_url": emulator.url,
            "retry": fast_retry,
            "poll_interval": 0.005,
            "first_poll_delay": 0.0,
            "timeout": 5.0,
        }
        settings.update(overrides)
        client: Client | AsyncClient = Client(**settings) if request.param == "sync" else AsyncClient(**settings)
        clients.append(client)
        return Api(client)

    yield make
    for client in clients:
        if isinstance(client, AsyncClient):
            await client.aclose()
        else:
            client.close()


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    return make_api()


@pytest.fixture
def images(tmp_path: Path) -> dict[str, Path]:
    """Real frames to upload: a PNG and a JPEG, 640x360."""
    png = tmp_path / "first.png"
    jpeg = tmp_path / "last.jpg"
    Image.new("RGB", (640, 360), (200, 40, 40)).save(png)
    Image.new("RGB", (640, 360), (40, 40, 200)).save(jpeg, quality=80)
    return {"png": png, "jpeg": jpeg}
