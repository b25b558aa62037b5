"""Renders in the background of the MCP server.

An assistant cuts a tool call after about a minute, and a render takes many: ``start_render``
answers at once and the render goes on in a thread of the server process, with its own event loop,
through :func:`hailuo_dsl.render.render_script`, the function ``hailuo render`` calls. So it keeps
that command's journal (every step committed before the next: a crash loses nothing paid for, a
rerun resumes), its lock (one run per journal, across processes) and its stop (a cancelled run
records every submit in flight before the journal closes). ``render_status`` reads the journal
while it runs.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hailuo_dsl.client import AsyncClient, HailuoError
from hailuo_dsl.config import LintConfig
from hailuo_dsl.contract import BASE_URL_ENV, DEFAULT_BASE_URL, POLL_INTERVAL
from hailuo_dsl.mcp.models import RunInfo
from hailuo_dsl.render import EMULATOR_ENDPOINT, JournalError, RenderSummary, endpoint_of, render_script
from hailuo_dsl.render.plan import CapExceeded
from hailuo_dsl.shots.result import CompileError

EMULATOR_TIME_SCALE = 300.0
"""Emulated seconds per real second for ``emulator=true`` renders, as ``hailuo render --emulator``."""

STOP_GRACE = 30.0
"""Seconds the server waits, when it shuts down, for each stopped run to record its submits in flight."""


def base_url() -> str:
    """The API the real renders talk to: ``HAILUO_BASE_URL``, else the documented one."""
    return os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL


def endpoint_for(emulator: bool) -> str:
    """The API a journal is kept for: the built-in emulator's, or the real base URL's."""
    return EMULATOR_ENDPOINT if emulator else endpoint_of(base_url())


@contextmanager
def api_client(emulator: bool) -> Iterator[AsyncClient]:
    """The client of one run: the real API (key and base URL from the environment) or an emulator
    started on loopback for this run alone, timed as ``hailuo render --emulator`` times it."""
    if not emulator:
        yield AsyncClient(api_key=None, base_url=base_url(), poll_interval=POLL_INTERVAL, first_poll_delay=POLL_INTERVAL / 2)
        return
    from hailuo_dsl.emulator import Emulator

    with Emulator(time_scale=EMULATOR_TIME_SCALE, seed=secrets.randbits(32)) as server:
        scale = EMULATOR_TIME_SCALE
        yield AsyncClient(api_key=server.api_key, base_url=server.url, poll_interval=10.0 / scale, first_poll_delay=5.0 / scale)


@dataclass(eq=False)
class Run:
    """One background render: what it renders, where, and how it stands."""

    script: Path
    emulator: bool
    out_dir: Path
    shots: tuple[str, ...]
    max_tasks: int | None = None
    """The tasks a real render was confirmed for: the render refuses a plan over it before sending."""
    started_at: float = field(default_factory=time.time)
    state: str = "running"
    finished_at: float | None = None
    summary: RenderSummary | None = None
    error: str | None = None
    thread: threading.Thread | None = None
    _loop: asyncio.AbstractEventLoop | None = None
    _task: asyncio.Task[Any] | None = None
    _stop: bool = False
    _guard: threading.Lock = field(default_factory=threading.Lock)

    @property
    def running(self) -> bool:
        return self.state == "running"

    def info(self) -> RunInfo:
        return RunInfo(
            state=self.state,
            emulator=self.emulator,
            started_at=self.started_at,
            finished_at=self.finished_at,
            shots=list(self.shots),
            error=self.error,
            summary=self.summary.to_json() if self.summary is not None else None,
        )

    def stop(self) -> None:
        """Cancel the run (from any thread): the pipeline records its submits in flight, then ends."""
        with self._guard:
            self._stop = True
            if self._loop is not None and self._task is not None:
                self._loop.call_soon_threadsafe(self._task.cancel)

    def _finish(self, state: str, *, summary: RenderSummary | None = None, error: str | None = None) -> None:
        self.summary, self.error, self.finished_at = summary, error, time.time()
        self.state = state  # last: a reader that sees the state sees the rest

    def render(self, config: LintConfig, shots: Sequence[str] | None) -> None:
        """The thread's body: the render, to its end, its outcome recorded on this run."""
        try:
            with api_client(self.emulator) as client:
                summary = asyncio.run(self._main(client, config, shots))
        except asyncio.CancelledError:
            self._finish("stopped", error="stopped when the server shut down; start it again to resume")
        except (CompileError, JournalError, HailuoError, CapExceeded) as err:
            self._finish("failed", error=str(err))
        except OSError as err:
            self._finish("failed", error=f"{err.filename}: {err.strerror}" if err.filename else str(err))
        except Exception as err:  # the run's thread is its only witness: record what ended it
            self._finish("failed", error=f"{type(err).__name__}: {err}")
        else:
            self._finish("finished", summary=summary)

    async def _main(self, client: AsyncClient, config: LintConfig, shots: Sequence[str] | None) -> RenderSummary:
        task = asyncio.current_task()
        assert task is not None
        with self._guard:
            if self._stop:
                raise asyncio.CancelledError
            self._loop, self._task = asyncio.get_running_loop(), task
        async with client:
            return await render_script(
                self.script,
                client=client,
                out_dir=self.out_dir,
                endpoint=EMULATOR_ENDPOINT if self.emulator else None,
                shots=shots,
                config=config,
                max_tasks=self.max_tasks,
            )


class Renders:
    """The renders this server started, by script and API; one at a time for each."""

    def __init__(self) -> None:
        self._runs: dict[tuple[Path, str], Run] = {}
        self._guard = threading.Lock()

    def get(self, script: Path, emulator: bool) -> Run | None:
        return self._runs.get((script, endpoint_for(emulator)))

    def check_idle(self, script: Path, emulator: bool) -> None:
        """``RuntimeError`` when this server is rendering ``script`` for that API already."""
        current = self.get(script, emulator)
        if current is not None and current.running:
            raise RuntimeError(f"{script}: this server is rendering it already (render_status follows it)")

    def start(self, run: Run, config: LintConfig, shots: Sequence[str] | None) -> Run:
        """Start ``run`` in a thread; ``RuntimeError`` when this server already renders its script."""
        with self._guard:
            self.check_idle(run.script, run.emulator)
            self._runs[(run.script, endpoint_for(run.emulator))] = run
        run.thread = threading.Thread(target=run.render, args=(config, shots), name=f"render {run.script.name}", daemon=True)
        run.thread.start()
        return run

    def stop_all(self, grace: float = STOP_GRACE) -> None:
        """Stop every running render and wait for each to record what it sent (the server is ending)."""
        with self._guard:
            runs = [r for r in self._runs.values() if r.running]
        for run in runs:
            run.stop()
        deadline = time.monotonic() + grace
        for run in runs:
            if run.thread is not None:
                run.thread.join(max(0.0, deadline - time.monotonic()))
