"""Fixtures for the render tests: a fast async client pointed at the shared ``emulator``
(``tests/conftest.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from render_helpers import fast_client

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.emulator import Emulator


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[AsyncClient]:
    async with fast_client(emulator) as api:
        yield api
