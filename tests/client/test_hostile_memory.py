"""Every command keeps bounded memory against the worst servers: a compressed reply bomb, an
endless reply announced as 400 MB, a video announced as 10 TB, endless and compressed videos.
Each runs as a child process that writes its own peak resident memory (``VmHWM``) when it exits
(run with ``-s`` to see the figures). ``wait4``'s ``ru_maxrss`` would not do: Linux counts in it
the memory of the parent at the fork, so a large test process made every child look large.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hostile_server import API_KEY, Answer, HostileServer, endless, gzip_bomb, prefixed

from hailuo_dsl.emulator.models import HttpRequest

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads a process's peak memory from /proc/self/status"
)

PEAK_FILE = "peak-rss.txt"
CLI = f"""
import atexit, re, sys
def write_peak() -> None:
    status = open("/proc/self/status", encoding="ascii").read()
    open({PEAK_FILE!r}, "w", encoding="ascii").write(re.search(r"VmHWM:\\s*(\\d+) kB", status).group(1))
atexit.register(write_peak)
from hailuo_dsl.cli import main
sys.argv[0] = "hailuo"
main()
"""
PEAK_LIMIT_MB = 150
TASK_HEAD = b'{"id": "vid_1", "status": "queued", "pad": "'


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer() as running:
        yield running


def peak_of(args: list[str], server: HostileServer, cwd: Path) -> tuple[int, float, str]:
    """Run ``hailuo ARGS``; its exit code, peak resident memory in MB, and standard error."""
    env = {**os.environ, "HAILUO_API_KEY": API_KEY, "HAILUO_BASE_URL": server.url}
    child = subprocess.Popen(
        [sys.executable, "-c", CLI, *args], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert child.stderr is not None
    err = child.stderr.read().decode()
    code = child.wait()
    peak_kb = int((cwd / PEAK_FILE).read_text(encoding="ascii"))
    return code, peak_kb / 1024, err


def serve(server: HostileServer, endpoint: str, answer: Callable[[], Answer]) -> None:
    async def handler(request: HttpRequest) -> Answer:
        return answer()

    server.handlers.clear()
    server.handlers[endpoint] = handler


CASES: dict[str, tuple[str, Callable[[], Answer], list[str], str]] = {
    "status, 1 GB-per-MB gzip reply": (
        "query",
        lambda: Answer(headers=[("Content-Encoding", "gzip")], body=gzip_bomb(TASK_HEAD, b"a")),
        ["status", "vid_1"],
        "over the reply limit of 1 MB",
    ),
    "status, endless reply announced as 400 MB": (
        "query",
        lambda: Answer(body=prefixed(TASK_HEAD, endless(b"a" * 65536)), length=400_000_000),
        ["status", "vid_1"],
        "over the reply limit of 1 MB",
    ),
    "download, video announced as 10 TB": (
        "download",
        lambda: Answer(body=endless(), length=10 * 10**12),
        ["download", "TASK", "-o", "out"],
        "announced as 10 TB",
    ),
    "download, endless chunked video": (
        "download",
        lambda: Answer(body=endless()),
        ["download", "TASK", "-o", "out", "--max-download-mb", "100"],
        "more than 100 MB",
    ),
    "download, endless gzip video": (
        "download",
        lambda: Answer(headers=[("Content-Encoding", "gzip")], body=gzip_bomb()),
        ["download", "TASK", "-o", "out", "--max-download-mb", "100"],
        "more than 100 MB",
    ),
}


def test_the_figures_have_a_baseline(server: HostileServer, tmp_path: Path) -> None:
    """The same commands against an ordinary server: what the interpreter and its imports take."""
    server.handlers.clear()
    task = server.completed_task()
    for args in (["status", task], ["download", task, "-o", str(tmp_path)]):
        code, peak, err = peak_of(args, server, tmp_path)
        print(f"\nbaseline {args[0]}: exit {code}, peak RSS {peak:.0f} MB")
        assert code == 0, err


def test_a_render_whose_polls_meet_a_reply_bomb_stays_bounded(server: HostileServer, tmp_path: Path) -> None:
    script = tmp_path / "launch.shot"
    script.write_text("shot city\n  City night scene, neon lights flickering [Pan left].\n", encoding="utf-8")
    serve(server, "query", lambda: Answer(headers=[("Content-Encoding", "gzip")], body=gzip_bomb(TASK_HEAD, b"a")))
    code, peak, err = peak_of(["render", str(script), "--poll-interval", "0.01"], server, tmp_path)
    print(f"\nrender, polls answered by a gzip bomb: exit {code}, peak RSS {peak:.0f} MB")
    assert code == 1 and "Traceback" not in err and peak < PEAK_LIMIT_MB


@pytest.mark.parametrize("case", list(CASES))
def test_peak_memory_stays_bounded(case: str, server: HostileServer, tmp_path: Path) -> None:
    endpoint, answer, args, message = CASES[case]
    serve(server, endpoint, answer)
    (tmp_path / "out").mkdir()
    args = [server.completed_task() if a == "TASK" else a for a in args]
    code, peak, err = peak_of(args, server, tmp_path)
    print(f"\n{case}: exit {code}, peak RSS {peak:.0f} MB")
    assert code == 1 and message in err and "Traceback" not in err, err
    assert err.count("\n") == 1
    assert peak < PEAK_LIMIT_MB
    assert list((tmp_path / "out").iterdir()) == []
