"""The render as a graph: a shot that continues another waits for that shot's chosen video, and
shots that wait for nothing (every chain's first shot) start at once, side by side.

Each shot of a run has a gate, opened once with its chosen take's verified video (or with None
when the run ends without one); a continued shot waits at its parent's gate. A parent outside
the run (``--shot CHILD``) is read from the journal: its chosen take, if that video is on disk.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from hailuo_dsl.contract import DEFAULT_RESOLUTION
from hailuo_dsl.render.journal import Journal
from hailuo_dsl.render.records import Choice, ShotRecord
from hailuo_dsl.render.states import ShotState


@dataclass(frozen=True, slots=True)
class ChosenVideo:
    """A shot's chosen take with its video on disk, and the resolution it was asked for."""

    shot: str
    take: int
    path: Path
    resolution: str


def chosen_take(records: Sequence[ShotRecord], choice: Choice | None, request_hash: str | None = None) -> ShotRecord | None:
    """The take of a shot used downstream: the chosen one while its video is on disk (and, given
    ``request_hash``, of that request), else the first such take by number; None when there is none."""
    usable = [
        r
        for r in records
        if r.state is ShotState.DOWNLOADED
        and r.output is not None
        and Path(r.output).is_file()
        and request_hash in (None, r.request_hash)
    ]
    if choice is not None:
        for record in usable:
            if record.take == choice.take:
                return record
    return usable[0] if usable else None


def video_of(record: ShotRecord) -> ChosenVideo:
    """The chosen video a downloaded take gives its continuations."""
    assert record.output is not None
    resolution = str((record.request or {}).get("resolution", DEFAULT_RESOLUTION))
    return ChosenVideo(record.name, record.take, Path(record.output), resolution)


class Gates:
    """Each shot's chosen video, as a future the shots that continue it wait for."""

    def __init__(self, names: Iterable[str], journal: Journal) -> None:
        loop = asyncio.get_running_loop()
        self.journal = journal
        self.futures: dict[str, asyncio.Future[ChosenVideo | None]] = {name: loop.create_future() for name in names}

    def open(self, name: str, video: ChosenVideo | None) -> None:
        """Let the continuations of ``name`` go, with its video (None: they cannot start this run)."""
        future = self.futures.get(name)
        if future is not None and not future.done():
            future.set_result(video)

    def is_open(self, name: str) -> bool:
        future = self.futures.get(name)
        return future is not None and future.done()

    async def wait(self, name: str) -> ChosenVideo | None:
        """The chosen video of ``name`` once it is there (None if it will not be, this run)."""
        future = self.futures.get(name)
        if future is None:  # not rendered in this run: what the journal holds
            record = chosen_take(self.journal.takes(name), self.journal.choice(name))
            return video_of(record) if record is not None else None
        return await asyncio.shield(future)


def check_graph(parents: Mapping[str, str]) -> None:
    """``ValueError`` when continued shots make a loop (the compiler refuses such a script: HL619)."""
    for start in parents:
        seen = {start}
        current = start
        while current in parents:
            current = parents[current]
            if current in seen:
                raise ValueError(f"shot {start!r} continues a loop of shots ({current!r} again); none could start")
            seen.add(current)


__all__ = ["ChosenVideo", "Gates", "check_graph", "chosen_take", "video_of"]
