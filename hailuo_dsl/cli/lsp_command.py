"""``hailuo lsp``: the language server over standard input and output."""

from __future__ import annotations

import click


@click.command()
@click.option(
    "--stdio", is_flag=True, help="Talk over standard input and output (the default; accepted for editors that pass it)."
)
def lsp(stdio: bool) -> None:
    """Run the language server for .shot scripts and prompt files (for editors)."""
    from hailuo_dsl.lsp.server import main  # imported here: the CLI's other commands need no pygls

    main()


COMMANDS: dict[str, click.Command] = {c.name: c for c in (lsp,) if c.name is not None}
"""This module's commands by name (``hailuo_dsl.cli`` lists them)."""
