"""The core shared by ``Client`` and ``AsyncClient``: everything but the I/O itself.

It builds each request (method, URL, headers, JSON or multipart body), reads each answer into a
``Task``, an upload URL or a typed error, holds the retry policy and the polling cadence, and
writes downloads through a temporary file. The two clients only send, sleep and stream, so they
stay thin twins that cannot drift apart.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import random
import re
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from hailuo_dsl.client.errors import (
    AuthenticationError,
    ConnectionFailed,
    HailuoError,
    MalformedResponse,
    RateLimited,
    SubmitOutcomeUnknown,
    Timeout,
    VideoExpired,
    error_class,
)
from hailuo_dsl.client.models import Task, TaskError, TaskStatus
from hailuo_dsl.client.polling import WaitLoop
from hailuo_dsl.client.retry import Attempts, Operation, RetryPolicy, never_sent, parse_retry_after
from hailuo_dsl.contract import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    SUBMIT_PATH,
    UPLOAD_FIELD,
    UPLOAD_PATH,
    UPLOAD_PURPOSE,
)
from hailuo_dsl.contract.request import VideoRequest, request_hash
from hailuo_dsl.imagetypes import image_mime
from hailuo_dsl.version import user_agent

_REDACTED = "<api-key>"
_EXPIRED_STATUSES = frozenset({403, 404, 410})

log = logging.getLogger("hailuo_dsl.client")


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings of every client, built once per process (building them costs tens of ms)."""
    return httpx.create_ssl_context()


def checked_url(url: str, what: str) -> str:
    """``url`` when it is an http(s) URL with a host; else a ``HailuoError`` naming ``what`` it is
    (httpx would otherwise raise its own ``InvalidURL`` from deep inside a request)."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as err:
        raise HailuoError(f"{what} {url!r} is not a valid URL: {err}.") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise HailuoError(f"{what} {url!r} must start with http:// or https:// and name a host.")
    return url


@dataclass(frozen=True)
class RequestSpec:
    """One call to make, independent of the HTTP client that will send it."""

    operation: Operation
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    json_body: dict[str, Any] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    data: dict[str, str] | None = None

    def build_args(self) -> dict[str, Any]:
        """Keyword arguments for ``httpx.Client.build_request`` (fresh each attempt). Every
        request names the program in its ``User-Agent``: ``hailuo-dsl/<version>``."""
        headers = {"User-Agent": user_agent(), **self.headers}
        args: dict[str, Any] = {"method": self.method, "url": self.url, "headers": headers}
        if self.json_body is not None:
            args["json"] = self.json_body
        if self.files is not None:
            args["files"] = self.files
            args["data"] = self.data
        return args


class ClientCore:
    """Settings, request building and answer parsing shared by the sync and async clients."""

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None,
        *,
        retry: RetryPolicy | None,
        poll_interval: float,
        first_poll_delay: float,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
        if not key or not key.strip():
            raise AuthenticationError(
                f"No API key: pass api_key= or set the {API_KEY_ENV} environment variable.", status=None, body=None
            )
        self._api_key = key.strip()
        url = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).strip().rstrip("/")
        self.base_url = checked_url(url, "The base URL")
        self.retry = retry or RetryPolicy()
        self.poll_interval = poll_interval
        self.first_poll_delay = first_poll_delay
        self.rng = random.Random()

    def __repr__(self) -> str:
        return f"ClientCore(base_url={self.base_url!r})"

    # -- requests -------------------------------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json"}

    def submit_spec(self, request: VideoRequest) -> RequestSpec:
        return RequestSpec(Operation.SUBMIT, "POST", self.base_url + SUBMIT_PATH, self._auth(), json_body=request.body())

    def query_spec(self, task_id: str) -> RequestSpec:
        if not task_id:
            raise ValueError("a task id is needed")
        return RequestSpec(Operation.QUERY, "GET", f"{self.base_url}{SUBMIT_PATH}/{quote(task_id, safe='')}", self._auth())

    def upload_spec(self, path: str | os.PathLike[str]) -> RequestSpec:
        source = Path(path)
        data = source.read_bytes()
        mime = image_mime(data) or "application/octet-stream"
        files = {UPLOAD_FIELD: (source.name, data, mime)}
        return RequestSpec(
            Operation.UPLOAD, "POST", self.base_url + UPLOAD_PATH, self._auth(), files=files, data={"purpose": UPLOAD_PURPOSE}
        )

    def download_spec(self, url: str) -> RequestSpec:
        # No Authorization header: video URLs are signed and may live on another host.
        return RequestSpec(Operation.DOWNLOAD, "GET", url)

    def attempts(self, spec: RequestSpec, deadline_at: float | None = None) -> Attempts:
        return self.retry.start(spec.operation, rng=self.rng, deadline_at=deadline_at)

    def log_retry(self, spec: RequestSpec, attempts: Attempts, delay: float, reason: str) -> None:
        log.debug("%s %s: %s; attempt %d, retrying in %.2f s", spec.method, _no_query(spec.url), reason, attempts.count, delay)

    def wait_loop(self, task_id: str, timeout: float, on_progress: Callable[[Task], None] | None) -> WaitLoop:
        return WaitLoop(
            task_id, timeout=timeout, first_delay=self.first_poll_delay, interval=self.poll_interval, on_progress=on_progress
        )

    # -- answers --------------------------------------------------------------------------------

    def redact(self, text: str) -> str:
        return text.replace(self._api_key, _REDACTED) if self._api_key else text

    def read_submit(self, spec: RequestSpec, response: httpx.Response) -> Task:
        """The task a submit created, or the error it met (``SubmitOutcomeUnknown`` when unsure)."""
        data = _json_object(response) if response.is_success else None
        if response.status_code >= 500:
            raise self.outcome_unknown(
                spec, f"the API answered: {self.error_from_response(response).message.rstrip('.')}", response
            )
        if response.is_success and data is None:
            raise self.outcome_unknown(spec, f"the API answered HTTP {response.status_code} with {_describe(response)}", response)
        if data is None:
            raise self.error_from_response(response)
        try:
            return Task.from_api(data)
        except ValueError:
            if data.get("error") is not None:
                raise self.error_from_body(response, data["error"]) from None
            raise self.outcome_unknown(spec, "the API answered without a task id", response) from None

    def read_task(self, response: httpx.Response) -> Task:
        """The task a query answered, or the error it met."""
        if not response.is_success:
            raise self.error_from_response(response)
        data = _json_object(response)
        if data is None:
            raise MalformedResponse(
                f"The API answered a task query with {_describe(response)} instead of a task object.",
                status=response.status_code,
                body=self.redact(response.text),
            )
        try:
            return Task.from_api(data)
        except ValueError:
            if data.get("error") is not None:
                raise self.error_from_body(response, data["error"]) from None
            raise MalformedResponse(
                "The API answered a task query without a task id.", status=response.status_code, body=self.redact(response.text)
            ) from None

    def read_upload(self, response: httpx.Response) -> str:
        """The URL of an uploaded image, or the error the upload met."""
        if not response.is_success:
            raise self.error_from_response(response)
        data = _json_object(response)
        inner = data.get("data") if data is not None else None
        if (
            data is not None
            and data.get("success") is not False
            and isinstance(inner, Mapping)
            and isinstance(inner.get("url"), str)
        ):
            return str(inner["url"])
        if data is not None and (data.get("error") is not None or data.get("success") is False):
            raise self.error_from_body(response, data.get("error") or {"message": data.get("message", "")})
        raise MalformedResponse(
            f"The API answered an upload with {_describe(response)} instead of the image's URL.",
            status=response.status_code,
            body=self.redact(response.text),
        )

    def error_from_response(self, response: httpx.Response) -> HailuoError:
        """The typed error for a non-success answer, with the server's own words when it gave any."""
        status = response.status_code
        data = _json_object(response)
        detail = ""
        if data is not None:
            error = data.get("error")
            if error is not None:
                detail = TaskError.from_api(error).message
            elif isinstance(data.get("message"), str):
                detail = data["message"]
        elif response.text.strip():
            detail = response.text.strip()[:200]
        cls = error_class(status)
        message = f"{cls.summary} (HTTP {status})" + (f": {detail}" if detail else ".")
        body = self.redact(response.text)
        if cls is RateLimited:
            return RateLimited(
                self.redact(message), status=status, body=body, retry_after=parse_retry_after(response.headers.get("retry-after"))
            )
        return cls(self.redact(message), status=status, body=body)

    def error_from_body(self, response: httpx.Response, error: Any) -> HailuoError:
        """The typed error for a success status whose body is an ``error`` (its code picks the class)."""
        parsed = TaskError.from_api(error)
        code = _int_code(parsed.code)
        cls = error_class(code) if code is not None else HailuoError
        label = f" [{parsed.code}]" if parsed.code is not None else ""
        message = f"{cls.summary}{label}: {parsed.message or 'no reason given'} (an error body on HTTP {response.status_code})"
        return cls(self.redact(message), status=response.status_code, body=self.redact(response.text))

    def outcome_unknown(self, spec: RequestSpec, why: str, response: httpx.Response | None = None) -> SubmitOutcomeUnknown:
        body = spec.json_body or {}
        digest = request_hash(body)
        return SubmitOutcomeUnknown(
            self.redact(
                f"The submit may have created a task, but {why}. It was not retried, to avoid paying twice: "
                f"check the account's tasks before submitting again (request hash {digest[:12]})."
            ),
            request_hash=digest,
            request_body=body,
            status=response.status_code if response is not None else None,
            body=self.redact(response.text) if response is not None else None,
        )

    def transport_error(self, spec: RequestSpec, exc: httpx.RequestError) -> HailuoError:
        """The error for a call that got no usable answer (after the retries it was allowed): no
        connection, a broken one, or one that httpx gave up on (a redirect loop, an undecodable body)."""
        reason = self.redact(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        if spec.operation is Operation.SUBMIT and not never_sent(exc):
            return self.outcome_unknown(spec, f"no answer came back ({reason})")
        where = _no_query(spec.url)
        if isinstance(exc, httpx.TimeoutException):
            return Timeout(f"{Timeout.summary}: {spec.method} {where} ({reason}).")
        return ConnectionFailed(f"{ConnectionFailed.summary}: {spec.method} {where} ({reason}).")

    # -- downloads ------------------------------------------------------------------------------

    def download_target(self, task_or_url: Task | str, path: str | os.PathLike[str]) -> tuple[str, Path]:
        """The URL to fetch and the file to write; errors for a task with no (live) video."""
        if isinstance(task_or_url, Task):
            task = task_or_url
            if task.status is not TaskStatus.COMPLETED or not task.video_url:
                raise HailuoError(f"Task {task.id} has no video to download (status {task.status_text!r}).")
            if task.expires_at is not None and task.expires_at <= time.time():
                raise VideoExpired(
                    f"The video of task {task.id} expired at {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(task.expires_at))}; "
                    "only a new task brings it back."
                )
            # The id is the server's word: keep it from naming a file outside the folder.
            url, name = checked_url(task.video_url, "The video URL"), re.sub(r"[^\w.-]", "_", task.id) + ".mp4"
        else:
            url = checked_url(task_or_url, "The video URL")
            name = Path(urlsplit(url).path).name or "video.mp4"
        target = Path(path)
        if target.is_dir():
            target = target / name
        return url, target

    def download_error(self, response: httpx.Response) -> HailuoError:
        if response.status_code in _EXPIRED_STATUSES:
            return VideoExpired(
                f"{VideoExpired.summary} (HTTP {response.status_code} for {_no_query(str(response.url))}): "
                "videos can be downloaded for about 24 h after completion; only a new task brings it back.",
                status=response.status_code,
                body=self.redact(response.text[:2000]),
            )
        return self.error_from_response(response)

    def check_complete(self, response: httpx.Response, written: int) -> None:
        """Raise when fewer bytes arrived than the answer announced."""
        announced = response.headers.get("content-length")
        if (
            announced is not None
            and announced.isdigit()
            and int(announced) != written
            and "content-encoding" not in response.headers
        ):
            raise httpx.RemoteProtocolError(f"download cut off: {written} of {announced} bytes", request=response.request)


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        data = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _describe(response: httpx.Response) -> str:
    if not response.content:
        return "an empty body"
    if _json_object(response) is None:
        return "a body that is not a JSON object"
    return "a JSON body"


def _int_code(code: int | str | None) -> int | None:
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.strip().isdigit():
        return int(code.strip())
    return None


def _no_query(url: str) -> str:
    """A URL without its query string (signed URLs carry tokens there)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
