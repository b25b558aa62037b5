"""``hailuo render`` killed with SIGKILL at seeded points, rerun until done: every shot ends with
exactly one accepted submit and one video file, the right one.

The renders run in child processes against an emulator in this process (``HAILUO_BASE_URL`` /
``HAILUO_API_KEY``). Every kill is tied to a request, never to a clock: it fires from inside the
emulator at the N-th request of a kind (upload, submit, query, download, or any) in a run, at one
of three moments: when the request arrives (it is lost), while it is served (it takes effect, the
answer never arrives), or once its answer was written (the render dies in whatever follows: its
journal, the next request, a file being written). A shot left ``unknown`` is settled as a person
would: the account (the emulator's task list) is checked, the task found is adopted, or the shot is
forgotten when there is none.

Children are forked from one helper process that has imported the package already, so each run
starts in milliseconds; the final run of each round is a fresh interpreter through the CLI's
entry point, as a user would start it.
"""

from __future__ import annotations

import os
import random
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from kill_helpers import KillPoint, KillSwitch, Moment, Zygote, finish, run_with_a_kill
from render_helpers import API_KEY, assert_video_of, make_image

from hailuo_dsl.emulator import Emulator
from hailuo_dsl.render import Journal, ShotState

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")

SEED = 20261125
MIN_KILLS = 24
MAX_ROUNDS = 20  # a round ends early when its run finishes before the drawn request
SHOTS_PER_ROUND = 6
KILLS_PER_ROUND = 8


@pytest.fixture
def zygote_env(emulator: Emulator) -> Iterator[dict[str, str]]:
    yield {**os.environ, "HAILUO_BASE_URL": emulator.url, "HAILUO_API_KEY": API_KEY}


def write_script(folder: Path, round_no: int) -> dict[str, str]:
    """A script of a few shots, some with local frames; the prompt of each shot by name."""
    folder.mkdir()
    frame = make_image(folder / "frame.png", "green")
    last = make_image(folder / "last.png", "navy")
    prompts = {
        f"r{round_no}-s{i}": f"Round {round_no}, shot {i}: a kite rises over the dunes [Pedestal up]."
        for i in range(SHOTS_PER_ROUND)
    }
    lines = []
    for i, (name, prompt) in enumerate(prompts.items()):
        lines.append(f"shot {name}")
        if i % 3 == 1:
            lines.append('  @first_frame "frame.png"')
        if i % 3 == 2:
            lines.append('  @first_frame "frame.png"')
            lines.append('  @last_frame "last.png"')
        lines.append(f"  {prompt}")
        lines.append("")
    (folder / "film.shot").write_text("\n".join(lines), encoding="utf-8")
    assert frame.is_file() and last.is_file()
    return prompts


def settle_unknown(journal_path: Path, emulator: Emulator, prompts: dict[str, str]) -> int:
    """Do what a person does with ``unknown`` shots: look in the account, adopt or forget; how many."""
    settled = 0
    if not journal_path.is_file():
        return settled
    with Journal(journal_path) as journal:
        journal.recover()
        for record in journal.records():
            if record.state is not ShotState.UNKNOWN:
                continue
            found = [t.id for t in list(emulator.tasks.values()) if t.request.get("prompt") == prompts[record.name]]
            assert len(found) <= 1, f"{record.name} was accepted {len(found)} times"
            if found:
                journal.adopt(record.name, found[0])
            else:
                journal.forget(record.name)
            settled += 1
    return settled


@pytest.mark.slow
@pytest.mark.timeout(300)  # dozens of renders, each started, killed and rerun: about 10 s here
def test_render_survives_sigkill_at_seeded_request_points(tmp_path: Path, emulator: Emulator, zygote_env: dict[str, str]) -> None:
    rng = random.Random(SEED)
    switch = KillSwitch(emulator)
    zygote = Zygote(zygote_env)
    kills = settled = 0
    killed_at: list[KillPoint] = []
    try:
        for round_no in range(MAX_ROUNDS):
            if kills >= MIN_KILLS:
                break
            folder = tmp_path / f"round{round_no}"
            prompts = write_script(folder, round_no)
            out, journal = folder / "out", folder / "journal.sqlite"
            args = ["render", str(folder / "film.shot"), "--out", str(out), "--journal", str(journal)]
            args += ["--concurrency", "3", "--poll-interval", "0.02"]
            in_round = 0
            while in_round < KILLS_PER_ROUND:
                point = kill_point(rng, round_no, in_round)
                status = run_with_a_kill(zygote, switch, args, folder / "render.log", point)
                if not os.WIFSIGNALED(status):
                    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, (folder / "render.log").read_text()
                    break  # the round finished before its kills ran out
                assert os.WTERMSIG(status) == signal.SIGKILL
                killed_at.append(point)
                kills += 1
                in_round += 1
                settled += settle_unknown(journal, emulator, prompts)
            else:
                finish(zygote, args, folder / "render.log", zygote_env, fresh=round_no == 0)
            check_round(emulator, prompts, out, journal)
    finally:
        zygote.close()
    assert kills >= MIN_KILLS
    assert settled >= 1  # some kills landed between a submit and its answer
    assert {point.moment for point in killed_at} == set(Moment)


# The largest N aimed at for each kind of request (None: any kind) in one run.
LAST_INDEX: dict[str | None, int] = {None: 8, "upload": 2, "submit": 2, "query": 4, "download": 2}
# How often each is drawn: mostly any request, the count every run surely reaches.
DRAWN_KINDS: list[str | None] = [None, None, None, "upload", "submit", "query", "download"]


def kill_point(rng: random.Random, round_no: int, in_round: int) -> KillPoint:
    """Where the ``in_round``-th run of a round dies. Its first two kills are sure to fire and cover
    every moment over two rounds: the first submit (arrived or served, so a shot is left
    ``unknown``), then an answer; the rest are drawn."""
    if in_round == 0:
        return KillPoint("submit", 1, Moment.SERVED if round_no % 2 == 0 else Moment.ARRIVED)
    if in_round == 1:
        return KillPoint(None, rng.randint(1, LAST_INDEX[None]), Moment.ANSWERED)
    kind = rng.choice(DRAWN_KINDS)
    return KillPoint(kind, rng.randint(1, LAST_INDEX[kind]), rng.choice(list(Moment)))


def check_round(emulator: Emulator, prompts: dict[str, str], out: Path, journal_path: Path) -> None:
    """One accepted task per shot, and its video, complete, as the shot's only file."""
    with Journal(journal_path) as journal:
        records = {r.name: r for r in journal.records()}
    assert set(records) == set(prompts)
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"{name}.mp4" for name in prompts), files
    for name, prompt in prompts.items():
        tasks = [t.id for t in list(emulator.tasks.values()) if t.request.get("prompt") == prompt]
        assert len(tasks) == 1, f"{name}: {len(tasks)} submits accepted"
        record = records[name]
        assert record.state is ShotState.DOWNLOADED and record.task_id == tasks[0]
        assert_video_of(out / f"{name}.mp4", tasks[0])
