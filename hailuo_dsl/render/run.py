"""The state one render run shares between its steps: the client, the journal and its group
commit, the folder of videos, the limit of takes in flight, the upload cache and the options."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Protocol, TypeVar

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.render.commit import GroupCommit
from hailuo_dsl.render.journal import Journal
from hailuo_dsl.render.pace import Allowance, SubmitPace
from hailuo_dsl.render.records import ShotRecord
from hailuo_dsl.render.results import NOTES, EventCallback, RenderEvent, ShotResult, Step
from hailuo_dsl.render.states import ShotState
from hailuo_dsl.render.uploads import Uploads

T = TypeVar("T")
S = ShotState


class RenderableShot(Protocol):
    """What the pipeline needs of a compiled shot (``hailuo_dsl.shots.CompiledShot``)."""

    @property
    def name(self) -> str: ...

    @property
    def request(self) -> VideoRequest: ...

    @property
    def local_images(self) -> Mapping[str, Path]: ...

    @property
    def continues(self) -> str | None: ...

    @property
    def takes(self) -> int: ...

    def request_hash(self) -> str: ...

    def resolved(self, urls: Mapping[Path, str]) -> VideoRequest: ...

    def bound(self, frame: Path, digest: str) -> RenderableShot: ...


class RunState:
    """The state of one render run, and the small helpers every step uses.

    It holds what every take's task shares: the ``AsyncClient``, the ``Journal`` and its
    ``GroupCommit`` (every step is on disk before the next one starts, so a rerun resumes and
    never submits twice), the upload cache, the semaphore that bounds the takes in flight, the
    output folder, the options and the caller's event callback.
    """

    def __init__(
        self,
        client: AsyncClient,
        journal: Journal,
        out_dir: Path,
        *,
        concurrency: int,
        retry_failed: bool,
        reroll: Collection[str],
        on_event: EventCallback | None,
        wait_timeout: float,
        upload_max_age: float,
        clock: Callable[[], float],
        name_shots: bool,
        pace: SubmitPace | None = None,
        allowance: Allowance | None = None,
        price_of: Callable[[VideoRequest], float | None] | None = None,
    ) -> None:
        self.client = client
        self.journal = journal
        self.commits = GroupCommit(journal)
        self.out_dir = out_dir
        self.limit = asyncio.Semaphore(concurrency)
        self.retry_failed = retry_failed
        self.reroll = frozenset(reroll)
        self.on_event = on_event
        self.wait_timeout = wait_timeout
        self.clock = clock
        self.name_shots = name_shots
        self.uploads = Uploads(client, journal, self.commits, upload_max_age)
        self.pace = pace if pace is not None else SubmitPace()
        self.allowance = allowance if allowance is not None else Allowance()
        self.price_of = price_of if price_of is not None else (lambda request: None)

    async def _write(self, op: Callable[[], T]) -> T:
        """Run one journal write in the next group commit; returns once it is on disk."""
        return await self.commits.enqueue(op)

    def _emit(self, record: ShotRecord, action: Step, message: str | None = None) -> None:
        if self.on_event is not None:
            event = RenderEvent(
                record.name, action, record.state, record.progress, record.task_id, message or record.error, record.take
            )
            self.on_event(event)

    def _result(
        self, record: ShotRecord, note: str | None = None, *, chosen: bool = False, continues: str | None = None
    ) -> ShotResult:
        output = Path(record.output) if record.output and record.state is S.DOWNLOADED else None
        if output is not None and not output.is_file():
            output, note = None, "the downloaded file is missing; rerun to fetch it again"
        return ShotResult(
            record.name,
            record.state,
            record.task_id,
            output,
            record.error,
            note or NOTES[record.state],
            take=record.take,
            chosen=chosen,
            continues=continues,
        )


def message_of(err: BaseException) -> str:
    return str(err) or type(err).__name__


def utc(epoch: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))


__all__ = ["RenderableShot", "RunState", "message_of", "utc"]
