"""The journal's tables, and what it holds of a shot: its record and the history of its moves."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hailuo_dsl.render.states import ShotState

SCHEMA_VERSION = 3
TAKE_COLUMNS = """
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL,
    request_json TEXT,
    task_id TEXT,
    status TEXT,
    progress INTEGER NOT NULL DEFAULT 0,
    video_url TEXT,
    expires_at INTEGER,
    output TEXT,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    previous_tasks TEXT NOT NULL DEFAULT '[]',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL"""
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shots (
    name TEXT PRIMARY KEY,
    chosen_take INTEGER,
    chosen_by TEXT,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS takes (
    shot TEXT NOT NULL,
    take INTEGER NOT NULL,{TAKE_COLUMNS},
    parent_shot TEXT,
    parent_take INTEGER,
    frame_digest TEXT,
    frame_path TEXT,
    PRIMARY KEY (shot, take)
);
CREATE TABLE IF NOT EXISTS uploads (
    sha256 TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    uploaded_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS paid (
    task_id TEXT PRIMARY KEY,
    shot TEXT NOT NULL,
    take INTEGER NOT NULL,
    resolution TEXT,
    duration INTEGER,
    at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    shot TEXT NOT NULL,
    at REAL NOT NULL,
    old_state TEXT,
    new_state TEXT NOT NULL,
    task_id TEXT,
    detail TEXT,
    take INTEGER NOT NULL DEFAULT 1
);
"""
"""Schema 2: one ``takes`` row per (shot, take) with its task and, for a continued shot, its
lineage (the take whose last frame it starts on, and that frame's digest and file); one
``shots`` row per shot with the take chosen for continuations and the film. Schema 3 adds
``paid``: a row per task the API accepted (or a person adopted), with the resolution and duration
it was asked for, so a budget can count what a script has spent."""

_OLD_COLUMNS = (
    "request_hash, state, request_json, task_id, status, progress, video_url, expires_at, output, error,"
    " attempts, previous_tasks, created_at, updated_at"
)
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        # Every shot of schema 1 becomes its take 1, with every column kept (task ids, files,
        # the replaced tasks): no record of a paid task is lost. A downloaded one is its choice.
        f"CREATE TABLE takes (shot TEXT NOT NULL, take INTEGER NOT NULL,{TAKE_COLUMNS}, parent_shot TEXT,"
        " parent_take INTEGER, frame_digest TEXT, frame_path TEXT, PRIMARY KEY (shot, take))",
        f"INSERT INTO takes (shot, take, {_OLD_COLUMNS}) SELECT name, 1, {_OLD_COLUMNS} FROM shots",
        "DROP TABLE shots",
        "CREATE TABLE shots (name TEXT PRIMARY KEY, chosen_take INTEGER, chosen_by TEXT, updated_at REAL NOT NULL)",
        "INSERT INTO shots (name, chosen_take, chosen_by, updated_at) SELECT shot,"
        " CASE WHEN state = 'downloaded' THEN 1 END, CASE WHEN state = 'downloaded' THEN 'first-completed' END,"
        " updated_at FROM takes",
        "ALTER TABLE events ADD COLUMN take INTEGER NOT NULL DEFAULT 1",
    ),
    2: (
        # Every task a journal of schema 2 holds was paid for: its take's current task at that
        # take's request, and each replaced task (whose request was not kept) at that one too.
        "CREATE TABLE paid (task_id TEXT PRIMARY KEY, shot TEXT NOT NULL, take INTEGER NOT NULL, resolution TEXT,"
        " duration INTEGER, at REAL NOT NULL)",
        "INSERT OR IGNORE INTO paid SELECT task_id, shot, take, json_extract(request_json, '$.resolution'),"
        " json_extract(request_json, '$.duration'), updated_at FROM takes WHERE task_id IS NOT NULL",
        "INSERT OR IGNORE INTO paid SELECT old.value, t.shot, t.take, json_extract(t.request_json, '$.resolution'),"
        " json_extract(t.request_json, '$.duration'), t.created_at FROM takes AS t, json_each(t.previous_tasks) AS old",
    ),
}
"""The statements that bring a journal of schema N to N + 1, run in one transaction."""


@dataclass(frozen=True, slots=True)
class Lineage:
    """Where a continued shot's first frame came from: the parent shot's take whose last frame it
    is, the digest of that frame's pixels (part of the child's request hash) and the PNG file."""

    shot: str
    take: int
    digest: str
    frame: str


@dataclass(frozen=True, slots=True)
class ShotRecord:
    """One take of a shot as the journal knows it (a shot rendered once has take 1 alone)."""

    name: str
    request_hash: str
    state: ShotState
    request: dict[str, Any] | None
    task_id: str | None
    status: str | None
    progress: int
    video_url: str | None
    expires_at: int | None
    output: str | None
    error: str | None
    attempts: int
    previous_tasks: tuple[str, ...]
    created_at: float
    updated_at: float
    take: int = 1
    lineage: Lineage | None = None

    def to_json(self) -> dict[str, Any]:
        """The record as plain JSON values (``hailuo jobs --json``)."""
        lineage = self.lineage
        return {
            "shot": self.name,
            "take": self.take,
            "state": self.state.value,
            "request_hash": self.request_hash,
            "task_id": self.task_id,
            "status": self.status,
            "progress": self.progress,
            "video_url": self.video_url,
            "expires_at": self.expires_at,
            "output": self.output,
            "error": self.error,
            "attempts": self.attempts,
            "previous_tasks": list(self.previous_tasks),
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "continues": (
                None
                if lineage is None
                else {"shot": lineage.shot, "take": lineage.take, "frame_digest": lineage.digest, "frame": lineage.frame}
            ),
        }


@dataclass(frozen=True, slots=True)
class JournalEvent:
    """One recorded move of a shot's take (the journal's history, oldest first)."""

    shot: str
    at: float
    old: ShotState | None
    new: ShotState
    task_id: str | None
    detail: str | None
    take: int = 1


@dataclass(frozen=True, slots=True)
class Choice:
    """The take of a shot used downstream (continuations, the film), and who chose it:
    ``first-completed`` (the render, when the first take was on disk) or ``picked`` (a person)."""

    shot: str
    take: int
    by: str


@dataclass(frozen=True, slots=True)
class PaidTask:
    """A task the API accepted for a take (each one is paid), and the clip it was asked for."""

    task_id: str
    shot: str
    take: int
    resolution: str
    duration: int
    at: float


FIRST_COMPLETED = "first-completed"
PICKED = "picked"

COLUMNS = (
    "shot, request_hash, state, request_json, task_id, status, progress, video_url, expires_at, output, error,"
    " attempts, previous_tasks, created_at, updated_at, take, parent_shot, parent_take, frame_digest, frame_path"
)


def record_from_row(row: tuple[Any, ...]) -> ShotRecord:
    lineage = Lineage(row[16], int(row[17]), row[18], row[19]) if row[16] is not None else None
    return ShotRecord(
        name=row[0],
        request_hash=row[1],
        state=ShotState(row[2]),
        request=json.loads(row[3]) if row[3] else None,
        task_id=row[4],
        status=row[5],
        progress=int(row[6]),
        video_url=row[7],
        expires_at=row[8],
        output=row[9],
        error=row[10],
        attempts=int(row[11]),
        previous_tasks=tuple(json.loads(row[12])),
        created_at=float(row[13]),
        updated_at=float(row[14]),
        take=int(row[15]),
        lineage=lineage,
    )


def dump_request(request: dict[str, Any] | None) -> str | None:
    return json.dumps(request, sort_keys=True, ensure_ascii=False) if request is not None else None
