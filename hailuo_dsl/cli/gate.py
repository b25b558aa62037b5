"""The lint gate of the commands that send prompts (``hailuo compile``, ``render``, ``submit``).

Each reads the configuration ``hailuo lint`` would read for the same file (``[tool.hailuo]`` of
the nearest ``pyproject.toml``), prints its findings as ``hailuo lint`` prints them (on standard
error, through the same report builder) and stops before anything is uploaded or submitted when
one of them is an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from hailuo_dsl.cli.common import UsageError, reports_for
from hailuo_dsl.config import ConfigError, LintConfig, load_config
from hailuo_dsl.diagnostics import Diagnostic, Severity
from hailuo_dsl.output import render

NOTHING_SENT = "nothing was uploaded or submitted: fix the errors above (`hailuo lint --fix` fixes many)"
"""What a refused command says last."""


def config_for(path: Path | None) -> LintConfig:
    """The configuration ``hailuo lint`` uses for ``path`` (for text given on the command line:
    the working folder's); a broken configuration is a one-line usage error."""
    folder = (path.parent if path is not None else Path.cwd()).resolve()
    try:
        return load_config(folder)[0]
    except ConfigError as err:
        raise UsageError(str(err)) from None


def show_findings(name: str, text: str, diagnostics: Sequence[Diagnostic]) -> None:
    """Print findings on standard error in ``hailuo lint``'s text format (nothing when clean)."""
    if diagnostics:
        click.echo(render(reports_for(name, text, list(diagnostics)), "text"), nl=False, err=True)


def has_errors(diagnostics: Sequence[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def refuse(what: str = NOTHING_SENT) -> None:
    """End the command with exit code 1 after its findings, having sent nothing."""
    click.echo(f"hailuo: {what}", err=True)
    raise SystemExit(1)
