"""Submitting a take and following its task, each step journaled before the next.

``submitting`` is on disk before the request leaves; the answer (a task id, a refusal, or "it may
have made a task") right after it comes back. A run stopped while a submit is on its way gives it
``SUBMIT_GRACE`` seconds to answer, so its task id is kept rather than left ``unknown``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from hailuo_dsl.client import (
    BadRequest,
    ContentPolicy,
    DeadlineExceeded,
    HailuoError,
    NotFound,
    SubmitOutcomeUnknown,
    Task,
    TaskFailed,
)
from hailuo_dsl.render.records import ShotRecord
from hailuo_dsl.render.results import RenderEvent, Step
from hailuo_dsl.render.run import RenderableShot, RunState, message_of
from hailuo_dsl.render.states import ShotState

S = ShotState
SUBMIT_GRACE = 15.0
"""On Ctrl-C, how long a submit already on its way may take to answer, so its task id is kept."""


class Submits(RunState):
    """The submit and the polling of a take's task."""

    async def _submit(self, shot: RenderableShot, record: ShotRecord) -> ShotRecord:
        name, take = shot.name, record.take
        refused = self.allowance.take(self.price_of(shot.request))
        if refused is not None:  # a guard behind the plan's check of the caps: nothing goes out
            error = f"not submitted: {refused}"
            return await self._write(lambda: self.journal.note_error(name, error, take=take))
        try:
            if shot.local_images:
                self._emit(record, Step.UPLOADING)
            request = await self.uploads.resolve(shot)
        except (HailuoError, OSError) as err:
            error = f"upload failed: {message_of(err)}"
            return await self._write(lambda: self.journal.note_error(name, error, take=take))
        await self.pace.acquire()  # the run's rate: this submit's turn, before anything is written
        try:
            record = await self._write(lambda: self.journal.begin_submit(name, take=take))
            self._emit(record, Step.SUBMITTING)
        except BaseException:
            # Stopped (cancelled, or an error) once ``submitting`` may be written but certainly
            # before the submit was sent: nothing can have been created.
            if self._still(name, take, S.SUBMITTING):
                self.journal.submit_refused(name, "the run stopped before the submit was sent", final=False, take=take)
            raise
        sending = asyncio.ensure_future(self.client.submit(request, shot=name if self.name_shots else None, pace=self.pace))
        try:
            await asyncio.wait([sending])
        except asyncio.CancelledError:
            # The run is stopping: give a submit already on its way the time to answer, so its task
            # id is recorded instead of leaving the take unknown (written even if a second stop
            # cuts the wait short).
            try:
                await asyncio.wait([sending], timeout=SUBMIT_GRACE)
            finally:
                self._submit_outcome(name, take, sending)()
            raise
        outcome = self._submit_outcome(name, take, sending)
        try:
            record = await self._write(outcome)
        except asyncio.CancelledError:
            if self._still(name, take, S.SUBMITTING):
                outcome()  # stopping: write the task id now rather than leave the take unknown
            raise
        self._emit(record, Step.WAITING if record.state is S.SUBMITTED else Step.DONE)
        return record

    def _still(self, name: str, take: int, state: ShotState) -> bool:
        record = self.journal.get(name, take)
        return record is not None and record.state is state

    def _submit_outcome(self, name: str, take: int, sending: asyncio.Future[Task]) -> Callable[[], ShotRecord]:
        """The journal write of what a submit came to, so that it is never sent twice."""
        journal = self.journal
        if not sending.done():
            sending.cancel()
            return lambda: journal.submit_unknown(
                name, "the run stopped before the submit was answered; it may have created a task", take=take
            )
        if sending.cancelled():
            return lambda: journal.submit_unknown(
                name, "the submit was cancelled on its way; it may have created a task", take=take
            )
        err = sending.exception()
        if err is None:
            task = sending.result()
            return lambda: journal.submitted(name, task.id, status=task.status_text, progress=task.progress, take=take)
        message = message_of(err)
        if isinstance(err, (BadRequest, ContentPolicy)):
            return lambda: journal.submit_refused(name, message, final=True, take=take)
        if isinstance(err, HailuoError) and not isinstance(err, SubmitOutcomeUnknown):
            # The API answered with a refusal (or the connection was never made): no task exists.
            return lambda: journal.submit_refused(name, message, final=False, take=take)
        return lambda: journal.submit_unknown(name, message, take=take)

    async def _wait(self, shot: RenderableShot, record: ShotRecord) -> ShotRecord:
        name, take, journal = shot.name, record.take, self.journal
        task_id = record.task_id
        assert task_id is not None
        self._emit(record, Step.WAITING)

        def on_progress(task: Task) -> None:
            if not task.is_final:
                self.commits.later(lambda: journal.progress(name, status=task.status_text, progress=task.progress, take=take))
                if self.on_event is not None:
                    self.on_event(RenderEvent(name, Step.WAITING, S.SUBMITTED, task.progress, task_id, take=take))

        try:
            task = await self.client.wait(task_id, timeout=self.wait_timeout, on_progress=on_progress)
        except TaskFailed as err:
            message, status = message_of(err), err.task.status_text
            return await self._write(lambda: journal.failed(name, message, status=status, take=take))
        except NotFound as err:
            # The API gave us this id, so a 404 may be a passing fault of the gateway: marking the
            # take failed would let --retry-failed pay for a new task while the first still runs.
            # It stays submitted (the next run asks again); a person can --forget it.
            message = (
                f"the API answers that it knows no task {task_id} ({message_of(err)}); "
                f"rerun to ask again, or --forget {name} to submit anew (a new, paid task)"
            )
            return await self._write(lambda: journal.note_error(name, message, take=take))
        except DeadlineExceeded as err:
            message = f"still running: {message_of(err)}"
            return await self._write(lambda: journal.note_error(name, message, take=take))
        except HailuoError as err:
            message = f"could not follow the task: {message_of(err)}"
            return await self._write(lambda: journal.note_error(name, message, take=take))
        url = task.video_url
        if not url:
            message = f"task {task_id} completed without a video URL"
            return await self._write(lambda: journal.failed(name, message, status=task.status_text, take=take))
        return await self._write(
            lambda: journal.completed(name, video_url=url, expires_at=task.expires_at, status=task.status_text, take=take)
        )


__all__ = ["SUBMIT_GRACE", "Submits"]
