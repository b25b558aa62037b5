"""The frames of a render: each local image uploaded once per content and API, its URL reused
from the journal across runs while it is young enough."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from hailuo_dsl.client import AsyncClient
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.render.commit import GroupCommit
from hailuo_dsl.render.journal import Journal


class HasFrames(Protocol):
    """A compiled shot, as far as its frames go."""

    @property
    def request(self) -> VideoRequest: ...

    @property
    def local_images(self) -> Mapping[str, Path]: ...

    def resolved(self, urls: Mapping[Path, str]) -> VideoRequest: ...


class Uploads:
    """The uploads of one run: a journal cache keyed by content and API, and one upload in
    flight per image however many shots use it."""

    def __init__(self, client: AsyncClient, journal: Journal, commits: GroupCommit, max_age: float) -> None:
        self.client = client
        self.journal = journal
        self.commits = commits
        self.max_age = max_age
        self.pending: dict[str, asyncio.Future[str]] = {}

    async def resolve(self, shot: HasFrames) -> VideoRequest:
        """The request to send: local images replaced by their uploaded URLs."""
        paths = sorted(set(shot.local_images.values()))
        if not paths:
            return shot.request
        urls = {path: await self.url_of(path) for path in paths}
        return shot.resolved(urls)

    async def url_of(self, path: Path) -> str:
        """The URL of an image: from the journal when this content was uploaded to this API
        recently, else uploaded (once per run, however many shots use it)."""
        from hailuo_dsl.shots.images import file_digest  # cached: the request hash has just read it

        # Keyed by content and API: an upload to one server is no use to another.
        digest = file_digest(path) + "@" + self.client.base_url
        cached = self.journal.upload_url(digest, max_age=self.max_age)
        if cached is not None:
            return cached
        pending = self.pending.get(digest)
        if pending is None:
            pending = asyncio.ensure_future(self._upload(path, digest))
            self.pending[digest] = pending
        return await asyncio.shield(pending)

    async def _upload(self, path: Path, digest: str) -> str:
        url = await self.client.upload_image(path)
        await self.commits.enqueue(lambda: self.journal.record_upload(digest, url))
        return url
