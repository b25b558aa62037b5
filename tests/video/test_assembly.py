"""Joining clips into a film: packets copied when the clips match, one re-encode when they differ; a
shot continued from another's exact last frame meets it without a jump."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import pytest
from video_helpers import decode_all, difference, make_clip, png, scene

from hailuo_dsl.client import Client
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.emulator import Emulator
from hailuo_dsl.video import InvalidVideo, JoinMethod, assemble, last_frame, verify_video
from hailuo_dsl.video.encode import ClipWriter


@pytest.fixture
def client() -> Iterator[tuple[Emulator, Client]]:
    with Emulator(time_scale=1000.0, video_scale=0.125) as emulator:
        fast = {"api_key": emulator.api_key, "base_url": emulator.url, "poll_interval": 0.01, "first_poll_delay": 0.01}
        with Client(**fast) as api:  # type: ignore[arg-type]
            yield emulator, api


def _render(api: Client, request: VideoRequest, path: Path) -> Path:
    return api.download(api.wait(api.submit(request).id, timeout=30), path)


def test_a_shot_continued_from_the_last_frame_meets_it_without_a_jump(client: tuple[Emulator, Client], tmp_path: Path) -> None:
    emulator, api = client
    opening = tmp_path / "opening.png"
    scene().save(opening)
    first = _render(
        api, VideoRequest(prompt="The square [Pan left, Push in]", image_urls=[api.upload_image(opening)]), tmp_path / "a.mp4"
    )
    handover = tmp_path / "a-last.png"
    last_frame(first).save(handover)  # the render saves the exact last frame and uploads it as the next first frame
    second = _render(
        api, VideoRequest(prompt="It drifts on [Truck right]", image_urls=[api.upload_image(handover)]), tmp_path / "b.mp4"
    )
    progress: list[tuple[int, int]] = []
    film = assemble([first, second], tmp_path / "film.mp4", on_progress=lambda done, total: progress.append((done, total)))
    assert film.method is JoinMethod.COPY and film.duration == 12 and film.size == (170, 96)
    assert [(span.start, span.duration, span.frames) for span in film.clips] == [(0, 6, 150), (6, 6, 150)]
    assert progress[-1] == (300, 300) and [done for done, _ in progress] == list(range(1, 301))
    frames = decode_all(film.output)
    assert len(frames) == 300 and verify_video(film.output, 12).frames == 300
    assert difference(frames[149], frames[150]) < 2.5  # either side of the cut: the same picture
    assert difference(frames[150], scene().resize(film.size)) > 10  # (which is not where the first shot began)
    assert emulator.stats.downloads == 2


def _packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        return [bytes(packet) for packet in container.demux(video=0) if packet.size]


def test_matching_clips_are_copied_packet_for_packet(tmp_path: Path) -> None:
    images = {"first": png(scene())}
    clips = [
        make_clip(tmp_path, "one", {"prompt": "[Tilt up]", "image_urls": ["first"]}, images=images),
        make_clip(tmp_path, "two", {"prompt": "Night [Zoom out]", "duration": 10}),
        make_clip(tmp_path, "three", {"prompt": "[Shake]", "image_urls": ["first"]}, images=images),
    ]
    film = assemble(clips, tmp_path / "film.mp4")
    assert film.method is JoinMethod.COPY and film.duration == 22 and film.fps == 25
    assert _packets(film.output) == [packet for clip in clips for packet in _packets(clip)]  # nothing re-encoded
    assert [span.start for span in film.clips] == [0, 6, 16]
    frames = decode_all(film.output)
    assert [frame.tobytes() for frame in frames[150:400]] == [frame.tobytes() for frame in decode_all(clips[1])]
    assert not list(tmp_path.glob(".film.mp4.*"))  # the staging file was renamed


def test_clips_of_other_sizes_and_rates_are_encoded_once_to_a_common_one(tmp_path: Path) -> None:
    wide = make_clip(tmp_path, "wide", {"prompt": "[Pan right]", "image_urls": ["first"]}, images={"first": png(scene())})
    square = make_clip(
        tmp_path, "square", {"prompt": "[Push in]", "image_urls": ["first"]}, images={"first": png(scene((720, 720)))}
    )
    quick = tmp_path / "quick.mp4"
    with ClipWriter(quick, size=(64, 48), fps=30) as writer:
        writer.write_all(scene((64, 48), (200, 200, 40), marker=False) for _ in range(60))
    progress: list[int] = []
    film = assemble([wide, square, quick], tmp_path / "film.mp4", on_progress=lambda done, total: progress.append(total))
    assert film.method is JoinMethod.ENCODE
    assert film.size == (170, 96) and film.fps == 30  # the largest clip's size, the highest frame rate
    assert [(span.start, span.duration, span.frames) for span in film.clips] == [(0, 6, 180), (6, 6, 180), (12, 2, 60)]
    assert set(progress) == {420} and len(progress) == 420
    info = verify_video(film.output, 14)
    assert info.frames == 420 and info.fps == 30
    frames = decode_all(film.output)
    square_start = frames[180]
    bar = square_start.crop((0, 0, 30, 96))  # the 96x96 square clip sits in the middle, black either side
    assert max(bar.convert("L").getextrema()) < 20
    assert difference(square_start.crop((37, 0, 133, 96)), decode_all(square)[0]) < 6
    yellow = frames[-1].crop((30, 10, 140, 86)).convert("RGB").resize((1, 1)).getpixel((0, 0))
    assert isinstance(yellow, tuple) and yellow[0] > 150 and yellow[2] < 90  # the last clip, scaled up into the middle


def test_a_clip_that_cannot_be_read_stops_the_join_and_leaves_nothing(tmp_path: Path) -> None:
    good = make_clip(tmp_path, "good", {"prompt": "A calm sea"})
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(good.read_bytes()[:5000])
    with pytest.raises(InvalidVideo, match=r"^bad\.mp4: "):
        assemble([good, bad], tmp_path / "film.mp4")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.mp4", "good.mp4"]
    with pytest.raises(ValueError, match="no clips"):
        assemble([], tmp_path / "film.mp4")


def test_a_fractional_frame_rate_is_kept(tmp_path: Path) -> None:
    clips = []
    for name in ("a", "b"):
        clips.append(tmp_path / f"{name}.mp4")
        with ClipWriter(clips[-1], size=(64, 36), fps=Fraction(30000, 1001)) as writer:
            writer.write_all(scene((64, 36)) for _ in range(30))
    film = assemble(clips, tmp_path / "film.mp4")
    assert film.method is JoinMethod.COPY and film.fps == Fraction(30000, 1001)
    assert film.duration == pytest.approx(60 * 1001 / 30000)
