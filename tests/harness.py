"""What every test folder shares, importable by name (``tests/`` is on ``sys.path`` through its
conftest): the emulator the fixtures start, and children that take Ctrl-C as from a terminal."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType
from typing import Any

# The key of the emulator the fixtures start. It looks like a secret on purpose: tests check that
# it never appears in an error message, a log line or a journal.
EMULATOR_KEY = "sk-test-SECRET-0123456789abcdef"

# The emulator the fixtures start unless a test asks for another: a 60-second task completes in 60 ms.
EMULATOR_DEFAULTS: dict[str, Any] = {"api_key": EMULATOR_KEY, "time_scale": 1000.0, "task_seconds": 60.0}


def _go_on(signum: int, frame: FrameType | None) -> None:
    """A SIGINT handler that does nothing: the process goes on, as if the signal were ignored."""


@contextlib.contextmanager
def children_take_ctrl_c() -> Iterator[None]:
    """Children started inside take SIGINT as from a terminal, even when this process ignores it.

    A process started with SIGINT ignored (``nohup cmd &``, or ``cmd &`` in a script) passes the
    ignored disposition through fork and exec to every child, and Python then installs no
    ``KeyboardInterrupt`` handler: a child sent SIGINT goes on as if nothing happened. A signal
    that is *caught* is reset to the default by exec, so while inside, this process catches SIGINT
    with a handler that does nothing: it still goes on through a Ctrl-C, and its children start as
    they would from a terminal. Call it from the main thread (only it may set signal handlers).
    """
    if signal.getsignal(signal.SIGINT) != signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, _go_on)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
