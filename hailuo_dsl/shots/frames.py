"""The frames a compile names: each reference resolved (a local file, or a URL) and its facts
learnt once per compile, however many shots use it (contract §3)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hailuo_dsl.contract import IMAGE_URL_SCHEMES
from hailuo_dsl.shots import images
from hailuo_dsl.textfile import NUL_IN_NAME, user_path

if TYPE_CHECKING:  # httpx is imported only when --check-urls probes a URL
    import httpx

HTTP_TIMEOUT = 10.0
"""Seconds a URL probe may take."""

IMAGE_ROLES = {"first_frame": "first frame", "last_frame": "last frame"}
"""The settings that name frames, and what people call them."""


@functools.lru_cache(maxsize=1024)
def file_uri(path: Path) -> str:
    """``file://`` URL of an absolute path (cached: a storyboard reuses a few frames)."""
    return path.as_uri()


@dataclass(frozen=True, slots=True)
class Frame:
    """A frame as the request takes it: its URL (``file://`` for a local file), the local file
    (None for a URL) and what was learnt of it."""

    url: str
    path: Path | None
    facts: images.ImageFacts


class FrameChecker:
    """Resolves frame references and learns their facts, each (folder, reference) once; probes
    http(s) frames with a HEAD request when ``check_urls`` is set (through ``client`` when given)."""

    def __init__(self, check_urls: bool, client: httpx.Client | None) -> None:
        self.check_urls = check_urls
        self.client = client
        self._owns_client = False
        self._frames: dict[tuple[Path, str], Frame] = {}
        self._probes: dict[str, images.ImageFacts] = {}

    def check(self, reference: str, base: Path) -> Frame:
        """The frame ``reference`` names, relative paths read from ``base``."""
        found = self._frames.get((base, reference))
        if found is None:
            found = self._frames[(base, reference)] = self._resolve(reference, base)
        return found

    def _resolve(self, reference: str, base: Path) -> Frame:
        local = images.local_path(reference)
        if local is None and images.is_url(reference):
            facts = images.url_facts(reference)
            if self.check_urls and facts.scheme in IMAGE_URL_SCHEMES:
                facts = self._probe(reference)
            return Frame(reference, None, facts)
        path = local if local is not None else user_path(reference)
        if "\0" in str(path):  # resolve() would raise
            return Frame(reference, None, images.ImageFacts(unreadable=f"cannot be read: {NUL_IN_NAME}"))
        if not path.is_absolute():
            path = base / path
        path = path.resolve()
        return Frame(file_uri(path), path, images.image_facts(path))

    def _probe(self, url: str) -> images.ImageFacts:
        if url not in self._probes:
            if self.client is None:
                import httpx

                from hailuo_dsl.version import user_agent

                headers = {"User-Agent": user_agent()}  # a probe says who asks, as every request does
                self.client = httpx.Client(timeout=HTTP_TIMEOUT, follow_redirects=True, headers=headers)
                self._owns_client = True
            self._probes[url] = images.probe_url(url, self.client)
        return self._probes[url]

    def close(self) -> None:
        """Close the HTTP client this checker opened for its probes (not one it was given)."""
        if self._owns_client and self.client is not None:
            self.client.close()
            self.client = None
