"""Helpers of the video tests: pictures with a marker to follow, emulator clips made without a server,
and decoding a whole clip the plain way (to compare the library's answers against)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import av
from PIL import Image, ImageChops, ImageDraw, ImageStat

from hailuo_dsl.emulator.animatic import render_animatic

SCALE = 0.125  # 768P 16:9 clips of 170x96: fast, and large enough to follow a marker
MARKER = (255, 255, 255)


def scene(
    size: tuple[int, int] = (1280, 720), color: tuple[int, int, int] = (40, 70, 120), *, marker: bool = True
) -> Image.Image:
    """A dark textured picture with one white square marker in its middle (a fifth of its height)."""
    picture = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(picture)
    width, height = size
    for x in range(0, width, max(8, width // 16)):
        draw.line((x, 0, x, height), fill=(color[0] // 2, color[1] // 2, color[2] // 2), width=max(1, width // 200))
    if marker:
        side = height // 5
        draw.rectangle(
            (width // 2 - side // 2, height // 2 - side // 2, width // 2 + side // 2, height // 2 + side // 2), fill=MARKER
        )
    return picture


def png(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def make_clip(
    folder: Path,
    name: str,
    request: dict[str, Any],
    *,
    images: dict[str, bytes] | None = None,
    shot: str | None = None,
    scale: float = SCALE,
) -> Path:
    """The emulator's clip of ``request`` (image URLs are keys of ``images``), written to ``folder/name.mp4``."""
    data = render_animatic(request, task_id=f"vid_{name}", shot=shot, fetch_image=(images or {}).get, scale=scale)
    path = folder / f"{name}.mp4"
    path.write_bytes(data)
    return path


def decode_all(path: Path) -> list[Image.Image]:
    """Every frame of the clip, in the order shown, decoded from the start."""
    with av.open(str(path)) as container:
        frames = sorted(container.decode(video=0), key=lambda frame: frame.pts or 0)
        return [frame.to_image() for frame in frames]  # type: ignore[no-untyped-call]


def difference(one: Image.Image, two: Image.Image) -> float:
    """Mean absolute difference of two pictures of one size, 0 to 255."""
    return float(sum(ImageStat.Stat(ImageChops.difference(one.convert("RGB"), two.convert("RGB"))).mean) / 3)


def marker_box(picture: Image.Image) -> tuple[int, int, int, int]:
    """Where the white marker is: the box around the near-white pixels."""
    box = picture.convert("L").point(lambda value: 255 if value > 200 else 0).getbbox()
    assert box is not None, "no marker in the picture"
    return box


def centre(box: tuple[int, int, int, int]) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
