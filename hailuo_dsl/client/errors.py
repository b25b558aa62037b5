"""Typed errors of the client: one class per kind of failure a caller can act on.

Every error carries ``.status`` (the HTTP status, or None when no answer came), ``.body`` (the raw
answer, for the user to read) and ``.message`` (a sentence a person understands). The API key
never appears in any of them: the client redacts it from every answer as soon as it is read
(:mod:`hailuo_dsl.client.redact`), before an error is built from it.
"""

from __future__ import annotations

from typing import Any

from hailuo_dsl.client.models import Task, TaskError

_REPR_BODY = 200


class HailuoError(Exception):
    """Any failure of a call to the API."""

    summary = "The API call failed"

    def __init__(self, message: str, *, status: int | None = None, body: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        body = self.body if self.body is None or len(self.body) <= _REPR_BODY else self.body[:_REPR_BODY] + "..."
        return f"{type(self).__name__}(status={self.status!r}, message={self.message!r}, body={body!r})"


class BadRequest(HailuoError):
    """400: the API found the parameters invalid."""

    summary = "The API refused the request's parameters"


class AuthenticationError(HailuoError):
    """401, or no API key at all."""

    summary = "The API refused the API key"


class InsufficientBalance(HailuoError):
    """402: the account cannot pay for the task."""

    summary = "The account's balance is too low for this task"


class NotFound(HailuoError):
    """404: no such task."""

    summary = "The API knows no such task"


class ContentPolicy(HailuoError):
    """422: the content policy refused the request."""

    summary = "The content policy refused the request"


class RateLimited(HailuoError):
    """429: too many requests; ``retry_after`` is the wait the server asked for, in seconds."""

    summary = "The API is rate limiting this key"

    def __init__(
        self, message: str, *, status: int | None = None, body: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, status=status, body=body)
        self.retry_after = retry_after


class ServerError(HailuoError):
    """5xx: the service failed."""

    summary = "The API failed on its side"


class MalformedResponse(HailuoError):
    """An answer that is not the JSON the contract describes."""

    summary = "The API answered something unreadable"


class ResponseTooLarge(MalformedResponse):
    """An answer over the client's size limit (``TransferLimits``): an API reply, or a video."""

    summary = "The answer is larger than the client accepts"


class ConnectionFailed(HailuoError):
    """No answer: the connection could not be made or broke."""

    summary = "Could not reach the API"


class Timeout(HailuoError):
    """No answer in time."""

    summary = "The API did not answer in time"


class VideoExpired(HailuoError):
    """The video URL no longer works (past ``expires_at``); only a new task brings the video back."""

    summary = "The video URL has expired"


class TaskFailed(HailuoError):
    """The task ended ``failed``; ``task`` is its last state and ``error`` the reason given."""

    summary = "The task failed"

    def __init__(self, task: Task) -> None:
        self.task = task
        self.error: TaskError | None = task.error
        reason = task.error.message if task.error is not None and task.error.message else "no reason given"
        code = f" [{task.error.code}]" if task.error is not None and task.error.code is not None else ""
        super().__init__(f"Task {task.id} failed{code}: {reason}", status=None, body=None)


class SubmitOutcomeUnknown(HailuoError):
    """The submit may have reached the server and created a (paid) task, but no task id came back.

    Never retried: resubmitting could pay twice. ``request_hash`` and ``request_body`` let the
    caller record the request so a person can check the account before trying again.
    """

    summary = "The submit may or may not have created a task"

    def __init__(
        self, message: str, *, request_hash: str, request_body: dict[str, Any], status: int | None = None, body: str | None = None
    ) -> None:
        super().__init__(message, status=status, body=body)
        self.request_hash = request_hash
        self.request_body = request_body


class DeadlineExceeded(HailuoError):
    """A wait reached its deadline; ``task`` is the last state seen (None if none came back)."""

    summary = "The wait reached its deadline"

    def __init__(self, message: str, *, task: Task | None = None) -> None:
        super().__init__(message)
        self.task = task


ERRORS_BY_STATUS: dict[int, type[HailuoError]] = {
    400: BadRequest,
    401: AuthenticationError,
    402: InsufficientBalance,
    404: NotFound,
    422: ContentPolicy,
    429: RateLimited,
}


def error_class(status: int) -> type[HailuoError]:
    """The error class for an HTTP status (or an error ``code`` given in a body)."""
    if status >= 500:
        return ServerError
    return ERRORS_BY_STATUS.get(status, HailuoError)
