"""The journal's tables, and what it holds of a shot: its record and the history of its moves."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hailuo_dsl.render.states import ShotState

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shots (
    name TEXT PRIMARY KEY,
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
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS uploads (
    sha256 TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    uploaded_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    shot TEXT NOT NULL,
    at REAL NOT NULL,
    old_state TEXT,
    new_state TEXT NOT NULL,
    task_id TEXT,
    detail TEXT
);
"""


@dataclass(frozen=True, slots=True)
class ShotRecord:
    """One shot as the journal knows it."""

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

    def to_json(self) -> dict[str, Any]:
        """The record as plain JSON values (``hailuo jobs --json``)."""
        return {
            "shot": self.name,
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
        }


@dataclass(frozen=True, slots=True)
class JournalEvent:
    """One recorded move of a shot (the journal's history, oldest first)."""

    shot: str
    at: float
    old: ShotState | None
    new: ShotState
    task_id: str | None
    detail: str | None


COLUMNS = (
    "name, request_hash, state, request_json, task_id, status, progress, video_url, expires_at, output, error,"
    " attempts, previous_tasks, created_at, updated_at"
)


def record_from_row(row: tuple[Any, ...]) -> ShotRecord:
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
    )


def dump_request(request: dict[str, Any] | None) -> str | None:
    return json.dumps(request, sort_keys=True, ensure_ascii=False) if request is not None else None
