"""Film benchmark: joining 20 emulator clips into one film by packet copy, against the clips' real time.

Run: ``python benchmarks/film.py``. Twenty different requests (text-to-video cards and
image-to-video shots, 6 s and 10 s, various camera moves) are rendered by the emulator at its
default video scale and downloaded through the client; each download is timed, so the first
figure is the cost of making one emulated clip (animatic frames + H.264 encode + remux).

Figures: clip making per clip (median), checking a clip (``verify_video``) and taking its exact
last frame (``last_frame``), per clip (median); the join (``assemble``, which must copy packets:
the clips share their codec parameters), as wall time and as a multiple of the film's real time
(median of several runs). Target: the join at least 20 times faster than real time.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from hailuo_dsl.client import Client
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.emulator import Emulator
from hailuo_dsl.video import JoinMethod, assemble, last_frame, verify_video

CLIPS = 20
RUNS = 5
TARGET = 20.0
MOVES = [
    "[Pan left]",
    "[Push in], then [Pull out]",
    "[Tilt up, Truck right]",
    "[Shake]",
    "[Zoom out]",
    "[Pedestal down]",
    "[Static shot]",
]


def _frame(folder: Path) -> Path:
    picture = Image.new("RGB", (1280, 720), (40, 70, 120))
    draw = ImageDraw.Draw(picture)
    for x in range(0, 1280, 80):
        draw.line((x, 0, x, 720), fill=(20, 35, 60), width=4)
    draw.ellipse((520, 240, 760, 480), fill=(250, 250, 250))
    path = folder / "frame.png"
    picture.save(path)
    return path


def _requests(first_frame_url: str) -> list[VideoRequest]:
    requests = []
    for index in range(CLIPS):
        prompt = f"Shot {index}: the harbour at dusk {MOVES[index % len(MOVES)]}"
        image = [first_frame_url] if index % 2 else None
        requests.append(VideoRequest(prompt=prompt, image_urls=image, duration=10 if index % 5 == 0 else 6))
    return requests


def make_clips(folder: Path) -> list[tuple[Path, int, float]]:
    """Render the clips through the emulator: each file, its duration, and the time its download took."""
    clips = []
    with (
        Emulator(time_scale=1000.0) as emulator,
        Client(api_key=emulator.api_key, base_url=emulator.url, poll_interval=0.01, first_poll_delay=0.01) as client,
    ):
        url = client.upload_image(_frame(folder))
        for index, request in enumerate(_requests(url)):
            done = client.wait(client.submit(request).id, timeout=60)
            start = time.perf_counter()
            path = client.download(done, folder / f"shot{index:02}.mp4")
            clips.append((path, request.duration, time.perf_counter() - start))
    return clips


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clips = make_clips(folder)
        paths, making = [path for path, _, _ in clips], [seconds for _, _, seconds in clips]
        checking, ending = [], []
        for path, duration, _ in clips:
            start = time.perf_counter()
            verify_video(path, duration)
            checking.append(time.perf_counter() - start)
            start = time.perf_counter()
            last_frame(path)
            ending.append(time.perf_counter() - start)
        joins = []
        for _ in range(RUNS):
            start = time.perf_counter()
            film = assemble(paths, folder / "film.mp4")
            joins.append(time.perf_counter() - start)
            assert film.method is JoinMethod.COPY, film.method
        join = statistics.median(joins)
        verify_video(film.output, film.duration)
        size = film.size
        speed = film.duration / join
    print(
        f"film benchmark: {CLIPS} emulator clips at the default scale ({size[0]}x{size[1]}, {film.fps} fps), {film.duration:.0f} s of film"
    )
    print(f"  make one clip (download) {statistics.median(making) * 1000:8.1f} ms   median; slowest {max(making) * 1000:.1f} ms")
    print(f"  verify one clip          {statistics.median(checking) * 1000:8.1f} ms   median")
    print(f"  exact last frame         {statistics.median(ending) * 1000:8.1f} ms   median")
    print(f"  join by packet copy      {join * 1000:8.1f} ms   median of {RUNS}: {speed:,.0f}x real time")
    print(f"  target: join >= {TARGET:.0f}x real time: {'met' if speed >= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
