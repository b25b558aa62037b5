"""What the commands that read a render (``takes``, ``pick``, ``assemble``, ``sheet``) share: the
options that find a script's journal exactly as ``render`` does, and the script's shots in order."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from hailuo_dsl.cli.common import UsageError, base_url_option
from hailuo_dsl.contract import BASE_URL_ENV, DEFAULT_BASE_URL
from hailuo_dsl.render import EMULATOR_ENDPOINT, Journal, JournalError, endpoint_of, find_journal


def journal_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--emulator``, ``--base-url`` and ``--journal``: which render of SCRIPT to read."""
    options = [
        click.option("--emulator", is_flag=True, help="Read the render against the built-in emulator."),
        base_url_option,
        click.option("--journal", "journal_path", type=click.Path(dir_okay=False, path_type=Path), help="Journal file to read."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def open_render(script: Path, journal_path: Path | None, emulator: bool, base_url: str | None) -> Journal:
    """The journal of SCRIPT's render (as ``hailuo render`` finds it), open; a one-line error when
    there is none or it is not a journal."""
    if journal_path is not None:
        path = journal_path
    else:
        endpoint = EMULATOR_ENDPOINT if emulator else endpoint_of(base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)
        path = find_journal(script, endpoint)
    if not path.is_file():
        hint = "" if emulator or journal_path is not None else " (for the emulator's render, add --emulator)"
        raise UsageError(f"{path}: no journal here: render {script} first{hint}")
    try:
        return Journal(path, create=False)
    except JournalError as err:
        raise UsageError(str(err)) from None


def shot_names(script: Path) -> list[str]:
    """The names of the script's shots, in order (a one-line error when it cannot be read)."""
    from hailuo_dsl.shots.parser import ScriptReadError, load_script

    if not script.is_file():
        raise UsageError(f"{script}: no such file")
    try:
        return [shot.name for shot in load_script(script).shots]
    except ScriptReadError as err:
        raise UsageError(str(err)) from None


__all__ = ["journal_options", "open_render", "shot_names"]
