"""The emulator's data: parsed HTTP requests and answers, emulated time, tasks and counters."""

from __future__ import annotations

import enum
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

from hailuo_dsl.contract import MODEL_NAME, STATUS_ALIASES, VIDEO_LIFETIME, Status

EXPIRY_SECONDS = VIDEO_LIFETIME
OLD_QUEUED = next(text for text, status in STATUS_ALIASES.items() if status is Status.QUEUED)
"""``submitted``: how the older revision of the API says ``queued``."""
QUEUED_SHARE = 0.1  # the first tenth of a task's time is spent queued
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "insufficient_balance",
    404: "not_found_error",
    405: "invalid_request_error",
    422: "content_policy_violation",
    429: "rate_limit_error",
    500: "server_error",
}


class ConnectionAction(enum.Enum):
    """What the server does with the connection after handling a request."""

    ANSWER = "answer"
    DROP = "drop"  # close without answering
    CUT = "cut"  # announce the whole body, send half, close


@dataclass
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpResponse:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0
    action: ConnectionAction = ConnectionAction.ANSWER
    produce: Callable[[], bytes] | None = None  # makes the body in a worker thread (a video takes a while)


class EmulatorClock:
    """Emulated Unix time: real time scaled by ``time_scale``, plus any manual ``advance``.

    Changing ``time_scale`` at run time changes the speed from that moment on; time never jumps.
    """

    def __init__(self, time_scale: float) -> None:
        self._base_real = time.monotonic()
        self._base_emulated = time.time()
        self._scale = 0.0
        self.time_scale = time_scale

    @property
    def time_scale(self) -> float:
        return self._scale

    @time_scale.setter
    def time_scale(self, scale: float) -> None:
        if scale < 0:
            raise ValueError("time_scale cannot be negative")
        now_real = time.monotonic()
        self._base_emulated += (now_real - self._base_real) * self._scale
        self._base_real = now_real
        self._scale = scale

    def now(self) -> float:
        return self._base_emulated + (time.monotonic() - self._base_real) * self._scale

    def advance(self, seconds: float) -> None:
        """Move emulated time forward (a task that takes 60 s completes after ``advance(60)``)."""
        self._base_emulated += seconds


@dataclass
class EmulatedTask:
    """One task the emulator accepted, and how it will end."""

    id: str
    request: dict[str, Any]
    created_at: float
    duration: float
    outcome: str = "completed"  # "completed", "failed" or "policy"
    unknown_status: str | None = None
    old_shape: bool = False
    expiry: float = EXPIRY_SECONDS
    shot: str | None = None  # the shot's name, when the client sent it (emulator only: X-Hailuo-Shot)

    @property
    def expires_at(self) -> float:
        return self.ends_at + self.expiry

    @property
    def ends_at(self) -> float:
        return self.created_at + self.duration

    def status(self, now: float) -> tuple[str, int]:
        """The status text and progress at emulated time ``now``."""
        elapsed = now - self.created_at
        queued = self.duration * QUEUED_SHARE
        if self.unknown_status is not None:
            return self.unknown_status, 0
        if elapsed >= self.duration:
            return (Status.COMPLETED.value, 100) if self.outcome == "completed" else (Status.FAILED.value, 0)
        if elapsed < queued:
            return (OLD_QUEUED if self.old_shape else Status.QUEUED.value), 0
        return Status.IN_PROGRESS.value, max(1, min(99, int(100 * (elapsed - queued) / (self.duration - queued))))

    def view(self, now: float, base_url: str) -> dict[str, Any]:
        """The task object a query answers."""
        status, progress = self.status(now)
        data: dict[str, Any] = {
            "id": self.id,
            "object": "generation.task",
            "model": self.request.get("model", MODEL_NAME),
            "status": status,
            "progress": progress,
            "created_at": int(self.created_at),
            "metadata": {},
        }
        if status == Status.COMPLETED.value:
            url = f"{base_url}/files/videos/{self.id}.mp4"
            data["completed_at"] = int(self.ends_at)
            data["expires_at"] = int(self.expires_at)
            if self.old_shape:
                data["url"] = url
            else:
                data["result"] = {"type": "video", "data": [{"url": url}]}
        elif status == Status.FAILED.value:
            if self.outcome == "policy":
                data["error"] = {
                    "code": "content_policy_violation",
                    "message": "The output was flagged by the content policy.",
                    "type": "content_policy",
                }
            else:
                data["error"] = {"code": 500, "message": "The generation failed on the service's side.", "type": "server_error"}
        return data


@dataclass
class SubmitSeen:
    """A submit as the server saw it: when it arrived (``time.monotonic``, read by the server),
    the status it was answered, the shot it named (``X-Hailuo-Shot``) and, for a 429, the
    ``Retry-After`` it was given (seconds)."""

    at: float
    status: int
    shot: str | None
    retry_after: float | None = None


@dataclass
class EmulatorStats:
    """Counters of what the emulator saw; ``requests`` counts every request per endpoint, answered
    or not, and the per-endpoint figures read from it; ``submits`` is every submit, in order."""

    submits_accepted: int = 0
    submits_refused: int = 0
    requests: Counter[str] = field(default_factory=Counter)
    submits: list[SubmitSeen] = field(default_factory=list)

    @property
    def queries(self) -> int:
        return self.requests["query"]

    @property
    def uploads(self) -> int:
        return self.requests["upload"]

    @property
    def downloads(self) -> int:
        return self.requests["download"]


def error_body(status: int, message: str, code: int | str | None = None) -> bytes:
    """The documented error body: ``{"error": {"code", "message", "type"}}``."""
    return json_bytes(
        {"error": {"code": status if code is None else code, "message": message, "type": ERROR_TYPES.get(status, "error")}}
    )


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode("utf-8")


def http_date(epoch: float) -> str:
    """An HTTP date (for a ``Retry-After`` fault)."""
    return formatdate(epoch, usegmt=True)
