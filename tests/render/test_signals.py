"""SIGINT, SIGTERM and SIGHUP stop a command alike, gracefully: a render records the answer of
every submit in flight (several at once) before its journal closes and exits 128 + N, so the rerun
needs no ``--adopt``; a stopped download leaves no partial file; a stopped submit still prints
the task it created.

Request-indexed: the signal is sent from the server when the N-th request arrives, never after a
delay. Each child starts with the stop signals at their default disposition.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
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


async def handled(pid: int, sig: int) -> None:
    """Wait until process ``pid`` has taken ``sig`` *and* its event loop has acted on it: the
    signal is no longer pending, and the main thread has since gone back to waiting in
    ``epoll_wait`` (it leaves it only when it has no work left). Observed through /proc, never
    guessed with a delay."""
    bit = 1 << (sig - 1)
    for _ in range(5000):
        status = _status(pid)
        if not status or not any(int(status.get(name, "0").strip() or "0", 16) & bit for name in ("SigPnd", "ShdPnd")):
            break
        await asyncio.sleep(0.001)
    before = int(_status(pid).get("voluntary_ctxt_switches", "0").strip() or "0")
    for _ in range(5000):
        status = _status(pid)
        if not status:
            return
        slept = int(status.get("voluntary_ctxt_switches", "0").strip() or "0") > before
        if slept and "epoll" in _proc(pid, "wchan"):
            return
        await asyncio.sleep(0.001)


@pytest.mark.parametrize("sig", STOPS, ids=lambda s: s.name)
def test_a_stopped_render_records_every_submit_in_flight(script: Path, server: HostileServer, sig: signal.Signals) -> None:
    """Three submits are held at the server until the third arrives; then the signal is sent, and
    only once the render has acted on it are the three answered."""
    child: list[subprocess.Popen[str]] = []
    all_in = asyncio.Event()

    async def hold_then_stop(request: HttpRequest) -> Answer | None:
        if server.seen["submit"] < SHOTS:
            await all_in.wait()
        else:
            child[0].send_signal(sig)
            await handled(child[0].pid, sig)
            all_in.set()
        return None  # the emulator answers: a task is created

    server.handlers["submit"] = hold_then_stop
    args = ["render", str(script), "--concurrency", str(SHOTS), "--poll-interval", "0.01"]
    child.append(start(args, server, script.parent))
    out, err = child[0].communicate(timeout=120)
    assert child[0].returncode == 128 + sig, out + err
    assert f"Stopped by {sig.name}" in err and "run the same command again" in err
    assert "Traceback" not in err and "closed database" not in err
    with Journal(find_journal(script, endpoint_of(server.url)), create=False) as journal:
        records = journal.records()
    assert [r.state for r in records] == [ShotState.SUBMITTED] * SHOTS
    assert sorted(r.task_id for r in records) == sorted(server.app.tasks)  # type: ignore[type-var]

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
        for _ in range(5000):  # until the partial file is there
            if list(folder.glob("*.part")):
                break
            await asyncio.sleep(0.001)
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
        child[0].send_signal(signal.SIGTERM)
        await handled(child[0].pid, signal.SIGTERM)
        return None

    server.handlers["submit"] = stop_then_answer
    child.append(start(["submit", "--prompt", "Waves at sunset [Pan left].", "--json"], server, tmp_path))
    out, err = child[0].communicate(timeout=60)
    assert child[0].returncode == 143, out + err
    (task_id,) = server.app.tasks
    assert json.loads(out)["id"] == task_id
    assert f"task {task_id}" in err and "Traceback" not in err
