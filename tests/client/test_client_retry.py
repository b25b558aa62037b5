"""The retry policy's decisions, on a fake clock (no sleeping)."""

from __future__ import annotations

import itertools
import random
import time
from email.utils import formatdate

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hailuo_dsl.client import Operation, RetryPolicy, parse_retry_after

REQUEST = httpx.Request("GET", "http://127.0.0.1/")


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def answer(status: int, retry_after: str | None = None) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return httpx.Response(status, headers=headers, request=REQUEST)


def test_retry_after_forms() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-3") == 0.0
    now = time.time()
    assert parse_retry_after(formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after(formatdate(now - 30, usegmt=True), now=now) == 0.0
    for junk in (None, "", "soon", "Mon, 99 Foo 2020"):
        assert parse_retry_after(junk) is None


@given(st.integers(min_value=1, max_value=60), st.floats(min_value=0.001, max_value=5), st.floats(min_value=0.01, max_value=60))
def test_backoff_is_jittered_within_bounds(retry: int, base: float, cap: float) -> None:
    policy = RetryPolicy(base_delay=base, max_delay=cap)
    ceiling = min(cap, base * 2 ** (retry - 1))
    delay = policy.backoff(retry, random.Random(retry))
    assert ceiling / 2 <= delay <= ceiling


def test_backoff_grows() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=100.0)
    rng = random.Random(0)
    delays = [policy.backoff(n, rng) for n in range(1, 6)]
    assert all(b > a / 2 for a, b in itertools.pairwise(delays))
    assert delays[-1] >= 8.0


@pytest.mark.parametrize("operation", [Operation.QUERY, Operation.UPLOAD, Operation.DOWNLOAD])
def test_idempotent_calls_retry_on_5xx_429_and_transport_errors(operation: Operation) -> None:
    attempts = RetryPolicy().start(operation, clock=FakeClock())
    attempts.begin()
    for status in (429, 500, 502, 503):
        assert attempts.after_status(answer(status)) is not None
    for exc in (httpx.ConnectError("x"), httpx.ReadTimeout("x"), httpx.RemoteProtocolError("x"), httpx.ReadError("x")):
        assert attempts.after_error(exc) is not None
    for status in (200, 400, 401, 402, 404, 422):
        assert attempts.after_status(answer(status)) is None


def test_submit_retries_only_what_never_reached_the_server() -> None:
    attempts = RetryPolicy().start(Operation.SUBMIT, clock=FakeClock())
    attempts.begin()
    assert attempts.after_status(answer(429)) is not None
    assert attempts.after_error(httpx.ConnectError("refused")) is not None
    assert attempts.after_error(httpx.ConnectTimeout("x")) is not None
    assert attempts.after_error(httpx.PoolTimeout("x")) is not None
    for status in (500, 502, 503, 504):
        assert attempts.after_status(answer(status)) is None
    for exc in (
        httpx.ReadTimeout("x"),
        httpx.WriteTimeout("x"),
        httpx.RemoteProtocolError("x"),
        httpx.ReadError("x"),
        httpx.WriteError("x"),
    ):
        assert attempts.after_error(exc) is None


def test_retry_after_is_honoured_and_capped() -> None:
    attempts = RetryPolicy(retry_after_cap=10.0).start(Operation.QUERY, clock=FakeClock())
    attempts.begin()
    assert attempts.after_status(answer(429, "3")) == 3.0
    assert attempts.after_status(answer(429, "3600")) == 10.0


def test_max_attempts() -> None:
    attempts = RetryPolicy(max_attempts=3, base_delay=0.0).start(Operation.QUERY, clock=FakeClock())
    decisions = []
    for _ in range(4):
        attempts.begin()
        decisions.append(attempts.after_status(answer(500)))
    assert [d is not None for d in decisions] == [True, True, False, False]


def test_deadline_stops_retries() -> None:
    clock = FakeClock()
    attempts = RetryPolicy(max_attempts=100, base_delay=1.0, max_delay=1.0, deadline=5.0).start(Operation.QUERY, clock=clock)
    retries = 0
    while True:
        attempts.begin()
        delay = attempts.after_status(answer(503))
        if delay is None:
            break
        clock.now += delay
        retries += 1
    assert 4 <= retries <= 9 and clock.now <= 105.0


def test_outer_deadline_is_respected() -> None:
    clock = FakeClock()
    attempts = RetryPolicy(deadline=100.0).start(Operation.QUERY, clock=clock, deadline_at=clock.now + 0.1)
    attempts.begin()
    assert attempts.after_status(answer(429, "1")) is None


def test_policy_numbers_are_checked() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="negative"):
        RetryPolicy(deadline=-1)


def test_retry_after_on_503_for_queries_only() -> None:
    query = RetryPolicy().start(Operation.QUERY, clock=FakeClock())
    query.begin()
    assert query.after_status(answer(503, "4")) == 4.0
    submit = RetryPolicy().start(Operation.SUBMIT, clock=FakeClock())
    submit.begin()
    assert submit.after_status(answer(503, "4")) is None
