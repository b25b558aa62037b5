"""A submit with a pace (both clients): a 429 is reported to the pace with the wait it asked for,
instead of being slept alone, and the retry waits for its turn; the first attempt takes none (its
caller took it)."""

from __future__ import annotations

from typing import Any

from conftest import Api

from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.emulator import Emulator


class RecordingPace:
    """Records what the client asks of it; its turns are free."""

    def __init__(self, kind: str) -> None:
        self.calls: list[tuple[str, float | None]] = []
        self.kind = kind

    def limited(self, delay: float) -> None:
        self.calls.append(("limited", delay))

    def acquire(self) -> Any:
        self.calls.append(("acquire", None))
        if self.kind == "async":

            async def turn() -> None:
                return None

            return turn()
        return None


async def test_a_429_goes_to_the_pace_and_the_retry_takes_a_turn(api: Api, emulator: Emulator) -> None:
    emulator.faults.rate_limited, emulator.faults.retry_after = 1, "0.04"
    pace = RecordingPace(api.kind)
    task = await api.submit(VideoRequest(prompt="A lighthouse at dusk [Pan left]."), pace=pace)
    assert task.id and emulator.stats.submits_accepted == 1
    assert pace.calls == [("limited", 0.04), ("acquire", None)]
    assert [s.status for s in emulator.stats.submits] == [429, 200]
