"""What the commands share: their errors, the files they read, the API key and base URL options.

Every error the user can act on is one line on standard error, never a traceback: ``UsageError``
(the command line, a file, the environment: exit 2) and ``ApiError`` (the API refused, a task
failed: exit 1).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from hailuo_dsl.contract import API_KEY_ENV
from hailuo_dsl.diagnostics import Diagnostic
from hailuo_dsl.documents import PROMPT_SUFFIXES, SHOT_SUFFIXES
from hailuo_dsl.output import FileReport
from hailuo_dsl.textfile import (
    LIMIT_ENV,
    MB,
    PROMPT_FILE_LIMIT,
    TEXT_FILE_LIMIT,
    TextFileError,
    decode,
    encode,
    read_file,
    read_limited,
    read_text_file,
    size_limit,
    write_file,
)


class UsageError(click.ClickException):
    """A problem with the command line, its files or its environment: one line, exit code 2."""

    exit_code = 2

    def show(self, file: object = None) -> None:
        click.echo(f"hailuo: error: {self.message}", err=True)


class ApiError(click.ClickException):
    """The API refused a call or a task failed: one line, exit code 1."""

    exit_code = 1

    def show(self, file: object = None) -> None:
        click.echo(f"hailuo: {self.message}", err=True)


def require_api_key(hint: str = "") -> str:
    """The API key from the environment, or a one-line usage error."""
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise UsageError(f"no API key: set {API_KEY_ENV}{hint}")
    return key


def require_file(path: Path) -> None:
    """:class:`UsageError` unless ``path`` is a regular file (a device or a pipe would be read
    without end, or twice), saying which it is."""
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "not a regular file" if path.exists() else "no such file"
        raise UsageError(f"{path}: {what}")


def os_message(err: Exception) -> str:
    """One line for a file problem (or a script's own read error, which carries its message)."""
    if isinstance(err, OSError) and err.strerror and err.filename:
        return f"{err.filename}: {err.strerror}"
    return str(err) or type(err).__name__


def _check_task_id(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    if not value.strip():
        raise UsageError("TASK_ID is empty: give the id `hailuo submit` printed")
    if not value.isprintable() or any(c.isspace() for c in value):
        raise UsageError(f"TASK_ID {value!r} holds a space or a control character: give the id `hailuo submit` printed")
    return value


task_id_argument = click.argument("task_id", callback=_check_task_id)
"""The TASK_ID of ``hailuo status``, ``wait`` and ``download``: refused in one line when it
cannot be an id (empty, blank, with spaces or control characters), before any request."""


base_url_option = click.option(
    "--base-url", default=None, metavar="URL", help="API base URL (default: $HAILUO_BASE_URL or the gateway)."
)


STDIN = "-"


def _limit_files(ctx: click.Context, _param: click.Parameter, value: float | None) -> None:
    if value is not None:
        ctx.with_resource(size_limit(max(1, int(value * MB))))


max_file_mb_option = click.option(
    "--max-file-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    expose_value=False,
    callback=_limit_files,
    metavar="MB",
    help=f"Read files up to this size (default {PROMPT_FILE_LIMIT / MB:g} for a prompt file, "
    f"{TEXT_FILE_LIMIT / MB:g} for a script, spec or configuration; also ${LIMIT_ENV}).",
)


@dataclass(frozen=True, slots=True)
class Source:
    """One input: its display name, its path (None for stdin), its text, and whether its bytes
    began with a byte-order mark (written back with it)."""

    name: str
    path: Path | None
    text: str
    bom: bool = False


def expand(paths: tuple[str, ...]) -> Iterator[str]:
    """Files as given; folders expanded to the prompt and .shot files below them, sorted."""
    for raw in paths:
        if raw == STDIN:
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in PROMPT_SUFFIXES + SHOT_SUFFIXES)
            if not found:
                raise UsageError(f"{raw}: no prompt (.prompt, .txt) or .shot files in this folder")
            yield from (str(p) for p in found)
        else:
            yield raw


def read_source(raw: str, *, prompt: bool | None = None) -> Source:
    """Read one input as UTF-8 text within the size limit of its kind (``prompt``; by default a
    prompt file unless its name ends in ``.shot``), or raise :class:`UsageError` with a one-line reason."""
    path = None if raw == STDIN else Path(raw)
    name = "<stdin>" if path is None else raw
    if prompt is None:
        prompt = not raw.endswith(SHOT_SUFFIXES)
    try:
        if path is None:
            read = decode(read_limited(sys.stdin.buffer, name, prompt=prompt), name)
        else:
            read = read_file(path, name, prompt=prompt)
    except TextFileError as err:
        raise UsageError(str(err)) from None
    return Source(name, path, read.text, read.bom)


def to_stdout(source: Source, text: str) -> None:
    """Write a text read from standard input back to standard output, with its byte-order mark."""
    click.echo(("\ufeff" if source.bom else "") + text, nl=False)


def write_text(source: Source, text: str) -> None:
    """Write a fixed or formatted text back (to stdout for stdin), keeping the bytes the text
    does not hold (a byte-order mark); a failed write leaves the file as it was."""
    if source.path is None:
        to_stdout(source, text)
        return
    try:
        write_file(source.path, encode(text, source.bom))
    except OSError as err:
        raise UsageError(f"{source.name}: cannot write: {err.strerror or err}") from None


def reports_for(name: str, text: str, diagnostics: list[Diagnostic]) -> list[FileReport]:
    """The report of one input, plus one for each other file its diagnostics point into (a
    script's shot-spec), with that file's text read as the compiler read it, so positions agree."""
    reports = [FileReport(name, text, [d for d in diagnostics if d.path is None])]
    others: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.path is not None:
            others.setdefault(d.path, []).append(d)
    for path, found in others.items():
        try:
            other_text = read_text_file(Path(path))
        except TextFileError:
            other_text = ""
        reports.append(FileReport(path, other_text, found))
    return reports
