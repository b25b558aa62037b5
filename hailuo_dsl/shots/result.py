"""What a compile gives: the shots as requests, every finding, and the error that lists them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hailuo_dsl.contract.request import VideoRequest, request_hash
from hailuo_dsl.diagnostics import Diagnostic, Severity
from hailuo_dsl.prompt.positions import LineIndex
from hailuo_dsl.shots import images
from hailuo_dsl.shots.continuity import placeholder
from hailuo_dsl.shots.frames import IMAGE_ROLES, file_uri
from hailuo_dsl.shots.spec import ShotSpec, spec_text_or_empty
from hailuo_dsl.shots.syntax import Script


class CompileError(Exception):
    """A script with compile errors; the message lists them as ``file:line:col: CODE message``."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)


class UnknownShotError(ValueError):
    """``shots=`` named a shot the script does not have (the message has a did-you-mean)."""


@dataclass(frozen=True)
class CompiledShot:
    """One shot as a request. Local frames stand in the request as ``file://`` URLs until
    :meth:`resolved` swaps in their uploaded URLs.

    A shot that ``continues`` another has the placeholder ``last-frame-of:NAME`` as its first
    frame until the render knows that frame and :meth:`bound` puts it in; ``frame_digest`` is then
    the digest of its pixels. ``takes`` is how many variants a render makes (``@takes``)."""

    name: str
    request: VideoRequest
    local_images: dict[str, Path]
    settings: dict[str, object]
    sources: dict[str, str]
    line: int
    continues: str | None = None
    takes: int = 1
    frame_digest: str | None = None

    def request_hash(self) -> str:
        """sha256 of the canonical request body with each local frame replaced by the sha256 of
        its bytes: changing an image's content or any setting but the callback URL changes the
        hash; moving the project folder does not. A continued shot's first frame counts by its
        pixels' digest (the lineage), so the same parent frame gives the same hash however it was saved."""
        swaps = {}
        for role, path in self.local_images.items():
            if role == "first_frame" and self.frame_digest is not None:
                swaps[file_uri(path)] = "frame:" + self.frame_digest  # by its pixels; the file need not exist yet
            else:
                swaps[file_uri(path)] = "sha256:" + images.file_digest(path)
        return request_hash(_swap_urls(self.request, swaps).body())

    def bound(self, frame: Path, digest: str) -> CompiledShot:
        """This continued shot with its first frame known: the image at ``frame`` (absolute),
        whose pixels have ``digest``."""
        if self.continues is None:
            raise ValueError(f"shot {self.name!r} continues no shot")
        request = _swap_urls(self.request, {placeholder(self.continues): file_uri(frame)})
        images_ = {**self.local_images, "first_frame": frame}
        return replace(self, request=request, local_images=images_, frame_digest=digest)

    def resolved(self, urls: Mapping[Path, str]) -> VideoRequest:
        """The request with each local frame replaced by its uploaded URL (``urls`` maps the
        absolute paths of :attr:`local_images` to URLs); KeyError names a frame not in it."""
        swaps = {}
        for role, path in self.local_images.items():
            if path not in urls:
                raise KeyError(f"no uploaded URL for the {IMAGE_ROLES[role]} {path}")
            swaps[file_uri(path)] = urls[path]
        return _swap_urls(self.request, swaps)

    def to_json(self) -> dict[str, Any]:
        """``{"shot", "request", "local_images", "request_hash"}``: one line of ``hailuo compile``;
        ``continues`` (the shot whose last frame is the first) and ``takes`` when they are set.
        A continued shot's hash is that of its placeholder: the render's adds the frame's digest."""
        found: dict[str, Any] = {
            "shot": self.name,
            "request": self.request.body(),
            "local_images": {role: str(path) for role, path in self.local_images.items()},
        }
        if self.continues is not None:
            found["continues"] = self.continues
        if self.takes != 1:
            found["takes"] = self.takes
        found["request_hash"] = self.request_hash()
        return found


def _swap_urls(request: VideoRequest, swaps: Mapping[str, str]) -> VideoRequest:
    if not swaps:
        return request
    update: dict[str, Any] = {}
    if request.image_urls:
        update["image_urls"] = [swaps.get(u, u) for u in request.image_urls]
    if request.metadata is not None and request.metadata.last_frame_image:
        last = request.metadata.last_frame_image
        update["metadata"] = request.metadata.model_copy(update={"last_frame_image": swaps.get(last, last)})
    return request.model_copy(update=update)


@dataclass(slots=True)
class CompileResult:
    """The shots that compiled (those without errors) and every finding."""

    shots: list[CompiledShot]
    diagnostics: list[Diagnostic]
    script: Script
    spec: ShotSpec | None = None

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    def raise_for_errors(self) -> None:
        """Raise :class:`CompileError` listing every error as ``file:line:col: CODE message``."""
        errors = [d for d in self.diagnostics if d.severity is Severity.ERROR]
        if errors:
            lines = [format_location(d, self.script, self.spec) + f": {d.code} {d.message}" for d in errors]
            raise CompileError("\n".join(lines), errors)


def format_location(d: Diagnostic, script: Script, spec: ShotSpec | None) -> str:
    """``file:line:col`` of a diagnostic of this compile (in the script or in its spec)."""
    if d.path is None:
        name, text = (str(script.path) if script.path is not None else "<script>"), script.text
    else:
        name = d.path
        text = (
            spec.text if spec is not None and spec.path is not None and str(spec.path) == d.path else spec_text_or_empty(d.path)
        )
    pos = LineIndex(text).position(d.start)
    return f"{name}:{pos.line + 1}:{pos.column + 1}"
