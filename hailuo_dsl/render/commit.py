"""Group commit: the journal writes of concurrent shots, committed together."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from hailuo_dsl.render.journal import Journal

T = TypeVar("T")


class GroupCommit:
    """Journal writes of concurrent shots, committed together (group commit).

    Every write asked for during one turn of the event loop runs in one transaction at the start
    of the next turn: one disk sync for all of them instead of one each. A write's future is
    resolved only once that transaction is on disk, so nothing is acted on before its step is
    durable. A write whose caller was cancelled before the batch ran is skipped.
    """

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.queue: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []

    def enqueue(self, op: Callable[[], T]) -> asyncio.Future[T]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        if not self.queue:
            loop.call_soon(self._flush)
        self.queue.append((op, future))
        return future

    def later(self, op: Callable[[], object]) -> None:
        """A write nobody waits for (a progress update); its errors are dropped."""
        self.enqueue(op).add_done_callback(lambda f: f.cancelled() or f.exception())

    def _flush(self) -> None:
        batch, self.queue = [(op, f) for op, f in self.queue if not f.cancelled()], []
        outcomes: list[tuple[asyncio.Future[Any], Any, BaseException | None]] = []
        try:
            with self.journal.batch():
                for op, future in batch:
                    try:
                        outcomes.append((future, op(), None))
                    except Exception as err:
                        outcomes.append((future, None, err))
        except Exception as err:  # the commit failed: nothing of the batch is on disk
            for _, future in batch:
                if not future.done():
                    future.set_exception(err)
            return
        for future, value, error in outcomes:
            if future.done():
                continue
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(value)
