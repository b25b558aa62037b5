"""First and exact last frames, and checking a clip: compared with decoding the whole clip plainly."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import av
import pytest
from video_helpers import decode_all, make_clip, png, scene

from hailuo_dsl.video import InvalidVideo, first_frame, last_frame, read_last_frame, verify_video
from hailuo_dsl.video.encode import ClipWriter

PICTURE = {"first": png(scene())}


@pytest.fixture(scope="module")
def ten_seconds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10-second emulator clip: 250 frames, a keyframe every 50, B-frames (decode order is not display order)."""
    folder = tmp_path_factory.mktemp("clips")
    return make_clip(
        folder, "ten", {"prompt": "[Pan right], then [Zoom in, Shake]", "image_urls": ["first"], "duration": 10}, images=PICTURE
    )


def test_the_last_frame_is_exactly_the_clips_final_picture(ten_seconds: Path) -> None:
    with av.open(str(ten_seconds)) as container:
        packets = [p for p in container.demux(video=0) if p.size]
    assert sum(p.is_keyframe for p in packets) == 5  # the last frame sits four keyframes in
    assert [p.pts for p in packets] != sorted(p.pts or 0 for p in packets)  # B-frames: reordered
    frames = decode_all(ten_seconds)
    assert len(frames) == 250
    assert last_frame(ten_seconds).tobytes() == frames[-1].tobytes()
    assert last_frame(ten_seconds).tobytes() != frames[-2].tobytes()
    assert first_frame(ten_seconds).tobytes() == frames[0].tobytes()
    final = read_last_frame(ten_seconds)
    assert final.start == pytest.approx(9.96) and final.end == pytest.approx(10.0)


def test_the_last_frame_of_a_clip_whose_frames_do_not_fill_its_last_group(tmp_path: Path) -> None:
    path = tmp_path / "odd.mp4"
    pictures = [scene((320, 180), (10 * i % 250, 90, 200 - i)) for i in range(73)]  # 73 frames: groups of 50 and 23
    with ClipWriter(path, size=(320, 180), fps=Fraction(24000, 1001)) as writer:
        writer.write_all(pictures)
    frames = decode_all(path)
    assert len(frames) == 73 and last_frame(path).tobytes() == frames[-1].tobytes()
    assert verify_video(path, 73 * 1001 / 24000).frames == 73


def test_verify_accepts_the_clip_asked_for(ten_seconds: Path) -> None:
    info = verify_video(ten_seconds, 10)
    assert (info.codec, info.fps, info.frames, info.duration, info.size) == ("h264", 25, 250, 10.0, (170, 96))
    assert verify_video(ten_seconds, 10.4).duration == 10.0  # within half a second
    with pytest.raises(InvalidVideo, match=r"^ten\.mp4: lasts 10\.00 s, where 6 s was asked for \(at most 0\.5 s off\)$"):
        verify_video(ten_seconds, 6)


def _cut(source: Path, target: Path, keep: int) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: keep if keep > 0 else len(data) + keep])
    return target


@pytest.mark.parametrize("keep", [1000, -1, -5000])
def test_verify_rejects_a_truncated_file(ten_seconds: Path, tmp_path: Path, keep: int) -> None:
    """The emulator's files have their index at the end; a film's (``faststart``) at the start: both cut."""
    with pytest.raises(InvalidVideo, match=r"^cut\.mp4: truncated: its (moov|mdat) box needs [\d,]+ bytes, the file has [\d,]+$"):
        verify_video(_cut(ten_seconds, tmp_path / "cut.mp4", keep), 10)
    film = tmp_path / "film.mp4"
    with ClipWriter(film, size=(170, 96), fps=25) as writer:
        writer.write_all(decode_all(ten_seconds))
    assert film.read_bytes()[4:8] == b"ftyp" and film.read_bytes().index(b"moov") < film.read_bytes().index(b"mdat")
    with pytest.raises(InvalidVideo, match=r"^cut\.mp4: truncated: its (moov|mdat) box needs"):
        verify_video(_cut(film, tmp_path / "cut.mp4", keep), 10)
    if keep == -5000:  # read on its own, the last frame says so too: the index lists frames the file lacks
        with pytest.raises(InvalidVideo, match=r"^cut\.mp4: truncated: \d+ of the 250 frames its header lists are in the file$"):
            last_frame(tmp_path / "cut.mp4")


def test_verify_rejects_what_is_not_one_video(tmp_path: Path) -> None:
    audio = tmp_path / "sound.mp4"
    with av.open(str(audio), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=48000)
        frame = av.AudioFrame(format="fltp", layout="mono", samples=1024)
        frame.sample_rate = 48000
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        for index in range(20):
            frame.pts = index * 1024
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    with pytest.raises(InvalidVideo, match=r"^sound\.mp4: has no video stream$"):
        verify_video(audio, 6)
    page = tmp_path / "page.mp4"
    page.write_text("<html>502 Bad Gateway</html>")
    with pytest.raises(InvalidVideo, match=r"^page\.mp4: cannot be read as a video \(.+\); truncated, or not a video file$"):
        verify_video(page, 6)
    with pytest.raises(InvalidVideo, match=r"^gone\.mp4: no such file$"):
        verify_video(tmp_path / "gone.mp4", 6)
    two = tmp_path / "two.mp4"
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        streams = [container.add_stream("libx264", rate=25) for _ in range(2)]
        for stream in streams:
            stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for index in range(25):
            for stream in streams:
                picture = av.VideoFrame.from_image(scene((64, 64), marker=False))  # type: ignore[no-untyped-call]
                picture.pts = index
                container.mux(stream.encode(picture))
        for stream in streams:
            container.mux(stream.encode(None))
    two.write_bytes(buffer.getvalue())
    with pytest.raises(InvalidVideo, match=r"^two\.mp4: has 2 video streams, where one was expected$"):
        verify_video(two, 1)
