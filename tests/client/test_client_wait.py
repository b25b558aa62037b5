"""The polling cadence of ``wait``, on a fake clock: documented delays, and an end whatever the server says."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from hailuo_dsl.client import DeadlineExceeded, Task, TaskFailed, TaskStatus
from hailuo_dsl.client.polling import WaitLoop


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def task(status: str, progress: int = 0) -> Task:
    return Task.from_api({"id": "vid_1", "status": status, "progress": progress})


def run(
    statuses: list[str], *, timeout: float, first: float = 5.0, interval: float = 10.0
) -> tuple[Task | BaseException, list[float]]:
    """Drive a WaitLoop the way the clients do; the outcome and the pause before each poll."""
    clock = FakeClock()
    seen: list[Task] = []
    loop = WaitLoop("vid_1", timeout=timeout, first_delay=first, interval=interval, on_progress=seen.append, clock=clock)
    pauses: list[float] = []
    answers = iter(statuses)
    try:
        while True:
            pause = loop.next_delay()
            pauses.append(pause)
            clock.now += pause
            done = loop.observe(task(next(answers, statuses[-1])))
            if done is not None:
                return done, pauses
    except (DeadlineExceeded, TaskFailed) as err:
        assert seen[-1] is loop.last
        return err, pauses


def test_documented_cadence() -> None:
    outcome, pauses = run(["queued", "in_progress", "in_progress", "completed"], timeout=900)
    assert isinstance(outcome, Task) and outcome.status is TaskStatus.COMPLETED
    assert pauses == [5.0, 10.0, 10.0, 10.0]


def test_failed_raises_with_the_task() -> None:
    outcome, _ = run(["queued", "failed"], timeout=900)
    assert isinstance(outcome, TaskFailed) and outcome.task.status is TaskStatus.FAILED


def test_deadline_cuts_the_last_pause_short() -> None:
    outcome, pauses = run(["in_progress"], timeout=32)
    assert isinstance(outcome, DeadlineExceeded) and outcome.task is not None
    assert pauses == [5.0, 10.0, 10.0, 7.0]  # one last poll at the deadline itself
    assert "32 s" in outcome.message


@settings(deadline=None)
@given(
    st.lists(
        st.sampled_from(["queued", "submitted", "in_progress", "processing", "", "QUEUED", "completed", "failed"]),
        min_size=1,
        max_size=30,
    ),
    st.floats(min_value=0, max_value=600),
    st.floats(min_value=0, max_value=20),
    st.floats(min_value=1.0, max_value=30),
)
def test_wait_always_ends(statuses: list[str], timeout: float, first: float, interval: float) -> None:
    outcome, pauses = run(statuses, timeout=timeout, first=first, interval=interval)
    assert 1 <= len(pauses) <= math.ceil(timeout / interval) + 2
    assert sum(pauses) <= timeout + 1e-6
    if isinstance(outcome, Task):
        assert outcome.status is TaskStatus.COMPLETED
    elif isinstance(outcome, DeadlineExceeded):
        assert outcome.task is not None and not outcome.task.is_final
    else:
        assert isinstance(outcome, TaskFailed)


def test_zero_timeout_checks_once() -> None:
    outcome, pauses = run(["in_progress"], timeout=0)
    assert isinstance(outcome, DeadlineExceeded) and pauses == [0.0]
    assert "still 'in_progress'" in outcome.message
    done, _ = run(["completed"], timeout=0)
    assert isinstance(done, Task)
