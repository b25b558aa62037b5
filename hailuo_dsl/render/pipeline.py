"""The render run: compile a script, then take every shot as far as it can go, resumably.

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
import contextlib
import dataclasses
import enum
import os
import re
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

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
from hailuo_dsl.render.journal import (
    DEFAULT_UPLOAD_MAX_AGE,
    Journal,
    JournalError,
    ShotRecord,
    ShotState,
    default_journal_path,
)

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


class Action(str, enum.Enum):
    """What the run is doing with a shot (the events the CLI draws)."""

    QUEUED = "queued"
    UPLOADING = "uploading"
    SUBMITTING = "submitting"
    WAITING = "waiting"
    DOWNLOADING = "downloading"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class RenderEvent:
    """A change in one shot's progress, for a live display."""

    shot: str
    action: Action
    state: ShotState
    progress: int = 0
    task_id: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class ShotResult:
    """Where a shot stands at the end of a run."""

    name: str
    state: ShotState
    task_id: str | None
    output: Path | None
    error: str | None
    note: str

    @property
    def done(self) -> bool:
        """True when the video is on disk."""
        return self.state is S.DOWNLOADED and self.output is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "shot": self.name,
            "state": self.state.value,
            "task_id": self.task_id,
            "output": str(self.output) if self.output is not None else None,
            "error": self.error,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class RenderSummary:
    """The outcome of a render run, one result per shot in script order."""

    journal: Path
    out_dir: Path
    shots: tuple[ShotResult, ...]
    warnings: tuple[str, ...] = ()
    """The script's compile findings below error (``file:line:col: CODE [severity] message``)."""

    @property
    def ok(self) -> bool:
        """True when every shot's video is on disk."""
        return all(s.done for s in self.shots)

    def count(self, state: ShotState) -> int:
        return sum(1 for s in self.shots if s.state is state)

    def to_json(self) -> dict[str, Any]:
        return {
            "journal": str(self.journal),
            "out_dir": str(self.out_dir),
            "ok": self.ok,
            "shots": [s.to_json() for s in self.shots],
            "warnings": list(self.warnings),
        }


EventCallback = Callable[[RenderEvent], None]


def default_out_dir(script: str | os.PathLike[str], *, emulator: bool = False) -> Path:
    """Where a script's videos go by default: ``<script folder>/renders/<script stem>/``
    (``renders/<script stem>.emulator/`` for the emulator's stand-in videos)."""
    path = Path(script).absolute()
    return path.parent / "renders" / (path.stem + (".emulator" if emulator else ""))


async def render_script(
    script: str | os.PathLike[str],
    *,
    client: AsyncClient,
    spec: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    journal: str | os.PathLike[str] | None = None,
    shots: Sequence[str] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    retry_failed: bool = False,
    forget: Collection[str] = (),
    adopt: Mapping[str, str] | None = None,
    on_event: EventCallback | None = None,
    wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
) -> RenderSummary:
    """Compile ``script`` and render its shots (or those named in ``shots``) into ``out_dir``.

    Raises ``CompileError`` when the script has errors (nothing is submitted then) and
    ``JournalError`` when the journal cannot be used (another run holds it, a shot to forget
    or adopt is unknown, ...). ``forget`` starts the named shots over; ``adopt`` maps an
    ``unknown`` shot to the task id a person found in the account.
    """
    from hailuo_dsl.shots.compiler import compile_script
    from hailuo_dsl.shots.result import format_location

    path = Path(script)
    result = compile_script(path, spec=Path(spec) if spec is not None else None, shots=shots)
    result.raise_for_errors()
    warnings = tuple(
        f"{format_location(d, result.script, result.spec)}: {d.code} [{d.severity.value}] {d.message}" for d in result.diagnostics
    )
    with Journal(journal if journal is not None else default_journal_path(path)) as opened:
        opened.acquire()
        opened.recover()
        for name in forget:
            opened.forget(name)
        for name, task_id in (adopt or {}).items():
            opened.adopt(name, task_id)
        summary = await render_shots(
            result.shots,
            client=client,
            journal=opened,
            out_dir=Path(out_dir) if out_dir is not None else default_out_dir(path),
            concurrency=concurrency,
            retry_failed=retry_failed,
            on_event=on_event,
            wait_timeout=wait_timeout,
        )
    return dataclasses.replace(summary, warnings=warnings)


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
    try:
        results = await asyncio.gather(*tasks)
    except Exception:
        # One shot's error ends the run: stop the others and let each record how its submit ended
        # (one on its way gets SUBMIT_GRACE to answer) while the caller still holds the journal,
        # even if the run is stopped meanwhile: the error is raised all the same.
        # (A cancelled gather has already waited for the shots it cancelled.)
        for task in tasks:
            task.cancel()
        while not all(task.done() for task in tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait(tasks)
        raise
    return RenderSummary(journal.path, out_dir, tuple(results))


class _GroupCommit:
    """Journal writes of concurrent shots, committed together (group commit).

    Every write asked for during one turn of the event loop runs in one transaction at the start
    of the next turn: one disk sync for all of them instead of one each. A write's future is
    resolved only once that transaction is on disk, so nothing is acted on before its step is
    durable. A write whose caller was cancelled before the batch ran is skipped.
    """

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.queue: list[tuple[Callable[[], Any], asyncio.Future[Any]]] = []

    def enqueue(self, op: Callable[[], T]) -> asyncio.Future[T]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        if not self.queue:
            loop.call_soon(self._flush)
        self.queue.append((op, future))
        return future

    def later(self, op: Callable[[], object]) -> None:
        """A write nobody waits for (a progress update); its errors are dropped."""
        self.enqueue(op).add_done_callback(lambda f: f.cancelled() or f.exception())

    def _flush(self) -> None:
        batch, self.queue = [(op, f) for op, f in self.queue if not f.cancelled()], []
        outcomes: list[tuple[asyncio.Future[Any], Any, BaseException | None]] = []
        try:
            with self.journal.batch():
                for op, future in batch:
                    try:
                        outcomes.append((future, op(), None))
                    except Exception as err:
                        outcomes.append((future, None, err))
        except Exception as err:  # the commit failed: nothing of the batch is on disk
            for _, future in batch:
                if not future.done():
                    future.set_exception(err)
            return
        for future, value, error in outcomes:
            if future.done():
                continue
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(value)


class _Run:
    """The state of one render run: the client, the journal, the upload cache and the limit."""

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
        self.commits = _GroupCommit(journal)
        self.out_dir = out_dir
        self.limit = asyncio.Semaphore(concurrency)
        self.retry_failed = retry_failed
        self.on_event = on_event
        self.wait_timeout = wait_timeout
        self.upload_max_age = upload_max_age
        self.clock = clock
        self.uploads: dict[str, asyncio.Future[str]] = {}

    async def _write(self, op: Callable[[], T]) -> T:
        """Run one journal write in the next group commit; returns once it is on disk."""
        return await self.commits.enqueue(op)

    # -- one shot -------------------------------------------------------------------------------

    async def shot(self, shot: RenderableShot) -> ShotResult:
        record = await self._settle(shot)
        if record.state in (S.UNKNOWN, S.FAILED):
            self._emit(record, Action.DONE)
            return self._result(record)
        if record.state is S.DOWNLOADED and record.output and Path(record.output).is_file():
            self._emit(record, Action.DONE)
            return self._result(record, "already downloaded")
        self._emit(record, Action.QUEUED)
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
            request = await self._resolve(shot, record)
        except (HailuoError, OSError) as err:
            error = f"upload failed: {_message(err)}"
            return await self._write(lambda: self.journal.note_error(name, error))
        try:
            record = await self._write(lambda: self.journal.begin_submit(name))
            self._emit(record, Action.SUBMITTING)
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
        self._emit(record, Action.WAITING if record.state is S.SUBMITTED else Action.DONE)
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
        self._emit(record, Action.WAITING)

        def on_progress(task: Task) -> None:
            if not task.is_final:
                self.commits.later(lambda: journal.progress(name, status=task.status_text, progress=task.progress))
                if self.on_event is not None:
                    self.on_event(RenderEvent(name, Action.WAITING, S.SUBMITTED, task.progress, task_id))

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
        self._emit(record, Action.DONE)
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
        self._emit(record, Action.DONE)
        return record

    async def _fetch(self, record: ShotRecord, staging: Path, *, missing: Path | None = None) -> ShotRecord | None:
        """Download the video to ``staging``; the updated record when that cannot be done, else None."""
        name, journal = record.name, self.journal
        lost = f"the file {missing} is missing and " if missing is not None else ""
        if record.expires_at is not None and record.expires_at <= self.clock():
            message = f"{lost}the video expired at {_utc(record.expires_at)}; {_RETRY_HINT}"
            return await self._write(lambda: journal.failed(name, message))
        if not record.video_url:
            return await self._write(lambda: journal.failed(name, f"{lost}no video URL is known; {_RETRY_HINT}"))
        self._emit(record, Action.DOWNLOADING)
        for stale in staging.parent.glob(f".{staging.name}.*.part"):
            stale.unlink(missing_ok=True)  # left by a run that was killed mid-download
        try:
            await self.client.download(record.video_url, staging)
        except VideoExpired as err:
            message = f"{lost}{_message(err)}; {_RETRY_HINT}"
            return await self._write(lambda: journal.failed(name, message))
        except HailuoError as err:
            message = f"download failed: {_message(err)}"
            return await self._write(lambda: journal.note_error(name, message))
        return None

    def _staging(self, name: str, record: ShotRecord, *, folder: Path | None = None) -> Path:
        task = re.sub(r"[^A-Za-z0-9_.-]", "_", record.task_id or "task")
        return (folder or self.out_dir) / f".{name}.{task}{VIDEO_SUFFIX}"

    # -- uploads --------------------------------------------------------------------------------

    async def _resolve(self, shot: RenderableShot, record: ShotRecord) -> VideoRequest:
        """The request to send: local images replaced by their uploaded URLs."""
        paths = sorted(set(shot.local_images.values()))
        if not paths:
            return shot.request
        self._emit(record, Action.UPLOADING)
        urls = {path: await self._upload(path) for path in paths}
        return shot.resolved(urls)

    async def _upload(self, path: Path) -> str:
        """The URL of an image: from the journal when this content was uploaded to this API
        recently, else uploaded (once per run, however many shots use it)."""
        from hailuo_dsl.shots.images import file_digest  # cached: the request hash has just read it

        # Keyed by content and API: an upload to one server is no use to another.
        digest = file_digest(path) + "@" + self.client.base_url
        cached = self.journal.upload_url(digest, max_age=self.upload_max_age)
        if cached is not None:
            return cached
        pending = self.uploads.get(digest)
        if pending is None:
            pending = asyncio.ensure_future(self._upload_once(path, digest))
            self.uploads[digest] = pending
        return await asyncio.shield(pending)

    async def _upload_once(self, path: Path, digest: str) -> str:
        url = await self.client.upload_image(path)
        await self._write(lambda: self.journal.record_upload(digest, url))
        return url

    # -- reporting ------------------------------------------------------------------------------

    def _emit(self, record: ShotRecord, action: Action) -> None:
        if self.on_event is not None:
            self.on_event(RenderEvent(record.name, action, record.state, record.progress, record.task_id, record.error))

    def _result(self, record: ShotRecord, note: str | None = None) -> ShotResult:
        output = Path(record.output) if record.output and record.state is S.DOWNLOADED else None
        if output is not None and not output.is_file():
            output, note = None, "the downloaded file is missing; rerun to fetch it again"
        return ShotResult(record.name, record.state, record.task_id, output, record.error, note or _NOTES[record.state])


_RETRY_HINT = "rerun with --retry-failed to submit a new (paid) task"
_NOTES = {
    S.PENDING: "not submitted; rerun to try again",
    S.SUBMITTING: "the submit may have created a task; check the account, then --adopt SHOT=TASK_ID or --forget SHOT",
    S.UNKNOWN: "the submit may have created a task; check the account, then --adopt SHOT=TASK_ID or --forget SHOT",
    S.SUBMITTED: "still running; rerun to resume",
    S.COMPLETED: "completed, not downloaded yet; rerun to download",
    S.FAILED: "failed; --retry-failed submits it again",
    S.DOWNLOADED: "downloaded",
}


def _message(err: BaseException) -> str:
    return str(err) or type(err).__name__


def _utc(epoch: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))


__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_WAIT_TIMEOUT",
    "Action",
    "EventCallback",
    "RenderEvent",
    "RenderSummary",
    "RenderableShot",
    "ShotResult",
    "default_out_dir",
    "render_script",
    "render_shots",
]
