"""``assemble_film``: the chosen take of every shot, in script order, joined into one MP4 with an
OpenTimelineIO timeline beside it, through the film core ``hailuo assemble`` uses
(:mod:`hailuo_dsl.render.film`). It reads the journal, never the API: render first. The film lands
where ``hailuo assemble`` puts it: ``renders/<script>.mp4`` (``.emulator.mp4`` for the emulator's).
"""

from __future__ import annotations

from pathlib import Path

from mcp.server.mcpserver.exceptions import ToolError

from hailuo_dsl.mcp.models import FilmInfo
from hailuo_dsl.mcp.renders import endpoint_for
from hailuo_dsl.mcp.tools import os_message
from hailuo_dsl.render import Journal, JournalError, find_journal
from hailuo_dsl.render.film import FilmError, default_film_path, film_shots
from hailuo_dsl.render.film import assemble_film as join_film


def assemble_film(script: Path, *, emulator: bool) -> FilmInfo:
    """Join the script's chosen takes into its film; ``ToolError`` names every shot without a video."""
    from hailuo_dsl.shots.parser import load_script
    from hailuo_dsl.video import InvalidVideo

    try:
        names = [shot.name for shot in load_script(script).shots]
    except OSError as err:
        raise ToolError(os_message(err)) from None
    journal = find_journal(script, endpoint_for(emulator))
    if not journal.is_file():
        raise ToolError(f"{script}: nothing rendered yet{' on the emulator' if emulator else ''}: start_render first")
    try:
        with Journal(journal, create=False) as opened:
            shots = film_shots(names, opened)
    except (JournalError, FilmError) as err:
        raise ToolError(f"{script}: {err}") from None
    if not shots:
        raise ToolError(f"{script}: no shots to join")
    try:
        film = join_film(shots, default_film_path(script, emulator=emulator))
    except InvalidVideo as err:
        raise ToolError(str(err)) from None
    except OSError as err:
        raise ToolError(os_message(err)) from None
    assembly = film.assembly
    return FilmInfo(
        film=str(assembly.output),
        timeline=str(film.timelines[0]),
        method=assembly.method.value,
        duration=assembly.duration,
        size=list(assembly.size),
        shots=[shot.name for shot in film.shots],
    )
