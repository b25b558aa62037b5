"""The core shared by ``Client`` and ``AsyncClient``: everything but the I/O itself.

It builds each request (method, URL, headers, JSON or multipart body), reads each answer within
its limits into a redacted ``Reply`` and from there into a ``Task``, an upload URL or a typed
error (:mod:`hailuo_dsl.client.answers`), holds the retry policy, the transfer limits and the
polling cadence, and writes downloads through a temporary file. The two clients only send, sleep
and stream, so they stay thin twins that cannot drift apart.
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from hailuo_dsl.client.answers import Answers, Reply
from hailuo_dsl.client.errors import (
    ConnectionFailed,
    HailuoError,
    MalformedResponse,
    ResponseTooLarge,
    Timeout,
    VideoExpired,
)
from hailuo_dsl.client.limits import ACCEPT_ENCODING, BodyError, BoundedBody, Overrun, ReplyBuffer, TransferLimits, size_text
from hailuo_dsl.client.models import Task, TaskStatus
from hailuo_dsl.client.polling import WaitLoop
from hailuo_dsl.client.redact import Redactor, checked_key, map_strings, terminal_safe
from hailuo_dsl.client.retry import Attempts, Operation, RetryPolicy, never_sent
from hailuo_dsl.contract import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    MAX_UPLOAD_BYTES,
    SHOT_HEADER,
    SUBMIT_PATH,
    UPLOAD_FIELD,
    UPLOAD_PATH,
    UPLOAD_PURPOSE,
)
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.imagetypes import image_mime
from hailuo_dsl.version import user_agent

_EXPIRED_STATUSES = frozenset({403, 404, 410})
_WITHHELD = "<the answer, withheld: it quoted the API key in an escaped form>"

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
    timeout: httpx.Timeout | None = None

    def build_args(self) -> dict[str, Any]:
        """Keyword arguments for ``httpx.Client.stream`` (fresh each attempt). Every request names
        the program in its ``User-Agent``: ``hailuo-dsl/<version>``."""
        headers = {"User-Agent": user_agent(), **self.headers}
        args: dict[str, Any] = {"method": self.method, "url": self.url, "headers": headers}
        if self.json_body is not None:
            args["json"] = self.json_body
        if self.files is not None:
            args["files"] = self.files
            args["data"] = self.data
        if self.timeout is not None:
            args["timeout"] = self.timeout
        return args


class ClientCore(Answers):
    """Settings, request building, bounded reading and answer parsing shared by the two clients.

    It holds the checked API key (and the ``Redactor`` that keeps it out of every message), the
    base URL, the ``RetryPolicy``, the ``TransferLimits``, the timeout and the polling cadence.
    It sends nothing itself: each call becomes a ``RequestSpec`` that ``Client`` or ``AsyncClient`` sends,
    and what comes back is read here (``Answers``), so the two twins decide nothing on their own
    and cannot drift apart. Internal to ``hailuo_dsl.client``: everything else uses the clients.
    """

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None,
        *,
        retry: RetryPolicy | None,
        limits: TransferLimits | None,
        timeout: float,
        poll_interval: float,
        first_poll_delay: float,
    ) -> None:
        self._api_key = checked_key(
            api_key if api_key is not None else os.environ.get(API_KEY_ENV), from_environment=api_key is None
        )
        self._redactor = Redactor(self._api_key)
        url = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).strip().rstrip("/")
        self.base_url = checked_url(url, "The base URL")
        self.retry = retry or RetryPolicy()
        self.limits = limits or TransferLimits()
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.first_poll_delay = first_poll_delay
        self.rng = random.Random()

    def __repr__(self) -> str:
        return f"ClientCore(base_url={self.base_url!r})"

    # -- requests -------------------------------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json", "Accept-Encoding": ACCEPT_ENCODING}

    def submit_spec(self, request: VideoRequest, *, shot: str | None = None) -> RequestSpec:
        """The submit of ``request``; ``shot`` adds the emulator's ``X-Hailuo-Shot`` header."""
        headers = {**self._auth(), SHOT_HEADER: shot} if shot else self._auth()
        return RequestSpec(Operation.SUBMIT, "POST", self.base_url + SUBMIT_PATH, headers, json_body=request.body())

    def query_spec(self, task_id: str) -> RequestSpec:
        if not task_id:
            raise ValueError("a task id is needed")
        return RequestSpec(Operation.QUERY, "GET", f"{self.base_url}{SUBMIT_PATH}/{quote(task_id, safe='')}", self._auth())

    def upload_spec(self, path: str | os.PathLike[str]) -> RequestSpec:
        """The upload of the image at ``path``, read up to the upload limit (contract §3), so a
        device or a huge file is refused here, in bounded memory, before anything is sent."""
        source = Path(path)
        with source.open("rb") as handle:
            data = handle.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise HailuoError(f"{source}: over the upload limit of {size_text(MAX_UPLOAD_BYTES)}; nothing was sent.")
        mime = image_mime(data) or "application/octet-stream"
        files = {UPLOAD_FIELD: (source.name, data, mime)}
        return RequestSpec(
            Operation.UPLOAD, "POST", self.base_url + UPLOAD_PATH, self._auth(), files=files, data={"purpose": UPLOAD_PURPOSE}
        )

    def download_spec(self, url: str) -> RequestSpec:
        """No Authorization header (video URLs are signed and may live on another host); each read
        waits at most the stall timeout."""
        stall = min(self.limits.download_stall_timeout, self.limits.download_deadline)
        timeout = httpx.Timeout(self.timeout, read=stall)
        return RequestSpec(Operation.DOWNLOAD, "GET", url, {"Accept-Encoding": ACCEPT_ENCODING}, timeout=timeout)

    def attempts(self, spec: RequestSpec, deadline_at: float | None = None) -> Attempts:
        """The retry state of one call; a download has its own deadline (``download_deadline``)."""
        deadline = self.limits.download_deadline if spec.operation is Operation.DOWNLOAD else None
        return self.retry.start(spec.operation, rng=self.rng, deadline_at=deadline_at, deadline=deadline)

    def log_retry(self, spec: RequestSpec, attempts: Attempts, delay: float, reason: str) -> None:
        where = self._redactor.text(_no_query(spec.url))
        log.debug("%s %s: %s; attempt %d, retrying in %.2f s", spec.method, where, reason, attempts.count, delay)

    def wait_loop(self, task_id: str, timeout: float, on_progress: Callable[[Task], None] | None) -> WaitLoop:
        return WaitLoop(
            task_id, timeout=timeout, first_delay=self.first_poll_delay, interval=self.poll_interval, on_progress=on_progress
        )

    # -- reading answers ------------------------------------------------------------------------

    def reply_buffer(self, response: httpx.Response) -> ReplyBuffer:
        """Where an answer is read to: within the reply limit, and within the retry policy's
        deadline from the moment its head arrived."""
        deadline_at = time.monotonic() + self.retry.deadline
        body = BoundedBody(_encoding(response), limit=self.limits.max_reply_bytes, deadline_at=deadline_at)
        return ReplyBuffer(body)

    def reply(self, response: httpx.Response, buffer: ReplyBuffer) -> Reply:
        """The answer read into ``buffer``, the key redacted from its text, JSON and URL, and its
        words made safe to print (:func:`terminal_safe`): the one point where the server's words enter."""
        content = bytes(buffer.content)
        try:
            text = content.decode(response.charset_encoding or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know
            text = content.decode("utf-8", errors="replace")
        text = self._redactor.text(text)
        try:
            data = json.loads(text) if text.strip() else None
        except (ValueError, RecursionError):
            data = None
        data, quoted = self._redactor.tree(data)
        if quoted:  # the key was in the JSON in an escaped form the text did not show
            try:
                text = json.dumps(data, ensure_ascii=False)
            except (ValueError, RecursionError):
                text = _WITHHELD
        data = map_strings(data, terminal_safe)[0]  # parsed first: the JSON's own line breaks are whitespace
        url = self._redactor.text(str(response.url))
        return Reply(response.status_code, response.headers, url, terminal_safe(text), data, len(content))

    def body_error(self, spec: RequestSpec, err: BodyError) -> HailuoError:
        """The error for an answer given up while it was read (too large, too slow, undecodable)."""
        url = self._redactor.text(_no_query(spec.url))
        if err.video:
            if err.overrun is Overrun.SIZE:
                return ResponseTooLarge(
                    f"{ResponseTooLarge.summary}: the video at {url} is {err.detail}, over the download limit of "
                    f"{size_text(self.limits.max_download_bytes)} (max_download_bytes, --max-download-mb)."
                )
            if err.overrun is Overrun.TIME:
                return Timeout(
                    f"The download of {url} did not finish within {self.limits.download_deadline:g} s "
                    "(download_deadline, --download-deadline)."
                )
            return MalformedResponse(f"{MalformedResponse.summary}: the video at {url} came as {err.detail}.")
        problem = {
            Overrun.SIZE: f"an answer of {err.detail}, over the reply limit of {size_text(self.limits.max_reply_bytes)} "
            "(max_reply_bytes; a task object is a few kB)",
            Overrun.TIME: f"an answer still arriving {self.retry.deadline:g} s after it began (RetryPolicy.deadline)",
            Overrun.ENCODING: err.detail,
        }[err.overrun]
        if spec.operation is Operation.SUBMIT:
            return self.outcome_unknown(spec.json_body, f"the API sent {problem}")
        message = f"{spec.method} {url} got {problem}."
        if err.overrun is Overrun.TIME:
            return Timeout(f"{Timeout.summary}: {message}")
        if err.overrun is Overrun.SIZE:
            return ResponseTooLarge(f"{ResponseTooLarge.summary}: {message}")
        return MalformedResponse(f"{MalformedResponse.summary}: {message}")

    def transport_error(self, spec: RequestSpec, exc: httpx.RequestError) -> HailuoError:
        """The error for a call that got no usable answer (after the retries it was allowed): no
        connection, a broken one, or one that httpx gave up on (a redirect loop, an undecodable body)."""
        reason = self._redactor.text(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        if spec.operation is Operation.SUBMIT and not never_sent(exc):
            return self.outcome_unknown(spec.json_body, f"no answer came back ({reason})")
        where = self._redactor.text(_no_query(spec.url))
        if spec.operation is Operation.DOWNLOAD and isinstance(exc, httpx.ReadTimeout):
            stall = min(self.limits.download_stall_timeout, self.limits.download_deadline)
            return Timeout(
                f"The download stalled: no data for {stall:g} s (download_stall_timeout, --download-stall): {spec.method} {where}."
            )
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

    def video_body(self, spec: RequestSpec, response: httpx.Response, attempts: Attempts) -> BoundedBody:
        """The reader of a video, within the download limit and deadline; refused at once when the
        answer announces more than the limit."""
        limit = self.limits.max_download_bytes
        encoding = _encoding(response)
        announced = response.headers.get("content-length", "")
        if announced.isdigit() and not encoding and int(announced) > limit:
            raise BodyError(Overrun.SIZE, f"announced as {size_text(int(announced))}", video=True)
        return BoundedBody(encoding, limit=limit, deadline_at=attempts.call_deadline_at, video=True)

    def download_error(self, reply: Reply) -> HailuoError:
        if reply.status_code in _EXPIRED_STATUSES:
            return VideoExpired(
                f"{VideoExpired.summary} (HTTP {reply.status_code} for {_no_query(reply.url)}): "
                "videos can be downloaded for about 24 h after completion; only a new task brings it back.",
                status=reply.status_code,
                body=reply.text[:2000],
            )
        return self.error_from_reply(reply)

    def check_complete(self, response: httpx.Response, received: int, written: int) -> None:
        """Raise when fewer bytes arrived than the answer announced, or when nothing at all reached
        the file: a video is never empty, and an empty answer must not pass for a download."""
        announced = response.headers.get("content-length")
        consumed = response.is_stream_consumed  # built in memory (httpx.MockTransport), and already decoded
        if not consumed and announced is not None and announced.isdigit() and int(announced) != received:
            raise httpx.RemoteProtocolError(f"download cut off: {received} of {announced} bytes", request=response.request)
        if written == 0:
            raise BodyError(Overrun.ENCODING, "an empty body (0 bytes)", video=True)


def _encoding(response: httpx.Response) -> str | None:
    """How the body still to be read is encoded (an answer built in memory is already decoded)."""
    return None if response.is_stream_consumed else response.headers.get("content-encoding")


def _no_query(url: str) -> str:
    """A URL without its query string (signed URLs carry tokens there)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
