"""``hailuo assemble`` (the chosen takes joined into one film, with its timeline) and ``hailuo sheet``
(a contact sheet of each shot's first and last frame)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from hailuo_dsl.cli.common import UsageError
from hailuo_dsl.cli.film import assemble_script, report
from hailuo_dsl.cli.journals import journal_options, open_render, shot_names
from hailuo_dsl.cli.render_display import shown
from hailuo_dsl.render.film import FilmError, default_film_path, film_shots, save_sheet

TIMELINE_CHOICES = ("otio", "edl", "fcp-xml")


@click.command("assemble")
@click.argument("script", type=click.Path(dir_okay=False, path_type=Path))
@journal_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The film [default: renders/<script>.mp4 beside the script, renders/<script>.emulator.mp4 with --emulator].",
)
@click.option(
    "--timeline-format",
    type=click.Choice(TIMELINE_CHOICES),
    help="Also write the timeline as EDL or FCP XML (needs: pip install 'hailuo-dsl[edit]'); FILM.otio is always written.",
)
def assemble(
    script: Path,
    emulator: bool,
    base_url: str | None,
    journal_path: Path | None,
    output: Path | None,
    timeline_format: str | None,
) -> None:
    """Join the chosen take of every shot, in script order, into one MP4 with its timeline."""
    film = assemble_script(script, emulator, base_url, journal_path, output, timeline_format, Console(stderr=True))
    report(film)


@click.command("sheet")
@click.argument("script", type=click.Path(dir_okay=False, path_type=Path))
@journal_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The sheet, PNG or JPEG [default: renders/<script>.sheet.png beside the script, renders/<script>.emulator.sheet.png with --emulator].",
)
def sheet(script: Path, emulator: bool, base_url: str | None, journal_path: Path | None, output: Path | None) -> None:
    """Draw a contact sheet: each shot's first and last frame (chosen take), labelled, in a grid."""
    from hailuo_dsl.video import InvalidVideo

    names = shot_names(script)
    with open_render(script, journal_path, emulator, base_url) as journal:
        try:
            shots = film_shots(names, journal)
        except FilmError as err:
            raise UsageError(f"{script}: {err}") from None
    if not shots:
        raise UsageError(f"{script}: no shots to draw")
    target = output or default_film_path(script, emulator=emulator, suffix=".sheet.png")
    if target.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        raise UsageError(f"{target}: a contact sheet is a .png or .jpg file")
    try:
        save_sheet(shots, target)
    except InvalidVideo as err:
        raise UsageError(str(err)) from None
    except OSError as err:
        raise UsageError(f"{target}: cannot write the sheet: {err.strerror or err}") from None
    click.echo(f"Contact sheet: {shown(target)} ({len(shots)} shots, first and last frame of each)")


COMMANDS: dict[str, click.Command] = {c.name: c for c in (assemble, sheet) if c.name is not None}
"""This module's commands by name (``hailuo_dsl.cli`` lists them)."""
