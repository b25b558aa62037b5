"""Reading single frames of a video: the first, and the exact last.

The last frame is found by demuxing (reading packets without decoding them) to the end of the
file, keeping the packets from the last keyframe on, and decoding only those: a seek to a time
lands on a keyframe near it and is only as exact as the container's index, while this reads the
picture a player shows last, B-frames and all.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.container
import av.error
import av.video.stream
from PIL import Image


class InvalidVideo(ValueError):
    """A file that is not the video it should be; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class DecodedFrame:
    """A decoded frame, its presentation time and the time it ends (seconds from the stream's start)."""

    image: Image.Image
    start: float
    end: float


def open_video(path: Path | str) -> av.container.InputContainer:
    """Open ``path`` for reading; ``InvalidVideo`` if it is not a container FFmpeg can read."""
    path = Path(path)
    try:
        return av.open(str(path), "r")
    except FileNotFoundError:
        raise InvalidVideo(f"{path.name}: no such file") from None
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as err:
        raise InvalidVideo(f"{path.name}: cannot be read as a video ({_why(err)}); truncated, or not a video file") from None


def video_stream(container: av.container.InputContainer, name: str) -> av.video.stream.VideoStream:
    """The one video stream of ``container``; ``InvalidVideo`` if there is none or more than one."""
    streams = container.streams.video
    if not streams:
        raise InvalidVideo(f"{name}: has no video stream")
    if len(streams) > 1:
        raise InvalidVideo(f"{name}: has {len(streams)} video streams, where one was expected")
    return streams[0]


def first_frame(path: Path | str) -> Image.Image:
    """The first picture of the video at ``path``, as an RGB image."""
    return read_first_frame(path).image


def last_frame(path: Path | str) -> Image.Image:
    """The exact last picture of the video at ``path`` (the one a player shows last), as an RGB image."""
    return read_last_frame(path).image


def read_first_frame(path: Path | str) -> DecodedFrame:
    """The first picture of the video with its times; ``InvalidVideo`` when it does not decode."""
    path = Path(path)
    with open_video(path) as container:
        stream = video_stream(container, path.name)
        try:
            for frame in container.decode(stream):
                return _decoded(frame, stream)
        except av.error.FFmpegError as err:
            raise InvalidVideo(f"{path.name}: its first frame does not decode ({_why(err)})") from None
    raise InvalidVideo(f"{path.name}: its first frame does not decode (the stream has no frames)")


def read_last_frame(path: Path | str) -> DecodedFrame:
    """The last picture of the video with its times, decoded from the last keyframe on (module doc)."""
    path = Path(path)
    with open_video(path) as container:
        stream = video_stream(container, path.name)
        tail: list[av.Packet[Any]] = []
        count = 0
        try:
            for packet in container.demux(stream):
                if packet.size == 0:
                    continue  # the empty packet that marks the end of the stream
                count += 1
                if packet.is_keyframe:
                    tail = [packet]
                elif tail:
                    tail.append(packet)
        except av.error.FFmpegError as err:
            raise InvalidVideo(f"{path.name}: its packets cannot be read to the end ({_why(err)}); truncated?") from None
        if stream.frames and count < stream.frames:
            raise InvalidVideo(f"{path.name}: truncated: {count} of the {stream.frames} frames its header lists are in the file")
        if not tail:
            raise InvalidVideo(f"{path.name}: its last frame does not decode (no keyframe in the stream)")
        last: av.VideoFrame | None = None
        try:
            for packet in [*tail, None]:
                for frame in stream.codec_context.decode(packet):
                    if last is None or (frame.pts or 0) >= (last.pts or 0):
                        last = frame
        except av.error.FFmpegError as err:
            raise InvalidVideo(f"{path.name}: its last frame does not decode ({_why(err)})") from None
        if last is None:
            raise InvalidVideo(f"{path.name}: its last frame does not decode (its last keyframe gives no picture)")
        return _decoded(last, stream)


def frame_rate(stream: av.video.stream.VideoStream) -> Fraction:
    """The stream's frame rate (frames per second); 25 when the file does not say."""
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    return Fraction(rate) if rate else Fraction(25)


def _decoded(frame: av.VideoFrame, stream: av.video.stream.VideoStream) -> DecodedFrame:
    time_base = stream.time_base or Fraction(1, 90000)
    origin = stream.start_time or 0
    start = float(((frame.pts or 0) - origin) * time_base)
    length = float(frame.duration * time_base) if frame.duration else float(1 / frame_rate(stream))
    return DecodedFrame(to_image(frame), start, start + length)


def to_image(frame: av.VideoFrame) -> Image.Image:
    """A decoded frame as an RGB picture."""
    picture: Image.Image = frame.to_image()  # type: ignore[no-untyped-call]
    return picture


def _why(err: BaseException) -> str:
    """FFmpeg's words for an error, without the file name it repeats."""
    if isinstance(err, av.error.FFmpegError):
        return str(err.strerror or err).rstrip(".")
    return str(err)
