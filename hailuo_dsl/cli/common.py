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
from hailuo_dsl.textfile import TextFileError, decode_text, read_text_file


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


def os_message(err: Exception) -> str:
    """One line for a file problem (or a script's own read error, which carries its message)."""
    if isinstance(err, OSError) and err.strerror and err.filename:
        return f"{err.filename}: {err.strerror}"
    return str(err) or type(err).__name__


base_url_option = click.option(
    "--base-url", default=None, metavar="URL", help="API base URL (default: $HAILUO_BASE_URL or the gateway)."
)


STDIN = "-"


@dataclass(frozen=True, slots=True)
class Source:
    """One input: its display name, its path (None for stdin) and its text."""

    name: str
    path: Path | None
    text: str


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


def read_source(raw: str) -> Source:
    """Read one input as UTF-8 text, or raise :class:`UsageError` with a one-line reason."""
    path = None if raw == STDIN else Path(raw)
    name = "<stdin>" if path is None else raw
    try:
        text = decode_text(sys.stdin.buffer.read(), name) if path is None else read_text_file(path, name)
    except TextFileError as err:
        raise UsageError(str(err)) from None
    return Source(name, path, text)


def write_text(source: Source, text: str) -> None:
    """Write a fixed or formatted text back (to stdout for stdin)."""
    if source.path is None:
        click.echo(text, nl=False)
        return
    try:
        source.path.write_text(text, encoding="utf-8", newline="")
    except OSError as err:
        raise UsageError(f"{source.name}: cannot write: {err.strerror}") from None


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
