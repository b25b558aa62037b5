"""What ``hailuo render``, ``hailuo jobs`` and ``hailuo wait`` print where a person reads it: a
CI log or a pipe (tables one line per row, nothing broken mid-word) and a terminal (``wait``'s
progress)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from render_helpers import API_KEY

from hailuo_dsl.cli import cli
from hailuo_dsl.client import Client
from hailuo_dsl.contract.request import VideoRequest
from hailuo_dsl.emulator import Emulator

# Alphabetical order is not the script's order, so a listing sorted by name is caught.
FIRST = "shot zebra-crossing\n  A zebra crosses a busy street at dawn [Pan left].\n\nshot apple\n  An apple falls from a tree [Tilt down].\n"
SECOND = "shot dawn\n  Waves hitting the beach at sunset [Truck left].\n"


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env={"HAILUO_API_KEY": "", "HAILUO_BASE_URL": "", "COLUMNS": ""})
    return result.exit_code, result.stdout, result.stderr


def test_render_tables_in_a_log_keep_ids_and_paths_whole_and_say_the_script_and_the_total(tmp_path: Path) -> None:
    folder = tmp_path / "a-project-folder-with-a-long-name" / "and-a-second-long-folder-name"
    folder.mkdir(parents=True)
    first, second = folder / "teaser.shot", folder / "coast.shot"
    first.write_text(FIRST, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")

    code, out, err = run(["render", str(first), str(second), "--emulator"])
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].rstrip() == f"{first}: 2 shots"
    assert any(line.rstrip() == f"{second}: 1 shot" for line in lines)
    assert lines[-1] == "In all: 3 of 3 videos on disk, 2 scripts, 3 tasks paid in this run"
    for shot, script in (("zebra-crossing", first), ("apple", first), ("dawn", second)):
        video = script.parent / "renders" / f"{script.stem}.emulator" / f"{shot}.mp4"
        assert len(str(video)) > 80 and video.is_file()
        row = [line for line in lines if f" {shot} " in line]
        assert len(row) == 1 and str(video) in row[0], out  # the whole path, on the shot's own line
        assert re.search(r" vid_[0-9A-Z]{20,} ", row[0]), row[0]  # the whole task id
    assert [line.split("│")[1].strip() for line in lines if line.startswith("│")] == ["zebra-crossing", "apple", "dawn"]


def test_plan_and_takes_tables_in_a_log_keep_paths_and_ids_whole(tmp_path: Path) -> None:
    from PIL import Image

    folder = tmp_path / "a-project-folder-with-a-long-name" / "and-a-second-long-folder-name"
    folder.mkdir(parents=True)
    Image.new("RGB", (1280, 720), (40, 90, 160)).save(folder / "the-first-frame-of-the-crossing.png")
    script = folder / "teaser.shot"
    script.write_text(
        "shot zebra-crossing\n  @first_frame the-first-frame-of-the-crossing.png\n" + FIRST.split("\n", 1)[1], encoding="utf-8"
    )

    code, out, err = run(["plan", str(script), "--emulator"])
    assert code == 0, err
    frame = str(folder / "the-first-frame-of-the-crossing.png")
    assert len(frame) > 80 and any(frame in line for line in out.splitlines()), out

    assert run(["render", str(script), "--emulator", "--json"])[0] == 0
    code, out, err = run(["takes", str(script), "--emulator"])
    assert code == 0, err
    for shot in ("zebra-crossing", "apple"):
        video = str(folder / "renders" / "teaser.emulator" / f"{shot}.mp4")
        row = [line for line in out.splitlines() if f" {shot} " in line]
        assert len(row) == 1 and video in row[0], out
        assert re.search(r" vid_[0-9A-Z]{20,} ", row[0]), row[0]


def test_jobs_lists_shots_in_the_script_order_with_whole_dates(tmp_path: Path) -> None:
    script = tmp_path / "teaser.shot"
    script.write_text(FIRST, encoding="utf-8")
    assert run(["render", str(script), "--emulator", "--json"])[0] == 0

    code, out, err = run(["jobs", str(script), "--emulator"])
    assert code == 0, err
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert [row.split("│")[1].strip() for row in rows] == ["zebra-crossing", "apple"]
    assert all(re.search(r"│ \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} +│", row) for row in rows), out
    code, out, _ = run(["jobs", str(script), "--emulator", "--json"])
    assert code == 0 and '"shot": "zebra-crossing"' in out.split('"shot": "apple"')[0]


def _wait(emulator: Emulator, task_id: str, *, terminal: bool) -> tuple[int, str, str]:
    """``hailuo wait`` in a child, its standard error on a pseudo-terminal or on a pipe."""
    env = {**os.environ, "HAILUO_BASE_URL": emulator.url, "HAILUO_API_KEY": API_KEY, "TERM": "xterm"}
    args = [sys.executable, "-m", "hailuo_dsl", "wait", task_id, "--poll-interval", "0.05"]
    if not terminal:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
        return done.returncode, done.stdout, done.stderr
    leader, follower = pty.openpty()
    with subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=follower, text=True) as child:
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        out = child.stdout.read() if child.stdout else ""
        code = child.wait(timeout=60)
    os.close(leader)
    return code, out, seen.decode("utf-8", "replace")


@pytest.mark.parametrize("emulator", [{"time_scale": 30.0}], indirect=True)  # a task of 60 s takes 2 s
def test_wait_shows_progress_on_a_terminal_and_nothing_in_a_log(emulator: Emulator) -> None:
    with Client(api_key=API_KEY, base_url=emulator.url) as client:
        task = client.submit(VideoRequest(prompt="A boat drifts on a lake [Pan left]."))
    code, out, shown = _wait(emulator, task.id, terminal=True)
    assert code == 0 and task.id in out and "completed" in out
    progress = [int(p) for p in re.findall(rf"{task.id}: \w+ (\d+)%", shown)]
    assert any(p < 100 for p in progress) and progress[-1] == 100, shown  # shown while it waits
    assert "\x1b[" in shown  # drawn and cleared as a status line, not printed as lines of a log
    code, out, logged = _wait(emulator, task.id, terminal=False)
    assert code == 0 and task.id in out and logged == ""
