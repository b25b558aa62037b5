"""Settings and fixtures shared by every test folder: the emulator, and Ctrl-C for children."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from harness import EMULATOR_DEFAULTS, children_take_ctrl_c
from hypothesis import HealthCheck, settings

from hailuo_dsl.emulator import Emulator

# Property tests judge behaviour, not speed: on a loaded CI machine, generating inputs or running
# one example can take seconds, which must not fail a run (speed is measured in benchmarks/).
settings.register_profile("project", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")


@pytest.fixture
def emulator_factory() -> Iterator[Callable[..., Emulator]]:
    """Start emulators on loopback, each stopped after the test: ``emulator_factory(**options)``
    takes ``Emulator``'s keywords (``faults=``, ``time_scale=``, ``api_key=``...) over the defaults
    of the shared ``emulator`` (the test key, a 60-second task done in 60 ms)."""
    started: list[Emulator] = []

    def start(**options: Any) -> Emulator:
        server = Emulator(**{**EMULATOR_DEFAULTS, **options})
        started.append(server)
        return server.start()

    yield start
    for server in reversed(started):
        server.stop()


@pytest.fixture
def emulator(request: pytest.FixtureRequest, emulator_factory: Callable[..., Emulator]) -> Emulator:
    """The emulator of a test (and of the ``client``, ``api`` and ``make_api`` built on it).

    Another kind for one test, and for every fixture built on it:
    ``@pytest.mark.parametrize("emulator", [{"time_scale": 0.0}], indirect=True)``.
    """
    options: dict[str, Any] = getattr(request, "param", {})
    return emulator_factory(**options)


@pytest.fixture
def terminal_sigint() -> Iterator[None]:
    """For tests that interrupt a child with SIGINT: the child takes it as from a terminal, even
    when pytest itself was started with SIGINT ignored (``nohup ... &``); see ``children_take_ctrl_c``."""
    with children_take_ctrl_c():
        yield
