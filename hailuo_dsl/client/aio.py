"""``AsyncClient``: the asyncio client. Its twin ``Client`` shares every decision through ``ClientCore``."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import httpx

from hailuo_dsl.client.core import ClientCore, RequestSpec, tls_context
from hailuo_dsl.client.download import PartialFile
from hailuo_dsl.client.models import Task
from hailuo_dsl.client.retry import RetryPolicy
from hailuo_dsl.contract import FIRST_POLL_DELAY, POLL_INTERVAL
from hailuo_dsl.contract.request import VideoRequest


class AsyncClient:
    """An asyncio client of the video API (use it as a context manager, or call ``aclose()``)."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        poll_interval: float = POLL_INTERVAL,
        first_poll_delay: float = FIRST_POLL_DELAY,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._core = ClientCore(api_key, base_url, retry=retry, poll_interval=poll_interval, first_poll_delay=first_poll_delay)
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport, follow_redirects=True, verify=tls_context())

    @property
    def base_url(self) -> str:
        return self._core.base_url

    def __repr__(self) -> str:
        return f"AsyncClient(base_url={self._core.base_url!r})"

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _send(self, spec: RequestSpec, *, deadline_at: float | None = None) -> httpx.Response:
        attempts = self._core.attempts(spec, deadline_at)
        while True:
            attempts.begin()
            try:
                response = await self._http.send(self._http.build_request(**spec.build_args()))
            except httpx.RequestError as exc:
                delay = attempts.after_error(exc)
                if delay is None:
                    raise self._core.transport_error(spec, exc) from None
                reason = type(exc).__name__
            else:
                delay = attempts.after_status(response)
                if delay is None:
                    return response
                reason = f"HTTP {response.status_code}"
            self._core.log_retry(spec, attempts, delay, reason)
            await asyncio.sleep(delay)

    async def upload_image(self, path: str | os.PathLike[str]) -> str:
        """Upload a local image; the public URL to put in a request (``OSError`` if the file cannot be read)."""
        spec = self._core.upload_spec(path)
        return self._core.read_upload(await self._send(spec))

    async def submit(self, request: VideoRequest) -> Task:
        """Submit one generation task (never retried once it may have reached the server)."""
        spec = self._core.submit_spec(request)
        return self._core.read_submit(spec, await self._send(spec))

    async def get(self, task_id: str) -> Task:
        """The task's current state."""
        return await self._get(task_id)

    async def _get(self, task_id: str, deadline_at: float | None = None) -> Task:
        return self._core.read_task(await self._send(self._core.query_spec(task_id), deadline_at=deadline_at))

    async def wait(self, task_id: str, *, timeout: float = 900.0, on_progress: Callable[[Task], None] | None = None) -> Task:
        """Poll until the task completes (returned), fails (``TaskFailed``) or the deadline passes (``DeadlineExceeded``)."""
        loop = self._core.wait_loop(task_id, timeout, on_progress)
        while True:
            await asyncio.sleep(loop.next_delay())
            done = loop.observe(await self._get(task_id, loop.deadline_at))
            if done is not None:
                return done

    async def download(self, task_or_url: Task | str, path: str | os.PathLike[str]) -> Path:
        """Stream the video to ``path`` (a file, or a folder to put ``<task id>.mp4`` in); returns the file."""
        url, target = self._core.download_target(task_or_url, path)
        spec = self._core.download_spec(url)
        attempts = self._core.attempts(spec)
        while True:
            attempts.begin()
            try:
                async with self._http.stream(**spec.build_args()) as response:
                    delay = attempts.after_status(response)
                    if delay is None:
                        if not response.is_success:
                            await response.aread()
                            raise self._core.download_error(response)
                        with PartialFile(target) as part:
                            async for chunk in response.aiter_bytes():
                                part.write(chunk)
                            self._core.check_complete(response, part.size)
                        return target
                    reason = f"HTTP {response.status_code}"
            except httpx.RequestError as exc:
                delay = attempts.after_error(exc)
                if delay is None:
                    raise self._core.transport_error(spec, exc) from None
                reason = type(exc).__name__
            self._core.log_retry(spec, attempts, delay, reason)
            await asyncio.sleep(delay)
