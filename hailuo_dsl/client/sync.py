"""``Client``: the blocking client. Its twin ``AsyncClient`` shares every decision through ``ClientCore``."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

import httpx

from hailuo_dsl.client.answers import Reply
from hailuo_dsl.client.core import ClientCore, RequestSpec, tls_context
from hailuo_dsl.client.download import PartialFile
from hailuo_dsl.client.limits import BodyError, TransferLimits
from hailuo_dsl.client.models import Task
from hailuo_dsl.client.retry import RetryPolicy, SyncPace
from hailuo_dsl.contract import FIRST_POLL_DELAY, POLL_INTERVAL
from hailuo_dsl.contract.request import VideoRequest


class Client:
    """A blocking client of the video API (use it as a context manager, or call ``close()``).

    It holds a ``ClientCore`` (key, URL, retry policy, limits, cadence) and one ``httpx.Client``,
    and only sends, sleeps and streams: every decision is the core's, shared with ``AsyncClient``.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        limits: TransferLimits | None = None,
        poll_interval: float = POLL_INTERVAL,
        first_poll_delay: float = FIRST_POLL_DELAY,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._core = ClientCore(
            api_key,
            base_url,
            retry=retry,
            limits=limits,
            timeout=timeout,
            poll_interval=poll_interval,
            first_poll_delay=first_poll_delay,
        )
        self._http = httpx.Client(timeout=timeout, transport=transport, follow_redirects=True, verify=tls_context())

    @property
    def base_url(self) -> str:
        return self._core.base_url

    def __repr__(self) -> str:
        return f"Client(base_url={self._core.base_url!r})"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _send(self, spec: RequestSpec, *, deadline_at: float | None = None, pace: SyncPace | None = None) -> Reply:
        """Send the call (retried as the policy allows) and read its answer within the limits;
        with ``pace``, each retry waits for its turn and a 429's wait holds the whole pace."""
        attempts = self._core.attempts(spec, deadline_at)
        while True:
            if pace is not None and attempts.count:
                pace.acquire()
            attempts.begin()
            try:
                with self._http.stream(**spec.build_args()) as response:
                    delay = attempts.after_status(response)
                    if delay is None:
                        return self._read(response)
                    reason = f"HTTP {response.status_code}"
                    if pace is not None and response.status_code == 429:
                        pace.limited(delay)  # every submit of the pace waits, this one in acquire
                        delay = 0.0
            except httpx.RequestError as exc:
                delay = attempts.after_error(exc)
                if delay is None:
                    raise self._core.transport_error(spec, exc) from None
                reason = type(exc).__name__
            except BodyError as err:
                raise self._core.body_error(spec, err) from None
            self._core.log_retry(spec, attempts, delay, reason)
            time.sleep(delay)

    def _read(self, response: httpx.Response) -> Reply:
        buffer = self._core.reply_buffer(response)
        for raw in _chunks(response):
            buffer.feed(raw)
        return self._core.reply(response, buffer)

    def upload_image(self, path: str | os.PathLike[str]) -> str:
        """Upload a local image; the public URL to put in a request (``OSError`` if the file cannot be read)."""
        spec = self._core.upload_spec(path)
        return self._core.read_upload(self._send(spec))

    def submit(self, request: VideoRequest, *, shot: str | None = None, pace: SyncPace | None = None) -> Task:
        """Submit one generation task (never retried once it may have reached the server).
        ``shot`` names it for the project's emulator (``X-Hailuo-Shot``, contract §7); ``pace``
        is a rate shared with other submits (the caller has taken this submit's first turn)."""
        spec = self._core.submit_spec(request, shot=shot)
        return self._core.read_submit(spec.json_body, self._send(spec, pace=pace))

    def get(self, task_id: str) -> Task:
        """The task's current state."""
        return self._get(task_id)

    def _get(self, task_id: str, deadline_at: float | None = None) -> Task:
        return self._core.read_task(self._send(self._core.query_spec(task_id), deadline_at=deadline_at))

    def wait(self, task_id: str, *, timeout: float = 900.0, on_progress: Callable[[Task], None] | None = None) -> Task:
        """Poll until the task completes (returned), fails (``TaskFailed``) or the deadline passes (``DeadlineExceeded``)."""
        loop = self._core.wait_loop(task_id, timeout, on_progress)
        while True:
            time.sleep(loop.next_delay())
            done = loop.observe(self._get(task_id, loop.deadline_at))
            if done is not None:
                return done

    def download(self, task_or_url: Task | str, path: str | os.PathLike[str]) -> Path:
        """Stream the video to ``path`` (a file, or a folder to put ``<task id>.mp4`` in); returns the
        file. Bounded by the client's ``TransferLimits``; nothing is left behind when it fails."""
        url, target = self._core.download_target(task_or_url, path)
        spec = self._core.download_spec(url)
        attempts = self._core.attempts(spec)
        while True:
            attempts.begin()
            try:
                with self._http.stream(**spec.build_args()) as response:
                    delay = attempts.after_status(response)
                    if delay is None:
                        if not response.is_success:
                            raise self._core.download_error(self._read(response))
                        video = self._core.video_body(spec, response, attempts)
                        with PartialFile(target) as part:
                            for raw in _chunks(response):
                                for piece in video.feed(raw):
                                    part.write(piece)
                            self._core.check_complete(response, video.raw, part.size)
                        return target
                    reason = f"HTTP {response.status_code}"
            except httpx.RequestError as exc:
                delay = attempts.after_error(exc)
                if delay is None:
                    raise self._core.transport_error(spec, exc) from None
                reason = type(exc).__name__
            except BodyError as err:
                raise self._core.body_error(spec, err) from None
            self._core.log_retry(spec, attempts, delay, reason)
            time.sleep(delay)


def _chunks(response: httpx.Response) -> Iterator[bytes]:
    """The raw body as it arrives; an answer built in memory (``httpx.MockTransport``) is already read."""
    if response.is_stream_consumed:
        yield response.content
        return
    yield from response.iter_raw()
