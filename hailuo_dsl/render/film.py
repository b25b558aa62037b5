"""From a render's takes to a film: the chosen take of every shot, in script order, joined into one
MP4 with an OpenTimelineIO timeline beside it (``hailuo assemble``), or drawn as a contact sheet
(``hailuo sheet``). Both read the journal, never the API: render first.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hailuo_dsl.render.graph import chosen_take
from hailuo_dsl.render.journal import Journal
from hailuo_dsl.render.location import script_name

if TYPE_CHECKING:
    from hailuo_dsl.video.assembly import Assembly, ProgressCallback

TIMELINE_SUFFIX = ".otio"


class FilmError(ValueError):
    """A film that cannot be made from what the journal holds (the message says which shots and why)."""


@dataclass(frozen=True, slots=True)
class FilmShot:
    """One shot of the film: its chosen take's video and what made it."""

    name: str
    take: int
    path: Path
    prompt: str | None
    task_id: str | None
    takes: int = 1
    continues: str | None = None


@dataclass(frozen=True, slots=True)
class Film:
    """An assembled film: the join, its timeline(s), and its shots in order."""

    assembly: Assembly
    timelines: tuple[Path, ...]
    shots: tuple[FilmShot, ...]


def default_film_path(script: str | os.PathLike[str], *, emulator: bool = False, suffix: str = ".mp4") -> Path:
    """Where a script's film goes by default: ``renders/<script>.mp4`` beside its real file
    (``renders/<script>.emulator.mp4`` for the emulator's animatic), next to its folder of clips."""
    path = Path(script).resolve()
    return path.parent / "renders" / (script_name(path) + (".emulator" if emulator else "") + suffix)


def film_shots(names: Sequence[str], journal: Journal) -> list[FilmShot]:
    """The chosen take of each shot ``names`` lists (in that order, the script's); ``FilmError``
    names every shot without a video on disk."""
    found: list[FilmShot] = []
    missing: list[str] = []
    for name in names:
        records = journal.takes(name)
        record = chosen_take(records, journal.choice(name))
        if record is None or record.output is None:
            missing.append(name)
            continue
        request = record.request or {}
        continues = record.lineage.shot if record.lineage is not None else None
        found.append(
            FilmShot(name, record.take, Path(record.output), request.get("prompt"), record.task_id, len(records), continues)
        )
    if missing:
        raise FilmError(f"no video on disk for {', '.join(missing)}: render the script first (hailuo render)")
    return found


def assemble_film(
    shots: Sequence[FilmShot],
    output: Path,
    *,
    timeline_format: str | None = None,
    on_progress: ProgressCallback | None = None,
) -> Film:
    """Join ``shots`` into ``output`` (stream copy when their codec parameters match, else one
    re-encode) and write the timeline beside it: ``FILM.otio`` always, and the file of
    ``timeline_format`` (``edl``, ``fcp-xml``: the ``hailuo-dsl[edit]`` extra) when asked.
    ``TimelineFormatUnavailable`` before anything is joined when that format cannot be written."""
    from hailuo_dsl.video import assemble
    from hailuo_dsl.video.timeline import TimelineClip, build_timeline, write_timeline
    from hailuo_dsl.video.timeline import timeline_format as format_of

    extra = None
    if timeline_format is not None and timeline_format.lower() != "otio":
        chosen = format_of(output, timeline_format)
        extra = output.with_suffix(chosen.suffix)
        _require_adapter(chosen.adapter, chosen.name, chosen.package)
    output.parent.mkdir(parents=True, exist_ok=True)
    assembly = assemble([shot.path for shot in shots], output, on_progress=on_progress)
    clips = [TimelineClip(s.name, s.path, s.prompt, s.task_id, s.take) for s in shots]
    timeline = build_timeline(clips, name=output.stem)
    written = [write_timeline(timeline, output.with_suffix(TIMELINE_SUFFIX))]
    if extra is not None:
        written.append(write_timeline(timeline, extra, format=timeline_format))
    return Film(assembly, tuple(written), tuple(shots))


def _require_adapter(adapter: str, name: str, package: str | None) -> None:
    import opentimelineio as otio

    from hailuo_dsl.video.timeline import EDIT_EXTRA, TimelineFormatUnavailable

    try:
        otio.adapters.from_name(adapter)
    except otio.exceptions.NotSupportedError:
        raise TimelineFormatUnavailable(
            f"the {name} timeline format needs {package}: pip install 'hailuo-dsl[{EDIT_EXTRA}]'"
        ) from None


def save_sheet(shots: Sequence[FilmShot], output: Path) -> Path:
    """The contact sheet of ``shots``: each chosen take's first and last frame under its name."""
    from hailuo_dsl.video import save_contact_sheet

    output.parent.mkdir(parents=True, exist_ok=True)
    return save_contact_sheet([(_label(shot), shot.path) for shot in shots], output)


def _label(shot: FilmShot) -> str:
    label = shot.name if shot.takes == 1 else f"{shot.name} (take {shot.take} of {shot.takes})"
    return label + (f", continues {shot.continues}" if shot.continues is not None else "")


__all__ = ["Film", "FilmError", "FilmShot", "assemble_film", "default_film_path", "film_shots", "save_sheet"]
