"""``hailuo render`` killed with SIGKILL at seeded random points, rerun until done: every shot ends
with exactly one accepted submit and one video file, the right one.

The renders run in child processes against an emulator in this process (``HAILUO_BASE_URL`` /
``HAILUO_API_KEY``). Kills fire from inside the emulator when it receives the N-th request of a
run, either before that request is served (it is lost) or while it is being served (it takes
effect, the answer never arrives), or after a random delay. A shot left ``unknown`` is settled as
a person would: the account (the emulator's task list) is checked, the task found is adopted,
or the shot is forgotten when there is none.

Children are forked from one helper process that has imported the package already, so each run
starts in milliseconds; the final run of each round is a fresh interpreter through the CLI's
entry point, as a user would start it.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from render_helpers import API_KEY, assert_video_of, make_image

from hailuo_dsl.emulator import Emulator
from hailuo_dsl.emulator.models import ConnectionAction, HttpRequest, HttpResponse
from hailuo_dsl.render import Journal, ShotState

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")

SEED = 20261125
MIN_KILLS = 24
MAX_ROUNDS = 10
SHOTS_PER_ROUND = 6
KILLS_PER_ROUND = 8

# The helper: imports everything once, then forks one render per line read ("args as JSON"),
# answering the child's pid, then its wait status. The child's output goes to a log file.
ZYGOTE = r"""
import json, os, sys
from hailuo_dsl.cli import cli
import hailuo_dsl.render, hailuo_dsl.shots, hailuo_dsl.client, hailuo_dsl.cli.render_commands
for line in sys.stdin:
    args, log = json.loads(line)
    pid = os.fork()
    if pid == 0:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        try:
            cli.main(args=args, prog_name="hailuo")
        except SystemExit as exit:
            os._exit(exit.code if isinstance(exit.code, int) else 1)
        os._exit(0)
    print(pid, flush=True)
    print(os.waitpid(pid, 0)[1], flush=True)
"""


class KillSwitch:
    """Kills an armed child process from inside the emulator at its N-th request of a run."""

    def __init__(self, emulator: Emulator) -> None:
        self.serve = emulator.app.handle
        emulator.app.handle = self.handle  # type: ignore[method-assign]
        self.lock = threading.Lock()
        self.pid: int | None = None
        self.target = 0
        self.lose = False
        self.count = 0

    def arm(self, target: int, *, lose: bool) -> None:
        with self.lock:
            self.target, self.lose, self.count = target, lose, 0

    def aim(self, pid: int | None) -> None:
        with self.lock:
            self.pid = pid

    def kill_now(self) -> None:
        with self.lock:
            self._kill()

    def _kill(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.pid = None

    def handle(self, request: HttpRequest) -> HttpResponse:
        with self.lock:
            self.count += 1
            fire = self.pid is not None and self.count == self.target
            if fire:
                self._kill()
        if fire and self.lose:
            return HttpResponse(0, action=ConnectionAction.DROP)
        return self.serve(request)


class Zygote:
    """The helper process that forks renders."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )

    def start(self, args: list[str], log: Path) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps([args, str(log)]) + "\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def status(self) -> int:
        """Block until the child ends; its wait status."""
        assert self.proc.stdout is not None
        return int(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


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


def test_render_survives_sigkill_at_random_points(tmp_path: Path, emulator: Emulator, zygote_env: dict[str, str]) -> None:
    rng = random.Random(SEED)
    switch = KillSwitch(emulator)
    zygote = Zygote(zygote_env)
    kills = settled = 0
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
                status = run_with_a_kill(zygote, switch, args, folder / "render.log", rng)
                if not os.WIFSIGNALED(status):
                    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, (folder / "render.log").read_text()
                    break  # the round finished before its kills ran out
                assert os.WTERMSIG(status) == signal.SIGKILL
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


def run_with_a_kill(zygote: Zygote, switch: KillSwitch, args: list[str], log: Path, rng: random.Random) -> int:
    """One render, killed at its N-th request (lost or served) or after a random delay; its wait status."""
    by_request = rng.random() < 0.8
    switch.arm(rng.randint(1, 8) if by_request else 0, lose=rng.random() < 0.5)
    timer = None if by_request else threading.Timer(rng.uniform(0.0, 0.15), switch.kill_now)
    switch.aim(zygote.start(args, log))
    if timer is not None:
        timer.start()
    status = zygote.status()
    switch.aim(None)
    if timer is not None:
        timer.cancel()
    return status


def finish(zygote: Zygote, args: list[str], log: Path, env: dict[str, str], *, fresh: bool) -> None:
    """Rerun to completion, untouched: forked, or in a fresh interpreter through the CLI's entry point."""
    if fresh:
        code = "import sys; from hailuo_dsl.cli import main; sys.argv[0] = 'hailuo'; main()"
        done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        return
    zygote.start(args, log)
    status = zygote.status()
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, log.read_text()


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
