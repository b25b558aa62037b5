"""The emulator's animatics, decoded: they start on the first frame, act out the prompt's directives in
order and end on the last frame; text-to-video shows a card; sizes follow the resolution and aspect."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from video_helpers import centre, decode_all, difference, make_clip, marker_box, png, scene

from hailuo_dsl.emulator.animatic import FPS, AnimaticSource, animatic_frames, render_animatic
from hailuo_dsl.emulator.camera import directive_groups, fit, video_size
from hailuo_dsl.prompt.directives import DIRECTIVES
from hailuo_dsl.video import probe_video, verify_video

PICTURE = {"first": png(scene())}


def test_directives_are_read_as_the_linter_reads_them() -> None:
    prompt = "A boat [Pan left], then [pan right, PEDESTAL UP] and [Push out] [Slow push in] [Static shot] [Zoom in"
    assert directive_groups(prompt) == [("Pan left",), ("Pan right", "Pedestal up"), ("Static shot",)]
    for directive in DIRECTIVES:  # every canonical spelling of every directive has a move
        for spelling in getattr(
            directive, "names", (directive.name,)
        ):  # with the official Chinese names, once the table has them
            assert directive_groups(f"[{spelling}]") == [(directive.name,)]
    assert directive_groups(None) == directive_groups("no brackets at all") == []


def test_sizes_follow_the_resolution_and_the_first_frame() -> None:
    assert video_size("768P", 16 / 9, 1) == (1366, 768)
    assert video_size("1080P", 16 / 9, 1) == (1920, 1080)
    assert video_size("512P", 16 / 9, 1) == (910, 512)
    assert video_size("768P", 9 / 16, 1) == (768, 1366)  # the resolution names the short side
    assert video_size("768P", 16 / 9, 0.25) == (342, 192)
    assert video_size("768P", 10.0, 1) == video_size("768P", 5 / 2, 1) == (1920, 768)  # the API's aspect limit


def _track(tmp_path: Path, prompt: str) -> list[tuple[float, float, int]]:
    """The marker's centre and width in the first, middle and last frames of the clip of ``prompt``."""
    path = make_clip(tmp_path, "moves", {"prompt": prompt, "image_urls": ["first"]}, images=PICTURE)
    frames = decode_all(path)
    assert len(frames) == 6 * FPS
    found = []
    for index in (0, len(frames) // 2, len(frames) - 1):
        box = marker_box(frames[index])
        found.append((*centre(box), box[2] - box[0]))
    return found


@pytest.mark.parametrize(
    ("prompt", "right", "down", "grows"),
    [
        ("[Pan left]", 1, 0, 0),  # the camera turns left: the picture slides right
        ("[Truck right]", -1, 0, 0),
        ("[Tilt up]", 0, 1, 0),  # the camera looks up: the picture slides down
        ("[Pedestal down]", 0, -1, 0),
        ("[Push in]", 0, 0, 1),
        ("[Zoom out]", 0, 0, -1),
        ("[Pan left, Tilt up]", 1, 1, 0),  # one bracket: both at once
        ("[Static shot]", 0, 0, 0),
        ("[Push out]", 0, 0, 0),  # a near miss the model reads as text: nothing moves
    ],
)
def test_each_move_is_acted_out(tmp_path: Path, prompt: str, right: int, down: int, grows: int) -> None:
    (x0, y0, w0), _, (x1, y1, w1) = _track(tmp_path, "A square " + prompt)
    for change, sign in ((x1 - x0, right), (y1 - y0, down), (w1 - w0, grows)):
        if sign == 0:
            assert abs(change) <= 1
        else:
            assert change * sign > 5


def test_moves_run_in_order_and_shake_settles(tmp_path: Path) -> None:
    (x0, y0, _), (xm, _, _), (x1, y1, _) = _track(tmp_path, "[Pan left], then [Pan right]")
    assert xm - x0 > 10 and abs(x1 - x0) <= 1 and abs(y1 - y0) <= 1  # out and back
    path = make_clip(tmp_path, "shake", {"prompt": "[Shake]", "image_urls": ["first"]}, images=PICTURE)
    frames = decode_all(path)
    middle = [centre(marker_box(frame)) for frame in frames[60:90]]
    assert len(set(middle)) > 5  # it jitters
    assert difference(frames[0], frames[-1]) < 2  # and comes to rest where it started


def test_first_and_last_frames_are_the_requests_images(tmp_path: Path) -> None:
    first, last = scene(), scene((960, 720), (150, 60, 40))  # the last frame is 4:3: cropped to the first's 16:9
    images = {"first": png(first), "last": png(last)}
    request = {"prompt": "[Pan right]", "image_urls": ["first"], "metadata": {"last_frame_image": "last"}, "duration": 10}
    path = make_clip(tmp_path, "flf", request, images=images)
    frames = decode_all(path)
    info = verify_video(path, 10)
    assert info.size == (170, 96) and len(frames) == 10 * FPS
    assert difference(frames[0], fit(first, info.size)) < 3
    assert difference(frames[-1], fit(last, info.size)) < 3
    assert difference(frames[-1], last.resize(info.size)) > difference(frames[-1], fit(last, info.size))  # cropped, not squeezed


def test_the_first_frames_aspect_sets_the_size(tmp_path: Path) -> None:
    portrait = {"first": png(scene((720, 1280)))}
    path = make_clip(
        tmp_path, "portrait", {"prompt": "[Zoom in]", "image_urls": ["first"], "resolution": "1080P"}, images=portrait
    )
    assert probe_video(path).size == (136, 240)  # 1080x1920 at an eighth


def test_text_to_video_is_a_card_with_the_shots_name(tmp_path: Path) -> None:
    body = {"prompt": "City night scene, neon lights flickering [Pan left]", "resolution": "1080P"}
    named = make_clip(tmp_path, "named", body, shot="city")
    anonymous = make_clip(tmp_path, "anonymous", body)
    assert probe_video(named).size == (240, 136) and probe_video(named).tags["title"] == "city"
    card = decode_all(named)[0]
    assert len(card.getcolors(maxcolors=1 << 16) or ()) > 20  # text on a grid, not a flat colour
    assert difference(card, decode_all(anonymous)[0]) > 0.5
    unknown = make_clip(tmp_path, "elsewhere", {"prompt": "A mouse", "image_urls": ["https://example.com/m.jpg"]})
    assert probe_video(unknown).size == (170, 96)  # an image the emulator does not hold: a 16:9 card saying so


def test_clips_are_deterministic_and_tagged_per_task(tmp_path: Path) -> None:
    request = {"prompt": "[Shake], then [Push in]", "image_urls": ["first"]}
    one = render_animatic(request, task_id="vid_1", fetch_image=PICTURE.get, scale=0.125)
    assert render_animatic(request, task_id="vid_1", fetch_image=PICTURE.get, scale=0.125) == one
    (tmp_path / "one.mp4").write_bytes(one)
    (tmp_path / "two.mp4").write_bytes(render_animatic(request, task_id="vid_2", fetch_image=PICTURE.get, scale=0.125))
    assert probe_video(tmp_path / "one.mp4").tags["comment"] == "vid_1"
    assert probe_video(tmp_path / "two.mp4").tags["comment"] == "vid_2"
    pictures = [frame.tobytes() for frame in decode_all(tmp_path / "one.mp4")]
    assert pictures == [frame.tobytes() for frame in decode_all(tmp_path / "two.mp4")]  # the same clip, retagged
    source = AnimaticSource.of(request, shot=None, fetch_image=PICTURE.get, scale=0.125)
    size, frames = animatic_frames(source)
    assert size == (170, 96) and sum(1 for _ in frames) == 150


def test_importing_the_emulator_loads_no_video_library() -> None:
    code = "import sys, hailuo_dsl.emulator, hailuo_dsl.video; print([m for m in ('av', 'opentimelineio') if m in sys.modules])"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def png_claiming(width: int, height: int) -> bytes:
    """A real, black PNG of ``width`` x ``height``: a few hundred kB that decode to gigabytes."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer, row = zlib.compressobj(9), bytes(1 + 3 * width)  # filter byte, then RGB
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the child's peak memory in /proc")
def test_a_frame_of_a_hundred_megapixels_is_not_decoded(tmp_path: Path) -> None:
    """A 300 kB PNG claiming 10000x10000 once took the emulator (and `render --emulator`) over
    1 GB and printed Pillow's warning; it is now shown as a card naming its URL, in bounded memory."""
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_claiming(10_000, 10_000))
    assert bomb.stat().st_size < 1_000_000
    code = (
        "import re, sys\n"
        "from pathlib import Path\n"
        "from hailuo_dsl.emulator.animatic import AnimaticSource, animatic_frames\n"
        "data = Path(sys.argv[1]).read_bytes()\n"
        "request = {'prompt': 'Gulls [Pan left]', 'image_urls': ['https://example.com/bomb.png']}\n"
        "source = AnimaticSource.of(request, shot=None, fetch_image=lambda url: data, scale=0.125)\n"
        "size, frames = animatic_frames(source)\n"
        "next(frames)\n"
        "peak = re.search(r'VmHWM:\\s*(\\d+) kB', Path('/proc/self/status').read_text()).group(1)\n"
        "print(size, int(peak) // 1024)\n"
    )
    done = subprocess.run([sys.executable, "-W", "error", "-c", code, str(bomb)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr[-500:]  # no DecompressionBombWarning
    size, peak_mb = done.stdout.rsplit(" ", 1)
    print(f"a 10000x10000 PNG frame: peak {peak_mb} MB")
    assert size == "(170, 96)"  # the text-to-video card's size: the frame was not decoded
    assert int(peak_mb) < 200
