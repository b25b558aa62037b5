"""How fast and how much a render submits: one token bucket for the submits of a whole run (all
scripts, all shots; polls are not counted), held back by a 429's ``Retry-After``, and the
allowance of tasks and money its caps leave (a guard behind the plan's check: once spent, no
submit goes out).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class SubmitPace:
    """Submits spaced ``60 / per_minute`` seconds apart, in the order they asked (None: no rate;
    a 429 still holds every submit back for the wait the server asked for).

    The render takes a token before each submit; the client takes one before each retry of it
    and reports a 429 with :meth:`limited` (``hailuo_dsl.client.retry.Pace``)."""

    def __init__(
        self,
        per_minute: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_minute is not None and per_minute <= 0:
            raise ValueError("a rate is a number of submits a minute, more than 0")
        self.interval = 60.0 / per_minute if per_minute is not None else 0.0
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None
        self._held_until = 0.0
        self._turn: asyncio.Lock | None = None

    async def acquire(self) -> None:
        """Wait for this submit's turn: a token free, and no 429's wait still running."""
        if self._turn is None:
            self._turn = asyncio.Lock()
        async with self._turn:  # one at a time, first come first served
            while True:
                now = self._clock()
                ready = self._held_until
                if self._last is not None:
                    ready = max(ready, self._last + self.interval)
                if ready <= now:
                    break
                await self._sleep(ready - now)
            self._last = now

    def limited(self, delay: float) -> None:
        """The server answered 429: no submit goes out for ``delay`` seconds (its ``Retry-After``,
        else the client's backoff)."""
        self._held_until = max(self._held_until, self._clock() + delay)


class Allowance:
    """What a run's caps leave it to submit: tasks (``--max-tasks``) and money (``--budget`` and
    the scripts' ``[render] budget``); None is no cap. :meth:`take` books one submit or refuses."""

    def __init__(self, tasks: int | None = None, money: float | None = None, *, within: Allowance | None = None) -> None:
        self.tasks = tasks
        self.money = money
        self.within = within
        """The run's allowance this one (a script's) is part of: a submit books both."""

    def take(self, price: float | None) -> str | None:
        """Book one submit of ``price`` (None: not known); why it may not go out, or None."""
        refused = self._refused(price)
        if refused is None and self.within is not None:
            refused = self.within.take(price)
        if refused is not None:
            return refused
        if self.money is not None and price is not None:
            self.money -= price
        if self.tasks is not None:
            self.tasks -= 1
        return None

    def _refused(self, price: float | None) -> str | None:
        if self.tasks is not None and self.tasks <= 0:
            return "the task cap is reached"
        if self.money is not None:
            if price is None:
                return "the budget cannot be checked: no price for this clip"
            if price > self.money + 1e-9:
                return "the budget is spent"
        return None


__all__ = ["Allowance", "SubmitPace"]
