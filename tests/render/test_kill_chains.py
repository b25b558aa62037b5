"""Chained renders killed with SIGKILL at chosen requests, rerun until done: a parent killed while
its video downloads, a child killed while it submits or uploads its parent's frame. Every take ends
with exactly one accepted submit, every continued shot starts on its parent's chosen take, and the
journal's lineage says so. The kills are request-indexed (``kill_helpers``), never timed."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from kill_helpers import KillPoint, KillSwitch, Moment, Zygote, finish, run_with_a_kill
from render_helpers import API_KEY, assert_video_of, same_picture

from hailuo_dsl.emulator import Emulator
from hailuo_dsl.render import Journal, ShotState
from hailuo_dsl.render.continuity import pixel_digest
from hailuo_dsl.render.graph import chosen_take
from hailuo_dsl.video import first_frame, last_frame

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")

M = Moment
ROUNDS: dict[str, list[KillPoint]] = {
    # The first downloads of a run are the chain heads' videos, the parents of the others.
    "parent killed while downloading": [
        KillPoint("download", 1, M.ARRIVED),
        KillPoint("download", 1, M.SERVED),
        KillPoint("download", 2, M.ANSWERED),
        KillPoint("download", 1, M.ANSWERED),
    ],
    # A fresh run submits the three heads' takes first; the fourth submit is a child's. Once the
    # heads are done, every submit and upload of a run is a child's. The order makes the first four
    # kills certain whichever chain is quicker: the storm's frame is never uploaded in the first
    # run (its parent is at best the fourth submit), a child killed at its upload uploads again,
    # and one killed once uploaded has still to submit.
    "child killed while submitting": [
        KillPoint("submit", 4, M.ARRIVED),
        KillPoint("upload", 1, M.SERVED),
        KillPoint("upload", 1, M.ANSWERED),
        KillPoint("submit", 1, M.SERVED),
        KillPoint("submit", 1, M.ANSWERED),
    ],
}


def write_script(folder: Path, tag: str) -> dict[str, str]:
    """Two chains (one with two takes of its head) and the prompt of each shot by name."""
    folder.mkdir()
    shots = {
        f"{tag}-sea": ("@takes 2", "The sea at dawn, gulls overhead [Pan left]."),
        f"{tag}-boat": ("@continue", "A boat leaves the harbour [Truck right]."),
        f"{tag}-storm": ("@continue", "The storm reaches the boat [Shake]."),
        f"{tag}-town": ("", "The town wakes up, shutters open [Tilt up]."),
        f"{tag}-market": (f"@continue {tag}-town", "The market fills with people [Push in]."),
    }
    text = "".join(
        f"shot {name}\n" + (f"  {setting}\n" if setting else "") + f"  {prompt}\n\n" for name, (setting, prompt) in shots.items()
    )
    (folder / "film.shot").write_text(text, encoding="utf-8")
    return {name: prompt for name, (_setting, prompt) in shots.items()}


def settle_unknown(journal_path: Path, emulator: Emulator, prompts: dict[str, str]) -> int:
    """Settle ``unknown`` takes as a person does: a task of the shot's prompt in the account that no
    take holds is adopted, else the take is forgotten."""
    settled = 0
    if not journal_path.is_file():
        return settled
    with Journal(journal_path) as journal:
        journal.recover()
        for record in journal.records():
            if record.state is not ShotState.UNKNOWN:
                continue
            held = {r.task_id for r in journal.takes(record.name)}
            found = [
                t.id
                for t in list(emulator.tasks.values())
                if t.request.get("prompt") == prompts[record.name] and t.id not in held
            ]
            assert len(found) <= 1, f"{record.name}: {len(found)} tasks nobody holds"
            if found:
                journal.adopt(record.name, found[0], take=record.take)
            else:
                journal.forget(record.name, take=record.take)
            settled += 1
    return settled


@pytest.fixture
def zygote_env(emulator: Emulator) -> Iterator[dict[str, str]]:
    yield {**os.environ, "HAILUO_BASE_URL": emulator.url, "HAILUO_API_KEY": API_KEY}


@pytest.mark.slow
@pytest.mark.timeout(240)
@pytest.mark.parametrize("kills", list(ROUNDS), ids=list(ROUNDS))
def test_a_chained_render_survives_sigkill(kills: str, tmp_path: Path, emulator: Emulator, zygote_env: dict[str, str]) -> None:
    switch, zygote = KillSwitch(emulator), Zygote(zygote_env)
    folder = tmp_path / "film"
    prompts = write_script(folder, kills.split()[0])
    out, journal = folder / "out", folder / "journal.sqlite"
    args = ["render", str(folder / "film.shot"), "--out", str(out), "--journal", str(journal), "--concurrency", "4"]
    args += ["--poll-interval", "0.02"]
    killed = 0
    try:
        for point in ROUNDS[kills]:
            status = run_with_a_kill(zygote, switch, args, folder / "render.log", point)
            if not os.WIFSIGNALED(status):  # the render finished before the request came
                assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, (folder / "render.log").read_text()
                break
            assert os.WTERMSIG(status) == signal.SIGKILL
            killed += 1
            settle_unknown(journal, emulator, prompts)
            check_one_submit_per_take(emulator, prompts, journal)
        finish(zygote, args, folder / "render.log", zygote_env, fresh=True)
    finally:
        zygote.close()
    assert killed >= 4
    check_film(emulator, prompts, out, journal)


def check_one_submit_per_take(emulator: Emulator, prompts: dict[str, str], journal_path: Path) -> None:
    """No shot has more accepted tasks than takes, and no two takes share one."""
    with Journal(journal_path) as journal:
        for name, prompt in prompts.items():
            tasks = [t.id for t in list(emulator.tasks.values()) if t.request.get("prompt") == prompt]
            held = [r.task_id for r in journal.takes(name) if r.task_id is not None]
            assert len(tasks) <= max(1, len(journal.takes(name))), f"{name}: {len(tasks)} submits accepted"
            assert len(set(held)) == len(held) and set(held) <= set(tasks)


def check_film(emulator: Emulator, prompts: dict[str, str], out: Path, journal_path: Path) -> None:
    """Every take downloaded with its one task; every continued shot starts on its parent's chosen take."""
    with Journal(journal_path) as journal:
        for name, prompt in prompts.items():
            takes = journal.takes(name)
            tasks = [t.id for t in list(emulator.tasks.values()) if t.request.get("prompt") == prompt]
            assert len(takes) == (2 if name.endswith("-sea") else 1)
            assert sorted(r.task_id or "" for r in takes) == sorted(tasks), name
            for record in takes:
                assert record.state is ShotState.DOWNLOADED and record.output is not None
                assert_video_of(Path(record.output), record.task_id or "")
            lineage = takes[0].lineage
            if lineage is None:
                continue
            parent = chosen_take(journal.takes(lineage.shot), journal.choice(lineage.shot))
            assert parent is not None and parent.output is not None and parent.take == lineage.take
            picture = last_frame(parent.output)
            assert lineage.digest == pixel_digest(picture)
            assert same_picture(first_frame(takes[0].output or ""), picture)
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".mp4") == sorted(
        [f"{n}.mp4" for n in prompts] + [f"{n}.take2.mp4" for n in prompts if n.endswith("-sea")]
    )
