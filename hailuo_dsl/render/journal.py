"""The render journal: one SQLite row per take of a shot recording where its task stands.

A submit is not idempotent (each accepted submit is a paid task), so every step of a render is
written down and committed *before* the next one starts: ``submitting`` is on disk before the
request leaves, the task id right after it comes back, the download only once the file is in
place. A crash, a SIGKILL or Ctrl-C at any point therefore leaves a journal from which a rerun
resumes without ever sending a submit that may already have been accepted.

Where it lives: beside the script's real file (symlinks resolved), one journal per script and
API; see :mod:`hailuo_dsl.render.location`. ``--journal PATH`` picks another file. A journal
records the API it belongs to and refuses any other, and a file that is not a journal is refused
before anything in it changes.

The states and their moves are in :mod:`hailuo_dsl.render.states`. ``unknown`` is never left automatically: a person checks the account and then either adopts the
task found there (:meth:`Journal.adopt`) or forgets the shot (:meth:`Journal.forget`) so that the
next run submits it. :meth:`Journal.reset` starts a take over (a changed request, or a retry of
a failed one); the task it replaces is kept in ``previous_tasks``.

A shot rendered with ``@takes N`` (or ``--reroll``) has a row per take, each a paid task followed
on its own; every method takes the ``take`` (1 unless said). The ``shots`` table records each
shot's chosen take (:meth:`Journal.choose`), and a continued shot's take its lineage (the parent
take whose last frame it starts on, with the frame's digest).
"""

from __future__ import annotations

import json
import os
import sqlite3
from typing import Any

from hailuo_dsl.contract import DEFAULT_DURATION, DEFAULT_RESOLUTION
from hailuo_dsl.render.records import (
    COLUMNS,
    Choice,
    JournalEvent,
    Lineage,
    PaidTask,
    ShotRecord,
    dump_request,
    record_from_row,
)
from hailuo_dsl.render.states import TRANSITIONS, ShotState
from hailuo_dsl.render.store import JournalError, JournalStore

S = ShotState

DEFAULT_UPLOAD_MAX_AGE = 12 * 3600.0
"""How long an uploaded image's URL is reused (seconds). The API gives uploads no expiry; videos
last about 24 h, so half of that is a safe assumption."""


class Journal(JournalStore):
    """The SQLite journal of one script's render: a row per take of a shot, the take chosen for
    each shot, and the history of their moves.

    Not thread-safe: use it from one thread (the render's event loop). Use as a context manager
    or call :meth:`close`.
    """

    def __enter__(self) -> Journal:
        return self

    # -- reading --------------------------------------------------------------------------------

    def get(self, name: str, take: int = 1) -> ShotRecord | None:
        row = self._db.execute(f"SELECT {COLUMNS} FROM takes WHERE shot = ? AND take = ?", (name, take)).fetchone()
        return record_from_row(row) if row is not None else None

    def records(self) -> list[ShotRecord]:
        """Every take of every shot in the journal, by name, then take."""
        return [record_from_row(row) for row in self._db.execute(f"SELECT {COLUMNS} FROM takes ORDER BY shot, take")]

    def takes(self, name: str) -> list[ShotRecord]:
        """The takes of one shot, in order."""
        rows = self._db.execute(f"SELECT {COLUMNS} FROM takes WHERE shot = ? ORDER BY take", (name,))
        return [record_from_row(row) for row in rows]

    def events(self, name: str | None = None) -> list[JournalEvent]:
        """The recorded moves, oldest first (of one shot's takes, or of all)."""
        query = "SELECT shot, at, old_state, new_state, task_id, detail, take FROM events"
        rows = self._db.execute(query + (" WHERE shot = ? ORDER BY id" if name else " ORDER BY id"), (name,) if name else ())
        return [JournalEvent(r[0], r[1], ShotState(r[2]) if r[2] else None, ShotState(r[3]), r[4], r[5], int(r[6])) for r in rows]

    def choice(self, name: str) -> Choice | None:
        """The take chosen for ``name``, if one was."""
        row = self._db.execute("SELECT chosen_take, chosen_by FROM shots WHERE name = ?", (name,)).fetchone()
        return Choice(name, int(row[0]), str(row[1])) if row is not None and row[0] is not None else None

    def paid(self) -> list[PaidTask]:
        """Every task the API accepted for this journal's takes (each one paid for), oldest first."""
        rows = self._db.execute("SELECT task_id, shot, take, resolution, duration, at FROM paid ORDER BY at, rowid")
        return [
            PaidTask(r[0], r[1], int(r[2]), r[3] or DEFAULT_RESOLUTION, int(r[4] or DEFAULT_DURATION), float(r[5])) for r in rows
        ]

    # -- moves ----------------------------------------------------------------------------------

    def add(
        self,
        name: str,
        request_hash: str,
        request: dict[str, Any] | None = None,
        *,
        take: int = 1,
        lineage: Lineage | None = None,
    ) -> ShotRecord:
        """Record a new take as ``pending``; ``JournalError`` if the journal already has it."""
        now = self._clock()
        with self._transaction():
            try:
                self._db.execute(
                    "INSERT INTO takes (shot, take, request_hash, state, request_json, created_at, updated_at,"
                    " parent_shot, parent_take, frame_digest, frame_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (name, take, request_hash, S.PENDING.value, dump_request(request), now, now, *_lineage(lineage)),
                )
            except sqlite3.IntegrityError:
                raise JournalError(f"take {take} of shot {name!r} is already in the journal") from None
            self._db.execute("INSERT OR IGNORE INTO shots (name, updated_at) VALUES (?, ?)", (name, now))
            self._event(name, take, None, S.PENDING, None, "added")
        return self._must(name, take)

    def reset(
        self,
        name: str,
        request_hash: str,
        request: dict[str, Any] | None = None,
        *,
        reason: str,
        take: int = 1,
        lineage: Lineage | None = None,
    ) -> ShotRecord:
        """Start a take over as ``pending`` (a changed request, a retry, a forgotten submit).

        Its task, if any, goes to ``previous_tasks``; the attempt count is kept. When the request
        changed, a choice of this take is dropped: its video is of another request.
        """
        with self._transaction():
            old = self._must(name, take)
            previous = old.previous_tasks + ((old.task_id,) if old.task_id else ())
            self._db.execute(
                "UPDATE takes SET request_hash = ?, state = ?, request_json = ?, task_id = NULL, status = NULL, progress = 0,"
                " video_url = NULL, expires_at = NULL, error = NULL, previous_tasks = ?, updated_at = ?,"
                " parent_shot = ?, parent_take = ?, frame_digest = ?, frame_path = ? WHERE shot = ? AND take = ?",
                (
                    request_hash,
                    S.PENDING.value,
                    dump_request(request),
                    json.dumps(previous),
                    self._clock(),
                    *_lineage(lineage if lineage is not None or request_hash != old.request_hash else old.lineage),
                    name,
                    take,
                ),
            )
            if request_hash != old.request_hash:
                self._db.execute(
                    "UPDATE shots SET chosen_take = NULL, chosen_by = NULL WHERE name = ? AND chosen_take = ?", (name, take)
                )
            self._event(name, take, old.state, S.PENDING, old.task_id, reason)
        return self._must(name, take)

    def begin_submit(self, name: str, *, take: int = 1) -> ShotRecord:
        """``pending`` -> ``submitting``, committed before the submit is sent (counts an attempt)."""
        return self._move(name, take, S.SUBMITTING, extra={"error": None}, attempts=1, detail="submit about to be sent")

    def submitted(self, name: str, task_id: str, *, take: int = 1, status: str | None = None, progress: int = 0) -> ShotRecord:
        """``submitting`` -> ``submitted``: the API accepted the submit and named the task."""
        extra = {"task_id": task_id, "status": status, "progress": progress}
        return self._move(name, take, S.SUBMITTED, extra=extra, task_id=task_id, paid=True)

    def submit_unknown(self, name: str, error: str, *, take: int = 1) -> ShotRecord:
        """``submitting`` -> ``unknown``: the submit may have created a task; never resubmitted automatically."""
        return self._move(name, take, S.UNKNOWN, extra={"error": error}, detail=error)

    def submit_refused(self, name: str, error: str, *, final: bool, take: int = 1) -> ShotRecord:
        """The API refused the submit, so no task exists: ``failed`` if the request itself is at
        fault (``final``), else back to ``pending`` for the next run."""
        return self._move(name, take, S.FAILED if final else S.PENDING, extra={"error": error}, detail=error)

    def progress(self, name: str, *, status: str | None, progress: int, take: int = 1) -> ShotRecord:
        """Record a poll of a running task (no change of state)."""
        return self._move(name, take, S.SUBMITTED, extra={"status": status, "progress": progress}, log=False)

    def completed(
        self, name: str, *, video_url: str, expires_at: int | None, status: str | None = "completed", take: int = 1
    ) -> ShotRecord:
        """``submitted`` -> ``completed``: the video is ready at ``video_url`` until ``expires_at``."""
        extra = {"video_url": video_url, "expires_at": expires_at, "status": status, "progress": 100, "error": None}
        return self._move(name, take, S.COMPLETED, extra=extra)

    def failed(self, name: str, error: str, *, status: str | None = None, take: int = 1) -> ShotRecord:
        """The task failed, or its video is gone (or broken) before it was downloaded."""
        extra: dict[str, Any] = {"error": error}
        if status is not None:
            extra["status"] = status
        return self._move(name, take, S.FAILED, extra=extra, detail=error)

    def downloaded(self, name: str, output: str | os.PathLike[str], *, take: int = 1) -> ShotRecord:
        """``completed`` -> ``downloaded``: the video is saved (and was checked) as ``output``."""
        return self._move(name, take, S.DOWNLOADED, extra={"output": str(output), "error": None}, detail=str(output))

    def note_error(self, name: str, error: str | None, *, take: int = 1) -> ShotRecord:
        """Record a problem that changes no state (a poll that could not reach the API, say)."""
        with self._transaction():
            self._db.execute(
                "UPDATE takes SET error = ?, updated_at = ? WHERE shot = ? AND take = ?", (error, self._clock(), name, take)
            )
        return self._must(name, take)

    def adopt(self, name: str, task_id: str, *, take: int = 1) -> ShotRecord:
        """An ``unknown`` take's task was found (in the account): follow that task from now on.

        Only an ``unknown`` take: a known task is never replaced (and so lost) this way."""
        state = self._must(name, take).state
        if state is not S.UNKNOWN:
            raise JournalError(f"{_called(name, take)} is {state.value}, not unknown: only an unknown shot adopts a task")
        return self._move(
            name, take, S.SUBMITTED, extra={"task_id": task_id, "error": None}, task_id=task_id, detail="adopted", paid=True
        )

    def forget(self, name: str, *, take: int = 1) -> ShotRecord:
        """Drop what is known of a take's submit so that the next run submits it again.

        Only for a person who checked the account and found no task (or wants a new one).
        """
        old = self._must(name, take)
        return self.reset(name, old.request_hash, old.request, reason="forgotten", take=take)

    def choose(self, name: str, take: int, *, by: str) -> Choice:
        """Make ``take`` the one used downstream: continuations start on its last frame, the film
        shows it. ``by`` says who chose (``records.FIRST_COMPLETED``, ``records.PICKED``)."""
        with self._transaction():
            self._must(name, take)
            self._db.execute(
                "INSERT INTO shots (name, chosen_take, chosen_by, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name)"
                " DO UPDATE SET chosen_take = excluded.chosen_take, chosen_by = excluded.chosen_by, updated_at = excluded.updated_at",
                (name, take, by, self._clock()),
            )
        return Choice(name, take, by)

    def recover(self) -> list[ShotRecord]:
        """After a run that stopped while submitting: each ``submitting`` take becomes ``unknown``."""
        stale = [r for r in self.records() if r.state is S.SUBMITTING]
        return [
            self.submit_unknown(
                r.name, "the run stopped while this submit was in flight; it may have created a task", take=r.take
            )
            for r in stale
        ]

    # -- uploads --------------------------------------------------------------------------------

    def upload_url(self, sha256: str, *, max_age: float = DEFAULT_UPLOAD_MAX_AGE) -> str | None:
        """The URL an image with this content was uploaded to, if still young enough to reuse
        (``sha256`` is the key the caller chose: the pipeline adds the API's base URL)."""
        row = self._db.execute("SELECT url, uploaded_at FROM uploads WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None or self._clock() - float(row[1]) >= max_age:
            return None
        return str(row[0])

    def record_upload(self, sha256: str, url: str) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO uploads (sha256, url, uploaded_at) VALUES (?, ?, ?)", (sha256, url, self._clock())
            )

    # -- internals ------------------------------------------------------------------------------

    def _must(self, name: str, take: int = 1) -> ShotRecord:
        record = self.get(name, take)
        if record is None:
            raise JournalError(f"{_called(name, take)} is not in the journal")
        return record

    def _move(
        self,
        name: str,
        take: int,
        new: ShotState,
        *,
        extra: dict[str, Any],
        attempts: int = 0,
        task_id: str | None = None,
        detail: str | None = None,
        log: bool = True,
        paid: bool = False,
    ) -> ShotRecord:
        """Move a take to ``new`` (one transaction); ``paid``: ``task_id`` is a task the API
        accepted for the take's request, recorded in ``paid``."""
        with self._transaction():
            old = self._must(name, take)
            if new not in TRANSITIONS[old.state]:
                raise JournalError(f"{_called(name, take)}: cannot go from {old.state.value} to {new.value}")
            columns = {"state": new.value, **extra}
            assignments = ", ".join(f"{key} = ?" for key in columns)
            self._db.execute(
                f"UPDATE takes SET {assignments}, attempts = attempts + ?, updated_at = ? WHERE shot = ? AND take = ?",
                (*columns.values(), attempts, self._clock(), name, take),
            )
            if log:
                self._event(name, take, old.state, new, task_id or old.task_id, detail)
            if paid and task_id is not None:
                request = old.request or {}
                self._db.execute(
                    "INSERT OR IGNORE INTO paid (task_id, shot, take, resolution, duration, at) VALUES (?, ?, ?, ?, ?, ?)",
                    (task_id, name, take, request.get("resolution"), request.get("duration"), self._clock()),
                )
        return self._must(name, take)

    def _event(
        self, name: str, take: int, old: ShotState | None, new: ShotState, task_id: str | None, detail: str | None
    ) -> None:
        self._db.execute(
            "INSERT INTO events (shot, take, at, old_state, new_state, task_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, take, self._clock(), old.value if old else None, new.value, task_id, detail),
        )


def _lineage(lineage: Lineage | None) -> tuple[str | None, int | None, str | None, str | None]:
    if lineage is None:
        return None, None, None, None
    return lineage.shot, lineage.take, lineage.digest, lineage.frame


def _called(name: str, take: int) -> str:
    """How a message names a take: ``shot 'a'`` (take 1), ``take 2 of shot 'a'``."""
    return f"shot {name!r}" if take == 1 else f"take {take} of shot {name!r}"


__all__ = ["DEFAULT_UPLOAD_MAX_AGE", "Journal"]
