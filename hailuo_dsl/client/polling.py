"""The polling cadence of one wait (contract §4): a first delay, then a fixed interval, under a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable

from hailuo_dsl.client.errors import DeadlineExceeded, TaskFailed
from hailuo_dsl.client.models import Task, TaskStatus


class WaitLoop:
    """The polling cadence of one wait: first delay, then a fixed interval, under a deadline."""

    def __init__(
        self,
        task_id: str,
        *,
        timeout: float,
        first_delay: float,
        interval: float,
        on_progress: Callable[[Task], None] | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.task_id = task_id
        self.timeout = timeout
        self.interval = interval
        self.on_progress = on_progress
        self.clock = clock
        self.deadline_at = clock() + timeout
        self.last: Task | None = None
        self._delay = first_delay

    def next_delay(self) -> float:
        """The pause before the next poll; ``DeadlineExceeded`` once the deadline has passed (after
        at least one poll, so ``timeout=0`` checks the task once)."""
        remaining = self.deadline_at - self.clock()
        if remaining <= 0 and self.last is not None:
            status = f"still {self.last.status_text!r} ({self.last.progress}%)"
            raise DeadlineExceeded(
                f"Task {self.task_id} did not finish within {self.timeout:g} s: {status}. It may still complete; query it again later.",
                task=self.last,
            )
        delay, self._delay = self._delay, self.interval
        return max(0.0, min(delay, remaining))

    def observe(self, task: Task) -> Task | None:
        """Record a poll; the task when completed, ``TaskFailed`` when failed, else None (go on)."""
        self.last = task
        if self.on_progress is not None:
            self.on_progress(task)
        if task.status is TaskStatus.COMPLETED:
            return task
        if task.status is TaskStatus.FAILED:
            raise TaskFailed(task)
        return None
