"""The console every table of the CLI is printed on: as wide as the terminal on a terminal, and
one line per row anywhere else (a CI log, a pipe, a file), so that no task id or path is ever
broken across lines, which would make it unsearchable."""

from __future__ import annotations

from rich.console import Console

LOG_WIDTH = 10_000
"""The width of a table that is not shown on a terminal: wider than any row."""


def table_console(*, stderr: bool = False) -> Console:
    """A console for tables: the terminal's width on a terminal, else one line per row."""
    console = Console(stderr=stderr)
    return console if console.is_terminal else Console(stderr=stderr, width=LOG_WIDTH)
