"""Fixtures for the render tests: an emulator per test where a task takes 60 ms, and a fast async
client pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from render_helpers import API_KEY, fast_client

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.emulator import Emulator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """An emulator where a 60-second task completes in 60 ms."""
    with Emulator(api_key=API_KEY, time_scale=1000.0, task_seconds=60.0) as server:
        yield server


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[AsyncClient]:
    async with fast_client(emulator) as api:
        yield api
