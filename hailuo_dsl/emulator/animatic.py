"""The emulator's videos: an animatic of each request, encoded as a real H.264 MP4.

The clip starts on the request's first frame (text-to-video: a card with the prompt and the shot's
name), acts out the prompt's camera directives in order (``emulator.camera``), and for
first-last-frame requests ends on the last frame. Frame rate, sizes and moves are described in
``docs/api-contract.md`` ("The emulator"). A clip depends only on what the request shows (its
prompt, settings and image bytes, and the shot's name), so clips are kept by that content and
each task's copy gets its own tags by a remux; PyAV is imported only when a clip is made.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from PIL import Image

from hailuo_dsl.contract import DEFAULT_DURATION, DEFAULT_RESOLUTION
from hailuo_dsl.emulator.camera import (
    CameraPath,
    directive_groups,
    ease,
    fit,
    mirrored_canvas,
    render_view,
    text_card,
    video_size,
)

FPS = 25
"""Frames per second of every emulated clip: Hailuo-02's own videos play at 25 fps."""
DEFAULT_VIDEO_SCALE = 0.25
"""Emulated clips are this share of the real size by default (768P 16:9: 342x192), to encode fast."""
TEXT_ASPECT = 16 / 9
CACHED_CLIPS = 32
MAX_PICTURE_PIXELS = 40_000_000
"""The largest frame the emulator decodes (120 MB as RGB); the videos are at most 1920x1080."""


@dataclass(frozen=True, slots=True)
class AnimaticSource:
    """Everything a clip's pictures depend on: the request's text and settings, the bytes of its
    frames (None when the emulator does not hold the URL), the shot's name and the scale."""

    prompt: str
    duration: int
    resolution: str
    first_url: str | None
    first: bytes | None
    last: bytes | None
    shot: str | None
    scale: float

    @classmethod
    def of(
        cls, request: dict[str, Any], *, shot: str | None, fetch_image: Callable[[str], bytes | None], scale: float
    ) -> AnimaticSource:
        """The source of a valid submit body; ``fetch_image`` gives the bytes of an image URL the emulator holds."""
        urls = request.get("image_urls") or []
        last_url = (request.get("metadata") or {}).get("last_frame_image")
        return cls(
            prompt=request.get("prompt") or "",
            duration=int(request.get("duration", DEFAULT_DURATION)),
            resolution=str(request.get("resolution", DEFAULT_RESOLUTION)),
            first_url=urls[0] if urls else None,
            first=fetch_image(urls[0]) if urls else None,
            last=fetch_image(last_url) if urls and last_url else None,
            shot=shot,
            scale=scale,
        )

    @property
    def key(self) -> str:
        """A digest of the source: equal sources make equal clips."""
        digest = hashlib.sha256()
        fields = [self.prompt, self.duration, self.resolution, self.shot, self.scale]
        fields.append(
            None if self.first is not None else self.first_url
        )  # an image the emulator cannot show: its URL is on the card
        digest.update(json.dumps(fields).encode("utf-8"))
        for image in (self.first, self.last):
            digest.update(hashlib.sha256(image).digest() if image is not None else b"-")
        return digest.hexdigest()


def _picture(data: bytes | None) -> Image.Image | None:
    """The frame's pixels, or None when the emulator cannot show it (its URL goes on the card).

    A frame is decoded only within :data:`MAX_PICTURE_PIXELS` (a JPEG over it at a reduced scale):
    a few hundred kB of PNG can claim 12000x12000 pixels, gigabytes once decoded."""
    if data is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the cap below is stricter
            with Image.open(io.BytesIO(data)) as picture:
                if picture.width * picture.height > MAX_PICTURE_PIXELS:
                    picture.draft("RGB", (picture.width // 8, picture.height // 8))  # JPEG only: decode scaled
                if picture.width * picture.height > MAX_PICTURE_PIXELS:
                    return None
                picture.load()
                converted: Image.Image = picture.convert("RGB")
                return converted
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def animatic_frames(source: AnimaticSource) -> tuple[tuple[int, int], Iterator[Image.Image]]:
    """The clip's size and its pictures, one per frame."""
    groups = directive_groups(source.prompt)
    first = _picture(source.first)
    aspect = first.width / first.height if first is not None else TEXT_ASPECT
    size = video_size(source.resolution, aspect, source.scale)
    if first is not None:
        canvas = mirrored_canvas(fit(first, size))
    else:
        why = "is not one the emulator holds" if source.first is None else "is one the emulator cannot show"
        missing = f"(first frame {source.first_url} {why}) " if source.first_url else ""
        canvas = text_card(missing + source.prompt, source.shot, groups, size)
    last = _picture(source.last) if first is not None else None
    last_canvas = mirrored_canvas(fit(last, size)) if last is not None else None
    path = CameraPath(groups, source.duration * FPS, seed=source.key)

    def pictures() -> Iterator[Image.Image]:
        for index in range(path.frames):
            view = path.view(index)
            picture = render_view(canvas, size, view)
            if last_canvas is not None:
                u = index / max(1, path.frames - 1)
                blend = ease(min(1.0, max(0.0, (u - 0.35) / 0.65)))
                if blend > 0:
                    end = render_view(last_canvas, size, view.relative_to(path.end))
                    picture = end if blend >= 1 else Image.blend(picture, end, blend)
            yield picture

    return size, pictures()


_clips: OrderedDict[str, bytes] = OrderedDict()
_clips_lock = threading.Lock()


def animatic_clip(source: AnimaticSource) -> bytes:
    """The untagged MP4 of ``source``: encoded once, then kept (the last ``CACHED_CLIPS``, for every
    emulator in the process: a test suite renders the same few requests many times)."""
    from hailuo_dsl.video.encode import encode_clip

    key = source.key
    with _clips_lock:
        clip = _clips.get(key)
        if clip is not None:
            _clips.move_to_end(key)
            return clip
    size, pictures = animatic_frames(source)
    clip = encode_clip(pictures, size=size, fps=FPS)
    with _clips_lock:
        _clips[key] = clip
        while len(_clips) > CACHED_CLIPS:
            _clips.popitem(last=False)
    return clip


def render_animatic(
    request: dict[str, Any],
    *,
    task_id: str,
    shot: str | None = None,
    fetch_image: Callable[[str], bytes | None],
    scale: float = DEFAULT_VIDEO_SCALE,
) -> bytes:
    """The MP4 of one task: the animatic of its request at ``FPS``, tagged with the task id
    (``comment``) and the shot's name (``title``)."""
    return task_video(AnimaticSource.of(request, shot=shot, fetch_image=fetch_image, scale=scale), task_id=task_id)


def task_video(source: AnimaticSource, *, task_id: str) -> bytes:
    """The clip of ``source`` tagged for one task (``comment``: its id; ``title``: the shot's name)."""
    from hailuo_dsl.video.encode import retag_clip

    return retag_clip(animatic_clip(source), {"comment": task_id, **({"title": source.shot} if source.shot else {})})
