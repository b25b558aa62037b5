"""``assemble_film``: the downloaded video of every shot, in script order, joined into one MP4 with
an OpenTimelineIO timeline beside it, by :func:`hailuo_dsl.video.assemble` (packets copied when the
clips match) and :func:`hailuo_dsl.video.timeline.write_timeline`. It reads the journal, never the
API: render first. The film lands where the render's clips do: ``renders/<script>.mp4``
(``renders/<script>.emulator.mp4`` for the emulator's animatic), the timeline as ``.otio`` beside it.
"""

from __future__ import annotations

from pathlib import Path

from mcp.server.mcpserver.exceptions import ToolError

from hailuo_dsl.mcp.models import FilmInfo
from hailuo_dsl.mcp.renders import endpoint_for
from hailuo_dsl.mcp.tools import os_message
from hailuo_dsl.render import Journal, JournalError, ShotState, find_journal

TIMELINE_SUFFIX = ".otio"


def film_path(script: Path, *, emulator: bool) -> Path:
    """``renders/<script stem>.mp4`` beside the script (``.emulator.mp4`` for the emulator's)."""
    return script.parent / "renders" / (script.stem + (".emulator" if emulator else "") + ".mp4")


def assemble_film(script: Path, *, emulator: bool) -> FilmInfo:
    """Join the script's downloaded shots into its film; ``ToolError`` names every shot without a video."""
    from hailuo_dsl.shots.parser import load_script
    from hailuo_dsl.video import InvalidVideo, assemble
    from hailuo_dsl.video.timeline import TimelineClip, build_timeline, write_timeline

    try:
        names = [shot.name for shot in load_script(script).shots]
    except OSError as err:
        raise ToolError(os_message(err)) from None
    journal = find_journal(script, endpoint_for(emulator))
    if not journal.is_file():
        raise ToolError(f"{script}: nothing rendered yet{' on the emulator' if emulator else ''}: start_render first")
    try:
        with Journal(journal, create=False) as opened:
            records = {r.name: r for r in opened.records()}
    except JournalError as err:
        raise ToolError(str(err)) from None
    clips: list[TimelineClip] = []
    missing = []
    for name in names:
        record = records.get(name)
        if record is None or record.state is not ShotState.DOWNLOADED or record.output is None:
            missing.append(name)
            continue
        prompt = (record.request or {}).get("prompt")
        clips.append(TimelineClip(name, Path(record.output), prompt if isinstance(prompt, str) else None, record.task_id))
    if missing or not clips:
        raise ToolError(
            f"no video on disk for {', '.join(missing) or 'any shot'}: render the script first (render_status shows why)"
        )
    output = film_path(script, emulator=emulator)
    try:
        assembly = assemble([clip.path for clip in clips], output)
        timeline = write_timeline(build_timeline(clips, name=output.stem), output.with_suffix(TIMELINE_SUFFIX))
    except InvalidVideo as err:
        raise ToolError(str(err)) from None
    except OSError as err:
        raise ToolError(os_message(err)) from None
    return FilmInfo(
        film=str(assembly.output),
        timeline=str(timeline),
        method=assembly.method.value,
        duration=assembly.duration,
        size=list(assembly.size),
        shots=[clip.name for clip in clips],
    )
