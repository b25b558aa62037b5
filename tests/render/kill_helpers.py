"""The machinery of the kill tests: a switch inside the emulator that SIGKILLs the render at the N-th
request of a kind, at one of three moments, and a helper process that forks renders.

Every kill is tied to a request, never to a clock: it fires from inside the emulator at the N-th
request of a kind (upload, submit, query, download, or any) in a run, at one of three moments:
when the request arrives (it is lost), while it is served (it takes effect, the answer never
arrives), or once its answer was written (the render dies in whatever follows: its journal, the
next request, a file being written). Children are forked from one helper process that has
imported the package already, so each run starts in milliseconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from hailuo_dsl.contract import SUBMIT_PATH, UPLOAD_PATH
from hailuo_dsl.emulator import Emulator, Faults
from hailuo_dsl.emulator.models import ConnectionAction, HttpRequest, HttpResponse

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


class Moment(enum.Enum):
    """When, around the request that trips the switch, the render is killed."""

    ARRIVED = "arrived"  # before the request is served: it is lost, the connection drops
    SERVED = "served"  # while it is served: it takes effect, the answer never arrives
    ANSWERED = "answered"  # once its answer was written: the render dies in whatever it does next


@dataclass(frozen=True)
class KillPoint:
    """The N-th request of a kind (``None``: of any kind) in one run, and the moment to kill."""

    kind: str | None
    index: int
    moment: Moment


def request_kind(request: HttpRequest) -> str:
    path = request.path.split("?", 1)[0]
    if request.method == "POST":
        return {SUBMIT_PATH: "submit", UPLOAD_PATH: "upload"}.get(path, "other")
    if path.startswith(SUBMIT_PATH + "/"):
        return "query"
    return "download" if path.startswith("/files/videos/") else "other"


class KillSwitch:
    """Kills the armed render from inside the emulator when its run reaches the armed request."""

    def __init__(self, emulator: Emulator) -> None:
        # ANSWERED kills run on the emulator's loop right after the handler returns, which is after
        # the answer is written only when the server does not wait before writing it.
        assert emulator.app.latency == 0 and emulator.faults == Faults()
        self.serve = emulator.app.handle
        emulator.app.handle = self.handle  # type: ignore[method-assign]
        self.lock = threading.Lock()
        self.point: KillPoint | None = None
        self.counts: Counter[str | None] = Counter()
        self.pid: int | None = None
        self.aimed = threading.Event()

    def arm(self, point: KillPoint) -> None:
        """Count the next run's requests from zero and kill it at ``point`` (before it starts)."""
        with self.lock:
            self.point, self.counts, self.pid = point, Counter(), None
            self.aimed.clear()

    def aim(self, pid: int) -> None:
        """The armed run's process: a request that trips the switch before this waits for it."""
        self.pid = pid
        self.aimed.set()

    def disarm(self) -> None:
        with self.lock:
            self.point, self.pid = None, None
            self.aimed.clear()

    def _kill(self, pid: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)

    def handle(self, request: HttpRequest) -> HttpResponse:
        with self.lock:
            point = self.point
            if point is not None:
                kind = request_kind(request)
                self.counts[kind] += 1
                self.counts[None] += 1
                if self.counts[point.kind] == point.index and point.kind in (None, kind):
                    self.point = None  # one kill a run
                else:
                    point = None
        if point is None:
            return self.serve(request)
        assert self.aimed.wait(timeout=30), "the armed run was never aimed at"
        pid = self.pid
        assert pid is not None
        if point.moment is Moment.ARRIVED:
            self._kill(pid)
            return HttpResponse(0, action=ConnectionAction.DROP)
        if point.moment is Moment.SERVED:
            self._kill(pid)
            return self.serve(request)
        response = self.serve(request)
        # The server writes the answer before it next waits; the kill runs at that wait.
        asyncio.get_running_loop().call_soon(self._kill, pid)
        return response


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


def run_with_a_kill(zygote: Zygote, switch: KillSwitch, args: list[str], log: Path, point: KillPoint) -> int:
    """One render, killed at ``point`` if its run gets there; its wait status."""
    switch.arm(point)
    try:
        switch.aim(zygote.start(args, log))
        return zygote.status()
    finally:
        switch.disarm()


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
