"""Helpers of the render tests: a fast client of the emulator, compiled shots built as the compiler
builds them, and the check that a downloaded file is exactly a task's video."""

from __future__ import annotations

from pathlib import Path

from harness import EMULATOR_KEY
from PIL import Image

from hailuo_dsl.client import AsyncClient, RetryPolicy
from hailuo_dsl.contract.request import RequestMetadata, VideoRequest
from hailuo_dsl.emulator import Emulator
from hailuo_dsl.shots import CompiledShot
from hailuo_dsl.video import probe_video, verify_video

API_KEY = EMULATOR_KEY  # the key of the shared ``emulator`` fixture
FAST_RETRY = RetryPolicy(max_attempts=4, base_delay=0.001, max_delay=0.01, retry_after_cap=0.05, deadline=10.0)


def fast_client(emulator: Emulator) -> AsyncClient:
    """A client of the emulator that polls every 10 ms and retries at once."""
    return AsyncClient(api_key=API_KEY, base_url=emulator.url, retry=FAST_RETRY, poll_interval=0.01, first_poll_delay=0.01)


def make_image(path: Path, color: str = "red", size: tuple[int, int] = (640, 360)) -> Path:
    Image.new("RGB", size, color).save(path)
    return path.resolve()


def make_shot(name: str, prompt: str, *, first: Path | None = None, last: Path | None = None, duration: int = 6) -> CompiledShot:
    """A compiled shot as the compiler builds it: local frames as ``file://`` URLs."""
    images: dict[str, Path] = {}
    if first is not None:
        images["first_frame"] = first
    if last is not None:
        images["last_frame"] = last
    request = VideoRequest(
        prompt=prompt,
        duration=duration,  # type: ignore[arg-type]
        image_urls=[first.as_uri()] if first is not None else None,
        metadata=RequestMetadata(last_frame_image=last.as_uri()) if last is not None else None,
    )
    return CompiledShot(name=name, request=request, local_images=images, settings={}, sources={}, line=1)


def assert_video_of(path: Path, task_id: str) -> None:
    """``path`` holds the whole video the emulator made for ``task_id``: tagged with that task, every
    frame there, first and last decoding, 6 or 10 seconds long."""
    info = probe_video(path)
    assert info.tags.get("comment") == task_id
    assert round(info.duration) in (6, 10)
    verify_video(path, round(info.duration))


def write_script(folder: Path, text: str, frames: dict[str, tuple[int, int]] | None = None) -> Path:
    """A ``film.shot`` in ``folder`` with ``text``, and its frames drawn (name: size)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, size in (frames or {}).items():
        make_image(folder / name, "teal", size)
    script = folder / "film.shot"
    script.write_text(text, encoding="utf-8")
    return script


def same_picture(a: Image.Image, b: Image.Image, tolerance: float = 4.0) -> bool:
    """Whether two pictures of one size are the same picture, but for encoding noise (mean difference
    per channel under ``tolerance`` of 255)."""
    from PIL import ImageChops, ImageStat

    assert a.size == b.size, (a.size, b.size)
    return max(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) < tolerance


def film_frames(path: Path) -> list[Image.Image]:
    """Every picture of a video, decoded in order."""
    import av

    with av.open(str(path)) as container:
        return [frame.to_image() for frame in container.decode(video=0)]
