"""The MCP tools that render: ``plan_render``, ``start_render``, ``render_status`` and ``assemble_film``.

``start_render`` does what ``hailuo render`` does before it sends anything (the script compiled,
its prompts linted, the journal's lock free) and then leaves the render to a thread of the server
(:mod:`hailuo_dsl.mcp.renders`), answering at once. Against the real API it first makes the plan
``hailuo plan`` makes (:func:`hailuo_dsl.render.plan.plan_render`) and refuses, sending nothing,
unless ``confirm_tasks`` equals its number of tasks: an assistant must look at the plan before
anything is paid. The render then runs with that number as its cap, so a journal that changed in
between (another run, a rerun) is refused before any upload or submit too. The emulator needs no
confirmation: it costs nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from hailuo_dsl.contract import API_KEY_ENV
from hailuo_dsl.mcp import film
from hailuo_dsl.mcp.models import FilmInfo, RenderStarted, RenderStatus, ShotStatus
from hailuo_dsl.mcp.renders import Renders, Run, endpoint_for
from hailuo_dsl.mcp.tools import compile_findings, config_for, os_message, script_path
from hailuo_dsl.render import Journal, JournalError, default_out_dir, find_journal, open_journal
from hailuo_dsl.render.figures import RenderPlan
from hailuo_dsl.render.plan import plan_render as plan_of
from hailuo_dsl.shots.pricing import TablesError
from hailuo_dsl.shots.result import CompileError, UnknownShotError

CONFIRM = (
    "this render would submit {count} paid task(s) ({totals}); look at plan_render, then call start_render again "
    "with confirm_tasks={count}: nothing was uploaded or submitted"
)

NOTHING_SENT = "the script has errors: nothing was uploaded or submitted (fix_prompt fixes many prompt findings)"


def _plan(path: Path, emulator: bool, *, compiled: bool = False) -> RenderPlan:
    """The plan ``hailuo plan`` makes of ``path`` now (nothing is sent), or a one-line ``ToolError``
    (``compiled``: the caller found the script free of errors already)."""
    if not compiled and not compile_findings(path, None).ok:
        raise ToolError(f"{path}: the script has errors (compile_script lists them): nothing would be submitted")
    try:
        return plan_of(path, emulator=emulator, config=config_for(path))
    except (CompileError, UnknownShotError, JournalError, TablesError) as err:
        raise ToolError(str(err).splitlines()[0]) from None
    except OSError as err:
        raise ToolError(os_message(err)) from None


def register(server: MCPServer, renders: Renders) -> None:
    """Add the render tools to ``server``, each following the runs of ``renders``."""

    @server.tool(structured_output=True)
    def plan_render(script: str, emulator: bool = False) -> dict[str, Any]:
        """What start_render would do now, as `hailuo plan --json` gives it: each task it would submit
        (shot, take, reason, mode, resolution, duration, cost), the takes it leaves alone, the uploads,
        and the totals (totals.tasks is the number a real render must confirm). Nothing is sent."""
        return _plan(script_path(script), emulator).as_json()

    @server.tool(structured_output=True)
    def start_render(script: str, emulator: bool = False, confirm_tasks: int | None = None) -> RenderStarted:
        """Start rendering a .shot script (a path) in the background of this server and answer at once;
        render_status follows it. Every step is journaled before the next, as `hailuo render` does: a
        rerun resumes and never pays twice. With emulator=true the built-in emulator renders stand-in
        clips (no key, no network, no cost). Against the real API (HAILUO_API_KEY, HAILUO_BASE_URL) it
        starts only when confirm_tasks equals the number of paid tasks plan_render shows. A script
        with errors starts nothing: its findings come back."""
        path = script_path(script)
        compiled = compile_findings(path, None)
        cap = None
        if not emulator and compiled.ok:
            plan = _plan(path, emulator, compiled=True)
            if confirm_tasks != plan.task_count:
                totals = plan.totals()
                cost = (
                    f"cost {totals['cost']} {totals['currency'] or ''}".rstrip() if totals["cost"] is not None else "cost unknown"
                )
                raise ToolError(CONFIRM.format(count=plan.task_count, totals=cost))
            if not os.environ.get(API_KEY_ENV, "").strip():
                raise ToolError(f"no API key: set {API_KEY_ENV} in this server's environment (the assistant's MCP configuration)")
            cap = plan.task_count
        endpoint = endpoint_for(emulator)
        out_dir = default_out_dir(path, emulator=emulator)
        answer = RenderStarted(
            started=False,
            script=str(path),
            emulator=emulator,
            journal=str(find_journal(path, endpoint)),
            out_dir=str(out_dir),
            shots=[shot["shot"] for shot in compiled.shots],
            findings=compiled.findings,
            message=NOTHING_SENT,
        )
        if not compiled.ok:
            return answer
        try:
            renders.check_idle(path, emulator)
        except RuntimeError as err:
            raise ToolError(str(err)) from None
        try:  # the lock is free (another process's `hailuo render` holds it otherwise)
            with open_journal(path, endpoint) as journal:
                journal.acquire()
        except JournalError as err:
            raise ToolError(str(err)) from None
        try:
            renders.start(Run(path, emulator, out_dir, tuple(answer.shots), max_tasks=cap), config_for(path), None)
        except RuntimeError as err:
            raise ToolError(str(err)) from None
        return answer.model_copy(update={"started": True, "message": "rendering in the background: render_status follows it"})

    @server.tool(structured_output=True)
    def render_status(script: str, emulator: bool = False) -> RenderStatus:
        """Each shot of a .shot script's render as its journal holds it (take, state, task id, progress,
        file, error), and the background render this server runs for it. emulator=true reads the emulator's
        renders; otherwise those of the real API (HAILUO_BASE_URL, else the documented one)."""
        path = script_path(script)
        journal = find_journal(path, endpoint_for(emulator))
        shots: list[ShotStatus] = []
        if journal.is_file():
            try:
                with Journal(journal, create=False) as opened:
                    records = opened.records()
            except JournalError as err:
                raise ToolError(str(err)) from None
            shots = [
                ShotStatus(
                    shot=r.name,
                    take=r.take,
                    state=r.state.value,
                    task_id=r.task_id,
                    status=r.status,
                    progress=r.progress,
                    output=r.output,
                    error=r.error,
                    attempts=r.attempts,
                )
                for r in records
            ]
        run = renders.get(path, emulator)
        return RenderStatus(
            script=str(path),
            journal=str(journal) if journal.is_file() else None,
            shots=shots,
            run=run.info() if run is not None else None,
        )

    @server.tool(structured_output=True)
    def assemble_film(script: str, emulator: bool = False) -> FilmInfo:
        """Join the chosen take of every shot of a .shot script, in script order, into one MP4
        (renders/<script>.mp4; .emulator.mp4 for the emulator's) with an OpenTimelineIO timeline
        beside it, as `hailuo assemble` does. Reads the journal only: render first."""
        path = script_path(script)
        run = renders.get(path, emulator)
        if run is not None and run.running:
            raise ToolError(f"{path}: still rendering; assemble once render_status shows the run finished")
        return film.assemble_film(path, emulator=emulator)
