"""The emulator itself: the contract's answers over loopback, its clock, its video files, its faults, its command."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw, ImageStat
from pydantic import ValidationError

from hailuo_dsl.cli import emulator_command
from hailuo_dsl.contract import SHOT_HEADER
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.emulator import Emulator, Faults
from hailuo_dsl.emulator.app import EmulatorApp
from hailuo_dsl.emulator.models import EmulatorClock, HttpRequest
from hailuo_dsl.video import first_frame, last_frame, probe_video, verify_video

KEY = "emulator-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
BODY = {"model": "MiniMax-Hailuo-02", "prompt": "Waves hitting the beach at sunset", "duration": 10, "resolution": "768P"}


@pytest.fixture
def still(emulator_factory: Callable[..., Emulator]) -> Emulator:
    """An emulator whose time moves only when a test advances it."""
    return emulator_factory(api_key=KEY, time_scale=0.0, task_seconds=60.0)


@pytest.fixture
def http(still: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=still.url, headers=AUTH) as client:
        yield client


def test_task_progression_follows_the_clock(still: Emulator, http: httpx.Client, tmp_path: Path) -> None:
    submitted = http.post("/v1/videos/generations", json=BODY)
    assert submitted.status_code == 200
    task = submitted.json()
    assert task["object"] == "generation.task" and task["status"] == "queued" and task["progress"] == 0
    assert task["model"] == "MiniMax-Hailuo-02" and task["metadata"] == {}
    path = f"/v1/videos/generations/{task['id']}"
    assert http.get(path).json()["status"] == "queued"
    still.clock.advance(33)
    middle = http.get(path).json()
    assert middle["status"] == "in_progress" and middle["progress"] == 50
    still.clock.advance(27)
    done = http.get(path).json()
    assert done["status"] == "completed" and done["progress"] == 100
    assert done["completed_at"] == task["created_at"] + 60
    assert done["expires_at"] == done["completed_at"] + 24 * 3600
    assert done["result"] == {"type": "video", "data": [{"url": f"{still.url}/files/videos/{task['id']}.mp4"}]}
    video = httpx.get(done["result"]["data"][0]["url"])  # no API key needed for the signed-style URL
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    path = tmp_path / "waves.mp4"
    path.write_bytes(video.content)
    info = verify_video(path, 10)  # a real H.264 clip of the 10 seconds asked for, at 25 fps
    assert info.codec == "h264" and info.fps == 25 and info.frames == 250 and info.duration == 10
    assert info.size == (342, 192) and info.tags["comment"] == task["id"]  # 768P 16:9 at the default scale
    assert httpx.get(done["result"]["data"][0]["url"]).content == video.content  # the same clip again
    assert still.stats.queries == 3 and still.stats.downloads == 2


def test_authentication(still: Emulator) -> None:
    with httpx.Client(base_url=still.url) as anonymous:
        for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": KEY}):
            answer = anonymous.post("/v1/videos/generations", json=BODY, headers=headers)
            assert answer.status_code == 401
            assert answer.json()["error"]["type"] == "authentication_error"
    assert still.stats.submits_refused == 3 and not still.tasks


def test_not_found(http: httpx.Client) -> None:
    missing = http.get("/v1/videos/generations/vid_nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == 404
    assert http.get("/v2/whatever").status_code == 404
    assert http.get("/files/videos/vid_nope.mp4").status_code == 404


def test_unfinished_video_is_not_served(still: Emulator, http: httpx.Client) -> None:
    task = http.post("/v1/videos/generations", json=BODY).json()
    assert http.get(f"/files/videos/{task['id']}.mp4").status_code == 404


def test_upload(still: Emulator, http: httpx.Client, tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(100)
    answer = http.post("/v1/uploads/images", files={"file": ("frame.png", png, "image/png")}, data={"purpose": "generation"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["success"] is True and set(body["data"]) == {"id", "url", "mime_type", "size"}
    assert body["data"]["mime_type"] == "image/png" and body["data"]["size"] == len(png)
    assert httpx.get(body["data"]["url"]).content == png
    refused = http.post("/v1/uploads/images", files={"image": ("frame.png", png, "image/png")})
    assert refused.status_code == 400 and refused.json() == {"success": False, "message": refused.json()["message"]}
    assert "'file'" in refused.json()["message"]
    gif = http.post("/v1/uploads/images", files={"file": ("a.gif", b"GIF89a" + bytes(10), "image/gif")})
    assert gif.json()["data"]["mime_type"] == "image/gif"
    assert still.stats.uploads == 3


def _png(size: tuple[int, int], color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    picture = Image.new("RGB", size, color)
    ImageDraw.Draw(picture).rectangle((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill=(255, 255, 255))
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def _difference(one: Image.Image, two: Image.Image) -> float:
    """Mean absolute difference of two pictures of one size, 0 to 255."""
    return sum(ImageStat.Stat(ImageChops.difference(one.convert("RGB"), two.convert("RGB"))).mean) / 3


def _finish(still: Emulator, http: httpx.Client, body: dict[str, Any], tmp_path: Path, **headers: str) -> Path:
    task = http.post("/v1/videos/generations", json=body, headers=headers).json()
    still.clock.advance(60)
    path = tmp_path / f"{task['id']}.mp4"
    path.write_bytes(http.get(f"/files/videos/{task['id']}.mp4").content)
    return path


def test_videos_start_on_the_uploaded_first_frame_and_end_on_the_last(
    still: Emulator, http: httpx.Client, tmp_path: Path
) -> None:
    first, last = _png((600, 800), (200, 40, 40)), _png((600, 800), (40, 40, 200))
    urls = [
        http.post("/v1/uploads/images", files={"file": ("f.png", data, "image/png")}).json()["data"]["url"]
        for data in (first, last)
    ]
    body = {
        "prompt": "A girl grows up [Tilt up]",
        "image_urls": urls[:1],
        "metadata": {"last_frame_image": urls[1]},
        "duration": 6,
    }
    path = _finish(still, http, body, tmp_path)
    info = verify_video(path, 6)
    assert info.size == (192, 256)  # 768P names the short side; the first frame's 3:4 gives the long one
    assert _difference(first_frame(path), Image.open(io.BytesIO(first)).resize(info.size)) < 4
    assert _difference(last_frame(path), Image.open(io.BytesIO(last)).resize(info.size)) < 4


def test_text_to_video_card_names_the_shot_sent_in_the_emulator_header(
    still: Emulator, http: httpx.Client, tmp_path: Path
) -> None:
    named = _finish(still, http, BODY, tmp_path, **{SHOT_HEADER: "waves-01"})
    anonymous = _finish(still, http, BODY, tmp_path)
    assert probe_video(named).tags["title"] == "waves-01" and "title" not in probe_video(anonymous).tags
    assert [task.shot for task in still.tasks.values()] == ["waves-01", None]
    assert _difference(first_frame(named), first_frame(anonymous)) > 0.5  # the name is drawn on the card
    assert _finish(still, http, BODY, tmp_path, **{SHOT_HEADER: "../../etc"}).exists()
    assert list(still.tasks.values())[-1].shot is None  # not a shot name: ignored


def test_video_scale_and_determinism(tmp_path: Path) -> None:
    def video(scale: float) -> bytes:
        with (
            Emulator(time_scale=0.0, seed=5, video_scale=scale) as server,
            httpx.Client(base_url=server.url, headers=AUTH) as client,
        ):
            task = client.post("/v1/videos/generations", json={**BODY, "prompt": "Waves [Shake]"}).json()
            server.clock.advance(60)
            return client.get(f"/files/videos/{task['id']}.mp4").content

    small = tmp_path / "small.mp4"
    small.write_bytes(video(0.125))
    assert probe_video(small).size == (170, 96)
    assert video(0.125) == small.read_bytes()  # the same seed gives the same task id and the same clip, shake and all
    with pytest.raises(ValueError, match="video_scale"):
        Emulator(video_scale=0)


def test_prepared_videos_are_made_while_the_task_runs() -> None:
    """With ``prepare_videos`` a task's clip is made from its submit on (as the service makes it
    while the task runs), so its download only sends it; without, nothing is made until then. The
    clip is the same either way."""

    def run(prepare: bool) -> tuple[bool, bytes]:
        with (
            Emulator(time_scale=0.0, seed=7, video_scale=0.125, prepare_videos=prepare) as server,
            httpx.Client(base_url=server.url, headers=AUTH) as client,
        ):
            task_id = client.post("/v1/videos/generations", json={**BODY, "prompt": "Waves [Truck left]"}).json()["id"]
            making = server.app.preparing(task_id)
            if making is not None:
                making.result()
            made_before_download = task_id in server.app.videos
            server.clock.advance(60)
            return made_before_download, client.get(f"/files/videos/{task_id}.mp4").content

    prepared, on_download = run(True), run(False)
    assert prepared[0] and not on_download[0]
    assert prepared[1] == on_download[1]


def test_submit_answer_shapes(still: Emulator, http: httpx.Client) -> None:
    still.faults = Faults(old_submit_shape=True)
    old = http.post("/v1/videos/generations", json=BODY).json()
    assert old["code"] == 200 and old["data"][0]["status"] == "submitted" and old["data"][0]["task_id"].startswith("task_")


def test_dropped_connections(still: Emulator, http: httpx.Client) -> None:
    still.faults = Faults(target="submit", drop_after=1, drop_before=1)
    with pytest.raises(httpx.RemoteProtocolError):
        http.post("/v1/videos/generations", json=BODY)
    assert still.stats.submits_accepted == 0
    with pytest.raises(httpx.RemoteProtocolError):
        http.post("/v1/videos/generations", json=BODY)
    assert still.stats.submits_accepted == 1 and len(still.tasks) == 1
    assert http.post("/v1/videos/generations", json=BODY).status_code == 200


def test_counted_faults_hit_only_their_target(still: Emulator, http: httpx.Client) -> None:
    task = http.post("/v1/videos/generations", json=BODY).json()
    still.faults = Faults(target="query", rate_limited=1, retry_after="7", server_errors=1)
    assert http.post("/v1/videos/generations", json=BODY).status_code == 200
    limited = http.get(f"/v1/videos/generations/{task['id']}")
    assert limited.status_code == 429 and limited.headers["retry-after"] == "7"
    assert http.get(f"/v1/videos/generations/{task['id']}").status_code == 500
    assert http.get(f"/v1/videos/generations/{task['id']}").status_code == 200


def test_fail_rate_is_seeded() -> None:
    def run() -> list[int]:
        with Emulator(faults=Faults(fail_rate=0.5), seed=7) as server, httpx.Client(base_url=server.url, headers=AUTH) as client:
            return [client.get("/v1/videos/generations/x").status_code for _ in range(30)]

    first = run()
    assert first == run() and set(first) == {404, 500}


def test_cut_download(still: Emulator, http: httpx.Client) -> None:
    task = http.post("/v1/videos/generations", json=BODY).json()
    still.clock.advance(60)
    still.faults = Faults(cut_downloads=1)
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(f"/files/videos/{task['id']}.mp4")
    assert http.get(f"/files/videos/{task['id']}.mp4").status_code == 200


def test_latency_and_stop_with_open_connections() -> None:
    server = Emulator(latency=0.05).start()
    client = httpx.Client(base_url=server.url, headers=AUTH)
    assert client.get("/v1/videos/generations/x").status_code == 404  # the connection stays open (keep-alive)
    server.stop()
    with pytest.raises(httpx.TransportError):
        client.get("/v1/videos/generations/x")
    client.close()


def test_fault_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="fault target"):
        Faults(target="everything")
    with pytest.raises(ValueError, match="probability"):
        Faults(fail_rate=2)


# -- submit validation is the request model's -------------------------------------------------

bodies = st.fixed_dictionaries(
    {"model": st.sampled_from(["MiniMax-Hailuo-02", "MiniMax-Hailuo-02", "other-model"])},
    optional={
        "prompt": st.sampled_from(["", "   ", "A cat", "x" * 2001, "y" * 2000]),
        "duration": st.sampled_from([6, 10, 8, "6"]),
        "resolution": st.sampled_from(["512P", "768P", "1080P", "1080p", "720P"]),
        "image_urls": st.sampled_from(
            [[], ["https://e.com/a.png"], ["https://e.com/a.png", "https://e.com/b.png"], ["data:image/png;base64,AA"]]
        ),
        "metadata": st.sampled_from([{}, {"last_frame_image": "https://e.com/z.png"}, {"prompt_optimizer": False}, {"bogus": 1}]),
        "extra": st.just(1),
    },
)


def _app_answer(app: EmulatorApp, body: dict[str, Any]) -> int:
    request = HttpRequest("POST", "/v1/videos/generations", {"authorization": f"Bearer {KEY}"}, json.dumps(body).encode())
    return app.handle(request).status


@settings(max_examples=300)
@given(bodies)
def test_submit_validation_matches_the_request_model(body: dict[str, Any]) -> None:
    app = EmulatorApp(api_key=KEY, latency=0, time_scale=1, task_seconds=60, faults=None, seed=0)
    try:
        request = VideoRequest.model_validate(body)
    except ValidationError:
        expected = 400
    else:
        urls = [
            *(request.image_urls or []),
            *([request.metadata.last_frame_image] if request.metadata and request.metadata.last_frame_image else []),
        ]
        expected = 200 if all(u.startswith("https://") for u in urls) else 400
    assert _app_answer(app, body) == expected


# -- the command --------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
@pytest.mark.usefixtures("terminal_sigint")
def test_emulator_command_serves_until_ctrl_c() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from hailuo_dsl.cli import main; main()",
            "emulator",
            "--port",
            "0",
            "--api-key",
            "k1",
            "--task-seconds",
            "5",
            "--video-scale",
            "0.1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Emulator of the video API at http://127.0.0.1:")
        url = first.rsplit(" ", 1)[1].strip()
        lines = [process.stdout.readline() for _ in range(3)]
        assert lines[1].strip() == "export HAILUO_API_KEY=k1"
        answer = httpx.post(f"{url}/v1/videos/generations", json=BODY, headers={"Authorization": "Bearer k1"})
        assert answer.status_code == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "1 tasks accepted" in out


def test_emulator_command_checks_the_video_scale() -> None:
    result = CliRunner().invoke(emulator_command.emulator, ["--video-scale", "0"])
    assert result.exit_code == 2 and "--video-scale" in result.output


def test_emulator_command_port_taken() -> None:
    with Emulator() as server:
        result = subprocess.run(
            [sys.executable, "-c", "from hailuo_dsl.cli import main; main()", "emulator", "--port", str(server.port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert result.stderr.startswith("hailuo: error: cannot listen on 127.0.0.1:") and "Traceback" not in result.stderr


def test_clock_speed_changes_without_jumps() -> None:
    clock = EmulatorClock(1000.0)
    before = clock.now()
    clock.time_scale = 0.0
    frozen = clock.now()
    assert frozen >= before and clock.now() == frozen
    clock.advance(90)
    assert clock.now() == frozen + 90
    with pytest.raises(ValueError):
        clock.time_scale = -1


def test_expiry_is_configurable() -> None:
    with (
        Emulator(time_scale=0.0, task_seconds=10.0, expiry_seconds=100.0) as server,
        httpx.Client(base_url=server.url, headers=AUTH) as client,
    ):
        task = client.post("/v1/videos/generations", json=BODY).json()
        server.clock.advance(10)
        done = client.get(f"/v1/videos/generations/{task['id']}").json()
        assert done["expires_at"] == done["completed_at"] + 100
        url = done["result"]["data"][0]["url"]
        assert httpx.get(url).status_code == 200
        server.clock.advance(100)
        assert httpx.get(url).status_code == 403


def test_expect_100_continue(still: Emulator) -> None:
    body = json.dumps(BODY).encode()
    head = (
        f"POST /v1/videos/generations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", still.port), timeout=5) as sock:
        sock.sendall(head)
        assert sock.recv(1024).startswith(b"HTTP/1.1 100 ")
        sock.sendall(body)
        answer = b""
        while b'"status":"queued"' not in answer:
            chunk = sock.recv(4096)
            assert chunk
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 ") and still.stats.submits_accepted == 1


def test_an_emulator_bug_is_answered_500(still: Emulator, http: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(request: HttpRequest) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(still.app, "_route", broken)
    answer = http.get("/v1/videos/generations/x")
    assert answer.status_code == 500 and "RuntimeError: boom" in answer.json()["error"]["message"]


STAGES = {"queued": 0, "in_progress": 1, "completed": 2}


@given(st.lists(st.floats(min_value=0, max_value=30), min_size=1, max_size=20), st.floats(min_value=0.5, max_value=600))
def test_status_never_goes_back(steps: list[float], task_seconds: float) -> None:
    app = EmulatorApp(api_key=KEY, latency=0, time_scale=0, task_seconds=task_seconds, faults=None, seed=0)
    submitted = app.handle(
        HttpRequest("POST", "/v1/videos/generations", {"authorization": f"Bearer {KEY}"}, json.dumps(BODY).encode())
    )
    path = "/v1/videos/generations/" + json.loads(submitted.body)["id"]
    last = (0, 0)
    for step in steps:
        app.clock.advance(step)
        view = json.loads(app.handle(HttpRequest("GET", path, {"authorization": f"Bearer {KEY}"}, b"")).body)
        now = (STAGES[view["status"]], view["progress"])
        assert now >= last and 0 <= view["progress"] <= 100
        assert (view["status"] == "completed") == (view["progress"] == 100)
        last = now
