"""The journal's SQLite file: opening it (refusing another program's file before changing
anything), its schema, its transactions and group-commit batches, the API it belongs to, and the
lock one render run holds on it. :class:`hailuo_dsl.render.journal.Journal` adds the shots.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from hailuo_dsl.render.records import COLUMNS, MIGRATIONS, SCHEMA, SCHEMA_VERSION


class JournalError(Exception):
    """A journal that cannot be opened or used, or a move the state machine does not allow."""


class JournalStore:
    """The journal's SQLite file: opened and checked, its transactions, the API it belongs to and
    the run lock (WAL mode, every change committed durably at once)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], float] = time.time,
        endpoint: str | None = None,
        create: bool = True,
    ) -> None:
        """Open (with ``create``, make) the journal at ``path``. A file that is not a hailuo journal
        is refused before anything in it changes. ``endpoint`` names the API the run talks to: a
        journal records the first one that uses it and refuses any other."""
        self.path = Path(path)
        self._clock = clock
        self._lock_handle: Any = None
        self._in_batch = False
        self.claimed_now = False
        """True when this opening recorded ``endpoint`` in a journal that named none."""
        if not create and not self.path.is_file():
            raise JournalError(f"{self.path}: no journal here")
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
        except (OSError, sqlite3.Error) as err:
            raise JournalError(f"{self.path}: cannot open the journal: {err}") from None
        try:
            self._check_is_journal(create)
            if create:
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._migrate()  # a journal of an older schema is brought up to date, whoever opens it
            if endpoint is not None:
                self._claim(endpoint)
        except sqlite3.DatabaseError as err:
            self._db.close()
            raise JournalError(f"{self.path}: not a usable journal: {err}") from None
        except JournalError:
            self._db.close()
            raise

    # -- life cycle -----------------------------------------------------------------------------

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.release()
        self._db.close()

    def _check_is_journal(self, create: bool) -> None:
        """Refuse, before any change, a file that is another program's (an SQLite database with
        other tables, or no database at all); an empty one is a new journal only with ``create``."""
        try:
            tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as err:
            raise JournalError(f"{self.path}: not a hailuo journal ({err}); nothing was changed") from None
        if not tables and create:
            return
        version = None
        if {"meta", "shots"} <= tables:
            version = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if version is None:
            found = ", ".join(sorted(tables)[:5]) or "none"
            raise JournalError(f"{self.path}: not a hailuo journal (its tables: {found}); nothing was changed")

    def _migrate(self) -> None:
        """Make the tables of a new journal, or bring an older one to :data:`SCHEMA_VERSION` (each
        step in :data:`MIGRATIONS`, all in one transaction: a crash leaves the old journal whole)."""
        tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        found = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() if "meta" in tables else None
        version = int(found[0]) if found is not None else SCHEMA_VERSION
        if version > SCHEMA_VERSION:
            raise JournalError(
                f"{self.path}: journal schema {version} is newer than this hailuo understands ({SCHEMA_VERSION}); upgrade hailuo"
            )
        if found is not None and version == SCHEMA_VERSION and "takes" in tables:
            self._check_tables()
            return
        with self._transaction():
            while version < SCHEMA_VERSION:
                for statement in MIGRATIONS[version]:
                    self._db.execute(statement)
                version += 1
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        self._check_tables()

    def _check_tables(self) -> None:
        """Another program's database with tables of the same names fails here, not mid-run."""
        self._db.execute(f"SELECT {COLUMNS} FROM takes LIMIT 0")
        self._db.execute("SELECT name, chosen_take, chosen_by, updated_at FROM shots LIMIT 0")
        self._db.execute("SELECT sha256, url, uploaded_at FROM uploads LIMIT 0")
        self._db.execute("SELECT shot, take, at, old_state, new_state, task_id, detail FROM events LIMIT 0")
        self._db.execute("SELECT task_id, shot, take, resolution, duration, at FROM paid LIMIT 0")

    @property
    def endpoint(self) -> str | None:
        """The API whose tasks this journal records (None in a journal of an older hailuo)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'endpoint'").fetchone()
        return str(row[0]) if row is not None else None

    def _claim(self, endpoint: str) -> None:
        recorded = self.endpoint
        if recorded == endpoint:
            return
        if recorded is not None:
            raise JournalError(
                f"{self.path}: this journal records the tasks of {recorded}, not of {endpoint}; "
                "render against that API, or give another --journal"
            )
        with self._transaction():
            self._db.execute("INSERT INTO meta (key, value) VALUES ('endpoint', ?)", (endpoint,))
        self.claimed_now = True

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file (before the file is moved)."""
        with self._writing():
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

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
