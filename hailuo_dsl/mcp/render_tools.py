"""The MCP tools that render: ``start_render``, ``render_status`` and ``assemble_film``.

``start_render`` does what ``hailuo render`` does before it sends anything (the script compiled,
its prompts linted, the journal's lock free) and then leaves the render to a thread of the server
(:mod:`hailuo_dsl.mcp.renders`), answering at once. Real renders are refused here: they need the
plan's count of tasks to confirm (``confirm_tasks``), which the plan of ``hailuo plan`` gives; until
that is wired, an assistant renders on the emulator and the user renders for real with ``hailuo
render``. The emulator needs no confirmation: it costs nothing.
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from hailuo_dsl.mcp import film
from hailuo_dsl.mcp.models import FilmInfo, RenderStarted, RenderStatus, ShotStatus
from hailuo_dsl.mcp.renders import Renders, Run, endpoint_for
from hailuo_dsl.mcp.tools import compile_findings, config_for, script_path
from hailuo_dsl.render import Journal, JournalError, default_out_dir, find_journal, open_journal

REAL_RENDERS_REFUSED = (
    "real renders are not started from here yet: they need the render plan's task count to confirm, "
    "and this server has no plan_render; render on the emulator (emulator=true), or run `hailuo render` yourself"
)

NOTHING_SENT = "the script has errors: nothing was uploaded or submitted (fix_prompt fixes many prompt findings)"


def register(server: MCPServer, renders: Renders) -> None:
    """Add the render tools to ``server``, each following the runs of ``renders``."""

    @server.tool(structured_output=True)
    def start_render(script: str, emulator: bool = False) -> RenderStarted:
        """Start rendering a .shot script (a path) in the background of this server and answer at once;
        render_status follows it. Every step is journaled before the next, as `hailuo render` does: a
        rerun resumes and never pays twice. With emulator=true the built-in emulator renders stand-in
        clips (no key, no network, no cost). A script with errors starts nothing: its findings come back."""
        path = script_path(script)
        if not emulator:
            raise ToolError(REAL_RENDERS_REFUSED)
        compiled = compile_findings(path, None)
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
            renders.start(Run(path, emulator, out_dir, tuple(answer.shots)), config_for(path), None)
        except RuntimeError as err:
            raise ToolError(str(err)) from None
        return answer.model_copy(update={"started": True, "message": "rendering in the background: render_status follows it"})

    @server.tool(structured_output=True)
    def render_status(script: str, emulator: bool = False) -> RenderStatus:
        """Each shot of a .shot script's render as its journal holds it (state, task id, progress, file,
        error), and the background render this server runs for it. emulator=true reads the emulator's
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
        """Join the downloaded video of every shot of a .shot script, in script order, into one MP4
        (renders/<script>.mp4; .emulator.mp4 for the emulator's) with an OpenTimelineIO timeline
        beside it. Reads the journal only: render first."""
        path = script_path(script)
        run = renders.get(path, emulator)
        if run is not None and run.running:
            raise ToolError(f"{path}: still rendering; assemble once render_status shows the run finished")
        return film.assemble_film(path, emulator=emulator)
