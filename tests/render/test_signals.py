"""SIGINT, SIGTERM and SIGHUP stop a command alike, gracefully: a render records the answer of
every submit in flight (several at once) before its journal closes and exits 128 + N, so the rerun
needs no ``--adopt``; a stopped download leaves no partial file; a stopped submit still prints
the task it created.

Request-indexed: the signal is sent from the server when the N-th request arrives, never after a
delay. Each child starts with the stop signals at their default disposition.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hostile_server import API_KEY, Answer, HostileServer, endless

from hailuo_dsl.emulator.models import HttpRequest
from hailuo_dsl.render import Journal, ShotState, endpoint_of, find_journal

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads signal delivery from /proc")

SHOTS = 3
SCRIPT = "".join(f"shot s{i}\n  Shot {i}: gulls over the pier at dawn [Pan left].\n\n" for i in range(SHOTS))
CLI = "import sys; from hailuo_dsl.cli import main; sys.argv[0] = 'hailuo'; main()"
STOPS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]


def default_dispositions() -> None:
    """In the child, before exec: the stop signals as a fresh terminal gives them."""
    for sig in STOPS:
        signal.signal(sig, signal.SIG_DFL)


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "launch.shot"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


def start(args: list[str], server: HostileServer, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "HAILUO_API_KEY": API_KEY, "HAILUO_BASE_URL": server.url}
    return subprocess.Popen(
        [sys.executable, "-c", CLI, *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_dispositions,  # the child must not inherit an ignored SIGINT
    )


def _proc(pid: int, name: str) -> str:
    try:
        return Path(f"/proc/{pid}/{name}").read_text()
    except OSError:  # the process has ended
        return ""


def _status(pid: int) -> dict[str, str]:
    return dict(line.split(":", 1) for line in _proc(pid, "status").splitlines() if ":" in line)


def _switches(pid: int) -> int:
    return int(_status(pid).get("voluntary_ctxt_switches", "0").strip() or "0")


def _idle(pid: int) -> bool:
    return "epoll" in _proc(pid, "wchan")


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(5000):
        if condition():
            return
        await asyncio.sleep(0.001)


async def stop(child: subprocess.Popen[str], sig: int, *, event_loop: bool = True) -> None:
    """Send ``sig`` to ``child`` and wait until it has taken it and (``event_loop``) its event loop
    has acted on it, observed through /proc, never guessed with a delay: the main thread, idle in
    ``epoll_wait`` before the signal, has woken and gone back to waiting there (it does only when
    no work is left), and the signal is no longer pending."""
    pid, bit = child.pid, 1 << (sig - 1)
    if event_loop:
        await _until(lambda: _idle(pid))
    before = _switches(pid)
    child.send_signal(sig)
    await _until(lambda: not any(int(_status(pid).get(f, "0").strip() or "0", 16) & bit for f in ("SigPnd", "ShdPnd")))
    if event_loop:
        await _until(lambda: not _status(pid) or (_switches(pid) > before and _idle(pid)))


@pytest.mark.parametrize("sig", STOPS, ids=lambda s: s.name)
def test_a_stopped_render_records_every_submit_in_flight(script: Path, server: HostileServer, sig: signal.Signals) -> None:
    """Three submits are held at the server until the third arrives; then the signal is sent, and
    once the render has acted on it the three are answered one at a time, each once the journal
    holds the one before (a render that closed its journal after the first could not record the
    others)."""
    child: list[subprocess.Popen[str]] = []
    turns: list[asyncio.Event] = []
    releasing: list[asyncio.Task[None]] = []
    journal = find_journal(script, endpoint_of(server.url))

    def recorded() -> int:
        try:
            with contextlib.closing(sqlite3.connect(f"file:{journal}?mode=ro", uri=True)) as db:
                return int(db.execute("SELECT count(*) FROM takes WHERE state = 'submitted'").fetchone()[0])
        except sqlite3.Error:
            return 0

    async def stop_then_answer_in_turn() -> None:
        await stop(child[0], sig)
        for count, turn in enumerate(turns, 1):
            turn.set()
            await _until(lambda count=count: child[0].poll() is not None or recorded() >= count)  # type: ignore[misc]

    async def hold_then_stop(request: HttpRequest) -> Answer | None:
        turn = asyncio.Event()
        turns.append(turn)
        if len(turns) == SHOTS:
            releasing.append(asyncio.ensure_future(stop_then_answer_in_turn()))
        await turn.wait()
        return None  # the emulator answers: a task is created

    server.handlers["submit"] = hold_then_stop
    args = ["render", str(script), "--concurrency", str(SHOTS), "--poll-interval", "0.01"]
    child.append(start(args, server, script.parent))
    out, err = child[0].communicate(timeout=120)
    assert child[0].returncode == 128 + sig, out + err
    assert f"Stopped by {sig.name}" in err and "run the same command again" in err
    assert "Traceback" not in err and "closed database" not in err
    with Journal(journal, create=False) as opened:
        records = opened.records()
    assert [r.state for r in records] == [ShotState.SUBMITTED] * SHOTS, [(r.error, r.status) for r in records]
    assert sorted(r.task_id for r in records) == sorted(server.app.tasks)  # type: ignore[type-var]

    if sig is not signal.SIGTERM:
        return
    del server.handlers["submit"]
    done = start(args, server, script.parent)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, out + err  # no --adopt needed
    assert server.app.stats.submits_accepted == SHOTS


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_a_stopped_download_leaves_no_partial_file(tmp_path: Path, server: HostileServer, sig: signal.Signals) -> None:
    task_id = server.completed_task()
    child: list[subprocess.Popen[str]] = []
    folder = tmp_path / "videos"
    folder.mkdir()

    async def stop_midway() -> None:
        while not list(folder.glob("*.part")):  # until the partial file is there, however long
            await asyncio.sleep(0.001)  # a loaded machine takes (the test's timeout bounds it)
        child[0].send_signal(sig)

    stopping: list[asyncio.Task[None]] = []

    async def video(request: HttpRequest) -> Answer:
        async def body() -> object:
            yield b"\0" * 65536
            stopping.append(asyncio.ensure_future(stop_midway()))
            async for piece in endless():
                yield piece
                await asyncio.sleep(0.001)

        return Answer(headers=[("Content-Type", "video/mp4")], body=body())  # type: ignore[arg-type]

    server.handlers["download"] = video
    child.append(start(["download", task_id, "-o", str(folder)], server, tmp_path))
    out, err = child[0].communicate(timeout=60)
    assert child[0].returncode == 128 + sig, out + err
    assert f"Stopped by {sig.name}" in err and "Traceback" not in err
    assert list(folder.iterdir()) == []


def test_a_stopped_submit_still_prints_its_task(tmp_path: Path, server: HostileServer) -> None:
    child: list[subprocess.Popen[str]] = []

    async def stop_then_answer(request: HttpRequest) -> Answer | None:
        await stop(child[0], signal.SIGTERM, event_loop=False)  # a blocking client: held in Python
        return None

    server.handlers["submit"] = stop_then_answer
    child.append(start(["submit", "--prompt", "Waves at sunset [Pan left].", "--json"], server, tmp_path))
    out, err = child[0].communicate(timeout=60)
    assert child[0].returncode == 143, out + err
    (task_id,) = server.app.tasks
    assert json.loads(out)["id"] == task_id
    assert f"task {task_id}" in err and "Traceback" not in err
