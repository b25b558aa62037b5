"""Joining clips, in order, into one MP4 film.

When every clip has the same codec parameters (codec, size, pixel format, profile, frame rate and
the decoder set-up in ``extradata``, as clips of one resolution from one service do) the packets
are copied into the film with their times shifted: no quality is lost and it runs far faster
than real time. Otherwise the clips are decoded and encoded once with libx264 at a common size
(the largest clip's; others are fitted inside it) and frame rate (the highest). The film is
written beside ``output`` and renamed over it when complete, so a failed join leaves no half film.
"""

from __future__ import annotations

import contextlib
import enum
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.container
import av.video.stream
from PIL import Image

from hailuo_dsl.video.encode import ClipWriter, EncodeSettings
from hailuo_dsl.video.frames import InvalidVideo, frame_rate, open_video, to_image, video_stream

ProgressCallback = Callable[[int, int], None]
"""Called as the join goes with (frames done, frames in all)."""

FILM_SETTINGS = EncodeSettings(preset="veryfast", crf=20, keyframe_interval=50, threads=0)
"""How a film is re-encoded when its clips differ: better than the emulator's clips, all cores."""


class JoinMethod(str, enum.Enum):
    """How clips were joined into a film."""

    COPY = "copy"  # packets remuxed, nothing re-encoded
    ENCODE = "encode"  # decoded and encoded once at a common size and frame rate


@dataclass(frozen=True, slots=True)
class ClipSpan:
    """Where one clip sits in the film: from ``start`` for ``duration`` seconds, ``frames`` frames."""

    path: Path
    start: float
    duration: float
    frames: int


@dataclass(frozen=True, slots=True)
class Assembly:
    """A finished film: its file, how it was joined, its clips in order, size, frame rate and length."""

    output: Path
    method: JoinMethod
    clips: tuple[ClipSpan, ...]
    size: tuple[int, int]
    fps: Fraction
    duration: float


@dataclass(frozen=True, slots=True)
class _Params:
    """What must be equal for packets of several clips to share one track."""

    codec: str
    width: int
    height: int
    pixel_format: str
    profile: str
    fps: Fraction
    extradata: bytes


@dataclass(frozen=True, slots=True)
class _Clip:
    path: Path
    params: _Params
    frames: int
    duration: Fraction


class _CannotCopy(Exception):
    """The packets cannot be copied after all (their decode times would run backwards)."""


def assemble(clips: Sequence[Path | str], output: Path | str, *, on_progress: ProgressCallback | None = None) -> Assembly:
    """Join ``clips`` in order into the MP4 ``output`` (copying packets when their parameters match,
    else re-encoding once); ``InvalidVideo`` names a clip that cannot be read."""
    if not clips:
        raise ValueError("no clips to join")
    output = Path(output)
    found = [_inspect(Path(path)) for path in clips]
    staging = output.with_name(f".{output.name}.{os.getpid()}.part")
    report = on_progress or (lambda done, total: None)
    spans: list[ClipSpan] = []
    try:
        method = JoinMethod.COPY if len({clip.params for clip in found}) == 1 else JoinMethod.ENCODE
        if method is JoinMethod.COPY:
            try:
                spans = _copy(found, staging, report)
            except _CannotCopy:
                method = JoinMethod.ENCODE
        if method is JoinMethod.ENCODE:
            spans = _encode(found, staging, report)
        os.replace(staging, output)
    finally:
        with contextlib.suppress(FileNotFoundError):
            staging.unlink()
    if method is JoinMethod.COPY:
        size, fps = (found[0].params.width, found[0].params.height), found[0].params.fps
    else:
        size, fps = _common_size(found), max(clip.params.fps for clip in found)
    return Assembly(output, method, tuple(spans), size, fps, sum(span.duration for span in spans))


def _inspect(path: Path) -> _Clip:
    with open_video(path) as container:
        stream = video_stream(container, path.name)
        context = stream.codec_context
        params = _Params(
            codec=context.name,
            width=context.width,
            height=context.height,
            pixel_format=context.format.name if context.format is not None else "",
            profile=context.profile or "",
            fps=frame_rate(stream),
            extradata=bytes(context.extradata or b""),
        )
        time_base = stream.time_base or Fraction(1, 90000)
        start = stream.start_time or 0
        end, frames = start, 0
        for packet in container.demux(stream):
            if packet.size == 0 or packet.pts is None:
                continue
            frames += 1
            end = max(end, packet.pts + (packet.duration or 0))
        if frames == 0:
            raise InvalidVideo(f"{path.name}: has no frames")
        return _Clip(path, params, frames, (end - start) * time_base)


def _copy(clips: list[_Clip], staging: Path, report: ProgressCallback) -> list[ClipSpan]:
    """Remux every clip's packets into one track, each clip's times shifted to follow the last."""
    total = sum(clip.frames for clip in clips)
    done = 0
    spans: list[ClipSpan] = []
    offset = Fraction(0)
    last_dts: Fraction | None = None
    with av.open(str(staging), "w", format="mp4", options={"movflags": "+faststart"}) as film:
        target: av.video.stream.VideoStream | None = None
        for clip in clips:
            with av.open(str(clip.path)) as container:
                stream = container.streams.video[0]
                if target is None:
                    target = film.add_stream_from_template(stream)
                time_base = stream.time_base or Fraction(1, 90000)
                shift = round(offset / time_base) - (stream.start_time or 0)
                for packet in container.demux(stream):
                    if packet.size == 0 or packet.dts is None or packet.pts is None:
                        continue
                    packet.pts += shift
                    packet.dts += shift
                    dts = packet.dts * time_base
                    if last_dts is not None and dts <= last_dts:
                        raise _CannotCopy
                    last_dts = dts
                    packet.stream = target
                    film.mux(packet)
                    done += 1
                    report(done, total)
            spans.append(ClipSpan(clip.path, float(offset), float(clip.duration), clip.frames))
            offset += clip.duration
    return spans


def _common_size(clips: list[_Clip]) -> tuple[int, int]:
    largest = max(clips, key=lambda clip: clip.params.width * clip.params.height)
    return largest.params.width, largest.params.height


def _encode(clips: list[_Clip], staging: Path, report: ProgressCallback) -> list[ClipSpan]:
    """Decode every clip and encode the film once, at the common size and frame rate."""
    size = _common_size(clips)
    fps = max(clip.params.fps for clip in clips)
    counts = [round(clip.duration * fps) for clip in clips]
    total, done = sum(counts), 0
    spans: list[ClipSpan] = []
    start = Fraction(0)
    with ClipWriter(staging, size=size, fps=fps, settings=FILM_SETTINGS) as writer:
        for clip, count in zip(clips, counts, strict=True):
            for picture in _resampled(clip, count, fps, size):
                writer.write(picture)
                done += 1
                report(done, total)
            spans.append(ClipSpan(clip.path, float(start), count / float(fps), count))
            start += Fraction(count) / fps
    return spans


def _resampled(clip: _Clip, count: int, fps: Fraction, size: tuple[int, int]) -> Iterator[Image.Image]:
    """``count`` pictures of ``clip`` at ``fps``: each output frame shows the source frame on screen
    at its time, fitted into ``size``."""
    emitted = 0
    with open_video(clip.path) as container:
        stream = container.streams.video[0]
        time_base = stream.time_base or Fraction(1, 90000)
        origin = stream.start_time or 0
        current: Image.Image | None = None
        for frame in container.decode(stream):
            shown_at = ((frame.pts or 0) - origin) * time_base
            while emitted < count and current is not None and Fraction(emitted) / fps < shown_at:
                yield current
                emitted += 1
            current = _fitted(to_image(frame), size)
        while emitted < count and current is not None:
            yield current
            emitted += 1


def _fitted(picture: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``picture`` scaled to fit inside ``size``, centred on black (no part of it is cut)."""
    if picture.size == size:
        return picture
    scale = min(size[0] / picture.width, size[1] / picture.height)
    inner = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    canvas = Image.new("RGB", size)
    canvas.paste(picture.resize(inner, Image.Resampling.LANCZOS), ((size[0] - inner[0]) // 2, (size[1] - inner[1]) // 2))
    return canvas
