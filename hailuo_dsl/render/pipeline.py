"""The render run: take every compiled shot, and every take of it, as far as it can go, resumably.

The script is a graph (:mod:`hailuo_dsl.render.graph`): a shot that continues another
(``@continue``) waits until that shot's chosen take is downloaded and checked, then starts on its
exact last frame (:mod:`hailuo_dsl.render.continuity`); shots that wait for nothing start at once,
so independent chains run side by side. At most ``concurrency`` takes are in flight at a time; a
shot waiting for its parent holds no place.

What happens to each take, and why, is decided by :func:`hailuo_dsl.render.decide.decide` from the
journal (new, changed, retried, rerolled: submitted; on its way: followed; unknown: a person
decides; failed: only with ``retry_failed``), and applied in the journal first. Each take then
goes pending -> submitted -> completed -> downloaded (:mod:`~hailuo_dsl.render.submits`,
:mod:`~hailuo_dsl.render.downloads`), every step on disk before the next (journal writes of
concurrent takes share one transaction: group commit). The first take of a shot on disk becomes
its chosen take (unless one was chosen already, by a person: ``hailuo pick``); the shots that
continue it go then.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.render.continuity import ContinuationFrame, FrameRefused, continuation_frame
from hailuo_dsl.render.decide import TakeDecision, Why, decide
from hailuo_dsl.render.downloads import Downloads
from hailuo_dsl.render.graph import ChosenVideo, Gates, check_graph, chosen_take, video_of
from hailuo_dsl.render.journal import DEFAULT_UPLOAD_MAX_AGE, Journal
from hailuo_dsl.render.pace import Allowance, SubmitPace
from hailuo_dsl.render.records import FIRST_COMPLETED, Lineage, ShotRecord
from hailuo_dsl.render.results import EventCallback, RenderEvent, RenderSummary, ShotResult, Step
from hailuo_dsl.render.run import RenderableShot, message_of
from hailuo_dsl.render.states import ShotState
from hailuo_dsl.render.store import JournalError
from hailuo_dsl.render.submits import Submits

S = ShotState
DEFAULT_CONCURRENCY = 4
DEFAULT_WAIT_TIMEOUT = 30 * 60.0
"""How long one run follows a task before leaving it ``submitted`` for the next run (seconds)."""


async def render_shots(
    shots: Sequence[RenderableShot],
    *,
    client: AsyncClient,
    journal: Journal,
    out_dir: Path,
    concurrency: int = DEFAULT_CONCURRENCY,
    retry_failed: bool = False,
    reroll: Collection[str] = (),
    on_event: EventCallback | None = None,
    wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
    upload_max_age: float = DEFAULT_UPLOAD_MAX_AGE,
    clock: Callable[[], float] = time.time,
    name_shots: bool = False,
    pace: SubmitPace | None = None,
    allowance: Allowance | None = None,
    price_of: Callable[[VideoRequest], float | None] | None = None,
) -> RenderSummary:
    """Render compiled shots with an open journal (the caller has taken it and run ``recover``).

    ``reroll`` names shots that get one more take; ``name_shots`` sends each shot's name with its
    submit (the emulator's ``X-Hailuo-Shot``). ``pace`` spaces the submits (one for a whole run of
    several scripts); ``allowance`` is what the caps leave, each submit booked at ``price_of``
    its request. ``JournalError`` when two shots share a name (they
    would share one journal record); ``ValueError`` when continued shots make a loop.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    seen: set[str] = set()
    for shot in shots:
        if shot.name in seen:
            raise JournalError(f"two shots are named {shot.name!r}; the journal keeps one record per name: rename one")
        seen.add(shot.name)
    check_graph({s.name: s.continues for s in shots if s.continues is not None})
    run = _Run(
        client,
        journal,
        out_dir,
        concurrency=concurrency,
        retry_failed=retry_failed,
        reroll=reroll,
        on_event=on_event,
        wait_timeout=wait_timeout,
        upload_max_age=upload_max_age,
        clock=clock,
        name_shots=name_shots,
        pace=pace,
        allowance=allowance,
        price_of=price_of,
    )
    run.gates, run.frames = Gates(seen, journal), {}
    tasks = [asyncio.ensure_future(run.shot(s)) for s in shots]
    await join(tasks)
    return RenderSummary(journal.path, out_dir, tuple(result for task in tasks for result in task.result()))


async def join(tasks: Sequence[asyncio.Future[Any]]) -> None:
    """Wait for every task. One's error, or this wait being cancelled (Ctrl-C, SIGTERM: asyncio.wait,
    unlike gather, does not pass a cancellation on), cancels every other one once and waits for
    them all, so each records how its submit ended (one on its way gets its grace to answer); a
    second cancellation hurries them (the submits still on their way are recorded as unknown).
    Once all are done, the cancellation is raised if it came first, else the first error."""
    stopped = interrupted = False
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    except asyncio.CancelledError:
        stopped = interrupted = True
    if not all(task.done() for task in tasks):
        for task in tasks:
            task.cancel()
        hurried = False
        while not all(task.done() for task in tasks):
            try:
                await asyncio.wait(tasks)
            except asyncio.CancelledError:
                if stopped or hurried:
                    for task in tasks:
                        task.cancel()
                stopped = hurried = True
    if interrupted:
        raise asyncio.CancelledError
    errors = [error for task in tasks if not task.cancelled() and (error := task.exception()) is not None]
    if errors:
        raise errors[0]


@dataclass(slots=True)
class _Choosing:
    """Which take of a shot its continuations get: ``wanted`` once known (a recorded choice still
    good, or the first take on disk); and a note per take for its result."""

    wanted: int | None = None
    notes: dict[int, str] = field(default_factory=dict)


class _Run(Submits, Downloads):
    """One render run: each shot waits for its parent, settles its takes and renders them.

    ``shot`` walks one shot from its recorded takes to a chosen video: wait for the parent's
    chosen take (``gates``) and take its exact last frame (``frames``: one per parent take, shared
    by its children), decide what each take needs (``decide``), then upload, submit, wait and
    download each take (``Submits``, ``Downloads``) and open the gate for its continuations.
    """

    gates: Gates
    frames: dict[tuple[str, int], asyncio.Future[ContinuationFrame]]

    async def shot(self, shot: RenderableShot) -> list[ShotResult]:
        try:
            return await self._shot(shot)
        finally:
            self.gates.open(shot.name, None)  # no video this run (unless opened with one already)

    async def _shot(self, shot: RenderableShot) -> list[ShotResult]:
        name, parent = shot.name, shot.continues
        lineage: Lineage | None = None
        if parent is not None:
            self._say(name, Step.CONTINUING, f"waits for {parent}")
            video = await self.gates.wait(parent)
            if video is None:
                return self._not_started(name, parent, f"waits for a video of {parent}, which is not on disk yet")
            self._say(name, Step.CONTINUING, f"takes the last frame of {parent} (take {video.take})")
            try:
                frame = await self._frame_of(video)
            except (ValueError, OSError) as err:  # InvalidVideo and FrameRefused are ValueErrors
                why = message_of(err) if isinstance(err, FrameRefused) else f"its last frame cannot be read: {message_of(err)}"
                return self._not_started(name, parent, why)
            shot, lineage = shot.bound(frame.path, frame.lineage.digest), frame.lineage
        digest = shot.request_hash()
        decisions = decide(
            name, digest, shot.takes, self.journal.takes(name), retry_failed=self.retry_failed, reroll=name in self.reroll
        )
        records = [await self._settle(shot, decision, lineage) for decision in decisions]
        choosing = _Choosing()
        choice = self.journal.choice(name)
        if choice is not None:  # a take chosen earlier, still of this request and downloaded, stays chosen
            held = [r for r in records if r.take == choice.take and r.request_hash == digest and r.state is S.DOWNLOADED]
            choosing.wanted = held[0].take if held else None
            kept = chosen_take(held, choice, digest)
            if kept is not None:  # on disk: the continuations go at once (else once it is fetched again)
                self.gates.open(name, video_of(kept))
        live = [(d, r) for d, r in zip(decisions, records, strict=True) if d.why is not Why.OUTDATED]
        children = [asyncio.ensure_future(self._take(shot, record, choosing)) for _decision, record in live]
        await join(children)
        done = {child.result().take: child.result() for child in children}
        final = [done.get(record.take, record) for record in records]
        if not self.gates.is_open(name):  # the wanted take did not come: the first one on disk
            first = chosen_take(final, None, digest)
            if first is not None:
                await self._write(lambda: self.journal.choose(name, first.take, by=FIRST_COMPLETED))
                self.gates.open(name, video_of(first))
        choice = self.journal.choice(name)
        return [
            self._result(
                r,
                _outdated(d) or choosing.notes.get(r.take),
                chosen=choice is not None and choice.take == r.take,
                continues=parent,
            )
            for d, r in zip(decisions, final, strict=True)
        ]

    async def _frame_of(self, video: ChosenVideo) -> ContinuationFrame:
        """The continuation frame of a parent's take: taken once a run, however many shots continue it."""
        key = (video.shot, video.take)
        found = self.frames.get(key)
        if found is None:
            found = self.frames[key] = asyncio.ensure_future(asyncio.to_thread(continuation_frame, video, self.out_dir))
        return await asyncio.shield(found)

    async def _settle(self, shot: RenderableShot, decision: TakeDecision, lineage: Lineage | None) -> ShotRecord:
        """Write what the decision says into the journal: a new take, or one started over."""
        name, take, record = shot.name, decision.take, decision.record
        digest, body = shot.request_hash(), shot.request.body()
        if record is None:
            return await self._write(lambda: self.journal.add(name, digest, body, take=take, lineage=lineage))
        if decision.why is Why.CHANGED:
            reason = "request changed" + (f" (task {record.task_id} replaced)" if record.task_id else "")
            return await self._write(lambda: self.journal.reset(name, digest, body, reason=reason, take=take, lineage=lineage))
        if decision.why is Why.RETRY:
            reason = "retry of a failed shot"
            return await self._write(lambda: self.journal.reset(name, digest, body, reason=reason, take=take, lineage=lineage))
        return record

    async def _take(self, shot: RenderableShot, record: ShotRecord, choosing: _Choosing) -> ShotRecord:
        if record.state in (S.UNKNOWN, S.FAILED):
            self._emit(record, Step.DONE)
            return record
        if record.state is S.DOWNLOADED and record.output and Path(record.output).is_file():
            self._emit(record, Step.DONE)
            choosing.notes[record.take] = "already downloaded"
            await self._offer(shot, record, choosing)
            return record
        self._emit(record, Step.QUEUED)
        async with self.limit:
            if record.state is S.DOWNLOADED:
                record = await self._restore(shot, record)
            else:
                steps = {S.PENDING: self._submit, S.SUBMITTED: self._wait, S.COMPLETED: self._download}
                while (step := steps.get(record.state)) is not None:
                    before = record
                    record = await step(shot, record)
                    if record.state is before.state:
                        break  # no progress this run (an error noted, or a task still running)
        if record.state is S.DOWNLOADED:
            await self._offer(shot, record, choosing)
        return record

    async def _offer(self, shot: RenderableShot, record: ShotRecord, choosing: _Choosing) -> None:
        """A take is on disk: it becomes the chosen one if none is yet, and the continuations go."""
        name, take = shot.name, record.take
        if self.gates.is_open(name) or choosing.wanted not in (None, take):
            return
        choosing.wanted = take  # claimed before the write: a take done at the same moment waits
        choice = self.journal.choice(name)
        if choice is None or choice.take != take:
            await self._write(lambda: self.journal.choose(name, take, by=FIRST_COMPLETED))
        self.gates.open(name, video_of(record))

    def _not_started(self, name: str, parent: str, why: str) -> list[ShotResult]:
        """The results of a continued shot whose first frame is not to be had this run."""
        note = f"continues {parent}: {why}"
        self._say(name, Step.DONE, note)
        records = self.journal.takes(name)
        if not records:
            return [ShotResult(name, S.PENDING, None, None, None, note, continues=parent)]
        choice = self.journal.choice(name)
        return [
            self._result(
                r, note=None if r.state is S.DOWNLOADED else note, continues=parent, chosen=bool(choice and choice.take == r.take)
            )
            for r in records
        ]

    def _say(self, name: str, action: Step, message: str) -> None:
        """An event of a shot that has no take in the journal yet (waiting for its parent)."""
        if self.on_event is not None:
            self.on_event(RenderEvent(name, action, S.PENDING, 0, None, message))


def _outdated(decision: TakeDecision) -> str | None:
    if decision.why is Why.OUTDATED:
        return "made for an earlier request of the shot; kept, not used"
    return None


__all__ = ["DEFAULT_CONCURRENCY", "DEFAULT_WAIT_TIMEOUT", "join", "render_shots"]
