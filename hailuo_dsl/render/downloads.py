"""Downloading a take's video, checked before it counts.

The video goes first to a staging file named after the task (``.<shot>.<task id>.mp4``, written
by the client through a temporary file), is opened with PyAV and checked (one video stream, its
first and last frames decode, it lasts the duration asked for within half a second), and only
then is the download journaled and the file renamed to ``<shot>.mp4`` (``<shot>.take<N>.mp4``
for take N > 1). A file that fails the check is downloaded once more; if that one fails too the
take is ``failed`` with the reason (never submitted again on its own: ``--retry-failed`` does).
A run killed at any point neither loses a finished download nor fetches it twice.
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

from hailuo_dsl.client import HailuoError, VideoExpired
from hailuo_dsl.contract import DEFAULT_DURATION
from hailuo_dsl.render.records import ShotRecord
from hailuo_dsl.render.results import RETRY_HINT, Step
from hailuo_dsl.render.run import RenderableShot, RunState, message_of, utc

VIDEO_SUFFIX = ".mp4"


def video_name(shot: str, take: int) -> str:
    """The file name of a take's video: ``<shot>.mp4``, or ``<shot>.take<N>.mp4`` for take N > 1."""
    return f"{shot}{VIDEO_SUFFIX}" if take == 1 else f"{shot}.take{take}{VIDEO_SUFFIX}"


class Downloads(RunState):
    """The download of a completed take, checked, and the repair of a downloaded one whose file is gone."""

    async def _download(self, shot: RenderableShot, record: ShotRecord) -> ShotRecord:
        take = record.take
        target = self.out_dir / video_name(shot.name, take)
        staging = self._staging(shot.name, record)
        ended = await self._checked_fetch(shot, record, staging)
        if ended is not None:
            return ended
        record = await self._write(lambda: self.journal.downloaded(shot.name, target, take=take))
        os.replace(staging, target)
        self._emit(record, Step.DONE)
        return record

    async def _restore(self, shot: RenderableShot, record: ShotRecord) -> ShotRecord:
        """A ``downloaded`` take whose file is not in place: finish the rename, or fetch it again."""
        assert record.output is not None
        target = Path(record.output)
        staging = self._staging(shot.name, record, folder=target.parent)
        if staging.is_file():
            os.replace(staging, target)  # checked before the journal said downloaded
        elif not target.is_file():
            ended = await self._checked_fetch(shot, record, staging, missing=target)
            if ended is not None:
                return ended
            record = await self._write(lambda: self.journal.downloaded(shot.name, target, take=record.take))
            os.replace(staging, target)
        self._emit(record, Step.DONE)
        return record

    async def _checked_fetch(
        self, shot: RenderableShot, record: ShotRecord, staging: Path, *, missing: Path | None = None
    ) -> ShotRecord | None:
        """Bring the take's video to ``staging``, checked (downloaded at most twice); the updated
        record when that cannot be done, else None. A staging file left by a killed run counts as
        the first download."""
        name, take = record.name, record.take
        problem = None
        for attempt in (1, 2):
            if not staging.is_file():
                ended = await self._fetch(record, staging, missing=missing)
                if ended is not None:
                    return ended
            problem = await self._problem(record, staging)
            if problem is None:
                return None
            staging.unlink(missing_ok=True)
            if attempt == 1:
                self._emit(record, Step.DOWNLOADING, f"the video is not usable ({problem}); downloading it once more")
        message = f"the video was downloaded twice and is not usable: {problem}; {RETRY_HINT}"
        return await self._write(lambda: self.journal.failed(name, message, take=take))

    async def _problem(self, record: ShotRecord, path: Path) -> str | None:
        """Why the video at ``path`` is not the one asked for (None when it is): decoded off the loop."""
        from hailuo_dsl.video import InvalidVideo, verify_video

        duration = int((record.request or {}).get("duration", DEFAULT_DURATION))
        try:
            await asyncio.to_thread(verify_video, path, duration)
        except InvalidVideo as err:
            return str(err)
        return None

    async def _fetch(self, record: ShotRecord, staging: Path, *, missing: Path | None = None) -> ShotRecord | None:
        """Download the video to ``staging``; the updated record when that cannot be done, else None."""
        name, take, journal = record.name, record.take, self.journal
        lost = f"the file {missing} is missing and " if missing is not None else ""
        if record.expires_at is not None and record.expires_at <= self.clock():
            message = f"{lost}the video expired at {utc(record.expires_at)}; {RETRY_HINT}"
            return await self._write(lambda: journal.failed(name, message, take=take))
        if not record.video_url:
            return await self._write(lambda: journal.failed(name, f"{lost}no video URL is known; {RETRY_HINT}", take=take))
        self._emit(record, Step.DOWNLOADING)
        for stale in staging.parent.glob(f".{staging.name}.*.part"):
            stale.unlink(missing_ok=True)  # left by a run that was killed mid-download
        try:
            await self.client.download(record.video_url, staging)
        except VideoExpired as err:
            message = f"{lost}{message_of(err)}; {RETRY_HINT}"
            return await self._write(lambda: journal.failed(name, message, take=take))
        except HailuoError as err:
            message = f"download failed: {message_of(err)}"
            return await self._write(lambda: journal.note_error(name, message, take=take))
        return None

    def _staging(self, name: str, record: ShotRecord, *, folder: Path | None = None) -> Path:
        task = re.sub(r"[^A-Za-z0-9_.-]", "_", record.task_id or "task")
        return (folder or self.out_dir) / f".{name}.{task}{VIDEO_SUFFIX}"


__all__ = ["VIDEO_SUFFIX", "Downloads", "video_name"]
