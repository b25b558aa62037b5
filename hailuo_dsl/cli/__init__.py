"""The ``hailuo`` command line: one group, one module per family of commands.

Every command is a thin layer over the library; errors the user can act on are one line on
standard error and exit code 2, never a traceback. A command's module is imported only when the
command runs, so ``hailuo lint`` (a pre-commit hook, an editor's save action) starts without
loading the HTTP client, the emulator or the language server.
"""

from __future__ import annotations

import importlib

import click

from hailuo_dsl import __version__

COMMANDS: dict[str, str] = {
    "lint": "lint_commands",
    "fmt": "lint_commands",
    "rules": "lint_commands",
    "rule": "lint_commands",
    "compile": "shot_commands",
    "render": "render_commands",
    "jobs": "render_commands",
    "submit": "task_commands",
    "status": "task_commands",
    "wait": "task_commands",
    "download": "task_commands",
    "emulator": "emulator_command",
    "lsp": "lsp_command",
}
"""Each command's module under ``hailuo_dsl.cli``; the module's ``register(group)`` adds it."""


def commands_of(module_name: str) -> dict[str, click.Command]:
    """The commands a module of ``hailuo_dsl.cli`` registers."""
    module = importlib.import_module(f"hailuo_dsl.cli.{module_name}")
    group = click.Group()
    module.register(group)
    return dict(group.commands)


class _LazyGroup(click.Group):
    """A group whose commands are imported when they are looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMANDS.get(cmd_name)
        return None if module_name is None else commands_of(module_name)[cmd_name]


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hailuo")
def cli() -> None:
    """Lint, format, compile and render MiniMax-Hailuo-02 prompts and .shot scripts."""


def main() -> None:
    """Console entry point."""
    cli(prog_name="hailuo")
