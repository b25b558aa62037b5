"""The render journal: one SQLite row per shot recording where its task stands.

A submit is not idempotent (each accepted submit is a paid task), so every step of a render is
written down and committed *before* the next one starts: ``submitting`` is on disk before the
request leaves, the task id right after it comes back, the download only once the file is in
place. A crash, a SIGKILL or Ctrl-C at any point therefore leaves a journal from which a rerun
resumes without ever sending a submit that may already have been accepted.

Where it lives: ``<script folder>/.hailuo/<script file name>.journal.sqlite``. One journal per
script, because shot names are unique only within a script; the hidden folder keeps SQLite's
``-wal``/``-shm`` companions out of the way. Renders against the emulator keep their own journal
(``<script file name>.emulator.journal.sqlite``). ``--journal PATH`` picks another file.

The states and their moves are in :mod:`hailuo_dsl.render.states`. ``unknown`` is never left automatically: a person checks the account and then either adopts the
task found there (:meth:`Journal.adopt`) or forgets the shot (:meth:`Journal.forget`) so that the
next run submits it. :meth:`Journal.reset` starts a shot over (a changed request, or a retry of
a failed one); the task it replaces is kept in ``previous_tasks``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from hailuo_dsl.render.records import COLUMNS, SCHEMA, SCHEMA_VERSION, JournalEvent, ShotRecord, dump_request, record_from_row
from hailuo_dsl.render.states import TRANSITIONS, ShotState

S = ShotState

JOURNAL_FOLDER = ".hailuo"
JOURNAL_SUFFIX = ".journal.sqlite"
DEFAULT_UPLOAD_MAX_AGE = 12 * 3600.0
"""How long an uploaded image's URL is reused (seconds). The API gives uploads no expiry; videos
last about 24 h, so half of that is a safe assumption."""


class JournalError(Exception):
    """A journal that cannot be opened or used, or a move the state machine does not allow."""


def default_journal_path(script: str | os.PathLike[str], *, emulator: bool = False) -> Path:
    """The journal of a script: ``<script folder>/.hailuo/<script file name>.journal.sqlite``
    (``<script file name>.emulator.journal.sqlite`` for renders against the emulator, so that
    trial runs never pass for real videos)."""
    path = Path(script).absolute()
    return path.parent / JOURNAL_FOLDER / (path.name + (".emulator" if emulator else "") + JOURNAL_SUFFIX)


class Journal:
    """The SQLite journal of one script's render (WAL mode, every change committed at once).

    Not thread-safe: use it from one thread (the render's event loop). Use as a context manager
    or call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike[str], *, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self._clock = clock
        self._lock_handle: Any = None
        self._in_batch = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
        except (OSError, sqlite3.Error) as err:
            raise JournalError(f"{self.path}: cannot open the journal: {err}") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._migrate()
        except sqlite3.DatabaseError as err:
            self._db.close()
            raise JournalError(f"{self.path}: not a usable journal: {err}") from None
        except JournalError:
            self._db.close()
            raise

    # -- life cycle -----------------------------------------------------------------------------

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.release()
        self._db.close()

    def _migrate(self) -> None:
        with self._transaction():
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                self._db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise JournalError(
                    f"{self.path}: journal schema {row[0]} is newer than this hailuo understands ({SCHEMA_VERSION}); upgrade hailuo"
                )
        # Another program's database with tables of the same names fails here, not mid-run.
        self._db.execute(f"SELECT {COLUMNS} FROM shots LIMIT 0")
        self._db.execute("SELECT sha256, url, uploaded_at FROM uploads LIMIT 0")
        self._db.execute("SELECT shot, at, old_state, new_state, task_id, detail FROM events LIMIT 0")

    @property
    def schema_version(self) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0])

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """SQLite's own failures while writing (a full disk, a lock held too long) as a one-line
        ``JournalError``."""
        try:
            yield
        except sqlite3.Error as err:
            raise JournalError(f"{self.path}: cannot write the journal: {err}") from None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction, committed (durably, ``synchronous=FULL``) when the block ends;
        inside :meth:`batch`, a savepoint of the batch's transaction instead."""
        with self._writing():
            if self._in_batch:
                self._db.execute("SAVEPOINT move")
                try:
                    yield
                except BaseException:
                    self._db.execute("ROLLBACK TO move")
                    self._db.execute("RELEASE move")
                    raise
                self._db.execute("RELEASE move")
                return
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group the moves made in the block into one transaction: one disk sync for all of them
        (group commit). Each move still succeeds or fails alone; none is on disk, and so none
        may be acted on, before the block ends."""
        if self._in_batch:
            yield
            return
        with self._writing():
            self._db.execute("BEGIN IMMEDIATE")
            self._in_batch = True
            try:
                yield
            except BaseException:
                self._in_batch = False
                self._db.execute("ROLLBACK")
                raise
            self._in_batch = False
            self._db.execute("COMMIT")

    def acquire(self) -> None:
        """Take the journal for one render run; ``JournalError`` if another run holds it.

        The lock is an OS file lock, so a killed run releases it with its process.
        """
        if self._lock_handle is not None:
            return
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no cross-process guard
            self._lock_handle = True
            return
        handle = open(str(self.path) + ".lock", "a+")  # held open for the whole run
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise JournalError(f"{self.path}: another hailuo render is using this journal") from None
        self._lock_handle = handle

    def release(self) -> None:
        """Give up the run lock taken by :meth:`acquire`."""
        handle, self._lock_handle = self._lock_handle, None
        if handle is not None and handle is not True:
            handle.close()

    # -- reading --------------------------------------------------------------------------------

    def get(self, name: str) -> ShotRecord | None:
        row = self._db.execute(f"SELECT {COLUMNS} FROM shots WHERE name = ?", (name,)).fetchone()
        return record_from_row(row) if row is not None else None

    def records(self) -> list[ShotRecord]:
        """Every shot in the journal, by name."""
        return [record_from_row(row) for row in self._db.execute(f"SELECT {COLUMNS} FROM shots ORDER BY name")]

    def events(self, name: str | None = None) -> list[JournalEvent]:
        """The recorded moves, oldest first (of one shot, or of all)."""
        query = "SELECT shot, at, old_state, new_state, task_id, detail FROM events"
        rows = self._db.execute(query + (" WHERE shot = ? ORDER BY id" if name else " ORDER BY id"), (name,) if name else ())
        return [JournalEvent(r[0], r[1], ShotState(r[2]) if r[2] else None, ShotState(r[3]), r[4], r[5]) for r in rows]

    # -- moves ----------------------------------------------------------------------------------

    def add(self, name: str, request_hash: str, request: dict[str, Any] | None = None) -> ShotRecord:
        """Record a new shot as ``pending``; ``JournalError`` if the journal already has it."""
        now = self._clock()
        with self._transaction():
            try:
                self._db.execute(
                    "INSERT INTO shots (name, request_hash, state, request_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (name, request_hash, S.PENDING.value, dump_request(request), now, now),
                )
            except sqlite3.IntegrityError:
                raise JournalError(f"shot {name!r} is already in the journal") from None
            self._event(name, None, S.PENDING, None, "added")
        return self._must(name)

    def reset(self, name: str, request_hash: str, request: dict[str, Any] | None = None, *, reason: str) -> ShotRecord:
        """Start a shot over as ``pending`` (a changed request, a retry, a forgotten submit).

        Its task, if any, goes to ``previous_tasks``; the attempt count is kept.
        """
        with self._transaction():
            old = self._must(name)
            previous = old.previous_tasks + ((old.task_id,) if old.task_id else ())
            self._db.execute(
                "UPDATE shots SET request_hash = ?, state = ?, request_json = ?, task_id = NULL, status = NULL, progress = 0,"
                " video_url = NULL, expires_at = NULL, error = NULL, previous_tasks = ?, updated_at = ? WHERE name = ?",
                (request_hash, S.PENDING.value, dump_request(request), json.dumps(previous), self._clock(), name),
            )
            self._event(name, old.state, S.PENDING, old.task_id, reason)
        return self._must(name)

    def begin_submit(self, name: str) -> ShotRecord:
        """``pending`` -> ``submitting``, committed before the submit is sent (counts an attempt)."""
        return self._move(name, S.SUBMITTING, extra={"error": None}, attempts=1, detail="submit about to be sent")

    def submitted(self, name: str, task_id: str, *, status: str | None = None, progress: int = 0) -> ShotRecord:
        """``submitting`` -> ``submitted``: the API accepted the submit and named the task."""
        return self._move(name, S.SUBMITTED, extra={"task_id": task_id, "status": status, "progress": progress}, task_id=task_id)

    def submit_unknown(self, name: str, error: str) -> ShotRecord:
        """``submitting`` -> ``unknown``: the submit may have created a task; never resubmitted automatically."""
        return self._move(name, S.UNKNOWN, extra={"error": error}, detail=error)

    def submit_refused(self, name: str, error: str, *, final: bool) -> ShotRecord:
        """The API refused the submit, so no task exists: ``failed`` if the request itself is at
        fault (``final``), else back to ``pending`` for the next run."""
        return self._move(name, S.FAILED if final else S.PENDING, extra={"error": error}, detail=error)

    def progress(self, name: str, *, status: str | None, progress: int) -> ShotRecord:
        """Record a poll of a running task (no change of state)."""
        return self._move(name, S.SUBMITTED, extra={"status": status, "progress": progress}, log=False)

    def completed(self, name: str, *, video_url: str, expires_at: int | None, status: str | None = "completed") -> ShotRecord:
        """``submitted`` -> ``completed``: the video is ready at ``video_url`` until ``expires_at``."""
        return self._move(
            name,
            S.COMPLETED,
            extra={"video_url": video_url, "expires_at": expires_at, "status": status, "progress": 100, "error": None},
        )

    def failed(self, name: str, error: str, *, status: str | None = None) -> ShotRecord:
        """The task failed, or its video is gone before it was downloaded."""
        extra: dict[str, Any] = {"error": error}
        if status is not None:
            extra["status"] = status
        return self._move(name, S.FAILED, extra=extra, detail=error)

    def downloaded(self, name: str, output: str | os.PathLike[str]) -> ShotRecord:
        """``completed`` -> ``downloaded``: the video is saved as ``output``."""
        return self._move(name, S.DOWNLOADED, extra={"output": str(output), "error": None}, detail=str(output))

    def note_error(self, name: str, error: str | None) -> ShotRecord:
        """Record a problem that changes no state (a poll that could not reach the API, say)."""
        with self._transaction():
            self._db.execute("UPDATE shots SET error = ?, updated_at = ? WHERE name = ?", (error, self._clock(), name))
        return self._must(name)

    def adopt(self, name: str, task_id: str) -> ShotRecord:
        """An ``unknown`` shot's task was found (in the account): follow that task from now on.

        Only an ``unknown`` shot: a known task is never replaced (and so lost) this way."""
        state = self._must(name).state
        if state is not S.UNKNOWN:
            raise JournalError(f"shot {name!r} is {state.value}, not unknown: only an unknown shot adopts a task")
        return self._move(name, S.SUBMITTED, extra={"task_id": task_id, "error": None}, task_id=task_id, detail="adopted")

    def forget(self, name: str) -> ShotRecord:
        """Drop what is known of a shot's submit so that the next run submits it again.

        Only for a person who checked the account and found no task (or wants a new one).
        """
        old = self._must(name)
        return self.reset(name, old.request_hash, old.request, reason="forgotten")

    def recover(self) -> list[ShotRecord]:
        """After a run that stopped while submitting: each ``submitting`` shot becomes ``unknown``."""
        stale = [r for r in self.records() if r.state is S.SUBMITTING]
        return [
            self.submit_unknown(r.name, "the run stopped while this submit was in flight; it may have created a task")
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

    def _must(self, name: str) -> ShotRecord:
        record = self.get(name)
        if record is None:
            raise JournalError(f"shot {name!r} is not in the journal")
        return record

    def _move(
        self,
        name: str,
        new: ShotState,
        *,
        extra: dict[str, Any],
        attempts: int = 0,
        task_id: str | None = None,
        detail: str | None = None,
        log: bool = True,
    ) -> ShotRecord:
        with self._transaction():
            old = self._must(name)
            if new not in TRANSITIONS[old.state]:
                raise JournalError(f"shot {name!r}: cannot go from {old.state.value} to {new.value}")
            columns = {"state": new.value, **extra}
            assignments = ", ".join(f"{key} = ?" for key in columns)
            self._db.execute(
                f"UPDATE shots SET {assignments}, attempts = attempts + ?, updated_at = ? WHERE name = ?",
                (*columns.values(), attempts, self._clock(), name),
            )
            if log:
                self._event(name, old.state, new, task_id or old.task_id, detail)
        return self._must(name)

    def _event(self, name: str, old: ShotState | None, new: ShotState, task_id: str | None, detail: str | None) -> None:
        self._db.execute(
            "INSERT INTO events (shot, at, old_state, new_state, task_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (name, self._clock(), old.value if old else None, new.value, task_id, detail),
        )
