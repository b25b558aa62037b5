"""The shared test fixtures themselves: the emulator factory, and children that take Ctrl-C when
pytest runs with SIGINT ignored (``nohup python -m pytest &``)."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Callable, Iterator

import httpx
import pytest
from harness import EMULATOR_KEY, children_take_ctrl_c

from hailuo_dsl.emulator import Emulator

# What a child Python does with SIGINT: raises KeyboardInterrupt (as from a terminal) or ignores it.
PROBE = "import signal; h = signal.getsignal(signal.SIGINT); print('interrupt' if h is signal.default_int_handler else h.name)"


def child_sigint() -> str:
    return subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=30, check=True).stdout.strip()


@pytest.fixture
def sigint_ignored() -> Iterator[None]:
    """This process as ``nohup ... &`` starts it: SIGINT ignored."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signal dispositions")
@pytest.mark.usefixtures("sigint_ignored")
def test_children_take_ctrl_c_even_when_pytest_ignores_it() -> None:
    assert child_sigint() == "SIG_IGN"  # what a child inherits: Ctrl-C would not stop it
    with children_take_ctrl_c():
        assert child_sigint() == "interrupt"
        assert signal.getsignal(signal.SIGINT) != signal.SIG_IGN
    assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN  # pytest goes on ignoring it


def test_children_take_ctrl_c_changes_nothing_when_sigint_is_not_ignored() -> None:
    before = signal.getsignal(signal.SIGINT)
    if before == signal.SIG_IGN:
        pytest.skip("this run ignores SIGINT")
    with children_take_ctrl_c():
        assert signal.getsignal(signal.SIGINT) is before
        assert child_sigint() == "interrupt"


def test_emulator_factory_starts_emulators_of_each_kind(emulator_factory: Callable[..., Emulator]) -> None:
    plain, still = emulator_factory(), emulator_factory(time_scale=0.0, api_key="other-key")
    assert plain.api_key == EMULATOR_KEY and still.api_key == "other-key" and plain.url != still.url
    answer = httpx.get(f"{still.url}/v1/videos/generations/missing", headers={"Authorization": "Bearer other-key"})
    assert answer.status_code == 404


@pytest.mark.parametrize("emulator", [{"time_scale": 0.0}], indirect=True)
def test_emulator_takes_options_through_indirect_parametrisation(emulator: Emulator) -> None:
    assert emulator.clock.time_scale == 0.0 and emulator.api_key == EMULATOR_KEY
