"""Checking that a downloaded file is the video that was asked for, before anything builds on it.

A render keeps a clip only when it opens, holds one video stream, its first and last frames
decode and it lasts what the request said (within half a second): a file cut off in transfer, an
error page saved as ``.mp4`` or a clip of the wrong length each get a one-line reason.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from hailuo_dsl.video.frames import InvalidVideo, frame_rate, open_video, read_first_frame, read_last_frame, video_stream

DURATION_TOLERANCE = 0.5
"""Seconds a clip may differ from the duration its request asked for."""


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """What a video file's header says: size, frame rate, frame count, length, codec and tags."""

    path: Path
    width: int
    height: int
    fps: Fraction
    frames: int
    duration: float
    codec: str
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height


def probe_video(path: Path | str) -> VideoInfo:
    """The header of the video at ``path`` (nothing is decoded); ``InvalidVideo`` if it has no one video stream."""
    path = Path(path)
    with open_video(path) as container:
        stream = video_stream(container, path.name)
        fps = frame_rate(stream)
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / 1_000_000
        else:
            duration = 0.0
        frames = stream.frames or round(duration * fps)
        return VideoInfo(
            path=path,
            width=stream.codec_context.width,
            height=stream.codec_context.height,
            fps=fps,
            frames=frames,
            duration=duration,
            codec=stream.codec_context.name,
            tags=dict(container.metadata),
        )


def verify_video(path: Path | str, duration: float, *, tolerance: float = DURATION_TOLERANCE) -> VideoInfo:
    """Check the video at ``path`` against the ``duration`` (seconds) it was asked for.

    Returns its :class:`VideoInfo` with ``duration`` measured from its frames; raises
    ``InvalidVideo`` with the reason (not a video, no video stream, a frame that does not decode,
    truncated, or the wrong length).
    """
    path = Path(path)
    _check_boxes(path)
    info = probe_video(path)
    first = read_first_frame(path)
    last = read_last_frame(path)
    measured = last.end - first.start
    announced = info.duration
    frame = float(1 / info.fps)
    if announced - measured > max(frame, 0.05) + 1e-6:
        raise InvalidVideo(
            f"{path.name}: truncated: its frames end at {measured:.2f} s of the {announced:.2f} s its header announces"
        )
    if abs(measured - duration) > tolerance:
        raise InvalidVideo(
            f"{path.name}: lasts {measured:.2f} s, where {duration:g} s was asked for (at most {tolerance:g} s off)"
        )
    return VideoInfo(
        path=path,
        width=info.width,
        height=info.height,
        fps=info.fps,
        frames=info.frames,
        duration=measured,
        codec=info.codec,
        tags=info.tags,
    )


def _check_boxes(path: Path) -> None:
    """``InvalidVideo`` for an MP4 whose top-level boxes run past the end of the file was cut off (the decoder may
    only notice in the last packet, or not at all)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InvalidVideo(f"{path.name}: no such file") from None
    with path.open("rb") as file:
        head = file.read(8)
        if len(head) < 8 or head[4:8] != b"ftyp":
            return  # not an ISO media file: the decoder's checks are all there is
        offset = 0
        while offset + 8 <= size:
            file.seek(offset)
            header = file.read(16)
            box_size, kind = struct.unpack_from(">I4s", header)
            if box_size == 1 and len(header) == 16:
                box_size = struct.unpack_from(">Q", header, 8)[0]
            elif box_size == 0:
                return  # the box runs to the end of the file by definition
            if box_size < 8:
                raise InvalidVideo(f"{path.name}: damaged: the box at byte {offset:,} has a bad size")
            if offset + box_size > size:
                name = kind.decode("latin-1")
                raise InvalidVideo(
                    f"{path.name}: truncated: its {name} box needs {offset + box_size:,} bytes, the file has {size:,}"
                )
            offset += box_size


__all__ = ["DURATION_TOLERANCE", "VideoInfo", "probe_video", "verify_video"]
