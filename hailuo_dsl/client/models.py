"""The task object the API answers, read leniently (contract §4).

Both submit shapes are understood (``{"id": ...}`` and the older ``{"data": [{"task_id": ...}]}``),
``submitted`` means ``queued``, the video URL is read from ``result.data[0].url`` or a top-level
``url``, and a status this code does not know is kept as ``TaskStatus.UNKNOWN`` with its raw text:
never final, so a wait on it ends at its deadline rather than looping forever or stopping early.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from hailuo_dsl.contract import FINAL_STATUSES as CONTRACT_FINAL
from hailuo_dsl.contract import STATUS_ALIASES, Status


class TaskStatus(str, enum.Enum):
    """Where a task is (contract §4); ``UNKNOWN`` stands for any status text the contract does not name."""

    QUEUED = Status.QUEUED.value
    IN_PROGRESS = Status.IN_PROGRESS.value
    COMPLETED = Status.COMPLETED.value
    FAILED = Status.FAILED.value
    UNKNOWN = "unknown"


_STATUS_ALIASES = {text: TaskStatus(status.value) for text, status in STATUS_ALIASES.items()}
FINAL_STATUSES = frozenset(TaskStatus(status.value) for status in CONTRACT_FINAL)


class TaskError(BaseModel):
    """Why a task failed (or why a call was refused): ``code`` may be a number or a string."""

    model_config = ConfigDict(frozen=True)

    code: int | str | None = None
    message: str = ""
    type: str | None = None

    @classmethod
    def from_api(cls, value: Any) -> TaskError:
        """Read an ``error`` member whatever its shape: an object, a bare string or a code."""
        if isinstance(value, Mapping):
            code = value.get("code")
            message = value.get("message") or value.get("msg") or value.get("detail") or ""
            kind = value.get("type")
            return cls(
                code=code if isinstance(code, (int, str)) and not isinstance(code, bool) else None,
                message=str(message),
                type=str(kind) if kind is not None else None,
            )
        if isinstance(value, str):
            return cls(message=value)
        return cls(message=str(value) if value is not None else "")


class Task(BaseModel):
    """One generation task as the API last described it; ``raw`` keeps the answer as received."""

    model_config = ConfigDict(frozen=True)

    id: str
    status: TaskStatus
    status_text: str
    progress: int = 0
    created_at: int | None = None
    completed_at: int | None = None
    expires_at: int | None = None
    video_url: str | None = None
    error: TaskError | None = None
    raw: dict[str, Any]

    @property
    def is_final(self) -> bool:
        """True once the task is completed or failed; an unknown status is never final."""
        return self.status in FINAL_STATUSES

    @classmethod
    def from_api(cls, data: Any) -> Task:
        """Read a submit or query answer; ``ValueError`` when it holds no task id."""
        if not isinstance(data, Mapping):
            raise ValueError("the answer is not a JSON object")
        item: Mapping[str, Any] = data
        task_id = data.get("id")
        if not _is_id(task_id):
            first = _first(data.get("data"))
            if first is not None and _is_id(first.get("task_id") or first.get("id")):
                item = first
                task_id = first.get("task_id") or first.get("id")
        if not _is_id(task_id):
            raise ValueError("the answer holds no task id")
        status_text = str(item.get("status") or data.get("status") or "")
        error = item.get("error") if item.get("error") is not None else data.get("error")
        return cls(
            id=str(task_id),
            status=parse_status(status_text),
            status_text=status_text,
            progress=_progress(item.get("progress")),
            created_at=_seconds(item.get("created_at")),
            completed_at=_seconds(item.get("completed_at")),
            expires_at=_seconds(item.get("expires_at")),
            video_url=_video_url(item),
            error=TaskError.from_api(error) if error is not None else None,
            raw=dict(data),
        )


def parse_status(text: str) -> TaskStatus:
    """The status a text stands for; any text the contract does not name is ``UNKNOWN``."""
    key = text.strip().lower()
    if key in _STATUS_ALIASES:
        return _STATUS_ALIASES[key]
    try:
        status = TaskStatus(key)
    except ValueError:
        return TaskStatus.UNKNOWN
    return status


def _is_id(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool) and str(value) != ""


def _first(value: Any) -> Mapping[str, Any] | None:
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        return value[0]
    if isinstance(value, Mapping):
        return value
    return None


def _progress(value: Any) -> int:
    if isinstance(value, str):
        value = value.strip().rstrip("%")
    number = _finite(value)
    return 0 if number is None else max(0, min(100, int(number)))


_LAST_SECOND = 253_402_300_799
"""The end of year 9999 as a Unix time: the last a date can show (and a journal column hold)."""


def _seconds(value: Any) -> int | None:
    """A Unix time in seconds; None for anything else, and for a time no date can show (a
    server's 1e300 once stopped a render with an OverflowError from the journal)."""
    number = None if isinstance(value, bool) else _finite(value)
    return int(number) if number is not None and 0 <= number <= _LAST_SECOND else None


def _finite(value: Any) -> float | None:
    """A number read from a number or its text; None for anything else, NaN and the infinities."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _video_url(item: Mapping[str, Any]) -> str | None:
    result = item.get("result")
    if isinstance(result, Mapping):
        first = _first(result.get("data"))
        if first is not None and isinstance(first.get("url"), str):
            return str(first["url"])
        if isinstance(result.get("url"), str):
            return str(result["url"])
    url = item.get("url") or item.get("video_url")
    return url if isinstance(url, str) and url else None
