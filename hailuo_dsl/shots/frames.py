"""The frames a compile names: each reference resolved (a local file, or an http(s) URL) and
checked once per compile, however many shots use it (contract §3)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hailuo_dsl.rules import script_compile as rules
from hailuo_dsl.shots import images
from hailuo_dsl.shots.result import file_uri
from hailuo_dsl.textfile import NUL_IN_NAME, user_path

if TYPE_CHECKING:  # httpx is imported only when --check-urls probes a URL
    import httpx

HTTP_TIMEOUT = 10.0
"""Seconds a URL probe may take."""


@dataclass(frozen=True, slots=True)
class Frame:
    """A frame as the request takes it: its URL (``file://`` for a local file), the local file
    (None for an http(s) URL) and what its checks found."""

    url: str
    path: Path | None
    info: images.ImageInfo


class FrameChecker:
    """Resolves and checks frame references, each (folder, reference) once; probes http(s)
    frames with a HEAD request when ``check_urls`` is set (through ``client`` when given)."""

    def __init__(self, check_urls: bool, client: httpx.Client | None) -> None:
        self.check_urls = check_urls
        self.client = client
        self._owns_client = False
        self._frames: dict[tuple[Path, str], Frame] = {}
        self._probes: dict[str, images.ImageInfo] = {}

    def check(self, reference: str, base: Path) -> Frame:
        """The frame ``reference`` names, relative paths read from ``base``."""
        found = self._frames.get((base, reference))
        if found is None:
            found = self._frames[(base, reference)] = self._resolve(reference, base)
        return found

    def _resolve(self, reference: str, base: Path) -> Frame:
        local = images.local_path(reference)
        if local is None and images.is_url(reference):
            problem = images.url_problem(reference)
            if problem is not None:
                return Frame(reference, None, images.ImageInfo(problems=(problem,)))
            return Frame(reference, None, self._probe(reference) if self.check_urls else images.ImageInfo())
        path = local if local is not None else user_path(reference)
        if "\0" in str(path):  # resolve() would raise
            problem = images.ImageProblem(rules.IMAGE_MISSING.code, f"cannot be read: {NUL_IN_NAME}")
            return Frame(reference, None, images.ImageInfo(problems=(problem,)))
        if not path.is_absolute():
            path = base / path
        path = path.resolve()
        return Frame(file_uri(path), path, images.check_image(path))

    def _probe(self, url: str) -> images.ImageInfo:
        if url not in self._probes:
            if self.client is None:
                import httpx

                self.client = httpx.Client(timeout=HTTP_TIMEOUT, follow_redirects=True)
                self._owns_client = True
            self._probes[url] = images.probe_url(url, self.client)
        return self._probes[url]

    def close(self) -> None:
        """Close the HTTP client this checker opened for its probes (not one it was given)."""
        if self._owns_client and self.client is not None:
            self.client.close()
            self.client = None
