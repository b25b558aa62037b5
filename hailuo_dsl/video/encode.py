"""Writing H.264 MP4 files from pictures with PyAV (its wheels carry FFmpeg and libx264).

One writer serves the emulator's animatics and the re-encoding join of a film, so both make the
same kind of file: yuv420p (what every player takes), a fixed frame rate, a keyframe every two
seconds.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Final

import av
from PIL import Image

H264: Final = "libx264"
PIXEL_FORMAT = "yuv420p"


@dataclass(frozen=True, slots=True)
class EncodeSettings:
    """How to encode: libx264's ``preset`` and ``crf``, the keyframe interval in frames, and the
    encoder's thread count (a fixed count makes the same pictures give the same bytes anywhere)."""

    preset: str = "superfast"
    crf: int = 23
    keyframe_interval: int = 50
    threads: int = 1


def even(value: float) -> int:
    """The nearest even whole number, at least 2: yuv420p halves the colour planes' size."""
    return max(2, 2 * round(value / 2))


class ClipWriter:
    """An H.264 MP4 being written, one picture at a time::

        with ClipWriter(path, size=(342, 192), fps=25) as writer:
            for picture in pictures:
                writer.write(picture)

    ``target`` is a path or a binary buffer (a buffer gets no ``faststart``: that needs to reopen a
    file by name). Pictures of another size are resized to ``size``. ``metadata`` becomes the
    container's tags (``title``, ``comment``...).
    """

    def __init__(
        self,
        target: Path | str | io.BytesIO,
        *,
        size: tuple[int, int],
        fps: int | Fraction,
        metadata: Mapping[str, str] | None = None,
        settings: EncodeSettings | None = None,
    ) -> None:
        width, height = size
        if width % 2 or height % 2 or width <= 0 or height <= 0:
            raise ValueError(f"a yuv420p video needs a positive even size, not {width}x{height}")
        settings = settings or EncodeSettings()
        self.size = size
        self.fps = Fraction(fps)
        self.frames = 0
        options = {"movflags": "+faststart"} if not isinstance(target, io.BytesIO) else {}
        self._container = av.open(str(target) if isinstance(target, Path) else target, "w", format="mp4", options=options)
        try:
            for key, value in (metadata or {}).items():
                self._container.metadata[key] = value
            stream = self._container.add_stream(H264, rate=self.fps)
            stream.width, stream.height = size
            stream.pix_fmt = PIXEL_FORMAT
            stream.time_base = 1 / self.fps
            stream.codec_context.thread_count = settings.threads
            stream.options = {"preset": settings.preset, "crf": str(settings.crf), "g": str(settings.keyframe_interval)}
        except BaseException:
            self._container.close()
            raise
        self._stream = stream

    def write(self, picture: Image.Image) -> None:
        """Append one picture as the next frame."""
        if picture.size != self.size:
            picture = picture.resize(self.size, Image.Resampling.BILINEAR)
        if picture.mode != "RGB":
            picture = picture.convert("RGB")
        frame = av.VideoFrame.from_image(picture)  # type: ignore[no-untyped-call]
        frame.pts = self.frames
        frame.time_base = 1 / self.fps
        self._container.mux(self._stream.encode(frame))
        self.frames += 1

    def write_all(self, pictures: Iterable[Image.Image]) -> None:
        for picture in pictures:
            self.write(picture)

    def close(self) -> None:
        """Flush the encoder and finish the file."""
        try:
            self._container.mux(self._stream.encode(None))
        finally:
            self._container.close()

    def __enter__(self) -> ClipWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self._container.close()


def encode_clip(
    pictures: Iterable[Image.Image],
    *,
    size: tuple[int, int],
    fps: int | Fraction,
    metadata: Mapping[str, str] | None = None,
    settings: EncodeSettings | None = None,
) -> bytes:
    """The MP4 bytes of ``pictures`` played at ``fps``."""
    buffer = io.BytesIO()
    with ClipWriter(buffer, size=size, fps=fps, metadata=metadata, settings=settings) as writer:
        writer.write_all(pictures)
    return buffer.getvalue()


def retag_clip(data: bytes, metadata: Mapping[str, str]) -> bytes:
    """The MP4 ``data`` with ``metadata`` as its container tags: packets copied, nothing re-encoded."""
    buffer = io.BytesIO()
    with av.open(io.BytesIO(data), "r") as source, av.open(buffer, "w", format="mp4") as target:
        stream = source.streams.video[0]
        copy = target.add_stream_from_template(stream)
        for key, value in metadata.items():
            target.metadata[key] = value
        for packet in source.demux(stream):
            if packet.dts is None:
                continue  # the empty packet that marks the end of the stream
            packet.stream = copy
            target.mux(packet)
    return buffer.getvalue()
