"""The one retry policy of the client: what is retried, how long to wait, when to give up.

Queries, uploads and downloads are retried on connection errors, 429 and 5xx with jittered
exponential backoff, honouring ``Retry-After`` (seconds or an HTTP date, capped). A submit is not
idempotent (each accepted submit is a paid task), so it is retried only when the request provably
never reached the server: the connection could not be made, or the server answered 429 (refused
before accepting). Every call also has an overall deadline (``RetryPolicy.deadline``; a download
has its own, ``TransferLimits.download_deadline``) that also bounds the reading of each answer,
so the worst case is bounded.
"""

from __future__ import annotations

import enum
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Protocol

import httpx


class Operation(enum.Enum):
    """The kinds of call, which differ in what may be retried."""

    SUBMIT = "submit"
    QUERY = "query"
    UPLOAD = "upload"
    DOWNLOAD = "download"


# Failures before any byte of the request left: safe to retry even a submit (the last two are
# refusals to send at all, which no retry mends, but they are no reason to fear a paid task).
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol, httpx.LocalProtocolError)
# Failures worth another try for idempotent calls.
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError)


@dataclass(frozen=True)
class RetryPolicy:
    """Numbers of the retry policy; ``deadline`` bounds one call including all its retries (seconds)."""

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 20.0
    retry_after_cap: float = 60.0
    deadline: float = 120.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if min(self.base_delay, self.max_delay, self.retry_after_cap, self.deadline) < 0:
            raise ValueError("delays and the deadline cannot be negative")

    def backoff(self, retry: int, rng: random.Random) -> float:
        """The pause before retry number ``retry`` (1-based): exponential, half of it jittered."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (retry - 1))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)

    def start(
        self,
        operation: Operation,
        *,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
        deadline_at: float | None = None,
        deadline: float | None = None,
    ) -> Attempts:
        """The retry state of one call (``deadline_at``: an outer deadline on the same clock;
        ``deadline``: this call's own, instead of the policy's)."""
        own = self.deadline if deadline is None else deadline
        return Attempts(self, operation, rng=rng or random.Random(), clock=clock, deadline_at=deadline_at, deadline=own)


class Pace(Protocol):
    """A rate shared by many submits (a render's token bucket): the caller takes the first
    attempt's turn; the client waits for :meth:`acquire` before each retry, and reports each 429
    to :meth:`limited` with the wait it asked for, instead of sleeping it alone."""

    async def acquire(self) -> None: ...

    def limited(self, delay: float) -> None: ...


class SyncPace(Protocol):
    """:class:`Pace` for the blocking ``Client``: :meth:`acquire` blocks."""

    def acquire(self) -> None: ...

    def limited(self, delay: float) -> None: ...


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    reference = time.time() if now is None else now
    return max(0.0, when.timestamp() - reference)


def never_sent(exc: httpx.RequestError) -> bool:
    """True when the request provably never left (no connection was made)."""
    return isinstance(exc, _NEVER_SENT)


class Attempts:
    """The retry state of one call: counts attempts, knows the deadline, says how long to wait."""

    def __init__(
        self,
        policy: RetryPolicy,
        operation: Operation,
        *,
        rng: random.Random,
        clock: Callable[[], float],
        deadline_at: float | None,
        deadline: float | None = None,
    ) -> None:
        self.policy = policy
        self.operation = operation
        self.rng = rng
        self.clock = clock
        own = clock() + (policy.deadline if deadline is None else deadline)
        self.call_deadline_at = own
        """When the call itself must be over, answer read (an outer deadline only stops retries)."""
        self.deadline_at = own if deadline_at is None else min(own, deadline_at)
        self.count = 0

    def begin(self) -> None:
        """Count one attempt about to be made."""
        self.count += 1

    def after_status(self, response: httpx.Response) -> float | None:
        """The pause before retrying after this answer, or None to keep it (success or final error)."""
        status = response.status_code
        if status != 429 and (status < 500 or self.operation is Operation.SUBMIT):
            return None
        asked = parse_retry_after(response.headers.get("retry-after"))  # also honoured on a 503
        if asked is not None:
            return self._allowed(min(asked, self.policy.retry_after_cap))
        return self._allowed(self.policy.backoff(self.count, self.rng))

    def after_error(self, exc: httpx.RequestError) -> float | None:
        """The pause before retrying after a failure to get an answer, or None to give up."""
        if self.operation is Operation.SUBMIT and not never_sent(exc):
            return None
        if not isinstance(exc, _TRANSIENT):
            return None
        return self._allowed(self.policy.backoff(self.count, self.rng))

    def _allowed(self, delay: float) -> float | None:
        if self.count >= self.policy.max_attempts:
            return None
        if self.clock() + delay > self.deadline_at:
            return None
        return delay
