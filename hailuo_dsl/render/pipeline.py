"""The render run: take every compiled shot as far as it can go, resumably.

For each shot the journal decides what happens (see :mod:`hailuo_dsl.render.journal`):

- new, or its request changed (hash differs): submitted (the replaced task is kept in the journal);
- ``submitting``/``unknown`` with the same request: never submitted again; reported, a person
  decides (``adopt`` a task found in the account, or ``forget`` the shot);
- ``submitted``: polled again on the client's cadence;
- ``completed``: downloaded, unless its URL has expired (then ``failed``, reported);
- ``downloaded``: skipped while the file exists;
- ``failed``: resubmitted only with ``retry_failed``.

Local images are uploaded once per content (sha256) and API, and the URL is reused across runs
from the journal. Journal writes of concurrent shots share one transaction (group commit), each
still on disk before its step is taken. Videos go first to a staging file named after the task (``.<shot>.<task id>.mp4``,
written by the client through a temporary file), the journal records the download, then the
staging file is renamed to ``<shot>.mp4``: a run killed at any point neither loses a finished
download nor fetches it twice. At most ``concurrency`` shots are in flight at a time.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from hailuo_dsl.client import (
    AsyncClient,
    BadRequest,
    ContentPolicy,
    DeadlineExceeded,
    HailuoError,
    NotFound,
    SubmitOutcomeUnknown,
    Task,
    TaskFailed,
    VideoExpired,
)
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.render.commit import GroupCommit
from hailuo_dsl.render.journal import DEFAULT_UPLOAD_MAX_AGE, Journal
from hailuo_dsl.render.records import ShotRecord
from hailuo_dsl.render.results import NOTES, RETRY_HINT, EventCallback, RenderEvent, RenderSummary, ShotResult, Step
from hailuo_dsl.render.states import ShotState
from hailuo_dsl.render.store import JournalError
from hailuo_dsl.render.uploads import Uploads

S = ShotState
T = TypeVar("T")
DEFAULT_CONCURRENCY = 4
DEFAULT_WAIT_TIMEOUT = 30 * 60.0
"""How long one run follows a task before leaving it ``submitted`` for the next run (seconds)."""
SUBMIT_GRACE = 15.0
"""On Ctrl-C, how long a submit already on its way may take to answer, so its task id is kept."""
VIDEO_SUFFIX = ".mp4"


class RenderableShot(Protocol):
    """What the pipeline needs of a compiled shot (``hailuo_dsl.shots.CompiledShot``)."""

    @property
    def name(self) -> str: ...

    @property
    def request(self) -> VideoRequest: ...

    @property
    def local_images(self) -> Mapping[str, Path]: ...

    def request_hash(self) -> str: ...

    def resolved(self, urls: Mapping[Path, str]) -> VideoRequest: ...


async def render_shots(
    shots: Sequence[RenderableShot],
    *,
    client: AsyncClient,
    journal: Journal,
    out_dir: Path,
    concurrency: int = DEFAULT_CONCURRENCY,
    retry_failed: bool = False,
    on_event: EventCallback | None = None,
    wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
    upload_max_age: float = DEFAULT_UPLOAD_MAX_AGE,
    clock: Callable[[], float] = time.time,
) -> RenderSummary:
    """Render compiled shots with an open journal (the caller has taken it and run ``recover``).

    ``JournalError`` when two shots share a name: they would share one journal record, each
    run resubmitting the one whose request the record does not hold.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    seen: set[str] = set()
    for shot in shots:
        if shot.name in seen:
            raise JournalError(f"two shots are named {shot.name!r}; the journal keeps one record per name: rename one")
        seen.add(shot.name)
    run = _Run(client, journal, out_dir, concurrency, retry_failed, on_event, wait_timeout, upload_max_age, clock)
    tasks = [asyncio.ensure_future(run.shot(s)) for s in shots]
    stopped = False
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    except asyncio.CancelledError:
        stopped = True
        raise
    finally:
        # One shot's error, or the run being stopped (Ctrl-C, SIGTERM: the run's task is
        # cancelled, which asyncio.wait, unlike gather, does not pass on), ends the run. Every
        # other shot is cancelled once and waited for, so each records how its submit ended (one
        # on its way gets SUBMIT_GRACE to answer) while the caller still holds the journal open.
        # A second stop hurries: the submits still on their way are recorded as unknown.
        if not all(task.done() for task in tasks):
            for task in tasks:
                task.cancel()
            while not all(task.done() for task in tasks):
                try:
                    await asyncio.wait(tasks)
                except asyncio.CancelledError:
                    if stopped:
                        for task in tasks:
                            task.cancel()
                    stopped = True
    errors = [error for task in tasks if not task.cancelled() and (error := task.exception()) is not None]
    if errors:
        raise errors[0]
    results = [task.result() for task in tasks]
    return RenderSummary(journal.path, out_dir, tuple(results))


class _Run:
    """The state of one render run: the client, the journal, the upload cache and the limit.

    It holds what every shot's task shares: the ``AsyncClient``, the ``Journal`` and its
    ``GroupCommit`` (every step is on disk before the next one starts, so a rerun resumes and
    never submits twice), the upload cache, the semaphore that bounds concurrency, the output
    folder and the caller's event callback. ``shot`` walks one shot from its recorded state to a
    downloaded video (settle with the journal, upload and submit, wait, download).
    """

    def __init__(
        self,
        client: AsyncClient,
        journal: Journal,
        out_dir: Path,
        concurrency: int,
        retry_failed: bool,
        on_event: EventCallback | None,
        wait_timeout: float,
        upload_max_age: float,
        clock: Callable[[], float],
    ) -> None:
        self.client = client
        self.journal = journal
        self.commits = GroupCommit(journal)
        self.out_dir = out_dir
        self.limit = asyncio.Semaphore(concurrency)
        self.retry_failed = retry_failed
        self.on_event = on_event
        self.wait_timeout = wait_timeout
        self.clock = clock
        self.uploads = Uploads(client, journal, self.commits, upload_max_age)

    async def _write(self, op: Callable[[], T]) -> T:
        """Run one journal write in the next group commit; returns once it is on disk."""
        return await self.commits.enqueue(op)

    # -- one shot -------------------------------------------------------------------------------

    async def shot(self, shot: RenderableShot) -> ShotResult:
        record = await self._settle(shot)
        if record.state in (S.UNKNOWN, S.FAILED):
            self._emit(record, Step.DONE)
            return self._result(record)
        if record.state is S.DOWNLOADED and record.output and Path(record.output).is_file():
            self._emit(record, Step.DONE)
            return self._result(record, "already downloaded")
        self._emit(record, Step.QUEUED)
        async with self.limit:
            if record.state is S.DOWNLOADED:
                return self._result(await self._restore(shot, record))
            steps = {S.PENDING: self._submit, S.SUBMITTED: self._wait, S.COMPLETED: self._download}
            while (step := steps.get(record.state)) is not None:
                before = record
                record = await step(shot, record)
                if record.state is before.state:
                    break  # no progress this run (an error noted, or a task still running)
        return self._result(record)

    async def _settle(self, shot: RenderableShot) -> ShotRecord:
        """The shot's journal row, added or reset when the request is new, changed or retried."""
        name, digest, body = shot.name, shot.request_hash(), shot.request.body()
        record = self.journal.get(name)
        if record is None:
            return await self._write(lambda: self.journal.add(name, digest, body))
        if record.request_hash != digest:
            reason = "request changed" + (f" (task {record.task_id} replaced)" if record.task_id else "")
            return await self._write(lambda: self.journal.reset(name, digest, body, reason=reason))
        if record.state is S.FAILED and self.retry_failed:
            return await self._write(lambda: self.journal.reset(name, digest, body, reason="retry of a failed shot"))
        return record

    async def _submit(self, shot: RenderableShot, record: ShotRecord) -> ShotRecord:
        name = shot.name
        try:
            if shot.local_images:
                self._emit(record, Step.UPLOADING)
            request = await self.uploads.resolve(shot)
        except (HailuoError, OSError) as err:
            error = f"upload failed: {_message(err)}"
            return await self._write(lambda: self.journal.note_error(name, error))
        try:
            record = await self._write(lambda: self.journal.begin_submit(name))
            self._emit(record, Step.SUBMITTING)
        except BaseException:
            # Stopped (cancelled, or an error) once ``submitting`` may be written but certainly
            # before the submit was sent: nothing can have been created.
            if self._still(name, S.SUBMITTING):
                self.journal.submit_refused(name, "the run stopped before the submit was sent", final=False)
            raise
        sending = asyncio.ensure_future(self.client.submit(request))
        try:
            await asyncio.wait([sending])
        except asyncio.CancelledError:
            # The run is stopping: give a submit already on its way the time to answer, so its task
            # id is recorded instead of leaving the shot unknown (written even if a second stop
            # cuts the wait short).
            try:
                await asyncio.wait([sending], timeout=SUBMIT_GRACE)
            finally:
                self._submit_outcome(name, sending)()
            raise
        outcome = self._submit_outcome(name, sending)
        try:
            record = await self._write(outcome)
        except asyncio.CancelledError:
            if self._still(name, S.SUBMITTING):
                outcome()  # stopping: write the task id now rather than leave the shot unknown
            raise
        self._emit(record, Step.WAITING if record.state is S.SUBMITTED else Step.DONE)
        return record

    def _still(self, name: str, state: ShotState) -> bool:
        record = self.journal.get(name)
        return record is not None and record.state is state

    def _submit_outcome(self, name: str, sending: asyncio.Future[Task]) -> Callable[[], ShotRecord]:
        """The journal write of what a submit came to, so that it is never sent twice."""
        journal = self.journal
        if not sending.done():
            sending.cancel()
            return lambda: journal.submit_unknown(
                name, "the run stopped before the submit was answered; it may have created a task"
            )
        if sending.cancelled():
            return lambda: journal.submit_unknown(name, "the submit was cancelled on its way; it may have created a task")
        err = sending.exception()
        if err is None:
            task = sending.result()
            return lambda: journal.submitted(name, task.id, status=task.status_text, progress=task.progress)
        message = _message(err)
        if isinstance(err, (BadRequest, ContentPolicy)):
            return lambda: journal.submit_refused(name, message, final=True)
        if isinstance(err, HailuoError) and not isinstance(err, SubmitOutcomeUnknown):
            # The API answered with a refusal (or the connection was never made): no task exists.
            return lambda: journal.submit_refused(name, message, final=False)
        return lambda: journal.submit_unknown(name, message)

    async def _wait(self, shot: RenderableShot, record: ShotRecord) -> ShotRecord:
        name, journal = shot.name, self.journal
        task_id = record.task_id
        assert task_id is not None
        self._emit(record, Step.WAITING)

        def on_progress(task: Task) -> None:
            if not task.is_final:
                self.commits.later(lambda: journal.progress(name, status=task.status_text, progress=task.progress))
                if self.on_event is not None:
                    self.on_event(RenderEvent(name, Step.WAITING, S.SUBMITTED, task.progress, task_id))

        try:
            task = await self.client.wait(task_id, timeout=self.wait_timeout, on_progress=on_progress)
        except TaskFailed as err:
            message, status = _message(err), err.task.status_text
            return await self._write(lambda: journal.failed(name, message, status=status))
        except NotFound as err:
            # The API gave us this id, so a 404 may be a passing fault of the gateway: marking the
            # shot failed would let --retry-failed pay for a new task while the first still runs.
            # It stays submitted (the next run asks again); a person can --forget it.
            message = (
                f"the API answers that it knows no task {task_id} ({_message(err)}); "
                f"rerun to ask again, or --forget {name} to submit anew (a new, paid task)"
            )
            return await self._write(lambda: journal.note_error(name, message))
        except DeadlineExceeded as err:
            message = f"still running: {_message(err)}"
            return await self._write(lambda: journal.note_error(name, message))
        except HailuoError as err:
            message = f"could not follow the task: {_message(err)}"
            return await self._write(lambda: journal.note_error(name, message))
        url = task.video_url
        if not url:
            return await self._write(
                lambda: journal.failed(name, f"task {task_id} completed without a video URL", status=task.status_text)
            )
        return await self._write(
            lambda: journal.completed(name, video_url=url, expires_at=task.expires_at, status=task.status_text)
        )

    async def _download(self, shot: RenderableShot, record: ShotRecord) -> ShotRecord:
        target = self.out_dir / f"{shot.name}{VIDEO_SUFFIX}"
        staging = self._staging(shot.name, record)
        if not staging.is_file():
            fetched = await self._fetch(record, staging)
            if fetched is not None:
                return fetched
        record = await self._write(lambda: self.journal.downloaded(shot.name, target))
        os.replace(staging, target)
        self._emit(record, Step.DONE)
        return record

    async def _restore(self, shot: RenderableShot, record: ShotRecord) -> ShotRecord:
        """A ``downloaded`` shot whose file is not in place: finish the rename, or fetch it again."""
        assert record.output is not None
        target = Path(record.output)
        staging = self._staging(shot.name, record, folder=target.parent)
        if staging.is_file():
            os.replace(staging, target)
        elif not target.is_file():
            fetched = await self._fetch(record, staging, missing=target)
            if fetched is not None:
                return fetched
            record = await self._write(lambda: self.journal.downloaded(shot.name, target))
            os.replace(staging, target)
        self._emit(record, Step.DONE)
        return record

    async def _fetch(self, record: ShotRecord, staging: Path, *, missing: Path | None = None) -> ShotRecord | None:
        """Download the video to ``staging``; the updated record when that cannot be done, else None."""
        name, journal = record.name, self.journal
        lost = f"the file {missing} is missing and " if missing is not None else ""
        if record.expires_at is not None and record.expires_at <= self.clock():
            message = f"{lost}the video expired at {_utc(record.expires_at)}; {RETRY_HINT}"
            return await self._write(lambda: journal.failed(name, message))
        if not record.video_url:
            return await self._write(lambda: journal.failed(name, f"{lost}no video URL is known; {RETRY_HINT}"))
        self._emit(record, Step.DOWNLOADING)
        for stale in staging.parent.glob(f".{staging.name}.*.part"):
            stale.unlink(missing_ok=True)  # left by a run that was killed mid-download
        try:
            await self.client.download(record.video_url, staging)
        except VideoExpired as err:
            message = f"{lost}{_message(err)}; {RETRY_HINT}"
            return await self._write(lambda: journal.failed(name, message))
        except HailuoError as err:
            message = f"download failed: {_message(err)}"
            return await self._write(lambda: journal.note_error(name, message))
        return None

    def _staging(self, name: str, record: ShotRecord, *, folder: Path | None = None) -> Path:
        task = re.sub(r"[^A-Za-z0-9_.-]", "_", record.task_id or "task")
        return (folder or self.out_dir) / f".{name}.{task}{VIDEO_SUFFIX}"

    # -- reporting ------------------------------------------------------------------------------

    def _emit(self, record: ShotRecord, action: Step) -> None:
        if self.on_event is not None:
            self.on_event(RenderEvent(record.name, action, record.state, record.progress, record.task_id, record.error))

    def _result(self, record: ShotRecord, note: str | None = None) -> ShotResult:
        output = Path(record.output) if record.output and record.state is S.DOWNLOADED else None
        if output is not None and not output.is_file():
            output, note = None, "the downloaded file is missing; rerun to fetch it again"
        return ShotResult(record.name, record.state, record.task_id, output, record.error, note or NOTES[record.state])


def _message(err: BaseException) -> str:
    return str(err) or type(err).__name__


def _utc(epoch: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))


__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_WAIT_TIMEOUT",
    "RenderableShot",
    "render_shots",
]
