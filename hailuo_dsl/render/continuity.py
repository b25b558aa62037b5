"""The first frame of a continued shot: the exact last frame of its parent's chosen take.

The frame is decoded exactly (from the last keyframe on, never by a seek; ``video.frames``),
given the size its clip's resolution names when it is smaller (only the emulator's scaled-down
stand-ins are: contract §7), judged by the same frame rules as any first frame (format, weight,
short side, aspect), and saved as a PNG in the render folder's ``frames/`` under its digest. The
digest is of the decoded pixels, not of the PNG's bytes: it is the lineage the child's request
hash holds, so the same parent frame gives the same hash however (and however often) it was
saved or scaled.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from hailuo_dsl.contract import short_side
from hailuo_dsl.diagnostics import Severity
from hailuo_dsl.render.graph import ChosenVideo
from hailuo_dsl.render.records import Lineage

FRAMES_FOLDER = "frames"


class FrameRefused(ValueError):
    """A parent's last frame that cannot be a first frame (the message says which rule and why)."""


@dataclass(frozen=True, slots=True)
class ContinuationFrame:
    """A parent take's last frame, saved and checked: its file and its lineage."""

    path: Path
    lineage: Lineage


def continuation_frame(video: ChosenVideo, out_dir: Path) -> ContinuationFrame:
    """The last frame of ``video`` as a checked first frame in ``out_dir/frames/`` (blocking: run it
    off the event loop). ``InvalidVideo`` when the video does not decode, ``FrameRefused`` when
    the frame breaks a frame rule."""
    from PIL import Image

    from hailuo_dsl.video import last_frame

    picture = last_frame(video.path).convert("RGB")
    digest = pixel_digest(picture)  # of the decoded frame: a resampler's version changes no request hash
    short = short_side(video.resolution)  # type: ignore[arg-type]  # a resolution the request was validated with
    if min(picture.size) < short:  # an emulator's scaled-down clip: back to the size it stands for
        scale = short / min(picture.size)
        size = (max(short, round(picture.width * scale)), max(short, round(picture.height * scale)))
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    folder = out_dir / FRAMES_FOLDER
    path = (folder / f"{video.shot}.take{video.take}.{digest[:16]}.png").absolute()
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.part")
        picture.save(staging, format="PNG", compress_level=1)  # fast; even a noisy 1080P frame stays far under 10 MB
        os.replace(staging, path)  # complete or absent: a killed run never leaves half a frame
    check_frame(path, f"the last frame of {video.shot} (take {video.take})")
    return ContinuationFrame(path, Lineage(video.shot, video.take, digest, str(path)))


def last_frame_digest(video: Path) -> str:
    """The digest of a video's last frame as :func:`continuation_frame` takes it (what a continued
    shot's request hash holds), without saving it: a plan of the render reads it."""
    from hailuo_dsl.video import last_frame

    return pixel_digest(last_frame(video).convert("RGB"))


def pixel_digest(picture: object) -> str:
    """sha256 of a picture's mode, size and pixels."""
    from PIL import Image

    assert isinstance(picture, Image.Image)
    digest = hashlib.sha256(f"{picture.mode} {picture.width}x{picture.height}\n".encode())
    digest.update(picture.tobytes())
    return digest.hexdigest()


def check_frame(path: Path, called: str) -> None:
    """Judge the frame at ``path`` by the frame rules (HL607-HL611, HL613); ``FrameRefused`` names
    the first error."""
    from hailuo_dsl.rules import FRAME_CHECKS
    from hailuo_dsl.rules.contexts import FrameContext
    from hailuo_dsl.shots.images import image_facts

    context = FrameContext(image_facts(path), "first frame", str(path), "", (None, (0, 0)))
    for rule, check in FRAME_CHECKS:
        if rule.severity is not Severity.ERROR:
            continue
        for found in check(context):
            problem = found.message.removeprefix(f"{context.called} ")
            raise FrameRefused(f"{called} cannot be a first frame: {rule.code} {problem}")


__all__ = [
    "FRAMES_FOLDER",
    "ContinuationFrame",
    "FrameRefused",
    "check_frame",
    "continuation_frame",
    "last_frame_digest",
    "pixel_digest",
]
