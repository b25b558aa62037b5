"""Film benchmark: a render of shots that continue one another against its critical path, and the
join of 20 emulator clips into one film by packet copy against the clips' real time.

Run: ``python benchmarks/film.py`` (about 80 s).

The render: a 20-shot script in 4 chains of 5 (each shot after the first of its chain continues the
one before) is rendered by ``render_script`` against an emulator in its own process, as a remote
API is, with a scaled clock: every task takes 240 emulated seconds (a typical Hailuo-02 task takes
one to five minutes) at 24 emulated seconds per real second, so 10 s, and the client polls on the
documented cadence (5 s, then every 10 s), scaled alike. The emulator makes each clip while its
task runs (``--prepare-videos``), as the service does, and at 1/8 of the real size (as the video
tests do), so that its encoder does not compete with the render it serves: the figure is the
render's. The critical path is the longest chain's task time (5 x 10 s): no render can be
faster. Figures: the wall time against it (target <= 1.1x), and where the rest went per link of
a chain: the polling cadence (a task is seen done at the next poll), the video (download and
check with PyAV) and the continuation (the parent's exact last frame, checked, saved, uploaded,
and the child's submit).

The join: twenty different requests (text-to-video cards and image-to-video shots, 6 s and 10 s,
various camera moves) are rendered by the emulator at its default video scale and downloaded
through the client; each download is timed, so the first figure is the cost of making one
emulated clip (animatic frames + H.264 encode + remux). Figures: clip making per clip (median),
checking a clip (``verify_video``) and taking its exact last frame (``last_frame``), per clip
(median); the join (``assemble``, which must copy packets: the clips share their codec
parameters), as wall time and as a multiple of the film's real time (median of several runs).
Target: the join at least 20 times faster than real time.
"""

from __future__ import annotations

import asyncio
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from hailuo_dsl.client import AsyncClient, Client
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.emulator import Emulator
from hailuo_dsl.render import RenderEvent, Step, render_script
from hailuo_dsl.video import JoinMethod, assemble, last_frame, verify_video

CLIPS = 20
RUNS = 5
TARGET = 20.0
CHAINS, LENGTH = 4, 5
TASK_SECONDS, TIME_SCALE, VIDEO_SCALE = 240.0, 24.0, 0.125
RENDER_TARGET = 1.1
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


def _chains(folder: Path) -> Path:
    lines = []
    for chain in range(CHAINS):
        for index in range(LENGTH):
            lines += [f"shot c{chain}-s{index}", *(["  @continue"] if index else [])]
            lines += [f"  Chain {chain}, shot {index}: the harbour at dusk {MOVES[(chain + index) % len(MOVES)]}", ""]
    script = folder / "chains.shot"
    script.write_text("\n".join(lines), encoding="utf-8")
    return script


def render_chains() -> None:
    """Render the chained script against an emulator in its own process; print the figures."""
    command = "from hailuo_dsl.cli import main; main()"
    options = ["--task-seconds", str(TASK_SECONDS), "--time-scale", str(TIME_SCALE), "--video-scale", str(VIDEO_SCALE)]
    options.append("--prepare-videos")  # each clip made while its task runs, as the service makes it
    server = subprocess.Popen(
        [sys.executable, "-c", command, "emulator", "--port", "0", *options], stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    url = server.stdout.readline().rsplit(" ", 1)[-1].strip()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            wall, marks = asyncio.run(_render(Path(tmp), url))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    task = TASK_SECONDS / TIME_SCALE
    critical = LENGTH * task
    polling, video, continuing = [], [], []
    for chain in range(CHAINS):
        for index in range(LENGTH):
            name = f"c{chain}-s{index}"
            polling.append(marks[name, Step.DOWNLOADING] - marks[name, Step.SUBMITTING] - task)
            video.append(marks[name, Step.DONE] - marks[name, Step.DOWNLOADING])
            if index:
                continuing.append(marks[name, Step.SUBMITTING] - marks[f"c{chain}-s{index - 1}", Step.DONE])
    ratio = wall / critical
    print(
        f"render benchmark: {CHAINS * LENGTH} shots in {CHAINS} chains of {LENGTH} (@continue), tasks of "
        f"{TASK_SECONDS:g} emulated s at {TIME_SCALE:g}x ({task:g} s each), emulator clips at {VIDEO_SCALE:g} of the real size"
    )
    print(f"  render wall time         {wall:8.2f} s    critical path (the longest chain's task time) {critical:.2f} s")
    print("  per link of a chain, median: ", end="")
    print(
        f"polling cadence {statistics.median(polling) * 1000:.0f} ms, video (download + check) "
        f"{statistics.median(video) * 1000:.0f} ms, continuation (last frame, upload, submit) {statistics.median(continuing) * 1000:.0f} ms"
    )
    print(
        f"  target: wall <= {RENDER_TARGET:g}x the critical path: {ratio:.3f}x, {'met' if ratio <= RENDER_TARGET else 'NOT met'}"
    )


async def _render(folder: Path, url: str) -> tuple[float, dict[tuple[str, Step], float]]:
    marks: dict[tuple[str, Step], float] = {}

    def on_event(event: RenderEvent) -> None:
        marks.setdefault((event.shot, event.action), time.perf_counter())

    script = _chains(folder)
    poll = 10.0 / TIME_SCALE
    async with AsyncClient(api_key="emulator-key", base_url=url, poll_interval=poll, first_poll_delay=poll / 2) as client:
        start = time.perf_counter()
        summary = await render_script(
            script,
            client=client,
            journal=folder / "journal.sqlite",
            out_dir=folder / "out",
            concurrency=CHAINS,
            on_event=on_event,
        )
        wall = time.perf_counter() - start
    assert summary.ok, [(s.name, s.state, s.error) for s in summary.shots]
    return wall, {key: at - start for key, at in marks.items()}


def main() -> None:
    render_chains()
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
