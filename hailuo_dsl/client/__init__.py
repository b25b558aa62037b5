"""The client of the video API: ``Client`` (blocking) and ``AsyncClient`` (asyncio), typed errors,
the task model, the one retry policy and the limits on what is read (``TransferLimits``)."""

from hailuo_dsl.client.aio import AsyncClient
from hailuo_dsl.client.errors import (
    AuthenticationError,
    BadRequest,
    ConnectionFailed,
    ContentPolicy,
    DeadlineExceeded,
    HailuoError,
    InsufficientBalance,
    MalformedResponse,
    NotFound,
    RateLimited,
    ResponseTooLarge,
    ServerError,
    SubmitOutcomeUnknown,
    TaskFailed,
    Timeout,
    VideoExpired,
)
from hailuo_dsl.client.limits import TransferLimits
from hailuo_dsl.client.models import Task, TaskError, TaskStatus
from hailuo_dsl.client.retry import Operation, Pace, RetryPolicy, SyncPace, parse_retry_after
from hailuo_dsl.client.sync import Client
from hailuo_dsl.contract import DEFAULT_BASE_URL
from hailuo_dsl.contract.request import request_hash
from hailuo_dsl.imagetypes import image_mime

__all__ = [
    "DEFAULT_BASE_URL",
    "AsyncClient",
    "AuthenticationError",
    "BadRequest",
    "Client",
    "ConnectionFailed",
    "ContentPolicy",
    "DeadlineExceeded",
    "HailuoError",
    "InsufficientBalance",
    "MalformedResponse",
    "NotFound",
    "Operation",
    "Pace",
    "RateLimited",
    "ResponseTooLarge",
    "RetryPolicy",
    "ServerError",
    "SubmitOutcomeUnknown",
    "SyncPace",
    "Task",
    "TaskError",
    "TaskFailed",
    "TaskStatus",
    "Timeout",
    "TransferLimits",
    "VideoExpired",
    "image_mime",
    "parse_retry_after",
    "request_hash",
]
