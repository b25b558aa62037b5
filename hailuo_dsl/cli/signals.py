"""Stopping a command on SIGINT, SIGTERM or SIGHUP alike.

``timeout``, systemd, ``docker stop`` and CI cancellation send SIGTERM, a closed terminal SIGHUP:
each stops a command as Ctrl-C does, gracefully, so that every file is cleaned up and every answer
already on its way is recorded. The exit code is 128 + the signal's number (130, 143, 129). A signal
the process inherited as ignored (``nohup`` ignores SIGHUP) stays ignored.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, NoReturn

import click

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stopped(BaseException):
    """A stop signal, raised where the command was (as Ctrl-C raises ``KeyboardInterrupt``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _stoppable() -> list[signal.Signals]:
    """The stop signals to handle here: none off the main thread, none inherited as ignored."""
    if threading.current_thread() is not threading.main_thread():
        return []
    return [sig for sig in STOP_SIGNALS if signal.getsignal(sig) not in (signal.SIG_IGN, None)]


@contextmanager
def _handled(handler: Callable[[int, FrameType | None], Any]) -> Iterator[None]:
    previous = {sig: signal.signal(sig, handler) for sig in _stoppable()}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


@contextmanager
def raise_on_stop() -> Iterator[None]:
    """In the block, a stop signal raises :class:`Stopped`, so ``with`` blocks clean up."""
    with _handled(_raise):
        yield


@contextmanager
def held_stops(waiting_for: str) -> Iterator[list[int]]:
    """Stop signals that arrive in the block are held (listed) until it ends: a submit's answer is
    worth its few seconds, since the task it names is paid for. A second signal stops at once."""
    held: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        held.append(signum)
        if len(held) > 1:
            raise Stopped(signum)
        click.echo(f"\n{signal.Signals(signum).name}: waiting for {waiting_for}; send it again to stop at once.", err=True)

    with _handled(hold):
        yield held


@contextmanager
def cancel_on_stop(task: asyncio.Task[Any]) -> Iterator[list[int]]:
    """In a running event loop: a stop signal cancels ``task``; the signals received are listed.
    (A render waits for the answers of its submits in flight; a second signal hurries it.)"""
    loop = asyncio.get_running_loop()
    received: list[int] = []

    def stop(signum: int) -> None:
        received.append(signum)
        task.cancel()

    previous = {sig: signal.getsignal(sig) for sig in _stoppable()}
    for sig in previous:
        loop.add_signal_handler(sig, stop, sig)
    try:
        yield received
    finally:
        for sig, old in previous.items():
            loop.remove_signal_handler(sig)
            signal.signal(sig, old)


def exit_stopped(signum: int, what: str = "") -> NoReturn:
    """Say which signal stopped the command (and what was kept), then exit 128 + its number."""
    name = signal.Signals(signum).name
    click.echo(f"\nStopped by {name}.{' ' + what if what else ''}", err=True)
    sys.exit(128 + signum)
