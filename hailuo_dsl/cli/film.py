"""Assembling a script's film from the command line (``hailuo assemble``, ``hailuo render
--assemble``): the journal found as ``render`` finds it, a progress bar, a one-line error, and what
is said of the film."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from hailuo_dsl.cli.common import UsageError
from hailuo_dsl.cli.journals import open_render, shot_names
from hailuo_dsl.cli.render_display import shown
from hailuo_dsl.render.film import Film, FilmError, assemble_film, default_film_path, film_shots


def assemble_script(
    script: Path,
    emulator: bool,
    base_url: str | None,
    journal_path: Path | None,
    output: Path | None,
    timeline_format: str | None,
    console: Console,
) -> Film:
    """The film of SCRIPT's render (``hailuo assemble``, ``hailuo render --assemble``), with a
    progress bar on a terminal; every problem is a one-line ``UsageError``."""
    from hailuo_dsl.video import InvalidVideo, TimelineFormatUnavailable

    names = shot_names(script)
    with open_render(script, journal_path, emulator, base_url) as journal:
        try:
            shots = film_shots(names, journal)
        except FilmError as err:
            raise UsageError(f"{script}: {err}") from None
    if not shots:
        raise UsageError(f"{script}: no shots to assemble")
    target = output or default_film_path(script, emulator=emulator)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    row = progress.add_task(f"assembling {target.name}", total=None)

    def advance(done: int, total: int) -> None:
        progress.update(row, completed=done, total=total)

    try:
        with progress:
            return assemble_film(shots, target, timeline_format=timeline_format, on_progress=advance)
    except (InvalidVideo, TimelineFormatUnavailable) as err:
        raise UsageError(str(err)) from None
    except OSError as err:
        raise UsageError(f"{target}: cannot write the film: {err.strerror or err}") from None


def report(film: Film) -> None:
    """What ``hailuo assemble`` says of a film: where it is, how it was joined, its timeline."""
    assembly = film.assembly
    width, height = assembly.size
    how = "packets copied, nothing re-encoded" if assembly.method.value == "copy" else "re-encoded once with libx264"
    click.echo(
        f"Film: {shown(assembly.output)} ({len(film.shots)} shots, {assembly.duration:.1f} s, {width}x{height}, "
        f"{float(assembly.fps):g} fps; {how})"
    )
    click.echo(f"Timeline: {', '.join(shown(path) for path in film.timelines)} (one clip per shot, for an editor)")
