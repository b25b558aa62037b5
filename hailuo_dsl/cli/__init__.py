"""The ``hailuo`` command line: one group, one module per family of commands.

Every command is a thin layer over the library; errors the user can act on are one line on
standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import click

from hailuo_dsl import __version__
from hailuo_dsl.cli import emulator_command, lint_commands, lsp_command, render_commands, shot_commands, task_commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hailuo")
def cli() -> None:
    """Lint, format, compile and render MiniMax-Hailuo-02 prompts and .shot scripts."""


for module in (lint_commands, shot_commands, render_commands, task_commands, emulator_command, lsp_command):
    module.register(cli)


def main() -> None:
    """Console entry point."""
    cli(prog_name="hailuo")
